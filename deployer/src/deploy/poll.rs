//! Adaptive polling: quick at first (a fast backend, or the emulator, answers at once),
//! backing off while nothing happens, capped so a long deployment is still followed closely,
//! and quick again as soon as new events show up.

use std::time::Duration;

/// The polling schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first (and post-activity) delay.
    pub initial: Duration,
    /// The longest delay.
    pub max: Duration,
}

impl PollPolicy {
    /// The production schedule: 200 ms, growing by half each idle poll, up to 5 s.
    pub const STANDARD: Self = Self {
        initial: Duration::from_millis(200),
        max: Duration::from_secs(5),
    };
    /// No delays, for tests.
    pub const IMMEDIATE: Self = Self {
        initial: Duration::ZERO,
        max: Duration::ZERO,
    };

    /// A fresh backoff following this schedule.
    pub fn start(self) -> Backoff {
        Backoff {
            policy: self,
            next: self.initial,
        }
    }
}

/// The state of one wait.
#[derive(Clone, Debug)]
pub struct Backoff {
    policy: PollPolicy,
    next: Duration,
}

impl Backoff {
    /// The delay before the next poll; `activity` says whether the last poll saw news.
    pub fn next_delay(&mut self, activity: bool) -> Duration {
        if activity {
            self.next = self.policy.initial;
        }
        let d = self.next;
        self.next = (self.next + self.next / 2)
            .max(Duration::from_millis(1))
            .min(self.policy.max);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_while_idle_caps_and_resets_on_activity() {
        let mut b = PollPolicy::STANDARD.start();
        let idle: Vec<_> = (0..12).map(|_| b.next_delay(false).as_millis()).collect();
        assert_eq!(&idle[..4], [200, 300, 450, 675]);
        assert_eq!(*idle.last().unwrap_or(&0), 5000);
        assert_eq!(b.next_delay(true).as_millis(), 200);
    }
}
