//! Every error about the manifest and `nephos.json` says how to go on (its next step), not
//! only what is wrong: one case per error of their readers.

use std::path::{Path, PathBuf};

use crate::cli::SourceArgs;
use crate::error::Error;

/// A fresh directory for one case.
fn dir(case: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nephos-next-{}-{case}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_default();
    d
}

/// Asserts that `e` has a next step containing `expect`.
fn assert_next(case: &str, e: &Error, expect: &str) {
    let next = e.next_step();
    assert!(
        next.is_some_and(|n| n.contains(expect)),
        "{case}: no next step with {expect:?} in: {}",
        e.0
    );
}

const TEMPLATE: &str = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;

fn stack(id: &str, name: &str) -> String {
    format!(r#"{{"id": "{id}", "stackName": "{name}", "templateFile": "{id}.template.json"}}"#)
}

fn manifest(stacks: &[String]) -> String {
    format!(r#"{{"version": 1, "stacks": [{}]}}"#, stacks.join(", "))
}

/// Writes `manifest` (and a template for every id in `templates`) and loads it.
fn load(case: &str, manifest: Option<&str>, templates: &[&str]) -> Error {
    let d = dir(case);
    if let Some(m) = manifest {
        std::fs::write(d.join("manifest.json"), m).unwrap_or_default();
    }
    for id in templates {
        std::fs::write(d.join(format!("{id}.template.json")), TEMPLATE).unwrap_or_default();
    }
    let e = super::assembly::load_assembly(&d).expect_err(case);
    let _ = std::fs::remove_dir_all(&d);
    e
}

#[test]
fn every_manifest_error_says_how_to_go_on() {
    let api = stack("Api", "api-dev");
    let cases: Vec<(&str, Option<String>, Vec<&str>, &str)> = vec![
        ("missing", None, vec![], "nephos synth"),
        ("not-json", Some("{".into()), vec![], "nephos synth"),
        (
            "duplicate-key",
            Some(r#"{"version": 1, "version": 1, "stacks": []}"#.into()),
            vec![],
            "nephos synth",
        ),
        (
            "unknown-key",
            Some(r#"{"version": 1, "stacks": [], "extra": 1}"#.into()),
            vec![],
            "nephos synth",
        ),
        (
            "newer",
            Some(r#"{"version": 99, "stacks": []}"#.into()),
            vec![],
            "update the CLI",
        ),
        (
            "older",
            Some(r#"{"version": 0, "stacks": []}"#.into()),
            vec![],
            "`nephos` dependency",
        ),
        ("no-stacks", Some(manifest(&[])), vec![], "app.stack("),
        (
            "bad-id",
            Some(manifest(&[stack("A\\u0007", "a-dev")])),
            vec![],
            "nephos synth",
        ),
        (
            "twice",
            Some(manifest(&[api.clone(), stack("Api", "other-dev")])),
            vec!["Api"],
            "its own id",
        ),
        (
            "bad-stack-name",
            Some(manifest(&[stack("Api", "api_dev!")])),
            vec!["Api"],
            "nephos synth",
        ),
        (
            "bad-region",
            Some(manifest(&[r#"{"id": "Api", "stackName": "api-dev", "templateFile": "Api.template.json", "region": "Mars"}"#.into()])),
            vec!["Api"],
            "nephos synth",
        ),
        (
            "same-target",
            Some(manifest(&[api.clone(), stack("Web", "api-dev")])),
            vec!["Api", "Web"],
            "another stack name or region",
        ),
        (
            "unknown-dependency",
            Some(manifest(&[r#"{"id": "Api", "stackName": "api-dev", "templateFile": "Api.template.json", "dependencies": ["Nope"]}"#.into()])),
            vec!["Api"],
            "nephos synth",
        ),
        (
            "asset-outside",
            Some(manifest(&[r#"{"id": "Api", "stackName": "api-dev", "templateFile": "Api.template.json", "assets": [{"sha256": "00", "path": "../x.zip", "objectKey": "x.zip"}]}"#.into()])),
            vec!["Api"],
            "nephos synth",
        ),
        (
            "template-outside",
            Some(manifest(&[r#"{"id": "Api", "stackName": "api-dev", "templateFile": "/etc/passwd"}"#.into()])),
            vec![],
            "nephos synth",
        ),
        (
            "template-missing",
            Some(manifest(std::slice::from_ref(&api))),
            vec![],
            "nephos synth",
        ),
    ];
    for (case, m, templates, expect) in cases {
        let e = load(case, m.as_deref(), &templates);
        assert_next(case, &e, expect);
    }
}

#[test]
fn a_bad_selection_or_a_cycle_says_how_to_go_on() {
    let d = dir("select");
    let m = manifest(&[
        r#"{"id": "A", "stackName": "a-dev", "templateFile": "A.template.json", "dependencies": ["B"]}"#.into(),
        r#"{"id": "B", "stackName": "b-dev", "templateFile": "B.template.json", "dependencies": ["A"]}"#.into(),
    ]);
    std::fs::write(d.join("manifest.json"), m).unwrap_or_default();
    for id in ["A", "B"] {
        std::fs::write(d.join(format!("{id}.template.json")), TEMPLATE).unwrap_or_default();
    }
    let stacks = super::assembly::load_assembly(&d).unwrap_or_default();
    assert_eq!(stacks.len(), 2);
    let e = super::assembly::select(stacks.clone(), &["C".into()]).expect_err("unknown");
    assert_next("unknown stack", &e, "name one of those");
    let e = super::assembly::select(stacks, &[]).expect_err("cycle");
    assert_next("cycle", &e, "references between these stacks run one way");
    let _ = std::fs::remove_dir_all(&d);
}

fn config_error(case: &str, text: &str) -> Error {
    let d = dir(case);
    std::fs::write(d.join("nephos.json"), text).unwrap_or_default();
    let e = super::app::app_command(&SourceArgs::default(), &d).expect_err(case);
    let _ = std::fs::remove_dir_all(&d);
    e
}

#[test]
fn every_nephos_json_error_says_how_to_go_on() {
    for (case, text) in [
        ("not-json", "{"),
        ("misspelt", r#"{"ap": "cargo run"}"#),
        ("wrong-type", r#"{"app": 1}"#),
        ("repeated", r#"{"app": "a", "app": "b"}"#),
    ] {
        assert_next(case, &config_error(case, text), "\"environments\"");
    }
    assert_next("no-app", &config_error("no-app", "{}"), "--app");
    let e = super::app::app_command(&SourceArgs::default(), Path::new("/dev/null/x"))
        .expect_err("unreadable");
    assert_next("unreadable", &e, "--app");
    let empty = super::config::parse("{}").unwrap_or_default();
    assert_next(
        "no environments",
        &empty.environment("prod").expect_err("none"),
        "under \"environments\"",
    );
    let one = super::config::parse(r#"{"environments": {"dev": {}}}"#).unwrap_or_default();
    assert_next(
        "unknown environment",
        &one.environment("prod").expect_err("prod"),
        "--env",
    );
}

#[test]
fn no_app_and_an_app_that_writes_no_manifest_say_how_to_go_on() {
    let d = dir("no-app");
    let mut log = Vec::new();
    let e = super::app::load(&SourceArgs::default(), &d, &mut log).expect_err("no app");
    assert_next("no app", &e, "--app");
    let out = d.join("out");
    let e = super::app::run_app("true", &d, &out, &mut log).expect_err("no manifest");
    assert_next("no manifest", &e, "app.run()");
    let _ = std::fs::remove_dir_all(&d);
}
