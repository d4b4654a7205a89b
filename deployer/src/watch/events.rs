//! The real file events: `notify` watching the project directory recursively, debounced
//! by `notify-debouncer-full` (which folds the many raw events of one save, such as an
//! editor's write-to-temp-and-rename, into one), filtered, and handed to the loop through
//! a bounded channel.

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;

use super::driver::{Changes, Event};
use super::filter::Filter;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// How long the files must be quiet before a change counts as settled: long enough to
/// fold one save's events, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Events waiting for the loop, at most. One waiting change is enough to queue a run, so
/// when the channel is full (a long run and a busy directory) more are dropped, never
/// held without bound.
const CAPACITY: usize = 64;

/// The project directory's debounced changes.
pub struct FileEvents {
    // Dropping it stops the watcher thread.
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    rx: mpsc::Receiver<Event>,
    filter: Filter,
    /// The package directories outside the project watched so far.
    outside: Vec<PathBuf>,
    /// The last problem asking Cargo for the packages, said once.
    last_problem: Option<String>,
}

impl FileEvents {
    /// Starts watching `filter`'s root recursively; only changes `filter` watches are
    /// passed on (reads, and files like `target/`, are not).
    ///
    /// # Errors
    /// The watcher cannot start or cannot watch the directory (too many inotify watches:
    /// the message says which limit).
    pub fn start(filter: Filter) -> Result<Self> {
        // Cargo's packages first, so the first watches cover those outside the project;
        // a failure now (dependencies not downloaded yet) is said after the first run.
        let _ = ask_cargo(&filter);
        let (tx, rx) = mpsc::channel(CAPACITY);
        let keep = filter.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let event = match result {
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = Vec::new();
                    for e in &events {
                        // Reading a file (the app's build does) is not a change.
                        if matches!(e.kind, EventKind::Access(_)) {
                            continue;
                        }
                        for p in &e.paths {
                            if keep.is_watched(p) && !paths.contains(p) {
                                paths.push(p.clone());
                            }
                        }
                    }
                    if paths.is_empty() {
                        return;
                    }
                    Event::Changed(paths)
                }
                Err(errors) => Event::Trouble(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // Full: a run is queued already; the loop has gone away: nothing to tell.
            let _ = tx.try_send(event);
        })
        .map_err(|e| Error::new(format!("cannot start watching files: {e}")))?;
        for (dir, mode) in watched_dirs(&filter)? {
            debouncer.watch(&dir, mode).map_err(|e| {
                Error::new(format!(
                    "cannot watch {}: {e}{}",
                    dir.display(),
                    if matches!(e.kind, notify_debouncer_full::notify::ErrorKind::MaxFilesWatch) {
                        " (the inotify watch limit: raise fs.inotify.max_user_watches, or exclude large directories in nephos.json's watch.exclude)"
                    } else {
                        ""
                    }
                ))
            })?;
        }
        Ok(Self {
            debouncer,
            rx,
            outside: filter.packages_outside(),
            filter,
            last_problem: None,
        })
    }

    /// Asks Cargo again which packages the workspace has (a run may have changed a
    /// manifest) and watches the new ones outside the project. Returns the problems to
    /// say: each one once.
    fn refresh_packages(&mut self) -> Vec<String> {
        let mut said = Vec::new();
        let problem = ask_cargo(&self.filter).err();
        if problem.is_some() && problem != self.last_problem {
            said.extend(problem.clone().map(|p| {
                format!("cannot list the project's Cargo packages ({p}); path packages outside the project are watched as before")
            }));
        }
        self.last_problem = problem;
        for dir in self.filter.packages_outside() {
            if self.outside.contains(&dir) {
                continue;
            }
            for (d, mode) in package_dirs(&self.filter, &dir) {
                if let Err(e) = self.debouncer.watch(&d, mode) {
                    said.push(format!(
                        "cannot watch {}: {e}; its edits start no run",
                        escape_line(&d.display().to_string())
                    ));
                }
            }
            self.outside.push(dir);
        }
        said
    }
}

/// Tells `filter` what Cargo says of the project's workspace.
fn ask_cargo(filter: &Filter) -> std::result::Result<(), String> {
    if let Some(found) = super::packages::of_workspace(filter.root())? {
        filter.set_packages(&found);
    }
    Ok(())
}

/// The watches of a directory: itself (its files), and each directory in it that may hold
/// watched files, recursively; build directories and version-control state get none.
fn package_dirs(filter: &Filter, dir: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut out = vec![(dir.to_path_buf(), RecursiveMode::NonRecursive)];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        // Not followed through a symlink: it may lead anywhere.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|d| filter.descends_into(d))
        .collect();
    children.sort();
    out.extend(children.into_iter().map(|d| (d, RecursiveMode::Recursive)));
    out
}

/// The root itself (its files), each of its directories that may hold watched files,
/// recursively: `target/` and the other excluded directories get no watches at all (a
/// recursive watch of the root would put one on every directory of a build). A directory
/// made at the top level after watching started is watched from the next start. Then the
/// `.cargo` directories (and Cargo's home) whose configuration changes a handler's key.
fn watched_dirs(filter: &Filter) -> Result<Vec<(PathBuf, RecursiveMode)>> {
    let root = filter.root();
    std::fs::read_dir(root)
        .map_err(|e| Error::new(format!("cannot watch {}: {e}", root.display())))?;
    let mut dirs = package_dirs(filter, root);
    // The path packages outside the project a handler's key hashes.
    for dir in filter.packages_outside() {
        dirs.extend(package_dirs(filter, &dir));
    }
    // Cargo's configuration files above the project or in hidden `.cargo` directories.
    dirs.extend(
        filter
            .cargo_config_dirs()
            .into_iter()
            .map(|d| (d, RecursiveMode::NonRecursive)),
    );
    Ok(dirs)
}

#[async_trait(?Send)]
impl Changes for FileEvents {
    async fn next(&mut self) -> Option<Event> {
        self.rx.recv().await
    }

    fn pending(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Ok(e) = self.rx.try_recv() {
            out.push(e);
        }
        out
    }

    fn refresh(&mut self) -> Vec<String> {
        self.refresh_packages()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::config::WatchConfig;
    use crate::watch::packages::Packages;

    /// The next change the watcher reports within a few seconds, if any.
    async fn next_change(events: &mut FileEvents) -> Option<Vec<PathBuf>> {
        let limit = Duration::from_secs(5);
        match tokio::time::timeout(limit, events.next()).await {
            Ok(Some(Event::Changed(paths))) => Some(paths),
            _ => None,
        }
    }

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// atk finding 5, with real file events: an edit in a path package outside the
    /// project, in a hidden source, and under a source directory named `target` each
    /// start a run; the package's real build directory does not.
    #[tokio::test]
    async fn edits_a_handlers_key_sees_are_reported_and_build_output_is_not() {
        let base = std::env::temp_dir().join(format!("nephos-events-pk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let project = base.join("p");
        let outside = base.join("outside-lib");
        write(&project.join("handler/src/main.rs"), "fn main() {}\n");
        write(&project.join("handler/src/target/mod.rs"), "\n");
        write(&outside.join("src/lib.rs"), "\n");
        write(
            &outside.join("target/CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        );
        // No Cargo.toml at the root: what Cargo would say is given here.
        let filter = Filter::new(
            &project,
            &project.join("nephos.out"),
            &WatchConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        filter.set_packages(&Packages {
            dirs: vec![project.join("handler"), outside.clone()],
            target_dir: None,
        });
        let mut events = FileEvents::start(filter).unwrap_or_else(|e| panic!("{e}"));
        tokio::time::sleep(Duration::from_millis(300)).await;
        for edited in [
            outside.join("src/lib.rs"),
            project.join("handler/src/.gen.rs"),
            project.join("handler/src/target/mod.rs"),
        ] {
            // Build output first: had it been reported, it would come first.
            write(&outside.join("target/debug/out.d"), &format!("{edited:?}"));
            write(&edited, "pub fn edited() {}\n");
            let seen = next_change(&mut events).await;
            assert_eq!(seen, Some(vec![edited.clone()]), "{edited:?}");
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
