//! Snapshots of the code generated for small schemas, one per mapping rule: nested
//! definitions, recursive types, `oneOf`/`anyOf`, pattern properties, JSON and policy
//! properties, formats and enums.

use nephos_codegen::schemas::Extras;
use nephos_codegen::{build::build, emit, output};
use serde_json::json;

fn generated(type_name: &str, schema: serde_json::Value) -> String {
    let model = build(type_name, &schema, &Extras::default()).expect("builds");
    output::rustfmt(&emit::resource_module(&model)).expect("formats")
}

#[test]
fn nested_definitions_enums_and_formats() {
    insta::assert_snapshot!(generated(
        "AWS::Demo::Function",
        json!({
            "typeName": "AWS::Demo::Function",
            "properties": {
                "Code": {"$ref": "#/definitions/Code"},
                "Role": {"type": "string", "format": "AWS::IAM::Role.Arn"},
                "Name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z]+$"},
                "Runtime": {"type": "string", "enum": ["nodejs20.x", "python3.12"]},
                "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}, "maxItems": 50},
                "Arn": {"type": "string", "format": "AWS::Demo::Function.Arn"}
            },
            "definitions": {
                "Code": {"type": "object", "properties": {"ZipFile": {"type": "string"}, "S3Key": {"type": "string"}}},
                "Tag": {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}, "required": ["Key"]}
            },
            "required": ["Code", "Role"],
            "readOnlyProperties": ["/properties/Arn"],
            "createOnlyProperties": ["/properties/Name"],
            "primaryIdentifier": ["/properties/Name"]
        })
    ));
}

#[test]
fn recursive_types() {
    insta::assert_snapshot!(generated(
        "AWS::Demo::Rule",
        json!({
            "typeName": "AWS::Demo::Rule",
            "properties": {"Statement": {"$ref": "#/definitions/Statement"}, "Id": {"type": "string"}},
            "definitions": {
                "Statement": {"type": "object", "properties": {
                    "Match": {"type": "string"},
                    "And": {"type": "array", "items": {"$ref": "#/definitions/Statement"}},
                    "Not": {"$ref": "#/definitions/Statement"}
                }}
            },
            "readOnlyProperties": ["/properties/Id"],
            "primaryIdentifier": ["/properties/Id"]
        })
    ));
}

#[test]
fn one_of_and_any_of() {
    insta::assert_snapshot!(generated(
        "AWS::Demo::Table",
        json!({
            "typeName": "AWS::Demo::Table",
            "properties": {
                "KeySchema": {"oneOf": [
                    {"type": "array", "items": {"$ref": "#/definitions/Key"}},
                    {"type": ["object", "string"], "format": "json"}
                ]},
                "Format": {"type": "object", "oneOf": [
                    {"properties": {"Simple": {"type": "object", "additionalProperties": false}}},
                    {"properties": {"Partitioned": {"type": "object", "properties": {"Source": {"type": "string", "enum": ["EventTime", "DeliveryTime"]}}}}}
                ]},
                "KmsKey": {"type": "string", "anyOf": [{"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"}]},
                "Capacity": {"type": ["integer", "string"], "minimum": 1}
            },
            "definitions": {"Key": {"type": "object", "properties": {"Name": {"type": "string"}}, "required": ["Name"]}},
            "primaryIdentifier": ["/properties/Name", "/properties/Region"]
        })
    ));
}

#[test]
fn pattern_properties_json_and_policies() {
    insta::assert_snapshot!(generated(
        "AWS::Demo::Queue",
        json!({
            "typeName": "AWS::Demo::Queue",
            "properties": {
                "Variables": {"type": "object", "patternProperties": {"^[a-zA-Z]+$": {"type": "string", "maxLength": 10}}},
                "Limits": {"type": "object", "additionalProperties": {"type": "integer"}},
                "RedrivePolicy": {"type": ["object", "string"]},
                "PolicyDocument": {"type": ["object", "string"]},
                "QueueUrl": {"type": "string"},
                "Attributes": {"type": "array", "items": {"type": "string"}}
            },
            "readOnlyProperties": ["/properties/QueueUrl", "/properties/Attributes"],
            "primaryIdentifier": ["/properties/QueueUrl"]
        })
    ));
}

/// Every property gets a `set_x(Option)` setter named after all other setters, so a schema
/// whose own property is `SetName` keeps its `set_name` setter and `Name`'s option setter
/// takes the next free name; keywords lose their trailing underscore (`set_type`).
#[test]
fn option_setters_never_rename_existing_setters() {
    let schema = json!({
        "typeName": "AWS::Demo::Thing",
        "properties": {
            "Name": {"type": "string"},
            "SetName": {"type": "string"},
            "Type": {"type": "string"},
            "Items": {"type": "array", "items": {"type": "string"}},
            "Options": {"$ref": "#/definitions/Options"}
        },
        "definitions": {"Options": {"type": "object", "properties": {"Mode": {"type": "string"}}}},
        "required": ["Name"]
    });
    let model = build("AWS::Demo::Thing", &schema, &Extras::default()).expect("builds");
    let setters: Vec<(&str, &str, &str)> = model
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.method.as_str(), f.method_set.as_str()))
        .collect();
    assert_eq!(
        setters,
        [
            ("Items", "items", "set_items"),
            ("Name", "name", "set_name2"),
            ("Options", "options", "set_options"),
            ("SetName", "set_name", "set_set_name"),
            ("Type", "type_", "set_type"),
        ]
    );
    let options = &model.structs[0];
    assert_eq!(options.fields[0].method_set, "set_mode");
    // The emitted setter takes an `Option` and removes the property on `None`.
    let code = generated("AWS::Demo::Thing", schema);
    assert!(code.contains("pub fn set_mode(mut self, value: Option<impl nephos::IntoValue<nephos::kind::Str>>) -> Self"), "{code}");
    assert!(code.contains(r#"self.props.remove("Name");"#), "{code}");
    assert!(
        code.contains("impl nephos::PropsBuilder for Thing"),
        "{code}"
    );
    assert!(
        code.contains("impl nephos::PropsBuilder for Options"),
        "{code}"
    );
}
