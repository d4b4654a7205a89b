//! Idempotency tokens for mutating calls (`ClientRequestToken`, CreateChangeSet's
//! `ClientToken`): a retried create or update is then recognised by CloudFormation as the
//! same request, instead of failing with a misleading "AlreadyExists" that hides the first
//! attempt's outcome.

use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A token unique to one logical call of this process: `nephos-<ms>-<pid>-<n>`, within
/// CloudFormation's constraint (`[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters). The
/// SDK resends the same request, token included, on each of its retries.
pub fn request_token() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("nephos-{ms}-{}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_fit_cloudformation_s_pattern() {
        let a = request_token();
        let b = request_token();
        assert_ne!(a, b);
        for t in [a, b] {
            assert!(t.len() <= 128);
            assert!(t.starts_with(|c: char| c.is_ascii_alphanumeric()));
            assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        }
    }
}
