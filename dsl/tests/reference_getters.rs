//! A handle's `Ref` getter returns what CloudFormation's `Ref` returns (the AWS service
//! spec's `cfnRefIdentifier`, dsl/schemas/aws-service-spec/reference.json), and the getter of
//! the primary identifier it replaced reads `Fn::GetAtt`. An EventBridge rule is identified
//! by its ARN, but its `Ref` is `EventBusName|Name` (`orders|nightly` on a custom bus): a
//! kind of its own, neither the rule's name nor its ARN. Run with `--features events`.
#![cfg(feature = "events")]

use nephos::Stack;
use nephos::events::Rule;
use nephos::kinds::{EventsRuleArn, EventsRuleName, EventsRuleRef};
use serde_json::json;

#[test]
fn an_event_rule_s_ref_is_its_own_kind_and_its_name_and_arn_get_atts() {
    let mut stack = Stack::new("App");
    let rule = stack.add(
        "Nightly",
        Rule::new()
            .event_bus_name(nephos::Value::<nephos::kinds::EventsEventBusName>::literal(
                "orders",
            ))
            .schedule_expression("rate(1 day)"),
    );
    // The types say which is which: the composite `Ref`, and the name and ARN by
    // `Fn::GetAtt`, whatever bus the rule is on.
    let reference: nephos::Value<EventsRuleRef> = rule.reference();
    let name: nephos::Value<EventsRuleName> = rule.name();
    let arn: nephos::Value<EventsRuleArn> = rule.arn();
    assert_eq!(reference.to_json(), json!({"Ref": "Nightly"}));
    assert_eq!(
        name.to_json(),
        json!({"Fn::GetAtt": ["Nightly", "RuleName"]})
    );
    assert_eq!(arn.to_json(), json!({"Fn::GetAtt": ["Nightly", "Arn"]}));
}
