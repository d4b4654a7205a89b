//! Schedule expressions and time zones EventBridge refuses, on the resources that take
//! them: `AWS::Events::Rule.ScheduleExpression` (a rate or a cron expression: "Schedule
//! expressions for rules", Amazon EventBridge User Guide) and
//! `AWS::Scheduler::Schedule.ScheduleExpression` (also `at(...)`) and
//! `ScheduleExpressionTimezone` (an IANA time zone name: "Schedule types on EventBridge
//! Scheduler", EventBridge Scheduler User Guide). PutRule and CreateSchedule refuse
//! anything else with a ValidationException, so the deploy fails and rolls back.
//!
//! The rules are those of [`crate::constructs::timing`], the one implementation: the
//! `Rule` and `ScheduledJob` constructs write the expression and the zone as given and
//! are checked here like the generated `events::Rule` and `scheduler::Schedule`. Only
//! literal text is read (each literal branch of an `Fn::If`); a computed value, or text
//! holding a dynamic reference (`{{resolve:...}}`), is left to the service.
//!
//! A scheduled rule runs on the default event bus only: PutRule answers "ScheduleExpression
//! is supported only on the default event bus" ([`schedule_on_bus`]).

use crate::constructs::timing::{Schedule, TimeZone};
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{alternatives, literal};

/// The literal texts `e` may take at deploy (each literal branch of an `Fn::If`), without
/// the ones holding a dynamic reference, which CloudFormation resolves at deploy.
pub(super) fn literal_texts(e: &Expr) -> Vec<&str> {
    alternatives(e)
        .into_iter()
        .filter_map(literal)
        .filter(|t| !t.contains("{{resolve:"))
        .collect()
}

/// Checks every rule's and schedule's literal expression and time zone.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_types(&["AWS::Events::Rule", "AWS::Scheduler::Schedule"]) {
        let rule = match r.entry.type_name.as_str() {
            "AWS::Events::Rule" => true,
            "AWS::Scheduler::Schedule" => false,
            _ => continue,
        };
        let id = &*r.entry.target.id;
        for text in r
            .field("ScheduleExpression")
            .map(literal_texts)
            .unwrap_or_default()
        {
            // A rule's text that is not `rate(...)` or `cron(...)` (an `at(...)`, anything
            // else) is refused by the registry schema's pattern
            // (`^(rate\(.+\)|cron\(.+\))?$`, synth/checks/constraints.rs): one error.
            if rule && !(text.starts_with("rate(") || text.starts_with("cron(")) {
                continue;
            }
            match Schedule::parse(text).expression() {
                Ok(_) => {}
                Err(why) => diags.push(Diagnostic::error(
                    Location::property(id, "ScheduleExpression"),
                    format!(
                        "the schedule of {} `{id}`: {why}",
                        if rule { "rule" } else { "schedule" }
                    ),
                    if rule {
                        "write a rate such as `rate(5 minutes)` or a cron expression of six fields with `?` in day-of-month or day-of-week (Amazon EventBridge User Guide, \"Schedule expressions for rules\")"
                    } else {
                        "write `rate(5 minutes)`, a cron expression of six fields with `?` in day-of-month or day-of-week, or `at(yyyy-mm-ddThh:mm:ss)` (EventBridge Scheduler User Guide, \"Schedule types\")"
                    },
                )),
            }
        }
        if rule {
            schedule_on_bus(r, resources, diags);
            continue;
        }
        for zone in r
            .field("ScheduleExpressionTimezone")
            .map(literal_texts)
            .unwrap_or_default()
        {
            if let Err(why) = TimeZone::new(zone).check() {
                diags.push(Diagnostic::error(
                    Location::property(id, "ScheduleExpressionTimezone"),
                    format!("the time zone of schedule `{id}`: {why}"),
                    "give an IANA time zone name such as `Europe/Paris` or `America/New_York` (or `UTC`)",
                ));
            }
        }
    }
}

/// The page saying a scheduled rule runs on the default bus only ("Creating a rule that
/// runs on a schedule in Amazon EventBridge": "You can only create scheduled rules using
/// the default event bus").
const SCHEDULED_RULES: &str =
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html";

/// Refuses a rule with a `ScheduleExpression` whose `EventBusName` is known to be another
/// bus than the default one: an event bus of the stack, or a literal name or ARN other than
/// `default` (each literal branch of an `Fn::If`; anything computed is left to EventBridge).
fn schedule_on_bus(r: &Resolved, resources: &Resources, diags: &mut Vec<Diagnostic>) {
    if r.field("ScheduleExpression")
        .is_none_or(|e| alternatives(e).is_empty())
    {
        return;
    }
    let Some(bus) = r.field("EventBusName") else {
        return;
    };
    let id = &*r.entry.target.id;
    let custom = alternatives(bus).into_iter().find_map(|e| {
        if let Some(text) = literal(e) {
            let name = text.rsplit_once(":event-bus/").map_or(text, |(_, n)| n);
            return (name != "default" && !text.contains("{{resolve:"))
                .then(|| format!("`{}`", text.escape_debug()));
        }
        let target = super::paths::resource_named(e)?;
        resources
            .get(target)
            .is_some_and(|o| o.entry.type_name == "AWS::Events::EventBus")
            .then(|| format!("the event bus `{target}` of the stack"))
    });
    if let Some(bus) = custom {
        diags.push(Diagnostic::error(
            Location::property(id, "EventBusName"),
            format!(
                "rule `{id}` runs on a schedule and names the event bus {bus}; EventBridge runs scheduled rules on the default bus only (\"ScheduleExpression is supported only on the default event bus\", {SCHEDULED_RULES})"
            ),
            "remove `EventBusName` (`.bus(...)` on the `Rule` construct) from the scheduled rule, or match events on the bus with an event pattern instead",
        ));
    }
}
