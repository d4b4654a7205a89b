//! Retrying throttled and transient calls with capped exponential backoff.
//!
//! The deployer polls for minutes during a deployment; one throttled `DescribeStackEvents`
//! must not fail a deploy that is going fine, but a validation error must fail at once.

use std::future::Future;
use std::time::Duration;

use super::error::CfnError;

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first.
    pub attempts: u32,
    /// The first delay; doubled after each retry.
    pub base: Duration,
    /// The longest delay.
    pub cap: Duration,
}

impl RetryPolicy {
    /// Six attempts over about 20 s: for a backend without retries of its own.
    pub const STANDARD: Self = Self {
        attempts: 6,
        base: Duration::from_millis(500),
        cap: Duration::from_secs(8),
    };

    /// One attempt: for calls through the AWS SDKs, whose own standard retry (see
    /// `aws::MAX_ATTEMPTS`) is the only one, so retries are never stacked on retries.
    pub const SDK: Self = Self {
        attempts: 1,
        base: Duration::ZERO,
        cap: Duration::ZERO,
    };

    /// No waiting between attempts, for tests.
    pub const IMMEDIATE: Self = Self {
        attempts: 6,
        base: Duration::ZERO,
        cap: Duration::ZERO,
    };

    /// The delay before retry number `n` (0-based).
    pub fn delay(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(16)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Runs `op` until it succeeds, fails for good, or the attempts run out.
    pub async fn run<T, F, Fut>(&self, mut op: F) -> Result<T, CfnError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CfnError>>,
    {
        let mut n = 0;
        loop {
            match op().await {
                Err(e) if e.is_retryable() && n + 1 < self.attempts => {
                    tokio::time::sleep(self.delay(n)).await;
                    n += 1;
                }
                other => return other,
            }
        }
    }

    /// Performs one call, retried as [`RetryPolicy::run`] does, for a command: a failure is
    /// the command's error naming the stack (`None`: an account-wide call) and the API call,
    /// `s: DescribeStacks failed: ...` ([`CfnError::in_call`]). The engine's steps use
    /// [`crate::deploy::engine::Engine::call`], which names the step the same way.
    ///
    /// # Errors
    /// The call's last error, named.
    pub async fn call<T, F, Fut>(
        &self,
        stack: Option<&str>,
        call: &str,
        op: F,
    ) -> crate::error::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CfnError>>,
    {
        self.run(op).await.map_err(|e| e.in_call(stack, call))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::error::ErrorKind;
    use std::cell::Cell;

    #[test]
    fn delays_double_and_stop_at_the_cap() {
        let p = RetryPolicy::STANDARD;
        assert_eq!(p.delay(0), Duration::from_millis(500));
        assert_eq!(p.delay(1), Duration::from_secs(1));
        assert_eq!(p.delay(10), Duration::from_secs(8));
    }

    #[tokio::test]
    async fn gives_up_after_the_last_attempt_with_the_last_error() {
        let calls = Cell::new(0);
        let r: Result<(), _> = RetryPolicy::IMMEDIATE
            .run(|| {
                calls.set(calls.get() + 1);
                async { Err(CfnError::new(ErrorKind::Throttling, "Rate exceeded")) }
            })
            .await;
        assert_eq!(calls.get(), 6);
        assert_eq!(r.unwrap_err().kind, ErrorKind::Throttling);
    }

    #[tokio::test]
    async fn validation_errors_are_not_retried() {
        let calls = Cell::new(0);
        let r: Result<(), _> = RetryPolicy::IMMEDIATE
            .run(|| {
                calls.set(calls.get() + 1);
                async { Err(CfnError::new(ErrorKind::Validation, "bad")) }
            })
            .await;
        assert_eq!(calls.get(), 1);
        assert!(r.is_err());
    }
}
