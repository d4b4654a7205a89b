//! What `PutMetricAlarm` refuses in an `AWS::CloudWatch::Alarm` (Amazon CloudWatch API
//! Reference, `PutMetricAlarm`): a `Period` other than 10, 20 or 30 seconds or a multiple
//! of 60; `Period` times `EvaluationPeriods` over a day (periods under an hour) or seven
//! days; `DatapointsToAlarm` above `EvaluationPeriods` (below 1, either is refused by the
//! registry schema's minimum); and an anomaly-band `ComparisonOperator`
//! (`GreaterThanUpperThreshold`, `LessThanLowerThreshold`,
//! `LessThanLowerOrGreaterThanUpperThreshold`, "used only for alarms based on anomaly
//! detection models") without the band's `ThresholdMetricId`. The deploy fails with a
//! ValidationError.
//!
//! One implementation for every alarm of the template: the metrics' `alarm` construct
//! writes its options and checks nothing of these itself. Only literal numbers (or
//! numeric strings) and names are read; a computed value is left to CloudWatch.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::Expr;

use super::paths::literal;

/// The longest evaluation range, `Period` times `EvaluationPeriods`: a day for periods
/// under an hour, seven days otherwise (`PutMetricAlarm`, `EvaluationPeriods`).
const SHORT_PERIOD_RANGE: i64 = 86_400;
const LONG_PERIOD_RANGE: i64 = 604_800;

/// The comparisons with an anomaly detection band (`PutMetricAlarm`, `ComparisonOperator`).
const BAND_COMPARISONS: &[&str] = &[
    "GreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
];

/// A literal whole number: a JSON number or a numeric string.
fn number(e: Option<&Expr>) -> Option<i64> {
    match e? {
        Expr::Lit(serde_json::Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Expr::Lit(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Checks every `AWS::CloudWatch::Alarm`.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::CloudWatch::Alarm") {
        let id = &*r.entry.target.id;
        let mut problems: Vec<(&str, String)> = Vec::new();
        let period = number(r.field("Period"));
        let evaluation = number(r.field("EvaluationPeriods"));
        if let Some(p) = period
            && !(matches!(p, 10 | 20 | 30) || (p > 0 && p % 60 == 0))
        {
            problems.push((
                "Period",
                format!(
                    "the period is {p} s; CloudWatch takes 10, 20 or 30 seconds or a multiple of 60"
                ),
            ));
        }
        if let (Some(p), Some(n)) = (period, evaluation)
            && p > 0
            && n > 0
        {
            let range = p.saturating_mul(n);
            let limit = if p < 3_600 {
                SHORT_PERIOD_RANGE
            } else {
                LONG_PERIOD_RANGE
            };
            if range > limit {
                problems.push((
                    "EvaluationPeriods",
                    format!(
                        "{n} periods of {p} s span {range} s; CloudWatch evaluates at most {limit} s ({})",
                        if p < 3_600 {
                            "a day for periods under an hour"
                        } else {
                            "seven days for periods of an hour or more"
                        }
                    ),
                ));
            }
        }
        // Below 1 (either) is refused by the registry schema's minimum
        // (synth/checks/constraints.rs): one error.
        if let (Some(d), Some(n)) = (number(r.field("DatapointsToAlarm")), evaluation)
            && n >= 1
            && d > n
        {
            problems.push((
                "DatapointsToAlarm",
                format!("needs {d} breaching data points of {n} periods; give 1 to {n}"),
            ));
        }
        if let Some(op) = r.field("ComparisonOperator").and_then(literal)
            && BAND_COMPARISONS.contains(&op)
            && r.field("ThresholdMetricId").is_none()
        {
            problems.push((
                "ComparisonOperator",
                format!(
                    "`{op}` compares with an anomaly detection band, not a threshold, and the alarm names no band (`ThresholdMetricId`)"
                ),
            ));
        }
        for (property, problem) in problems {
            diags.push(Diagnostic::error(
                Location::property(id, property),
                format!("alarm `{id}`: {problem}, so PutMetricAlarm refuses it"),
                "change the alarm's options or the metric's period (Amazon CloudWatch API Reference, PutMetricAlarm)",
            ));
        }
    }
}
