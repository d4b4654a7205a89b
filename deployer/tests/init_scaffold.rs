//! `nephos init`: a scaffolded project builds and passes its own tests offline, and
//! `nephos synth` works in it.
//!
//! The project takes `nephos` from this checkout (`--nephos-path dsl`) and shares this
//! workspace's target directory, so only what differs is compiled.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo().join("target"), PathBuf::from)
}

fn nephos(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
    c.current_dir(dir)
        .env_remove("NEPHOS_APP")
        .env_remove("NEPHOS_OUTDIR");
    c
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_new_project_passes_its_tests_offline_and_synthesizes() {
    let parent = fresh_dir("init-scaffold");
    let started = Instant::now();
    let init = nephos(&parent)
        .args(["init", "orders-api", "--nephos-path"])
        .arg(repo().join("dsl"))
        .output()
        .unwrap();
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let project = parent.join("orders-api");
    for f in [
        "Cargo.toml",
        "handler/src/main.rs",
        "tests/snapshots/template__stack.snap",
        "nephos.json",
        ".gitignore",
        ".github/workflows/ci.yml",
    ] {
        assert!(project.join(f).is_file(), "{f} missing");
    }

    let test = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--workspace", "--quiet"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", target_dir())
        // The snapshot must match as written by init: never accept a new one here.
        .env("INSTA_UPDATE", "no")
        .env_remove("CARGO_MAKEFLAGS")
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        test.status.success(),
        "cargo test in the new project failed:\n{log}"
    );
    // Both the handler's tests and the template's snapshot ran.
    assert!(
        log.contains("an_item_with_an_id_is_accepted")
            || log.matches("test result: ok").count() >= 2
            || log.matches(" passed").count() >= 2,
        "{log}"
    );
    eprintln!(
        "init -> passing cargo test: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The handler is `Code::rust_bin`: synth builds it with cargo-zigbuild and zig from
    // this checkout's .venv (scripts/venv.sh), offline.
    let path = std::env::join_paths(std::iter::once(repo().join(".venv/bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let synth_started = Instant::now();
    let synth = nephos(&project)
        .args(["synth", "--output", "json"])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .env("PATH", path)
        .output()
        .unwrap();
    eprintln!(
        "first synth (handler built or taken from the cache): {:.1} s",
        synth_started.elapsed().as_secs_f64()
    );
    let out = String::from_utf8_lossy(&synth.stdout);
    assert_eq!(
        synth.status.code(),
        Some(0),
        "{}{out}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stacks"][0]["stackName"], "orders-api-dev", "{out}");
    assert_eq!(v["stacks"][0]["assets"], 1, "{out}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.join("nephos.out/manifest.json")).unwrap())
            .unwrap();
    let asset = &manifest["stacks"][0]["assets"][0];
    assert_eq!(asset["build"]["bin"], "bootstrap", "{manifest}");
    let zip = std::fs::read(
        project
            .join("nephos.out")
            .join(asset["path"].as_str().unwrap()),
    )
    .expect("synth wrote the built handler's zip into the assembly");
    assert!(zip.starts_with(b"PK\x03\x04"), "not a zip");
}

#[test]
fn init_refuses_a_non_empty_directory_and_a_bad_name() {
    let dir = fresh_dir("init-refusals");
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let out = nephos(&dir).args(["init", "."]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is not empty") && err.contains("keep.txt"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    let out = nephos(&dir)
        .args(["init", "new", "--name", "9lives"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("does not start with a letter"), "{err}");
    assert!(!dir.join("new").exists(), "a refused name left a directory");
}

/// atk15 A and C: a snake_case name gives a stack name CloudFormation takes; a checkout path
/// is written once, without `..`, with a note that the CI workflow is then local; a git
/// source must be a URL Cargo reads.
#[test]
fn init_writes_a_valid_stack_name_a_clean_path_and_refuses_a_bad_git_url() {
    let parent = fresh_dir("init-sources");
    // `<crate>/../dsl/../dsl`: dots on the way to the checkout.
    let via_dots = repo().join("dsl").join("..").join("dsl");
    let via_dots = via_dots.to_string_lossy().into_owned();
    let out = nephos(&parent)
        .args(["init", "my_app", "--nephos-path", &via_dots])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let dsl = std::fs::canonicalize(repo().join("dsl")).unwrap();
    let manifest = std::fs::read_to_string(parent.join("my_app/Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("path = \"{}\"", dsl.display())),
        "{manifest}"
    );
    assert!(!manifest.contains(".."), "{manifest}");
    assert!(err.contains("runs only where the checkout is"), "{err}");
    let main = std::fs::read_to_string(parent.join("my_app/src/main.rs")).unwrap();
    assert!(main.contains("\"my-app-dev\""), "{main}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("nephos bootstrap"), "{stdout}");

    for bad in [
        "https://x/\ny",
        "git@github.com:a/b.git",
        "ftp://host/r",
        "not a url",
    ] {
        let out = nephos(&parent)
            .args(["init", "other", "--nephos-git", bad])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad:?}: {err}");
        assert!(err.contains("--nephos-git"), "{err}");
        assert!(!parent.join("other").exists(), "{bad:?} left a directory");
    }
}
