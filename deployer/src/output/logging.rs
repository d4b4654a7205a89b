//! `-v`, `-vv` and `--debug`: diagnostics through `tracing`, on stderr, escaped like all
//! other output.
//!
//! | flags | nephos | the AWS SDK (its request logs) |
//! |---|---|---|
//! | none | warnings | off |
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
/// assert_eq!(directives(0), "warn");
/// assert!(directives(3).contains("aws_smithy_runtime=debug"));
/// ```
pub fn directives(verbosity: u8) -> String {
    let (own, sdk) = match verbosity {
        0 => return "warn".to_owned(),
        1 => ("info", None),
        2 => ("debug", Some("info")),
        _ => ("trace", Some("debug")),
    };
    let mut parts = vec![
        "warn".to_owned(),
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
