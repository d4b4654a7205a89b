//! A check left for synth by a construct written outside nephos (`Stack::check_at_synth`),
//! the way the library's grants leave theirs: it reads the final resources through the
//! public, read-only `Resolved` view and its diagnostics are synth's own.

use std::sync::{Arc, Mutex};

use nephos::constructs::grants;
use nephos::constructs::{Code, Function, Queue, Runtime};
use nephos::{Diagnostic, Handle, Location, Resolved, Severity, Stack, sqs};
use serde_json::{Map, Value as J, json};

/// A user's construct helper: a consumer that needs the queue to hide a message for at
/// least `seconds`, which a later call (or an override) can still change, so it leaves
/// the check for synth. An error, so a queue that breaks it fails synth.
fn require_visibility(stack: &mut Stack, queue: &impl Handle, seconds: i64) {
    let id = queue.resource_ref().logical_id().to_string();
    stack.check_at_synth(move |resources: &[Resolved<'_>]| {
        let Some(queue) = resources.iter().find(|r| r.logical_id() == id) else {
            return Vec::new();
        };
        assert_eq!(queue.type_name(), "AWS::SQS::Queue");
        // SQS's default visibility timeout is 30 seconds.
        let visibility = queue
            .property("VisibilityTimeout")
            .map_or(Some(30), |v| v.as_i64());
        if visibility.is_some_and(|v| v >= seconds) {
            return Vec::new();
        }
        vec![Diagnostic::error(
            Location::property(&id, "VisibilityTimeout"),
            format!("`{id}` must hide a message for at least {seconds} s for its consumer"),
            format!("set the queue's visibility timeout to at least {seconds}"),
        )]
    });
}

#[test]
fn a_check_left_by_a_users_construct_is_reported_at_synth() {
    let mut stack = Stack::new("App");
    let queue = stack.add("Jobs", sqs::Queue::new().visibility_timeout(20));
    require_visibility(&mut stack, &queue, 60);
    let err = stack.synth().unwrap_err();
    let errors: Vec<&Diagnostic> = err.errors().collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].severity, Severity::Error);
    assert!(
        errors[0]
            .message
            .contains("`Jobs` must hide a message for at least 60 s"),
        "{err}"
    );
    assert_eq!(
        errors[0].location,
        Location::property("Jobs", "VisibilityTimeout")
    );
}

#[test]
fn the_check_reads_the_final_resources_after_overrides() {
    let mut stack = Stack::new("App");
    // The default (30 s) breaks the check.
    let queue = stack.add("Jobs", sqs::Queue::new());
    require_visibility(&mut stack, &queue, 60);
    assert!(stack.synth().is_err());
    // An override after the check was left is what the check sees.
    stack
        .resource(&queue)
        .override_property("VisibilityTimeout", 90);
    let template = stack.synth().unwrap();
    assert!(template.warnings().is_empty(), "{:?}", template.warnings());
}

#[test]
fn the_same_diagnostic_from_two_checks_is_reported_once() {
    let mut stack = Stack::new("App");
    let queue = stack.add("Jobs", sqs::Queue::new());
    require_visibility(&mut stack, &queue, 60);
    require_visibility(&mut stack, &queue, 60);
    let err = stack.synth().unwrap_err();
    assert_eq!(err.errors().count(), 1, "{err}");
}

#[test]
fn a_warning_left_for_synth_is_listed_with_the_templates_warnings() {
    let mut stack = Stack::new("App");
    stack.add("Jobs", sqs::Queue::new());
    stack.check_at_synth(|resources| {
        resources
            .iter()
            .filter(|r| r.type_name() == "AWS::SQS::Queue")
            .map(|r| {
                Diagnostic::warning(
                    Location::resource(r.logical_id()),
                    "a queue the user's rule warns about",
                    "none",
                )
            })
            .collect()
    });
    let template = stack.synth().unwrap();
    assert_eq!(
        template.warnings(),
        [Diagnostic::warning(
            Location::resource("Jobs"),
            "a queue the user's rule warns about",
            "none",
        )]
    );
}

/// What the view showed of one resource: logical ID, type, properties.
type Seen = (String, String, Map<String, J>);

/// The view writes each resource's type and properties as the template does, intrinsic
/// functions included: a function consuming a construct queue (a role with a policy
/// naming the queue by `Fn::GetAtt`, a mapping referring to both).
#[test]
fn the_view_shows_what_the_template_writes() {
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let q = stack.add("Jobs", Queue::new());
    grants::queue::consume(&mut stack, &f, &q.grant_target());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let into = Arc::clone(&seen);
    stack.check_at_synth(move |resources| {
        let mut seen = into.lock().unwrap();
        for r in resources {
            assert_eq!(r.property("NoSuchProperty"), None);
            for (name, value) in r.properties() {
                assert_eq!(r.property(&name), Some(value));
            }
            seen.push((
                r.logical_id().to_string(),
                r.type_name().to_string(),
                r.properties(),
            ));
        }
        Vec::new()
    });
    let template = stack.synth().unwrap().json().clone();
    let seen = seen.lock().unwrap();
    let resources = template["Resources"].as_object().unwrap();
    assert_eq!(seen.len(), resources.len());
    for (id, type_name, properties) in seen.iter() {
        let written = &resources[id];
        assert_eq!(written["Type"], json!(type_name), "{id}");
        let written_props = written.get("Properties").cloned().unwrap_or(json!({}));
        assert_eq!(J::Object(properties.clone()), written_props, "{id}");
    }
    // The policy names the queue by reference, as the template writes it.
    let role = &seen.iter().find(|(id, ..)| id == "WorkerRole").unwrap().2;
    assert!(
        role["Policies"]
            .to_string()
            .contains(r#"{"Fn::GetAtt":["Jobs","Arn"]}"#),
        "{role:?}"
    );
}
