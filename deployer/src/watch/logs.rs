//! `watch --logs`: the stack's functions' CloudWatch logs between runs, interleaved by
//! time, each line prefixed with the function's logical ID.

use std::io::Write;

use crate::cfn::logs::{LogEvent, LogQuery, LogReader};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::CloudFormation;
use crate::logs::group::{FUNCTION_TYPE, locate};
use crate::logs::tail::{Cursor, Render, utc_timestamp};
use crate::output::escape::escape_line;

/// The most functions followed at once (each is one FilterLogEvents call per tick).
pub const MAX_FUNCTIONS: usize = 50;

/// One followed function.
struct Followed {
    stack: String,
    logical_id: String,
    cursor: Cursor,
}

/// The functions of the watched stacks and where each one's log read is.
pub struct LogTail<'r> {
    cfn: &'r dyn CloudFormation,
    reader: &'r dyn LogReader,
    retry: RetryPolicy,
    /// Events from this time on (ms since the epoch): when watching started.
    since_ms: i64,
    followed: Vec<Followed>,
}

impl<'r> LogTail<'r> {
    /// A tail showing events from `since_ms` on.
    pub fn new(
        cfn: &'r dyn CloudFormation,
        reader: &'r dyn LogReader,
        retry: RetryPolicy,
        since_ms: i64,
    ) -> Self {
        Self {
            cfn,
            reader,
            retry,
            since_ms,
            followed: Vec::new(),
        }
    }

    /// Finds the functions of `stacks` (after a deploy: functions come and go), keeping
    /// the place of those already followed. Problems are written to `log` and the rest
    /// is followed.
    pub async fn locate(&mut self, stacks: &[String], log: &mut dyn Write) -> std::io::Result<()> {
        let mut next = Vec::new();
        for stack in stacks {
            let found = async {
                let resources = self
                    .retry
                    .run(|| self.cfn.stack_resources(stack))
                    .await
                    .map_err(|e| format!("ListStackResources failed: {e}"))?;
                let body = self
                    .retry
                    .run(|| self.cfn.get_template(stack))
                    .await
                    .map_err(|e| format!("GetTemplate failed: {e}"))?;
                let template = crate::source::template::parse_template(&body)?;
                let mut out = Vec::new();
                for r in resources
                    .iter()
                    .filter(|r| r.resource_type == FUNCTION_TYPE)
                {
                    out.push(locate(stack, &resources, &template, Some(&r.logical_id))?);
                }
                Ok::<_, String>(out)
            }
            .await;
            match found {
                Ok(located) => {
                    for l in located {
                        let kept = self
                            .followed
                            .iter()
                            .position(|f| f.stack == *stack && f.cursor.group() == l.group);
                        let cursor = match kept {
                            Some(i) => self.followed.swap_remove(i).cursor,
                            None => Cursor::new(LogQuery {
                                group: l.group,
                                start_ms: self.since_ms,
                                pattern: None,
                            }),
                        };
                        next.push(Followed {
                            stack: stack.clone(),
                            logical_id: l.logical_id,
                            cursor,
                        });
                    }
                }
                Err(why) => writeln!(
                    log,
                    "warning: --logs: cannot find the functions of {}: {}",
                    escape_line(stack),
                    escape_line(&why)
                )?,
            }
        }
        if next.len() > MAX_FUNCTIONS {
            writeln!(
                log,
                "warning: --logs follows the first {MAX_FUNCTIONS} of {} functions",
                next.len()
            )?;
            next.truncate(MAX_FUNCTIONS);
        }
        self.followed = next;
        Ok(())
    }

    /// Reads every followed function's new events and writes them, oldest first, each
    /// line prefixed with `[LogicalId]`. A failed read is said on `log` and tried again
    /// next time.
    ///
    /// # Errors
    /// A failed write.
    pub async fn show(
        &mut self,
        out: &mut dyn Write,
        log: &mut dyn Write,
        render: Render,
    ) -> std::io::Result<()> {
        let mut all: Vec<(String, LogEvent)> = Vec::new();
        for f in &mut self.followed {
            match f.cursor.poll(self.reader).await {
                Ok(events) => all.extend(events.into_iter().map(|e| (f.logical_id.clone(), e))),
                Err(e) => writeln!(
                    log,
                    "warning: --logs: reading {}: {}",
                    f.cursor.group(),
                    escape_line(&e.to_string())
                )?,
            }
        }
        // Stable: one function's events keep their order at equal times.
        all.sort_by_key(|(_, e)| e.timestamp_ms);
        for (id, e) in &all {
            write_line(out, id, e, render)?;
        }
        out.flush()
    }
}

/// One event, prefixed with its function.
fn write_line(out: &mut dyn Write, id: &str, e: &LogEvent, render: Render) -> std::io::Result<()> {
    let message = e.message.strip_suffix('\n').unwrap_or(&e.message);
    match render {
        Render::Text => writeln!(
            out,
            "[{}] {} {}",
            escape_line(id),
            utc_timestamp(e.timestamp_ms),
            escape_line(message)
        ),
        Render::JsonLines => writeln!(
            out,
            "{}",
            serde_json::json!({
                "function": id,
                "timestamp": utc_timestamp(e.timestamp_ms),
                "stream": e.stream,
                "message": message,
            })
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;

    use super::*;
    use crate::cfn::error::CfnError;
    use crate::cfn::logs::LogPage;
    use crate::cfn::model::StackResource;
    use crate::cfn::status::{ResourceStatus, StackStatus};
    use crate::deploy::fake::{FakeCfn, stack};

    /// Log groups by name, each answering every read with its events at or after the
    /// query's start (as FilterLogEvents does).
    struct Groups(Mutex<Vec<(String, Vec<LogEvent>)>>);

    #[async_trait]
    impl LogReader for Groups {
        async fn filter_events(
            &self,
            query: &LogQuery,
            _token: Option<String>,
        ) -> Result<Option<LogPage>, CfnError> {
            let groups = self.0.lock().unwrap_or_else(|e| e.into_inner());
            Ok(groups
                .iter()
                .find(|(g, _)| *g == query.group)
                .map(|(_, events)| LogPage {
                    events: events
                        .iter()
                        .filter(|e| e.timestamp_ms >= query.start_ms)
                        .cloned()
                        .collect(),
                    next: None,
                }))
        }
    }

    fn ev(ms: i64, id: &str, message: &str) -> LogEvent {
        LogEvent {
            timestamp_ms: ms,
            stream: "s".into(),
            message: format!("{message}\n"),
            id: id.into(),
        }
    }

    fn function(id: &str, name: &str) -> StackResource {
        StackResource {
            logical_id: id.into(),
            physical_id: Some(name.into()),
            resource_type: FUNCTION_TYPE.into(),
            status: ResourceStatus::CreateComplete,
        }
    }

    #[tokio::test]
    async fn the_functions_lines_are_interleaved_by_time_once_each_from_the_start() {
        let template = r#"{"Resources": {"Api": {"Type": "AWS::Lambda::Function"},
            "Worker": {"Type": "AWS::Lambda::Function"}}}"#;
        let cfn = FakeCfn::new(vec![stack(StackStatus::CreateComplete)])
            .with_template(template)
            .with_resources(vec![
                function("Api", "api-fn"),
                function("Worker", "worker-fn"),
            ]);
        let reader = Groups(Mutex::new(vec![
            (
                "/aws/lambda/api-fn".into(),
                vec![
                    ev(50, "a0", "before watching"),
                    ev(100, "a1", "api one"),
                    ev(300, "a2", "api two"),
                ],
            ),
            (
                "/aws/lambda/worker-fn".into(),
                vec![ev(200, "w1", "worker one")],
            ),
        ]));
        let mut tail = LogTail::new(&cfn, &reader, RetryPolicy::IMMEDIATE, 100);
        let mut log = Vec::new();
        tail.locate(&["api".into()], &mut log)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(log.is_empty(), "{}", String::from_utf8_lossy(&log));
        let mut out = Vec::new();
        tail.show(&mut out, &mut log, Render::Text)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("[Api] ") && lines[0].ends_with(" api one"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("[Worker] ") && lines[1].ends_with(" worker one"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("[Api] ") && lines[2].ends_with(" api two"),
            "{text}"
        );
        // A second read shows only what is new; a new deploy keeps each function's place.
        reader.0.lock().unwrap_or_else(|e| e.into_inner())[1]
            .1
            .push(ev(400, "w2", "worker two"));
        tail.locate(&["api".into()], &mut log)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        tail.show(&mut out, &mut log, Render::Text)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out).into_owned();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(text, "[Worker] 1970-01-01T00:00:00.400Z worker two\n");
    }

    #[test]
    fn each_line_names_its_function_escaped_and_stays_one_line() {
        let e = LogEvent {
            timestamp_ms: 0,
            stream: "s".into(),
            message: "hello\nerror: forged\u{1b}[2J\n".into(),
            id: "1".into(),
        };
        let mut out = Vec::new();
        write_line(&mut out, "Api\u{202e}x", &e, Render::Text).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("[Api"), "{text}");
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{1b}'),
            "{text}"
        );
        assert!(text.contains("1970-01-01T00:00:00.000Z hello"), "{text}");
    }
}
