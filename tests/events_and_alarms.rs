//! EventBridge rules (patterns, schedules, targets), EventBridge Scheduler jobs and
//! CloudWatch alarms from the constructs' metrics: the permissions and policies each
//! target needs, their scope, the absence of cycles, the defaults, and the synth errors
//! for what the services refuse. (In the root package, which enables `events`,
//! `scheduler` and `cloudwatch`.)

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::cloudwatch::alarm::{ComparisonOperator, TreatMissingData};
use nephos::constructs::metrics::{AlarmOptions, Metric};
use nephos::constructs::timing::Schedule;
use nephos::constructs::{
    Bucket, Cmp, Code, EventPattern, EventTarget, Function, FunctionRef, HttpApi, JobTarget, Key,
    Match, Queue, RestApi, Rule, Runtime, ScheduledJob, Table, Topic,
};
use nephos::kinds::KmsKeyArn;
use nephos::{RawResource, ResourceRef, Stack, Value};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn key(stack: &mut Stack, id: &str) -> Value<KmsKeyArn> {
    let k: ResourceRef = stack.add(id, RawResource::new("AWS::KMS::Key"));
    k.get_att("Arn")
}

fn template(stack: &Stack) -> J {
    stack
        .synth()
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"))
        .json()
        .clone()
}

fn error(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

fn nightly() -> Rule {
    Rule::schedule(Schedule::cron("0 2 * * ? *"))
}

#[test]
fn a_rule_invokes_a_function_through_a_permission_scoped_to_the_rule() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Job");
    let rule = stack.add("Nightly", nightly());
    rule.target_function(&mut stack, &f, EventTarget::new());
    // Wired twice with the same settings: one permission, one target.
    rule.target_function(&mut stack, &f, EventTarget::new());
    let t = template(&stack);
    let r = props(&t, "Nightly");
    assert_eq!(r["ScheduleExpression"], "cron(0 2 * * ? *)");
    assert_eq!(r["State"], "ENABLED");
    assert_eq!(
        r["Targets"],
        json!([{ "Arn": { "Fn::GetAtt": ["Job", "Arn"] }, "Id": "Job" }])
    );
    assert_eq!(
        props(&t, "JobNightlyPermission"),
        &json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": { "Fn::GetAtt": ["Job", "Arn"] },
            "Principal": "events.amazonaws.com",
            "SourceArn": { "Fn::GetAtt": ["Nightly", "Arn"] },
        })
    );
    let a = Assertions::from_json(t.clone());
    a.resource_count_is("AWS::Lambda::Permission", 1);
    a.assert_no_cycles();
}

#[test]
fn a_rule_sends_to_a_queue_and_a_topic_under_their_policies_scoped_to_the_rule() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let topic = stack.add("Alerts", Topic::new());
    let rule = stack.add(
        "Stopped",
        Rule::on_pattern(
            EventPattern::new()
                .source("aws.ec2")
                .detail_type("EC2 Instance State-change Notification")
                .detail("state", Match::exact("stopped")),
        ),
    );
    rule.target_queue(&mut stack, &q, EventTarget::new());
    rule.target_topic(&mut stack, &topic, EventTarget::new());
    let t = template(&stack);
    assert_eq!(
        props(&t, "Stopped")["EventPattern"],
        json!({
            "detail": { "state": ["stopped"] },
            "detail-type": ["EC2 Instance State-change Notification"],
            "source": ["aws.ec2"],
        })
    );
    let queue_statement = &props(&t, "JobsPolicy")["PolicyDocument"]["Statement"][0];
    assert_eq!(
        queue_statement["Principal"],
        json!({ "Service": ["events.amazonaws.com"] })
    );
    assert_eq!(queue_statement["Action"], json!(["sqs:SendMessage"]));
    assert_eq!(
        queue_statement["Condition"],
        json!({ "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": ["Stopped", "Arn"] } } })
    );
    let topic_statement = &props(&t, "AlertsPolicy")["PolicyDocument"]["Statement"][0];
    assert_eq!(topic_statement["Action"], json!(["sns:Publish"]));
    assert_eq!(topic_statement["Resource"], json!([{ "Ref": "Alerts" }]));
    assert_eq!(
        topic_statement["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!({ "Fn::GetAtt": ["Stopped", "Arn"] })
    );
    let targets = props(&t, "Stopped")["Targets"].as_array().unwrap().clone();
    assert_eq!(targets.len(), 2);
    Assertions::from_json(t).assert_no_cycles();
}

#[test]
fn an_encrypted_queue_target_allows_eventbridge_on_its_key_without_a_cycle() {
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "QueueKey");
    let q = stack.add("Jobs", Queue::new().kms_key(k));
    let rule = stack.add("Nightly", nightly());
    rule.target_queue(&mut stack, &q, EventTarget::new());
    let t = template(&stack);
    let statements = props(&t, "QueueKey")["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let events = statements
        .iter()
        .find(|s| s["Principal"]["Service"] == json!(["events.amazonaws.com"]))
        .expect("a statement for EventBridge");
    assert_eq!(
        events["Action"],
        json!(["kms:Decrypt", "kms:GenerateDataKey*"])
    );
    // No source condition: EventBridge's KMS requests for a delivery carry neither
    // `aws:SourceArn` nor `aws:SourceAccount` (Amazon SNS Developer Guide, "Key
    // management": not supported for EventBridge-to-encrypted topics), so a condition
    // would drop every event. The queue's policy still names the rule.
    assert!(events.get("Condition").is_none(), "{events}");
    let queue_policy = props(&t, "JobsPolicy")["PolicyDocument"].to_string();
    assert!(queue_policy.contains("aws:SourceArn"), "{queue_policy}");
    Assertions::from_json(t).assert_no_cycles();

    // The same for an encrypted topic target.
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "TopicKey");
    let topic = stack.add("Alerts", Topic::new().kms_key(k));
    let rule = stack.add("Nightly", nightly());
    rule.target_topic(&mut stack, &topic, EventTarget::new());
    let t = template(&stack);
    let statements = props(&t, "TopicKey")["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let events = statements
        .iter()
        .find(|s| s["Principal"]["Service"] == json!(["events.amazonaws.com"]))
        .expect("a statement for EventBridge");
    assert!(events.get("Condition").is_none(), "{events}");
}

#[test]
fn target_options_write_input_retries_and_a_dead_letter_queue_with_its_policy() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Job");
    let dlq = stack.add("Undelivered", Queue::new());
    let rule = stack.add(
        "Orders",
        Rule::on_pattern(EventPattern::new().source("com.example.orders")),
    );
    rule.target_function(
        &mut stack,
        &f,
        EventTarget::new()
            .input_transformer(&[("id", "$.detail.id")], r#"{"order": <id>}"#)
            .retry(4, Duration::from_secs(600))
            .dead_letter_queue(&dlq),
    );
    let t = template(&stack);
    let target = &props(&t, "Orders")["Targets"][0];
    assert_eq!(
        target["InputTransformer"],
        json!({ "InputPathsMap": { "id": "$.detail.id" }, "InputTemplate": r#"{"order": <id>}"# })
    );
    assert_eq!(
        target["RetryPolicy"],
        json!({ "MaximumEventAgeInSeconds": 600, "MaximumRetryAttempts": 4 })
    );
    assert_eq!(
        target["DeadLetterConfig"],
        json!({ "Arn": { "Fn::GetAtt": ["Undelivered", "Arn"] } })
    );
    let statement = &props(&t, "UndeliveredPolicy")["PolicyDocument"]["Statement"][0];
    assert_eq!(
        statement["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!({ "Fn::GetAtt": ["Orders", "Arn"] })
    );
}

#[test]
fn rule_synth_errors_name_the_rule_and_the_fix() {
    let cases: Vec<(Rule, &str)> = vec![
        (Rule::schedule(Schedule::cron("0 2 * * *")), "six"),
        (Rule::schedule(Schedule::cron("0 2 * * MON *")), "`?`"),
        (Rule::schedule(Schedule::parse("rate(1 hours)")), "singular"),
        (Rule::schedule(Schedule::parse("rate(2 hour)")), "plural"),
        (
            Rule::schedule(Schedule::rate(Duration::from_secs(30))),
            "whole number of minutes",
        ),
        (
            Rule::schedule(Schedule::at("2030-01-01T00:00:00")),
            "does not satisfy",
        ),
        (
            nightly().bus(Value::<nephos::kinds::EventsEventBusArnOrName>::literal(
                "orders",
            )),
            "default bus",
        ),
        (Rule::on_pattern(EventPattern::new()), "no field"),
        (
            Rule::on_pattern(EventPattern::new().detail("n", Match::numeric(&[(Cmp::Lt, 1e10)]))),
            "5e9",
        ),
    ];
    for (rule, expected) in cases {
        let mut stack = Stack::new("App");
        stack.add("Bad", rule);
        let e = error(&stack);
        assert!(
            e.contains("`Bad`") && e.contains(expected),
            "{expected}: {e}"
        );
    }
}

#[test]
fn target_synth_errors() {
    // Retries beyond EventBridge's range, through the schema's constraints.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Job");
    let rule = stack.add("Nightly", nightly());
    rule.target_function(
        &mut stack,
        &f,
        EventTarget::new().retry(186, Duration::from_secs(30)),
    );
    let e = error(&stack);
    assert!(
        e.contains("MaximumRetryAttempts") && e.contains("MaximumEventAgeInSeconds"),
        "{e}"
    );

    // A FIFO queue needs a message group; a standard one takes none.
    let mut stack = Stack::new("App");
    let fifo = stack.add("Ordered", Queue::new().fifo());
    let rule = stack.add("Nightly", nightly());
    rule.target_queue(&mut stack, &fifo, EventTarget::new());
    assert!(error(&stack).contains("message group"));
    let mut stack = Stack::new("App");
    let fifo = stack.add("Ordered", Queue::new().fifo().content_based_deduplication());
    let rule = stack.add("Nightly", nightly());
    rule.target_queue(
        &mut stack,
        &fifo,
        EventTarget::new().message_group_id("nightly"),
    );
    let t = template(&stack);
    assert_eq!(
        props(&t, "Nightly")["Targets"][0]["SqsParameters"],
        json!({ "MessageGroupId": "nightly" })
    );

    // The same target with other settings.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Job");
    let rule = stack.add("Nightly", nightly());
    rule.target_function(&mut stack, &f, EventTarget::new());
    rule.target_function(&mut stack, &f, EventTarget::new().input(json!(1)));
    assert!(error(&stack).contains("twice with different settings"));

    // An input template naming a path that was not given.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Job");
    let rule = stack.add("Nightly", nightly());
    rule.target_function(
        &mut stack,
        &f,
        EventTarget::new().input_transformer(&[("id", "detail.id")], "<id> <who>"),
    );
    let e = error(&stack);
    assert!(
        e.contains("`<who>`") && e.contains("does not start with `$`"),
        "{e}"
    );
}

#[test]
fn a_scheduled_job_gets_a_role_allowed_only_its_target() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Report");
    let job = stack.add(
        "Weekly",
        ScheduledJob::new(Schedule::cron("0 8 ? * MON *"), JobTarget::function(&f))
            .time_zone("America/New_York")
            .input(json!({ "period": "week" }))
            .retry(3, Duration::from_secs(3_600)),
    );
    assert_eq!(
        nephos::Handle::resource_ref(job.role()).logical_id(),
        "WeeklyRole"
    );
    let t = template(&stack);
    let s = props(&t, "Weekly");
    assert_eq!(s["ScheduleExpression"], "cron(0 8 ? * MON *)");
    assert_eq!(s["ScheduleExpressionTimezone"], "America/New_York");
    assert_eq!(s["FlexibleTimeWindow"], json!({ "Mode": "OFF" }));
    assert_eq!(s["State"], "ENABLED");
    assert_eq!(
        s["Target"]["Arn"],
        json!({ "Fn::GetAtt": ["Report", "Arn"] })
    );
    assert_eq!(s["Target"]["Input"], r#"{"period":"week"}"#);
    assert_eq!(
        s["Target"]["RetryPolicy"],
        json!({ "MaximumEventAgeInSeconds": 3600.0, "MaximumRetryAttempts": 3.0 })
    );
    let role = props(&t, "WeeklyRole");
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0],
        json!({
            "Action": ["sts:AssumeRole"],
            "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } },
            "Effect": "Allow",
            "Principal": { "Service": ["scheduler.amazonaws.com"] },
        })
    );
    let statements = role["Policies"][0]["PolicyDocument"]["Statement"].clone();
    assert_eq!(
        statements,
        json!([{
            "Action": ["lambda:InvokeFunction"],
            "Effect": "Allow",
            "Resource": [{ "Fn::GetAtt": ["Report", "Arn"] }],
        }])
    );
    Assertions::from_json(t).assert_no_cycles();
}

#[test]
fn a_scheduled_job_sending_to_an_encrypted_queue_may_use_the_key_through_sqs_only() {
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "QueueKey");
    let q = stack.add("Jobs", Queue::new().kms_key(k));
    let dlq = stack.add("Failed", Queue::new());
    stack.add(
        "Once",
        ScheduledJob::new(Schedule::at("2030-01-01T09:00:00"), JobTarget::queue(&q))
            .dead_letter_queue(&dlq)
            .flexible_window(Duration::from_secs(600)),
    );
    let t = template(&stack);
    let s = props(&t, "Once");
    assert_eq!(s["ScheduleExpression"], "at(2030-01-01T09:00:00)");
    assert_eq!(
        s["FlexibleTimeWindow"],
        json!({ "MaximumWindowInMinutes": 10.0, "Mode": "FLEXIBLE" })
    );
    assert_eq!(
        s["Target"]["DeadLetterConfig"]["Arn"],
        json!({ "Fn::GetAtt": ["Failed", "Arn"] })
    );
    let text = props(&t, "OnceRole")["Policies"].to_string();
    assert!(text.contains("sqs:SendMessage"), "{text}");
    assert!(text.contains("kms:GenerateDataKey"), "{text}");
    assert!(text.contains("kms:ViaService"), "{text}");
    assert!(!text.contains("lambda:"), "{text}");
    Assertions::from_json(t).assert_no_cycles();
}

#[test]
fn scheduled_job_synth_errors() {
    type MakeJob = Box<dyn Fn(&FunctionRef) -> ScheduledJob>;
    let cases: Vec<(MakeJob, &str)> = vec![
        (
            Box::new(|f| {
                ScheduledJob::new(Schedule::cron("0 8 * * ? *"), JobTarget::function(f))
                    .time_zone("Mars/Olympus")
            }),
            "Mars/Olympus",
        ),
        (
            Box::new(|f| {
                ScheduledJob::new(Schedule::cron("0 8 * * ? *"), JobTarget::function(f))
                    .time_zone("europe/paris")
            }),
            "`Europe/Paris`",
        ),
        (
            Box::new(|f| {
                ScheduledJob::new(Schedule::at("2030-02-30T00:00:00"), JobTarget::function(f))
            }),
            "days 1 to 28",
        ),
        (
            Box::new(|f| {
                ScheduledJob::new(Schedule::parse("rate(0 minutes)"), JobTarget::function(f))
            }),
            "positive",
        ),
        (
            Box::new(|f| {
                ScheduledJob::new(Schedule::cron("0 8 * * ? *"), JobTarget::function(f))
                    .flexible_window(Duration::from_secs(2 * 86_400))
            }),
            "1 to 1,440",
        ),
    ];
    for (job, expected) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Report");
        stack.add("Bad", job(&f));
        let e = error(&stack);
        assert!(
            e.contains("`Bad`") && e.contains(expected),
            "{expected}: {e}"
        );
    }
}

#[test]
fn construct_metrics_name_their_namespace_and_dimensions() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Worker");
    let q = stack.add("Jobs", Queue::new());
    let table = stack.add("Users", Table::new(Key::string("id")));
    let rest = stack.add("Rest", RestApi::new("users").stage("prod"));
    rest.route(&mut stack, "GET", "/users", &f);
    let http = stack.add("Http", HttpApi::new("users"));
    let metrics: Vec<(&str, Metric, &str, &str)> = vec![
        ("E", f.metric_errors(), "AWS/Lambda", "Errors"),
        ("T", f.metric_throttles(), "AWS/Lambda", "Throttles"),
        ("D", f.metric_duration(), "AWS/Lambda", "Duration"),
        (
            "Q",
            q.metric_approximate_age_of_oldest_message(),
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
        ),
        (
            "R",
            table.metric_read_throttle_events(),
            "AWS/DynamoDB",
            "ReadThrottleEvents",
        ),
        (
            "W",
            table.metric_write_throttle_events(),
            "AWS/DynamoDB",
            "WriteThrottleEvents",
        ),
        (
            "A",
            rest.metric_server_errors(),
            "AWS/ApiGateway",
            "5XXError",
        ),
        ("H", http.metric_server_errors(), "AWS/ApiGateway", "5xx"),
    ];
    for (id, m, _, _) in &metrics {
        m.alarm(&mut stack, &format!("{id}Alarm"), AlarmOptions::above(1.0));
    }
    let t = template(&stack);
    for (id, _, namespace, name) in &metrics {
        let a = props(&t, &format!("{id}Alarm"));
        assert_eq!(a["Namespace"], *namespace, "{id}");
        assert_eq!(a["MetricName"], *name, "{id}");
        assert_eq!(a["Period"], 300, "{id}");
        assert_eq!(a["EvaluationPeriods"], 1, "{id}");
        assert_eq!(a["TreatMissingData"], "notBreaching", "{id}");
    }
    assert_eq!(props(&t, "EAlarm")["Statistic"], "Sum");
    assert_eq!(props(&t, "DAlarm")["Statistic"], "Maximum");
    assert_eq!(props(&t, "QAlarm")["Statistic"], "Maximum");
    assert_eq!(
        props(&t, "EAlarm")["Dimensions"],
        json!([{ "Name": "FunctionName", "Value": { "Ref": "Worker" } }])
    );
    assert_eq!(
        props(&t, "QAlarm")["Dimensions"],
        json!([{ "Name": "QueueName", "Value": { "Fn::GetAtt": ["Jobs", "QueueName"] } }])
    );
    assert_eq!(
        props(&t, "AAlarm")["Dimensions"],
        json!([{ "Name": "ApiName", "Value": "users" }, { "Name": "Stage", "Value": "prod" }])
    );
    assert_eq!(
        props(&t, "HAlarm")["Dimensions"],
        json!([{ "Name": "ApiId", "Value": { "Ref": "Http" } }, { "Name": "Stage", "Value": "$default" }])
    );
}

#[test]
fn an_alarm_notifies_a_topic_under_its_policy_and_an_encrypted_topics_key() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Worker");
    let k = key(&mut stack, "TopicKey");
    let topic = stack.add("OnCall", Topic::new().kms_key(k));
    let alarm = f.metric_errors().alarm(
        &mut stack,
        "WorkerErrors",
        AlarmOptions {
            threshold: 5.0,
            evaluation_periods: 3,
            datapoints_to_alarm: Some(2),
            comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
            treat_missing_data: TreatMissingData::Missing,
        },
    );
    alarm
        .alarm_action(&mut stack, &topic)
        .ok_action(&mut stack, &topic);
    alarm.alarm_action(&mut stack, &topic);
    let t = template(&stack);
    let a = props(&t, "WorkerErrors");
    assert_eq!(a["AlarmActions"], json!([{ "Ref": "OnCall" }]));
    assert_eq!(a["OKActions"], json!([{ "Ref": "OnCall" }]));
    assert_eq!(a["Threshold"], 5.0);
    assert_eq!(a["DatapointsToAlarm"], 2);
    assert_eq!(a["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
    let statements = props(&t, "OnCallPolicy")["PolicyDocument"]["Statement"].clone();
    assert_eq!(
        statements,
        json!([{
            "Action": ["sns:Publish"],
            "Condition": { "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": ["WorkerErrors", "Arn"] } } },
            "Effect": "Allow",
            "Principal": { "Service": ["cloudwatch.amazonaws.com"] },
            "Resource": [{ "Ref": "OnCall" }],
        }])
    );
    let key_text = props(&t, "TopicKey")["KeyPolicy"].to_string();
    assert!(key_text.contains("cloudwatch.amazonaws.com"), "{key_text}");
    Assertions::from_json(t).assert_no_cycles();
}

#[test]
fn alarm_synth_errors() {
    let cases: Vec<(AlarmOptions, Duration, &str)> = vec![
        (
            AlarmOptions {
                evaluation_periods: 0,
                ..AlarmOptions::above(1.0)
            },
            Duration::from_secs(300),
            "at least 1",
        ),
        (
            AlarmOptions {
                evaluation_periods: 289,
                ..AlarmOptions::above(1.0)
            },
            Duration::from_secs(300),
            "86400",
        ),
        (
            AlarmOptions {
                evaluation_periods: 169,
                ..AlarmOptions::above(1.0)
            },
            Duration::from_secs(3_600),
            "604800",
        ),
        (
            AlarmOptions {
                datapoints_to_alarm: Some(3),
                ..AlarmOptions::above(1.0)
            },
            Duration::from_secs(300),
            "DatapointsToAlarm",
        ),
        (
            AlarmOptions::above(f64::NAN),
            Duration::from_secs(300),
            "finite",
        ),
        (
            AlarmOptions::above(1.0),
            Duration::from_secs(90),
            "multiple of 60",
        ),
        (
            AlarmOptions {
                comparison: ComparisonOperator::GreaterThanUpperThreshold,
                ..AlarmOptions::above(1.0)
            },
            Duration::from_secs(300),
            "anomaly",
        ),
    ];
    for (options, period, expected) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Worker");
        f.metric_errors()
            .period(period)
            .alarm(&mut stack, "Bad", options);
        let e = error(&stack);
        assert!(
            e.contains("`Bad`") && e.contains(expected),
            "{expected}: {e}"
        );
    }
    // At the limits, accepted.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Worker");
    f.metric_errors().alarm(
        &mut stack,
        "Day",
        AlarmOptions {
            evaluation_periods: 288,
            datapoints_to_alarm: Some(288),
            ..AlarmOptions::above(1.0)
        },
    );
    f.metric_errors().period(Duration::from_secs(10)).alarm(
        &mut stack,
        "Fast",
        AlarmOptions::above(1.0),
    );
    template(&stack);
}

/// A rule's pattern may match this stack's own resources: matchers take values computed
/// at deploy (written into the rule's JSON `EventPattern`, which CloudFormation resolves),
/// and `account` takes `AWS::AccountId`. A Lambda event filter (a string pattern) still
/// takes literals only.
#[test]
fn a_rule_pattern_matches_values_of_this_stack() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Worker");
    let b = stack.add("Uploads", Bucket::new().event_bridge());
    let rule = stack.add(
        "OnUpload",
        Rule::on_pattern(
            EventPattern::new()
                .source("aws.s3")
                .detail_type("Object Created")
                .account(nephos::aws::account_id())
                .detail("bucket.name", Match::exact(b.name()))
                .detail("object.key", Match::prefix(nephos::aws::stack_name()))
                .detail("reason", Match::anything_but([b.name()])),
        ),
    );
    rule.target_function(&mut stack, &f, EventTarget::new());
    let t = template(&stack);
    // The bucket's name as `name()` gives it (its generated name's expression).
    let name = b.name().to_json();
    assert_eq!(props(&t, "Uploads")["BucketName"], name);
    assert_eq!(
        props(&t, "OnUpload")["EventPattern"],
        json!({
            "account": [{"Ref": "AWS::AccountId"}],
            "detail": {
                "bucket": {"name": [name]},
                "object": {"key": [{"prefix": {"Ref": "AWS::StackName"}}]},
                "reason": [{"anything-but": [name]}]
            },
            "detail-type": ["Object Created"],
            "source": ["aws.s3"]
        })
    );
    assert_eq!(
        props(&t, "Uploads")["NotificationConfiguration"],
        json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}})
    );

    // A prefix of a number is refused, computed or not.
    let mut stack = Stack::new("App");
    stack.add(
        "R",
        Rule::on_pattern(EventPattern::new().detail("n", Match::prefix(1))),
    );
    assert!(error(&stack).contains("a `prefix` match takes a string"));
}

/// A rule on `aws.s3` naming a bucket of this stack that does not send to EventBridge
/// never fires: refused, by `Ref` or by the bucket's literal name.
#[test]
fn a_rule_on_a_bucket_without_event_bridge_is_refused() {
    let mut stack = Stack::new("App");
    let b = stack.add("Uploads", Bucket::new());
    stack.add(
        "OnUpload",
        Rule::on_pattern(
            EventPattern::new()
                .source("aws.s3")
                .detail("bucket.name", Match::exact(b.name())),
        ),
    );
    let e = error(&stack);
    assert!(
        e.contains("rule `OnUpload` matches S3 events of bucket `Uploads`, which does not send its events to EventBridge"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add("Uploads", Bucket::new().name("my-uploads-bucket"));
    stack.add(
        "OnUpload",
        Rule::on_pattern(
            EventPattern::new()
                .source("aws.s3")
                .detail("bucket.name", Match::exact("my-uploads-bucket")),
        ),
    );
    assert!(error(&stack).contains("does not send its events to EventBridge"));

    // Turned on: accepted.
    let mut stack = Stack::new("App");
    stack.add(
        "Uploads",
        Bucket::new().name("my-uploads-bucket").event_bridge(),
    );
    stack.add(
        "OnUpload",
        Rule::on_pattern(
            EventPattern::new()
                .source("aws.s3")
                .detail("bucket.name", Match::exact("my-uploads-bucket")),
        ),
    );
    template(&stack);
}
