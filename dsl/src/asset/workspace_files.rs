//! What of the workspace's `Cargo.lock` and root `Cargo.toml` a Rust handler's key hashes:
//! only what can change that handler's build, so that adding a dependency to the app (or
//! to another member) keeps every other handler's key and zip (atk finding 7b).
//!
//! - `Cargo.lock`: the entries of the packages in the handler's resolved graph (as
//!   `cargo_graph` walks it), whole (name, version, source, checksum, dependencies and any
//!   other field), sorted by name, version and source; and the lock's own `version` and
//!   `[patch]`.
//! - The root `Cargo.toml`: everything but the root package's own tables (Cargo Book,
//!   "The Manifest Format" and "Workspaces": `[patch]`, `[replace]` and `[profile]` are read
//!   from the root manifest only, `[workspace]` carries the inherited `dependencies`,
//!   `package` and `lints`, and `cargo-features` applies to it), plus the root package's
//!   `edition` and `resolver`, which pick the workspace's feature resolver when
//!   `workspace.resolver` is not set. When the root package is in the handler's graph, its
//!   manifest is hashed whole with its sources anyway.
//!
//! Fail closed: a file that does not parse, a table this reader does not know (the lock's
//! `[metadata]`, where format version 1 keeps checksums), or a package of the graph with
//! no entry in the lock: the whole file is hashed.

use serde::{Deserialize, Serialize};

/// A package as `Cargo.lock` names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LockedId {
    pub name: String,
    pub version: String,
    /// `None` for a path package; the registry or git URL otherwise.
    pub source: Option<String>,
}

/// The root package's own tables: its metadata, targets and dependencies (`project` and
/// the `_` spellings are Cargo's older names).
const PACKAGE_OWN: [&str; 16] = [
    "package",
    "project",
    "lib",
    "bin",
    "example",
    "test",
    "bench",
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
    "target",
    "features",
    "badges",
    "lints",
];

/// The fields of the root package that reach every member: the resolver it picks.
const PACKAGE_WIDE: [&str; 2] = ["edition", "resolver"];

/// The bytes the key hashes for `Cargo.lock` (`text`) and the packages `reached`.
pub(crate) fn lock_entries(text: &str, reached: &[LockedId]) -> Vec<u8> {
    select_lock(text, reached).unwrap_or_else(|| whole(text))
}

fn select_lock(text: &str, reached: &[LockedId]) -> Option<Vec<u8>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let mut kept = toml::Table::new();
    for (key, value) in &doc {
        match key.as_str() {
            "package" => {}
            "version" | "patch" => {
                kept.insert(key.clone(), value.clone());
            }
            _ => return None,
        }
    }
    let mut index = std::collections::BTreeMap::new();
    let packages = match doc.get("package") {
        Some(p) => p.as_array()?.as_slice(),
        None => &[],
    };
    for entry in packages {
        let table = entry.as_table()?;
        let field = |k: &str| {
            table
                .get(k)
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
        };
        let id = LockedId {
            name: field("name")?,
            version: field("version")?,
            source: field("source"),
        };
        if table.get("source").is_some_and(|s| !s.is_str()) {
            return None;
        }
        if index.insert(id, table).is_some() {
            return None;
        }
    }
    let mut ids = reached.to_vec();
    ids.sort();
    ids.dedup();
    let entries: Vec<&toml::Table> = ids
        .iter()
        .map(|id| index.get(id).copied())
        .collect::<Option<_>>()?;
    canonical("lock entries", &(kept, entries))
}

/// The bytes the key hashes for the workspace's root `Cargo.toml` (`text`).
pub(crate) fn workspace_manifest(text: &str) -> Vec<u8> {
    select_manifest(text).unwrap_or_else(|| whole(text))
}

fn select_manifest(text: &str) -> Option<Vec<u8>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let mut kept: toml::Table = doc
        .iter()
        .filter(|(k, _)| !PACKAGE_OWN.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let package = doc.get("package").or_else(|| doc.get("project"));
    if let Some(package) = package {
        let package = package.as_table()?;
        let wide: toml::Table = package
            .iter()
            .filter(|(k, _)| PACKAGE_WIDE.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        kept.insert("@root-package".into(), toml::Value::Table(wide));
    }
    canonical("workspace manifest", &kept)
}

/// JSON of `value` under a tag: `toml::Table` is a sorted map, so one content gives one
/// text whatever the file's order, spacing or comments.
fn canonical(tag: &str, value: &impl Serialize) -> Option<Vec<u8>> {
    let mut out = format!("{tag}\n").into_bytes();
    serde_json::to_writer(&mut out, value).ok()?;
    Some(out)
}

fn whole(text: &str) -> Vec<u8> {
    [b"whole file\n".as_slice(), text.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["other"]

[[package]]
name = "dep"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aaaa"

[[package]]
name = "handler"
version = "0.1.0"
dependencies = ["dep"]

[[package]]
name = "other"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bbbb"
"#;

    fn id(name: &str, version: &str, registry: bool) -> LockedId {
        LockedId {
            name: name.into(),
            version: version.into(),
            source: registry
                .then(|| "registry+https://github.com/rust-lang/crates.io-index".into()),
        }
    }

    fn handler() -> Vec<LockedId> {
        vec![id("handler", "0.1.0", false), id("dep", "1.0.0", true)]
    }

    #[test]
    fn only_the_handlers_entries_count_and_each_of_their_fields_does() {
        let base = lock_entries(LOCK, &handler());
        assert!(base.starts_with(b"lock entries\n"), "parsed, not whole");
        let other = LOCK
            .replace("bbbb", "cccc")
            .replace("\"2.0.0\"", "\"2.1.0\"");
        assert_eq!(
            base,
            lock_entries(&other, &handler()),
            "the app's dependency"
        );
        let reordered = LOCK.replace("# This file", "# That file");
        assert_eq!(base, lock_entries(&reordered, &handler()));
        assert_ne!(
            base,
            lock_entries(&LOCK.replace("aaaa", "abab"), &handler()),
            "the checksum of the handler's dependency"
        );
        assert_ne!(
            base,
            lock_entries(
                &LOCK.replace(
                    "dependencies = [\"dep\"]",
                    "dependencies = [\"dep\", \"x\"]"
                ),
                &handler()
            ),
            "the handler's dependency list"
        );
        let mut reversed = handler();
        reversed.reverse();
        assert_eq!(base, lock_entries(LOCK, &reversed), "canonical order");
    }

    #[test]
    fn a_lock_this_reader_cannot_classify_is_hashed_whole() {
        for text in [
            "not toml [[[".to_owned(),
            format!("{LOCK}\n[metadata]\n\"checksum dep 1.0.0\" = \"aaaa\"\n"),
            format!("{LOCK}\n[something-new]\nx = 1\n"),
        ] {
            assert_eq!(lock_entries(&text, &handler()), whole(&text), "{text}");
        }
        let missing = vec![id("dep", "9.9.9", true)];
        assert_eq!(lock_entries(LOCK, &missing), whole(LOCK), "not in the lock");
    }

    const MANIFEST: &str = r#"[workspace]
members = ["handler"]
resolver = "3"

[package]
name = "app"
version = "0.1.0"
edition = "2024"

[dependencies]
serde = "1"

[profile.release]
lto = true
"#;

    #[test]
    fn the_root_packages_own_tables_leave_the_manifests_bytes_alone() {
        let base = workspace_manifest(MANIFEST);
        assert!(base.starts_with(b"workspace manifest\n"));
        for same in [
            MANIFEST.replace("serde = \"1\"", "serde = \"1\"\ntokio = \"1\""),
            MANIFEST.replace("version = \"0.1.0\"", "version = \"0.2.0\""),
            format!(
                "# a comment\n{MANIFEST}\n[dev-dependencies]\ninsta = \"1\"\n[[bin]]\nname = \"x\"\n"
            ),
        ] {
            assert_eq!(base, workspace_manifest(&same), "{same}");
        }
        for other in [
            MANIFEST.replace("lto = true", "lto = false"),
            MANIFEST.replace("resolver = \"3\"", "resolver = \"2\""),
            MANIFEST.replace("edition = \"2024\"", "edition = \"2021\""),
            format!("{MANIFEST}[patch.crates-io]\nserde = {{ path = \"../serde\" }}\n"),
            format!("{MANIFEST}[replace]\n\"serde:1.0.0\" = {{ path = \"s\" }}\n"),
            format!("{MANIFEST}[workspace.dependencies]\nserde = \"1\"\n"),
            format!("cargo-features = [\"x\"]\n{MANIFEST}"),
            format!("{MANIFEST}[unknown-table]\nx = 1\n"),
        ] {
            assert_ne!(base, workspace_manifest(&other), "{other}");
        }
        assert_eq!(workspace_manifest("[[["), whole("[[["));
    }
}
