//! The runs queue: when a change starts a run, and how changes that arrive during one are
//! folded into a single next run. Pure: no clock, no files, no AWS.

use std::path::PathBuf;

/// What started (or will start) a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trigger {
    /// Whether this is the run at start (before any change).
    pub initial: bool,
    /// The changed files, in the order first seen, each once; bounded by
    /// [`MAX_REMEMBERED`] (`more` counts the rest).
    pub paths: Vec<PathBuf>,
    /// How many more changed files there were.
    pub more: usize,
}

/// The most changed paths one trigger remembers by name (a `git checkout` may touch
/// thousands; only the count of the rest is kept).
pub const MAX_REMEMBERED: usize = 20;

impl Trigger {
    fn add(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        for p in paths {
            if self.paths.contains(&p) {
                continue;
            }
            if self.paths.len() < MAX_REMEMBERED {
                self.paths.push(p);
            } else {
                self.more += 1;
            }
        }
    }
}

/// Where the loop is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Nothing running; waiting for a change.
    Idle,
    /// A run is in progress; `next` holds the changes that arrived since it started (one
    /// more run, however many changes).
    Running {
        /// The next run's trigger, when changes arrived during this one.
        next: Option<Trigger>,
    },
}

/// The runs queue.
///
/// At most one run at a time; changes during a run queue exactly one more (coalesced);
/// a run's result, success or failure, never stops the queue.
///
/// # Example
/// ```
/// use nephos_cli::watch::queue::RunQueue;
/// let mut q = RunQueue::new();
/// let first = q.start_initial();
/// assert!(first.initial);
/// // Two changes during the first run...
/// assert!(q.changed(vec!["a.rs".into()]).is_none());
/// assert!(q.changed(vec!["b.rs".into()]).is_none());
/// // ...make one more run, with both.
/// let next = q.finished().expect("a queued run");
/// assert_eq!(next.paths.len(), 2);
/// assert!(q.finished().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct RunQueue {
    phase: Phase,
}

impl Default for RunQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl RunQueue {
    /// An idle queue.
    pub fn new() -> Self {
        Self { phase: Phase::Idle }
    }

    /// The current phase.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// Starts the run at start (like `cdk watch`'s first deploy).
    pub fn start_initial(&mut self) -> Trigger {
        self.phase = Phase::Running { next: None };
        Trigger {
            initial: true,
            ..Trigger::default()
        }
    }

    /// Settled changes to watched files. Idle: a run starts now, with this trigger.
    /// Running: they are added to the one queued run, and `None` is returned. An empty
    /// list changes nothing.
    pub fn changed(&mut self, paths: Vec<PathBuf>) -> Option<Trigger> {
        if paths.is_empty() {
            return None;
        }
        match &mut self.phase {
            Phase::Idle => {
                let mut t = Trigger::default();
                t.add(paths);
                self.phase = Phase::Running { next: None };
                Some(t)
            }
            Phase::Running { next } => {
                next.get_or_insert_with(Trigger::default).add(paths);
                None
            }
        }
    }

    /// The run ended (whatever its result). Returns the queued run's trigger, now running,
    /// or `None` and the queue is idle.
    pub fn finished(&mut self) -> Option<Trigger> {
        match std::mem::replace(&mut self.phase, Phase::Idle) {
            Phase::Running { next: Some(t) } => {
                self.phase = Phase::Running { next: None };
                Some(t)
            }
            Phase::Running { next: None } | Phase::Idle => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn an_idle_queue_starts_a_run_on_the_first_change() {
        let mut q = RunQueue::new();
        assert!(q.changed(vec![]).is_none(), "no paths, no run");
        let t = q.changed(vec![p("a.rs")]).expect("a run");
        assert_eq!(t.paths, [p("a.rs")]);
        assert!(!t.initial);
        assert_eq!(q.phase(), &Phase::Running { next: None });
    }

    #[test]
    fn changes_during_a_run_coalesce_into_exactly_one_more() {
        let mut q = RunQueue::new();
        q.start_initial();
        for batch in [vec![p("a.rs")], vec![p("b.rs"), p("a.rs")], vec![p("c.rs")]] {
            assert!(q.changed(batch).is_none(), "never a concurrent run");
        }
        let next = q.finished().expect("one queued run");
        assert_eq!(next.paths, [p("a.rs"), p("b.rs"), p("c.rs")]);
        // The queued run is running: a change now queues again, and nothing else is left.
        assert!(q.finished().is_none());
        assert_eq!(q.phase(), &Phase::Idle);
    }

    #[test]
    fn a_burst_of_paths_is_counted_past_the_bound() {
        let mut q = RunQueue::new();
        let paths: Vec<PathBuf> = (0..MAX_REMEMBERED + 5)
            .map(|i| p(&format!("f{i}")))
            .collect();
        let t = q.changed(paths).expect("a run");
        assert_eq!(t.paths.len(), MAX_REMEMBERED);
        assert_eq!(t.more, 5);
    }
}
