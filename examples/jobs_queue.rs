//! A work queue with a dead-letter queue, fed by an SNS topic, written with the
//! generated resource types (one per CloudFormation type; no constructs).
//!
//! Shows parameters, a mapping, a condition, resource attributes (retention, a
//! conditional alarm), a queue policy scoped to the topic, and an exported output.
//! Every property is typed: the subscription's `TopicArn` takes only a topic ARN, the
//! alarm's `Statistic` only a statistic.
//!
//! Run: `cargo run --example jobs_queue` writes the assembly to `nephos.out/`.

use std::process::ExitCode;

use nephos::cloudwatch::alarm::{ComparisonOperator, Dimension, Statistic};
use nephos::kind::Int;
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{
    App, Mapping, Output, Parameter, Stack, StackSettings, cloudwatch, equals, sns, sqs, sub,
};

/// The stack: everything the example deploys.
pub fn stack() -> Stack {
    let mut stack = Stack::new("JobsQueue");
    stack.description("Work queue with a dead-letter queue, fed by an SNS topic");

    let env = stack.parameter(
        "Environment",
        Parameter::string()
            .description("Deployment environment")
            .allowed_values(["dev", "prod"])
            .default("dev"),
    );
    let retention = stack.mapping(
        "Retention",
        Mapping::new()
            .entry("dev", "Seconds", "345600")
            .entry("prod", "Seconds", "604800"),
    );
    let is_prod = stack.condition("IsProd", equals(&env, "prod"));

    let dead_letters = stack.add(
        "DeadLetterQueue",
        sqs::Queue::new()
            .message_retention_period(1_209_600)
            .sqs_managed_sse_enabled(true),
    );
    stack.resource(&dead_letters).retain();

    let queue = stack.add(
        "JobsQueue",
        sqs::Queue::new()
            .queue_name(sub!("jobs-${env}", env = &env))
            .visibility_timeout(60)
            .sqs_managed_sse_enabled(true)
            .message_retention_period(retention.find::<Int>(&env, "Seconds"))
            .redrive_policy(
                sqs::queue::RedrivePolicy::new()
                    .dead_letter_target_arn(dead_letters.arn())
                    .max_receive_count(5),
            ),
    );
    stack.resource(&queue).retain();

    let topic = stack.add("JobsTopic", sns::Topic::new().display_name("Jobs"));
    stack.add(
        "JobsSubscription",
        sns::Subscription::new("sqs", topic.arn())
            .endpoint(queue.arn())
            .raw_message_delivery(true),
    );
    stack.add(
        "JobsQueuePolicy",
        sqs::QueuePolicy::new(
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("sns.amazonaws.com"))
                    .action("sqs:SendMessage")
                    .resource(queue.arn())
                    .condition("ArnEquals", "aws:SourceArn", topic.arn()),
            ),
            vec![queue.url()],
        ),
    );

    let alarm = stack.add(
        "DeadLettersAlarm",
        cloudwatch::Alarm::new()
            .alarm_description("Messages are failing into the dead-letter queue")
            .namespace("AWS/SQS")
            .metric_name("ApproximateNumberOfMessagesVisible")
            .add_dimensions(Dimension::new("QueueName", dead_letters.name()))
            .statistic(Statistic::Maximum)
            .period(300)
            .evaluation_periods(1)
            .threshold(1)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .add_alarm_actions(topic.arn()),
    );
    stack.resource(&alarm).condition(&is_prod);

    stack.output(
        "JobsQueueUrl",
        Output::new(queue.url())
            .description("URL of the jobs queue")
            .export(sub!("${AWS::StackName}-jobs-queue-url")),
    );
    stack.output(
        "JobsTopicArn",
        Output::new(topic.arn()).description("Publish jobs here"),
    );
    stack
}

/// The app: one stack, deployed as `jobs-queue-dev`.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(
        stack(),
        StackSettings::new("jobs-queue-dev").parameter("Environment", "dev"),
    );
    app
}

fn main() -> ExitCode {
    app().run()
}
