//! The watch loop: a first run, then one run per settled change, never two at once.
//!
//! It sees the world through two seams, so it is tested without files or AWS: [`Changes`]
//! (the debounced file events) and [`Runner`] (synth, diff and deploy; and the log lines
//! shown between runs).

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;

use super::filter::Filter;
use super::queue::{RunQueue, Trigger};
use crate::deploy::interrupt::Interrupt;

/// What the file watcher reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Files changed (debounced: the changes of one settled burst).
    Changed(Vec<PathBuf>),
    /// The watcher had a problem (an event lost, a directory it cannot read); said, and
    /// watching goes on.
    Trouble(String),
}

/// The debounced file events.
#[async_trait(?Send)]
pub trait Changes {
    /// The next event; `None` when the watcher stopped for good.
    async fn next(&mut self) -> Option<Event>;
    /// The events that arrived already, without waiting (those of a run's time).
    fn pending(&mut self) -> Vec<Event>;
    /// Called after each run: looks again at what to watch (a run may have added a path
    /// package outside the project); returns the problems to say.
    fn refresh(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunResult {
    /// Deployed (or nothing to deploy).
    Done,
    /// The synth or the deploy failed, or was refused; the runner said why.
    Failed,
    /// Stdout was closed by its reader: nothing more can be shown, so watching ends.
    OutputClosed,
    /// The project directory is gone (removed or moved): nothing is left to watch or run,
    /// so watching ends; the runner said so.
    ProjectGone,
}

/// Synth, diff and deploy, and what is shown between runs.
#[async_trait(?Send)]
pub trait Runner {
    /// One run for `trigger`; says its own errors.
    async fn run(&mut self, trigger: &Trigger) -> RunResult;
    /// Called every tick while idle (the `--logs` lines); returns `false` when output is
    /// closed.
    async fn idle(&mut self) -> bool;
    /// A line of the loop's own (waiting, a watcher problem); returns `false` when it
    /// could not be written because output is closed (watching then ends: nobody sees
    /// what the next run would deploy).
    fn say(&mut self, line: &str) -> bool;
}

/// Why watching ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Ctrl-C while waiting for changes.
    Interrupted,
    /// Ctrl-C during a run; how that run ended.
    InterruptedRun(RunResult),
    /// Stdout was closed.
    OutputClosed,
    /// The file watcher stopped.
    WatcherStopped,
    /// The project directory is gone.
    ProjectGone,
}

/// Runs the loop until Ctrl-C (or a closed output, or a stopped watcher).
///
/// The first run starts at once. Changes to files the `filter` watches start a run when
/// idle; during a run they queue exactly one more ([`RunQueue`]). A failed run is said by
/// the runner and watching goes on. `tick`: how often [`Runner::idle`] is called while
/// idle (`None`: never).
pub async fn watch(
    changes: &mut dyn Changes,
    runner: &mut dyn Runner,
    filter: &Filter,
    interrupt: &Interrupt,
    tick: Option<Duration>,
) -> End {
    let mut queue = RunQueue::new();
    let mut next = Some(queue.start_initial());
    loop {
        if let Some(trigger) = next.take() {
            let result = runner.run(&trigger).await;
            if interrupt.is_triggered() {
                return End::InterruptedRun(result);
            }
            if result == RunResult::OutputClosed {
                return End::OutputClosed;
            }
            if result == RunResult::ProjectGone {
                return End::ProjectGone;
            }
            for problem in changes.refresh() {
                // A closed output is found by the next run's first line.
                let _ = runner.say(&format!(
                    "warning: {}",
                    crate::output::escape::escape_line(&problem)
                ));
            }
            for event in changes.pending() {
                let _ = on_event(event, &mut queue, filter, runner);
            }
            next = queue.finished();
            if next.is_none() && !runner.say("watching for changes (Ctrl-C to stop)") {
                return End::OutputClosed;
            }
            continue;
        }
        let ticking = tick.unwrap_or(Duration::MAX);
        tokio::select! {
            biased;
            () = interrupt.triggered() => return End::Interrupted,
            event = changes.next() => match event {
                Some(event) => {
                    let Some(event) = settle(event, changes, runner, interrupt).await else {
                        return End::Interrupted;
                    };
                    next = on_event(event, &mut queue, filter, runner);
                }
                None => return End::WatcherStopped,
            },
            () = tokio::time::sleep(ticking), if tick.is_some() => {
                if !runner.idle().await {
                    return End::OutputClosed;
                }
            }
        }
    }
}

/// How long the whole project must be quiet before a run starts: the watcher settles
/// each file on its own, so a save across many files (a formatter, a checkout, "save all")
/// arrives as a train of events; they make one run.
pub const QUIET: Duration = super::events::DEBOUNCE;

/// The longest a run waits for the project to be quiet: a file written without pause
/// still gets its run.
pub const QUIET_AT_MOST: Duration = Duration::from_secs(2);

/// Folds the changes that follow `first` until the project is quiet for [`QUIET`] (at most
/// [`QUIET_AT_MOST`]) into one event. A watcher problem meanwhile is said at once.
/// `None`: Ctrl-C while waiting (no run starts).
async fn settle(
    first: Event,
    changes: &mut dyn Changes,
    runner: &mut dyn Runner,
    interrupt: &Interrupt,
) -> Option<Event> {
    let Event::Changed(mut paths) = first else {
        return Some(first);
    };
    let until = tokio::time::Instant::now() + QUIET_AT_MOST;
    loop {
        let quiet = tokio::time::sleep_until(until.min(tokio::time::Instant::now() + QUIET));
        tokio::select! {
            biased;
            () = interrupt.triggered() => return None,
            () = quiet => break,
            event = changes.next() => match event {
                Some(Event::Changed(more)) => {
                    for p in more {
                        if !paths.contains(&p) {
                            paths.push(p);
                        }
                    }
                }
                Some(Event::Trouble(why)) => say_trouble(&why, runner),
                // The watcher stopped: the next wait for an event says so.
                None => break,
            },
        }
    }
    Some(Event::Changed(paths))
}

fn on_event(
    event: Event,
    queue: &mut RunQueue,
    filter: &Filter,
    runner: &mut dyn Runner,
) -> Option<Trigger> {
    match event {
        Event::Changed(paths) => {
            queue.changed(paths.into_iter().filter(|p| filter.is_watched(p)).collect())
        }
        Event::Trouble(why) => {
            say_trouble(&why, runner);
            None
        }
    }
}

fn say_trouble(why: &str, runner: &mut dyn Runner) {
    // A closed output is found by the next run's first line, before it deploys.
    let _ = runner.say(&format!(
        "warning: the file watcher: {}; watching goes on (a change may have been missed: save again)",
        crate::output::escape::escape_line(why)
    ));
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::path::Path;
    use std::rc::Rc;

    use super::*;
    use crate::source::config::WatchConfig;

    /// What the fake watcher does at each step: deliver an event, or press Ctrl-C.
    #[derive(Clone, Debug)]
    enum Step {
        Event(Event),
        /// The project stays quiet longer than [`QUIET`].
        Quiet,
        CtrlC,
    }

    /// A scripted watcher. `during_run[i]`: the events that arrive while run `i` is going.
    struct Script {
        idle: VecDeque<Step>,
        during: Rc<RefCell<Vec<Event>>>,
        interrupt: Interrupt,
    }

    #[async_trait(?Send)]
    impl Changes for Script {
        async fn next(&mut self) -> Option<Event> {
            while matches!(self.idle.front(), Some(Step::Quiet)) {
                self.idle.pop_front();
                tokio::time::sleep(QUIET * 2).await;
            }
            match self.idle.pop_front() {
                Some(Step::Event(e)) => Some(e),
                Some(Step::Quiet) => None,
                Some(Step::CtrlC) => {
                    self.interrupt.trigger();
                    // Ctrl-C wins over this pending read.
                    std::future::pending::<()>().await;
                    None
                }
                None => None,
            }
        }
        fn pending(&mut self) -> Vec<Event> {
            std::mem::take(&mut self.during.borrow_mut())
        }
    }

    struct Fake {
        results: VecDeque<RunResult>,
        /// Events the watcher receives during each run, by run index.
        during_run: Vec<Vec<Event>>,
        during: Rc<RefCell<Vec<Event>>>,
        runs: Vec<Trigger>,
        said: Vec<String>,
        /// Ctrl-C during this run.
        ctrl_c_in_run: Option<usize>,
        interrupt: Interrupt,
        idles: usize,
        running: bool,
        /// Output is closed: every `say` fails.
        output_closed: bool,
    }

    #[async_trait(?Send)]
    impl Runner for Fake {
        async fn run(&mut self, trigger: &Trigger) -> RunResult {
            assert!(!self.running, "two runs at once");
            self.running = true;
            let i = self.runs.len();
            self.runs.push(trigger.clone());
            if let Some(events) = self.during_run.get(i) {
                self.during.borrow_mut().extend(events.iter().cloned());
            }
            if self.ctrl_c_in_run == Some(i) {
                self.interrupt.trigger();
            }
            tokio::task::yield_now().await;
            self.running = false;
            self.results.pop_front().unwrap_or(RunResult::Done)
        }
        async fn idle(&mut self) -> bool {
            self.idles += 1;
            true
        }
        fn say(&mut self, line: &str) -> bool {
            self.said.push(line.to_owned());
            !self.output_closed
        }
    }

    fn changed(paths: &[&str]) -> Event {
        Event::Changed(paths.iter().map(PathBuf::from).collect())
    }

    fn filter() -> Filter {
        Filter::new(
            Path::new("/p"),
            Path::new("/p/nephos.out"),
            &WatchConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    async fn drive(
        idle: Vec<Step>,
        during_run: Vec<Vec<Event>>,
        results: Vec<RunResult>,
        ctrl_c_in_run: Option<usize>,
    ) -> (End, Fake) {
        let interrupt = Interrupt::new();
        let during = Rc::new(RefCell::new(Vec::new()));
        let mut script = Script {
            idle: idle.into(),
            during: Rc::clone(&during),
            interrupt: interrupt.clone(),
        };
        let mut fake = Fake {
            results: results.into(),
            during_run,
            during,
            runs: Vec::new(),
            said: Vec::new(),
            ctrl_c_in_run,
            interrupt: interrupt.clone(),
            idles: 0,
            running: false,
            output_closed: false,
        };
        let end = tokio::time::timeout(
            Duration::from_secs(10),
            watch(&mut script, &mut fake, &filter(), &interrupt, None),
        )
        .await
        .unwrap_or_else(|_| panic!("the loop did not end"));
        (end, fake)
    }

    #[tokio::test]
    async fn the_first_run_starts_at_once_and_each_settled_change_runs_once() {
        let (end, fake) = drive(
            vec![
                Step::Event(changed(&["/p/src/lib.rs"])),
                Step::Quiet,
                Step::Event(changed(&["/p/handler/src/main.rs"])),
                Step::Quiet,
                Step::CtrlC,
            ],
            vec![],
            vec![],
            None,
        )
        .await;
        assert_eq!(end, End::Interrupted);
        assert_eq!(fake.runs.len(), 3);
        assert!(fake.runs[0].initial);
        assert_eq!(fake.runs[1].paths, [PathBuf::from("/p/src/lib.rs")]);
        assert_eq!(
            fake.runs[2].paths,
            [PathBuf::from("/p/handler/src/main.rs")]
        );
    }

    #[tokio::test]
    async fn a_burst_of_saves_across_files_is_one_run() {
        let mut burst: Vec<Step> = (0..30)
            .map(|i| Step::Event(changed(&[&format!("/p/src/note{i}.txt")])))
            .collect();
        burst.extend([Step::Quiet, Step::CtrlC]);
        let (end, fake) = drive(burst, vec![], vec![], None).await;
        assert_eq!(end, End::Interrupted);
        assert_eq!(fake.runs.len(), 2, "{:?}", fake.runs);
        assert_eq!(fake.runs[1].paths.len() + fake.runs[1].more, 30);
    }

    #[tokio::test]
    async fn changes_during_a_run_queue_one_more_run_not_one_each() {
        let (end, fake) = drive(
            vec![Step::CtrlC],
            vec![vec![
                changed(&["/p/src/a.rs"]),
                changed(&["/p/src/b.rs"]),
                changed(&["/p/src/a.rs", "/p/src/c.rs"]),
            ]],
            vec![],
            None,
        )
        .await;
        assert_eq!(end, End::Interrupted);
        assert_eq!(fake.runs.len(), 2, "{:?}", fake.runs);
        assert_eq!(fake.runs[1].paths.len(), 3);
    }

    #[tokio::test]
    async fn changes_to_unwatched_files_start_nothing() {
        let (_, fake) = drive(
            vec![
                Step::Event(changed(&["/p/target/debug/app", "/p/nephos.out/x.json"])),
                Step::Event(changed(&["/p/.git/index"])),
                Step::CtrlC,
            ],
            vec![vec![changed(&["/p/target/debug/build"])]],
            vec![],
            None,
        )
        .await;
        assert_eq!(fake.runs.len(), 1, "{:?}", fake.runs);
    }

    #[tokio::test]
    async fn a_removed_project_ends_watching_after_saying_so() {
        let (end, fake) = drive(
            vec![
                Step::Event(changed(&["/p/src/lib.rs"])),
                Step::Quiet,
                Step::Event(changed(&["/p/src/main.rs"])),
                Step::Quiet,
                Step::CtrlC,
            ],
            vec![],
            vec![RunResult::Done, RunResult::ProjectGone],
            None,
        )
        .await;
        assert_eq!(end, End::ProjectGone);
        assert_eq!(
            fake.runs.len(),
            2,
            "a run started after the project was gone"
        );
    }

    #[tokio::test]
    async fn a_failed_run_keeps_watching() {
        let (end, fake) = drive(
            vec![
                Step::Event(changed(&["/p/src/lib.rs"])),
                Step::Quiet,
                Step::CtrlC,
            ],
            vec![],
            vec![RunResult::Failed, RunResult::Done],
            None,
        )
        .await;
        assert_eq!(end, End::Interrupted);
        assert_eq!(fake.runs.len(), 2, "the failed first run did not stop it");
        assert!(
            fake.said
                .iter()
                .any(|s| s.starts_with("watching for changes"))
        );
    }

    #[tokio::test]
    async fn a_watcher_problem_is_said_and_watching_goes_on() {
        let (_, fake) = drive(
            vec![
                Step::Event(Event::Trouble("queue overflow".into())),
                Step::Event(changed(&["/p/src/lib.rs"])),
                Step::Quiet,
                Step::CtrlC,
            ],
            vec![],
            vec![],
            None,
        )
        .await;
        assert_eq!(fake.runs.len(), 2);
        assert!(
            fake.said
                .iter()
                .any(|s| s.contains("the file watcher: queue overflow")),
            "{:?}",
            fake.said
        );
    }

    #[tokio::test]
    async fn ctrl_c_during_a_run_ends_after_it_with_its_result_and_starts_no_other() {
        let (end, fake) = drive(
            vec![Step::Event(changed(&["/p/src/lib.rs"]))],
            vec![vec![], vec![changed(&["/p/src/x.rs"])]],
            vec![RunResult::Done, RunResult::Failed],
            Some(1),
        )
        .await;
        assert_eq!(end, End::InterruptedRun(RunResult::Failed));
        assert_eq!(fake.runs.len(), 2, "the queued change must not run");
    }

    #[tokio::test]
    async fn a_closed_output_or_a_stopped_watcher_ends_watching() {
        let (end, fake) = drive(vec![], vec![], vec![RunResult::OutputClosed], None).await;
        assert_eq!(end, End::OutputClosed);
        assert_eq!(fake.runs.len(), 1);
        let (end, _) = drive(vec![], vec![], vec![RunResult::Done], None).await;
        assert_eq!(end, End::WatcherStopped);
    }

    /// atk15 I: with stdout closed (`nephos watch | head -1`), watch went on deploying
    /// every save. The loop's own line after a run fails, and watching ends there.
    #[tokio::test]
    async fn a_line_that_cannot_be_written_ends_watching_before_another_run() {
        let interrupt = Interrupt::new();
        let during = Rc::new(RefCell::new(Vec::new()));
        let mut script = Script {
            idle: vec![
                Step::Event(changed(&["/p/src/lib.rs"])),
                Step::Quiet,
                Step::CtrlC,
            ]
            .into(),
            during: Rc::clone(&during),
            interrupt: interrupt.clone(),
        };
        let mut fake = Fake {
            results: VecDeque::new(),
            during_run: vec![],
            during,
            runs: Vec::new(),
            said: Vec::new(),
            ctrl_c_in_run: None,
            interrupt: interrupt.clone(),
            idles: 0,
            running: false,
            output_closed: true,
        };
        let end = tokio::time::timeout(
            Duration::from_secs(10),
            watch(&mut script, &mut fake, &filter(), &interrupt, None),
        )
        .await
        .unwrap_or_else(|_| panic!("the loop did not end"));
        assert_eq!(end, End::OutputClosed);
        assert_eq!(fake.runs.len(), 1, "a run started with output closed");
    }

    #[tokio::test]
    async fn idle_ticks_show_logs_between_runs() {
        let interrupt = Interrupt::new();
        let during = Rc::new(RefCell::new(Vec::new()));
        let mut script = Script {
            idle: VecDeque::new(),
            during: Rc::clone(&during),
            interrupt: interrupt.clone(),
        };
        // A watcher that never reports: only ticks and Ctrl-C happen.
        struct Silent(Script);
        #[async_trait(?Send)]
        impl Changes for Silent {
            async fn next(&mut self) -> Option<Event> {
                std::future::pending::<()>().await;
                None
            }
            fn pending(&mut self) -> Vec<Event> {
                self.0.pending()
            }
        }
        let mut fake = Fake {
            results: VecDeque::new(),
            during_run: vec![],
            during,
            runs: Vec::new(),
            said: Vec::new(),
            ctrl_c_in_run: None,
            interrupt: interrupt.clone(),
            idles: 0,
            running: false,
            output_closed: false,
        };
        let stop = interrupt.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            stop.trigger();
        });
        script.idle.clear();
        let mut silent = Silent(script);
        let end = watch(
            &mut silent,
            &mut fake,
            &filter(),
            &interrupt,
            Some(Duration::from_millis(10)),
        )
        .await;
        assert_eq!(end, End::Interrupted);
        // Ticks every 10 ms for 300 ms: at least a few, however loaded the machine.
        assert!(fake.idles >= 2, "{} ticks", fake.idles);
        assert_eq!(fake.runs.len(), 1, "ticks start no run");
    }
}
