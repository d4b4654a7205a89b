//! Ctrl-C while waiting: a flag the waiting loops watch, set by a signal handler (or a test).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// How long one wait on CloudFormation lasts when no `--timeout` is given: 60 minutes, the
/// bound of the AWS CLI's own CloudFormation waiters (`aws cloudformation wait
/// stack-create-complete`, `stack-update-complete`, `change-set-create-complete`: 120 polls
/// 30 s apart, botocore's `cloudformation/2010-05-15/waiters-2.json`). A stack or change set
/// stuck in progress (an emulator after a 500 leaves them so) would otherwise be waited on
/// forever. `--timeout none` (or `0`) waits without bound.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(60 * 60);

/// How long nephos waits on CloudFormation, as `--timeout` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitLimit {
    /// `--timeout SECONDS`: all waits of the run together (no `--timeout`: each wait on a
    /// stack or change set ends after [`DEFAULT_WAIT`]).
    Total(Duration),
    /// `--timeout none` or `--timeout 0`: no bound.
    Never,
}

impl WaitLimit {
    /// The longest `--timeout`: a year. Longer is taken for a typo (a wrong unit);
    /// `none` waits without bound.
    pub const MAX: Duration = Duration::from_secs(366 * 24 * 3600);

    /// Parses `--timeout`'s value: whole seconds (`90`), a duration with a unit (`500ms`,
    /// `30s`, `10m`, `2h`, `1d`, `1w`, `1h30m`: [`crate::cli::duration`]), or `none`/`0` for
    /// no bound. At most [`WaitLimit::MAX`].
    ///
    /// # Errors
    /// Anything else, said in one line.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use nephos_cli::deploy::interrupt::WaitLimit;
    /// assert_eq!(WaitLimit::parse("none"), Ok(WaitLimit::Never));
    /// assert_eq!(WaitLimit::parse("90"), Ok(WaitLimit::Total(Duration::from_secs(90))));
    /// assert_eq!(WaitLimit::parse("10m"), Ok(WaitLimit::Total(Duration::from_secs(600))));
    /// ```
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("none") {
            return Ok(Self::Never);
        }
        let limit = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u64>()
                .ok()
                .map(Duration::from_secs)
                .filter(|d| *d <= Self::MAX)
                .ok_or_else(|| {
                    format!(
                        "`{s}` seconds is longer than {} days; pass `none` to wait without bound",
                        Self::MAX.as_secs() / 86_400
                    )
                })?
        } else {
            crate::cli::duration::parse_duration(s, Self::MAX).map_err(|why| {
                format!("{why}; or whole seconds, or `none` (or 0) to wait without bound")
            })?
        };
        Ok(if limit.is_zero() {
            Self::Never
        } else {
            Self::Total(limit)
        })
    }
}

/// A shareable "the user asked to stop waiting" signal.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    /// `--timeout` reached: it ends waiting on CloudFormation only, never a prompt, and
    /// never cancels anything (that is Ctrl-C's, with `--cancel-on-interrupt`).
    timed_out: Arc<AtomicBool>,
    /// `--timeout`'s budget: time spent waiting on CloudFormation only.
    budget: Arc<Mutex<Budget>>,
    notify: Arc<Notify>,
    /// How many cleanups run ([`Interrupt::cleaning_up`]): while one does, Ctrl-C does not
    /// refuse the writes that undo this run's own changes.
    cleanups: Arc<AtomicUsize>,
}

/// A cleanup of this run's own changes under way, from [`Interrupt::cleaning_up`]: while it
/// lives, the writes that undo them (the empty stack a create change set left, the stack
/// policy put back) are sent even after Ctrl-C.
#[must_use = "the cleanup is allowed while this lives"]
pub struct CleaningUp(Arc<AtomicUsize>);

impl Drop for CleaningUp {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How long nephos may wait on CloudFormation (`--timeout`), counted only while a waiting
/// loop runs: building the app, staging, asking for approval and every other step before
/// or between waits do not use it up, so it never expires before the wait it bounds began.
#[derive(Debug, Default)]
struct Budget {
    /// The limit (`None`: none).
    limit: Option<Duration>,
    /// Whether the limit is [`DEFAULT_WAIT`], counted per wait on a stack or change set (no
    /// `--timeout` given) rather than over the run.
    per_wait: bool,
    /// Time spent in waits that ended.
    spent: Duration,
    /// When the current wait began.
    since: Option<Instant>,
    /// Whether the limit was reported.
    said: bool,
    /// Whether the waits are on log events (`logs --follow`), not on CloudFormation: the
    /// time-out then ends the follow, and says so rather than how to follow a stack.
    on_logs: bool,
}

/// The line said when `--timeout` (`limit`) is reached.
fn timeout_line(limit: Duration, on_logs: bool) -> String {
    if on_logs {
        format!(
            "--timeout {} s reached: following the logs ends",
            limit.as_secs()
        )
    } else {
        format!(
            "--timeout {} s reached (counted while waiting on CloudFormation): nephos stops waiting, and CloudFormation goes on (nothing is cancelled); the result below says how to follow it",
            limit.as_secs()
        )
    }
}

impl Budget {
    fn used(&self) -> Duration {
        let current = self.since.map_or(Duration::ZERO, |s| s.elapsed());
        if self.per_wait {
            current
        } else {
            self.spent + current
        }
    }
}

/// One wait on CloudFormation, from [`Interrupt::waiting`]: `--timeout` counts while it
/// lives.
#[must_use = "the wait is counted while this lives"]
pub struct Waiting {
    budget: Arc<Mutex<Budget>>,
    /// Whether this is the outermost wait (an inner one adds nothing).
    outer: bool,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if !self.outer {
            return;
        }
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(since) = b.since.take() {
            b.spent += since.elapsed();
        }
    }
}

impl Interrupt {
    /// A signal that has not fired.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fires the signal (from the Ctrl-C handler).
    pub fn trigger(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether Ctrl-C fired (not `--timeout`).
    pub fn is_triggered(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Whether a write that starts a change must not be sent: Ctrl-C fired ("stop before
    /// the next change") and no cleanup of this run's own changes is under way. The seam's
    /// guard ([`crate::cfn::halt::Halting`]) asks this before every such write.
    pub fn refuses_changes(&self) -> bool {
        self.is_triggered() && self.cleanups.load(Ordering::SeqCst) == 0
    }

    /// Marks a cleanup of this run's own changes for as long as the value lives (see
    /// [`CleaningUp`]).
    pub fn cleaning_up(&self) -> CleaningUp {
        self.cleanups.fetch_add(1, Ordering::SeqCst);
        CleaningUp(Arc::clone(&self.cleanups))
    }

    /// Ends waiting on CloudFormation (`--timeout` reached): the waiting loops stop, but
    /// prompts go on and nothing is cancelled.
    pub fn time_out(&self) {
        self.timed_out.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Bounds waiting on CloudFormation (`--timeout`) to `limit` in all, counted only inside
    /// [`Interrupt::waiting`] (see [`Budget`]).
    pub fn limit_waiting(&self, limit: Duration) {
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.limit = Some(limit);
        b.per_wait = false;
    }

    /// Marks the waits as following log events (`logs --follow`), not CloudFormation:
    /// the `--timeout` message then says the follow ended.
    pub fn waits_on_logs(&self) {
        self.budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .on_logs = true;
    }

    /// Bounds each wait on a stack or change set to [`DEFAULT_WAIT`] (no `--timeout` given).
    /// Not for `nephos logs --follow`, which follows until Ctrl-C unless told.
    pub fn default_waiting(&self) {
        self.limit_each_wait(DEFAULT_WAIT);
    }

    /// Bounds each wait on CloudFormation to `limit` ([`Interrupt::default_waiting`] with
    /// another bound: tests use a zero one instead of waiting an hour).
    pub(crate) fn limit_each_wait(&self, limit: Duration) {
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.limit = Some(limit);
        b.per_wait = true;
    }

    /// The bound in force: `(limit, counted per wait)`; `None`: waits are not bounded.
    pub fn wait_limit(&self) -> Option<(Duration, bool)> {
        let b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.limit.map(|l| (l, b.per_wait))
    }

    /// The bound that ended waiting, in words for a result line ("--timeout 30 s", "the
    /// default bound of 60 min"); `None` when waiting has not timed out.
    pub fn timed_out_at(&self) -> Option<String> {
        if !self.is_timed_out() {
            return None;
        }
        let b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        let Some(limit) = b.limit else {
            return Some("a time-out".to_owned());
        };
        Some(if b.per_wait {
            format!(
                "the default bound of one wait ({} min; `--timeout none` waits without one)",
                limit.as_secs() / 60
            )
        } else {
            format!("--timeout {} s", limit.as_secs())
        })
    }

    /// Whether waiting stopped at a bound (`--timeout` or the default), not Ctrl-C.
    pub fn is_timed_out(&self) -> bool {
        self.timed_out.load(Ordering::SeqCst)
    }

    /// Marks a wait on CloudFormation for as long as the value lives: `--timeout` counts
    /// only then.
    pub fn waiting(&self) -> Waiting {
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        let outer = b.since.is_none();
        if outer {
            b.since = Some(Instant::now());
        }
        Waiting {
            budget: Arc::clone(&self.budget),
            outer,
        }
    }

    /// What is left of the `--timeout` budget (`None`: no limit); reaching it times out
    /// (said once).
    fn remaining(&self) -> Option<Duration> {
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        let limit = b.limit?;
        let left = limit.saturating_sub(b.used());
        if left.is_zero() {
            self.timed_out.store(true, Ordering::SeqCst);
            if !b.said {
                b.said = true;
                if b.per_wait {
                    eprintln!(
                        "waited {} min, the default bound of one wait on CloudFormation (no --timeout given): nephos stops waiting, and CloudFormation goes on (nothing is cancelled or rolled back); the result below says how to follow it (`--timeout SECONDS` sets another bound, `--timeout none` waits without one)",
                        limit.as_secs() / 60
                    );
                } else {
                    eprintln!("{}", timeout_line(limit, b.on_logs));
                }
            }
        }
        Some(left)
    }

    /// Whether waiting should stop: Ctrl-C or `--timeout`.
    fn stops_waiting(&self) -> bool {
        let _ = self.remaining();
        self.is_triggered() || self.timed_out.load(Ordering::SeqCst)
    }

    /// Sleeps for `d` unless waiting is stopped first (Ctrl-C or `--timeout`); returns
    /// whether it was.
    pub async fn sleep(&self, d: Duration) -> bool {
        if self.stops_waiting() {
            return true;
        }
        let d = self.remaining().map_or(d, |left| d.min(left));
        let notified = self.notify.notified();
        tokio::select! {
            _ = tokio::time::sleep(d) => self.stops_waiting(),
            _ = notified => true,
        }
    }

    /// Resolves once Ctrl-C fired (not on `--timeout`): what `nephos watch` waits on
    /// between runs, beside file changes.
    pub async fn triggered(&self) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            // Registered before the flag is read, so a trigger in between is not missed.
            notified.as_mut().enable();
            if self.is_triggered() {
                return;
            }
            notified.await;
        }
    }

    /// Starts a new run of `nephos watch`: `--timeout` bounds each run's waits, so the
    /// budget and a time-out of the last run are forgotten. Ctrl-C is not.
    pub fn new_run(&self) {
        self.timed_out.store(false, Ordering::SeqCst);
        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.spent = Duration::ZERO;
        b.since = None;
        b.said = false;
    }

    /// Listens for Ctrl-C in the background: the first one stops the waiting loops (the
    /// deployment itself goes on) and is passed on to the app or build running
    /// ([`crate::children`]); a second one kills those and exits at once with 130, so a
    /// prompt or a running app can still be left. Needs a runtime with a worker thread, since the main
    /// thread may be blocked reading a prompt's answer.
    pub fn watch_ctrl_c(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                me.trigger();
                // The app or a build runs in a group of its own: pass the Ctrl-C on.
                crate::children::CHILDREN.interrupt_all();
                eprintln!(
                    "\ninterrupted: stopping before the next change (Ctrl-C again exits now)"
                );
                if tokio::signal::ctrl_c().await.is_ok() {
                    // Nothing nephos started outlives it.
                    crate::children::CHILDREN.kill_all();
                    std::process::exit(130);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_timeout_stops_waiting_but_is_not_ctrl_c() {
        let i = Interrupt::new();
        i.time_out();
        assert!(i.sleep(Duration::from_secs(3600)).await);
        // Prompts and `--cancel-on-interrupt` look at Ctrl-C only.
        assert!(!i.is_triggered());
    }

    #[tokio::test]
    async fn the_timeout_counts_only_time_spent_waiting_on_cloudformation() {
        let i = Interrupt::new();
        i.limit_waiting(Duration::from_millis(30));
        // Building the app, asking for approval: longer than the limit, outside any wait.
        std::thread::sleep(Duration::from_millis(60));
        {
            let _w = i.waiting();
            // The wait has only begun: the first poll is not cut short.
            assert!(!i.sleep(Duration::ZERO).await);
        }
        // Outside a wait again, time passes without using the budget up.
        std::thread::sleep(Duration::from_millis(60));
        let _w = i.waiting();
        assert!(!i.sleep(Duration::ZERO).await);
        // Inside the wait, the limit ends it (a long poll delay is cut to what is left).
        assert!(i.sleep(Duration::from_secs(3600)).await);
        assert!(!i.is_triggered());
    }

    #[tokio::test]
    async fn a_new_run_forgets_the_last_runs_timeout_but_not_ctrl_c() {
        let i = Interrupt::new();
        i.limit_waiting(Duration::from_millis(10));
        {
            let _w = i.waiting();
            assert!(i.sleep(Duration::from_secs(3600)).await);
        }
        assert!(i.is_timed_out());
        i.new_run();
        assert!(!i.is_timed_out());
        assert!(!i.sleep(Duration::ZERO).await, "the budget is whole again");
        let t = i.clone();
        let waiter = tokio::spawn(async move { t.triggered().await });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "a time-out is not Ctrl-C");
        i.trigger();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .map_err(|_| "triggered() did not resolve")
            .and_then(|r| r.map_err(|_| "the waiter panicked"))
            .unwrap_or_else(|e| panic!("{e}"));
        i.new_run();
        assert!(i.is_triggered(), "Ctrl-C stays");
    }

    /// atk15 D (low): a `logs --follow` ended by `--timeout` talked about CloudFormation.
    #[test]
    fn a_follow_of_logs_ends_at_the_timeout_without_talking_of_cloudformation() {
        let line = timeout_line(Duration::from_secs(10), true);
        assert!(line.contains("following the logs ends"), "{line}");
        assert!(!line.contains("CloudFormation"), "{line}");
        assert!(timeout_line(Duration::from_secs(10), false).contains("CloudFormation"));
        let i = Interrupt::new();
        i.waits_on_logs();
        assert!(i.budget.lock().unwrap().on_logs);
    }
}
