//! Reading templates in JSON or YAML (including CloudFormation's `!Ref`-style short tags)
//! into one JSON value model.

use serde_json::{Map, Value};
use serde_norway::value::TaggedValue;

/// Parses a template body: JSON if it is JSON, YAML otherwise.
pub fn parse_template(body: &str) -> Result<Value, String> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(body).map_err(|e| format!("invalid JSON template: {e}"));
    }
    let yaml: serde_norway::Value =
        serde_norway::from_str(body).map_err(|e| format!("invalid YAML template: {e}"))?;
    to_json(yaml)
}

fn to_json(v: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| e.to_string())?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    other => serde_norway::to_string(&other)
                        .map_err(|e| e.to_string())?
                        .trim()
                        .to_owned(),
                };
                out.insert(key, to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => short_form(*t)?,
    })
}

/// `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` →
/// `{"Fn::Sub": s}` and so on for every `Fn::` function.
fn short_form(t: TaggedValue) -> Result<Value, String> {
    let tag = t.tag.to_string();
    let name = tag.trim_start_matches('!');
    let inner = to_json(t.value)?;
    let (key, value) = match name {
        "Ref" => ("Ref".to_owned(), inner),
        "Condition" => ("Condition".to_owned(), inner),
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
    Ok(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn json_is_json_and_garbage_is_an_error() {
        assert_eq!(parse_template("{\"A\": 1}"), Ok(json!({"A": 1})));
        assert!(parse_template("{").is_err());
    }
}
