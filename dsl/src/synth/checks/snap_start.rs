//! SnapStart: which Lambda functions Lambda can snapshot, on every `AWS::Lambda::Function`
//! of the template (the `Function` construct writes `SnapStart` and checks none of this
//! itself, so its functions and the generated `lambda::Function` are checked alike).
//!
//! Source: AWS Lambda Developer Guide, "Improving startup performance with Lambda
//! SnapStart", *Supported features and limitations*
//! (<https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html>): SnapStart supports the
//! managed runtimes Java 11 and later, Python 3.12 and later and .NET 8 and later, and does
//! not support Amazon EFS, ephemeral storage above 512 MB or container images. cfn-lint's
//! rule E2530 applies the same runtime rule, from a list of its own (the registry schema
//! says nothing of SnapStart's runtimes: its `Runtime` is a plain string). The runtimes
//! themselves are the registry schema's `Runtime` values (the generated enum); only the
//! first supported version of each family is kept here.
//!
//! Reported when `SnapStart.ApplyOn` is literally `PublishedVersions`, for what is literal:
//! the `Runtime`, `EphemeralStorage.Size`, `PackageType`; `FileSystemConfigs` when it has
//! an item. A computed value is left to Lambda.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::Expr;

use super::paths::{at, items, literal};

/// Runtime family (the text before the version) and the first version SnapStart
/// supports, compared as dotted numbers.
const SUPPORTED: &[(&str, &[u32])] = &[("java", &[11]), ("python", &[3, 12]), ("dotnet", &[8])];

/// The largest ephemeral storage SnapStart allows, in MB.
const MAX_EPHEMERAL_MB: i64 = 512;

/// Whether SnapStart supports `runtime` (a registry `Runtime` value such as `java21`,
/// `java11.al2023`, `python3.12`, `dotnet8`).
fn supports(runtime: &str) -> bool {
    SUPPORTED.iter().any(|(family, min)| {
        let Some(rest) = runtime.strip_prefix(family) else {
            return false;
        };
        // `dotnetcore3.1` is another family; `java8.al2` carries a suffix after the version.
        let version: Vec<u32> = rest
            .split('.')
            .map_while(|part| part.parse().ok())
            .collect();
        !version.is_empty() && version.as_slice() >= *min
    })
}

/// Checks every `AWS::Lambda::Function` with SnapStart on published versions.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::Lambda::Function") {
        let on = at(r, &["SnapStart", "ApplyOn"])
            .as_deref()
            .and_then(literal)
            == Some("PublishedVersions");
        if !on {
            continue;
        }
        let mut problems = Vec::new();
        if let Some(runtime) = r.field("Runtime").and_then(literal)
            && !supports(runtime)
        {
            problems.push(format!(
                "runtime `{}` is not one SnapStart supports (Java 11+, Python 3.12+, .NET 8+)",
                runtime.escape_debug()
            ));
        }
        if let Some(Expr::Lit(size)) = at(r, &["EphemeralStorage", "Size"]).as_deref()
            && let Some(size) = size.as_i64()
            && size > MAX_EPHEMERAL_MB
        {
            problems.push(format!(
                "ephemeral storage of {size} MB is above the {MAX_EPHEMERAL_MB} MB SnapStart allows"
            ));
        }
        if !items(r.field("FileSystemConfigs")).is_empty() {
            problems.push("a function with SnapStart cannot mount an EFS file system".into());
        }
        if r.field("PackageType").and_then(literal) == Some("Image") {
            problems.push("SnapStart does not support container images".into());
        }
        if !problems.is_empty() {
            let id = &*r.entry.target.id;
            diags.push(Diagnostic::error(
                Location::property(id, "SnapStart"),
                format!(
                    "function `{id}`: {} (AWS Lambda Developer Guide, \"Lambda SnapStart\", supported features and limitations)",
                    problems.join("; ")
                ),
                "use a supported runtime (java11+, python3.12+, dotnet8+) without EFS, container images or ephemeral storage above 512 MB, or drop SnapStart (`.snap_start()` on the `Function` construct)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::supports;

    #[test]
    fn runtimes_follow_the_documented_minimums() {
        for yes in [
            "java11",
            "java11.al2023",
            "java21",
            "java25",
            "python3.12",
            "python3.14",
            "dotnet8",
            "dotnet10",
        ] {
            assert!(supports(yes), "{yes}");
        }
        for no in [
            "java8",
            "java8.al2",
            "python3.11",
            "python3.9",
            "dotnet6",
            "dotnetcore3.1",
            "nodejs22.x",
            "provided.al2023",
            "ruby3.4",
        ] {
            assert!(!supports(no), "{no}");
        }
    }
}
