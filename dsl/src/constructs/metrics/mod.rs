//! CloudWatch metrics of the constructs (`function.metric_errors()`,
//! `queue.metric_approximate_age_of_oldest_message()`...) and alarms on them, with SNS
//! actions. A [`Metric`] says where CloudWatch publishes it (namespace, name,
//! dimensions) and how an alarm reads it (statistic, period);
//! [`Metric::alarm`] adds an `AWS::CloudWatch::Alarm`, refusing at synth what
//! `PutMetricAlarm` would refuse.
//!
//! ```
//! use nephos::Stack;
//! use nephos::cloudwatch::alarm::ComparisonOperator;
//! use nephos::constructs::{Code, Function, Runtime, Topic};
//! use nephos::constructs::metrics::AlarmOptions;
//! let mut stack = Stack::new("App");
//! let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
//! let ops = stack.add("Ops", Topic::new());
//! let alarm = f.metric_errors().alarm(&mut stack, "WorkerErrors", AlarmOptions::above(0.0));
//! alarm.alarm_action(&mut stack, &ops);
//! let t = stack.synth().unwrap();
//! let a = &t.json()["Resources"]["WorkerErrors"]["Properties"];
//! assert_eq!(a["MetricName"], "Errors");
//! assert_eq!(a["ComparisonOperator"], "GreaterThanThreshold");
//! assert_eq!(a["AlarmActions"], serde_json::json!([{ "Ref": "Ops" }]));
//! ```

mod alarm;

pub use alarm::{AlarmOptions, AlarmRef};

use std::time::Duration;

use crate::cloudwatch::alarm::{Dimension, Statistic};
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A CloudWatch metric: its namespace and name, the dimensions that select one
/// resource's series, and how an alarm reads it (a statistic over a period).
#[derive(Clone, Debug)]
pub struct Metric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Value<Str>)>,
    statistic: Statistic,
    period: Duration,
}

impl Metric {
    /// The metric `name` of `namespace` (`AWS/Lambda`, `Errors`), read as its sum over
    /// five minutes until [`statistic`](Metric::statistic) and
    /// [`period`](Metric::period) say otherwise.
    pub fn new(namespace: &str, name: &str) -> Self {
        Metric {
            namespace: namespace.to_string(),
            name: name.to_string(),
            dimensions: Vec::new(),
            statistic: Statistic::Sum,
            period: Duration::from_secs(300),
        }
    }

    /// Selects the series whose dimension `name` is `value` (`FunctionName`).
    pub fn dimension(mut self, name: &str, value: impl IntoValue<Str>) -> Self {
        self.dimensions.push((name.to_string(), value.into_value()));
        self
    }

    /// The statistic an alarm compares (`Sum`, `Maximum`, `Average`...).
    pub fn statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// The length of each data point an alarm compares (10, 20 or 30 seconds, or a
    /// multiple of a minute; the services' own metrics are published each minute).
    pub fn period(mut self, period: Duration) -> Self {
        self.period = period;
        self
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The metric's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimensions, in the order given.
    pub fn dimensions(&self) -> &[(String, Value<Str>)] {
        &self.dimensions
    }

    /// Adds an alarm on this metric under `id`, as `options` say. What CloudWatch
    /// refuses (no evaluation period, more data points than periods, an evaluation range
    /// too long, a period it does not take, a comparison that needs an anomaly band) is a
    /// synth error naming the alarm.
    pub fn alarm(&self, stack: &mut Stack, id: &str, options: AlarmOptions) -> AlarmRef {
        alarm::add(stack, id, self, options)
    }

    /// The generated alarm builder set to read this metric (namespace, name,
    /// dimensions, statistic, period), for alarms the options do not cover.
    pub fn to_alarm(&self) -> crate::cloudwatch::Alarm {
        let secs = i64::try_from(self.period.as_secs()).unwrap_or(i64::MAX);
        self.dimensions.iter().fold(
            crate::cloudwatch::Alarm::new()
                .namespace(self.namespace.clone())
                .metric_name(self.name.clone())
                .statistic(self.statistic)
                .period(secs),
            |a, (name, value)| a.add_dimensions(Dimension::new(name.clone(), value.clone())),
        )
    }
}
