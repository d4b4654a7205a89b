//! Every `Fn::GetAtt` getter the generator offers, for every vendored type, names an
//! attribute cfn-lint accepts: one template per batch of types reads each attribute into an
//! output, one cfn-lint process judges them all, and no finding may reject a GetAtt name
//! (`... is not one of [...]` at `Fn::GetAtt[1]`, rule E1010 in resources, E6101 in outputs).
//! A control template with a made-up name proves the check sees a rejection.

use std::path::{Path, PathBuf};
use std::process::Command;

use nephos_codegen::{build_all, schemas};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// cfn-lint refuses templates with more than 200 outputs.
const OUTPUTS_PER_TEMPLATE: usize = 200;

/// Whether a finding rejects the attribute name of a GetAtt (not its value's type).
fn rejects_name(finding: &Value) -> bool {
    let path = finding["Location"]["Path"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let n = path.len();
    n >= 2 && path[n - 2] == "Fn::GetAtt" && path[n - 1] == 1
}

#[test]
fn every_generated_getter_names_an_attribute_cfn_lint_accepts() {
    let cfn_lint = root().join(".venv/bin/cfn-lint");
    assert!(
        cfn_lint.exists(),
        "{} is missing: run scripts/venv.sh",
        cfn_lint.display()
    );
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let models = build_all(&schemas, &extras).expect("every schema builds");

    let dir = std::env::temp_dir().join(format!("nephos-getatts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    let mut resources = serde_json::Map::new();
    let mut outputs = serde_json::Map::new();
    let mut getters = 0;
    let mut flush = |resources: &mut serde_json::Map<String, Value>,
                     outputs: &mut serde_json::Map<String, Value>| {
        if outputs.is_empty() {
            return;
        }
        let path = dir.join(format!("batch{}.json", files.len()));
        let template =
            json!({"Resources": std::mem::take(resources), "Outputs": std::mem::take(outputs)});
        std::fs::write(&path, template.to_string()).expect("write template");
        files.push(path);
    };
    for (i, model) in models.values().enumerate() {
        if model.attributes.is_empty() {
            continue;
        }
        if outputs.len() + model.attributes.len() > OUTPUTS_PER_TEMPLATE {
            flush(&mut resources, &mut outputs);
        }
        let logical = format!("R{i}");
        resources.insert(logical.clone(), json!({"Type": model.type_name}));
        for (j, a) in model.attributes.iter().enumerate() {
            getters += 1;
            outputs.insert(
                format!("R{i}A{j}"),
                json!({"Value": {"Fn::GetAtt": [logical, a.name]}}),
            );
        }
    }
    flush(&mut resources, &mut outputs);
    // The control: a name no type has must be reported, or the check proves nothing.
    let control = dir.join("control.json");
    std::fs::write(
        &control,
        json!({"Resources": {"R": {"Type": "AWS::SNS::Topic"}},
               "Outputs": {"O": {"Value": {"Fn::GetAtt": ["R", "NoSuchAttribute"]}}}})
        .to_string(),
    )
    .expect("write control");
    files.push(control);
    assert!(getters > 3000, "only {getters} getters generated");

    let output = Command::new(&cfn_lint)
        .args(["--format", "json", "--"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let _ = std::fs::remove_dir_all(&dir);
    let findings: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let (control, rejected): (Vec<&Value>, Vec<&Value>) =
        findings.iter().filter(|f| rejects_name(f)).partition(|f| {
            f["Filename"]
                .as_str()
                .is_some_and(|n| n.ends_with("control.json"))
        });
    assert_eq!(
        control.len(),
        1,
        "the made-up name was not reported: {control:?}"
    );
    let listed: Vec<String> = rejected
        .iter()
        .map(|f| {
            let path = &f["Location"]["Path"];
            format!("{} {}", f["Rule"]["Id"], path)
        })
        .collect();
    // Name the types behind the rejected outputs.
    let names: Vec<String> = listed
        .iter()
        .map(|l| {
            let i: usize = l
                .split("\"R")
                .nth(1)
                .and_then(|s| s.split('A').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(usize::MAX);
            let t = models
                .values()
                .nth(i)
                .map(|m| m.type_name.as_str())
                .unwrap_or("?");
            format!("{t}: {l}")
        })
        .collect();
    assert!(
        names.is_empty(),
        "{} of {getters} getters name attributes cfn-lint rejects:\n{}",
        names.len(),
        names.join("\n")
    );
}
