//! What a user expects of any command line tool: a closed pipe ends quietly, `-v` and
//! `--debug` say more (the SDK's requests at the most verbose level), completions and a
//! man page that match the commands, `--color` checked.

use std::process::{Command, Stdio};

const TEMPLATE: &str = "deployer/tests/fixtures/users-api.json";

fn nephos() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
    c.env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_closed_pipe_ends_quietly_with_141_and_no_panic() {
    let (reader, writer) = std::io::pipe().unwrap();
    // The reader is gone before nephos writes its first byte, as with `| head -0`.
    drop(reader);
    let out = nephos()
        .args([
            "synth",
            "--print",
            "--template",
            TEMPLATE,
            "--stack-name",
            "piped",
        ])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert!(err.is_empty(), "stderr should stay quiet: {err}");
}

#[test]
fn completions_cover_every_subcommand_and_parse_in_bash() {
    let out = nephos().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    for word in [
        "logs",
        "init",
        "--nephos-path",
        "--follow",
        "completions",
        "--color",
    ] {
        assert!(
            script.contains(word),
            "{word} missing from the bash completions"
        );
    }
    let path = std::env::temp_dir().join(format!("nephos-completions-{}.bash", std::process::id()));
    std::fs::write(&path, &script).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(check.status.success(), "bash -n: {}", text(&check.stderr));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = nephos().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    assert_eq!(
        nephos()
            .args(["completions", "tcsh"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn the_man_page_is_roff_listing_the_commands() {
    let out = nephos().arg("man").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH nephos"),
        "{page}"
    );
    for word in ["logs", "init", "completions", "deploy", "NO_COLOR"] {
        assert!(page.contains(word), "{word} missing from the man page");
    }
}

#[test]
fn verbose_says_what_it_runs_and_quiet_does_not() {
    let run = |flags: &[&str]| {
        let out = nephos()
            .args(flags)
            .args([
                "synth",
                "--app",
                "true",
                "--outdir",
                "target/conventions-verbose.out",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        text(&out.stderr)
    };
    assert!(!run(&[]).contains("running the app"));
    let v = run(&["-v"]);
    assert!(v.contains("INFO") && v.contains("running the app"), "{v}");
}

#[test]
fn debug_shows_the_sdks_requests_and_v_does_not() {
    let run = |flag: &str| {
        let out = nephos()
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_MAX_ATTEMPTS", "1")
            // Nothing listens here: the request is tried and refused at once.
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .args([flag, "list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        text(&out.stderr)
    };
    let debug = run("--debug");
    assert!(debug.contains("aws_smithy_runtime"), "{debug}");
    assert!(!run("-v").contains("aws_smithy_runtime"));
}

#[test]
fn color_takes_only_its_three_values() {
    for ok in ["auto", "always", "never"] {
        let out = nephos()
            .args(["--color", ok, "completions", "bash"])
            .output()
            .unwrap();
        assert!(out.status.success(), "--color {ok}");
    }
    let out = nephos()
        .args(["--color", "sometimes", "man"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("sometimes"));
}
