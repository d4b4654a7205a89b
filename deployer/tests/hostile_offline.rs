//! Hostile corpus, offline checks: every problem with the input (the template, the source,
//! the flags, the `--parameter` keys) is reported as itself, before any AWS call, even when
//! AWS cannot be reached; and flags that a reviewed change set would silently drop are
//! refused.

mod hostile;

use hostile::*;

/// A closed port: a command that made any call would fail on the connection instead.
const NOWHERE: &str = "http://127.0.0.1:1";

/// A one-queue template declaring the parameter `Env`.
const WITH_PARAM: &str = r#"{"Parameters": {"Env": {"Type": "String"}},
  "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;

fn template(dir: &str, body: &str) -> String {
    let d = scratch(dir);
    let f = d.join("t.json");
    std::fs::write(&f, body).expect("template written");
    f.to_string_lossy().into_owned()
}

/// No mention of the connection, the account or the header: nothing was called.
fn assert_no_call(r: &Run) {
    assert!(
        !r.out.contains("Target:"),
        "the header was printed: {}",
        r.out
    );
    assert!(
        !r.err.contains("GetCallerIdentity") && !r.err.contains("127.0.0.1"),
        "an AWS call was made: {}",
        r.err
    );
}

#[test]
fn input_problems_come_before_any_aws_call_for_diff_and_deploy() {
    let bad = template("off-bad", r#"{"Outputs": {}}"#);
    let ok = template("off-ok", WITH_PARAM);
    for cmd in ["diff", "deploy"] {
        // An invalid template.
        let r = run(
            nephos(NOWHERE),
            &[cmd, "--template", &bad, "--stack-name", "s"],
        );
        assert_refused(&r, &["found no Resources"]);
        assert_no_call(&r);
        // A missing template file.
        let r = run(
            nephos(NOWHERE),
            &[
                cmd,
                "--template",
                "/nonexistent/t.json",
                "--stack-name",
                "s",
            ],
        );
        assert_refused(&r, &["cannot read", "/nonexistent/t.json"]);
        assert_no_call(&r);
        // No app at all.
        let r = run(nephos(NOWHERE), &[cmd]);
        assert_refused(&r, &["no app", "--template"]);
        assert_no_call(&r);
        // An undeclared parameter (F7 for diff: the same check as deploy).
        let r = run(
            nephos(NOWHERE),
            &[
                cmd,
                "--template",
                &ok,
                "--stack-name",
                "s",
                "--parameter",
                "env=prod",
            ],
        );
        assert_refused(&r, &["env (did you mean Env?)", "--ignore-unknown-params"]);
        assert_no_call(&r);
    }
    // destroy of the app's stacks loads the app first too.
    let r = run(nephos(NOWHERE), &["destroy"]);
    assert_refused(&r, &["no app"]);
    assert_no_call(&r);
}

#[test]
fn diff_ignores_an_undeclared_parameter_only_when_told() {
    let ok = template("off-ign", WITH_PARAM);
    let r = run(
        nephos(NOWHERE),
        &[
            "diff",
            "--template",
            &ok,
            "--stack-name",
            "s",
            "--parameter",
            "Other=1",
            "--ignore-unknown-params",
        ],
    );
    // Past the offline checks: the note is printed, then the (closed) endpoint fails.
    assert!(
        r.err.contains("--parameter Other ignored"),
        "no note: {}",
        r.err
    );
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(!r.err.contains("no template declares Other;"), "{}", r.err);
}

#[test]
fn options_that_shape_a_change_set_are_refused_with_change_set() {
    let ok = template("off-cs", WITH_PARAM);
    let base = [
        "deploy",
        "--template",
        &ok,
        "--stack-name",
        "s",
        "--change-set",
        "cs1",
    ];
    for (extra, flag) in [
        (vec!["--parameter", "Env=prod"], "--parameter"),
        (vec!["--tag", "team=a"], "--tag"),
        (vec!["--role-arn", "arn:aws:iam::1:role/R"], "--role-arn"),
    ] {
        let mut args: Vec<&str> = base.to_vec();
        args.extend(extra);
        let r = run(nephos(NOWHERE), &args);
        assert_refused(&r, &[flag, "--change-set", "--no-execute"]);
        assert_no_call(&r);
    }
    // --force is refused by the parser already.
    let mut args: Vec<&str> = base.to_vec();
    args.push("--force");
    let r = run(nephos(NOWHERE), &args);
    assert_ne!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("--force"), "{}", r.err);
}
