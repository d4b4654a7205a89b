//! The `nephos` binary's exit codes and one-line errors, without any AWS.

use std::process::Command;

fn nephos() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
    // A clean environment: no region, no credentials, no profile files.
    c.env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

#[test]
fn a_missing_region_is_one_clear_line_and_exit_1() {
    let out = nephos()
        .args([
            "diff",
            "--template",
            "deployer/tests/fixtures/users-api.json",
            "--stack-name",
            "x",
        ])
        .output()
        .expect("nephos runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: no AWS region configured"), "{err}");
}

#[test]
fn missing_credentials_are_one_clear_line() {
    let out = nephos()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["list"])
        .output()
        .expect("nephos runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: no AWS credentials found"), "{err}");
}

#[test]
fn no_app_says_how_to_give_one() {
    let out = nephos()
        .env("AWS_REGION", "us-east-1")
        .args(["synth"])
        .output()
        .expect("nephos runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pass --app"), "{err}");
}

#[test]
fn synth_runs_the_app_with_nephos_outdir() {
    let dir = std::env::temp_dir().join(format!("nephos-synth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/two-stack");
    let app = format!("cp {fixtures}/*.json \"$NEPHOS_OUTDIR\"/");
    let out = nephos()
        .args([
            "synth",
            "--app",
            &app,
            "--outdir",
            &dir.display().to_string(),
        ])
        .output()
        .expect("nephos runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("e2e-events: 1 resources"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_documents_the_diff_exit_codes() {
    let out = nephos()
        .args(["diff", "--help"])
        .output()
        .expect("nephos runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0 no changes, 2 changes, 1 error"), "{text}");
}

/// Issue 15: `--app ''` (or an exported empty NEPHOS_APP) ran an empty shell command and
/// then reported a missing manifest; `init --help` listed flags init refuses.
#[test]
fn an_empty_app_is_refused_by_name_and_help_lists_only_accepted_flags() {
    for (args, env, named) in [
        (&["synth", "--app", ""][..], None, "--app"),
        (&["synth"][..], Some(("NEPHOS_APP", "")), "NEPHOS_APP"),
        (&["deploy", "--env", ""][..], None, "--env"),
        (
            &["logs", "api", "--since", "5 parsecs"][..],
            None,
            "--since",
        ),
    ] {
        let mut c = nephos();
        if let Some((k, v)) = env {
            c.env(k, v);
        }
        let out = c.args(args).output().expect("nephos runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.starts_with("error: invalid value") && err.contains(named),
            "{args:?}: {err}"
        );
    }
    let out = nephos()
        .args(["init", "--help"])
        .output()
        .expect("nephos runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{help}");
    for refused in ["--region", "--profile", "--timeout", "--env"] {
        assert!(!help.contains(refused), "{refused}: {help}");
    }
}
