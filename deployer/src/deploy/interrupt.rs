//! Ctrl-C while waiting: a flag the waiting loops watch, set by a signal handler (or a test).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// A shareable "the user asked to stop waiting" signal.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
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

    /// Whether it has fired.
    pub fn is_triggered(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Sleeps for `d` unless interrupted first; returns whether it was interrupted.
    pub async fn sleep(&self, d: Duration) -> bool {
        if self.is_triggered() {
            return true;
        }
        let notified = self.notify.notified();
        tokio::select! {
            _ = tokio::time::sleep(d) => self.is_triggered(),
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
