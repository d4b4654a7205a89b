//! Every synth-time check of a stack, one family per file, run in a fixed order and
//! reported together.
//!
//! Synth sorts what they report, so the order the checks run in does not show; a walk of
//! each resource property serves every check of its nodes.

mod alarms;
mod alias_pairs;
mod arn_refs;
mod attributes;
mod az_coverage;
mod bucket_names;
mod certificate_region;
pub(crate) mod conditional_attributes;
mod conditional_references;
mod conditions;
mod constraints;
mod cycles;
mod embedded;
mod event_source_mappings;
mod intrinsics;
mod kms;
mod lambda_file_systems;
mod limits;
mod listener_protocol;
mod literal_branches;
mod load_balancer;
mod mappings;
mod message_names;
mod names;
mod one_vpc;
mod outputs;
mod overrides;
mod parameters;
pub(crate) mod paths;
mod record_in_zone;
mod ref_assumptions;
mod references;
mod required_depends_on;
mod route53_alias;
mod rules;
mod s3_events;
mod schedules;
mod secret_names;
mod snap_start;
mod sqs_queues;
mod sqs_visibility;
mod ssm;
mod waf_association;
mod waf_scope;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::home::WiredHome;
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::synth::path::Path;
use crate::synth::registry;
use crate::synth::template::Resolved;

use embedded::Seen;

pub(crate) use alias_pairs::{PartitionNeed, check_partition};

/// Runs every check, in a fixed order.
///
/// A check of resources of some types takes `resources` and reads them with
/// [`Resources::of_type`] (in stack order), rather than scanning `resolved` comparing
/// type names: its cost then does not grow with the resources of other types.
pub(crate) fn all(
    stack: &Stack,
    resources: &Resources,
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
    homes: &mut Vec<WiredHome>,
    partition_needs: &mut Vec<PartitionNeed>,
) {
    let resolved: &[Resolved] = resources.all();
    names::stack_name(stack, diags);
    names::logical_ids(stack, diags);
    let known = references::known(stack);
    let language_extensions = intrinsics::language_extensions(stack);
    let mut edges = cycles::Edges::new(stack, resolved);
    // Each resource property is walked once for the checks of its nodes: references (and
    // the dependency edges they make), intrinsic functions, the attributes `Fn::GetAtt`
    // reads (named by the registry, and present under the resource's own values), and
    // substitutions embedded in literal text.
    for (i, r) in resolved.iter().enumerate() {
        let id = &*r.entry.target.id;
        for (name, e) in r.props.iter() {
            let site = references::Site::property(id, name);
            let location = || Location::property(id, name);
            embedded::walk(e, Path::Root.key(name), &mut |seen| match seen {
                Seen::Node(node) => {
                    // A resource property's reference to a resource of this stack (an
                    // edge) is one `references` has nothing to say of: in the stack,
                    // declared, and readable from a resource. Only the others are judged,
                    // which spares most references a lookup of their ID.
                    if let Some((t, how)) = node.own_reference()
                        && !edges.reference(stack, i, t)
                    {
                        references::reference(stack, &known, &site, t, how, diags);
                    }
                    intrinsics::node(stack, language_extensions, &site, node, diags);
                    registry::attribute(resources, &location, node, diags);
                    conditional_attributes::node(stack, resolved, &location, node, diags);
                }
                Seen::Text(path, text) => embedded::text(id, path, text, &known, diags),
            });
        }
    }
    // The other expressions: their references, their intrinsic functions, then the
    // attributes their `Fn::GetAtt`s read.
    for (loc, e) in &references::expressions(stack) {
        references::check(stack, &known, loc, e, diags);
        intrinsics::check(stack, loc, e, diags);
        conditional_attributes::expression(stack, resolved, &|| loc.location(), e, diags);
    }
    cycles::check(stack, resolved, edges, diags);
    conditions::check(stack, diags);
    attributes::check(stack, resources, &known, diags);
    overrides::check(stack, diags);
    parameters::check(stack, diags);
    mappings::check(stack, diags);
    outputs::check(stack, diags);
    rules::check(stack, diags);
    ref_assumptions::check(resolved, diags);
    crate::synth::semantic::check(resources, diags, deferred);
    crate::synth::lambda_runtimes::check(resources, diags);
    crate::synth::lambda_vpc::check(resources, diags);
    crate::synth::dead_letter_retention::check(stack, resources, diags);
    crate::synth::provisioned_concurrency::check(resources, diags);
    crate::synth::api_keys::check(resources, diags);
    late(stack, resolved, diags);
    crate::synth::security::check(resources, diags);
    constraints::check(resolved, diags, deferred);
    arn_refs::check(resources, diags);
    route53_alias::check(resources, diags);
    alias_pairs::check(resources, diags, partition_needs);
    limits::check(stack, diags);
    conditional_references::check(stack, resolved, diags);
    sqs_visibility::check(stack, resources, diags, deferred);
    event_source_mappings::check(resources, diags, deferred);
    s3_events::check(resources, diags);
    waf_association::check(resources, diags, deferred);
    listener_protocol::check(resources, diags, deferred);
    certificate_region::check(resources, diags, homes);
    waf_scope::check(resources, diags, homes);
    az_coverage::check(resources, diags);
    one_vpc::check(resources, diags);
    record_in_zone::check(resources, diags);
    required_depends_on::check(stack, resources, diags);
    schedules::check(resources, diags);
    alarms::check(resources, diags);
    kms::check(resources, diags);
    ssm::check(resources, diags);
    lambda_file_systems::check(resources, diags);
    sqs_queues::check(resources, diags);
    snap_start::check(resources, diags);
    bucket_names::check(resources, diags);
    message_names::check(resources, diags);
    secret_names::check(resources, diags);
}

/// The checks grants and constructs left for synth ([`Stack::check_at_synth`]), in the
/// order they were left; a diagnostic several of them find is reported once.
fn late(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let mut found: Vec<Diagnostic> = Vec::new();
    for check in stack.late_checks.iter() {
        for d in (check.0)(resolved) {
            if !found.contains(&d) {
                found.push(d);
            }
        }
    }
    diags.extend(found);
}
