//! The Rust handler's cache key covers what its build reads (path dependencies outside
//! the package, Cargo configuration, the toolchain file, hidden and linked sources) and
//! nothing else of the workspace.

use std::path::{Path, PathBuf};

use super::rust_bin::RustBin;

/// Writes `ws`'s `Cargo.lock` as Cargo would (the key's build is `--locked`).
pub(crate) fn lock(ws: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["generate-lockfile", "--offline", "--manifest-path"])
        .arg(ws.join("Cargo.toml"))
        // Cargo reads its configuration (a vendored source) from where it runs.
        .current_dir(ws)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub(crate) fn package(dir: &Path, name: &str, deps: &str, main: bool) {
    write(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{deps}"),
    );
    let src = if main { "src/main.rs" } else { "src/lib.rs" };
    write(&dir.join(src), "// source\n");
}

/// `<tmp>/<name>/ws`: a workspace whose handler depends on `shared` (a member), which
/// depends on `ext` (beside the workspace, not a member); the handler's dev-dependency
/// `testutil` and the member `app` are not part of its build.
fn fixture(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("nephos-cache-key-{name}-{}", std::process::id()));
    fixture_at(&root)
}

/// [`fixture`] in `root`.
fn fixture_at(root: &Path) -> PathBuf {
    let root = root.to_path_buf();
    let _ = std::fs::remove_dir_all(&root);
    let ws = root.join("ws");
    write(
        &ws.join("Cargo.toml"),
        "[workspace]\nmembers = [\"handler\", \"shared\", \"app\", \"testutil\"]\nresolver = \"2\"\n",
    );
    package(
        &ws.join("handler"),
        "my-handler",
        "[dependencies]\nshared = { path = \"../shared\" }\n[dev-dependencies]\ntestutil = { path = \"../testutil\" }\n",
        true,
    );
    package(
        &ws.join("shared"),
        "shared",
        "[dependencies]\next = { path = \"../../ext\" }\n",
        false,
    );
    package(&ws.join("app"), "app", "", true);
    package(&ws.join("testutil"), "testutil", "", false);
    package(&root.join("ext"), "ext", "", false);
    lock(&ws);
    super::build_tools::tests::fake_tools(&ws, "0.15.2");
    ws
}

pub(crate) fn key(ws: &Path) -> String {
    RustBin::new("my-handler", "my-handler")
        .workspace(ws)
        .recipe()
        .map_err(|e| e.to_string())
        .unwrap()
        .1
}

/// Where the handler's kept graph for `ws` is: under `ws/target`, or under
/// `CARGO_TARGET_DIR` when that is set (as in a shared target directory), so the tests
/// pass either way.
fn kept_graph(ws: &Path) -> PathBuf {
    let (recipe, _) = RustBin::new("my-handler", "my-handler")
        .workspace(ws)
        .recipe()
        .unwrap();
    let ws = std::fs::canonicalize(ws).unwrap();
    super::cargo_graph::memo_path(&ws, &recipe.package, &recipe.target).unwrap()
}

/// Edits `file` and returns the key before and after.
fn around(ws: &Path, file: &Path, text: &str) -> (String, String) {
    let before = key(ws);
    write(file, text);
    (before, key(ws))
}

#[test]
fn an_edit_of_a_path_dependency_outside_the_package_changes_the_key() {
    let ws = fixture("shared");
    let (a, b) = around(&ws, &ws.join("shared/src/lib.rs"), "pub fn f() {}\n");
    assert_ne!(a, b, "a direct path dependency in the workspace");
    let (b2, c) = around(&ws, &ws.join("../ext/src/lib.rs"), "pub fn g() {}\n");
    assert_eq!(b, b2);
    assert_ne!(
        b, c,
        "a path dependency of a path dependency, outside the workspace"
    );
}

#[test]
fn an_edit_of_an_unrelated_member_or_a_dev_dependency_leaves_the_key() {
    let ws = fixture("unrelated");
    let (a, b) = around(
        &ws,
        &ws.join("app/src/main.rs"),
        "fn main() { println!(); }\n",
    );
    assert_eq!(a, b, "another workspace member is not the handler's build");
    let (_, c) = around(&ws, &ws.join("testutil/src/lib.rs"), "pub fn t() {}\n");
    assert_eq!(a, c, "a dev-dependency is not built with --bin");
    let (_, d) = around(&ws, &ws.join("handler/tests/it.rs"), "#[test] fn t() {}\n");
    assert_eq!(a, d, "tests/ is not built with --bin");
}

#[test]
fn cargo_configuration_and_the_toolchain_file_are_part_of_the_key() {
    let ws = fixture("config");
    let (a, b) = around(
        &ws,
        &ws.join(".cargo/config.toml"),
        "[profile.release]\nopt-level = 1\n",
    );
    assert_ne!(a, b, "the workspace's .cargo/config.toml");
    let (_, c) = around(
        &ws,
        &ws.join("../.cargo/config.toml"),
        "[build]\nrustflags = [\"-Ctarget-cpu=native\"]\n",
    );
    assert_ne!(b, c, "a .cargo/config.toml above the workspace");
    let (_, d) = around(
        &ws,
        &ws.join("../rust-toolchain.toml"),
        "[toolchain]\nchannel = \"stable\"\n",
    );
    assert_ne!(c, d, "a rust-toolchain.toml above the workspace");
    let (_, e) = around(
        &ws,
        &ws.join("../rust-toolchain.toml"),
        "[toolchain]\nchannel = \"stable\"\nprofile = \"minimal\"\n",
    );
    assert_ne!(d, e, "its edit");
}

#[test]
fn the_key_does_not_depend_on_depth_or_on_config_that_does_not_reach_the_compiler() {
    let top = std::env::temp_dir().join(format!("nephos-cache-key-depth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&top);
    write(&top.join(".cargo/config.toml"), "[term]\nverbose = false\n");
    let shallow = fixture_at(&top.join("a"));
    let deep = fixture_at(&top.join("b/c"));
    assert_eq!(
        key(&shallow),
        key(&deep),
        "two depths under one [term] config"
    );
    // A `.cargo/config.toml` in the deep copy's parent, setting the same: still one key.
    write(
        &top.join("b/.cargo/config.toml"),
        "[alias]\nb = \"build\"\n[build]\ntarget-dir = \"/t\"\n",
    );
    assert_eq!(
        key(&shallow),
        key(&deep),
        "alias and target-dir do not count"
    );
    let (before, after) = around(
        &deep,
        &top.join("b/.cargo/config.toml"),
        "[profile.release]\nopt-level = 1\n",
    );
    assert_ne!(before, after, "profile.release.opt-level changes the build");
    let (_, flags) = around(
        &deep,
        &top.join("b/.cargo/config.toml"),
        "[build]\nrustflags = [\"-Copt-level=1\"]\n",
    );
    assert_ne!(after, flags, "build.rustflags changes the build");
    let _ = std::fs::remove_dir_all(&top);
}

#[test]
fn hidden_and_linked_sources_are_part_of_the_key_and_editor_files_are_not() {
    let ws = fixture("hidden");
    let (a, b) = around(
        &ws,
        &ws.join("handler/src/.gen.rs"),
        "pub const X: u8 = 1;\n",
    );
    assert_ne!(a, b, "a hidden .rs file (`#[path = \".gen.rs\"]`)");
    let (_, c) = around(
        &ws,
        &ws.join("handler/src/.gen.rs"),
        "pub const X: u8 = 2;\n",
    );
    assert_ne!(b, c, "its edit");

    let (_, d) = around(&ws, &ws.join("handler/src/.main.rs.swp"), "vim swap");
    assert_eq!(c, d, "an editor's swap file");
    let (_, d) = around(&ws, &ws.join("handler/.git/HEAD"), "ref: x");
    assert_eq!(c, d, "version control metadata");

    // A source linked from elsewhere: its target's bytes are hashed.
    let outside = ws.join("../linked.rs");
    write(&outside, "pub fn l() {}\n");
    std::os::unix::fs::symlink(&outside, ws.join("handler/src/linked.rs")).unwrap();
    let e = key(&ws);
    assert_ne!(d, e, "a linked file");
    write(&outside, "pub fn l() { }\n");
    assert_ne!(e, key(&ws), "an edit of a linked file's target");

    // A link cycle is walked once, and a dangling link does not stop the key.
    std::os::unix::fs::symlink(ws.join("handler/src"), ws.join("handler/src/loop")).unwrap();
    std::os::unix::fs::symlink(ws.join("nowhere"), ws.join("handler/src/dangling.rs")).unwrap();
    let f = key(&ws);
    assert_eq!(
        f,
        key(&ws),
        "deterministic with a cycle and a dangling link"
    );
}

#[test]
fn the_key_is_deterministic_and_a_kept_graph_is_not_trusted_past_an_edit() {
    let ws = fixture("memo");
    let first = key(&ws);
    assert_eq!(first, key(&ws), "same inputs, same key");
    let memo = kept_graph(&ws);
    assert!(
        memo.is_file(),
        "the graph is kept under the target directory: {}",
        memo.display()
    );

    // A new path dependency: the kept graph's fingerprint no longer matches.
    package(&ws.join("../ext2"), "ext2", "", false);
    write(
        &ws.join("shared/Cargo.toml"),
        "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\next = { path = \"../../ext\" }\next2 = { path = \"../../ext2\" }\n",
    );
    lock(&ws);
    let grown = key(&ws);
    assert_ne!(first, grown);
    let (a, b) = around(&ws, &ws.join("../ext2/src/lib.rs"), "pub fn e() {}\n");
    assert_ne!(a, b, "the new dependency's sources are hashed");

    // A kept graph that does not parse is asked again, not trusted.
    std::fs::write(&memo, "{not json").unwrap();
    assert_eq!(b, key(&ws));
    // Under a shared CARGO_TARGET_DIR the kept graph is outside the fixture.
    let _ = std::fs::remove_file(&memo);
}

#[test]
fn a_graph_cargo_cannot_read_is_refused_with_the_next_step() {
    let ws = fixture("broken");
    std::fs::remove_dir_all(ws.join("../ext")).unwrap();
    let e = RustBin::new("my-handler", "my-handler")
        .workspace(&ws)
        .recipe()
        .unwrap_err();
    assert!(e.contains("`cargo metadata` failed"), "{e}");
    assert!(e.contains("then synthesize again"), "{e}");

    let ws = fixture("stale-lock");
    write(
        &ws.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\ntestutil = { path = \"../testutil\" }\n",
    );
    let e = RustBin::new("my-handler", "my-handler")
        .workspace(&ws)
        .recipe()
        .unwrap_err();
    assert!(e.contains("cargo update -w"), "{e}");
}

#[test]
fn an_ignored_tree_in_the_package_is_not_walked_and_tracked_hidden_sources_still_count() {
    let ws = fixture("venv");
    // A Python virtualenv in the handler's directory: deeper than the walk goes, and with
    // a link back to the package.
    let venv = ws.join("handler/.venv");
    let deep = (0..20).fold(venv.join("lib"), |p, i| p.join(format!("d{i}")));
    write(&deep.join("site.py"), "x = 1\n");
    std::os::unix::fs::symlink(ws.join("handler"), venv.join("lib/up")).unwrap();
    let refused = RustBin::new("my-handler", "my-handler")
        .workspace(&ws)
        .recipe()
        .map(|r| r.1)
        .map_err(|e| e.to_string());
    let message = refused.expect_err("an unignored deep tree is refused");
    assert!(
        message.contains("nested too deeply") && message.contains(".gitignore"),
        "the refusal names the fix: {message}"
    );

    write(&ws.join("handler/.gitignore"), ".venv/\n");
    let a = key(&ws);
    write(&deep.join("site.py"), "x = 2\n");
    assert_eq!(a, key(&ws), "an edit inside the ignored tree");
    let (_, b) = around(
        &ws,
        &ws.join("handler/src/.gen.rs"),
        "pub const X: u8 = 1;\n",
    );
    assert_ne!(a, b, "a new tracked hidden source");
    let (_, c) = around(
        &ws,
        &ws.join("handler/src/.gen.rs"),
        "pub const X: u8 = 2;\n",
    );
    assert_ne!(b, c, "an edit of a tracked hidden source");

    // A .gitignore of the workspace root counts for its packages, and a deeper `!`
    // pattern takes a file back.
    write(&ws.join(".gitignore"), "*.bin\n");
    let (_, d) = around(&ws, &ws.join("handler/data/blob.bin"), "1");
    let (_, e) = around(&ws, &ws.join("handler/data/blob.bin"), "2");
    assert_eq!(d, e, "a file the workspace's .gitignore names");
    write(&ws.join("handler/data/.gitignore"), "!blob.bin\n");
    let f = key(&ws);
    let (_, g) = around(&ws, &ws.join("handler/data/blob.bin"), "3");
    assert_ne!(f, g, "a file a deeper .gitignore takes back");
    let _ = std::fs::remove_dir_all(ws.parent().unwrap());
}

#[test]
fn the_manifests_exclude_and_include_select_the_files_but_never_drop_the_build_script() {
    let ws = fixture("include");
    let manifest = ws.join("handler/Cargo.toml");
    let base = std::fs::read_to_string(&manifest).unwrap();
    let with = |extra: &str| base.replace("[dependencies]", &format!("{extra}\n[dependencies]"));

    write(&manifest, &with("exclude = [\"fixtures/\"]"));
    let (a, b) = around(&ws, &ws.join("handler/fixtures/big.json"), "{}");
    assert_eq!(a, b, "a file under an excluded directory");
    let (_, c) = around(&ws, &ws.join("handler/src/util.rs"), "pub fn u() {}\n");
    assert_ne!(b, c, "a source the exclusion does not name");

    write(&manifest, &with("include = [\"src/\"]"));
    let d = key(&ws);
    let (_, e) = around(&ws, &ws.join("handler/notes.txt"), "not included");
    assert_eq!(d, e, "a file outside `include`");
    let (_, f) = around(&ws, &ws.join("handler/src/util.rs"), "pub fn u() { }\n");
    assert_ne!(e, f, "an included source");
    let (_, g) = around(&ws, &ws.join("handler/build.rs"), "fn main() {}\n");
    assert_ne!(
        f, g,
        "the build script, which a local build runs whatever `include` says"
    );

    // Inherited from the workspace (`include.workspace = true`).
    write(&manifest, &with("include.workspace = true"));
    let root = ws.join("Cargo.toml");
    let members = std::fs::read_to_string(&root).unwrap();
    write(
        &root,
        &format!("{members}[workspace.package]\ninclude = [\"src/main.rs\"]\n"),
    );
    let h = key(&ws);
    let (_, i) = around(&ws, &ws.join("handler/src/util.rs"), "pub fn u() {}\n");
    assert_eq!(h, i, "a source outside the inherited `include`");
    let (_, j) = around(&ws, &ws.join("handler/src/main.rs"), "fn main() { }\n");
    assert_ne!(i, j, "the source the inherited `include` names");
    let _ = std::fs::remove_dir_all(ws.parent().unwrap());
}

#[cfg(unix)]
#[test]
fn a_kept_graph_is_not_trusted_past_a_retargeted_link_to_a_path_dependency() {
    let ws = fixture("relink");
    let root = ws.parent().unwrap().to_path_buf();
    // `ext` becomes a link to one of two copies with the same manifest and other code.
    std::fs::rename(root.join("ext"), root.join("ext-a")).unwrap();
    package(&root.join("ext-b"), "ext", "", false);
    write(&root.join("ext-b/src/lib.rs"), "pub fn b() {}\n");
    std::os::unix::fs::symlink(root.join("ext-a"), root.join("ext")).unwrap();
    let a = key(&ws);
    assert_eq!(a, key(&ws), "the kept graph is used while nothing moved");
    let memo = kept_graph(&ws);
    assert!(memo.is_file(), "the graph is kept: {}", memo.display());

    let _ = std::fs::remove_file(root.join("ext"));
    std::os::unix::fs::symlink(root.join("ext-b"), root.join("ext")).unwrap();
    let b = key(&ws);
    assert_ne!(a, b, "Cargo now builds ext-b's code, so the key is ext-b's");

    // The link replaced by a real directory: its files are what Cargo builds and hashes.
    std::fs::remove_file(root.join("ext")).unwrap();
    std::fs::create_dir_all(root.join("ext/src")).unwrap();
    for f in ["Cargo.toml", "src/lib.rs"] {
        std::fs::copy(root.join("ext-b").join(f), root.join("ext").join(f)).unwrap();
    }
    let (c, d) = around(&ws, &root.join("ext/src/lib.rs"), "pub fn d() {}\n");
    assert_ne!(
        c, d,
        "an edit in the real directory, not in ext-b, changes the key"
    );
    let _ = std::fs::remove_file(&memo);
}

#[test]
fn the_local_packages_are_the_handler_and_its_path_dependencies() {
    let ws = fixture("names");
    let (recipe, _) = RustBin::new("my-handler", "my-handler")
        .workspace(&ws)
        .recipe()
        .unwrap();
    let names = recipe.local_packages().unwrap();
    assert_eq!(
        names,
        ["my-handler", "shared", "ext"],
        "not app, not testutil"
    );
}
