//! The assembly's asset directory: the archives the manifest names, and nothing else.
//!
//! An asset's file is named by its content (`assets/<sha256>.zip`, see
//! [`crate::asset::source::object_key`]), so every edit adds a file; without pruning, the
//! assembly keeps the archives of every earlier key, stale bytes that `cp -r nephos.out`
//! or a CI cache carries along and that grow with each edit. After a write the directory
//! holds exactly the files the manifest names.
//!
//! Only what nephos writes is removed: regular files named `<64 lower-case hex>.zip`
//! directly in the directory. A symbolic link is never followed nor removed, and when the
//! directory itself is a link (it may lead outside the assembly) nothing is written
//! through it or removed from it.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::asset::source::object_key;

/// The directory of the asset files, relative to the assembly (`assets`).
fn assets_dir() -> PathBuf {
    Path::new(&object_key("0"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Writes `assets` (path in the assembly to bytes) under `dir`, then, when `prune` (the
/// directory holds an earlier nephos assembly), removes the asset files no path of `named`
/// (every asset the manifest lists, including those the deployer builds later) names.
///
/// # Errors
/// The path that could not be written or removed, with the error; a symbolic link in place
/// of the asset directory is refused.
pub(super) fn write_assets(
    dir: &Path,
    assets: &BTreeMap<String, Arc<Vec<u8>>>,
    named: &BTreeSet<&str>,
    prune: bool,
) -> Result<(), (PathBuf, io::Error)> {
    let root = dir.join(assets_dir());
    let root_is_link = std::fs::symlink_metadata(&root).is_ok_and(|m| m.file_type().is_symlink());
    if root_is_link {
        if assets.is_empty() {
            return Ok(());
        }
        return Err((
            root,
            io::Error::other(
                "it is a symbolic link; nephos writes asset archives only inside the assembly: remove the link",
            ),
        ));
    }
    for (file, bytes) in assets {
        let path = dir.join(file);
        write_one(&path, bytes).map_err(|e| (path, e))?;
    }
    if prune {
        remove_unnamed(dir, &root, named)?;
    }
    Ok(())
}

/// Writes one content-named archive unless a regular file there already holds exactly
/// `bytes`; anything else at the path (a link, a truncated or edited file) is replaced,
/// not written through.
fn write_one(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            if super::same_bytes::file_holds(path, bytes)? {
                return Ok(());
            }
            std::fs::remove_file(path)?;
        }
        Ok(m) if m.is_dir() => {
            return Err(io::Error::other(
                "a directory is where the archive goes: remove it",
            ));
        }
        Ok(_) => std::fs::remove_file(path)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
        }
        Err(e) => return Err(e),
    }
    std::fs::write(path, bytes)
}

/// Removes the asset files under `root` that `named` does not name.
fn remove_unnamed(
    dir: &Path,
    root: &Path,
    named: &BTreeSet<&str>,
) -> Result<(), (PathBuf, io::Error)> {
    let keep: BTreeSet<PathBuf> = named.iter().map(|p| dir.join(p)).collect();
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err((root.to_path_buf(), e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| (root.to_path_buf(), e))?;
        let path = entry.path();
        // `DirEntry::file_type` does not follow a link: a link is not a file here.
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let ours = entry.file_name().to_str().is_some_and(is_archive_name);
        if is_file && ours && !keep.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| (path, e))?;
        }
    }
    Ok(())
}

/// Whether `name` is one nephos gives an archive: `<64 lower-case hex>.zip`.
fn is_archive_name(name: &str) -> bool {
    name.strip_suffix(".zip").is_some_and(|hash| {
        hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_names_are_archive_names() {
        assert!(is_archive_name(&format!("{}.zip", "ab".repeat(32))));
        for other in [
            "notes.zip",
            &format!("{}.zip", "AB".repeat(32)),
            &format!("{}.zip.1.tmp", "ab".repeat(32)),
            &format!("{}.zip", "ab".repeat(31)),
        ] {
            assert!(!is_archive_name(other), "{other}");
        }
        assert_eq!(assets_dir(), Path::new("assets"));
    }
}
