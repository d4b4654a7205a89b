//! CloudFormation's quotas, checked at synth: an error above a limit, a warning from
//! 80 percent of it, so growth is noticed before a deploy fails.

use crate::diagnostic::{Diagnostic, Location};

/// Resources per template.
pub const MAX_RESOURCES: usize = 500;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Bytes of a template passed inline to CloudFormation.
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// Bytes of a template passed through S3.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// Checks how many of `what` a template has against `limit`.
pub(crate) fn count(what: &str, n: usize, limit: usize, diags: &mut Vec<Diagnostic>) {
    if n > limit {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!("the template has {n} {what}; CloudFormation allows at most {limit}"),
            format!("split the stack into several stacks of at most {limit} {what}, joined by exports and imports"),
        ));
    } else if n * 5 >= limit * 4 && n > 0 {
        diags.push(Diagnostic::warning(
            Location::stack(),
            format!(
                "the template has {n} {what}, {}% of CloudFormation's limit of {limit}",
                n * 100 / limit
            ),
            "plan to split the stack before it reaches the limit",
        ));
    }
}

/// Checks the rendered template's size.
pub(crate) fn template_size(bytes: usize, diags: &mut Vec<Diagnostic>) {
    if bytes > MAX_TEMPLATE_BYTES {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!(
                "the template is {bytes} bytes; CloudFormation accepts at most {MAX_TEMPLATE_BYTES}"
            ),
            "split the stack into several stacks",
        ));
    } else if bytes > MAX_INLINE_TEMPLATE_BYTES {
        diags.push(Diagnostic::warning(
            Location::stack(),
            format!("the template is {bytes} bytes, over the {MAX_INLINE_TEMPLATE_BYTES} bytes CloudFormation accepts inline"),
            "nothing to change: `nephos deploy` uploads it to the staging bucket (run `nephos bootstrap` once per account and region)",
        ));
    } else if bytes * 5 >= MAX_INLINE_TEMPLATE_BYTES * 4 {
        diags.push(Diagnostic::warning(
            Location::stack(),
            format!("the template is {bytes} bytes, {}% of the {MAX_INLINE_TEMPLATE_BYTES} bytes CloudFormation accepts inline", bytes * 100 / MAX_INLINE_TEMPLATE_BYTES),
            "nothing to change yet: past the limit, `nephos deploy` uploads it to the staging bucket",
        ));
    }
}
