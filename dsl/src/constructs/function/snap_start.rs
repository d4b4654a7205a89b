//! SnapStart: which functions Lambda can snapshot, checked at synth.
//!
//! Source: AWS Lambda Developer Guide, "Improving startup performance with Lambda
//! SnapStart", *Supported features and limitations*: SnapStart supports the managed
//! runtimes Java 11 and later, Python 3.12 and later and .NET 8 and later, and does not
//! support Amazon EFS, ephemeral storage above 512 MB or container images (cfn-lint's
//! rule E2530 applies the same runtime rule). The runtimes themselves are the
//! registry schema's `Runtime` values (the generated enum); only the first supported
//! version of each family is kept here.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;

/// Runtime family (the text before the version) and the first version SnapStart
/// supports, compared as dotted numbers.
const SUPPORTED: &[(&str, &[u32])] = &[("java", &[11]), ("python", &[3, 12]), ("dotnet", &[8])];

/// The largest ephemeral storage SnapStart allows, in MB.
pub(super) const MAX_EPHEMERAL_MB: i64 = 512;

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

/// Reports what Lambda would refuse about `function`'s SnapStart: a runtime it does not
/// support, ephemeral storage above 512 MB, a file system, container-image code. Read
/// from the final builder, so SnapStart set by `configure` is checked too.
pub(super) fn check(stack: &mut Stack, id: &str, function: &crate::lambda::Function) {
    let props = function.props();
    let on = props
        .get_json("SnapStart")
        .and_then(|s| s.get("ApplyOn").cloned())
        .is_some_and(|a| a == "PublishedVersions");
    if !on {
        return;
    }
    let mut problems = Vec::new();
    match props.get_json("Runtime") {
        Some(serde_json::Value::String(r)) if !supports(&r) => problems.push(format!(
            "runtime `{}` is not one SnapStart supports (Java 11+, Python 3.12+, .NET 8+)",
            r.escape_debug()
        )),
        _ => {}
    }
    if let Some(size) = props
        .get_json("EphemeralStorage")
        .and_then(|e| e.get("Size").and_then(serde_json::Value::as_i64))
        && size > MAX_EPHEMERAL_MB
    {
        problems.push(format!(
            "ephemeral storage of {size} MB is above the {MAX_EPHEMERAL_MB} MB SnapStart allows"
        ));
    }
    if props.contains("FileSystemConfigs") {
        problems.push("a function with SnapStart cannot mount an EFS file system".into());
    }
    if props.get_json("PackageType").is_some_and(|p| p == "Image") {
        problems.push("SnapStart does not support container images".into());
    }
    if !problems.is_empty() {
        stack.problem(Diagnostic::error(
            Location::property(id, "SnapStart"),
            format!(
                "function `{id}`: {} (AWS Lambda Developer Guide, \"Lambda SnapStart\", supported features and limitations)",
                problems.join("; ")
            ),
            "use a supported runtime (java11+, python3.12+, dotnet8+) without EFS, container images or ephemeral storage above 512 MB, or drop `.snap_start()`",
        ));
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
