//! Of `Cargo.lock` and the root `Cargo.toml`, the Rust handler's key covers what reaches the
//! handler's build and nothing of the app's own dependencies (atk finding 7b). The
//! workspaces are real: registry packages come from a vendored directory source, so Cargo
//! resolves and locks them offline.

use std::path::{Path, PathBuf};

use super::tests_cache_key::{key, lock, package, write};

/// A registry package `name` `version` in the vendored source `vendor`, whose `.crate`
/// checksum (as the lock records it) is `checksum`.
fn vendored(vendor: &Path, name: &str, version: &str, checksum: &str) {
    let dir = vendor.join(format!("{name}-{version}"));
    write(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n"),
    );
    write(&dir.join("src/lib.rs"), "// vendored\n");
    // No file checksums (nothing to verify), and the package's, which Cargo compares with
    // the lock's.
    write(
        &dir.join(".cargo-checksum.json"),
        &format!("{{\"files\":{{}},\"package\":\"{checksum}\"}}"),
    );
}

fn checksum(c: char) -> String {
    std::iter::repeat_n(c, 64).collect()
}

/// `<tmp>/<name>/ws`: the app is the root package, with the member `handler` depending on
/// the registry package `dep-a` 1.0.0; `dep-b` 1.0.0 is vendored and not used yet.
fn fixture(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("nephos-lock-key-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let vendor = root.join("vendor");
    vendored(&vendor, "dep-a", "1.0.0", &checksum('a'));
    vendored(&vendor, "dep-b", "1.0.0", &checksum('b'));
    let ws = root.join("ws");
    write(
        &ws.join(".cargo/config.toml"),
        "[source.crates-io]\nreplace-with = \"vendored\"\n[source.vendored]\ndirectory = \"../vendor\"\n",
    );
    write(&ws.join("Cargo.toml"), &root_manifest(""));
    write(&ws.join("src/main.rs"), "fn main() {}\n");
    package(
        &ws.join("handler"),
        "my-handler",
        "[dependencies]\ndep-a = \"1\"\n",
        true,
    );
    lock(&ws);
    super::build_tools::tests::fake_tools(&ws, "0.15.2");
    ws
}

/// The root manifest: the workspace, and the app with the dependencies `app_deps`.
fn root_manifest(app_deps: &str) -> String {
    format!(
        "[workspace]\nmembers = [\"handler\"]\nresolver = \"2\"\n\n[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{app_deps}"
    )
}

fn cargo(ws: &Path, args: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(args)
        .current_dir(ws)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_dependency_added_to_the_app_only_keeps_the_handlers_key() {
    let ws = fixture("app-only");
    let first = key(&ws);
    let lock_before = std::fs::read_to_string(ws.join("Cargo.lock")).unwrap();

    write(&ws.join("Cargo.toml"), &root_manifest("dep-b = \"1\"\n"));
    lock(&ws);
    let lock_after = std::fs::read_to_string(ws.join("Cargo.lock")).unwrap();
    assert_ne!(lock_before, lock_after, "the lock file changed");
    assert_eq!(
        first,
        key(&ws),
        "the app's new dependency is not in the handler's build"
    );

    // Comments and the app's own version, dev-dependencies and binaries neither.
    let edited = format!(
        "# the app\n{}\n[dev-dependencies]\ndep-b = \"1\"\n",
        root_manifest("dep-b = \"1\"\n").replace("version = \"0.1.0\"", "version = \"0.2.0\"")
    );
    write(&ws.join("Cargo.toml"), &edited);
    lock(&ws);
    assert_eq!(first, key(&ws), "the app's own tables");
    let _ = std::fs::remove_dir_all(ws.parent().unwrap());
}

#[test]
fn what_reaches_the_handlers_build_changes_its_key() {
    let ws = fixture("reaches");
    let root = ws.parent().unwrap().to_path_buf();
    let first = key(&ws);

    // Another version of the handler's registry dependency.
    vendored(&root.join("vendor"), "dep-a", "1.0.1", &checksum('c'));
    cargo(&ws, &["update", "--offline", "-p", "dep-a"]);
    let lock_text = std::fs::read_to_string(ws.join("Cargo.lock")).unwrap();
    assert!(lock_text.contains("version = \"1.0.1\""), "{lock_text}");
    let bumped = key(&ws);
    assert_ne!(first, bumped, "a dependency version in the handler's graph");

    // The lock checksum of that dependency (the vendored .crate and the lock agree).
    let other = checksum('d');
    write(
        &root.join("vendor/dep-a-1.0.1/.cargo-checksum.json"),
        &format!("{{\"files\":{{}},\"package\":\"{other}\"}}"),
    );
    write(
        &ws.join("Cargo.lock"),
        &lock_text.replace(&checksum('c'), &other),
    );
    let rechecked = key(&ws);
    assert_ne!(
        bumped, rechecked,
        "the lock checksum of the handler's dependency"
    );

    // A [profile] of the root manifest.
    let base = std::fs::read_to_string(ws.join("Cargo.toml")).unwrap();
    write(
        &ws.join("Cargo.toml"),
        &format!("{base}\n[profile.release]\nopt-level = 2\n"),
    );
    let profiled = key(&ws);
    assert_ne!(rechecked, profiled, "[profile.release]");

    // A [patch] of the handler's dependency (to a fork beside the workspace).
    package(&root.join("dep-a-fork"), "dep-a", "", false);
    write(
        &root.join("dep-a-fork/Cargo.toml"),
        "[package]\nname = \"dep-a\"\nversion = \"1.0.1\"\nedition = \"2021\"\n",
    );
    let profiled_text = std::fs::read_to_string(ws.join("Cargo.toml")).unwrap();
    write(
        &ws.join("Cargo.toml"),
        &format!("{profiled_text}\n[patch.crates-io]\ndep-a = {{ path = \"../dep-a-fork\" }}\n"),
    );
    lock(&ws);
    let patched = key(&ws);
    assert_ne!(profiled, patched, "[patch.crates-io]");
    let _ = std::fs::remove_dir_all(&root);
}
