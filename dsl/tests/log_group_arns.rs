//! A log group's `Arn` attribute ends with `:*`: it is no plain ARN (`AnyArn`; the
//! compile-fail case `compile_fail_events/log_group_arn_for_rule_target.rs`), and the plain
//! ARN the `ArnKind` diagnostic suggests builds and reads as CloudFormation's own.

use nephos::kind::AnyArn;
use nephos::lambda::Permission;
use nephos::logs::LogGroup;
use nephos::{Stack, Value};

#[test]
fn the_suggested_plain_arn_of_a_log_group_compiles_where_any_arn_is_needed() {
    let mut stack = Stack::new("App");
    let group = stack.add("Audit", LogGroup::new());
    let plain: Value<AnyArn> = nephos::sub(
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${name}",
        [("name", group.name().into_any())],
    )
    .cast::<AnyArn>();
    let permission = Permission::new(
        "lambda:InvokeFunction",
        Value::<nephos::kinds::LambdaFunctionName>::literal("fn"),
        "logs.amazonaws.com",
    )
    .source_arn(plain.clone());
    stack.add("Invoke", permission);
    assert_eq!(
        plain.to_json(),
        serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Audit}"})
    );
    assert!(stack.synth().is_ok());
}
