//! The escape hatch from every construct to the generated builders it adds:
//! `configure` reaches properties the construct has no option for, wins over the
//! construct's defaults and options whatever the call order, and `override_property`
//! still wins over it.

use nephos::constructs::{
    Bucket, Code, Function, Key, Queue, RemovalPolicy, RestApi, Runtime, Table, Topic,
};
use nephos::kind::Int;
use nephos::{PropsBuilder, Stack, Value};
use serde_json::{Value as Json, json};

fn function() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn synth(stack: &Stack) -> Json {
    stack.synth().expect("valid stack").json().clone()
}

fn props(t: &Json, id: &str) -> Json {
    t["Resources"][id]["Properties"].clone()
}

#[test]
fn configure_sets_properties_no_option_covers() {
    use nephos::lambda::function::RecursiveLoop;
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function().configure(|l1| l1.recursive_loop(RecursiveLoop::Allow)),
    );
    stack.add(
        "Users",
        Table::new(Key::string("id")).configure(|l1| {
            l1.table_class(nephos::dynamodb::table::TableClass::StandardInfrequentAccess)
        }),
    );
    stack.add(
        "Jobs",
        Queue::new().configure(|l1| l1.receive_message_wait_time_seconds(20)),
    );
    stack.add(
        "Events",
        Topic::new().configure(|l1| l1.tracing_config("Active")),
    );
    stack.add(
        "Uploads",
        Bucket::new().configure(|l1| l1.object_lock_enabled(true)),
    );
    let api = stack.add(
        "Api",
        RestApi::new("users").configure(|l1| l1.minimum_compression_size(1024)),
    );
    let handler = stack.add("Handler", function());
    api.route(&mut stack, "GET", "/", &handler);
    let t = synth(&stack);
    assert_eq!(props(&t, "Fn")["RecursiveLoop"], "Allow");
    assert_eq!(
        props(&t, "Users")["TableClass"],
        "STANDARD_INFREQUENT_ACCESS"
    );
    assert_eq!(props(&t, "Jobs")["ReceiveMessageWaitTimeSeconds"], 20);
    assert_eq!(props(&t, "Events")["TracingConfig"], "Active");
    assert_eq!(props(&t, "Uploads")["ObjectLockEnabled"], true);
    assert_eq!(props(&t, "Api")["MinimumCompressionSize"], 1024);
    // The construct's own settings are still there.
    assert_eq!(props(&t, "Fn")["Handler"], "index.handler");
    assert_eq!(props(&t, "Jobs")["SqsManagedSseEnabled"], true);
    assert_eq!(
        props(&t, "Uploads")["PublicAccessBlockConfiguration"]["BlockPublicAcls"],
        true
    );
}

#[cfg(feature = "apigatewayv2")]
#[test]
fn configure_reaches_the_http_api_and_its_stage() {
    let mut stack = Stack::new("App");
    stack.add(
        "Http",
        nephos::constructs::HttpApi::new("items")
            .configure(|l1| l1.disable_execute_api_endpoint(true))
            .configure_stage(|s| s.description("served")),
    );
    let t = synth(&stack);
    assert_eq!(props(&t, "Http")["DisableExecuteApiEndpoint"], true);
    assert_eq!(props(&t, "Http")["ProtocolType"], "HTTP");
    assert_eq!(props(&t, "HttpDefaultStage")["Description"], "served");
    assert_eq!(props(&t, "HttpDefaultStage")["AutoDeploy"], true);
}

#[test]
fn configure_overrides_construct_defaults() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function()
            .configure_log_group(|g| g.retention_in_days(30))
            .configure_role(|r| r.description("execution role")),
    );
    stack.add(
        "Jobs",
        // The default: SQS-managed encryption.
        Queue::new().configure(|l1| l1.sqs_managed_sse_enabled(false)),
    );
    let uploads = stack.add(
        "Uploads",
        Bucket::new().configure(|l1| {
            l1.set_public_access_block_configuration(
                None::<Value<nephos::s3::bucket::PublicAccessBlockConfiguration>>,
            )
        }),
    );
    // Clearing the default is seen by the security checks like any public bucket.
    assert!(stack.synth().is_err());
    stack
        .resource(&uploads)
        .suppress("NEPHOS-BUCKET-PUBLIC", "a public website");
    let t = synth(&stack);
    assert_eq!(props(&t, "FnLogGroup")["RetentionInDays"], 30);
    assert_eq!(props(&t, "FnRole")["Description"], "execution role");
    // The role's defaults stay: trust and managed policy.
    assert!(props(&t, "FnRole")["ManagedPolicyArns"].is_array());
    assert_eq!(props(&t, "Jobs")["SqsManagedSseEnabled"], false);
    assert!(
        props(&t, "Uploads")
            .get("PublicAccessBlockConfiguration")
            .is_none()
    );
}

/// Options and `configure` write the same builder; `configure` runs after the options
/// whatever the call order, and sees what they set.
#[test]
fn configure_runs_after_options_whatever_the_call_order() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function()
            .configure(|l1| {
                assert!(l1.props().contains("MemorySize"), "options come first");
                l1.memory_size(512)
            })
            .memory(256)
            .log_retention_days(7)
            .configure_log_group(|g| g.retention_in_days(30)),
    );
    stack.add(
        "Users",
        Table::new(Key::string("id"))
            .configure(|l1| l1.table_name("configured"))
            .name("option"),
    );
    let t = synth(&stack);
    assert_eq!(props(&t, "Fn")["MemorySize"], 512);
    assert_eq!(props(&t, "FnLogGroup")["RetentionInDays"], 30);
    assert_eq!(props(&t, "Users")["TableName"], "configured");
}

#[test]
fn override_property_wins_over_configure() {
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function().configure(|l1| l1.memory_size(512)));
    stack.resource(&f).override_property("MemorySize", 1024);
    let q = stack.add(
        "Jobs",
        Queue::new()
            .removal_policy(RemovalPolicy::Destroy)
            .configure(|l1| l1.delay_seconds(5)),
    );
    stack.resource(&q).remove_property("DelaySeconds");
    let t = synth(&stack);
    assert_eq!(props(&t, "Fn")["MemorySize"], 1024);
    assert!(props(&t, "Jobs").get("DelaySeconds").is_none());
}

/// The construct's checks read the builder after `configure`, so a value set there is
/// checked like an option's.
#[test]
fn construct_checks_see_configured_values() {
    let mut stack = Stack::new("App");
    stack.add("Fn", function().configure(|l1| l1.timeout(5000)));
    stack.add(
        "Jobs",
        Queue::new().configure(|l1| l1.queue_name("bad name!")),
    );
    let err = stack.synth().expect_err("out of Lambda's range");
    let at = |id: &str, path: &str| {
        err.diagnostics.iter().any(|d| {
            d.location.id.as_deref() == Some(id) && d.location.path.as_deref() == Some(path)
        })
    };
    assert!(at("Fn", "Timeout"), "{err:?}");
    assert!(at("Jobs", "QueueName"), "{err:?}");
}

/// A construct with closures is still `Clone`; each copy adds the same properties.
#[test]
fn a_configured_construct_can_be_cloned_and_added_twice() {
    let mut stack = Stack::new("App");
    let queue = Queue::new().configure(|l1| l1.delay_seconds(5));
    stack.add("A", queue.clone());
    stack.add("B", queue);
    let t = synth(&stack);
    assert_eq!(props(&t, "A")["DelaySeconds"], 5);
    assert_eq!(props(&t, "B")["DelaySeconds"], 5);
}

/// `set_<prop>(None)` on a generated builder removes what the constructor or a setter
/// put there; `Some` sets it.
#[test]
fn generated_option_setters_set_and_clear() {
    let q = nephos::sqs::Queue::new()
        .delay_seconds(5)
        .set_delay_seconds(None::<Value<Int>>)
        .set_maximum_message_size(Some(2048));
    assert!(!q.props().contains("DelaySeconds"));
    assert_eq!(q.props().get_json("MaximumMessageSize"), Some(json!(2048)));
    // Clearing a required property is reported at synth, naming it.
    let mut stack = Stack::new("App");
    let topic = stack.add("Topic", nephos::sns::Topic::new());
    stack.add(
        "Sub",
        nephos::sns::Subscription::new("email", topic.arn())
            .set_protocol(None::<Value<nephos::kind::Str>>),
    );
    let err = stack.synth().expect_err("Protocol is required");
    assert!(
        err.diagnostics
            .iter()
            .any(|d| d.location.id.as_deref() == Some("Sub") && d.message.contains("Protocol")),
        "{err:?}"
    );
}

/// Constructs with their closures stay `Send + Sync`, like the stack they go into.
#[test]
fn configured_constructs_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    send_sync(&function().configure(|l1| l1.memory_size(512)));
    send_sync(&Table::new(Key::string("id")).configure(|l1| l1));
    send_sync(&Queue::new().configure(|l1| l1));
    send_sync(&Topic::new().configure(|l1| l1));
    send_sync(&Bucket::new().configure(|l1| l1));
    send_sync(&RestApi::new("api").configure(|l1| l1));
}
