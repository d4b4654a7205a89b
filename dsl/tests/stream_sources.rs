//! Stream event sources: every option of `StreamTrigger` on a DynamoDB stream and a
//! Kinesis stream, their grants (read, failure destination, keys), dependencies, and
//! the synth errors for what Lambda refuses.

use std::time::Duration;

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::{
    Code, Function, FunctionRef, Key, Queue, Runtime, StartingPosition, StreamFailureDestination,
    StreamTrigger, StreamView, Table, Topic,
};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn errors(stack: &Stack) -> String {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn table_mapping(trigger: StreamTrigger) -> (Stack, J) {
    let mut stack = Stack::new("App");
    let t = stack.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let f = function(&mut stack, "Audit");
    t.stream_to(&mut stack, &f, trigger);
    let j = match stack.synth() {
        Ok(t) => t.json().clone(),
        Err(_) => J::Null,
    };
    (stack, j)
}

#[test]
fn default_trigger_is_latest_batches_of_100() {
    let (_, t) = table_mapping(StreamTrigger::default());
    assert_eq!(
        t["Resources"]["AuditOrdersStream"]["Properties"],
        json!({
            "BatchSize": 100,
            "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
            "FunctionName": {"Ref": "Audit"},
            "StartingPosition": "LATEST"
        })
    );
}

#[test]
fn every_option_is_written_and_the_failure_queue_is_granted() {
    let mut stack = Stack::new("App");
    let t = stack.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let failed = stack.add("Failed", Queue::new());
    let f = function(&mut stack, "Audit");
    t.stream_to(
        &mut stack,
        &f,
        StreamTrigger::new(StartingPosition::TrimHorizon)
            .batch_size(500)
            .batching_window(Duration::from_secs(5))
            .bisect_on_error()
            .retry_attempts(2)
            .max_record_age(Duration::from_secs(600))
            .parallelization_factor(4)
            .tumbling_window(Duration::from_secs(60))
            .on_failure(StreamFailureDestination::Queue(failed.grant_target()))
            .report_batch_item_failures()
            .filter(json!({"eventName": ["INSERT", "MODIFY"]})),
    );
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let j = a.json();
    assert_eq!(
        j["Resources"]["AuditOrdersStream"]["Properties"],
        json!({
            "BatchSize": 500,
            "BisectBatchOnFunctionError": true,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Failed", "Arn"]}}},
            "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
            "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\":[\"INSERT\",\"MODIFY\"]}"}]},
            "FunctionName": {"Ref": "Audit"},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "MaximumBatchingWindowInSeconds": 5,
            "MaximumRecordAgeInSeconds": 600,
            "MaximumRetryAttempts": 2,
            "ParallelizationFactor": 4,
            "StartingPosition": "TRIM_HORIZON",
            "TumblingWindowInSeconds": 60
        })
    );
    let s = j["Resources"]["AuditRole"]["Properties"]["Policies"].to_string();
    assert!(
        s.contains("dynamodb:GetRecords") && s.contains("sqs:SendMessage"),
        "{s}"
    );
    assert!(
        a.dependencies_of("AuditOrdersStream")
            .contains(&"AuditRole".to_string())
    );
}

#[test]
fn failure_topic_is_granted_publish() {
    let mut stack = Stack::new("App");
    let t = stack.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let alerts = stack.add("Alerts", Topic::new());
    let f = function(&mut stack, "Audit");
    t.stream_to(
        &mut stack,
        &f,
        StreamTrigger::default().on_failure(StreamFailureDestination::Topic(alerts.grant_target())),
    );
    let j = stack.synth().unwrap().json().clone();
    assert!(
        j["Resources"]["AuditRole"]["Properties"]["Policies"]
            .to_string()
            .contains("sns:Publish")
    );
}

#[test]
fn schema_ranges_are_checked_at_synth() {
    for (trigger, property) in [
        (StreamTrigger::default().batch_size(0), "BatchSize"),
        (StreamTrigger::default().batch_size(10_001), "BatchSize"),
        (
            StreamTrigger::default().batching_window(Duration::from_secs(301)),
            "MaximumBatchingWindowInSeconds",
        ),
        (
            StreamTrigger::default().retry_attempts(10_001),
            "MaximumRetryAttempts",
        ),
        (
            StreamTrigger::default().max_record_age(Duration::from_secs(604_801)),
            "MaximumRecordAgeInSeconds",
        ),
        (
            StreamTrigger::default().parallelization_factor(11),
            "ParallelizationFactor",
        ),
        (
            StreamTrigger::default().tumbling_window(Duration::from_secs(901)),
            "TumblingWindowInSeconds",
        ),
    ] {
        let (stack, _) = table_mapping(trigger);
        let e = errors(&stack);
        assert!(
            e.contains("AuditOrdersStream") && e.contains(property),
            "{property}: {e}"
        );
    }
    let mut many = StreamTrigger::default();
    for i in 0..21 {
        many = many.filter(json!({"n": [i]}));
    }
    let (stack, _) = table_mapping(many);
    assert!(errors(&stack).contains("Filters"));
}

#[test]
fn what_the_schema_does_not_say_is_checked_too() {
    for (trigger, what) in [
        (
            StreamTrigger::default().max_record_age(Duration::from_secs(59)),
            "under 60 seconds",
        ),
        (
            StreamTrigger::default().batching_window(Duration::from_millis(1500)),
            "whole number of seconds",
        ),
        (
            StreamTrigger::new(StartingPosition::AtTimestamp(1_700_000_000)),
            "only Kinesis",
        ),
        (
            StreamTrigger::default().filter(json!(["not", "an", "object"])),
            "not a JSON object",
        ),
    ] {
        let (stack, _) = table_mapping(trigger);
        let e = errors(&stack);
        assert!(
            e.contains("AuditOrdersStream") && e.contains(what),
            "{what}: {e}"
        );
    }
}

#[cfg(feature = "kinesis")]
mod kinesis {
    use super::*;
    use nephos::constructs::KinesisStream;

    #[test]
    fn a_stream_defaults_to_on_demand_encrypted_and_retained() {
        let mut stack = Stack::new("App");
        stack.add("Clicks", KinesisStream::new());
        let j = stack.synth().unwrap().json().clone();
        let s = &j["Resources"]["Clicks"];
        assert_eq!(s["Type"], "AWS::Kinesis::Stream");
        assert_eq!(
            s["Properties"],
            json!({
                "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
                "StreamModeDetails": {"StreamMode": "ON_DEMAND"}
            })
        );
        assert_eq!(s["DeletionPolicy"], "Retain");
    }

    #[test]
    fn kinesis_trigger_grants_read_and_supports_at_timestamp() {
        let mut stack = Stack::new("App");
        let clicks = stack.add("Clicks", KinesisStream::new().shards(2));
        let f = function(&mut stack, "Counter");
        clicks.stream_to(
            &mut stack,
            &f,
            StreamTrigger::new(StartingPosition::AtTimestamp(1_700_000_000)).batch_size(50),
        );
        let a = Assertions::from_stack(&stack);
        a.assert_no_cycles();
        let j = a.json();
        let m = &j["Resources"]["CounterClicksStream"]["Properties"];
        assert_eq!(m["StartingPosition"], "AT_TIMESTAMP");
        assert_eq!(m["StartingPositionTimestamp"], 1_700_000_000.0);
        assert_eq!(
            m["EventSourceArn"],
            json!({"Fn::GetAtt": ["Clicks", "Arn"]})
        );
        let statements = &j["Resources"]["CounterRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"];
        assert_eq!(
            statements,
            &json!([{
                "Action": [
                    "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                    "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard"
                ],
                "Effect": "Allow",
                "Resource": [{"Fn::GetAtt": ["Clicks", "Arn"]}]
            }])
        );
        assert!(
            a.dependencies_of("CounterClicksStream")
                .contains(&"CounterRole".to_string())
        );
        assert_eq!(j["Resources"]["Clicks"]["Properties"]["ShardCount"], 2);
    }

    #[cfg(feature = "kms")]
    #[test]
    fn a_customer_key_is_covered_by_the_read_grant() {
        let mut stack = Stack::new("App");
        let key = stack.add("StreamKey", nephos::kms::Key::new());
        let clicks = stack.add("Clicks", KinesisStream::new().kms_key(key.arn()));
        let f = function(&mut stack, "Counter");
        clicks.stream_to(&mut stack, &f, StreamTrigger::default());
        let j = stack.synth().unwrap().json().clone();
        let s = j["Resources"]["CounterRole"]["Properties"]["Policies"].to_string();
        assert!(
            s.contains("kms:Decrypt") && s.contains("kinesis.${AWS::Region}.amazonaws.com"),
            "{s}"
        );
    }

    #[test]
    fn retention_under_a_day_is_refused() {
        let mut stack = Stack::new("App");
        stack.add("Clicks", KinesisStream::new().retention_hours(12));
        let e = errors(&stack);
        assert!(
            e.contains("RetentionPeriodHours") && e.contains("minimum of 24"),
            "{e}"
        );
    }
}
