//! Following a stack (or a change set) until it settles, with adaptive polling, streaming
//! new events to the reporter, and stopping on Ctrl-C.

use super::engine::{Engine, EngineError, Seen};
use crate::cfn::model::{ChangeSet, Stack, StackEvent};
use crate::cfn::status::StackStatus;

/// How many polls a stale status (the one from before the operation) is distrusted for.
const STALE_POLLS: usize = 5;

/// How waiting ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The stack is no longer in progress.
    Done(Stack),
    /// The stack no longer exists.
    Gone,
    /// Ctrl-C; the stack as last seen.
    Interrupted(Option<Stack>),
}

/// The next step after waiting on stack `name` ended at `bound` (`--timeout` or the default)
/// with the stack in `status`: what nephos did not do (it cancels nothing on a time-out, only
/// Ctrl-C with `--cancel-on-interrupt` does), and how to follow or stop the operation.
pub fn timed_out_resume(name: &str, status: &StackStatus, bound: &str) -> String {
    let stop = match status {
        StackStatus::UpdateInProgress => format!(
            ", or stop it and roll back with `aws cloudformation cancel-update-stack --stack-name {name}`"
        ),
        _ if status.is_running() => format!(
            "; if it stays {status}, its events (`nephos status {name}`) say which resource it waits on"
        ),
        _ => String::new(),
    };
    format!(
        "nephos stopped waiting at {bound} and cancelled or rolled back nothing: CloudFormation goes on; follow it with `nephos status {name} --wait`{stop}"
    )
}

impl Engine<'_> {
    /// The ids of the stack's newest events (the first page), so that only later ones are
    /// reported: the newest event before the operation marks where it starts.
    pub async fn event_ids(&self, name: &str) -> Result<Seen, EngineError> {
        Ok(self
            .events(name, &|_| true)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect())
    }

    /// Newest-first events, read page by page until `enough`; a missing stack has none.
    async fn events(
        &self,
        name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, EngineError> {
        let events = self
            .call_found(name, "DescribeStackEvents", || {
                self.cfn.stack_events(name, enough)
            })
            .await?;
        Ok(events.unwrap_or_default())
    }

    /// Polls until the stack is not in progress (an unknown `*_IN_PROGRESS` status is
    /// waited on too, see [`StackStatus::is_running`]), reporting new events; returns how it ended
    /// and the events of the operation, chronological. `stale` is the status the stack had
    /// before the operation began: seeing it again in the first few polls means the
    /// operation has not shown up yet, not that it is over. Waiting never writes: what to do
    /// about an interrupted operation (cancel it) is the caller's step.
    pub async fn wait_settled(
        &mut self,
        name: &str,
        seen: &mut Seen,
        stale: Option<StackStatus>,
    ) -> Result<(Settled, Vec<StackEvent>), EngineError> {
        let _waiting = self.interrupt.waiting();
        let mut backoff = self.poll.start();
        let mut collected = Vec::new();
        let mut polls = 0;
        let mut saw_progress = false;
        loop {
            polls += 1;
            // Every event since the last poll, however many pages they fill: events are read
            // until one already seen (the operation's start, or the last poll), so a root
            // cause far down a busy stack's events is never missed.
            let known: &Seen = seen;
            let fresh: Vec<StackEvent> = self
                .events(name, &|read| read.iter().any(|e| known.contains(&e.id)))
                .await?
                .into_iter()
                .filter(|e| !seen.contains(&e.id))
                .collect();
            let activity = !fresh.is_empty();
            for e in fresh.into_iter().rev() {
                seen.insert(e.id.clone());
                self.reporter.event(name, &e);
                collected.push(e);
            }
            let Some(stack) = self.describe(name).await? else {
                return Ok((Settled::Gone, collected));
            };
            saw_progress |= stack.status.is_running();
            let started = saw_progress || collected.iter().any(|e| e.is_stack_event());
            let looks_stale = stale.as_ref().is_some_and(|s| *s == stack.status)
                && !started
                && polls <= STALE_POLLS;
            if !stack.status.is_running() && !looks_stale {
                return Ok((Settled::Done(stack), collected));
            }
            if self.interrupt.sleep(backoff.next_delay(activity)).await {
                return Ok((Settled::Interrupted(Some(stack)), collected));
            }
        }
    }

    /// Polls a change set until CloudFormation has computed it; `None` on Ctrl-C.
    pub async fn wait_change_set(
        &mut self,
        stack: &str,
        cs: &str,
    ) -> Result<Option<ChangeSet>, EngineError> {
        let _waiting = self.interrupt.waiting();
        let mut backoff = self.poll.start();
        loop {
            let c = self
                .call(stack, "DescribeChangeSet", || {
                    self.cfn.describe_change_set(stack, cs)
                })
                .await?;
            if c.is_settled() {
                return Ok(Some(c));
            }
            if self.interrupt.sleep(backoff.next_delay(false)).await {
                return Ok(None);
            }
        }
    }
}
