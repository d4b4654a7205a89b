//! Finding and running the app: `--app`, `NEPHOS_APP` or `./nephos.json`, run through the
//! shell with `NEPHOS_OUTDIR` telling it where to write the assembly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use super::assembly::{StackSource, from_template, load_assembly};
use super::staging::Staging;
use crate::cli::SourceArgs;
use crate::error::{Error, Result};
use crate::output::relay::{Ended, relay};

/// The longest line of the app's output (stdout or stderr) nephos reads, in bytes: the
/// output is streamed line by line, so this bounds the memory one line can take. A
/// longer line stops the run (the app is killed) rather than being held whole.
pub const MAX_APP_LINE_BYTES: usize = crate::output::relay::MAX_LINE_BYTES;

/// The config file read from the current directory.
pub const CONFIG_FILE: &str = "nephos.json";

/// The app command: the flag (or environment), else `nephos.json`.
pub fn app_command(args: &SourceArgs, cwd: &Path) -> Result<Option<String>> {
    if let Some(app) = &args.app {
        return Ok(Some(app.clone()));
    }
    match super::config::load(cwd)? {
        None => Ok(None),
        Some(config) => config.app.map(Some).ok_or_else(|| {
            Error::with_next(
                format!("{} has no \"app\" string", cwd.join(CONFIG_FILE).display()),
                "add the command that runs the app, e.g. \"app\": \"cargo run -q\", or pass --app \"COMMAND\"",
            )
        }),
    }
}

/// Loads the stacks from whichever source the arguments name; `log` receives the app's
/// own output (kept off stdout so `--output json` stays parseable).
pub fn load(args: &SourceArgs, cwd: &Path, log: &mut dyn Write) -> Result<Vec<StackSource>> {
    load_any(args, cwd, log)
}

fn load_any(args: &SourceArgs, cwd: &Path, log: &mut dyn Write) -> Result<Vec<StackSource>> {
    if let (Some(file), Some(name)) = (&args.template, &args.stack_name) {
        return from_template(&cwd.join(file), name);
    }
    if let Some(dir) = &args.assembly {
        return load_assembly(&cwd.join(dir));
    }
    let Some(app) = app_command(args, cwd)? else {
        return Err(Error::with_next(
            "no app",
            format!(
                "pass --app \"COMMAND\", set NEPHOS_APP, write {{\"app\": \"COMMAND\"}} to ./{CONFIG_FILE}, or use --template FILE --stack-name NAME"
            ),
        ));
    };
    let outdir = cwd.join(&args.outdir);
    // The app writes aside; its output replaces the assembly in `outdir` only once
    // checked, so a refused run leaves the earlier assembly (see `staging`).
    let staging = Staging::begin(&outdir)?;
    let staged = staging.path().to_path_buf();
    run_app_in(&app, cwd, &staged, args.environment.as_deref(), log)?;
    check_app_output(&load_assembly(&staged)?, &staged, cwd)?;
    staging.install(&outdir)?;
    load_assembly(&outdir)
}

/// Every check that can refuse what an app run wrote to `staged`, before it replaces the
/// assembly: a check added here (not after the install) keeps a refused output out of
/// `--outdir`. The app's own crate first: it names the package to rebuild.
fn check_app_output(stacks: &[StackSource], staged: &Path, cwd: &Path) -> Result<()> {
    super::provenance::check_app(staged, cwd)?;
    super::provenance::check_from_project(stacks, cwd)
}

/// Runs the app command and checks that it succeeded and wrote a fresh manifest.
///
/// Its output is streamed to `log` line by line as it comes (a first `cargo run` compiles
/// for minutes), escaped ([`relay`]). Only the app process is waited for: whatever it
/// leaves running may keep its pipes open, so once it has exited the rest of its output
/// gets a short grace period and is then left. nephos deletes nothing in `outdir`: a
/// manifest left by an earlier run is told apart by its modification time. [`load`] gives
/// the app a fresh staging directory (`staging`), so there it finds none.
pub fn run_app(app: &str, cwd: &Path, outdir: &PathBuf, log: &mut dyn Write) -> Result<()> {
    run_app_in(app, cwd, outdir, None, log)
}

/// [`run_app`], telling the app the selected environment (`--env`) as `NEPHOS_ENV`.
pub fn run_app_in(
    app: &str,
    cwd: &Path,
    outdir: &PathBuf,
    environment: Option<&str>,
    log: &mut dyn Write,
) -> Result<()> {
    std::fs::create_dir_all(outdir)
        .map_err(|e| Error::new(format!("cannot create {}: {e}", outdir.display())))?;
    let manifest = outdir.join(nephos::assembly::MANIFEST_FILE);
    let before = modified(&manifest);
    tracing::info!(app, outdir = %outdir.display(), "running the app");
    let mut command = Command::new("sh");
    // A group of its own: a forced exit (a second Ctrl-C) kills the app and whatever it
    // started (`cargo run` and the build under it), see `crate::children`.
    crate::children::own_group(&mut command);
    if let Some(name) = environment {
        command.env("NEPHOS_ENV", name);
    }
    // nephos relays the app's output with control characters escaped (an app must not
    // drive the terminal), so colour codes cargo writes under `CARGO_TERM_COLOR=always`
    // (the scaffold's CI sets it) would show as `\x1b[1m` text on every line (atk s25 9).
    command.env("CARGO_TERM_COLOR", "never");
    let mut child = command
        .arg("-c")
        .arg(app)
        .current_dir(cwd)
        .env("NEPHOS_OUTDIR", outdir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot run the app `{app}`: {e}")))?;
    let status = match relay(&mut child, log) {
        Ok(Ended::Exited(status)) => status,
        Ok(Ended::LineTooLong) => {
            return Err(Error::new(format!(
                "the app `{app}` wrote a line longer than {MAX_APP_LINE_BYTES} bytes; nephos reads at most that much of one line of the app's output, so it stopped the app (write less, or write it to a file)"
            )));
        }
        Err(e) => return Err(Error::new(format!("cannot follow the app `{app}`: {e}"))),
    };
    if crate::children::ended_by_ctrl_c(&status) {
        return Err(Error::new(format!(
            "interrupted (Ctrl-C) while the app `{app}` ran: nothing was deployed, and the assembly is as it was; run the command again"
        )));
    }
    if !status.success() {
        return Err(Error::new(format!("the app `{app}` failed ({status})")));
    }
    // The app writes the manifest where `NEPHOS_OUTDIR` says, from `app.run()`.
    let next = "make the app's main end with `app.run()` (it writes the assembly to $NEPHOS_OUTDIR), then run the command again";
    match (before, modified(&manifest)) {
        (_, None) => Err(Error::with_next(
            format!(
                "the app `{app}` succeeded but wrote no {} (its NEPHOS_OUTDIR)",
                manifest.display()
            ),
            next,
        )),
        (Some(old), Some(new)) if new <= old => Err(Error::with_next(
            format!(
                "the app `{app}` succeeded but did not rewrite {} (the one there is from an earlier run)",
                manifest.display()
            ),
            next,
        )),
        _ => Ok(()),
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_nephos_json_is_refused_at_once() {
        let dir = std::env::temp_dir().join(format!("nephos-fifo-app-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        crate::source::bounded::make_fifo(&dir, CONFIG_FILE);
        let at = dir.clone();
        let e = crate::source::bounded::promptly(move || {
            app_command(&SourceArgs::default(), &at).err()
        })
        .expect("refused");
        assert!(e.0.contains("not a regular file"), "{}", e.0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_endless_line_of_app_output_stops_the_app_with_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("nephos-app-line-{}", std::process::id()));
        let outdir = dir.join("out");
        // Twice the bound on one line, and no end: without the bound it would all be held.
        let app = format!(
            "head -c {} /dev/zero | tr '\\0' x; sleep 30",
            2 * MAX_APP_LINE_BYTES
        );
        let mut log = Vec::new();
        let started = Instant::now();
        let err = run_app(&app, &std::env::temp_dir(), &outdir, &mut log)
            .expect_err("a line past the bound is an error");
        assert!(err.0.contains("longer than 1048576 bytes"), "{}", err.0);
        assert!(
            log.len() <= MAX_APP_LINE_BYTES,
            "{} bytes logged",
            log.len()
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the app was stopped"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// atk (s25) 9: cargo under the app is asked for plain text, whatever the caller's
    /// `CARGO_TERM_COLOR`: its colour codes would reach the relay as escaped text.
    #[test]
    fn the_app_runs_with_cargo_colours_off() {
        let dir = std::env::temp_dir().join(format!("nephos-app-colour-{}", std::process::id()));
        let outdir = dir.join("out");
        let mut log = Vec::new();
        let err = run_app(
            "echo \"colour=$CARGO_TERM_COLOR\" >&2; exit 3",
            &std::env::temp_dir(),
            &outdir,
            &mut log,
        )
        .expect_err("the app failed");
        assert!(err.0.contains("failed"), "{}", err.0);
        let log = String::from_utf8_lossy(&log);
        assert!(log.contains("colour=never"), "{log}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
