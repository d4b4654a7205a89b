//! Ctrl-C while waiting: a flag the waiting loops watch, set by a signal handler (or a test).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// A shareable "the user asked to stop waiting" signal.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    /// `--timeout` reached: it ends waiting on CloudFormation only, never a prompt, and
    /// never cancels anything (that is Ctrl-C's, with `--cancel-on-interrupt`).
    timed_out: Arc<AtomicBool>,
    notify: Arc<Notify>,
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

    /// Ends waiting on CloudFormation (`--timeout` reached): the waiting loops stop, but
    /// prompts go on and nothing is cancelled.
    pub fn time_out(&self) {
        self.timed_out.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether waiting should stop: Ctrl-C or `--timeout`.
    fn stops_waiting(&self) -> bool {
        self.is_triggered() || self.timed_out.load(Ordering::SeqCst)
    }

    /// Sleeps for `d` unless waiting is stopped first (Ctrl-C or `--timeout`); returns
    /// whether it was.
    pub async fn sleep(&self, d: Duration) -> bool {
        if self.stops_waiting() {
            return true;
        }
        let notified = self.notify.notified();
        tokio::select! {
            _ = tokio::time::sleep(d) => self.stops_waiting(),
            _ = notified => true,
        }
    }

    /// Listens for Ctrl-C in the background: the first one stops the waiting loops (the
    /// deployment itself goes on), a second one exits at once with 130, so a prompt or a
    /// running app can still be left. Needs a runtime with a worker thread, since the main
    /// thread may be blocked reading a prompt's answer.
    pub fn watch_ctrl_c(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                me.trigger();
                eprintln!(
                    "\ninterrupted: stopping after the current call (Ctrl-C again exits now)"
                );
                if tokio::signal::ctrl_c().await.is_ok() {
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
}
