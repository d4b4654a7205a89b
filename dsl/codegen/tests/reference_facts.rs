//! Table-driven over the AWS service spec's `Ref` facts
//! (dsl/schemas/aws-service-spec/reference.json, read here on its own): for every vendored
//! type the spec describes, the generated `Ref` getter has the kind of the property `Ref`
//! returns, and a primary identifier that `Ref` does not return is no `Ref` getter.

use std::path::{Path, PathBuf};

use nephos_codegen::model::Ty;
use nephos_codegen::{build_all, schemas};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_ref_getter_has_the_kind_of_what_the_spec_says_ref_returns() {
    let text = std::fs::read_to_string(root().join("dsl/schemas/aws-service-spec/reference.json"))
        .expect("reference facts");
    let facts: Value = serde_json::from_str(&text).expect("JSON");
    let facts = facts["types"].as_object().expect("types");
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let models = build_all(&schemas, &extras).expect("every schema builds");
    let mut checked = 0;
    let mut composite = 0;
    for (t, names) in facts {
        let Some(model) = models.get(t) else {
            continue; // described by the spec, not vendored
        };
        let names: Vec<&str> = names
            .as_array()
            .expect("list")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let r = model
            .reference
            .as_ref()
            .unwrap_or_else(|| panic!("{t}: no Ref getter"));
        let Ty::Kind(kind) = &r.ty else {
            panic!("{t}: Ref getter is {:?}, not a string kind", r.ty);
        };
        let kind_name = &model.kinds[kind];
        // Several names are `A|B` for a qualified resource (an EventBridge rule on a custom
        // bus): that value is no single property's, so the getter has the type's own `Ref`
        // kind, and no primary identifier is the `Ref`.
        if names.len() > 1 {
            assert_eq!(*kind_name, format!("{t}.Ref"), "{t}: composite Ref's kind");
            assert!(r.name.is_empty(), "{t}: the Ref getter reads `{}`", r.name);
            composite += 1;
            checked += 1;
            continue;
        }
        let property = names[0];
        let bare = property.strip_prefix(&model.resource).unwrap_or(property);
        // A reviewed correction may name what the property holds (a secret's `Id` is its
        // ARN, `AWS::SecretsManager::Secret.Arn`).
        let corrected = extras.corrections.get(t.as_str()).is_some_and(|cs| {
            cs.iter().any(|c| {
                c.pointer == format!("/properties/{property}") && c.formats == [kind_name.clone()]
            })
        });
        assert!(
            corrected
                || *kind_name == format!("{t}.{property}")
                || *kind_name == format!("{t}.{bare}"),
            "{t}: Ref returns `{property}` (service spec), the Ref getter `{}` has the kind of `{kind_name}`",
            r.method
        );
        let ids: Vec<&str> = schemas[t]["primaryIdentifier"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let [one] = ids[..] {
            let id = one.trim_start_matches("/properties/").replace('/', ".");
            assert_eq!(r.name, property, "{t}: the Ref getter reads `{}`", r.name);
            if id != property {
                // The identifier remains only as a GetAtt (the emitter's attributes are all
                // GetAtt), and only where the GetAtt table has it.
                let gettable = extras.getatts.get(t).is_some_and(|g| g.contains(&id));
                let offered = model.attributes.iter().any(|a| a.name == id);
                assert_eq!(offered, gettable, "{t}: GetAtt getter of `{id}`");
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} types checked");
    assert!(
        composite > 0,
        "no composite Ref checked (EventBridge's Rule is one)"
    );
}
