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
