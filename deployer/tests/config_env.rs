//! `nephos.json` is typed (unknown keys are errors) and `--env NAME` selects one of its
//! environments: the app sees `NEPHOS_ENV`, and the environment's region is checked.

use std::path::{Path, PathBuf};
use std::process::Command;

fn project(name: &str, config: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("nephos.json"), config).unwrap();
    dir
}

fn nephos(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_nephos"))
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CONFIG: &str = r#"{
  "app": "printf %s \"$NEPHOS_ENV\" > seen-env",
  "environments": {
    "prod": {"region": "eu-west-1", "profile": "prod", "parameters": {"Stage": "prod"}},
    "broken": {"region": "eu west 1"}
  }
}"#;

#[test]
fn the_app_runs_with_the_selected_environment() {
    let dir = project("config-env-selected", CONFIG);
    // The app writes no assembly, so synth fails after running it.
    let (code, err) = nephos(&dir, &["--env", "prod", "synth"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("seen-env")).unwrap(),
        "prod"
    );
    // Without --env the app sees none.
    let (_, _) = nephos(&dir, &["synth"]);
    assert_eq!(std::fs::read_to_string(dir.join("seen-env")).unwrap(), "");
}

#[test]
fn an_unknown_environment_or_key_or_a_bad_region_is_refused() {
    let dir = project("config-env-refusals", CONFIG);
    let (code, err) = nephos(&dir, &["--env", "staging", "synth"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no environment `staging`; it has: broken, prod"),
        "{err}"
    );
    assert!(
        !dir.join("seen-env").exists(),
        "the app ran for an unknown environment"
    );

    let (code, err) = nephos(&dir, &["--env", "broken", "synth"]);
    assert_eq!(code, 1);
    assert!(err.contains("environment broken: region"), "{err}");

    let dir = project("config-env-typo", r#"{"app": "true", "enviroments": {}}"#);
    let (code, err) = nephos(&dir, &["synth"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown field `enviroments`"), "{err}");
}

/// `nephos ls` lists the app's stacks from the assembly without AWS (no credentials, no
/// endpoint here), with the environment's region for stacks that name none.
#[test]
fn ls_lists_the_apps_stacks_without_aws() {
    let dir = project("config-env-ls", CONFIG);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/two-stack");
    let out = Command::new(env!("CARGO_BIN_EXE_nephos"))
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(&dir)
        .args(["--env", "prod", "ls", "--assembly", fixtures])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].starts_with("ID"), "{stdout}");
    assert!(
        stdout.contains("Events    e2e-events    eu-west-1  -"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Consumer  e2e-consumer  eu-west-1  Events"),
        "{stdout}"
    );
    assert_eq!(lines[3], "environment: prod");
}
