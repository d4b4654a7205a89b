//! The `docs-rs` feature: the services docs.rs documents.
//!
//! docs.rs builds the published docs once, with the features `[package.metadata.docs.rs]`
//! names, inside a memory limit (about 6.44 GB by default). rustdoc over every service
//! (`--features all`) peaked at 6.50 GB here, over the limit; without QuickSight (22 MB of
//! generated source, thousands of nested dashboard types) it peaked at 5.78 GB (both
//! measured with `/usr/bin/time -v cargo doc -p nephos --no-deps`, maximum resident set
//! size). Re-measured with the feature itself (`CARGO_INCREMENTAL=0 /usr/bin/time -v cargo
//! doc -p nephos --no-deps --features docs-rs`, stable rustdoc, 2026-12-01): 5,607,688 KB
//! (5.74 GB), 97 s. The rule: `docs-rs` is every service feature except the ones that
//! alone push rustdoc over the limit, [`EXCLUDED`]. A user who needs the excluded docs
//! builds them locally (`cargo doc -p nephos --features quicksight`); asking docs.rs for a
//! higher limit would let `all` back in.

use std::fmt::Write;

use crate::services::Service;

/// The feature docs.rs builds with.
pub const FEATURE: &str = "docs-rs";

/// Service features left out of the docs.rs build, by module name, because their rustdoc
/// memory pushes the build over docs.rs's limit (numbers in the module docs).
pub const EXCLUDED: &[&str] = &["quicksight"];

/// The services of the `docs-rs` feature: every service but [`EXCLUDED`]. Fails when an
/// excluded name is no service, so a renamed service is not silently documented again.
pub fn services(services: &[Service]) -> Result<Vec<&str>, String> {
    for name in EXCLUDED {
        if !services.iter().any(|s| s.module == *name) {
            return Err(format!(
                "docs_rs::EXCLUDED names `{name}`, which is no service feature: update the list"
            ));
        }
    }
    Ok(services
        .iter()
        .map(|s| s.module.as_str())
        .filter(|m| !EXCLUDED.contains(m))
        .collect())
}

/// The `docs-rs = [...]` feature of `dsl/Cargo.toml`.
pub fn feature(services: &[Service]) -> Result<String, String> {
    let mut out = String::from(
        "# Every service but those whose docs push rustdoc over docs.rs's memory limit\n\
         # (dsl/FEATURES.md): what docs.rs builds.\n",
    );
    let _ = writeln!(out, "{FEATURE} = [");
    for module in self::services(services)? {
        let _ = writeln!(out, "  \"{module}\",");
    }
    out.push_str("]\n");
    Ok(out)
}

/// The paragraph of `dsl/FEATURES.md` on the docs.rs build.
pub fn notes() -> String {
    let excluded: Vec<String> = EXCLUDED.iter().map(|m| format!("`{m}`")).collect();
    format!(
        "\n`{FEATURE}` is what docs.rs builds: every service except {}. rustdoc over every\n\
         service peaked at 6.50 GB, over docs.rs's memory limit (about 6.44 GB); without\n\
         QuickSight at 5.78 GB (`/usr/bin/time -v cargo doc -p nephos --no-deps`). Build the\n\
         docs of an excluded service locally: `cargo doc -p nephos --features quicksight`.\n",
        excluded.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(module: &str) -> Service {
        Service {
            namespace: format!("AWS::{module}"),
            module: module.to_string(),
            default: false,
        }
    }

    #[test]
    fn every_service_but_the_excluded_ones() {
        let all = [service("kms"), service("quicksight"), service("s3")];
        assert_eq!(services(&all).unwrap(), ["kms", "s3"]);
        let text = feature(&all).unwrap();
        assert!(text.contains("docs-rs = [\n  \"kms\",\n  \"s3\",\n]\n"));
    }

    #[test]
    fn an_excluded_name_that_is_no_service_fails() {
        let err = services(&[service("kms")]).unwrap_err();
        assert!(err.contains("`quicksight`"), "{err}");
    }
}
