//! Stage options of API Gateway APIs: access logs with a typed format, and throttling.
//! Used by `HttpApi`, and by `RestApi` on the stages it adds as resources of their own
//! (`RestStage`: a deployment's `StageDescription` cannot carry them, as CloudFormation
//! refuses it when the stage already exists, which every redeployment of a
//! content-addressed deployment meets).
//!
//! Facts from the API Gateway Developer Guide, "Customizing HTTP API access logs": the
//! `$context` variables; a format must contain `$context.requestId` or
//! `$context.extendedRequestId`, or the stage update fails. "Throttle requests to your
//! HTTP APIs": a burst limit and a steady-state rate in requests per second, per stage and
//! per route.

use crate::constructs::RemovalPolicy;

/// One field of an access log line: a `$context` variable of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogField {
    /// `$context.requestId`.
    RequestId,
    /// `$context.extendedRequestId`.
    ExtendedRequestId,
    /// `$context.identity.sourceIp`.
    SourceIp,
    /// `$context.identity.userAgent`.
    UserAgent,
    /// `$context.requestTime` (CLF format).
    RequestTime,
    /// `$context.requestTimeEpoch` (milliseconds).
    RequestTimeEpoch,
    /// `$context.httpMethod`.
    HttpMethod,
    /// `$context.routeKey`.
    RouteKey,
    /// `$context.path`.
    Path,
    /// `$context.protocol`.
    Protocol,
    /// `$context.status`.
    Status,
    /// `$context.responseLength`.
    ResponseLength,
    /// `$context.responseLatency` (milliseconds).
    ResponseLatency,
    /// `$context.integrationStatus`.
    IntegrationStatus,
    /// `$context.integrationLatency` (milliseconds).
    IntegrationLatency,
    /// `$context.integrationErrorMessage`.
    IntegrationError,
    /// `$context.error.message`.
    ErrorMessage,
    /// `$context.authorizer.error`.
    AuthorizerError,
    /// `$context.domainName`.
    DomainName,
}

impl LogField {
    /// The field's name in a JSON log line and the `$context` variable it holds.
    pub fn name_and_variable(self) -> (&'static str, &'static str) {
        match self {
            LogField::RequestId => ("requestId", "$context.requestId"),
            LogField::ExtendedRequestId => ("extendedRequestId", "$context.extendedRequestId"),
            LogField::SourceIp => ("sourceIp", "$context.identity.sourceIp"),
            LogField::UserAgent => ("userAgent", "$context.identity.userAgent"),
            LogField::RequestTime => ("requestTime", "$context.requestTime"),
            LogField::RequestTimeEpoch => ("requestTimeEpoch", "$context.requestTimeEpoch"),
            LogField::HttpMethod => ("httpMethod", "$context.httpMethod"),
            LogField::RouteKey => ("routeKey", "$context.routeKey"),
            LogField::Path => ("path", "$context.path"),
            LogField::Protocol => ("protocol", "$context.protocol"),
            LogField::Status => ("status", "$context.status"),
            LogField::ResponseLength => ("responseLength", "$context.responseLength"),
            LogField::ResponseLatency => ("responseLatency", "$context.responseLatency"),
            LogField::IntegrationStatus => ("integrationStatus", "$context.integrationStatus"),
            LogField::IntegrationLatency => ("integrationLatency", "$context.integrationLatency"),
            LogField::IntegrationError => ("integrationError", "$context.integrationErrorMessage"),
            LogField::ErrorMessage => ("errorMessage", "$context.error.message"),
            LogField::AuthorizerError => ("authorizerError", "$context.authorizer.error"),
            LogField::DomainName => ("domainName", "$context.domainName"),
        }
    }
}

impl LogField {
    /// The field's name and variable in a REST API's access log, where three differ from
    /// an HTTP API's: REST APIs have no route key (the resource path, `/users/{id}`, is
    /// logged instead) and name the integration's error and status under
    /// `$context.integration` (API Gateway Developer Guide, "Variables for access logging
    /// for REST APIs").
    pub fn rest_name_and_variable(self) -> (&'static str, &'static str) {
        match self {
            LogField::RouteKey => ("resourcePath", "$context.resourcePath"),
            LogField::IntegrationError => ("integrationError", "$context.integration.error"),
            LogField::IntegrationStatus => ("integrationStatus", "$context.integration.status"),
            other => other.name_and_variable(),
        }
    }
}

/// The format of access log lines: one JSON object per request with the chosen fields,
/// in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLogFormat {
    fields: Vec<LogField>,
}

impl AccessLogFormat {
    /// A JSON line of `fields`; it must include [`LogField::RequestId`] or
    /// [`LogField::ExtendedRequestId`] (a synth error otherwise, as API Gateway refuses it).
    pub fn json(fields: impl IntoIterator<Item = LogField>) -> Self {
        AccessLogFormat {
            fields: fields.into_iter().collect(),
        }
    }

    /// What an operator reads first: request ID, caller, time, route, status, latency,
    /// response size, and integration and authorizer errors.
    pub fn standard() -> Self {
        Self::json([
            LogField::RequestId,
            LogField::SourceIp,
            LogField::RequestTime,
            LogField::RouteKey,
            LogField::Status,
            LogField::Protocol,
            LogField::ResponseLength,
            LogField::ResponseLatency,
            LogField::IntegrationError,
            LogField::AuthorizerError,
        ])
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[LogField] {
        &self.fields
    }

    /// The format string API Gateway takes (a JSON object, each value a `$context`
    /// variable, every value quoted so the line is JSON whatever the variable holds).
    pub fn render(&self) -> String {
        let parts: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                let (name, var) = f.name_and_variable();
                format!("\"{name}\":\"{var}\"")
            })
            .collect();
        format!("{{{}}}", parts.join(","))
    }

    /// The format string a REST API stage takes (as [`render`](Self::render), with the
    /// REST API's variables: [`LogField::rest_name_and_variable`]).
    pub fn render_rest(&self) -> String {
        let parts: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                let (name, var) = f.rest_name_and_variable();
                format!("\"{name}\":\"{var}\"")
            })
            .collect();
        format!("{{{}}}", parts.join(","))
    }

    /// What API Gateway would refuse, or a field given twice.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self
            .fields
            .iter()
            .any(|f| matches!(f, LogField::RequestId | LogField::ExtendedRequestId))
        {
            out.push("an access log format must contain the request ID (`LogField::RequestId` or `LogField::ExtendedRequestId`), or API Gateway refuses the stage".to_string());
        }
        let mut seen = std::collections::BTreeSet::new();
        for f in &self.fields {
            if !seen.insert(*f) {
                out.push(format!(
                    "the access log field `{}` is given twice",
                    f.name_and_variable().0
                ));
            }
        }
        out
    }
}

/// Access logs of a stage: a log group the construct adds (`<Api>AccessLogs`, retained
/// for 30 days unless set, kept when the stack is deleted) and the line format.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessLogs {
    format: AccessLogFormat,
    retention_days: u32,
    removal: RemovalPolicy,
}

impl AccessLogs {
    /// Access logs in `format`.
    pub fn new(format: AccessLogFormat) -> Self {
        AccessLogs {
            format,
            retention_days: 30,
            removal: RemovalPolicy::Retain,
        }
    }

    /// How long the log group keeps lines, in days (one of CloudWatch Logs' values).
    pub fn retention_days(mut self, days: u32) -> Self {
        self.retention_days = days;
        self
    }

    /// What happens to the log group when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal = policy;
        self
    }

    /// The line format.
    pub fn format(&self) -> &AccessLogFormat {
        &self.format
    }

    /// The log group's retention, in days.
    pub fn retention(&self) -> u32 {
        self.retention_days
    }

    /// The log group's removal policy.
    pub fn removal(&self) -> RemovalPolicy {
        self.removal
    }
}

/// Request throttling: a steady-state rate (requests per second) and a burst (the
/// bucket of requests served at once above it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throttle {
    /// The burst limit, in requests.
    pub burst: u32,
    /// The steady-state rate, in requests per second.
    pub rate_per_second: f64,
}

impl Throttle {
    /// A rate of `rate_per_second` with bursts of `burst` requests.
    pub fn new(rate_per_second: f64, burst: u32) -> Self {
        Throttle {
            burst,
            rate_per_second,
        }
    }

    /// Why API Gateway would refuse it: a rate that is negative or not a number.
    pub fn problem(&self) -> Option<String> {
        (!self.rate_per_second.is_finite() || self.rate_per_second < 0.0).then(|| {
            format!(
                "the throttling rate {} is not a number of requests per second of 0 or more",
                self.rate_per_second
            )
        })
    }

    /// The limits as API Gateway's settings name them (`ThrottlingBurstLimit`,
    /// `ThrottlingRateLimit`), for a stage's or a route's settings.
    pub fn settings(&self) -> crate::Value<crate::kind::Any> {
        crate::value!({
            "ThrottlingBurstLimit": self.burst as i64,
            "ThrottlingRateLimit": self.rate_per_second
        })
    }
}
