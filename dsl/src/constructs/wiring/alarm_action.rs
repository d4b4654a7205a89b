//! CloudWatch alarms notifying an SNS topic: the topic in the alarm's actions, a
//! statement in the topic's policy letting CloudWatch publish on behalf of this alarm
//! only, and, for a topic with a customer-managed key, CloudWatch allowed on the key
//! (Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms", SNS topics
//! encrypted with KMS keys, and the confused-deputy conditions of its SNS topic policy).

use crate::cloudwatch::AlarmHandle;
use crate::constructs::wiring::TopicEnd;
use crate::constructs::wiring::key_policy::allow_service;
use crate::constructs::wiring::list_property::append;
use crate::constructs::wiring::resource_policy::add_statement;
use crate::policy::{Principal, Statement};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

/// CloudWatch's service principal.
const CLOUDWATCH: &str = "cloudwatch.amazonaws.com";

/// Adds `topic` to the alarm's `actions` (`AlarmActions`, `OKActions` or
/// `InsufficientDataActions`) with the topic and key policy statements CloudWatch needs
/// to publish to it.
pub fn notify(stack: &mut Stack, alarm: &AlarmHandle, topic: &impl TopicEnd, actions: &str) {
    let aid = alarm.resource_ref().logical_id().to_string();
    let tid = topic.resource_ref().logical_id().to_string();
    if crate::constructs::wiring::fifo::refuse_fifo_topic(
        stack,
        topic.resource_ref(),
        &format!(
            "and alarm `{aid}` would publish to it with no message group, which SNS refuses for a FIFO topic (Amazon SNS API Reference, `Publish`, `MessageGroupId`): every notification of the alarm would fail"
        ),
        "notify a standard topic",
    ) {
        return;
    }
    // The action first: the key policy's scope is chosen from what the alarm refers to
    // (the alarm refers to the topic, the topic to its key, so scoping the key to the
    // alarm's ARN would be a cycle; the account scope is used then).
    append(
        stack,
        alarm.resource_ref(),
        actions,
        topic.topic_arn().into_any(),
        &format!("topic `{tid}`"),
    );
    add_statement(
        stack,
        topic,
        Statement::allow()
            .principal(Principal::service(CLOUDWATCH))
            .action("sns:Publish")
            .resource(topic.topic_arn())
            .condition("ArnEquals", "aws:SourceArn", alarm.arn()),
    );
    if let Some(key) = topic.topic_key() {
        allow_service(
            stack,
            &key,
            CLOUDWATCH,
            &format!("alarm `{aid}`"),
            alarm.arn().into_value(),
            &format!("topic `{tid}`"),
        );
    }
}
