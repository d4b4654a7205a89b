//! Loading stacks from a cloud assembly or a single template, and picking the ones asked for
//! in dependency order.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nephos::assembly::{MANIFEST_FILE, Manifest, StackArtifact};
use serde_json::Value;

use nephos::assembly::{check_region, check_stack_name};
use nephos::limits::MAX_TEMPLATE_BYTES;

use super::template::{check_template, parse_template, too_big};
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// One stack ready to diff or deploy.
#[derive(Clone, Debug)]
pub struct StackSource {
    /// Its manifest entry (synthesized for `--template`).
    pub artifact: StackArtifact,
    /// The template text as written.
    pub body: String,
    /// The template, parsed.
    pub template: Value,
    /// The directory asset paths are relative to.
    pub dir: PathBuf,
}

/// Reads `manifest.json` and every template of an assembly directory. The manifest may
/// come from another tool or CI job, so it is validated like any input: paths stay inside
/// the directory, ids and stack names are valid and unique, dependencies are known and
/// acyclic, and there is at least one stack.
pub fn load_assembly(dir: &Path) -> Result<Vec<StackSource>> {
    let path = dir.join(MANIFEST_FILE);
    let shown = path.display();
    let manifest = read_manifest(dir)?;
    check_manifest(&manifest, dir)
        .map_err(|(why, next)| Error::with_next(format!("invalid {shown}: {why}"), next))?;
    manifest
        .stacks
        .into_iter()
        .map(|artifact| {
            let file = inside(dir, &artifact.template_file).map_err(|(e, next)| {
                Error::with_next(
                    format!(
                        "invalid {shown}: stack {}: templateFile {e}",
                        escape_line(&artifact.id)
                    ),
                    next,
                )
            })?;
            let (body, template) = read_template(&file).map_err(|e| {
                Error::with_next(
                    format!("{} (stack {} of {shown})", e.0, escape_line(&artifact.id)),
                    WRITE_AGAIN,
                )
            })?;
            Ok(StackSource {
                artifact,
                body,
                template,
                dir: dir.to_owned(),
            })
        })
        .collect()
}

/// Reads and parses `manifest.json` in `dir`, bounded, refusing duplicate keys and another
/// format version; its contents are not checked here ([`load_assembly`] does).
fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST_FILE);
    let shown = path.display();
    let text = super::bounded::read_bounded(&path, super::bounded::MAX_CONFIG_BYTES)
        .map_err(|e| Error::with_next(format!("cannot read {shown}: {e}"), NO_MANIFEST))?;
    // Duplicate keys are refused first (serde_json alone keeps the last one).
    let manifest: Manifest = super::unique_json::from_str_unique(&text)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::with_next(format!("invalid {shown}: {e}"), WRITE_AGAIN))?;
    let ours = nephos::assembly::MANIFEST_VERSION;
    if manifest.version != ours {
        let next = if manifest.version > ours {
            "this nephos CLI is older than the app's nephos library: update the CLI (`cargo install nephos-cli`), or use the library version the CLI reads"
        } else {
            "the app's nephos library is older than this CLI: update the app's `nephos` dependency, then run `nephos synth` again"
        };
        return Err(Error::with_next(
            format!(
                "{shown} has version {}, this nephos reads version {ours}",
                manifest.version
            ),
            next,
        ));
    }
    Ok(manifest)
}

/// Records in `dir`'s manifest the SHA-256 of each zip the deployer wrote there:
/// `zips` maps an asset's `path` to its source key (`sha256`) and the zip's hash. Only an
/// asset with a recipe, that path and that key gets it (a manifest another run wrote since
/// keeps its own entries). The manifest is rewritten as the nephos library writes it
/// (pretty JSON and a newline), aside and renamed, while `dir` is locked; it is left alone
/// when it already records every hash. Returns the paths recorded.
///
/// # Errors
/// The manifest cannot be read as [`load_assembly`] reads it, another nephos command holds
/// `dir`, or the manifest cannot be written.
pub fn record_zips(
    dir: &Path,
    zips: &BTreeMap<String, (String, String)>,
) -> Result<BTreeSet<String>> {
    let _lock = super::staging::lock(dir)?;
    let mut manifest = read_manifest(dir)?;
    let mut recorded = BTreeSet::new();
    let mut changed = false;
    for a in manifest.stacks.iter_mut().flat_map(|s| s.assets.iter_mut()) {
        let Some((key, zip)) = zips.get(&a.path) else {
            continue;
        };
        if a.build.is_none() || &a.sha256 != key {
            continue;
        }
        if a.zip_sha256.as_ref() != Some(zip) {
            a.zip_sha256 = Some(zip.clone());
            changed = true;
        }
        recorded.insert(a.path.clone());
    }
    if changed {
        let path = dir.join(MANIFEST_FILE);
        let write = |e: String| {
            Error::with_next(
                format!(
                    "cannot record the built zips' hashes in {}: {e}",
                    escape_line(&path.to_string_lossy())
                ),
                super::staging::unblock(dir, &path),
            )
        };
        let mut text = serde_json::to_string_pretty(&manifest).map_err(|e| write(e.to_string()))?;
        text.push('\n');
        let to =
            nephos::assembly::path_inside(dir, MANIFEST_FILE).map_err(|e| write(e.to_string()))?;
        crate::build::write_atomically(&to, text.as_bytes())?;
    }
    Ok(recorded)
}

/// The next step when there is no manifest to read.
const NO_MANIFEST: &str = "run `nephos synth` to write the assembly (the app's main must call `app.run()`), or pass --assembly DIR naming the directory that holds manifest.json";

/// The next step for a manifest (or a file it names) that is not what the nephos library
/// writes: a manifest is the app's output, so it is written anew, not edited.
const WRITE_AGAIN: &str = "run `nephos synth` to write the assembly anew (if another tool or a hand edit wrote it, make it follow the manifest the nephos library writes)";

/// The next step for a stack the app declares wrongly.
const FIX_THE_APP: &str = "change the app's stacks accordingly and run `nephos synth` again";

/// Everything about a manifest that does not need its files: ids, stack names, regions,
/// dependencies and the paths it names.
fn check_manifest(
    m: &Manifest,
    dir: &Path,
) -> std::result::Result<(), (String, Cow<'static, str>)> {
    if m.stacks.is_empty() {
        return Err((
            "the app has no stacks: nothing to deploy".into(),
            "add one in the app's main with `app.stack(...)` and run `nephos synth` again".into(),
        ));
    }
    let fix = |why: String| (why, FIX_THE_APP.into());
    let mut ids = BTreeSet::new();
    let mut targets: BTreeMap<(&str, Option<&str>), &str> = BTreeMap::new();
    for s in &m.stacks {
        let id = escape_line(&s.id);
        if s.id.is_empty() || s.id.len() > 255 || s.id.chars().any(|c| c.is_control()) {
            return Err(fix(format!(
                "stack id `{id}` is not a valid id (1-255 characters, no control characters)"
            )));
        }
        if !ids.insert(s.id.as_str()) {
            return Err((
                format!("stack id {id} appears twice"),
                "give each stack of the app its own id and run `nephos synth` again".into(),
            ));
        }
        check_stack_name(&s.stack_name).map_err(|why| {
            fix(format!(
                "stack {id}: stackName `{}` {why}",
                escape_line(&s.stack_name)
            ))
        })?;
        if let Some(r) = &s.region {
            check_region(r)
                .map_err(|why| fix(format!("stack {id}: region `{}` {why}", escape_line(r))))?;
        }
        if let Some(other) = targets.insert((&s.stack_name, s.region.as_deref()), &s.id) {
            return Err((
                format!(
                    "stacks {} and {id} both deploy to {}",
                    escape_line(other),
                    escape_line(&s.stack_name)
                ),
                "give one of them another stack name or region in the app and run `nephos synth` again".into(),
            ));
        }
        for a in &s.assets {
            inside(dir, &a.path)
                .map_err(|(e, next)| (format!("stack {id}: asset path {e}"), next))?;
            relative(&a.object_key).map_err(|e| {
                (
                    format!("stack {id}: asset objectKey {e}"),
                    WRITE_AGAIN.into(),
                )
            })?;
        }
    }
    for s in &m.stacks {
        for d in &s.dependencies {
            if !ids.contains(d.as_str()) {
                return Err((
                    format!(
                        "stack {} depends on {}, which is not in the manifest",
                        escape_line(&s.id),
                        escape_line(d)
                    ),
                    WRITE_AGAIN.into(),
                ));
            }
        }
    }
    Ok(())
}

/// Checks that `rel` is a plain relative path: not absolute, no `..`, no empty or `.`
/// parts that could disguise one.
fn relative(rel: &str) -> std::result::Result<(), String> {
    let shown = escape_line(rel);
    let path = Path::new(rel);
    let plain = !rel.is_empty()
        && !rel.contains('\\')
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "{shown} leaves the assembly directory (paths in a manifest are relative, without `..`)"
        ))
    }
}

/// `dir/rel`, refused unless `rel` is a plain relative path that, symbolic links resolved,
/// stays inside `dir`. A file not there yet (a zip the deployer builds later) is judged by
/// the nearest directory above it that is: nephos would write it there. The error comes
/// with its next step: a link on the way is removed by the user (synthesizing again would
/// not change it), anything else is written anew.
fn inside(dir: &Path, rel: &str) -> std::result::Result<PathBuf, (String, Cow<'static, str>)> {
    relative(rel).map_err(|e| (e, WRITE_AGAIN.into()))?;
    let joined = dir.join(rel);
    let Ok(root) = dir.canonicalize() else {
        // A missing directory is reported when the manifest is read.
        return Ok(joined);
    };
    let Some(real) = joined
        .ancestors()
        .take_while(|a| *a != dir)
        .find_map(|a| a.canonicalize().ok())
    else {
        // A missing file is reported when it is read.
        return Ok(joined);
    };
    if real.starts_with(&root) {
        return Ok(joined);
    }
    let why = format!(
        "{} leaves the assembly directory through a symbolic link (to {})",
        escape_line(rel),
        escape_line(&real.to_string_lossy())
    );
    Err((why, super::staging::unblock(dir, &joined).into()))
}

/// Reads, parses and checks one template file: its size is checked before it is read, so a
/// huge file is refused without loading it.
pub fn read_template(file: &Path) -> Result<(String, Value)> {
    let shown = file.display();
    let len = std::fs::metadata(file)
        .map_err(|e| Error::new(format!("cannot read {shown}: {e}")))?
        .len();
    if len > MAX_TEMPLATE_BYTES as u64 {
        return Err(Error::new(format!("{shown}: {}", too_big(len as usize))));
    }
    // The size above is a file's; a FIFO or device reports 0 and is refused here.
    let body = super::bounded::read_bounded(file, MAX_TEMPLATE_BYTES as u64)
        .map_err(|e| Error::new(format!("cannot read {shown}: {e}")))?;
    let template = parse_template(&body)
        .and_then(|t| check_template(&body, &t).map(|()| t))
        .map_err(|e| Error::new(format!("{shown}: {}", escape_line(&e))))?;
    Ok((body, template))
}

/// A one-stack source from `--template FILE --stack-name NAME`.
pub fn from_template(file: &Path, stack_name: &str) -> Result<Vec<StackSource>> {
    check_stack_name(stack_name)
        .map_err(|why| Error::new(format!("--stack-name `{}` {why}", escape_line(stack_name))))?;
    let (body, template) = read_template(file)?;
    let artifact = StackArtifact {
        id: stack_name.to_owned(),
        stack_name: stack_name.to_owned(),
        template_file: file.display().to_string(),
        region: None,
        tags: BTreeMap::new(),
        termination_protection: false,
        parameters: BTreeMap::new(),
        dependencies: Vec::new(),
        assets: Vec::new(),
    };
    let dir = file.parent().map(Path::to_owned).unwrap_or_default();
    Ok(vec![StackSource {
        artifact,
        body,
        template,
        dir,
    }])
}

/// The stacks named in `wanted` (by id or stack name; all when empty), ordered so every
/// stack comes after the stacks it depends on.
pub fn select(stacks: Vec<StackSource>, wanted: &[String]) -> Result<Vec<StackSource>> {
    for w in wanted {
        if !stacks
            .iter()
            .any(|s| &s.artifact.id == w || &s.artifact.stack_name == w)
        {
            let known: Vec<_> = stacks
                .iter()
                .map(|s| s.artifact.stack_name.as_str())
                .collect();
            return Err(Error::with_next(
                format!(
                    "no stack named {} in the app (it has: {})",
                    escape_line(w),
                    escape_line(&known.join(", "))
                ),
                "name one of those (by stack name or id), or name none to act on every stack",
            ));
        }
    }
    let chosen: Vec<StackSource> = stacks
        .into_iter()
        .filter(|s| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| w == &s.artifact.id || w == &s.artifact.stack_name)
        })
        .collect();
    order(chosen)
}

/// A stable topological order: manifest order, except that dependencies go first.
fn order(mut pending: Vec<StackSource>) -> Result<Vec<StackSource>> {
    let ids: BTreeSet<String> = pending.iter().map(|s| s.artifact.id.clone()).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while !pending.is_empty() {
        let ready = pending.iter().position(|s| {
            s.artifact
                .dependencies
                .iter()
                .all(|d| done.contains(d) || !ids.contains(d))
        });
        let Some(i) = ready else {
            let names: Vec<_> = pending.iter().map(|s| s.artifact.id.as_str()).collect();
            return Err(Error::with_next(
                format!(
                    "the stacks {} depend on each other in a cycle",
                    escape_line(&names.join(", "))
                ),
                "a stack depends on another by using its values: make the references between these stacks run one way, then run `nephos synth` again",
            ));
        };
        let s = pending.remove(i);
        done.insert(s.artifact.id.clone());
        out.push(s);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_template_or_manifest_is_refused_at_once() {
        use crate::source::bounded::{make_fifo, promptly};
        let dir = std::env::temp_dir().join(format!("nephos-fifo-asm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let fifo = make_fifo(&dir, "t.yaml");
        let e = promptly(move || from_template(&fifo, "api").err()).expect("refused");
        assert!(e.0.contains("not a regular file"), "{}", e.0);
        make_fifo(&dir, "manifest.json");
        let at = dir.clone();
        let e = promptly(move || load_assembly(&at).err()).expect("refused");
        assert!(e.0.contains("not a regular file"), "{}", e.0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn stack(id: &str, deps: &[&str]) -> StackSource {
        StackSource {
            artifact: StackArtifact {
                id: id.into(),
                stack_name: format!("{id}-dev"),
                template_file: format!("{id}.json"),
                region: None,
                tags: BTreeMap::new(),
                termination_protection: false,
                parameters: BTreeMap::new(),
                dependencies: deps.iter().map(|d| d.to_string()).collect(),
                assets: Vec::new(),
            },
            body: String::new(),
            template: Value::Null,
            dir: PathBuf::new(),
        }
    }

    #[test]
    fn dependencies_deploy_first_and_cycles_are_errors() {
        let got =
            select(vec![stack("Api", &["Data"]), stack("Data", &[])], &[]).unwrap_or_default();
        let ids: Vec<_> = got.iter().map(|s| s.artifact.id.as_str()).collect();
        assert_eq!(ids, ["Data", "Api"]);
        assert!(select(vec![stack("A", &["B"]), stack("B", &["A"])], &[]).is_err());
        assert!(select(vec![stack("A", &[])], &["Nope".into()]).is_err());
    }
}
