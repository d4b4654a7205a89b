//! The scaffold's files are what their own tools accept as written: `cargo fmt --check`
//! passes on every Rust file (whatever the project's name), the JSON files parse, and the
//! CI workflow is YAML of the shape GitHub reads (issue 15).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::*;

/// Names of every length `init` accepts, with `-` and `_`: a name is spliced into code, so
/// a line that fits for `a` may not for the longest.
fn names() -> Vec<String> {
    let longest: String = "ab-cd_ef"
        .chars()
        .cycle()
        .take(name::MAX_NAME_LEN)
        .collect();
    assert_eq!(longest.len(), name::MAX_NAME_LEN);
    assert!(name::crate_name(&longest).is_ok(), "{longest}");
    vec!["a".into(), "orders-api".into(), "my__app_".into(), longest]
}

fn sources() -> [NephosSource; 3] {
    [
        NephosSource::Path(PathBuf::from("/src/nephos/dsl")),
        NephosSource::Git("https://example.invalid/nephos".into()),
        NephosSource::Version("0.1.0".into()),
    ]
}

fn rendered(name: &str, nephos: NephosSource) -> Vec<(&'static str, String)> {
    let plan = Plan {
        dir: PathBuf::from("/x"),
        name: name.into(),
        nephos,
        rust_version: "1.95.0".into(),
    };
    render_files(&plan).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The `edition` of a rendered manifest: `cargo fmt` formats each crate for its edition.
fn edition(manifest: &str) -> String {
    manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("edition = "))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| panic!("no edition: {manifest}"))
}

/// `text` as rustfmt formats it (read from stdin, written to stdout), when that differs:
/// the first line that differs and rustfmt's text. (`rustfmt --check` exits 0 on stdin
/// whatever it finds, so the output is compared instead.)
fn rustfmt_check(text: &str, edition: &str) -> Option<String> {
    // Run outside this repository, so no rustfmt.toml of ours applies (the project has none).
    let mut child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", edition])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("rustfmt (the rustfmt component) is needed here: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let formatted = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if formatted == text {
        return None;
    }
    let first = text
        .lines()
        .zip(formatted.lines())
        .position(|(a, b)| a != b)
        .map_or_else(String::new, |n| {
            format!("line {}: {:?}", n + 1, text.lines().nth(n))
        });
    Some(format!("{first}\nrustfmt writes:\n{formatted}"))
}

#[test]
fn every_rust_file_is_rustfmt_clean_for_every_name() {
    for name in names() {
        let files = rendered(&name, NephosSource::Version("0.1.0".into()));
        let manifest_of = |rs: &str| {
            let crate_dir = if rs.starts_with("handler/") {
                "handler/Cargo.toml"
            } else {
                "Cargo.toml"
            };
            let text = &files.iter().find(|(p, _)| *p == crate_dir).unwrap().1;
            edition(text)
        };
        let rust: Vec<&(&str, String)> = files.iter().filter(|(p, _)| p.ends_with(".rs")).collect();
        assert_eq!(
            rust.len(),
            5,
            "{:?}",
            files.iter().map(|f| f.0).collect::<Vec<_>>()
        );
        for (path, text) in rust {
            if let Some(diff) = rustfmt_check(text, &manifest_of(path)) {
                panic!("{name}: {path} is not rustfmt-clean:\n{diff}");
            }
        }
    }
}

#[test]
fn the_json_files_parse_and_nephos_reads_its_config() {
    for name in names() {
        for nephos in sources() {
            let files = rendered(&name, nephos);
            let file = |p: &str| &files.iter().find(|(f, _)| *f == p).unwrap().1;
            let config = crate::source::config::parse(file("nephos.json"))
                .unwrap_or_else(|e| panic!("{name}: nephos.json: {e}"));
            assert!(config.app.is_some(), "{name}: nephos.json names no app");
            // An insta snapshot: a header between `---` lines, then the template (JSON).
            let snap = file("tests/snapshots/template__stack.snap");
            let body = snap
                .splitn(3, "---\n")
                .nth(2)
                .unwrap_or_else(|| panic!("no snapshot header: {snap}"));
            let template: serde_json::Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{name}: the snapshot's template: {e}"));
            assert!(template["Resources"].is_object(), "{template}");
        }
    }
}

#[test]
fn the_ci_workflow_is_yaml_with_the_keys_github_reads() {
    for name in names() {
        for nephos in sources() {
            let shown = format!("{name} ({nephos:?})");
            let files = rendered(&name, nephos);
            let ci = &files
                .iter()
                .find(|(p, _)| *p == ".github/workflows/ci.yml")
                .unwrap()
                .1;
            let v = crate::source::template::parse_template(ci)
                .unwrap_or_else(|e| panic!("{shown}: ci.yml: {e}\n{ci}"));
            assert!(v["name"].is_string(), "{shown}: {v}");
            assert!(!v["on"].is_null(), "{shown}: {v}");
            let jobs = v["jobs"]
                .as_object()
                .unwrap_or_else(|| panic!("{shown}: {v}"));
            assert!(!jobs.is_empty(), "{shown}");
            for (job, body) in jobs {
                assert!(body["runs-on"].is_string(), "{shown}: job {job}");
                let steps = body["steps"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{shown}: job {job} has no steps"));
                for step in steps {
                    assert!(
                        step["run"].is_string() || step["uses"].is_string(),
                        "{shown}: job {job}: a step without run or uses: {step}"
                    );
                }
            }
        }
    }
}
