//! A literal `${AWS::AccountId}` or `${Param}` outside `Fn::Sub` is kept as text by
//! CloudFormation; synth warns, naming the resource, the property path and `sub!` (the
//! attack on issue 13, F11; cfn-lint E1029).

use nephos::{Parameter, RawResource, Severity, Stack, sub};

fn warnings(stack: &Stack) -> Vec<String> {
    let t = stack.synth().expect("synthesizes: the text is valid");
    t.warnings()
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_pseudo_parameter_or_parameter_in_plain_text_is_flagged_with_the_fix() {
    let mut stack = Stack::new("App");
    stack.parameter("Env", Parameter::string());
    stack.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "${AWS::AccountId}")
            .property(
                "Tags",
                serde_json::json!([{"Key": "env", "Value": "app-${Env}"}]),
            ),
    );
    let w = warnings(&stack);
    assert!(
        w.iter()
            .any(|w| w.contains("resource `Sg` property `GroupDescription`")
                && w.contains("`${AWS::AccountId}` is outside Fn::Sub")
                && w.contains("`sub!`")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("property `Tags[0].Value`") && w.contains("`${Env}`")),
        "{w:?}"
    );
}

#[test]
fn sub_text_policy_variables_and_unknown_names_are_not_flagged() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", sub!("in ${AWS::AccountId}"))
            .property("VpcId", "home/${aws:username} ${Unknown}"),
    );
    let w = warnings(&stack);
    assert!(!w.iter().any(|w| w.contains("outside Fn::Sub")), "{w:?}");
}
