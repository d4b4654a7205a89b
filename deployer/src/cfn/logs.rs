//! The seam to CloudWatch Logs (`nephos logs`): one call, FilterLogEvents, one page at a
//! time, with its SDK implementation.

use async_trait::async_trait;

use super::error::CfnError;
use super::sdk::CallInfo;
use super::sdk_error::map_err;

/// What to read from one log group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogQuery {
    /// The log group's name (checked with [`crate::logs::group::check_group_name`]).
    pub group: String,
    /// Events at or after this time, in milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// A CloudWatch Logs filter pattern (`--filter`).
    pub pattern: Option<String>,
}

/// One log event, as CloudWatch Logs answered (untrusted text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEvent {
    /// When the event happened, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The log stream it was written to.
    pub stream: String,
    /// The message.
    pub message: String,
    /// CloudWatch Logs' id of the event (to skip it when a follow reads it again).
    pub id: String,
}

/// One page of events and the token of the next, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    /// The events of this page, oldest first.
    pub events: Vec<LogEvent>,
    /// The next page's token.
    pub next: Option<String>,
}

/// CloudWatch Logs, as `nephos logs` uses it.
#[async_trait]
pub trait LogReader: Send + Sync {
    /// One page of FilterLogEvents; `Ok(None)` when the log group does not exist (yet: a
    /// function's group appears with its first log line).
    async fn filter_events(
        &self,
        query: &LogQuery,
        token: Option<String>,
    ) -> Result<Option<LogPage>, CfnError>;
}

/// The SDK implementation.
#[derive(Clone, Debug)]
pub struct SdkLogs(pub aws_sdk_cloudwatchlogs::Client, pub CallInfo);

#[async_trait]
impl LogReader for SdkLogs {
    async fn filter_events(
        &self,
        query: &LogQuery,
        token: Option<String>,
    ) -> Result<Option<LogPage>, CfnError> {
        let answer = self
            .0
            .filter_log_events()
            .log_group_name(&query.group)
            .start_time(query.start_ms)
            .set_filter_pattern(query.pattern.clone())
            .set_next_token(token)
            .send()
            .await;
        let page = match answer {
            Ok(p) => p,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(map_err(e, &self.1.endpoint, self.1.call_timeout)),
        };
        Ok(Some(LogPage {
            events: page
                .events()
                .iter()
                .map(|e| LogEvent {
                    timestamp_ms: e.timestamp().unwrap_or_default(),
                    stream: e.log_stream_name().unwrap_or_default().to_owned(),
                    message: e.message().unwrap_or_default().to_owned(),
                    id: e.event_id().unwrap_or_default().to_owned(),
                })
                .collect(),
            next: page.next_token().map(str::to_owned),
        }))
    }
}
