//! The cloud assembly an app writes: manifest format, deploy order, app-level errors.

use nephos::assembly::{AppCrate, MANIFEST_FILE, Manifest};
use nephos::kind::Str;
use nephos::{App, AppError, Output, RawResource, Stack, StackSettings, Value};

fn network_and_api() -> App {
    let mut network = Stack::new("Network");
    let vpc = network.add(
        "Vpc",
        RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
    );
    let vpc_id = network.output(
        "VpcId",
        Output::new(vpc.ref_value::<Str>()).export("net-vpc-id"),
    );
    let mut api = Stack::new("Api");
    let imported: Value<Str> = api.import(&vpc_id);
    api.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "api")
            .property("VpcId", imported),
    );
    let mut app = App::new();
    // Added out of order on purpose: the manifest lists them in deploy order.
    app.stack(
        api,
        StackSettings::new("api-dev")
            .tag("team", "core")
            .termination_protection(true),
    );
    app.stack(
        network,
        StackSettings::new("network-dev")
            .region("eu-west-1")
            .parameter("X", "1"),
    );
    app
}

#[test]
fn the_manifest_lists_stacks_in_dependency_order_with_settings() {
    let dir = std::env::temp_dir().join(format!("nephos-assembly-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // An earlier write of the app listed a stack it no longer has; the user's own template
    // beside it was never listed.
    std::fs::write(dir.join("Stale.template.json"), "{}").unwrap();
    std::fs::write(dir.join("Mine.template.json"), "{}").unwrap();
    std::fs::write(
        dir.join(MANIFEST_FILE),
        r#"{"version": 1, "stacks": [{"id": "Stale", "stackName": "stale", "templateFile": "Stale.template.json"}]}"#,
    )
    .unwrap();
    let manifest = network_and_api().write(&dir).unwrap();

    let text = std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap();
    let parsed: Manifest = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, manifest);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        serde_json::json!({
            "version": 1,
            "stacks": [
                {"id": "Network", "stackName": "network-dev", "templateFile": "Network.template.json",
                 "region": "eu-west-1", "parameters": {"X": "1"}},
                {"id": "Api", "stackName": "api-dev", "templateFile": "Api.template.json",
                 "tags": {"team": "core"}, "terminationProtection": true, "dependencies": ["Network"]}
            ]
        })
    );
    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("Api.template.json")).unwrap())
            .unwrap();
    assert_eq!(
        api["Resources"]["Sg"]["Properties"]["VpcId"],
        serde_json::json!({"Fn::ImportValue": "net-vpc-id"})
    );
    assert!(
        !dir.join("Stale.template.json").exists(),
        "templates of removed stacks are cleaned up"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("Mine.template.json")).unwrap(),
        "{}",
        "a template no nephos manifest listed is the user's"
    );
    // The files written are the in-memory assembly's templates, byte for byte, one per
    // stack (`write` writes them from each stack's template, without the copy).
    let assembly = network_and_api().synth().unwrap();
    assert_eq!(assembly.templates.len(), 2);
    for (file, text) in &assembly.templates {
        assert_eq!(
            &std::fs::read_to_string(dir.join(file)).unwrap(),
            text,
            "{file}"
        );
    }
    for s in &assembly.manifest.stacks {
        assert_eq!(
            assembly.templates[&s.template_file],
            assembly.stacks[&s.id].to_json_pretty()
        );
    }
    // Writing twice gives the same bytes.
    network_and_api().write(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap(),
        text
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A template that already holds what synth writes is left as it is (re-synthesizing an
/// unchanged app rewrites only the manifest); one that differs, even at the same length, or a file
/// of the wrong kind, is written over.
#[test]
fn only_files_that_differ_are_rewritten() {
    let dir = std::env::temp_dir().join(format!("nephos-rewrite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    network_and_api().write(&dir).unwrap();
    let api = dir.join("Api.template.json");
    let manifest = dir.join(MANIFEST_FILE);
    let written = std::fs::read(&api).unwrap();
    let modified = |p: &std::path::Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let (api_at, manifest_at) = (modified(&api), modified(&manifest));
    std::thread::sleep(std::time::Duration::from_millis(20));

    network_and_api().write(&dir).unwrap();
    assert_eq!(
        modified(&api),
        api_at,
        "an unchanged template is not rewritten"
    );
    // The manifest is: the deployer takes a manifest older than the run it started for
    // one an earlier run left, and refuses it.
    assert!(
        modified(&manifest) > manifest_at,
        "the manifest is written on every run"
    );

    // Same length, other bytes: read and compared, so restored.
    let mut tampered = written.clone();
    let last = tampered.len() - 2;
    tampered[last] = b'x';
    std::fs::write(&api, &tampered).unwrap();
    // Another length (still a nephos manifest: one that is not is refused, see
    // `a_directory_with_another_tools_manifest_is_refused_and_left_as_it_was`).
    std::fs::write(&manifest, r#"{"version": 1, "stacks": []}"#).unwrap();
    network_and_api().write(&dir).unwrap();
    assert_eq!(std::fs::read(&api).unwrap(), written);
    let parsed: Manifest =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(parsed.stacks.len(), 2);

    // A directory where the template goes is not mistaken for it: writing fails.
    std::fs::remove_file(&api).unwrap();
    std::fs::create_dir(&api).unwrap();
    assert!(network_and_api().write(&dir).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An unchanged manifest is renewed in place (its modification time set), not replaced: the
/// same file, the same bytes, a later time. A changed one is written anew.
#[cfg(unix)]
#[test]
fn an_unchanged_manifest_is_renewed_in_place() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = std::env::temp_dir().join(format!("nephos-renew-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    network_and_api().write(&dir).unwrap();
    let manifest = dir.join(MANIFEST_FILE);
    let text = std::fs::read(&manifest).unwrap();
    // An hour back, so "later" does not depend on the clock's resolution.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&manifest)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let inode = std::fs::metadata(&manifest).unwrap().ino();

    network_and_api().write(&dir).unwrap();
    let meta = std::fs::metadata(&manifest).unwrap();
    assert_eq!(meta.ino(), inode, "the unchanged manifest is the same file");
    assert!(meta.modified().unwrap() > past, "and its time is renewed");
    assert_eq!(std::fs::read(&manifest).unwrap(), text);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A manifest that differs (another stack list) is replaced by the one synth makes.
    std::fs::write(&manifest, r#"{"version": 1, "stacks": []}"#).unwrap();
    network_and_api().write(&dir).unwrap();
    assert_eq!(std::fs::read(&manifest).unwrap(), text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_manifest_fields_and_versions_are_visible() {
    let bad = r#"{"version":1,"stacks":[],"extra":true}"#;
    assert!(serde_json::from_str::<Manifest>(bad).is_err());
}

fn app_errors(app: &App) -> String {
    match app.synth() {
        Err(e @ AppError::Synth { .. }) => e.to_string(),
        other => panic!("expected synth errors, got {other:?}"),
    }
}

#[test]
fn app_level_errors() {
    let mut a = Stack::new("A");
    let out = a.output("O", Output::new(nephos::aws::region()).export("a-o"));
    let mut b = Stack::new("B");
    let _: Value<Str> = b.import(&out);
    let mut app = App::new();
    app.stack(b.clone(), StackSettings::new("b"));
    let text = app_errors(&app);
    assert_eq!(
        text,
        "error: app: stack `B` imports output `O` of stack `A`, which is not in the app\n  fix: add stack `A` to the app with `app.stack(...)`"
    );

    let mut app = App::new();
    app.stack(b.clone(), StackSettings::new("same"));
    app.stack(b, StackSettings::new("same").depends_on("Nowhere"));
    let text = app_errors(&app);
    assert!(
        text.contains("error: app: stack `B` is added twice\n"),
        "{text}"
    );
    assert!(
        text.contains("error: app: two stacks deploy to the CloudFormation stack `same`\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "error: app: stack `B` depends on stack `Nowhere`, which is not in the app\n"
        ),
        "{text}"
    );
}

#[test]
fn stacks_that_import_each_other_are_a_cycle() {
    let mut a = Stack::new("A");
    let mut b = Stack::new("B");
    let oa = a.output("O", Output::new(nephos::aws::region()).export("a-o"));
    let ob = b.output("O", Output::new(nephos::aws::region()).export("b-o"));
    let _: Value<Str> = a.import(&ob);
    let _: Value<Str> = b.import(&oa);
    let mut app = App::new();
    app.stack(a, StackSettings::new("a"));
    app.stack(b, StackSettings::new("b"));
    assert_eq!(
        app_errors(&app),
        "error: app: stacks depend on each other: A -> B -> A\n    A -> B: imports output `O`\n    B -> A: imports output `O`\n  fix: move the shared resources into a stack of their own that the others import"
    );
}

#[test]
fn a_failing_stack_reports_its_errors_by_name() {
    let mut s = Stack::new("Broken");
    s.add("bad_id", RawResource::new("AWS::SQS::Queue"));
    let mut app = App::new();
    app.stack(s, StackSettings::new("broken"));
    assert!(app_errors(&app).starts_with("stack `Broken` has 1 error:\nerror: resource `bad_id`"));
}

#[test]
fn stack_settings_names_and_regions_are_checked_at_synth() {
    let long = "a".repeat(129);
    let bad = ["bad_name", long.as_str(), "1leading", "", "ünï"];
    let mut app = App::new();
    for (i, name) in bad.iter().enumerate() {
        let mut s = Stack::new(&format!("S{i}"));
        s.add("Q", RawResource::new("AWS::SQS::Queue"));
        app.stack(s, StackSettings::new(*name).region("not a region/../"));
    }
    let text = app_errors(&app);
    for (i, why) in [
        "has characters other than",
        "is 129 characters long",
        "does not start with a letter",
        "is empty",
        "has characters other than",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            text.contains(&format!("stack `S{i}`: StackSettings stack name")) && text.contains(why),
            "S{i}: {text}"
        );
        assert!(
            text.contains(&format!(
                "stack `S{i}`: StackSettings region `not a region/../` is not a region name"
            )),
            "{text}"
        );
    }
    let mut ok = App::new();
    let mut s = Stack::new("Ok");
    s.add("Q", RawResource::new("AWS::SQS::Queue"));
    ok.stack(s, StackSettings::new(&long[..128]).region("us-gov-west-1"));
    assert!(ok.synth().is_ok());
}

/// Set in the child process of [`run_and_exit_writes_the_assembly_and_exits_with_its_status`]:
/// which app the child runs.
/// `app!()` records the crate it is expanded in (the deployer's provenance check reads it
/// from the manifest); `App::new()` records none, and its manifest has no `appCrate` key.
#[test]
fn the_app_macro_records_the_calling_crate_in_the_manifest() {
    let dir = std::env::temp_dir().join(format!("nephos-app-crate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut stack = Stack::new("Queues");
    stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
    let mut app = nephos::app!();
    app.stack(stack, StackSettings::new("queues-dev"));
    app.write(&dir).expect("written");
    let text = std::fs::read_to_string(dir.join(MANIFEST_FILE)).expect("manifest written");
    let manifest: Manifest = serde_json::from_str(&text).expect("a manifest");
    assert_eq!(
        manifest.app_crate,
        Some(AppCrate {
            manifest_dir: env!("CARGO_MANIFEST_DIR").into(),
            package: "nephos".into(),
        }),
        "{text}"
    );
    let plain = network_and_api().synth().expect("synthesizes").manifest;
    assert_eq!(plain.app_crate, None);
    let json = serde_json::to_string(&plain).expect("serializes");
    assert!(!json.contains("appCrate"), "{json}");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

const RUN_AND_EXIT_CHILD: &str = "NEPHOS_TEST_RUN_AND_EXIT_CHILD";

/// Not a test of its own: when the parent test re-runs this binary with
/// [`RUN_AND_EXIT_CHILD`] set, it ends the process through `App::run_and_exit`.
#[test]
fn run_and_exit_child() {
    let Some(which) = std::env::var_os(RUN_AND_EXIT_CHILD) else {
        return;
    };
    let app = if which == "valid" {
        network_and_api()
    } else {
        let mut stack = Stack::new("Broken");
        stack.add("Bad-Id", RawResource::new("AWS::SQS::Queue"));
        let mut app = App::new();
        app.stack(stack, StackSettings::new("broken"));
        app
    };
    app.run_and_exit()
}

/// `run_and_exit` writes what `synth` gives and ends the process with 0; an app that does
/// not synthesize ends it with 1 and the errors on stderr, writing no template.
#[test]
fn run_and_exit_writes_the_assembly_and_exits_with_its_status() {
    let exe = std::env::current_exe().expect("the test binary");
    let dir = std::env::temp_dir().join(format!("nephos-run-and-exit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let child = |which: &str| {
        std::process::Command::new(&exe)
            .args([
                "--exact",
                "run_and_exit_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(RUN_AND_EXIT_CHILD, which)
            .env(nephos::OUTDIR_ENV, &dir)
            .output()
            .expect("the test binary runs")
    };

    let ok = child("valid");
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let expected = network_and_api().synth().expect("synthesizes");
    for (file, text) in &expected.templates {
        let written = std::fs::read_to_string(dir.join(file)).expect("template written");
        assert_eq!(&written, text, "{file}");
    }
    let manifest = std::fs::read_to_string(dir.join(MANIFEST_FILE)).expect("manifest written");
    let mut manifest: Manifest = serde_json::from_str(&manifest).expect("a manifest");
    // `App::run` records the running binary, so the deployer can check which sources built it.
    assert_eq!(
        manifest.app_exe.take().map(std::path::PathBuf::from),
        Some(exe.clone())
    );
    assert_eq!(manifest, expected.manifest);
    // Exiting from inside the test harness: the harness never printed its summary.
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("test result"));

    let _ = std::fs::remove_dir_all(&dir);
    let failed = child("broken");
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
    assert!(String::from_utf8_lossy(&failed.stderr).contains("Bad-Id"));
    assert!(!dir.join("Broken.template.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// atk (s25) 4: `--outdir` at a directory of the user's: a `manifest.json` that is not
/// nephos's is never replaced (nothing is written), and the user's templates stay.
#[test]
fn a_directory_with_another_tools_manifest_is_refused_and_left_as_it_was() {
    let dir = std::env::temp_dir().join(format!("nephos-assembly-theirs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let theirs = r#"{"name": "web", "icons": []}"#;
    std::fs::write(dir.join(MANIFEST_FILE), theirs).unwrap();
    std::fs::write(dir.join("network.template.json"), "{}").unwrap();
    let err = network_and_api().write(&dir).unwrap_err().to_string();
    assert!(
        err.contains("manifest.json")
            && err.contains("replaces only a manifest.json it reads as its own"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap(),
        theirs
    );
    assert!(dir.join("network.template.json").exists());
    assert!(!dir.join("Api.template.json").exists(), "nothing written");
    std::fs::remove_dir_all(&dir).unwrap();
}
