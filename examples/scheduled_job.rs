//! A scheduled job with an alarm: a function run every night by an EventBridge rule,
//! whose errors raise a CloudWatch alarm that emails the on-call address through a topic.
//!
//! Shows a cron schedule checked at synth, the rule's target with its invoke permission
//! (scoped to the rule), retries and a dead-letter queue for runs that could not be
//! started, the function's `Errors` metric as an alarm, and the alarm's SNS action with
//! the topic policy statement that lets CloudWatch (for this alarm only) publish.
//!
//! Run: `cargo run --example scheduled_job`.

use std::process::ExitCode;
use std::time::Duration;

use nephos::constructs::metrics::AlarmOptions;
use nephos::constructs::timing::Schedule;
use nephos::constructs::{Code, EventTarget, Function, Queue, Rule, Runtime, Topic};
use nephos::{App, Output, Stack, StackSettings};

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("ScheduledJob");
    stack.description("A nightly cleanup job, with an alarm on its errors");
    let cleanup = stack.add(
        "Cleanup",
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline(
                "def handler(event, context):\n    return {'cleaned': event.get('scope')}\n",
            ),
        )
        .timeout(300),
    );
    let undelivered = stack.add(
        "CleanupUndelivered",
        Queue::new().retention_seconds(1_209_600),
    );
    let nightly = stack.add(
        "Nightly",
        Rule::schedule(Schedule::cron("0 2 * * ? *"))
            .description("Cleanup, every night at 02:00 UTC"),
    );
    nightly.target_function(
        &mut stack,
        &cleanup,
        EventTarget::new()
            .input(serde_json::json!({ "scope": "expired-sessions" }))
            .retry(2, Duration::from_secs(3_600))
            .dead_letter_queue(&undelivered),
    );
    let on_call = stack.add("OnCall", Topic::new().display_name("Cleanup alarms"));
    on_call.subscribe_email(&mut stack, "oncall@example.com");
    cleanup
        .metric_errors()
        .alarm(&mut stack, "CleanupErrors", AlarmOptions::above(0.0))
        .alarm_action(&mut stack, &on_call);
    stack.output("OnCallTopicArn", Output::new(on_call.arn()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("scheduled-job"));
    app
}

fn main() -> ExitCode {
    app().run()
}
