//! Finding and running the app: `--app`, `NEPHOS_APP` or `./nephos.json`, run through the
//! shell with `NEPHOS_OUTDIR` telling it where to write the assembly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::assembly::{StackSource, from_template, load_assembly};
use crate::cli::SourceArgs;
use crate::error::{Error, Result};

/// The config file read from the current directory.
pub const CONFIG_FILE: &str = "nephos.json";

/// The app command: the flag (or environment), else `nephos.json`.
pub fn app_command(args: &SourceArgs, cwd: &Path) -> Result<Option<String>> {
    if let Some(app) = &args.app {
        return Ok(Some(app.clone()));
    }
    let path = cwd.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::new(format!("cannot read {}: {e}", path.display()))),
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::new(format!("invalid {}: {e}", path.display())))?;
    match v.get("app") {
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        _ => Err(Error::new(format!(
            "{} has no \"app\" string",
            path.display()
        ))),
    }
}

/// Loads the stacks from whichever source the arguments name; `log` receives the app's
/// own output (kept off stdout so `--output json` stays parseable).
pub fn load(args: &SourceArgs, cwd: &Path, log: &mut dyn Write) -> Result<Vec<StackSource>> {
    if let (Some(file), Some(name)) = (&args.template, &args.stack_name) {
        return from_template(&cwd.join(file), name);
    }
    if let Some(dir) = &args.assembly {
        return load_assembly(&cwd.join(dir));
    }
    let Some(app) = app_command(args, cwd)? else {
        return Err(Error::new(format!(
            "no app: pass --app \"COMMAND\", set NEPHOS_APP, write {{\"app\": \"COMMAND\"}} to ./{CONFIG_FILE}, or use --template FILE --stack-name NAME"
        )));
    };
    let outdir = cwd.join(&args.outdir);
    run_app(&app, cwd, &outdir, log)?;
    load_assembly(&outdir)
}

/// Runs the app command and checks that it succeeded.
pub fn run_app(app: &str, cwd: &Path, outdir: &PathBuf, log: &mut dyn Write) -> Result<()> {
    std::fs::create_dir_all(outdir)
        .map_err(|e| Error::new(format!("cannot create {}: {e}", outdir.display())))?;
    // A stale manifest must not pass for the output of an app that failed to write one.
    let _ = std::fs::remove_file(outdir.join(nephos::assembly::MANIFEST_FILE));
    let output = Command::new("sh")
        .arg("-c")
        .arg(app)
        .current_dir(cwd)
        .env("NEPHOS_OUTDIR", outdir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("cannot run the app `{app}`: {e}")))?;
    log.write_all(&output.stdout)?;
    log.write_all(&output.stderr)?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "the app `{app}` failed ({})",
            output.status
        )));
    }
    Ok(())
}
