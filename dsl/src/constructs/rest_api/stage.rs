//! The stages of a [`RestApi`](super::RestApi) added as `AWS::ApiGateway::Stage`
//! resources ([`RestStage`]): throttling, a cache cluster, X-Ray tracing and access logs
//! for the whole stage, and throttling and caching per method
//! ([`RestMethod::throttle`](super::RestMethod::throttle),
//! [`RestMethod::cache`](super::RestMethod::cache)).
//!
//! Facts from the API Gateway Developer Guide: "Enable API caching" (cache cluster sizes
//! 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 and 237 GB; a TTL of 0 to 3600 seconds; method
//! caching needs the stage's cache cluster), "Throttle requests to your REST APIs" (a
//! stage's and a method's burst and rate), "Set up CloudWatch logging for REST APIs" (a
//! stage's access logs need the account's CloudWatch Logs role, `AWS::ApiGateway::Account`,
//! one per account and region: see `account`), and the
//! `AWS::ApiGateway::Stage` reference (`MethodSettings`: `ResourcePath` with `/` written
//! `~1`, `/*` and `HttpMethod` `*` for every method).

use std::time::Duration;

use crate::apigateway::DeploymentHandle;
use crate::apigateway::stage::{AccessLogSetting, MethodSetting};
use crate::constructs::{AccessLogs, Throttle};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::kinds::ApiGatewayRestApiId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The size of a stage's cache cluster, in GB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheSize {
    /// 0.5 GB.
    Gb0_5,
    /// 1.6 GB.
    Gb1_6,
    /// 6.1 GB.
    Gb6_1,
    /// 13.5 GB.
    Gb13_5,
    /// 28.4 GB.
    Gb28_4,
    /// 58.2 GB.
    Gb58_2,
    /// 118 GB.
    Gb118,
    /// 237 GB.
    Gb237,
}

impl CacheSize {
    /// The value API Gateway takes (`0.5`).
    pub fn as_str(self) -> &'static str {
        match self {
            CacheSize::Gb0_5 => "0.5",
            CacheSize::Gb1_6 => "1.6",
            CacheSize::Gb6_1 => "6.1",
            CacheSize::Gb13_5 => "13.5",
            CacheSize::Gb28_4 => "28.4",
            CacheSize::Gb58_2 => "58.2",
            CacheSize::Gb118 => "118",
            CacheSize::Gb237 => "237",
        }
    }
}

/// Options of a REST API stage that lives as a resource of its own
/// (`<Api>Stage` for the API's stage, `<Api><Name>Stage` for another): throttling, a cache
/// cluster (cached data encrypted), X-Ray tracing and access logs. A stage with options
/// is created by its resource, not by the deployment, which it then points at.
///
/// Access logs of a REST API need the account's CloudWatch Logs role set in API
/// Gateway's account settings (`AWS::ApiGateway::Account`, one per account and region):
/// see [`RestApi::cloud_watch_role`](super::RestApi::cloud_watch_role), without which
/// such a stage is a synth warning. A stage created by an earlier deployment (the API
/// deployed before without stage options) cannot be taken over by a stage resource of
/// the same name: CloudFormation would create it and API Gateway refuse it as existing.
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{AccessLogFormat, AccessLogs, CacheSize, Code, Function, RestApi, RestStage, Runtime, Throttle};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Api", RestApi::new("users")
///     .stage_options(RestStage::new()
///         .throttle(Throttle::new(100.0, 200))
///         .cache_cluster(CacheSize::Gb0_5)
///         .tracing()
///         .access_logs(AccessLogs::new(AccessLogFormat::standard())))
///     .add_stage("canary", RestStage::new().throttle(Throttle::new(5.0, 10))));
/// api.route(&mut stack, "GET", "/users/{id}", &f)
///     .cache(&mut stack, Duration::from_secs(60))
///     .throttle(&mut stack, Throttle::new(20.0, 40));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let stage = &t["Resources"]["ApiStage"]["Properties"];
/// assert_eq!(stage["StageName"], "prod");
/// assert_eq!(stage["CacheClusterSize"], "0.5");
/// assert_eq!(stage["MethodSettings"][1]["ResourcePath"], "/~1users~1{id}");
/// assert_eq!(stage["MethodSettings"][1]["CacheTtlInSeconds"], 60);
/// assert_eq!(t["Resources"]["ApiCanaryStage"]["Properties"]["StageName"], "canary");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestStage {
    throttle: Option<Throttle>,
    cache: Option<CacheSize>,
    tracing: bool,
    access_logs: Option<AccessLogs>,
}

impl RestStage {
    /// A stage without throttling of its own (the account's limits apply), cache,
    /// tracing or access logs.
    pub fn new() -> Self {
        RestStage::default()
    }

    /// Throttles every method of the stage (a method's own [`RestMethod::throttle`](super::RestMethod::throttle) wins).
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// A cache cluster of `size` for the stage, which the methods given a TTL with
    /// [`RestMethod::cache`](super::RestMethod::cache) use (cached data encrypted).
    pub fn cache_cluster(mut self, size: CacheSize) -> Self {
        self.cache = Some(size);
        self
    }

    /// Traces requests with AWS X-Ray.
    pub fn tracing(mut self) -> Self {
        self.tracing = true;
        self
    }

    /// Writes a line per request to a log group the construct adds.
    pub fn access_logs(mut self, logs: AccessLogs) -> Self {
        self.access_logs = Some(logs);
        self
    }

    /// Whether the stage writes access logs (which need the account's CloudWatch Logs
    /// role: [`RestApi::cloud_watch_role`](super::RestApi::cloud_watch_role)).
    pub fn has_access_logs(&self) -> bool {
        self.access_logs.is_some()
    }

    /// Whether the stage has a cache cluster.
    pub fn has_cache(&self) -> bool {
        self.cache.is_some()
    }
}

/// Adds the stage resource `stage_id` named `name` of the API, pointing at `deployment`,
/// with its log group `<stage_id minus Stage>AccessLogs` when it logs.
pub(super) fn add(
    stack: &mut Stack,
    (api, api_id): (&ResourceRef, Value<ApiGatewayRestApiId>),
    (stage_id, logs_id): (&str, &str),
    name: Value<Str>,
    deployment: &DeploymentHandle,
    options: &RestStage,
) -> crate::apigateway::StageHandle {
    let mut stage = crate::apigateway::Stage::new(api_id)
        .stage_name(name)
        .deployment_id(deployment.reference());
    if options.tracing {
        stage = stage.tracing_enabled(true);
    }
    if let Some(size) = options.cache {
        stage = stage
            .cache_cluster_enabled(true)
            .cache_cluster_size(size.as_str());
    }
    if let Some(t) = &options.throttle {
        if let Some(p) = t.problem() {
            stack.problem(Diagnostic::error(
                Location::property(stage_id, "MethodSettings"),
                format!("stage `{stage_id}`: {p}"),
                "give a rate of 0 or more requests per second",
            ));
        }
        stage = stage.add_method_settings(
            MethodSetting::new()
                .resource_path("/*")
                .http_method("*")
                .throttling_burst_limit(i64::from(t.burst))
                .throttling_rate_limit(t.rate_per_second),
        );
    }
    if let Some(logs) = &options.access_logs {
        let problems = logs.format().problems();
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::property(stage_id, "AccessLogSetting"),
                format!("stage `{stage_id}`: {}", problems.join("; ")),
                "list each field once, with `LogField::RequestId` among them (or start from `AccessLogFormat::standard()`)",
            ));
        }
        let group = stack.add(
            logs_id,
            crate::logs::LogGroup::new().retention_in_days(i64::from(logs.retention())),
        );
        logs.removal().apply(stack, &group);
        stack.own(group.resource_ref(), &[api]);
        stage = stage.access_log_setting(
            AccessLogSetting::new()
                .destination_arn(group.arn())
                .format(logs.format().render_rest()),
        );
    }
    let stage = stack.add(stage_id, stage);
    stack.own(stage.resource_ref(), &[api]);
    stage
}

/// A method's settings on its stages: throttling and caching.
#[derive(Clone, Copy, Debug)]
pub(super) enum Setting {
    Throttle(Throttle),
    Cache(Duration),
}

/// Merges `setting` of the method `verb path` into the `MethodSettings` of each of
/// `stages` (the API's stage resources, with whether each has a cache cluster).
pub(super) fn set_method(
    stack: &mut Stack,
    method: &ResourceRef,
    stages: &[(ResourceRef, bool)],
    (verb, path): (&str, &str),
    setting: Setting,
) {
    let location = Location::resource(method.logical_id());
    let problem = match setting {
        _ if stages.is_empty() => Some((
            "its API has no stage resource to hold per-method settings".to_string(),
            "give the API stage options (`RestApi::stage_options(RestStage::new())`), which makes its stage a resource of its own",
        )),
        Setting::Throttle(t) => t
            .problem()
            .map(|p| (p, "give a rate of 0 or more requests per second")),
        Setting::Cache(ttl) if ttl > Duration::from_secs(3600) || ttl.subsec_nanos() != 0 => {
            Some((
                format!("the cache TTL {ttl:?} is not a whole number of seconds from 0 to 3600"),
                "give a TTL of 0 to 3600 seconds",
            ))
        }
        Setting::Cache(_) if !stages.iter().any(|(_, cache)| *cache) => Some((
            "no stage of its API has a cache cluster, which method caching needs".to_string(),
            "give a stage a cache cluster (`RestStage::cache_cluster(CacheSize::Gb0_5)`)",
        )),
        _ => None,
    };
    if let Some((p, fix)) = problem {
        stack.problem(Diagnostic::error(
            location,
            format!("method `{verb} {path}`: {p}"),
            fix,
        ));
        return;
    }
    // `/` in a resource path is written `~1` after the leading `/` (`/~1users~1{id}`);
    // the root is `/`.
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let resource_path = if segments.is_empty() {
        "/".to_string()
    } else {
        format!("/~1{}", segments.join("~1"))
    };
    let http_method = if verb == "ANY" { "*" } else { verb };
    for (stage, cache) in stages {
        if matches!(setting, Setting::Cache(_)) && !cache {
            continue;
        }
        let current = stack
            .property(stage, "MethodSettings")
            .map(|v| v.to_json())
            .unwrap_or_else(|| serde_json::json!([]));
        let Some(mut list) = current.as_array().cloned() else {
            stack.problem(Diagnostic::error(
                Location::property(stage.logical_id(), "MethodSettings"),
                format!(
                    "method `{verb} {path}`: the stage's `MethodSettings` is computed, so nothing can be merged into it"
                ),
                "give the stage's method settings in one place",
            ));
            return;
        };
        let at = list
            .iter()
            .position(|s| s["ResourcePath"] == resource_path && s["HttpMethod"] == http_method);
        let mut entry = match at {
            Some(i) => list.remove(i),
            None => serde_json::json!({"HttpMethod": http_method, "ResourcePath": resource_path}),
        };
        match setting {
            Setting::Throttle(t) => {
                entry["ThrottlingBurstLimit"] = serde_json::json!(t.burst);
                entry["ThrottlingRateLimit"] = serde_json::json!(t.rate_per_second);
            }
            Setting::Cache(ttl) => {
                entry["CachingEnabled"] = serde_json::json!(true);
                entry["CacheTtlInSeconds"] = serde_json::json!(ttl.as_secs());
                entry["CacheDataEncrypted"] = serde_json::json!(true);
            }
        }
        list.push(entry);
        stack.set_property(
            stage,
            "MethodSettings",
            Some(IntoValue::<Any>::into_value(serde_json::Value::Array(list))),
        );
    }
}
