//! The JSON shape of every intrinsic function and pseudo parameter.

use nephos::kind::{Int, Json, List, Str};
use nephos::{
    Mapping, Parameter, RawResource, Stack, Transform, Value, and, aws, base64, cidr, equals,
    fn_if, get_azs, import_value, join, length, not, or, select, split, sub, to_json_string,
};
use serde_json::json;

fn stack_with_queue() -> (Stack, nephos::ResourceRef) {
    let mut stack = Stack::new("T");
    let q = stack.add("Queue", RawResource::new("AWS::SQS::Queue"));
    (stack, q)
}

#[test]
fn ref_and_get_att() {
    let (_, q) = stack_with_queue();
    assert_eq!(q.ref_value::<Str>().to_json(), json!({"Ref": "Queue"}));
    assert_eq!(
        q.get_att::<Str>("Arn").to_json(),
        json!({"Fn::GetAtt": ["Queue", "Arn"]})
    );
}

#[test]
fn every_pseudo_parameter() {
    let cases: [(Value<Str>, &str); 6] = [
        (aws::account_id(), "AWS::AccountId"),
        (aws::region(), "AWS::Region"),
        (aws::stack_name(), "AWS::StackName"),
        (aws::stack_id(), "AWS::StackId"),
        (aws::partition(), "AWS::Partition"),
        (aws::url_suffix(), "AWS::URLSuffix"),
    ];
    for (value, name) in cases {
        assert_eq!(value.to_json(), json!({ "Ref": name }));
        assert!(!value.is_literal());
    }
    assert_eq!(
        aws::notification_arns().to_json(),
        json!({"Ref": "AWS::NotificationARNs"})
    );
}

#[test]
fn sub_inlines_references_and_names_the_rest() {
    let (_, q) = stack_with_queue();
    let short = sub!(
        "${AWS::Region}/${name}/${arn}/${url}",
        name = q.get_att::<Str>("QueueName"),
        arn = q.get_att::<Str>("Arn"),
        url = q.ref_value::<Str>()
    );
    assert_eq!(
        short.to_json(),
        json!({"Fn::Sub": "${AWS::Region}/${Queue.QueueName}/${Queue.Arn}/${Queue}"})
    );
    let long = sub!("x-${joined}", joined = join("-", vec!["a", "b"]));
    assert_eq!(
        long.to_json(),
        json!({"Fn::Sub": ["x-${joined}", {"joined": {"Fn::Join": ["-", ["a", "b"]]}}]})
    );
}

#[test]
fn sub_escapes_literal_placeholders() {
    let v = sub!("${!Literal}-${AWS::Region}-${text}", text = "a${b}");
    assert_eq!(
        v.to_json(),
        json!({"Fn::Sub": "${!Literal}-${AWS::Region}-a${!b}"})
    );
    // Nothing left to substitute: the plain string, escapes read back (cfn-lint W1020).
    let plain = sub!("${!Literal}-${text}", text = "a${b}");
    assert_eq!(plain.to_json(), json!("${Literal}-a${b}"));
}

#[test]
fn join_select_split() {
    assert_eq!(
        join(",", split(":", "a:b")).to_json(),
        json!({"Fn::Join": [",", {"Fn::Split": [":", "a:b"]}]})
    );
    let second: Value<Str> = select(1, vec!["a", "b"]);
    assert_eq!(second.to_json(), json!({"Fn::Select": [1, ["a", "b"]]}));
}

#[test]
fn if_with_no_value_and_condition_functions() {
    let mut stack = Stack::new("T");
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    let v: Value<Int> = fn_if(&prod, 1024, Value::<Int>::no_value());
    assert_eq!(
        v.to_json(),
        json!({"Fn::If": ["Prod", 1024, {"Ref": "AWS::NoValue"}]})
    );
    let c = and([or([equals(&env, "a"), equals(&env, "b")]), not(&prod)]);
    assert_eq!(
        c.to_json(),
        json!({"Fn::And": [
            {"Fn::Or": [{"Fn::Equals": [{"Ref": "Env"}, "a"]}, {"Fn::Equals": [{"Ref": "Env"}, "b"]}]},
            {"Fn::Not": [{"Condition": "Prod"}]}
        ]})
    );
}

#[test]
fn find_in_map_with_and_without_default() {
    let mut stack = Stack::new("T");
    let m = stack.mapping("Sizes", Mapping::new().entry("dev", "Mem", "128"));
    assert_eq!(
        m.find::<Str>(aws::region(), "Mem").to_json(),
        json!({"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "Mem"]})
    );
    assert_eq!(
        m.find_or::<Str>("x", "Mem", "64").to_json(),
        json!({"Fn::FindInMap": ["Sizes", "x", "Mem", {"DefaultValue": "64"}]})
    );
}

#[test]
fn import_azs_base64_cidr() {
    let v: Value<Str> = import_value(sub!("${AWS::StackName}-x"));
    assert_eq!(
        v.to_json(),
        json!({"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}})
    );
    assert_eq!(
        get_azs(aws::region()).to_json(),
        json!({"Fn::GetAZs": {"Ref": "AWS::Region"}})
    );
    assert_eq!(base64("hi").to_json(), json!({"Fn::Base64": "hi"}));
    assert_eq!(
        cidr("10.0.0.0/16", 2, 8).to_json(),
        json!({"Fn::Cidr": ["10.0.0.0/16", 2, 8]})
    );
}

#[test]
fn language_extension_functions() {
    let mut stack = Stack::new("T");
    stack.transform(Transform::LanguageExtensions);
    let list = stack.parameter("Names", Parameter::comma_delimited_list());
    let n = length(&list);
    assert_eq!(n.to_json(), json!({"Fn::Length": {"Ref": "Names"}}));
    let s = to_json_string(json!({"k": [1, 2]}));
    assert_eq!(s.to_json(), json!({"Fn::ToJsonString": {"k": [1, 2]}}));
    stack.add(
        "Q",
        RawResource::new("AWS::SQS::Queue")
            .property("DelaySeconds", n)
            .property("QueueName", s),
    );
    let t = stack.synth().unwrap();
    assert_eq!(t.json()["Transform"], json!("AWS::LanguageExtensions"));
}

#[test]
fn literals_are_literals_and_intrinsics_are_not() {
    let list: Value<List<Str>> = nephos::IntoValue::into_value(vec!["a", "b"]);
    assert!(list.is_literal());
    let mixed: Value<List<Str>> = nephos::IntoValue::into_value(vec![aws::region()]);
    assert!(!mixed.is_literal());
    let doc: Value<Json> = nephos::IntoValue::into_value(json!({"a": 1}));
    assert_eq!(doc.literal_json(), Some(json!({"a": 1})));
}
