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
        "rust-toolchain.toml",
    ] {
        assert!(project.join(f).is_file(), "{f} missing");
    }
    // atk 3: the toolchain that ran init is pinned, so CI and laptops compute one asset key
    // (the key includes `rustc -vV`); the `cargo test` below runs under that pin, offline.
    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-vV")
        .output()
        .unwrap();
    let release = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("release: ").map(str::to_owned))
        .expect("rustc -vV names its release");
    let pin = std::fs::read_to_string(project.join("rust-toolchain.toml")).unwrap();
    let keys: Vec<&str> = pin
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(keys[0], "[toolchain]", "{pin}");
    assert!(
        keys.contains(&format!("channel = \"{release}\"").as_str()),
        "{pin}"
    );
    assert!(!keys.iter().any(|l| l.starts_with("components")), "{pin}");

    // Issue 15: a new project is `cargo fmt`-clean as written, so a CI `fmt --check` or a
    // first save in an editor does not rewrite init's files.
    let fmt = Command::new(env!("CARGO"))
        // The project's own packages (`--all` would also format `--nephos-path`'s checkout).
        .args([
            "fmt",
            "--check",
            "-p",
            "orders-api",
            "-p",
            "orders-api-handler",
        ])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(
        fmt.status.success(),
        "cargo fmt --check in the new project:\n{}{}",
        String::from_utf8_lossy(&fmt.stdout),
        String::from_utf8_lossy(&fmt.stderr)
    );

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
        .env("PATH", &path)
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

    // atk (s25) 10: `--env prod` runs the app with NEPHOS_ENV=prod, and the app names a
    // stack of that environment rather than updating dev's. (The app as `cargo run` built it
    // for the synth above.)
    let outdir = parent.join("prod.out");
    // The app's synth finds zig and cargo-zigbuild (their versions are in the key) where
    // nephos does.
    let app = Command::new(target_dir().join("debug/orders-api"))
        .current_dir(&project)
        .env("PATH", &path)
        .env("NEPHOS_ENV", "prod")
        .env("NEPHOS_OUTDIR", &outdir)
        .output()
        .unwrap();
    assert!(
        app.status.success(),
        "{}",
        String::from_utf8_lossy(&app.stderr)
    );
    let prod: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outdir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(prod["stacks"][0]["stackName"], "orders-api-prod", "{prod}");
}

/// A git source for the scaffolds these tests only read (init fetches nothing).
const GIT: &str = "https://example.invalid/nephos";

#[test]
fn init_refuses_a_non_empty_directory_and_a_bad_name() {
    let dir = fresh_dir("init-refusals");
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let out = nephos(&dir)
        .args(["init", ".", "--nephos-git", GIT])
        .output()
        .unwrap();
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
        .args(["init", "new", "--name", "9lives", "--nephos-git", GIT])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("does not start with a letter"), "{err}");
    assert!(!dir.join("new").exists(), "a refused name left a directory");
}

/// atk15 A and C: `--nephos-path ../x/dsl` was written unnormalized, and the CI workflow
/// it made runs only on this machine without a word about it; a snake_case name gave a stack
/// name CloudFormation refuses; `--nephos-git` took any text, newlines included.
#[test]
fn a_path_source_is_canonical_and_said_to_be_machine_local() {
    let dir = fresh_dir("init-path-source");
    let out = nephos(&dir)
        .args(["init", "local_app", "--nephos-path"])
        .arg(repo().join("deployer").join("..").join("dsl"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("builds only where that checkout is"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("nephos bootstrap"), "{stdout}");
    let project = dir.join("local_app");
    let cargo = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
    let canonical = std::fs::canonicalize(repo().join("dsl")).unwrap();
    assert!(
        cargo.contains(&format!("path = \"{}\"", canonical.display())),
        "{cargo}"
    );
    assert!(!cargo.contains("/../"), "{cargo}");
    let ci = std::fs::read_to_string(project.join(".github/workflows/ci.yml")).unwrap();
    assert!(ci.contains("fails on a CI runner"), "{ci}");
    // atk15 A: the underscored name's stack name is one CloudFormation accepts.
    let main = std::fs::read_to_string(project.join("src/main.rs")).unwrap();
    assert!(main.contains("\"local-app-dev\""), "{main}");

    for bad in [
        "https://x.invalid/r\ny",
        "git@github.com:a/b.git",
        "ftp://host/r",
        "not a url",
    ] {
        let out = nephos(&dir)
            .args(["init", "g", "--nephos-git", bad])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad:?}: {err}");
        assert!(err.contains("--nephos-git"), "{err}");
        assert!(!dir.join("g").exists(), "{bad:?} left a directory");
    }
}

/// atk15b 3: `nephos init` without a source flag wrote `nephos = "0.1.0"`, a crates.io
/// name nobody owns: whoever registers it runs code in every default project and its CI.
/// The default refuses, naming the flags and why, and writes nothing; `--nephos-version`
/// stays for when the crates are published.
#[test]
fn init_without_a_source_flag_refuses_naming_the_flags() {
    let dir = fresh_dir("init-no-source");
    let out = nephos(&dir).args(["init", "p2"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for needle in [
        "--nephos-path",
        "--nephos-git",
        "not published on crates.io",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert!(!dir.join("p2").exists(), "a refused init left a directory");

    // Attack finding 6: a version names crates.io packages nobody owns yet, whose CI
    // install would run a stranger's `nephos-cli` with the AWS role: refused, and hidden.
    let out = nephos(&dir)
        .args(["init", "p3", "--nephos-version", "0.1.0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("not published") && err.contains("--nephos-git"),
        "{err}"
    );
    assert!(!dir.join("p3").exists(), "a refused init left a directory");
    let help = nephos(&dir).args(["init", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(!help.contains("--nephos-version"), "{help}");
    assert!(!help.contains("[`"), "rustdoc links reach the user: {help}");
}

/// Attack finding 9: `--nephos-path` at the checkout's root (or `deployer/`) was taken,
/// and the project could not build. Only a checkout's `dsl/` is taken.
#[test]
fn init_refuses_a_nephos_path_that_is_not_a_checkouts_dsl() {
    let dir = fresh_dir("init-wrong-path");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for (wrong, said) in [
        (root.to_path_buf(), "did you mean"),
        (root.join("deployer"), "not `nephos`"),
        (dir.clone(), "cannot be read"),
    ] {
        let out = nephos(&dir)
            .args(["init", "p4", "--nephos-path"])
            .arg(&wrong)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", wrong.display());
        assert!(err.contains(said), "{}: {err}", wrong.display());
        assert!(!dir.join("p4").exists(), "a refused init left a directory");
    }
}

/// atk15b 3 and 6: the CI `diff` job installed the CLI after taking the deploy role's
/// credentials (build scripts ran with them), and a fresh runner failed the app's
/// `cargo metadata --offline` (only the app's crates were downloaded). Now: install, fetch
/// every crate and build the app, then the credentials, then `nephos diff`, offline.
#[test]
fn the_ci_diff_job_builds_everything_before_it_takes_credentials() {
    let dir = fresh_dir("init-ci-order");
    let out = nephos(&dir)
        .args(["init", "app", "--nephos-git", GIT])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // init's "Next:" fetches before anything synthesizes.
    let next = stdout.split("Next:").nth(1).expect("a Next: line");
    let pos = |hay: &str, needle: &str| {
        hay.find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in {hay}"))
    };
    assert!(
        pos(next, "cargo fetch") < pos(next, "nephos synth"),
        "{next}"
    );

    let text = std::fs::read_to_string(dir.join("app/.github/workflows/ci.yml")).unwrap();
    let ci: serde_json::Value = serde_norway::from_str(&text).unwrap();
    let steps = ci["jobs"]["diff"]["steps"].as_array().expect("diff steps");
    let step = |pred: &dyn Fn(&serde_json::Value) -> bool, what: &str| {
        let found: Vec<usize> = (0..steps.len()).filter(|&i| pred(&steps[i])).collect();
        assert_eq!(found.len(), 1, "one step {what} in {text}");
        found[0]
    };
    let runs = |needle: &'static str| {
        move |s: &serde_json::Value| s["run"].as_str().is_some_and(|r| r.contains(needle))
    };
    let install = step(&runs("cargo install --locked"), "installing the CLI");
    let fetch = step(&runs("cargo fetch --locked"), "fetching the crates");
    let build = step(&runs("cargo build --locked"), "building the app");
    // issue 15, atk 2b: the linker tools at the versions nephos pins (the one list,
    // dsl/build-tools.txt, which scripts/venv.sh installs too), before the credentials.
    let tools = step(&runs("pip\" install"), "installing zig and cargo-zigbuild");
    let tools_run = steps[tools]["run"].as_str().unwrap_or_default();
    let pins = nephos::assembly::pinned_requirements();
    assert!(
        tools_run.contains(&format!(" {}\n", pins.join(" "))),
        "{tools_run}"
    );
    assert!(tools_run.contains("GITHUB_PATH"), "{tools_run}");
    let credentials = step(
        &|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials"))
        },
        "taking credentials",
    );
    let diff = step(&runs("nephos diff"), "running nephos diff");
    assert!(
        install < credentials && fetch < credentials && build < credentials && tools < credentials,
        "{text}"
    );
    assert!(fetch < build && credentials < diff, "{text}");
    // Only `nephos diff` runs with the credentials, and it downloads nothing.
    assert_eq!(diff, credentials + 1, "{text}");
    assert_eq!(diff, steps.len() - 1, "{text}");
    assert_eq!(steps[diff]["env"]["CARGO_NET_OFFLINE"], "true", "{text}");

    // atk (s25) 11: the workflow token reads only, and no checkout leaves it in .git/config
    // for the code the jobs run.
    assert_eq!(ci["permissions"]["contents"], "read", "{text}");
    assert!(ci["permissions"].get("id-token").is_none(), "{text}");
    for job in ["test", "diff"] {
        for s in ci["jobs"][job]["steps"].as_array().expect("steps") {
            if s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout"))
            {
                assert_eq!(s["with"]["persist-credentials"], false, "{job}: {text}");
            }
        }
    }

    // atk 4: the CLI is built from the commit Cargo.lock pins, not the remote's HEAD.
    let install_run = steps[install]["run"].as_str().unwrap_or_default();
    assert!(
        install_run.contains("Cargo.lock") && install_run.contains("--rev \"$rev\""),
        "{install_run}"
    );
    // atk 4: every action is pinned by a full commit SHA, the tag in a comment.
    let uses: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- uses: "))
        .collect();
    assert!(uses.len() >= 3, "{text}");
    for u in uses {
        let (action, rest) = u.split_once('@').unwrap_or_else(|| panic!("{u}"));
        let (sha, tag) = rest
            .split_once(" # v")
            .unwrap_or_else(|| panic!("no tag comment: {u}"));
        assert!(
            sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()) && !tag.is_empty(),
            "{action} is not pinned by commit: {u}"
        );
    }
    // atk 4: the diff job runs the branch's code with the role: the comment says which role.
    let job = text.split("  diff:").nth(1).expect("a diff job");
    for needle in [
        "READ-ONLY role",
        "never the deploy",
        "trust policy",
        "branch's",
    ] {
        assert!(job.contains(needle), "{needle}: {job}");
    }
}

/// atk 4: Actions expands `${{ ... }}` in a `run:` line before the shell sees it, so a
/// source holding it would run as something else in CI (`${{ github.token }}`).
#[test]
fn a_source_holding_an_actions_expression_is_refused() {
    let dir = fresh_dir("init-expression");
    let out = nephos(&dir)
        .args([
            "init",
            "g",
            "--nephos-git",
            "https://x.invalid/${{github.token}}",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("GitHub Actions expands"), "{err}");
    let dsl = dir.join("co${{ github.token }}").join("dsl");
    std::fs::create_dir_all(&dsl).unwrap();
    std::fs::write(dsl.join("Cargo.toml"), "[package]\n").unwrap();
    let out = nephos(&dir)
        .args(["init", "p", "--nephos-path"])
        .arg(&dsl)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--nephos-path") && err.contains("GitHub Actions expands"),
        "{err}"
    );
    assert!(!dir.join("g").exists() && !dir.join("p").exists());
}

/// atk15 G: the README's "Start a project" went from `nephos synth` to `nephos deploy`,
/// which fails without the staging bucket `nephos bootstrap` creates (the handler is an
/// asset). Its commands bootstrap before they deploy.
#[test]
fn the_readme_start_sequence_bootstraps_before_it_deploys() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("## Start a project")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .expect("a Start a project section with a code block");
    let line_of = |needle: &str| {
        section
            .lines()
            .position(|l| l.trim_start().starts_with(needle))
            .unwrap_or_else(|| panic!("no `{needle}` line in:\n{section}"))
    };
    assert!(
        line_of("nephos bootstrap") < line_of("nephos deploy"),
        "{section}"
    );
    assert!(
        line_of("nephos init") < line_of("nephos bootstrap"),
        "{section}"
    );
    // atk15b 6: synth reads the handler's dependency graph offline, so fetch comes first.
    assert!(
        line_of("cargo fetch") < line_of("nephos synth"),
        "{section}"
    );
}
