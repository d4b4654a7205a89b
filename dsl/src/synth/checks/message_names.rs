//! What SQS and SNS refuse in a queue's or topic's name, on every `AWS::SQS::Queue` and
//! `AWS::SNS::Topic` of the template (the `Queue` and `Topic` constructs write the name and
//! check none of this themselves, so they and the generated `sqs::Queue` and `sns::Topic`
//! are checked alike): letters, digits, hyphens and underscores, a FIFO one's name ending
//! in `.fifo` and a standard one's not ([`message_name_problem`]), and a queue's name at
//! most 80 characters (SQS API Reference, `CreateQueue` `QueueName`: the registry schema
//! gives it no length). A topic's length (256) is its schema's `maxLength`, checked with
//! every schema constraint.
//!
//! Literal names only (each literal branch of an `Fn::If`), on a resource whose
//! `FifoQueue`/`FifoTopic` is literal or absent (standard); a computed one is left to the
//! service.

use crate::constructs::names::message_name_problem;
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::Expr;

use super::schedules::literal_texts;

/// The characters of a queue's name SQS takes (`CreateQueue` `QueueName`).
const QUEUE_MAX: usize = 80;

/// Checks every queue's and topic's literal name.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_types(&["AWS::SQS::Queue", "AWS::SNS::Topic"]) {
        let (what, property, fifo_property, max) = match r.entry.type_name.as_str() {
            "AWS::SQS::Queue" => ("queue", "QueueName", "FifoQueue", QUEUE_MAX),
            // The schema's `maxLength` (256) bounds it.
            "AWS::SNS::Topic" => ("topic", "TopicName", "FifoTopic", usize::MAX),
            _ => continue,
        };
        let fifo = match r.field(fifo_property) {
            None | Some(Expr::NoValue) => false,
            Some(Expr::Lit(serde_json::Value::Bool(b))) => *b,
            Some(Expr::Lit(serde_json::Value::String(s))) if s == "true" || s == "false" => {
                s == "true"
            }
            // Computed: whether the name needs `.fifo` is not known.
            Some(_) => continue,
        };
        let id = &*r.entry.target.id;
        for name in r.field(property).map(literal_texts).unwrap_or_default() {
            if let Some((problem, fix)) = message_name_problem(what, name, max, fifo) {
                diags.push(Diagnostic::error(
                    Location::property(id, property),
                    format!("{what} `{id}`: {problem}"),
                    fix,
                ));
            }
        }
    }
}
