//! [`RecordFilter`]: a Lambda event filter over the records an event source mapping
//! reads (AWS Lambda Developer Guide, "Control which events Lambda sends to your
//! function"): the function is invoked only for records matching one of the mapping's
//! filters. The matchers are EventBridge's ([`Match`]), which Lambda's filter rules
//! share (exact, prefix, suffix, anything-but, numeric, exists).
//!
//! Lambda takes 5 filters per event source mapping unless the account's quota was
//! raised (a warning above 5) and 20 at most (an error above). A record matches a field
//! only where the record has it: an SQS message's `body` is matched field by field when
//! it is a JSON object ([`RecordFilter::body`]), and as a whole string otherwise
//! (`field("body", ...)`); a Kinesis record's `data` likewise; a DynamoDB stream record
//! by its `eventName` and `dynamodb` fields.

use serde_json::Value as Json;

use crate::constructs::event_pattern::{EventPattern, Match};
use crate::diagnostic::{Diagnostic, Location};
use crate::lambda::EventSourceMapping;
use crate::lambda::event_source_mapping::{Filter, FilterCriteria};
use crate::stack::stack::Stack;

/// The most filters Lambda takes on one mapping by default (Service Quotas, "Filters
/// per event source mapping").
const DEFAULT_FILTERS: usize = 5;
/// The most the resource takes (the registry schema's `maxItems`).
const MAX_FILTERS: usize = 20;

/// One filter pattern: every field given must match, any of the matchers given for one
/// field.
///
/// ```
/// use nephos::constructs::{Match, wiring::record_filter::RecordFilter};
/// let orders = RecordFilter::new()
///     .body("type", Match::exact("order"))
///     .body("total", Match::numeric(&[(nephos::constructs::Cmp::Gt, 0.0)]));
/// assert_eq!(
///     orders.to_json().unwrap(),
///     serde_json::json!({"body": {"type": ["order"], "total": [{"numeric": [">", 0.0]}]}}),
/// );
/// let inserts = RecordFilter::new().field("eventName", Match::exact("INSERT"));
/// assert_eq!(inserts.to_json().unwrap(), serde_json::json!({"eventName": ["INSERT"]}));
/// assert!(RecordFilter::new().to_json().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordFilter {
    pattern: EventPattern,
}

impl RecordFilter {
    /// A filter with no field yet: give it at least one.
    pub fn new() -> Self {
        RecordFilter::default()
    }

    /// Records whose field at the dotted `path` (`"dynamodb.NewImage.status.S"`)
    /// matches `m`; called again for one path, matching any of the matchers.
    pub fn field(mut self, path: &str, m: Match) -> Self {
        self.pattern = self.pattern.field_at(path, m);
        self
    }

    /// SQS messages whose JSON body has, at the dotted `path`, a value matching `m`
    /// (a body that is not JSON never matches a field of it).
    pub fn body(self, path: &str, m: Match) -> Self {
        self.field(&format!("body.{path}"), m)
    }

    /// The pattern's JSON, or every reason Lambda would refuse it.
    pub fn to_json(&self) -> Result<Json, Vec<String>> {
        self.pattern.to_json().map_err(|problems| {
            problems
                .into_iter()
                .map(|p| p.replace("event pattern", "filter"))
                .collect()
        })
    }
}

/// Why Lambda would refuse a filter pattern given as JSON: not an object, or a field
/// whose value is neither an object of fields nor a list of matchers (`{"eventName":
/// "INSERT"}`, where Lambda needs `["INSERT"]`).
pub fn untyped_problems(pattern: &Json) -> Vec<String> {
    fn walk(path: &str, node: &serde_json::Map<String, Json>, out: &mut Vec<String>) {
        if node.is_empty() {
            out.push(format!(
                "the filter has no field at `{}`",
                path.escape_debug()
            ));
        }
        for (key, value) in node {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match value {
                Json::Object(m) => walk(&here, m, out),
                Json::Array(items) if !items.is_empty() => {}
                _ => out.push(format!(
                    "the filter's `{}` is {}, not a list of matchers (write `[\"value\"]`, or use `RecordFilter`)",
                    here.escape_debug(),
                    if value.is_array() { "an empty list" } else { "a single value" },
                )),
            }
        }
    }
    let mut out = Vec::new();
    match pattern {
        Json::Object(m) => walk("", m, &mut out),
        _ => out.push("a filter pattern that is not a JSON object".to_string()),
    }
    out
}

/// Writes `filters` into `mapping` (`FilterCriteria`), reporting what Lambda would
/// refuse as errors on the mapping `id`, and more than the default quota as a warning.
pub fn apply(
    stack: &mut Stack,
    id: &str,
    filters: &[Result<Json, Vec<String>>],
    mapping: EventSourceMapping,
) -> EventSourceMapping {
    if filters.is_empty() {
        return mapping;
    }
    let at = Location::property(id, "FilterCriteria");
    let mut patterns = Vec::new();
    for (i, f) in filters.iter().enumerate() {
        match f {
            Ok(json) => patterns.push(Filter::new().pattern(json.to_string())),
            Err(problems) => stack.problem(Diagnostic::error(
                at.clone(),
                format!("filter {} of `{id}`: {}", i + 1, problems.join("; ")),
                "give each filter at least one field, each field a list of matchers (`RecordFilter::new().body(\"type\", Match::exact(\"order\"))`)",
            )),
        }
    }
    if filters.len() > MAX_FILTERS {
        stack.problem(Diagnostic::error(
            at.clone(),
            format!(
                "`{id}` has {} filters; Lambda takes at most {MAX_FILTERS}",
                filters.len()
            ),
            "merge filters (one field may list several matchers)",
        ));
    } else if filters.len() > DEFAULT_FILTERS {
        stack.problem(Diagnostic::warning(
            at,
            format!(
                "`{id}` has {} filters; Lambda takes {DEFAULT_FILTERS} per event source mapping unless the account's quota was raised",
                filters.len()
            ),
            "merge filters (one field may list several matchers), or raise the quota \"Filters per event source mapping\" first",
        ));
    }
    mapping.filter_criteria(FilterCriteria::new().filters(patterns))
}
