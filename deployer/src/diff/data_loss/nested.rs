//! Updates that apply another template (nested stacks): nephos cannot see what they do
//! to the data inside, so an update in place is a risk of its own.

use super::{DataLoss, Evidence, Hazard};
use crate::cfn::model::ResourceChange;

/// Resource types whose update applies another template: a nested stack
/// (`AWS::CloudFormation::Stack`) updates its own resources from its `TemplateURL` and
/// `Parameters`. Neither the parent's change set nor its stack policy reaches them (a stack
/// policy applies to the resources of its own stack only; AWS CloudFormation User Guide,
/// "Prevent updates to stack resources" and "Nested stacks"), so nephos cannot judge what
/// such an update does to the data inside. AWS defines no other such type.
pub const APPLIES_TEMPLATE: &[&str] = &["AWS::CloudFormation::Stack"];

/// The risk of updating in place a resource of a type whose contents nephos cannot judge
/// ([`APPLIES_TEMPLATE`]); `None` for every other type. It stops the deploy like a
/// replacement (fail closed: an unseen replacement inside is still a replacement) and is
/// allowed the same way, by `--allow-replace ID` (this one resource, knowingly) or
/// `--allow-data-loss`.
pub(super) fn changed_inside(
    id: &str,
    ty: &str,
    change: Option<&ResourceChange>,
    held: nephos::facts::DataHolding,
) -> Option<DataLoss> {
    if !APPLIES_TEMPLATE.contains(&ty) {
        return None;
    }
    let changed: Vec<&str> = change
        .map(|c| {
            c.details
                .iter()
                .map(|d| d.target.strip_prefix("Properties.").unwrap_or(&d.target))
                .collect()
        })
        .unwrap_or_default();
    Some(DataLoss {
        logical_id: id.to_owned(),
        resource_type: ty.to_owned(),
        hazard: Hazard::ChangedInside,
        cause: (!changed.is_empty()).then(|| changed.join(", ")),
        policy: None,
        evidence: if change.is_some() {
            Evidence::ChangeSet
        } else {
            Evidence::Template
        },
        policy_is_default: false,
        data_unknown: held == nephos::facts::DataHolding::Unknown,
    })
}
