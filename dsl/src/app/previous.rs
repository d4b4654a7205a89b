//! What an earlier write left in the assembly directory, and so what a write may remove.
//!
//! `--outdir` (or `NEPHOS_OUTDIR`) can name any directory, one holding the user's own files
//! among them. A write therefore removes only files an earlier nephos manifest in that
//! directory listed (the templates of stacks no longer in the app) or that nephos names
//! (asset archives, see `asset_files`), and never replaces a `manifest.json` that is not a
//! nephos manifest.

use std::io;
use std::path::{Path, PathBuf};

use crate::app::assembly::{MANIFEST_FILE, Manifest};

/// The largest `manifest.json` read back (a manifest lists stacks and assets: a few KB).
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// The manifest an earlier write left in `dir`; `None` when there is none.
///
/// # Errors
/// A `manifest.json` that is not a nephos manifest (another tool's, a link, too large, or
/// unreadable): the write must not replace it, and the message says what to do.
pub(super) fn previous_manifest(dir: &Path) -> Result<Option<Manifest>, (PathBuf, io::Error)> {
    Ok(read_previous(dir)?.map(|(manifest, _)| manifest))
}

/// A manifest read back, with the bytes it was read from.
pub(super) type Previous = (Manifest, Vec<u8>);

/// [`previous_manifest`] with the bytes it was read from (a write whose manifest is the
/// same renews the file instead of rewriting it).
///
/// # Errors
/// As [`previous_manifest`].
pub(super) fn read_previous(dir: &Path) -> Result<Option<Previous>, (PathBuf, io::Error)> {
    let path = dir.join(MANIFEST_FILE);
    let refuse = |why: String| {
        Err((
            path.clone(),
            io::Error::other(format!(
                "{why}: nephos replaces only a manifest.json it reads as its own (this one is another tool's, or an assembly of another nephos version); remove the file, or write the assembly to a directory of its own (--outdir)"
            )),
        ))
    };
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err((path, e)),
    };
    if !meta.is_file() {
        return refuse("it is not a regular file".into());
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return refuse(format!("it is larger than {MAX_MANIFEST_BYTES} bytes"));
    }
    let bytes = std::fs::read(&path).map_err(|e| (path.clone(), e))?;
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) => Ok(Some((m, bytes))),
        Err(e) => refuse(format!("it does not read as one ({e})")),
    }
}

/// The templates `previous` listed that `current` (file names) does not: each a plain
/// `*.template.json` name in `dir` (no directory part) holding a regular file, never a link.
pub(super) fn stale_templates<'a>(
    dir: &Path,
    previous: &'a Manifest,
    current: &dyn Fn(&str) -> bool,
) -> Vec<PathBuf> {
    previous
        .stacks
        .iter()
        .map(|s| s.template_file.as_str())
        .filter(|f| is_plain_template_name(f) && !current(f))
        .map(|f| dir.join(f))
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .collect()
}

/// Whether `name` is a template name nephos writes: `<stack id>.template.json`, one path
/// component (a manifest read back is untrusted: `../x.template.json` is not one).
fn is_plain_template_name(name: &str) -> bool {
    name.len() > ".template.json".len()
        && name.ends_with(".template.json")
        && !name.contains(['/', '\\'])
        && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_template_names_are_removed() {
        assert!(is_plain_template_name("Api.template.json"));
        for other in [
            "../Api.template.json",
            "sub/Api.template.json",
            "..\\Api.template.json",
            ".template.json",
            "manifest.json",
        ] {
            assert!(!is_plain_template_name(other), "{other}");
        }
    }
}
