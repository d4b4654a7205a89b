//! Moving an assembly that was written to a staging directory into its place.
//!
//! The `nephos` command runs an app with `NEPHOS_OUTDIR` naming a staging directory, checks
//! what the app wrote (among other things, that the binary was built from the project it
//! runs in), and only then installs it into the output directory: a refused output never
//! replaces the assembly there, so `--assembly nephos.out` cannot pick it up later.
//!
//! Installing removes what a write of the assembly would remove (the templates an earlier
//! manifest listed of stacks no longer there, the asset archives of earlier keys, see
//! `previous` and `asset_files`) and nothing else. No file is written through a symbolic
//! link: each directory on the way to a file must be a real one ([`path_inside`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::app::app::AppError;
use crate::app::assembly::{MANIFEST_FILE, Manifest};
use crate::app::asset_files::write_assets;
use crate::app::previous::{previous_manifest, stale_templates};

/// Installs the assembly in `staged` into `dir` and returns its manifest.
///
/// Every file the staged manifest names is moved (renamed, so `staged` must be on the same
/// file system; a directory inside `dir` is) to the same relative path in `dir`: each
/// template, and each asset file that is there (a recipe's zip is built later). The
/// manifest moves last; the earlier one is removed first, so an install that fails half
/// way leaves no manifest, never an old one beside new templates. A `manifest.json` in
/// `dir` that is not a nephos manifest is refused, as [`App::write`](crate::App::write)
/// refuses it, before anything changes.
///
/// # Errors
/// [`AppError::Io`] naming the path that could not be read, moved or removed: a staged
/// manifest that is missing or not nephos's, a named path that is not a plain relative
/// one, a staged file that is not a regular file, or a symbolic link where a directory of
/// the path should be.
///
/// ```
/// use nephos::{App, RawResource, Stack, StackSettings};
/// let root = std::env::temp_dir().join(format!("nephos-install-doc-{}", std::process::id()));
/// let (staged, dir) = (root.join("out/.staging"), root.join("out"));
/// let mut stack = Stack::new("Queues");
/// stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
/// let mut app = App::new();
/// app.stack(stack, StackSettings::new("queues-dev"));
/// app.write(&staged).unwrap();
/// let manifest = nephos::assembly::install(&staged, &dir).unwrap();
/// assert_eq!(manifest.stacks[0].stack_name, "queues-dev");
/// assert!(dir.join("Queues.template.json").is_file());
/// assert!(!staged.join("manifest.json").exists());
/// # std::fs::remove_dir_all(&root).unwrap();
/// ```
pub fn install(staged: &Path, dir: &Path) -> Result<Manifest, AppError> {
    let as_app_error = |(path, error)| AppError::Io { path, error };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| AppError::Io { path, error }
    };
    let manifest = previous_manifest(staged)
        .map_err(as_app_error)?
        .ok_or_else(|| AppError::Io {
            path: staged.join(MANIFEST_FILE),
            error: io::Error::new(io::ErrorKind::NotFound, "no manifest to install"),
        })?;
    let previous = previous_manifest(dir).map_err(as_app_error)?;
    let templates: BTreeSet<&str> = manifest
        .stacks
        .iter()
        .map(|s| s.template_file.as_str())
        .collect();
    let named: BTreeSet<&str> = manifest
        .stacks
        .iter()
        .flat_map(|s| s.assets.iter().map(|a| a.path.as_str()))
        .collect();
    // Every source is checked before the first change to `dir`.
    let mut moves = Vec::new();
    for (rel, required) in templates
        .iter()
        .map(|t| (*t, true))
        .chain(named.iter().map(|a| (*a, false)))
    {
        let from = staged.join(plain(rel).map_err(io(&staged.join(rel)))?);
        match std::fs::symlink_metadata(&from) {
            Ok(m) if m.is_file() => moves.push((from, rel)),
            Ok(_) => {
                return Err(AppError::Io {
                    path: from,
                    error: io::Error::other("it is not a regular file"),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && !required => {}
            Err(e) => {
                return Err(AppError::Io {
                    path: from,
                    error: e,
                });
            }
        }
    }
    let manifest_path = dir.join(MANIFEST_FILE);
    if previous.is_some() {
        std::fs::remove_file(&manifest_path).map_err(io(&manifest_path))?;
    }
    for (from, rel) in moves {
        let to = path_inside(dir, rel).map_err(io(&dir.join(rel)))?;
        std::fs::rename(&from, &to).map_err(io(&to))?;
    }
    if let Some(previous) = &previous {
        for stale in stale_templates(dir, previous, &|f| templates.contains(f)) {
            std::fs::remove_file(&stale).map_err(io(&stale))?;
        }
        // Nothing to write: this only removes the archives of earlier keys.
        let none: BTreeMap<String, Arc<Vec<u8>>> = BTreeMap::new();
        write_assets(dir, &none, &named, true).map_err(as_app_error)?;
    }
    let to = path_inside(dir, MANIFEST_FILE).map_err(io(&manifest_path))?;
    std::fs::rename(staged.join(MANIFEST_FILE), &to).map_err(io(&to))?;
    Ok(manifest)
}

/// `dir/rel` for a file nephos writes into an assembly, once every directory between `dir`
/// and the file is a real directory (missing ones are created): a symbolic link on the
/// way could lead out of the assembly, and nothing is written through one. `rel` must be
/// relative, of plain components (no `..`, `.` or root). What is at the file's own path
/// is left to the caller, which replaces it (a rename) rather than writing through it.
///
/// # Errors
/// `rel` is not a plain relative path; a part of the way is a symbolic link or not a
/// directory (the error names it); or a directory cannot be made.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("nephos-path-inside-doc-{}", std::process::id()));
/// let file = nephos::assembly::path_inside(&dir, "assets/x.zip").unwrap();
/// assert!(dir.join("assets").is_dir() && file.ends_with("assets/x.zip"));
/// assert!(nephos::assembly::path_inside(&dir, "../x.zip").is_err());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn path_inside(dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel = plain(rel)?;
    std::fs::create_dir_all(dir)?;
    let mut at = dir.to_path_buf();
    let parts: Vec<Component<'_>> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(m) => {
                let what = if m.file_type().is_symlink() {
                    "a symbolic link"
                } else {
                    "not a directory"
                };
                return Err(io::Error::other(format!(
                    "{} is {what}; nephos writes the assembly only into directories inside it: remove it",
                    at.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir(&at)?,
            Err(e) => return Err(e),
        }
    }
    at.push(
        parts
            .last()
            .map_or(Path::new(""), |c| Path::new(c.as_os_str())),
    );
    Ok(at)
}

/// `rel` as a path, when it is relative and made of plain components only.
fn plain(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    let ok = !rel.is_empty()
        && !rel.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "`{}` is not a plain relative path inside the assembly",
                rel.escape_debug()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nephos-install-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const HEX_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const HEX_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn write_staged(staged: &Path, stack: &str, asset: &str) {
        std::fs::create_dir_all(staged.join("assets")).unwrap();
        std::fs::write(staged.join(format!("{stack}.template.json")), stack).unwrap();
        std::fs::write(staged.join(format!("assets/{asset}.zip")), asset).unwrap();
        let manifest = serde_json::json!({"version": 1, "stacks": [{
            "id": stack, "stackName": "s", "templateFile": format!("{stack}.template.json"),
            "assets": [{"sha256": asset, "path": format!("assets/{asset}.zip"),
                        "objectKey": format!("assets/{asset}.zip")}]}]});
        std::fs::write(staged.join(MANIFEST_FILE), manifest.to_string()).unwrap();
    }

    #[test]
    fn an_install_replaces_the_earlier_assembly_and_keeps_the_user_s_files() {
        let dir = scratch("replace");
        let staged = dir.join(".staging");
        write_staged(&staged, "Old", HEX_A);
        install(&staged, &dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        write_staged(&staged, "New", HEX_B);
        install(&staged, &dir).unwrap();
        assert!(dir.join("New.template.json").is_file());
        assert!(!dir.join("Old.template.json").exists(), "stale template");
        assert!(dir.join(format!("assets/{HEX_B}.zip")).is_file());
        assert!(
            !dir.join(format!("assets/{HEX_A}.zip")).exists(),
            "stale archive"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
        let m = std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap();
        assert!(m.contains("New.template.json"), "{m}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_moved_through_a_linked_asset_directory() {
        let dir = scratch("linked");
        let elsewhere = scratch("linked-elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.join("assets")).unwrap();
        let staged = dir.join(".staging");
        write_staged(&staged, "App", HEX_A);
        let e = install(&staged, &dir).expect_err("a linked asset directory");
        let AppError::Io { error, .. } = e else {
            panic!("not an io error")
        };
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert!(error.to_string().contains("remove it"), "{error}");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        assert!(
            !dir.join(MANIFEST_FILE).exists(),
            "no manifest half installed"
        );
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&elsewhere);
    }

    #[test]
    fn a_foreign_manifest_is_refused_before_anything_changes() {
        let dir = scratch("foreign");
        std::fs::write(dir.join(MANIFEST_FILE), "{\"not\": \"nephos\"}").unwrap();
        let staged = dir.join(".staging");
        write_staged(&staged, "App", HEX_A);
        assert!(install(&staged, &dir).is_err());
        assert!(!dir.join("App.template.json").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap(),
            "{\"not\": \"nephos\"}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// atk finding 1's kind in the library's own write: a template that is a link is
    /// replaced, not written through.
    #[cfg(unix)]
    #[test]
    fn a_write_replaces_a_linked_template_instead_of_writing_through_it() {
        let dir = scratch("linked-template");
        let outside = scratch("linked-template-outside").join("victim.json");
        std::fs::write(&outside, "KEEP").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("Queues.template.json")).unwrap();
        let mut stack = crate::Stack::new("Queues");
        stack.add("Jobs", crate::RawResource::new("AWS::SQS::Queue"));
        let mut app = crate::App::new();
        app.stack(stack, crate::StackSettings::new("queues-dev"));
        app.write(&dir).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "KEEP");
        let written = dir.join("Queues.template.json");
        assert!(std::fs::symlink_metadata(&written).unwrap().is_file());
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(outside.parent().unwrap());
    }

    #[test]
    fn paths_that_leave_the_assembly_are_refused() {
        let dir = scratch("plain");
        for bad in ["../x", "/x", "a/../x", "", "a\\x", "./x"] {
            assert!(path_inside(&dir, bad).is_err(), "{bad}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
