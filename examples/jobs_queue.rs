//! A work queue with a dead-letter queue, fed by an SNS topic, written with raw
//! resources: the escape hatch works for any CloudFormation type.
//!
//! Shows parameters, a mapping, a condition, resource attributes (retention, a
//! conditional alarm), a queue policy scoped to the topic, and an exported output.
//!
//! Run: `cargo run --example jobs_queue` writes the assembly to `nephos.out/`.

use std::process::ExitCode;

use nephos::kind::Str;
use nephos::{
    App, Mapping, Output, Parameter, RawResource, Stack, StackSettings, Value, equals, sub, value,
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
            .entry("prod", "Seconds", "1209600"),
    );
    let is_prod = stack.condition("IsProd", equals(&env, "prod"));

    let dead_letters = stack.add(
        "DeadLetterQueue",
        RawResource::new("AWS::SQS::Queue")
            .property("MessageRetentionPeriod", 1_209_600)
            .property("SqsManagedSseEnabled", true),
    );
    stack.resource(&dead_letters).retain();
    let dead_letters_arn: Value<Str> = dead_letters.get_att("Arn");
    let dead_letters_name: Value<Str> = dead_letters.get_att("QueueName");

    let queue = stack.add(
        "JobsQueue",
        RawResource::new("AWS::SQS::Queue")
            .property("QueueName", sub!("jobs-${env}", env = &env))
            .property("VisibilityTimeout", 60)
            .property("SqsManagedSseEnabled", true)
            .property(
                "MessageRetentionPeriod",
                retention.find::<Str>(&env, "Seconds"),
            )
            .property(
                "RedrivePolicy",
                value!({ "deadLetterTargetArn": &dead_letters_arn, "maxReceiveCount": 5 }),
            ),
    );
    stack.resource(&queue).retain();
    let queue_arn: Value<Str> = queue.get_att("Arn");
    let queue_url: Value<Str> = queue.ref_value();

    let topic = stack.add(
        "JobsTopic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", "Jobs"),
    );
    let topic_arn: Value<Str> = topic.ref_value();

    stack.add(
        "JobsSubscription",
        RawResource::new("AWS::SNS::Subscription")
            .property("Protocol", "sqs")
            .property("TopicArn", &topic_arn)
            .property("Endpoint", &queue_arn)
            .property("RawMessageDelivery", true),
    );
    stack.add(
        "JobsQueuePolicy",
        RawResource::new("AWS::SQS::QueuePolicy")
            .property("Queues", vec![&queue_url])
            .property(
                "PolicyDocument",
                value!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": { "Service": "sns.amazonaws.com" },
                        "Action": "sqs:SendMessage",
                        "Resource": &queue_arn,
                        "Condition": { "ArnEquals": { "aws:SourceArn": &topic_arn } },
                    }],
                }),
            ),
    );

    let alarm = stack.add(
        "DeadLettersAlarm",
        RawResource::new("AWS::CloudWatch::Alarm")
            .property(
                "AlarmDescription",
                "Messages are failing into the dead-letter queue",
            )
            .property("Namespace", "AWS/SQS")
            .property("MetricName", "ApproximateNumberOfMessagesVisible")
            .property(
                "Dimensions",
                value!([{ "Name": "QueueName", "Value": &dead_letters_name }]),
            )
            .property("Statistic", "Maximum")
            .property("Period", 300)
            .property("EvaluationPeriods", 1)
            .property("Threshold", 1)
            .property("ComparisonOperator", "GreaterThanOrEqualToThreshold")
            .property("AlarmActions", vec![&topic_arn]),
    );
    stack.resource(&alarm).condition(&is_prod);

    stack.output(
        "JobsQueueUrl",
        Output::new(queue_url)
            .description("URL of the jobs queue")
            .export(sub!("${AWS::StackName}-jobs-queue-url")),
    );
    stack.output(
        "JobsTopicArn",
        Output::new(topic_arn).description("Publish jobs here"),
    );
    stack
}

/// The app: one stack, deployed as `jobs-queue-dev`.
pub fn app() -> App {
    let mut app = App::new();
    app.stack(
        stack(),
        StackSettings::new("jobs-queue-dev").parameter("Environment", "dev"),
    );
    app
}

fn main() -> ExitCode {
    app().run()
}
