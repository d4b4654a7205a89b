//! Order independence: the same stack written in another call order gives the same bytes.

use nephos::constructs::{Bucket, Code, Function, Key, Runtime, Table};
use nephos::{Diagnostic, RawResource, Stack};

fn tagged(order: &[&str]) -> String {
    let mut stack = Stack::new("Tags");
    let mut f = Function::new(Runtime::Python312, "index.handler", Code::inline("x"));
    let mut b = Bucket::new();
    let mut t = Table::new(Key::string("id"));
    let mut raw = RawResource::new("AWS::SQS::Queue");
    let mut raw_tags = Vec::new();
    for k in order {
        f = f.tag(*k, "v");
        b = b.tag(*k, "v");
        t = t.tag(*k, "v");
        raw_tags.push(serde_json::json!({"Key": k, "Value": "v"}));
    }
    raw = raw.property("Tags", serde_json::Value::Array(raw_tags));
    stack.add("F", f);
    stack.add("B", b);
    stack.add("T", t);
    stack.add("Q", raw);
    stack.synth().unwrap().to_json_pretty()
}

#[test]
fn tags_are_written_sorted_by_key_whatever_the_call_order() {
    let a = tagged(&["team", "app", "cost-center"]);
    let b = tagged(&["app", "cost-center", "team"]);
    assert_eq!(a, b);
    let j: serde_json::Value = serde_json::from_str(&a).unwrap();
    for id in ["F", "B", "T", "Q"] {
        let keys: Vec<&str> = j["Resources"][id]["Properties"]["Tags"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} has tags"))
            .iter()
            .map(|t| t["Key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["app", "cost-center", "team"], "{id}");
    }
}

#[test]
fn a_tag_key_given_twice_is_a_synth_error() {
    let mut stack = Stack::new("Tags");
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .tag("team", "a")
            .tag("team", "b"),
    );
    let e: Vec<String> = stack
        .synth()
        .unwrap_err()
        .diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect();
    assert!(
        e.iter().any(|d| d.contains("resource `F` property `Tags`")
            && d.contains("tag key `team` is given twice")),
        "{e:?}"
    );
}
