//! Hostile corpus, input: templates that are not templates or exceed CloudFormation's
//! limits, templates CloudFormation accepts that a strict reader would not, manifests that
//! point outside their directory or contradict themselves, text that would drive the
//! terminal, and apps that leave processes or stale files behind. Plus a property test of
//! the template readers.

mod hostile;

use std::time::{Duration, Instant};

use hostile::*;
use nephos_cli::cfn::status::StackStatus;
use nephos_cli::source::template::{check_template, parse_template};
use proptest::prelude::*;

/// An endpoint nothing answers on: the offline refusals must come before any call.
const NOWHERE: &str = "http://127.0.0.1:9";

fn template_file(name: &str, body: &[u8]) -> String {
    let dir = scratch(&format!("t-{name}"));
    let f = dir.join(name);
    std::fs::write(&f, body).expect("template written");
    f.to_string_lossy().into_owned()
}

fn synth_template(name: &str, body: &[u8]) -> Run {
    let f = template_file(name, body);
    run(
        nephos(NOWHERE),
        &["synth", "--template", &f, "--stack-name", "s"],
    )
}

#[test]
fn documents_that_are_not_a_mapping_with_resources_are_refused_offline() {
    for (name, body, found) in [
        ("empty.json", "", "found an empty document"),
        ("array.json", "[1,2,3]", "found a list"),
        ("scalar.json", "\"hello\"", "found a string"),
        ("number.yaml", "42", "found a number"),
        (
            "no_resources.json",
            "{\"Outputs\": {}}",
            "found no Resources",
        ),
        (
            "list_resources.yaml",
            "Resources: [a, b]",
            "Resources must be a mapping",
        ),
        (
            "empty_resources.yaml",
            "Resources: {}",
            "at least one resource",
        ),
    ] {
        let r = synth_template(name, body.as_bytes());
        assert_refused(&r, &[name, found]);
    }
}

#[test]
fn diff_of_a_non_template_is_an_error_not_no_changes() {
    let f = template_file("empty2.json", b"");
    let s = Scripted::start(vec![identity()]);
    let r = run(
        nephos(&s.endpoint),
        &["diff", "--template", &f, "--stack-name", "new-stack"],
    );
    assert_refused(&r, &["a template is a mapping with a Resources section"]);
    assert!(!r.out.contains("no changes"), "{}", r.out);
}

#[test]
fn a_template_over_one_million_bytes_is_refused_before_upload() {
    let body = format!(
        "{{\"Resources\": {{\"Q\": {{\"Type\": \"AWS::SQS::Queue\"}}}}, \"Description\": \"{}\"}}",
        "x".repeat(1_100_000)
    );
    let f = template_file("big.json", body.as_bytes());
    let s = Scripted::start(vec![identity()]);
    let r = run(
        nephos(&s.endpoint),
        &["deploy", "--template", &f, "--stack-name", "s", "--yes"],
    );
    assert_refused(&r, &["big.json", "CloudFormation accepts at most 1000000"]);
    assert!(
        !s.actions().iter().any(|a| a != "GetCallerIdentity"),
        "{:?}",
        s.actions()
    );
}

#[test]
fn a_template_with_501_resources_is_refused() {
    let resources: Vec<String> = (0..501)
        .map(|i| format!("\"Q{i}\": {{\"Type\": \"AWS::SQS::Queue\"}}"))
        .collect();
    let body = format!("{{\"Resources\": {{{}}}}}", resources.join(","));
    let r = synth_template("many.json", body.as_bytes());
    assert_refused(&r, &["501 resources", "at most 500"]);
}

#[test]
fn yaml_integers_wider_than_64_bits_are_read() {
    let body = "Resources:\n  Ledger:\n    Type: AWS::SQS::Queue\n    Metadata:\n      Build: 123456789012345678901234567890\n";
    let r = synth_template("bigint.yaml", body.as_bytes());
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
}

#[test]
fn json_nested_deeper_than_128_levels_is_read() {
    let mut v = String::from("\"x\"");
    for _ in 0..100 {
        v = format!("{{\"Fn::If\": [\"C\", {v}, \"y\"]}}");
    }
    let body = format!(
        "{{\"Resources\": {{\"Q\": {{\"Type\": \"AWS::SQS::Queue\", \"Properties\": {{\"QueueName\": {v}}}}}}}}}"
    );
    let r = synth_template("deep.json", body.as_bytes());
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
}

#[test]
fn json_nested_beyond_the_reader_s_bound_is_an_error_not_a_crash() {
    let body = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
    let r = synth_template("abyss.json", body.as_bytes());
    assert_refused(&r, &["nests 200000 levels deep"]);
}

#[test]
fn every_short_form_tag_is_read_from_a_file() {
    let body = "Conditions:\n  C: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C\n    Properties:\n      QueueName: !If [C, !Sub '${AWS::StackName}-q', !Join ['-', [!Select [0, !Split [',', 'a,b']], !GetAtt Db.Endpoint.Address]]]\n";
    let r = synth_template("tags.yaml", body.as_bytes());
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
}

#[test]
fn manifest_paths_outside_the_assembly_are_refused_before_reading() {
    let cases = [
        (
            "dotdot",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"../../../../../../etc/hostname"}]}"#,
            "templateFile ../../../../../../etc/hostname leaves the assembly directory",
        ),
        (
            "absolute",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"/etc/hostname"}]}"#,
            "templateFile /etc/hostname leaves the assembly directory",
        ),
        (
            "asset",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"A.template.json","assets":[{"sha256":"00","path":"../../../../../../etc/passwd","objectKey":"assets/x"}]}]}"#,
            "asset path ../../../../../../etc/passwd leaves",
        ),
        (
            "objectkey",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"A.template.json","assets":[{"sha256":"00","path":"A.template.json","objectKey":"../x"}]}]}"#,
            "asset objectKey ../x leaves",
        ),
    ];
    for (name, manifest, words) in cases {
        let dir = assembly(name, manifest);
        let r = run(
            nephos(NOWHERE),
            &["synth", "--assembly", &dir.to_string_lossy()],
        );
        assert_refused(&r, &[words]);
        assert!(!r.err.contains("sha256 "), "{}", r.err);
    }
}

#[test]
fn a_symbolic_link_out_of_the_assembly_is_refused() {
    let dir = assembly(
        "symlink",
        r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"link.json"}]}"#,
    );
    let outside = scratch("symlink-target").join("t.json");
    std::fs::write(&outside, QUEUE).expect("target written");
    std::os::unix::fs::symlink(&outside, dir.join("link.json")).expect("symlink");
    let r = run(
        nephos(NOWHERE),
        &["synth", "--assembly", &dir.to_string_lossy()],
    );
    assert_refused(
        &r,
        &["link.json leaves the assembly directory through a symbolic link"],
    );
}

#[test]
fn manifest_ids_names_and_dependencies_are_validated() {
    let cases = [
        (
            "dupid",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"a","templateFile":"A.template.json"},{"id":"A","stackName":"b","templateFile":"A.template.json"}]}"#,
            "stack id A appears twice",
        ),
        (
            "dupname",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"A.template.json"},{"id":"B","stackName":"app-a","templateFile":"A.template.json"}]}"#,
            "stacks A and B both deploy to app-a",
        ),
        (
            "missingdep",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"A.template.json","dependencies":["Ghost"]}]}"#,
            "stack A depends on Ghost, which is not in the manifest",
        ),
        (
            "cycle",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"a","templateFile":"A.template.json","dependencies":["B"]},{"id":"B","stackName":"b","templateFile":"A.template.json","dependencies":["A"]}]}"#,
            "cycle",
        ),
        (
            "nostacks",
            r#"{"version":1,"stacks":[]}"#,
            "the app has no stacks",
        ),
    ];
    for (name, manifest, words) in cases {
        let dir = assembly(name, manifest);
        let r = run(
            nephos(NOWHERE),
            &["synth", "--assembly", &dir.to_string_lossy()],
        );
        assert_refused(&r, &[words]);
    }
}

#[test]
fn deploy_of_an_app_with_no_stacks_fails() {
    let dir = assembly("nostacks-deploy", r#"{"version":1,"stacks":[]}"#);
    let s = Scripted::start(vec![identity()]);
    let r = run(
        nephos(&s.endpoint),
        &["deploy", "--assembly", &dir.to_string_lossy(), "--yes"],
    );
    assert_refused(&r, &["the app has no stacks: nothing to deploy"]);
}

fn no_raw_controls(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)),
        "raw control characters in {text:?}"
    );
}

#[test]
fn template_values_are_escaped_before_the_terminal() {
    // A raw right-to-left override in a template value (YAML allows it; raw ESC it does
    // not, so ESC sequences come decoded from escapes: the review test).
    let body = "Description: 'st\u{202e}ack'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    let f = template_file("esc.yaml", body.as_bytes());
    let r = run(
        nephos(NOWHERE),
        &["synth", "--template", &f, "--stack-name", "s", "--print"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    no_raw_controls(&r.out);
    assert!(r.out.contains("st\\u202eack"), "{}", r.out);
    // In a logical ID it is refused (CloudFormation takes letters and digits only), and
    // the message shows it escaped.
    let body = "Resources:\n  Q\u{202e}x:\n    Type: AWS::SQS::Queue\n";
    let f = template_file("esc-id.yaml", body.as_bytes());
    let r = run(
        nephos(NOWHERE),
        &["synth", "--template", &f, "--stack-name", "s", "--print"],
    );
    assert_eq!(r.code, 1, "{}", r.out);
    no_raw_controls(&r.err);
    assert!(r.err.contains("Q\\u202ex"), "{}", r.err);
}

#[test]
fn the_review_of_a_hostile_template_shows_the_escape_sequences_as_text() {
    let body = "Description: \"stack\\e[1A\\e[2K\\e[8m\"\nResources:\n  Admin:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: \"q\\e]0;PWNED\\a\"\n";
    let f = template_file("esc2.yaml", body.as_bytes());
    let s = Scripted::start(vec![identity()]);
    let r = run(
        nephos(&s.endpoint),
        &["diff", "--template", &f, "--stack-name", "s"],
    );
    assert_eq!(r.code, 2, "{} {}", r.out, r.err);
    no_raw_controls(&r.out);
    assert!(
        r.out.contains("Description: stack\\x1b[1A\\x1b[2K\\x1b[8m"),
        "{}",
        r.out
    );
}

#[test]
fn stack_reasons_from_aws_are_escaped() {
    let s = Scripted::start(vec![
        (
            "DescribeStacks",
            stack_xml(
                "app",
                StackStatus::UpdateRollbackComplete.as_str(),
                "evil&#x1B;]0;PWNED&#x07;&#x1B;[2J&#x202E;",
            ),
        ),
        (
            "DescribeStackEvents",
            ok_xml(
                "DescribeStackEvents",
                "<StackEvents><member><EventId>e1</EventId><StackName>app</StackName><LogicalResourceId>T&#x1B;[8m</LogicalResourceId><ResourceType>AWS::DynamoDB::Table</ResourceType><ResourceStatus>UPDATE_FAILED</ResourceStatus><ResourceStatusReason>bad&#x1B;[1A&#x0A;✓ approved</ResourceStatusReason><Timestamp>2026-01-01T00:00:00Z</Timestamp><StackId>x</StackId></member></StackEvents>",
            ),
        ),
        (
            "ListStackResources",
            ok_xml(
                "ListStackResources",
                "<StackResourceSummaries></StackResourceSummaries>",
            ),
        ),
    ]);
    let r = run(nephos(&s.endpoint), &["status", "app"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    no_raw_controls(&r.out);
    assert!(r.out.contains("evil\\x1b]0;PWNED\\x07"), "{}", r.out);
}

#[test]
fn stack_names_listed_by_aws_are_escaped() {
    let s = Scripted::start(vec![(
        "ListStacks",
        ok_xml(
            "ListStacks",
            "<StackSummaries><member><StackName>a&#x202E;b&#x1B;[2J</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackId>x</StackId></member></StackSummaries>",
        ),
    )]);
    let r = run(nephos(&s.endpoint), &["list"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    no_raw_controls(&r.out);
    assert!(r.out.contains("a\\u202eb\\x1b[2J"), "{}", r.out);
}

#[test]
fn aws_error_messages_stay_one_escaped_line() {
    let s = Scripted::start(vec![(
        "ListStacks",
        error_xml("ValidationError", "bad&#x0A;error: forged line&#x1B;[8m"),
    )]);
    let r = run(nephos(&s.endpoint), &["list"]);
    assert_refused(
        &r,
        &["ListStacks failed", "bad\\x0aerror: forged line\\x1b[8m"],
    );
    assert_eq!(r.err.lines().count(), 1, "{}", r.err);
    no_raw_controls(&r.err);
}

#[test]
fn outputs_from_aws_are_escaped() {
    let s = Scripted::start(vec![(
        "DescribeStacks",
        ok_xml(
            "DescribeStacks",
            "<Stacks><member><StackName>app</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs><member><OutputKey>Url</OutputKey><OutputValue>http://x&#x1B;[2J&#x07;</OutputValue></member></Outputs></member></Stacks>",
        ),
    )]);
    let r = run(nephos(&s.endpoint), &["outputs", "app"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    no_raw_controls(&r.out);
    assert!(r.out.contains("Url = http://x\\x1b[2J\\x07"), "{}", r.out);
}

fn app_assembly_command(dir: &std::path::Path, extra: &str) -> String {
    let manifest = r#"{"version":1,"stacks":[{"id":"A","stackName":"app-a","templateFile":"A.template.json"}]}"#;
    format!(
        "{extra} printf '%s' '{QUEUE}' > \"$NEPHOS_OUTDIR/A.template.json\"; printf '%s' '{manifest}' > \"$NEPHOS_OUTDIR/manifest.json\"; echo app-said-hello; echo app-warned >&2",
    )
    .replace("{dir}", &dir.to_string_lossy())
}

#[test]
fn nephos_waits_for_the_app_not_for_what_it_leaves_running() {
    let dir = scratch("app-bg");
    let app = app_assembly_command(&dir, "(sleep 300 &) ;");
    let out = dir.join("out");
    let mut c = nephos(NOWHERE);
    c.args(["synth", "--app", &app, "--outdir", &out.to_string_lossy()]);
    let mut child = c
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("nephos runs");
    // Not a speed assertion: the background `sleep 300` holds the app's pipes, and waiting
    // for it is the hang this test guards against; it is cut well before it ends.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nephos waited for the app's background process");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let r: Run = child.wait_with_output().expect("output").into();
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    assert!(
        r.err.contains("app-said-hello") && r.err.contains("app-warned"),
        "{}",
        r.err
    );
}

#[test]
fn a_stale_manifest_is_neither_deleted_nor_taken_for_the_app_s_output() {
    let dir = scratch("app-stale");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("outdir");
    let stale = r#"{"version":1,"stacks":[{"id":"Old","stackName":"old","templateFile":"A.template.json"}]}"#;
    std::fs::write(out.join("manifest.json"), stale).expect("stale manifest");
    std::thread::sleep(Duration::from_millis(20));
    let r = run(
        nephos(NOWHERE),
        &[
            "synth",
            "--app",
            "echo did nothing",
            "--outdir",
            &out.to_string_lossy(),
        ],
    );
    // The app is given a fresh directory (its output is checked before it replaces the
    // assembly), so the stale manifest is not where it looks.
    assert_refused(&r, &["wrote no", "manifest.json"]);
    assert_eq!(
        std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default(),
        stale
    );
}

#[test]
fn an_app_that_writes_no_manifest_is_an_error() {
    let dir = scratch("app-none");
    let out = dir.join("out");
    let r = run(
        nephos(NOWHERE),
        &["synth", "--app", "true", "--outdir", &out.to_string_lossy()],
    );
    assert_refused(&r, &["wrote no", "manifest.json"]);
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        "[ -~\\u{80}-\\u{10ffff}]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[A-Za-z][A-Za-z0-9:]{0,8}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_the_readers(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(v) = parse_template(&text) {
            let _ = check_template(&text, &v);
        }
    }

    #[test]
    fn arbitrary_text_made_of_template_syntax_never_panics(text in "[{}\\[\\]:,\"!a-zA-Z0-9 \\n\\-.&*|>'#%@`]{0,200}") {
        if let Ok(v) = parse_template(&text) {
            let _ = check_template(&text, &v);
        }
    }

    #[test]
    fn every_json_value_shape_is_read_back_from_json_and_yaml(v in json_value()) {
        let template = serde_json::json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": v}}});
        let json = serde_json::to_string(&template).unwrap_or_default();
        prop_assert_eq!(parse_template(&json), Ok(template.clone()));
        let yaml = serde_norway::to_string(&template).unwrap_or_default();
        prop_assert_eq!(parse_template(&yaml), Ok(template));
    }
}

/// An app whose manifest records a Rust handler built from `workspace`.
fn app_with_handler_in(workspace: &std::path::Path) -> String {
    let manifest = format!(
        r#"{{"version":1,"stacks":[{{"id":"A","stackName":"app-a","templateFile":"A.template.json","assets":[{{"sha256":"{zeros}","path":"assets/{zeros}.zip","objectKey":"{zeros}.zip","build":{{"workspace":"{ws}","packageDir":"{ws}/handler","package":"h","bin":"bootstrap","target":"x86_64-unknown-linux-gnu","glibc":"2.34","profile":"release"}}}}]}}]}}"#,
        zeros = "0".repeat(64),
        ws = workspace.to_string_lossy(),
    );
    format!(
        "printf '%s' '{QUEUE}' > \"$NEPHOS_OUTDIR/A.template.json\"; printf '%s' '{manifest}' > \"$NEPHOS_OUTDIR/manifest.json\""
    )
}

#[test]
fn an_app_built_from_another_checkout_is_refused() {
    // Two checkouts side by side: nephos runs in `b`, the app's binary was built from `a`
    // (what a shared target directory makes `cargo run` do).
    let dir = scratch("app-other-checkout");
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).expect("a");
    std::fs::create_dir_all(&b).expect("b");
    let ls = |workspace: &std::path::Path| {
        let mut c = nephos(NOWHERE);
        c.current_dir(&b);
        run(c, &["ls", "--app", &app_with_handler_in(workspace)])
    };
    // The app built from this checkout is listed, and its assembly written.
    let r = ls(&b);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    assert!(r.out.contains("app-a"), "{}", r.out);
    let manifest = b.join("nephos.out/manifest.json");
    let ours = std::fs::read_to_string(&manifest).expect("b's assembly");
    let r = ls(&a);
    let shown = std::fs::canonicalize(&a).expect("a exists");
    assert_refused(&r, &["another checkout", &shown.to_string_lossy()]);
    assert!(r.err.contains("CARGO_TARGET_DIR"), "{}", r.err);
    // atk finding 3: the refused output did not replace b's assembly, where
    // `--assembly nephos.out` would have used it unchecked, and nothing of it is left.
    assert_eq!(std::fs::read_to_string(&manifest).ok(), Some(ours));
    assert!(!b.join("nephos.out/.nephos-staging").exists());
    let mut c = nephos(NOWHERE);
    c.current_dir(&b);
    let r = run(c, &["ls", "--assembly", "nephos.out"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
}

/// The package of [`shared_target_app`].
const SHARED_TARGET_APP: &str = "shared-target-app";

/// A cargo project at `dir` whose binary writes an assembly of one stack named `stack` and
/// records what `App::run` of an app made with `nephos::app!()` records: the crate it was
/// compiled in (`env!` of the calling crate, fixed at compile time) and the running binary.
/// Written without the nephos crate, so the test compiles two tiny crates, not nephos twice.
fn shared_target_app(dir: &std::path::Path, stack: &str) {
    let main = format!(
        r####"fn main() {{
    let out = std::path::PathBuf::from(std::env::var_os("NEPHOS_OUTDIR").expect("NEPHOS_OUTDIR"));
    std::fs::create_dir_all(&out).expect("outdir");
    std::fs::write(out.join("A.template.json"), r#"{QUEUE}"#).expect("template");
    let exe = std::env::current_exe().expect("exe");
    let manifest = format!(
        r#"{{{{"version":1,"stacks":[{{{{"id":"A","stackName":"{stack}","templateFile":"A.template.json"}}}}],"appCrate":{{{{"manifestDir":{{:?}},"package":{{:?}}}}}},"appExe":{{:?}}}}}}"#,
        env!("CARGO_MANIFEST_DIR"),
        env!("CARGO_PKG_NAME"),
        exe.to_string_lossy(),
    );
    std::fs::write(out.join("manifest.json"), manifest).expect("manifest");
}}
"####
    );
    let toml = format!(
        "[package]\nname = \"{SHARED_TARGET_APP}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n"
    );
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("Cargo.toml"), toml).expect("Cargo.toml");
    std::fs::write(dir.join("src/main.rs"), main).expect("main.rs");
}

/// What cargo under a cleared environment needs to find itself and its toolchain, and the
/// target directory the two checkouts share.
fn cargo_env(c: &mut std::process::Command, target: &std::path::Path) {
    let home = std::env::var_os("HOME").unwrap_or_default();
    let home = std::path::Path::new(&home);
    c.env(
        "CARGO_HOME",
        std::env::var_os("CARGO_HOME").unwrap_or_else(|| home.join(".cargo").into()),
    )
    .env(
        "RUSTUP_HOME",
        std::env::var_os("RUSTUP_HOME").unwrap_or_else(|| home.join(".rustup").into()),
    )
    .env("CARGO_TARGET_DIR", target);
    if let Some(toolchain) = std::env::var_os("RUSTUP_TOOLCHAIN") {
        c.env("RUSTUP_TOOLCHAIN", toolchain);
    }
}

/// Sets the modification time of `file`.
fn set_mtime(file: &std::path::Path, at: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(file)
        .and_then(|f| f.set_modified(at))
        .unwrap_or_else(|e| panic!("cannot date {}: {e}", file.display()));
}

/// Issue 15, reproduced with cargo: two checkouts of one app share a target directory. `b`
/// was written first (its sources are older); after a build in `a`, cargo judges the binary
/// fresh for `b` too, and `cargo run` in `b` runs a's binary: a's stack. Cargo rewrites the
/// dep-info beside the binary to list b's sources, so only what was compiled in tells: the
/// crate directory `nephos::app!()` records is a's, and nephos in `b` refuses the output.
#[test]
fn a_stale_binary_of_another_checkout_sharing_the_target_dir_is_refused() {
    let dir = scratch("shared-target");
    let (a, b, target) = (dir.join("a"), dir.join("b"), dir.join("target"));
    shared_target_app(&b, "app-b");
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for file in ["Cargo.toml", "src/main.rs"] {
        set_mtime(&b.join(file), hour_ago);
    }
    shared_target_app(&a, "app-a");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = std::process::Command::new(&cargo);
    build
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(&a)
        .args(["build", "-q", "--offline"]);
    cargo_env(&mut build, &target);
    let built = build.output().expect("cargo runs");
    assert!(built.status.success(), "{built:?}");

    let app = format!("'{}' run -q --offline", cargo.to_string_lossy());
    let ls = || {
        let mut c = nephos(NOWHERE);
        c.current_dir(&b);
        cargo_env(&mut c, &target);
        run(c, &["ls", "--app", &app])
    };
    let r = ls();
    // The reproduction is real: the app run in b was a's binary (the refusal below names
    // a's crate, which only a's binary records); its output never became b's assembly.
    assert!(
        !b.join("nephos.out/manifest.json").exists(),
        "the refused output was installed"
    );
    let depinfo =
        std::fs::read_to_string(target.join("debug").join(format!("{SHARED_TARGET_APP}.d")))
            .expect("cargo's dep-info beside the binary");
    let (a, b) = (
        std::fs::canonicalize(&a).expect("a"),
        std::fs::canonicalize(&b).expect("b"),
    );
    assert!(
        depinfo.contains(&b.join("src/main.rs").to_string_lossy().into_owned()),
        "{depinfo}"
    );
    assert_refused(
        &r,
        &[
            "another checkout",
            &a.to_string_lossy(),
            &b.to_string_lossy(),
        ],
    );
    assert!(
        r.err
            .contains(&format!("cargo clean -p {SHARED_TARGET_APP}")),
        "{}",
        r.err
    );
    // Once b's sources are newer, cargo rebuilds from b: its output is b's, and listed.
    set_mtime(&b.join("src/main.rs"), std::time::SystemTime::now());
    let r = ls();
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    assert!(r.out.contains("app-b"), "{}", r.out);
}
