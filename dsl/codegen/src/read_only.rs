//! Read-only properties: the schema's `readOnlyProperties`, values CloudFormation reports but
//! rejects or ignores as input. The generator offers no setter for them, at any depth (they
//! stay readable as `Fn::GetAtt` getters where the GetAtt table has them).
//!
//! Paths name properties below `/properties`, through nested objects (`/properties/A/B`)
//! and through list or map elements. Schemas spell an element either with `*`
//! (`/properties/Replicas/*/Arn`) or without (`/properties/Replicas/Arn`), so both sides are
//! compared with the `*` segments left out.
//!
//! A nested type is shared by every property that refers to its definition; a read-only path
//! below one use must not take the setter from the others, so [`ReadOnly::below`] tells the
//! builder when a use needs a type of its own.
//!
//! The AWS service spec lists 14 of the registry's top-level read-only properties as
//! properties as well (such as a DMS migration project's `InstanceProfileArn`); the registry
//! schema is what CloudFormation checks input against, so they stay without setters.

use serde_json::Value;

/// The read-only paths of one schema, without `*` segments.
#[derive(Clone, Debug, Default)]
pub struct ReadOnly {
    paths: Vec<Vec<String>>,
}

/// `/properties/A/*/B` -> `["A", "B"]`; `None` for a path outside `/properties`.
fn segments(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix("/properties/")?;
    Some(
        rest.split('/')
            .filter(|s| *s != "*" && !s.is_empty())
            .collect(),
    )
}

impl ReadOnly {
    /// The read-only paths of `schema` (its `readOnlyProperties`; others are ignored).
    pub fn new(schema: &Value) -> Self {
        let paths = schema
            .get("readOnlyProperties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(segments)
            .filter(|s| !s.is_empty())
            .map(|s| s.into_iter().map(str::to_string).collect())
            .collect();
        ReadOnly { paths }
    }

    /// Whether the property at `path` (`/properties/A/*/B`) is read-only.
    pub fn contains(&self, path: &str) -> bool {
        let Some(segs) = segments(path) else {
            return false;
        };
        self.paths.iter().any(|p| *p == segs)
    }

    /// Whether a read-only property lies strictly below `path`: the nested type there
    /// differs from the same definition used where nothing below is read-only.
    pub fn below(&self, path: &str) -> bool {
        let Some(segs) = segments(path) else {
            return false;
        };
        self.paths
            .iter()
            .any(|p| p.len() > segs.len() && p.iter().zip(&segs).all(|(a, b)| a == b))
    }

    /// A key for `path` that is the same for every spelling of it (with or without `*`).
    pub fn key(path: &str) -> String {
        segments(path).map(|s| s.join("/")).unwrap_or_default()
    }
}

/// Whether a value of `ty` is (a list or map of) one of the `output_only` nested types,
/// whose members are all read-only: such a property carries no input either.
pub fn holds(ty: &crate::model::Ty, output_only: &std::collections::BTreeSet<String>) -> bool {
    use crate::model::Ty;
    match ty {
        Ty::Struct(name) => output_only.contains(name),
        Ty::List(item) | Ty::Map(item) => holds(item, output_only),
        _ => false,
    }
}

/// Whether more than one property of `schema` refers to the definition `reference`
/// (`#/definitions/VpcConfig`).
pub fn shared(schema: &Value, reference: &str) -> bool {
    fn count(node: &Value, reference: &str, n: &mut usize) {
        match node {
            Value::Object(map) => {
                if map.get("$ref").and_then(Value::as_str) == Some(reference) {
                    *n += 1;
                }
                map.values().for_each(|v| count(v, reference, n));
            }
            Value::Array(items) => items.iter().for_each(|v| count(v, reference, n)),
            _ => {}
        }
    }
    let mut n = 0;
    count(schema, reference, &mut n);
    n > 1
}

/// Gives a use's own type (`ThingReplica`) the definition's name (`Replica`) back when no
/// other type holds that name in the end: no use shared the definition's full type after
/// all, so the type keeps the name it had before read-only properties lost their setters.
pub fn restore_names(
    model: &mut crate::model::ResourceModel,
    own_types: &[(String, String)],
    reserved: &[&str],
) {
    use crate::model::Ty;
    fn rename(ty: &mut Ty, from: &str, to: &str) {
        match ty {
            Ty::Struct(n) if n == from => *n = to.to_string(),
            Ty::List(item) | Ty::Map(item) => rename(item, from, to),
            _ => {}
        }
    }
    for (own, plain) in own_types {
        let taken = reserved.contains(&plain.as_str())
            || model.struct_name == *plain
            || model.handle_name == *plain
            || model.structs.iter().any(|s| s.name == *plain)
            || model.enums.iter().any(|e| e.name == *plain);
        if taken || !model.structs.iter().any(|s| s.name == *own) {
            continue;
        }
        for s in &mut model.structs {
            if s.name == *own {
                s.name = plain.clone();
            }
        }
        let nested = model.structs.iter_mut().flat_map(|s| s.fields.iter_mut());
        for f in model.fields.iter_mut().chain(nested) {
            rename(&mut f.ty, own, plain);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn elements_match_with_or_without_a_star() {
        let ro = ReadOnly::new(&json!({"readOnlyProperties": [
            "/properties/Arn", "/properties/Replicas/*/Arn", "/properties/Config/Status"]}));
        assert!(ro.contains("/properties/Arn"));
        assert!(ro.contains("/properties/Replicas/*/Arn"));
        assert!(ro.contains("/properties/Config/*/Status"));
        assert!(!ro.contains("/properties/Replicas"));
        assert!(!ro.contains("/properties/Replicas/*/Name"));
        assert!(ro.below("/properties/Replicas"));
        assert!(ro.below("/properties/Replicas/*"));
        assert!(!ro.below("/properties/Arn"));
        assert!(!ro.below("/properties/Other"));
        assert_eq!(
            ReadOnly::key("/properties/Replicas/*"),
            ReadOnly::key("/properties/Replicas")
        );
    }

    fn field_names(m: &crate::model::ResourceModel, struct_name: &str) -> Vec<String> {
        let s = m.structs.iter().find(|s| s.name == struct_name);
        let fields = s.map(|s| &s.fields).expect("struct");
        fields.iter().map(|f| f.name.clone()).collect()
    }

    #[test]
    fn no_setter_for_a_read_only_property_at_any_depth() {
        let schema = json!({
            "definitions": {"Replica": {"type": "object", "properties": {
                "Region": {"type": "string"}, "Status": {"type": "string"}}}},
            "properties": {
                "Arn": {"type": "string"},
                "Name": {"type": "string"},
                "Replicas": {"type": "array", "items": {"$ref": "#/definitions/Replica"}},
                "Spare": {"$ref": "#/definitions/Replica"},
                "Config": {"type": "object", "properties": {
                    "State": {"type": "string"}, "Size": {"type": "integer"}}},
                "Endpoints": {"type": "array", "items": {"type": "object", "properties": {
                    "Url": {"type": "string"}}}}},
            "readOnlyProperties": ["/properties/Arn", "/properties/Replicas/*/Status",
                                   "/properties/Config/State", "/properties/Endpoints/*/Url"],
            "primaryIdentifier": ["/properties/Name"]});
        let extras = crate::schemas::Extras::default();
        let m = crate::build::build("AWS::Test::Thing", &schema, &extras).expect("builds");
        let top: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
        // `Endpoints` holds only read-only members: no setter, no empty element type.
        assert_eq!(top, ["Config", "Name", "Replicas", "Spare"]);
        assert!(m.structs.iter().all(|s| s.schema_name != "Endpoints"));
        assert_eq!(field_names(&m, "Config"), ["Size"]);
        // The list's element type lacks `Status`; the same definition elsewhere keeps it.
        let element =
            |name: &str| match &m.fields.iter().find(|f| f.name == name).expect("field").ty {
                crate::model::Ty::List(item) => (**item).clone(),
                other => other.clone(),
            };
        let crate::model::Ty::Struct(listed) = element("Replicas") else {
            panic!("Replicas: a list of structs");
        };
        let crate::model::Ty::Struct(spare) = element("Spare") else {
            panic!("Spare: a struct");
        };
        assert_eq!(field_names(&m, &listed), ["Region"]);
        assert_eq!(field_names(&m, &spare), ["Region", "Status"]);
        // The shared type keeps the definition's name; the one use's own type is prefixed.
        assert_eq!(
            (listed.as_str(), spare.as_str()),
            ("ThingReplica", "Replica")
        );
    }

    #[test]
    fn a_definition_no_use_shares_in_full_keeps_its_name() {
        let schema = json!({
            "definitions": {"Arm": {"type": "object", "properties": {
                "Key": {"type": "string"}, "Weight": {"type": "integer"}}}},
            "properties": {
                "Control": {"$ref": "#/definitions/Arm"},
                "Arms": {"type": "array", "items": {"$ref": "#/definitions/Arm"}}},
            "readOnlyProperties": ["/properties/Control/Key", "/properties/Arms/*/Key"]});
        let m =
            crate::build::build("AWS::Test::Thing", &schema, &Default::default()).expect("builds");
        let names: Vec<&str> = m.structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Arm"]);
        assert_eq!(field_names(&m, "Arm"), ["Weight"]);
        let control = m
            .fields
            .iter()
            .find(|f| f.name == "Control")
            .expect("Control");
        assert_eq!(control.ty, crate::model::Ty::Struct("Arm".into()));
    }
}
