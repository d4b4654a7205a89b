//! An order workflow on Step Functions: a function checks the order, DynamoDB keeps it,
//! a person approves it through a queue (the workflow waits for the task token the
//! message carries), and the outcome is announced on a topic.
//!
//! Shows a typed definition (Task, Choice, Succeed, Fail with retriers and a catcher),
//! service tasks without glue functions (DynamoDB `PutItem` and `UpdateItem`, SQS
//! `SendMessage` with `.waitForTaskToken`, SNS `Publish`), and the role derived from
//! them: invoke on the one function, and each service call's action on its target only.
//!
//! Run: `cargo run --example order_workflow`.

use std::process::ExitCode;

use nephos::constructs::state_machine::{
    AttributeValue as A, Catch, Choice, Condition, Definition, DynamoItem, ErrorName, Fail,
    Payload, Retry, SnsPublish, SqsSendMessage, Succeed, Task,
};
use nephos::constructs::{Code, Function, Key, Queue, Runtime, StateMachine, Table, Topic};
use nephos::stepfunctions::state_machine::Level;
use nephos::{App, Output, Stack, StackSettings};

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("OrderWorkflow");
    stack.description("Orders checked, stored, approved by a person and announced");
    let check = stack.add(
        "CheckOrder",
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline(
                "def handler(event, context):\n    return {'valid': bool(event.get('id')), 'total': event.get('total', 0)}\n",
            ),
        ),
    );
    let orders = stack.add("Orders", Table::new(Key::string("id")));
    let approvals = stack.add("Approvals", Queue::new().retention_seconds(86_400));
    let announcements = stack.add("OrderEvents", Topic::new().display_name("Orders"));

    let flow = Definition::new("Check")
        .comment("Check, store, approve, announce")
        .state(
            "Check",
            Task::invoke(&check)
                .retry(
                    Retry::on(ErrorName::LAMBDA_TRANSIENT)
                        .max_attempts(3)
                        .backoff_rate(2.0),
                )
                .result_path("$.check")
                .next("Valid?"),
        )
        .state(
            "Valid?",
            Choice::new()
                .when(Condition::boolean("$.check.valid", true), "Store")
                .otherwise("Rejected"),
        )
        .state(
            "Store",
            Task::call(
                DynamoItem::put(&orders)
                    .attribute("id", A::string_at("$.id"))
                    .attribute("status", A::string("pending")),
            )
            .discard_result()
            .next("Approve"),
        )
        .state(
            "Approve",
            Task::call(SqsSendMessage::new(&approvals).wait_for_task_token())
                .heartbeat_seconds(3_600)
                .timeout_seconds(86_400)
                .catch(Catch::all("Rejected").result_path("$.error"))
                .result_path("$.approval")
                .next("MarkApproved"),
        )
        .state(
            "MarkApproved",
            Task::call(
                DynamoItem::update(&orders, "SET approved = :yes")
                    .key("id", A::string_at("$.id"))
                    .value(":yes", A::Bool(true)),
            )
            .discard_result()
            .next("Announce"),
        )
        .state(
            "Announce",
            Task::call(SnsPublish::new(&announcements).message(Payload::at("$.id")))
                .discard_result()
                .next("Done"),
        )
        .state("Done", Succeed::new())
        .state("Rejected", Fail::new().error("OrderRejected"));
    let workflow = stack.add("Workflow", StateMachine::new(flow).logs(Level::Error));
    stack.output("WorkflowArn", Output::new(workflow.arn()));
    stack.output("ApprovalsQueueUrl", Output::new(approvals.url()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("order-workflow"));
    app
}

fn main() -> ExitCode {
    app().run()
}
