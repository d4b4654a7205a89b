//! A handle's `Ref` getter returns what CloudFormation's `Ref` returns (the AWS service
//! spec's `cfnRefIdentifier`, dsl/schemas/aws-service-spec/reference.json), and the getter of
//! the primary identifier it replaced reads `Fn::GetAtt`: an EventBridge rule is identified by
//! its ARN, but `Ref` gives its name. Run with `--features events`.
#![cfg(feature = "events")]

use nephos::Stack;
use nephos::events::Rule;
use nephos::kinds::{EventsRuleArn, EventsRuleName};
use serde_json::json;

#[test]
fn an_event_rule_s_ref_is_its_name_and_its_arn_a_get_att() {
    let mut stack = Stack::new("App");
    let rule = stack.add("Nightly", Rule::new().schedule_expression("rate(1 day)"));
    // The types say which is which: a name getter that is the `Ref`, an ARN getter that
    // is `Fn::GetAtt`.
    let name: nephos::Value<EventsRuleName> = rule.name();
    let arn: nephos::Value<EventsRuleArn> = rule.arn();
    assert_eq!(name.to_json(), json!({"Ref": "Nightly"}));
    assert_eq!(arn.to_json(), json!({"Fn::GetAtt": ["Nightly", "Arn"]}));
}
