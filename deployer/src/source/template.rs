//! Reading templates in JSON or YAML (including CloudFormation's `!Ref`-style short tags)
//! into one JSON value model, and refusing what CloudFormation refuses before any call.
//!
//! Both readers keep to the same rules: integers wider than 64 bits are read as numbers (as
//! floating point, as `serde_json` reads them in JSON), every `!Tag` becomes its long form,
//! and a template is a mapping with a `Resources` mapping, within CloudFormation's limits.

use nephos::limits::{MAX_RESOURCES, MAX_TEMPLATE_BYTES};
use serde_json::{Map, Value};

/// The deepest nesting of JSON arrays and objects read. CloudFormation documents no limit;
/// generated templates reach a few hundred levels (70 nested `Fn::If` are about 210).
/// Every step after reading walks the template recursively, so the `nephos` binary runs its
/// commands on a thread with [`crate::COMMAND_STACK_BYTES`] of stack, which this depth
/// fits many times over (about 1.5 KB a level in a debug build).
pub const MAX_JSON_DEPTH: usize = 10_000;

/// Parses a template body: JSON if it is JSON, YAML otherwise. Any value shape is read; see
/// [`check_template`] for what makes it a template.
pub fn parse_template(body: &str) -> Result<Value, String> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let depth = json_depth(body);
        if depth > MAX_JSON_DEPTH {
            return Err(format!(
                "invalid JSON template: it nests {depth} levels deep; nephos reads at most {MAX_JSON_DEPTH}"
            ));
        }
        let mut de = serde_json::Deserializer::from_str(body);
        // The depth was bounded above; serde_json's own limit (128) is below what
        // CloudFormation accepts.
        de.disable_recursion_limit();
        // Duplicate keys are refused, as the YAML reader refuses them.
        let v = super::unique_json::deserialize_unique(&mut de)
            .map_err(|e| format!("invalid JSON template: {e}"))?;
        de.end()
            .map_err(|e| format!("invalid JSON template: {e}"))?;
        return Ok(v);
    }
    super::yaml::parse_yaml(body)
}

/// The deepest nesting of `[` and `{` outside strings, counted without recursion.
fn json_depth(body: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in body.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Checks what CloudFormation checks first: at most 1,000,000 bytes, a mapping with a
/// `Resources` mapping of 1 to 500 resources; and that the review can evaluate its values
/// within bounds ([`crate::diff::bounds`]). The error says what was found and the fix.
pub fn check_template(body: &str, template: &Value) -> Result<(), String> {
    if body.len() > MAX_TEMPLATE_BYTES {
        return Err(too_big(body.len()));
    }
    let found = |v: &Value| match v {
        Value::Null => "an empty document",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    };
    let Value::Object(top) = template else {
        return Err(format!(
            "a template is a mapping with a Resources section (found {})",
            found(template)
        ));
    };
    let resources = match top.get("Resources") {
        None => {
            return Err(
                "a template is a mapping with a Resources section (found no Resources)".into(),
            );
        }
        Some(Value::Object(r)) => r,
        Some(other) => {
            return Err(format!(
                "Resources must be a mapping of logical IDs to resources (found {})",
                found(other)
            ));
        }
    };
    if resources.is_empty() {
        return Err("Resources is empty; CloudFormation needs at least one resource".into());
    }
    if resources.len() > MAX_RESOURCES {
        return Err(format!(
            "the template has {} resources; CloudFormation accepts at most {MAX_RESOURCES} (split the stack)",
            resources.len()
        ));
    }
    // What CloudFormation refuses of each resource (the template anatomy's Resources
    // section): logical IDs alphanumeric, at most 255 characters; a mapping with a string
    // `Type`; `Properties`, when present, a mapping.
    for (id, r) in resources {
        let shown = crate::output::escape::escape_line(id);
        if !crate::cfn::answers::is_logical_id(id) {
            return Err(format!(
                "logical ID `{shown}` is not 1-255 letters and digits, as CloudFormation requires"
            ));
        }
        let Value::Object(body) = r else {
            return Err(format!(
                "resource {shown} must be a mapping (found {})",
                found(r)
            ));
        };
        match body.get("Type") {
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err(format!(
                    "resource {shown}: Type must be a string (found {})",
                    found(other)
                ));
            }
            None => return Err(format!("resource {shown} has no Type")),
        }
        if let Some(p) = body.get("Properties")
            && !matches!(p, Value::Object(_))
        {
            return Err(format!(
                "resource {shown}: Properties must be a mapping (found {})",
                found(p)
            ));
        }
    }
    // The review evaluates the intrinsics of every property: bounded, or refused here.
    crate::diff::bounds::check(template)
}

/// The message for a template over [`MAX_TEMPLATE_BYTES`].
pub fn too_big(len: usize) -> String {
    format!(
        "the template is {len} bytes; CloudFormation accepts at most {MAX_TEMPLATE_BYTES} (split the stack)"
    )
}

/// `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}` (the attribute
/// may itself hold dots: `!GetAtt Db.Endpoint.Address`), `!Condition C` →
/// `{"Condition": "C"}`, and `!Name v` → `{"Fn::Name": v}` for every other function.
pub(crate) fn short_form(tag: &str, inner: Value) -> Value {
    let name = tag.trim_start_matches('!');
    let (key, value) = match name {
        "Ref" | "Condition" => (name.to_owned(), inner),
        "GetAtt" => {
            let v = match inner {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => {
                        Value::Array(vec![Value::String(a.into()), Value::String(b.into())])
                    }
                    None => Value::String(s),
                },
                other => other,
            };
            ("Fn::GetAtt".to_owned(), v)
        }
        other => (format!("Fn::{other}"), inner),
    };
    let mut m = Map::new();
    m.insert(key, value);
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resources_cloudformation_refuses_are_refused_naming_them() {
        for (template, want) in [
            (
                serde_json::json!({"Resources": {"A": null}}),
                "resource A must be a mapping",
            ),
            (
                serde_json::json!({"Resources": {"A": {"Type": 5}}}),
                "resource A: Type must be a string",
            ),
            (
                serde_json::json!({"Resources": {"A": {"Properties": {}}}}),
                "resource A has no Type",
            ),
            (
                serde_json::json!({"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": [1]}}}),
                "resource A: Properties must be a mapping",
            ),
            (
                serde_json::json!({"Resources": {"My-Queue": {"Type": "AWS::SQS::Queue"}}}),
                "logical ID `My-Queue` is not 1-255 letters and digits",
            ),
            (
                serde_json::json!({"Resources": {"A\u{1b}[8m": {"Type": "AWS::SQS::Queue"}}}),
                "logical ID `A\\x1b[8m`",
            ),
        ] {
            let body = template.to_string();
            let err = check_template(&body, &template).expect_err(want);
            assert!(err.contains(want), "{want}: {err}");
        }
    }

    #[test]
    fn yaml_short_forms_become_intrinsics() {
        let y = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-q'\n      Arn: !GetAtt T.Arn\n      Other: !Ref T\n";
        let v = parse_template(y).unwrap_or_default();
        assert_eq!(
            v["Resources"]["Q"]["Properties"],
            json!({"QueueName": {"Fn::Sub": "${AWS::StackName}-q"}, "Arn": {"Fn::GetAtt": ["T", "Arn"]}, "Other": {"Ref": "T"}})
        );
    }

    #[test]
    fn every_short_form_tag_is_read() {
        let y = "A: !If [C, !GetAtt Db.Endpoint.Address, !Ref AWS::NoValue]\nB: !Join ['', [!Select [0, !GetAZs ''], !Base64 x]]\nC: !Condition IsProd\nD: !Equals [!FindInMap [M, a, b], !ImportValue e]\nE: !And [!Not [!Or [!Condition x, !Condition y]]]\nF: !Split [',', !Cidr [!Ref V, 2, 8]]\nG: !Transform {Name: n}\n";
        let v = parse_template(y).unwrap_or_default();
        assert_eq!(
            v["A"],
            json!({"Fn::If": ["C", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}, {"Ref": "AWS::NoValue"}]})
        );
        assert_eq!(
            v["B"],
            json!({"Fn::Join": ["", [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::Base64": "x"}]]})
        );
        assert_eq!(v["C"], json!({"Condition": "IsProd"}));
        assert_eq!(
            v["D"],
            json!({"Fn::Equals": [{"Fn::FindInMap": ["M", "a", "b"]}, {"Fn::ImportValue": "e"}]})
        );
        assert_eq!(
            v["E"],
            json!({"Fn::And": [{"Fn::Not": [{"Fn::Or": [{"Condition": "x"}, {"Condition": "y"}]}]}]})
        );
        assert_eq!(
            v["F"],
            json!({"Fn::Split": [",", {"Fn::Cidr": [{"Ref": "V"}, 2, 8]}]})
        );
        assert_eq!(v["G"], json!({"Fn::Transform": {"Name": "n"}}));
    }

    #[test]
    fn integers_of_any_width_are_read_alike_in_json_and_yaml() {
        for digits in [
            "123456789012345678901234567890",
            "-123456789012345678901234567890",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            let y = parse_template(&format!("A: {digits}\n"));
            let j = parse_template(&format!("{{\"A\": {digits}}}"));
            assert!(y.is_ok(), "{digits}: {y:?}");
            assert_eq!(y, j, "{digits}");
        }
        // Wider than 128 bits: both read a number (each parser rounds on its own).
        let wide = "1234567890123456789012345678901234567890123";
        for body in [format!("A: {wide}"), format!("{{\"A\": {wide}}}")] {
            let v = parse_template(&body).unwrap_or_default();
            assert!(v["A"].as_f64().is_some_and(|f| f > 1.2e42), "{body}: {v}");
        }
    }

    #[test]
    fn json_deeper_than_serde_s_128_levels_is_read_and_beyond_the_bound_refused() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        // As the binary runs commands: on a thread with the command stack.
        let read = std::thread::Builder::new()
            .stack_size(crate::COMMAND_STACK_BYTES)
            .spawn(move || parse_template(&deep(MAX_JSON_DEPTH)).is_ok())
            .map(|t| t.join().unwrap_or(false))
            .unwrap_or(false);
        assert!(read);
        let err = parse_template(&deep(MAX_JSON_DEPTH + 1)).unwrap_err();
        assert!(err.contains("nests 10001 levels"), "{err}");
        // Brackets inside strings do not count.
        assert_eq!(json_depth(r#"{"a": "[[[[\"[["}"#), 1);
    }

    #[test]
    fn json_is_json_and_garbage_is_an_error() {
        assert_eq!(parse_template("{\"A\": 1}"), Ok(json!({"A": 1})));
        assert!(parse_template("{").is_err());
        assert!(parse_template("{} trailing").is_err());
    }

    #[test]
    fn only_a_mapping_with_resources_within_the_limits_is_a_template() {
        let check = |body: &str| parse_template(body).and_then(|v| check_template(body, &v));
        assert!(check("").unwrap_err().contains("found an empty document"));
        assert!(check("[1,2,3]").unwrap_err().contains("found a list"));
        assert!(check("\"hello\"").unwrap_err().contains("found a string"));
        assert!(
            check("{\"Outputs\": {}}")
                .unwrap_err()
                .contains("found no Resources")
        );
        assert!(
            check("Resources: [a]")
                .unwrap_err()
                .contains("Resources must be a mapping")
        );
        assert!(
            check("Resources: {}")
                .unwrap_err()
                .contains("at least one resource")
        );
        let many: Map<String, Value> = (0..=MAX_RESOURCES)
            .map(|i| (format!("Q{i}"), json!({"Type": "AWS::SQS::Queue"})))
            .collect();
        let body = json!({ "Resources": many }).to_string();
        assert!(check(&body).unwrap_err().contains("501 resources"));
        let big = format!(
            "{{\"Resources\": {{\"Q\": {{\"Type\": \"AWS::SQS::Queue\"}}}}, \"Description\": \"{}\"}}",
            "x".repeat(MAX_TEMPLATE_BYTES)
        );
        assert!(
            check(&big)
                .unwrap_err()
                .contains("CloudFormation accepts at most 1000000")
        );
        assert!(check("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n").is_ok());
    }
}
