//! Loading stacks from a cloud assembly or a single template, and picking the ones asked for
//! in dependency order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nephos::assembly::{MANIFEST_FILE, Manifest, StackArtifact};
use serde_json::Value;

use super::template::parse_template;
use crate::error::{Error, Result};

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

/// Reads `manifest.json` and every template of an assembly directory.
pub fn load_assembly(dir: &Path) -> Result<Vec<StackSource>> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::new(format!(
            "cannot read {}: {e} (did the app write its assembly?)",
            path.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| Error::new(format!("invalid {}: {e}", path.display())))?;
    if manifest.version != nephos::assembly::MANIFEST_VERSION {
        return Err(Error::new(format!(
            "{} has version {}, this nephos reads version {}",
            path.display(),
            manifest.version,
            nephos::assembly::MANIFEST_VERSION
        )));
    }
    manifest
        .stacks
        .into_iter()
        .map(|artifact| {
            let file = dir.join(&artifact.template_file);
            let (body, template) = read_template(&file)?;
            Ok(StackSource {
                artifact,
                body,
                template,
                dir: dir.to_owned(),
            })
        })
        .collect()
}

/// Reads and parses one template file.
pub fn read_template(file: &Path) -> Result<(String, Value)> {
    let body = std::fs::read_to_string(file)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", file.display())))?;
    let template =
        parse_template(&body).map_err(|e| Error::new(format!("{}: {e}", file.display())))?;
    Ok((body, template))
}

/// A one-stack source from `--template FILE --stack-name NAME`.
pub fn from_template(file: &Path, stack_name: &str) -> Result<Vec<StackSource>> {
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
            return Err(Error::new(format!(
                "no stack named {w} in the app (it has: {})",
                known.join(", ")
            )));
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
            return Err(Error::new(format!(
                "the stacks {} depend on each other in a cycle",
                names.join(", ")
            )));
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
