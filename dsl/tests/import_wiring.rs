//! Imported resources wired like the constructs' own where no policy of theirs changes
//! (an imported queue as a Lambda event source; imported function, queue, topic and
//! state machine as scheduled-job targets; an imported function notified by a bucket of
//! the stack; an imported table behind a REST DynamoDB integration; an imported bucket
//! read and written by a Distributed Map), and state machines (of the stack or
//! imported) as EventBridge rule and Scheduler targets. Run with
//! `--features kms,secretsmanager,ssm,stepfunctions,events,scheduler`.
#![cfg(all(feature = "stepfunctions", feature = "events", feature = "scheduler"))]

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{Definition, DistributedMap, ItemReader, Pass, Task};
use nephos::constructs::timing::Schedule;
use nephos::constructs::wiring::s3::{NotificationFilter, S3Event};
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Bucket, Code, DynamoDbAction, DynamoValue, EventPattern, EventTarget, Function, FunctionRef,
    JobTarget, Queue, RequestValue, RestApi, Rule, Runtime, ScheduledJob, StateMachine,
    StateMachineRef, Table, Topic,
};
use nephos::kind::Str;
use nephos::{Param, Stack};
use serde_json::{Value as J, json};

mod roundtrip_support;

const QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs";
const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:alerts";
const FUNCTION: &str = "arn:aws:lambda:eu-west-1:123456789012:function:resize";
const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn machine(stack: &mut Stack, id: &str) -> StateMachineRef {
    stack.add(
        id,
        StateMachine::new(Definition::new("Done").state("Done", Pass::new())),
    )
}

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn statements(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn types(t: &J) -> Vec<String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_imported_queue_is_an_event_source_without_a_queue_policy() {
    let mut s = Stack::new("App");
    let w = function(&mut s, "W");
    let q = Queue::from_arn(QUEUE).unwrap();
    let m = q.trigger_with(
        &mut s,
        &w,
        SqsTrigger::new(20)
            .batching_window(Duration::from_secs(2))
            .report_batch_item_failures(),
    );
    let t = synth(&s);
    let id = nephos::Handle::resource_ref(&m).logical_id().to_string();
    let mapping = &t["Resources"][&id];
    assert_eq!(mapping["Type"], "AWS::Lambda::EventSourceMapping");
    assert_eq!(mapping["Properties"]["EventSourceArn"], QUEUE);
    assert_eq!(mapping["Properties"]["BatchSize"], 20);
    assert_eq!(mapping["DependsOn"], json!(["WRole"]));
    assert!(id.starts_with('W') && id.ends_with("Trigger"), "{id}");
    let consume = statements(&t, "WRole");
    assert!(
        consume.iter().any(|st| st["Resource"] == json!([QUEUE])
            && st["Action"].to_string().contains("sqs:ReceiveMessage")),
        "{consume:?}"
    );
    assert!(!types(&t).iter().any(|ty| ty == "AWS::SQS::QueuePolicy"));

    // The polling options are checked as for a queue of the stack.
    let mut s = Stack::new("App");
    let w = function(&mut s, "W");
    Queue::from_arn(QUEUE)
        .unwrap()
        .trigger_with(&mut s, &w, SqsTrigger::new(100));
    let e = s.synth().unwrap_err().to_string();
    assert!(e.contains("batching window"), "{e}");
}

#[test]
fn imported_resources_are_scheduled_job_targets_through_the_role() {
    let mut s = Stack::new("App");
    let rate = || Schedule::rate(Duration::from_secs(300));
    let f = Function::from_arn(FUNCTION).unwrap();
    let q = Queue::from_arn(QUEUE).unwrap();
    let tp = Topic::from_arn(TOPIC).unwrap();
    let sm = StateMachine::from_arn(MACHINE).unwrap();
    let dlq = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:dead").unwrap();
    s.add(
        "F",
        ScheduledJob::new(rate(), JobTarget::function(&f)).dead_letter_queue(&dlq),
    );
    s.add("Q", ScheduledJob::new(rate(), JobTarget::queue(&q)));
    s.add("T", ScheduledJob::new(rate(), JobTarget::topic(&tp)));
    s.add(
        "S",
        ScheduledJob::new(rate(), JobTarget::state_machine(&sm)).input(json!({"kind": "tick"})),
    );
    let t = synth(&s);
    for (job, arn, action) in [
        ("F", FUNCTION, "lambda:InvokeFunction"),
        ("Q", QUEUE, "sqs:SendMessage"),
        ("T", TOPIC, "sns:Publish"),
        ("S", MACHINE, "states:StartExecution"),
    ] {
        assert_eq!(t["Resources"][job]["Properties"]["Target"]["Arn"], arn);
        let st = statements(&t, &format!("{job}Role"));
        assert!(
            st.iter().any(|x| x["Resource"] == json!([arn])
                && x["Action"].as_array().unwrap().contains(&json!(action))),
            "{job}: {st:?}"
        );
    }
    assert_eq!(
        t["Resources"]["S"]["Properties"]["Target"]["Input"],
        r#"{"kind":"tick"}"#
    );
    assert_eq!(
        t["Resources"]["F"]["Properties"]["Target"]["DeadLetterConfig"]["Arn"],
        "arn:aws:sqs:eu-west-1:123456789012:dead"
    );
    let ty = types(&t);
    for policy in [
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::Lambda::Permission",
    ] {
        assert!(!ty.iter().any(|x| x == policy), "{policy} in {ty:?}");
    }
}

#[test]
fn an_imported_function_is_a_rule_target_and_a_subscriber_with_a_permission_here() {
    let mut s = Stack::new("App");
    let f = Function::from_arn(FUNCTION).unwrap();
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_function(&mut s, &f, EventTarget::new());
    let topic = s.add("Orders", Topic::new());
    topic.subscribe_function(&mut s, &f);
    let t = synth(&s);
    let target = &t["Resources"]["OnOrder"]["Properties"]["Targets"][0];
    assert_eq!(target["Arn"], FUNCTION);
    let permissions: Vec<&J> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Lambda::Permission")
        .collect();
    assert_eq!(permissions.len(), 2, "{permissions:?}");
    let sources: Vec<&J> = permissions
        .iter()
        .map(|p| {
            assert_eq!(p["Properties"]["FunctionName"], FUNCTION);
            &p["Properties"]["SourceArn"]
        })
        .collect();
    assert!(
        sources.contains(&&json!({"Fn::GetAtt": ["OnOrder", "Arn"]})),
        "{sources:?}"
    );
    assert!(sources.contains(&&json!({"Ref": "Orders"})), "{sources:?}");
    let subscription = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::SNS::Subscription")
        .unwrap();
    assert_eq!(subscription["Properties"]["Endpoint"], FUNCTION);
    assert_eq!(subscription["Properties"]["Protocol"], "lambda");
}

#[test]
fn a_rule_starts_a_state_machine_through_a_role_allowed_that_one() {
    let mut s = Stack::new("App");
    let sm = machine(&mut s, "Flow");
    let other = StateMachine::from_arn(MACHINE).unwrap();
    let dlq = s.add("Undelivered", Queue::new());
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_state_machine(
        &mut s,
        &sm,
        EventTarget::new()
            .input_transformer(&[("id", "$.detail.id")], r#"{"order": <id>}"#)
            .retry(3, Duration::from_secs(600))
            .dead_letter_queue(&dlq),
    );
    rule.target_state_machine(&mut s, &other, EventTarget::new());
    let t = synth(&s);
    let targets = t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(targets.len(), 2);
    let own = targets.iter().find(|x| x["Id"] == "Flow").unwrap();
    assert_eq!(own["Arn"], json!({"Ref": "Flow"}));
    assert_eq!(
        own["RoleArn"],
        json!({"Fn::GetAtt": ["OnOrderFlowRole", "Arn"]})
    );
    assert_eq!(own["RetryPolicy"]["MaximumRetryAttempts"], 3);
    assert_eq!(
        own["InputTransformer"]["InputPathsMap"]["id"],
        "$.detail.id"
    );
    assert_eq!(
        own["DeadLetterConfig"]["Arn"],
        json!({"Fn::GetAtt": ["Undelivered", "Arn"]})
    );
    let st = statements(&t, "OnOrderFlowRole");
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(st[0]["Resource"], json!([{"Ref": "Flow"}]));
    let trust = &t["Resources"]["OnOrderFlowRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        [0];
    assert_eq!(
        trust["Principal"]["Service"],
        json!(["events.amazonaws.com"])
    );

    let imported = targets.iter().find(|x| x["Arn"] == MACHINE).unwrap();
    let role = imported["RoleArn"]["Fn::GetAtt"][0].as_str().unwrap();
    let st = statements(&t, role);
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Resource"], json!([MACHINE]));
    // The queue policy lets the rule send undelivered events; the state machine has none.
    assert!(types(&t).iter().any(|x| x == "AWS::SQS::QueuePolicy"));
}

#[test]
fn a_scheduled_job_starts_a_state_machine_of_the_stack() {
    let mut s = Stack::new("App");
    let sm = machine(&mut s, "Flow");
    s.add(
        "Nightly",
        ScheduledJob::new(Schedule::cron("0 2 * * ? *"), JobTarget::state_machine(&sm))
            .retry(2, Duration::from_secs(3600)),
    );
    let t = synth(&s);
    let target = &t["Resources"]["Nightly"]["Properties"]["Target"];
    assert_eq!(target["Arn"], json!({"Ref": "Flow"}));
    assert_eq!(target["RetryPolicy"]["MaximumRetryAttempts"], 2.0);
    let st = statements(&t, "NightlyRole");
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(st[0]["Resource"], json!([{"Ref": "Flow"}]));
}

#[test]
fn state_machine_imports_are_checked() {
    for bad in [
        "arn:aws:states:eu-west-1:123456789012:activity:orders",
        "arn:aws:states:eu-west-1:123456789012:execution:orders:1",
        "arn:aws:states:eu-west-1:123456789012:stateMachine:",
        "arn:aws:states:eu-west-1:123456789012:stateMachine:a b",
        "arn:aws:lambda:eu-west-1:123456789012:stateMachine:orders",
    ] {
        assert!(StateMachine::from_arn(bad).is_err(), "{bad}");
    }
    assert!(StateMachine::from_arn(&format!("{MACHINE}:live")).is_ok());
}

#[test]
fn a_bucket_of_the_stack_notifies_an_imported_function() {
    let mut s = Stack::new("App");
    let uploads = s.add("Uploads", Bucket::new());
    let f = Function::from_arn(FUNCTION).unwrap();
    uploads.notify_function(
        &mut s,
        &[S3Event::ObjectCreated],
        NotificationFilter::suffix(".jpg"),
        &f,
    );
    let t = synth(&s);
    let permissions: Vec<(&String, &J)> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Lambda::Permission")
        .collect();
    assert_eq!(permissions.len(), 1, "{permissions:?}");
    let (id, permission) = permissions[0];
    let p = &permission["Properties"];
    assert_eq!(p["FunctionName"], FUNCTION);
    assert_eq!(p["Principal"], "s3.amazonaws.com");
    assert_eq!(p["Action"], "lambda:InvokeFunction");
    assert_eq!(p["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    // The bucket's ARN from its computed name, not from the bucket: no cycle.
    assert!(
        p["SourceArn"]
            .to_string()
            .contains("arn:${AWS::Partition}:s3:::"),
        "{}",
        p["SourceArn"]
    );
    let bucket = &t["Resources"]["Uploads"];
    assert_eq!(bucket["DependsOn"], json!([id]));
    let lambda = &bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"];
    assert_eq!(lambda[0]["Function"], FUNCTION);
    assert_eq!(lambda[0]["Event"], "s3:ObjectCreated:*");
}

#[test]
fn an_imported_table_backs_a_rest_dynamodb_integration() {
    let mut s = Stack::new("App");
    let orders = Table::from_name("orders").unwrap();
    let api = s.add("Api", RestApi::new("shop"));
    api.route_to(
        &mut s,
        "POST",
        "/orders",
        DynamoDbAction::put_item(&orders).attribute(
            "id",
            DynamoValue::String(RequestValue::Context("requestId".into())),
        ),
    );
    api.route_to(
        &mut s,
        "GET",
        "/orders/{day}",
        DynamoDbAction::query(
            &orders,
            "day",
            DynamoValue::String(RequestValue::PathParameter("day".into())),
        )
        .index("byDay"),
    );
    let t = synth(&s);
    assert!(!types(&t).iter().any(|ty| ty == "AWS::DynamoDB::Table"));
    let arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders";
    let put = statements(&t, "ApiOrdersPutItemRole");
    assert_eq!(put.len(), 1, "{put:?}");
    assert_eq!(put[0]["Action"], json!(["dynamodb:PutItem"]));
    assert_eq!(put[0]["Resource"], json!([{ "Fn::Sub": arn }]));
    let query = statements(&t, "ApiOrdersQueryRole");
    assert_eq!(query[0]["Action"], json!(["dynamodb:Query"]));
    assert_eq!(
        query[0]["Resource"],
        json!([{ "Fn::Sub": format!("{arn}/index/byDay") }])
    );
    // The request names the table by its name.
    let template = t["Resources"]["ApiOrdersPost"]["Properties"]["Integration"]["RequestTemplates"]
        ["application/json"]
        .to_string();
    assert!(
        template.contains(r#"\"TableName\":\"orders\""#),
        "{template}"
    );

    // An imported table's key schema is unknown: the key attributes are DynamoDB's to
    // check, but what nephos checks of the action itself still is.
    let mut s = Stack::new("App");
    let api = s.add("Api", RestApi::new("shop"));
    api.route_to(
        &mut s,
        "POST",
        "/orders",
        DynamoDbAction::put_item(&Table::from_name("orders").unwrap()),
    );
    let e = s.synth().unwrap_err().to_string();
    assert!(e.contains("names no attribute"), "{e}");
}

#[test]
fn a_table_imported_by_arn_is_named_by_its_arn_in_a_rest_dynamodb_request() {
    // Of another account: DynamoDB would look its name up in the API's own account, while
    // the role is granted on the ARN; DynamoDB's `TableName` takes the ARN.
    let arn = "arn:aws:dynamodb:eu-west-1:210987654321:table/orders";
    let stack = |arn: &str| {
        let mut s = Stack::new("App");
        let api = s.add("Api", RestApi::new("shop"));
        api.route_to(
            &mut s,
            "POST",
            "/orders",
            DynamoDbAction::put_item(&Table::from_arn(arn).unwrap()).attribute(
                "id",
                DynamoValue::String(RequestValue::Context("requestId".into())),
            ),
        );
        s
    };
    let t = synth(&stack(arn));
    let template = t["Resources"]["ApiOrdersPost"]["Properties"]["Integration"]["RequestTemplates"]
        ["application/json"]
        .to_string();
    assert!(
        template.contains(&format!(r#"\"TableName\":\"{arn}\""#)),
        "{template}"
    );
    assert_eq!(
        statements(&t, "ApiOrdersPutItemRole")[0]["Resource"],
        json!([arn])
    );

    // API Gateway calls DynamoDB in the API's region: a table of another region is
    // refused where the app gives the stack's region, and taken in its own region.
    let e = app_in(stack(arn), "us-east-1").unwrap_err();
    assert!(
        e.contains(
            "deploys to us-east-1, but a `POST` method's integration of REST API `Api` to `arn:aws:dynamodb:eu-west-1:210987654321:table/orders` needs the stack in eu-west-1"
        ),
        "{e}"
    );
    app_in(stack(arn), "eu-west-1").unwrap();
    // The same mechanism as every wiring to an import: the template asserts the Region.
    assert_eq!(
        synth(&stack(arn))["Rules"]["ImportsRegionEuWest1"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]})
    );
}

/// The error of an app deploying `s` to `region`, if any.
fn app_in(s: Stack, region: &str) -> Result<(), String> {
    let mut app = nephos::App::new();
    app.stack(s, nephos::StackSettings::new("shop").region(region));
    app.synth().map(|_| ()).map_err(|e| e.to_string())
}

const BUS: &str = "arn:aws:events:eu-west-1:210987654321:event-bus/orders";

#[test]
fn bus_and_state_machine_arns_of_another_region_are_refused_for_rest_integrations() {
    use nephos::constructs::{PutEvents, StartExecution};
    let stack = || {
        let mut s = Stack::new("App");
        let rest = s.add("Rest", RestApi::new("shop"));
        rest.route_to(
            &mut s,
            "POST",
            "/events",
            PutEvents::new("shop", "order").bus(nephos::Value::literal(BUS)),
        );
        rest.route_to(
            &mut s,
            "POST",
            "/runs",
            StartExecution::new(nephos::Value::literal(MACHINE)),
        );
        s
    };
    let e = app_in(stack(), "us-east-1").unwrap_err();
    for what in [
        "REST API `Rest` to `arn:aws:events:eu-west-1:",
        "REST API `Rest` to `arn:aws:states:eu-west-1:",
    ] {
        assert!(e.contains(what), "{what} in {e}");
    }
    assert!(e.contains("needs the stack in eu-west-1"), "{e}");
    app_in(stack(), "eu-west-1").unwrap();
    // And the template asserts the Region (one rule for both integrations).
    let t = stack().synth().unwrap();
    let rules = t.json()["Rules"].as_object().unwrap().clone();
    assert_eq!(rules.keys().collect::<Vec<_>>(), ["ImportsRegionEuWest1"]);
    let said = rules["ImportsRegionEuWest1"]["Assertions"][0]["AssertDescription"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        said.contains("2 wirings") && said.contains("arn:aws:events:"),
        "{said}"
    );
}

#[cfg(feature = "apigatewayv2")]
#[test]
fn bus_and_state_machine_arns_of_another_region_are_refused_for_http_integrations() {
    use nephos::constructs::{HttpApi, PutEvents, StartExecution};
    let stack = || {
        let mut s = Stack::new("App");
        let http = s.add("Http", HttpApi::new("shop"));
        http.route_to(
            &mut s,
            "POST",
            "/events",
            PutEvents::new("shop", "order").bus(nephos::Value::literal(BUS)),
        );
        http.route_to(
            &mut s,
            "POST",
            "/runs",
            StartExecution::new(nephos::Value::literal(MACHINE)),
        );
        s
    };
    let e = app_in(stack(), "us-east-1").unwrap_err();
    for what in [
        "HTTP API `Http` to `arn:aws:events:eu-west-1:",
        "HTTP API `Http` to `arn:aws:states:eu-west-1:",
    ] {
        assert!(e.contains(what), "{what} in {e}");
    }
    assert!(e.contains("needs the stack in eu-west-1"), "{e}");
    app_in(stack(), "eu-west-1").unwrap();
    // And the template asserts the Region (one rule for both integrations).
    let t = stack().synth().unwrap();
    let rules = t.json()["Rules"].as_object().unwrap().clone();
    assert_eq!(rules.keys().collect::<Vec<_>>(), ["ImportsRegionEuWest1"]);
    let said = rules["ImportsRegionEuWest1"]["Assertions"][0]["AssertDescription"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        said.contains("2 wirings") && said.contains("arn:aws:events:"),
        "{said}"
    );
}

#[test]
fn an_imported_bucket_is_a_distributed_map_reader_and_writer() {
    let mut s = Stack::new("App");
    let data = Bucket::from_name("shared-data").unwrap();
    let w = function(&mut s, "Work");
    let each = Definition::new("Work").state("Work", Task::invoke(&w));
    let flow = Definition::new("All").state(
        "All",
        DistributedMap::new(each)
            .items_from(ItemReader::objects(&data).prefix("incoming/"))
            .results_to(&data, "results/"),
    );
    s.add("Thumbnails", StateMachine::new(flow));
    let t = synth(&s);
    let props = &t["Resources"]["Thumbnails"]["Properties"];
    let state = &props["Definition"]["States"]["All"];
    let key = state["ItemReader"]["Parameters"]["Bucket"]
        .as_str()
        .unwrap()
        .trim_start_matches("${")
        .trim_end_matches('}')
        .to_string();
    assert_eq!(props["DefinitionSubstitutions"][&key], "shared-data");
    assert_eq!(
        state["ResultWriter"]["Parameters"]["Bucket"],
        json!(format!("${{{key}}}"))
    );
    // The role lists the prefix and writes the results, on the imported bucket's ARN.
    let role = statements(&t, "ThumbnailsRole");
    let with = |action: &str| {
        role.iter()
            .find(|st| st["Action"].as_array().unwrap().contains(&json!(action)))
            .unwrap_or_else(|| panic!("no {action} in {role:?}"))
            .clone()
    };
    let list = with("s3:ListBucket");
    assert_eq!(
        list["Resource"],
        json!([{ "Fn::Sub": "arn:${AWS::Partition}:s3:::shared-data" }])
    );
    assert_eq!(
        list["Condition"],
        json!({ "StringLike": { "s3:prefix": "incoming/*" } })
    );
    assert_eq!(
        with("s3:PutObject")["Resource"],
        json!([{ "Fn::Sub": "arn:${AWS::Partition}:s3:::shared-data/results/*" }])
    );
    assert!(!types(&t).iter().any(|ty| ty.starts_with("AWS::S3::")));
}

fn wired(stack: &mut Stack, _: &Param<Str>) {
    let w = function(stack, "W");
    let sm = machine(stack, "Flow");
    Queue::from_arn(QUEUE)
        .unwrap()
        .trigger_with(stack, &w, SqsTrigger::new(10));
    let rule = stack.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_state_machine(stack, &sm, EventTarget::new());
    let f = Function::from_arn(FUNCTION).unwrap();
    rule.target_function(stack, &f, EventTarget::new());
    stack
        .add("Orders", Topic::new())
        .subscribe_function(stack, &f);
    rule.target_state_machine(
        stack,
        &StateMachine::from_arn(MACHINE).unwrap(),
        EventTarget::new(),
    );
    let rate = Schedule::rate(Duration::from_secs(300));
    stack.add(
        "Tick",
        ScheduledJob::new(rate.clone(), JobTarget::state_machine(&sm)),
    );
    stack.add(
        "Resize",
        ScheduledJob::new(
            rate,
            JobTarget::function(&Function::from_arn(FUNCTION).unwrap()),
        ),
    );
    // A bucket's notification, a REST DynamoDB integration and a distributed map on
    // imported ends.
    stack.add("Uploads", Bucket::new()).notify_function(
        stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::suffix(".jpg"),
        &f,
    );
    let orders = Table::from_name("orders").unwrap();
    stack.add("Api", RestApi::new("shop")).route_to(
        stack,
        "POST",
        "/orders",
        DynamoDbAction::put_item(&orders).attribute(
            "id",
            DynamoValue::String(RequestValue::Context("requestId".into())),
        ),
    );
    let data = Bucket::from_name("shared-data").unwrap();
    let each = Definition::new("Work").state("Work", Task::invoke(&w));
    let flow = Definition::new("All").state(
        "All",
        DistributedMap::new(each)
            .items_from(ItemReader::json(&data, "in/items.json"))
            .results_to(&data, "results/"),
    );
    stack.add("Fanout", StateMachine::new(flow));
}

#[test]
fn import_wiring_passes_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::ImportWiring", wired)]);
}

#[test]
fn a_target_with_a_logical_id_over_64_characters_gets_an_id_eventbridge_takes() {
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    // Legal logical IDs (up to 255 characters) that differ only past the 64th.
    let long = |c: &str| format!("W{}{c}", "x".repeat(80));
    let a = function(&mut s, &long("a"));
    let b = function(&mut s, &long("b"));
    rule.target_function(&mut s, &a, EventTarget::new());
    rule.target_function(&mut s, &b, EventTarget::new());
    let q = s.add(&format!("Q{}", "x".repeat(80)), Queue::new());
    rule.target_queue(&mut s, &q, EventTarget::new());
    let m = machine(&mut s, &format!("M{}", "x".repeat(80)));
    rule.target_state_machine(&mut s, &m, EventTarget::new());
    let t = synth(&s);
    let targets = t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = targets.iter().map(|t| t["Id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    for id in &ids {
        assert!(id.len() <= 64, "{id} is {} characters", id.len());
    }
    assert_ne!(ids[0], ids[1], "{ids:?}");
    // A short logical ID keeps the target ID it always had.
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    let w = function(&mut s, "Worker");
    rule.target_function(&mut s, &w, EventTarget::new());
    assert_eq!(
        synth(&s)["Resources"]["OnOrder"]["Properties"]["Targets"][0]["Id"],
        "Worker"
    );
}

/// The logical IDs of wirings to imported resources are part of deployed stacks: a
/// renamed `AWS::SNS::Subscription` to the same endpoint is created before the old one is
/// deleted, and SNS answers both with one subscription, which the delete then removes
/// (the function silently stops receiving); a renamed event source mapping on the same
/// queue and function is refused by Lambda ("already exists"). So these IDs are pinned:
/// an ID scheme change must come with a migration, not silently.
#[test]
fn wiring_ids_of_imports_stay_as_deployed() {
    let mut s = Stack::new("App");
    let f = Function::from_arn(FUNCTION).unwrap();
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_function(&mut s, &f, EventTarget::new());
    rule.target_state_machine(
        &mut s,
        &StateMachine::from_arn(MACHINE).unwrap(),
        EventTarget::new(),
    );
    let topic = s.add("Orders", Topic::new());
    topic.subscribe_function(&mut s, &f);
    let w = function(&mut s, "W");
    Queue::from_arn(QUEUE)
        .unwrap()
        .trigger_with(&mut s, &w, SqsTrigger::new(10));
    let t = synth(&s);
    let mut ids: Vec<String> = t["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let targets = t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| format!("target {}", x["Id"].as_str().unwrap()));
    ids.extend(targets);
    ids.sort();
    let expected = [
        "ArnAwsLambdaEuWest1123456789012FunctionResizeOnOrderPermission",
        "ArnAwsLambdaEuWest1123456789012FunctionResizeOrdersPermission",
        "OnOrder",
        "OnOrderArnAwsStatesEuWest1123456789012StateMachineOrdersRole",
        "Orders",
        "OrdersArnAwsLambdaEuWest1123456789012FunctionResizeSubscription",
        "W",
        "WArnAwsSqsEuWest1123456789012JobsTrigger",
        "WLogGroup",
        "WRole",
        "target ArnAwsLambdaEuWest1123456789012FunctionResize",
        "target ArnAwsStatesEuWest1123456789012StateMachineOrders",
    ];
    assert_eq!(ids, expected);
}

/// Two imported queues whose names differ only in punctuation give one wiring ID (an ID
/// keeps letters and digits). nephos refuses the pair rather than renaming the first,
/// whose ID may be deployed (a renamed mapping is replaced, and Lambda refuses a second
/// mapping of the same queue and function); the error says that this is the cause and
/// how to go on, instead of only that the pair was wired twice.
#[test]
fn imports_differing_only_in_punctuation_are_refused_with_the_cause() {
    for (first, second) in [("orders-v2", "orders_v2"), ("orders_v2", "orders-v2")] {
        let mut s = Stack::new("App");
        let w = function(&mut s, "W");
        for name in [first, second] {
            Queue::from_arn(&format!("arn:aws:sqs:eu-west-1:123456789012:{name}"))
                .unwrap()
                .trigger_with(&mut s, &w, SqsTrigger::new(10));
        }
        let e = s.synth().unwrap_err().to_string();
        assert!(
            e.contains("differ only in punctuation")
                && e.contains("`orders-v2` and `orders_v2` give one ID")
                && e.contains("under an ID of your own"),
            "{e}"
        );
    }
}

/// A bus given as a dynamic reference is resolved only at deploy: its text has no region
/// to compare (the fourth `:` field of `{{resolve:ssm:/shared/bus:3}}` is `3}}`), so no
/// region of the app is refused for it.
#[test]
fn a_dynamic_reference_pins_no_region() {
    use nephos::constructs::PutEvents;
    let mut s = Stack::new("App");
    let rest = s.add("Rest", RestApi::new("shop"));
    rest.route_to(
        &mut s,
        "POST",
        "/events",
        PutEvents::new("shop", "order")
            .bus(nephos::Value::literal("{{resolve:ssm:/shared/bus:3}}")),
    );
    app_in(s, "us-east-1").unwrap();
}
