//! The real file events: `notify` watching the project directory recursively, debounced
//! by `notify-debouncer-full` (which folds the many raw events of one save, such as an
//! editor's write-to-temp-and-rename, into one), filtered, and handed to the loop through
//! a bounded channel.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;

use super::driver::{Changes, Event};
use super::filter::Filter;
use crate::error::{Error, Result};

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
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    rx: mpsc::Receiver<Event>,
}

impl FileEvents {
    /// Starts watching `filter`'s root recursively; only changes `filter` watches are
    /// passed on (reads, and files like `target/`, are not).
    ///
    /// # Errors
    /// The watcher cannot start or cannot watch the directory (too many inotify watches:
    /// the message says which limit).
    pub fn start(filter: Filter) -> Result<Self> {
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
            _debouncer: debouncer,
            rx,
        })
    }
}

/// The root itself (its files), each of its directories that may hold watched files,
/// recursively: `target/` and the other excluded directories get no watches at all (a
/// recursive watch of the root would put one on every directory of a build). A directory
/// made at the top level after watching started is watched from the next start. Then the
/// `.cargo` directories (and Cargo's home) whose configuration changes a handler's key.
fn watched_dirs(filter: &Filter) -> Result<Vec<(PathBuf, RecursiveMode)>> {
    let root = filter.root();
    let entries = std::fs::read_dir(root)
        .map_err(|e| Error::new(format!("cannot watch {}: {e}", root.display())))?;
    let mut dirs = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    let mut children: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        // Not followed through a symlink: only the project's own directories.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|d| filter.descends_into(d))
        .collect();
    children.sort();
    dirs.extend(children.into_iter().map(|d| (d, RecursiveMode::Recursive)));
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
}
