//! The processes nephos starts (the app, cargo builds) and what Ctrl-C does to them.
//!
//! Each runs in a process group of its own, registered here while nephos waits for it.
//! The first Ctrl-C is passed on to those groups as SIGINT (what a terminal does to its
//! foreground group; also when only nephos was signalled, as IDE task runners, `timeout`
//! and systemd do); the second, which makes nephos exit at once, kills them first, so no
//! `cargo run` goes on building and writing an assembly after nephos is gone.

use std::process::Command;
use std::sync::Mutex;

/// Whether `status` is that of a process Ctrl-C ended (SIGINT, which nephos passes on to
/// its children's groups), or of a shell reporting so (exit code 130, 128 + SIGINT, as
/// `sh -c` reports a command SIGINT ended): such a child did not fail, it was stopped, and
/// what nephos says of it must say so (attack finding 4: a build stopped by Ctrl-C was
/// reported as a failed build, "see cargo's messages above").
pub fn ended_by_ctrl_c(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(libc::SIGINT) || status.code() == Some(128 + libc::SIGINT)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        false
    }
}

/// Process groups, by the id of their leader.
#[derive(Debug, Default)]
pub struct Registry(Mutex<Vec<u32>>);

/// The process-wide registry the commands use.
pub static CHILDREN: Registry = Registry(Mutex::new(Vec::new()));

/// Makes `cmd` start a process group of its own (Unix; elsewhere nothing changes).
pub fn own_group(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

/// A registered group: unregistered when dropped (once its leader was waited for).
#[must_use = "the group is registered while this lives"]
pub struct Tracked<'r> {
    registry: &'r Registry,
    leader: u32,
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        let mut groups = self.registry.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = groups.iter().position(|g| *g == self.leader) {
            groups.swap_remove(i);
        }
    }
}

impl Registry {
    /// Registers the group led by `leader` (a child started with [`own_group`]).
    pub fn track(&self, leader: u32) -> Tracked<'_> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(leader);
        Tracked {
            registry: self,
            leader,
        }
    }

    /// Passes an interrupt on to every group (SIGINT).
    pub fn interrupt_all(&self) {
        #[cfg(unix)]
        self.signal_all(libc::SIGINT);
    }

    /// Kills every group (SIGKILL): nephos is about to exit without waiting for them.
    pub fn kill_all(&self) {
        #[cfg(unix)]
        self.signal_all(libc::SIGKILL);
    }

    #[cfg(unix)]
    fn signal_all(&self, signal: libc::c_int) {
        let groups = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for leader in groups {
            let Ok(pgid) = libc::pid_t::try_from(leader) else {
                continue;
            };
            // SAFETY: kill(2) with a negative pid signals that process group; it touches no
            // memory of ours. A group that is gone answers ESRCH, which is fine.
            unsafe {
                libc::kill(-pgid, signal);
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Whether `pid` has ended (gone, or a zombie waiting for its parent to reap it).
    fn ended(pid: u32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            // The state follows the parenthesised command name.
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        }
    }

    /// atk15 N: a second Ctrl-C made nephos exit and left `sh ./app.sh` and its `sleep`
    /// running. Killing the registered groups ends the child and what it started.
    #[test]
    fn killing_the_groups_ends_the_app_and_its_children() {
        let dir = std::env::temp_dir().join(format!("nephos-children-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("grandchild");
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("sleep 30 & echo $! > {}; wait", pid_file.display()));
        own_group(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let registry = Registry::default();
        let tracked = registry.track(child.id());
        let started = Instant::now();
        while !pid_file.exists()
            || std::fs::read_to_string(&pid_file)
                .unwrap()
                .trim()
                .is_empty()
        {
            assert!(started.elapsed() < Duration::from_secs(10), "no grandchild");
            std::thread::sleep(Duration::from_millis(10));
        }
        let grandchild: u32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(!ended(grandchild));
        registry.kill_all();
        child.wait().unwrap();
        while !ended(grandchild) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the app's own child outlived the kill"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        drop(tracked);
        assert!(registry.0.lock().unwrap().is_empty(), "still registered");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_interrupt_reaches_the_group() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        own_group(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let registry = Registry::default();
        let _tracked = registry.track(child.id());
        registry.interrupt_all();
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGINT));
        assert!(ended_by_ctrl_c(&status));
        let failed = Command::new("sh").args(["-c", "exit 2"]).status().unwrap();
        assert!(!ended_by_ctrl_c(&failed), "a failure is not an interrupt");
        let via_shell = Command::new("sh")
            .args(["-c", "sh -c 'kill -INT $$'"])
            .status()
            .unwrap();
        assert!(ended_by_ctrl_c(&via_shell), "{via_shell}");
    }
}
