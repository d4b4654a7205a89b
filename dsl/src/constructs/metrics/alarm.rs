//! [`AlarmOptions`] and the alarm they make: checked against `PutMetricAlarm`'s rules
//! (Amazon CloudWatch API Reference, `PutMetricAlarm`: `Period`, `EvaluationPeriods`,
//! `DatapointsToAlarm`) at synth on the template's alarm, as a generated
//! `cloudwatch::Alarm` is, with SNS actions added on the handle.

use crate::cloudwatch::AlarmHandle;
use crate::cloudwatch::alarm::{ComparisonOperator, TreatMissingData};
use crate::constructs::metrics::Metric;
#[cfg(feature = "sns")]
use crate::constructs::wiring::TopicEnd;
use crate::diagnostic::{Diagnostic, Location};
use crate::kinds::{CloudWatchAlarmArn, CloudWatchAlarmName};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// When an alarm fires: the metric's statistic compared with `threshold` in each of the
/// last `evaluation_periods` periods, at least `datapoints_to_alarm` of them breaching
/// (all of them when `None`), missing data treated as `treat_missing_data` says.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmOptions {
    /// The value compared with.
    pub threshold: f64,
    /// How many recent periods are evaluated (at least 1).
    pub evaluation_periods: u32,
    /// How many of them must breach (1 to `evaluation_periods`; `None`: all).
    pub datapoints_to_alarm: Option<u32>,
    /// How the statistic is compared with the threshold (the static comparisons; the
    /// anomaly-band ones need an anomaly detector and are refused here).
    pub comparison: ComparisonOperator,
    /// What a period without data counts as.
    pub treat_missing_data: TreatMissingData,
}

impl AlarmOptions {
    /// Fires when the statistic is above `threshold` in one period; a period without
    /// data is not breaching (a function not invoked has no errors).
    pub fn above(threshold: f64) -> Self {
        AlarmOptions {
            threshold,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            comparison: ComparisonOperator::GreaterThanThreshold,
            treat_missing_data: TreatMissingData::NotBreaching,
        }
    }
}

/// An alarm added to a stack.
#[derive(Clone, Debug)]
pub struct AlarmRef {
    alarm: AlarmHandle,
}

impl AlarmRef {
    /// The alarm's ARN.
    pub fn arn(&self) -> Value<CloudWatchAlarmArn> {
        self.alarm.arn()
    }

    /// The alarm's name.
    pub fn name(&self) -> Value<CloudWatchAlarmName> {
        self.alarm.name()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &AlarmHandle {
        &self.alarm
    }

    /// Notifies `topic` when the alarm fires: the topic in `AlarmActions`, a statement in
    /// the topic's policy letting CloudWatch publish for this alarm only, and CloudWatch
    /// allowed on the topic's customer-managed key (without it the notification is
    /// dropped).
    #[cfg(feature = "sns")]
    pub fn alarm_action(&self, stack: &mut Stack, topic: &impl TopicEnd) -> &Self {
        crate::constructs::wiring::alarm_action::notify(stack, &self.alarm, topic, "AlarmActions");
        self
    }

    /// Notifies `topic` when the alarm returns to OK (as [`alarm_action`](Self::alarm_action)).
    #[cfg(feature = "sns")]
    pub fn ok_action(&self, stack: &mut Stack, topic: &impl TopicEnd) -> &Self {
        crate::constructs::wiring::alarm_action::notify(stack, &self.alarm, topic, "OKActions");
        self
    }
}

impl Handle for AlarmRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.alarm.resource_ref()
    }
}

/// Adds the alarm, reporting what `PutMetricAlarm` refuses.
pub(super) fn add(stack: &mut Stack, id: &str, metric: &Metric, o: AlarmOptions) -> AlarmRef {
    for (property, problem) in problems(metric, &o) {
        stack.problem(Diagnostic::error(
            Location::property(id, property),
            format!("alarm `{id}` on {} `{}`: {problem}", metric.namespace(), metric.name()),
            "change the alarm's options or the metric's period (Amazon CloudWatch API Reference, PutMetricAlarm)",
        ));
    }
    let secs = metric.period.as_secs();
    if metric.namespace().starts_with("AWS/") && matches!(secs, 10 | 20 | 30) {
        // CloudWatch takes the period, but the AWS services publish their metrics once a
        // minute (high resolution is for custom metrics: Amazon CloudWatch User Guide,
        // "High-resolution metrics"), so most periods hold no data point.
        stack.problem(Diagnostic::warning(
            Location::property(id, "Period"),
            format!(
                "alarm `{id}` reads {} `{}` every {secs} s, but AWS publishes that metric once a minute: most periods have no data, and the alarm sits in INSUFFICIENT_DATA or treats them as missing",
                metric.namespace(),
                metric.name()
            ),
            "give the metric a `period` of 60 s or a multiple of it",
        ));
    }
    let mut alarm = metric
        .to_alarm()
        .threshold(o.threshold)
        .evaluation_periods(i64::from(o.evaluation_periods))
        .comparison_operator(o.comparison)
        .treat_missing_data(o.treat_missing_data);
    if let Some(n) = o.datapoints_to_alarm {
        alarm = alarm.datapoints_to_alarm(i64::from(n));
    }
    AlarmRef {
        alarm: stack.add(id, alarm),
    }
}

/// What `PutMetricAlarm` refuses in `o` for `metric` that the template cannot show, by
/// property: a period with a fraction of a second (the template writes whole seconds)
/// and a threshold that is not a finite number (JSON has none). The rest (the period's
/// length, the evaluation range, `DatapointsToAlarm`, an anomaly-band comparison) is
/// checked at synth on the template's alarm (synth/checks/alarms.rs), as on a generated
/// `cloudwatch::Alarm`.
fn problems(metric: &Metric, o: &AlarmOptions) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let period = metric.period;
    if period.subsec_nanos() != 0 {
        out.push((
            "Period",
            format!("the period is {period:?}; CloudWatch takes 10, 20 or 30 seconds or a multiple of 60"),
        ));
    }
    if !o.threshold.is_finite() {
        out.push((
            "Threshold",
            format!(
                "the threshold is {}; it must be a finite number",
                o.threshold
            ),
        ));
    }
    out
}
