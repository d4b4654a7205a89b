//! `-v`, `-vv` and `--debug`: diagnostics through `tracing`, on stderr, escaped like all
//! other output.
//!
//! | flags | nephos | the AWS SDK (its request logs) |
//! |---|---|---|
//! | none | warnings | off (other crates too) |
//! | `-v` | info | off |
//! | `-vv` | debug | info |
//! | `--debug` (or `-vvv`) | trace | debug: each request, attempt, retry and response |
//!
//! `NEPHOS_LOG` (an `EnvFilter` directive list, e.g. `nephos_cli=debug,aws_smithy_runtime=trace`)
//! replaces the table.

use tracing_subscriber::EnvFilter;

use super::escape::{EscapingWriter, MAX_LINE_CHARS};

/// The crates whose events are the SDK's request logs.
const SDK_TARGETS: &[&str] = &[
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_sdk_cloudformation",
    "aws_sdk_cloudwatchlogs",
    "aws_sdk_s3",
    "aws_sdk_sts",
    "aws_sdk_iam",
    "aws_config",
];

/// The filter directives for a verbosity (0 = none, 1 = `-v`, 2 = `-vv`, 3+ = `--debug`).
///
/// # Example
/// ```
/// use nephos_cli::output::logging::directives;
/// assert_eq!(directives(0), "off,nephos_cli=warn,nephos=warn");
/// assert!(directives(3).contains("aws_smithy_runtime=debug"));
/// ```
pub fn directives(verbosity: u8) -> String {
    // Other crates stay silent below --debug: the SDK's own warnings (an unreachable
    // instance metadata service, say) would repeat what nephos says in its one error line.
    let (rest, own, sdk) = match verbosity {
        0 => ("off", "warn", None),
        1 => ("off", "info", None),
        2 => ("off", "debug", Some("info")),
        _ => ("warn", "trace", Some("debug")),
    };
    let mut parts = vec![
        rest.to_owned(),
        format!("nephos_cli={own}"),
        format!("nephos={own}"),
    ];
    if let Some(level) = sdk {
        parts.extend(SDK_TARGETS.iter().map(|t| format!("{t}={level}")));
    }
    parts.join(",")
}

/// Installs the subscriber for this process (once; a second call does nothing). Events go
/// to stderr through the escaping writer: SDK logs quote what AWS answered.
pub fn init(verbosity: u8) {
    let filter = match std::env::var("NEPHOS_LOG") {
        Ok(d) if !d.trim().is_empty() => EnvFilter::try_new(d).unwrap_or_else(|e| {
            eprintln!(
                "warning: NEPHOS_LOG ignored: {}",
                super::escape::escape_line(&e.to_string())
            );
            EnvFilter::new(directives(verbosity))
        }),
        _ => EnvFilter::new(directives(verbosity)),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Tracing's own colours are not among the sequences the escaper lets through.
        .with_ansi(false)
        .with_writer(|| EscapingWriter::bounded(std::io::stderr(), false, MAX_LINE_CHARS))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_speaks_only_from_vv_on_and_requests_only_at_debug() {
        assert!(!directives(0).contains("aws") && directives(0).starts_with("off,"));
        assert!(!directives(1).contains("aws"));
        assert!(directives(2).contains("aws_smithy_runtime=info"));
        assert!(directives(3).contains("aws_smithy_runtime=debug"));
        for v in 0..4 {
            assert!(EnvFilter::try_new(directives(v)).is_ok());
        }
    }
}
