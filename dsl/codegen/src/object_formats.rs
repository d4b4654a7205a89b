//! A resource `format` on an object: it says which member refers to the resource.
//!
//! A format names one attribute, a string. Where cfn-lint puts one on an object (a spot
//! fleet's `GroupIdentifier`, `{"GroupId": ...}`, reached through the plural
//! `SecurityGroups: AWS::EC2::SecurityGroup.Ids` list; an S3 destination
//! `{"BucketName": ..., "Prefix": ...}` with `AWS::S3::Bucket.Name`) the object cannot take
//! the kind and the string inside stayed plain, so any string compiled there. [`carry`]
//! moves the format to the member that holds the value: the one named after the attribute
//! (`BucketName` for `Bucket.Name`), else the object's only member when it is a string.
//! Otherwise the format fits no member (Lex's `S3BucketLogDestination` holds a bucket's
//! *ARN*, not the `Bucket.Name` its format says) and is left off.

use serde_json::Value;

/// Moves each object-level resource format of `schema` (in definitions and nested
/// properties) to the member it names; returns the JSON pointers of the members that took
/// one, in order.
pub fn carry(schema: &mut Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(schema, String::new(), &mut out);
    out
}

fn walk(node: &mut Value, at: String, out: &mut Vec<String>) {
    let Some(map) = node.as_object_mut() else {
        return;
    };
    let is_object = map.get("type").and_then(Value::as_str) == Some("object")
        || map.get("properties").is_some_and(Value::is_object);
    let format = map
        .get("format")
        .and_then(Value::as_str)
        .filter(|f| f.starts_with("AWS::") && f.contains('.'))
        .map(str::to_string);
    if let (true, Some(format)) = (is_object, format) {
        map.remove("format");
        if let Some(member) = member_for(map, &format)
            && let Some(m) = map
                .get_mut("properties")
                .and_then(|p| p.get_mut(&member))
                .and_then(Value::as_object_mut)
        {
            m.insert("format".into(), Value::String(format));
            out.push(format!("{at}/properties/{member}"));
        }
    }
    let keys: Vec<String> = map.keys().cloned().collect();
    for k in keys {
        if let Some(child) = map.get_mut(&k) {
            walk(child, format!("{at}/{k}"), out);
        }
    }
}

/// The member of an object with `properties` that a format such as `AWS::S3::Bucket.Name`
/// names: `BucketName`, else the only member if it is a string without a format of its own.
fn member_for(map: &serde_json::Map<String, Value>, format: &str) -> Option<String> {
    let props = map.get("properties")?.as_object()?;
    let (type_name, attr) = format.split_once('.')?;
    let resource = type_name.rsplit("::").next()?;
    let plain_string = |n: &Value| {
        n.get("type").and_then(Value::as_str) == Some("string") && n.get("format").is_none()
    };
    let named = format!("{resource}{attr}");
    if props.get(&named).is_some_and(plain_string) {
        return Some(named);
    }
    match props.iter().collect::<Vec<_>>()[..] {
        [(name, only)] if plain_string(only) => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_format_goes_to_the_member_it_names() {
        let mut schema = json!({"definitions": {
            "GroupIdentifier": {"type": "object", "format": "AWS::EC2::SecurityGroup.Id",
                "properties": {"GroupId": {"type": "string"}}},
            "S3Bucket": {"type": "object", "format": "AWS::S3::Bucket.Name",
                "properties": {"BucketName": {"type": "string"}, "Prefix": {"type": "string"}}},
            "LogDestination": {"type": "object", "format": "AWS::S3::Bucket.Name",
                "properties": {"S3BucketArn": {"type": "string"}, "LogPrefix": {"type": "string"}}}
        }});
        let moved = carry(&mut schema);
        assert_eq!(
            moved,
            [
                "/definitions/GroupIdentifier/properties/GroupId",
                "/definitions/S3Bucket/properties/BucketName"
            ]
        );
        let d = &schema["definitions"];
        assert_eq!(
            d["GroupIdentifier"]["properties"]["GroupId"]["format"],
            "AWS::EC2::SecurityGroup.Id"
        );
        assert!(d["GroupIdentifier"].get("format").is_none());
        assert!(
            d["S3Bucket"]["properties"]["Prefix"]
                .get("format")
                .is_none()
        );
        // Fits no member: dropped from the object, given to none.
        assert!(d["LogDestination"].get("format").is_none());
        assert!(
            d["LogDestination"]["properties"]["S3BucketArn"]
                .get("format")
                .is_none()
        );
    }
}
