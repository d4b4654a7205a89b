//! Local assets: reproducible archives named by content, written into the assembly.

use std::path::PathBuf;
use std::process::Command;

use nephos::{App, Asset, RawResource, Stack, StackSettings};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nephos-assets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    std::fs::write(dir.join("lib/util.py"), "X = 1\n".repeat(100)).unwrap();
    dir
}

fn key_of(stack: &mut Stack, asset: Asset) -> String {
    stack.asset(asset).sha256().to_string()
}

#[test]
fn the_same_content_gives_the_same_hash_whatever_the_file_times() {
    let dir = scratch("times");
    let mut stack = Stack::new("A");
    let first = key_of(&mut stack, Asset::directory(&dir));
    // Rewrite with identical content: new modification times, same archive.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(
        dir.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    assert_eq!(key_of(&mut stack, Asset::directory(&dir)), first);
    std::fs::write(
        dir.join("index.py"),
        "def handler(event, context):\n    return 2\n",
    )
    .unwrap();
    assert_ne!(key_of(&mut stack, Asset::directory(&dir)), first);
    assert_eq!(first.len(), 64);
}

#[test]
fn archives_are_valid_zips_with_sorted_paths_and_executable_bootstraps() {
    let dir = scratch("zip");
    std::fs::write(dir.join("my-binary"), b"\x7fELF fake binary").unwrap();
    let mut stack = Stack::new("Zips");
    let code = stack.asset(Asset::directory(&dir));
    let boot = stack.asset(Asset::bootstrap(dir.join("my-binary")));
    stack.add(
        "Fn",
        RawResource::new("AWS::Lambda::Function")
            .property(
                "Code",
                nephos::value!({ "S3Bucket": code.bucket(), "S3Key": code.key() }),
            )
            // Required by the type (checked at synth for raw resources too).
            .property("Role", "arn:aws:iam::123456789012:role/zips"),
    );
    let mut app = App::new();
    app.stack(stack, StackSettings::new("zips"));
    let out = dir.join("out");
    let manifest = app.write(&out).unwrap();
    let assets = &manifest.stacks[0].assets;
    assert_eq!(assets.len(), 2);
    let code_asset = assets.iter().find(|a| a.sha256 == code.sha256()).unwrap();
    assert_eq!(
        code_asset.object_key,
        format!("assets/{}.zip", code.sha256())
    );
    let script = r#"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, oct(i.external_attr >> 16), i.date_time[0])
"#;
    let list = |path: PathBuf| {
        let o = Command::new("python3")
            .args(["-c", script])
            .arg(path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(
        list(out.join(&code_asset.path)),
        "index.py 0o100644 1980\nlib/util.py 0o100644 1980\nmy-binary 0o100644 1980\n"
    );
    assert_eq!(
        list(out.join(format!("assets/{}.zip", boot.sha256()))),
        "bootstrap 0o100755 1980\n"
    );
    let template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("Zips.template.json")).unwrap())
            .unwrap();
    assert_eq!(
        template["Resources"]["Fn"]["Properties"]["Code"],
        serde_json::json!({
            "S3Bucket": {"Fn::Sub": "nephos-staging-${AWS::AccountId}-${AWS::Region}"},
            "S3Key": format!("assets/{}.zip", code.sha256()),
        })
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_asset_is_a_synth_error_not_a_panic() {
    let mut stack = Stack::new("Missing");
    stack.asset(Asset::bootstrap("/nonexistent/target/lambda/bootstrap"));
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("error: stack: asset /nonexistent/target/lambda/bootstrap: cannot read /nonexistent/target/lambda/bootstrap:"),
        "{err}"
    );
    assert!(
        err.contains("fix: build the asset before synthesizing"),
        "{err}"
    );
}

/// An app with one function whose code is `dir`; returns the app and the asset's key.
fn app_of(dir: &std::path::Path) -> (App, String) {
    let mut stack = Stack::new("Keys");
    let code = stack.asset(Asset::directory(dir));
    stack.add(
        "Fn",
        RawResource::new("AWS::Lambda::Function")
            .property(
                "Code",
                nephos::value!({ "S3Bucket": code.bucket(), "S3Key": code.key() }),
            )
            .property("Role", "arn:aws:iam::123456789012:role/keys"),
    );
    let key = code.sha256().to_string();
    let mut app = App::new();
    app.stack(stack, StackSettings::new("keys"));
    (app, key)
}

/// The file names in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// atk (s25) 5: after the key changes, the assembly holds exactly the archives the manifest
/// names; files nephos did not write, links and what they point to are left alone.
#[cfg(unix)]
#[test]
fn the_assembly_keeps_only_the_archives_the_manifest_names() {
    let dir = scratch("prune");
    let out = dir.join("out");
    let (app, v1) = app_of(&dir.join("lib"));
    app.write(&out).unwrap();
    assert_eq!(names_in(&out.join("assets")), [format!("{v1}.zip")]);

    // Beside the archive: a file of the user's, and a link named like an archive whose
    // target lies outside the assembly.
    let outside = dir.join("outside.zip");
    std::fs::write(&outside, b"not nephos's").unwrap();
    let link = format!("{}.zip", "0".repeat(64));
    std::os::unix::fs::symlink(&outside, out.join("assets").join(&link)).unwrap();
    std::fs::write(out.join("assets/notes.txt"), b"mine").unwrap();

    std::fs::write(dir.join("lib/util.py"), "X = 2\n").unwrap();
    let (app, v2) = app_of(&dir.join("lib"));
    assert_ne!(v1, v2);
    let manifest = app.write(&out).unwrap();
    assert_eq!(manifest.stacks[0].assets[0].sha256, v2);
    let mut want = vec![format!("{v2}.zip"), link.clone(), "notes.txt".to_owned()];
    want.sort();
    assert_eq!(names_in(&out.join("assets")), want);
    assert_eq!(std::fs::read(&outside).unwrap(), b"not nephos's");

    // A damaged archive at the current key is written again, not trusted for its name.
    let current = out.join(format!("assets/{v2}.zip"));
    let good = std::fs::read(&current).unwrap();
    std::fs::write(&current, vec![0u8; good.len()]).unwrap();
    app.write(&out).unwrap();
    assert_eq!(std::fs::read(&current).unwrap(), good);

    // A link at the current key's path is replaced, never written through.
    std::fs::remove_file(&current).unwrap();
    std::os::unix::fs::symlink(&outside, &current).unwrap();
    app.write(&out).unwrap();
    assert!(
        !std::fs::symlink_metadata(&current)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&current).unwrap(), good);
    assert_eq!(std::fs::read(&outside).unwrap(), b"not nephos's");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An asset directory that is a link may lead outside the assembly: nothing is written
/// through it or removed from it, and the error says what to do.
#[cfg(unix)]
#[test]
fn an_asset_directory_that_is_a_link_is_refused_and_left_alone() {
    let dir = scratch("linked");
    let out = dir.join("out");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let stale = elsewhere.join(format!("{}.zip", "1".repeat(64)));
    std::fs::write(&stale, b"someone else's").unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("assets")).unwrap();
    let (app, _) = app_of(&dir.join("lib"));
    let err = app.write(&out).unwrap_err().to_string();
    assert!(
        err.contains("assets") && err.contains("symbolic link"),
        "{err}"
    );
    assert_eq!(names_in(&elsewhere), [format!("{}.zip", "1".repeat(64))]);
    assert!(!out.join("manifest.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
