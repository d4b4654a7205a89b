//! The request a command deploys or plans for one stack of the source: one builder, so
//! `nephos deploy` and `nephos diff --change-set` send CloudFormation the same change set,
//! and review the same parameter values, for the same source and flags.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::deploy::engine::StackRequest;
use crate::source::assembly::StackSource;

/// The parameter values a deploy of `s` passes: the manifest's, overridden by the
/// `--parameter` (and environment) values in `flags`, for the parameters its template
/// declares only. An undeclared key was refused by `commands::deploy::check_parameters`,
/// or ignored there (`--ignore-unknown-params`): it is never sent.
pub fn requested_parameters(
    s: &StackSource,
    flags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let declared = s.template.get("Parameters").and_then(Value::as_object);
    let declares = |k: &str| declared.is_some_and(|d| d.contains_key(k));
    s.artifact
        .parameters
        .iter()
        .chain(flags)
        .filter(|(k, _)| declares(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The request for `s`: its template and assets, the [`requested_parameters`], the
/// manifest's tags with `tags` (deploy's `--tag`) over them, and termination protection
/// when the manifest or `protection` (deploy's `--termination-protection`) asks for it.
pub fn stack_request(
    s: &StackSource,
    flags: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
    protection: bool,
) -> StackRequest {
    let mut stack_tags = s.artifact.tags.clone();
    stack_tags.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    StackRequest {
        stack_name: s.artifact.stack_name.clone(),
        template_body: s.body.clone(),
        template: s.template.clone(),
        parameters: requested_parameters(s, flags),
        tags: stack_tags,
        termination_protection: s.artifact.termination_protection || protection,
        assets: s.artifact.assets.clone(),
        assembly_dir: s.dir.clone(),
    }
}
