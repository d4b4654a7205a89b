//! What Lambda would refuse of a [`Function`](super::Function), checked on the final
//! builder at synth: its limits (timeout, memory, ephemeral storage) and the runtimes and
//! architectures its layers declare.

use crate::lambda::function::Architectures as Architecture;
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;

/// The most layers a function takes (AWS Lambda Developer Guide, "Lambda quotas").
const MAX_LAYERS: usize = 5;

/// A layer a function takes, with the runtimes and architectures it declares.
#[derive(Clone, Debug)]
pub(super) struct LayerUse {
    pub(super) name: String,
    pub(super) runtimes: Option<Vec<String>>,
    pub(super) architectures: Option<Vec<String>>,
}

/// Reports each layer that declares runtimes or architectures lacking the function's
/// (read from the final builder; Lambda's default architecture is x86_64).
pub(super) fn check_layers(
    stack: &mut Stack,
    id: &str,
    function: &crate::lambda::Function,
    layers: &[LayerUse],
) {
    // Lambda's limit (the schema's `maxItems`, which synth's literal checks do not
    // apply to lists): five layers per function.
    let count = function
        .props()
        .get_json("Layers")
        .and_then(|l| l.as_array().map(Vec::len))
        .unwrap_or(0);
    if count > MAX_LAYERS {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(id, "Layers"),
            format!("function `{id}` takes {count} layers, over Lambda's {MAX_LAYERS}"),
            "merge layers, or drop some",
        ));
    }
    // The function's runtime and architecture are read only to compare with layers.
    if layers.is_empty() {
        return;
    }
    let text = |j: serde_json::Value| j.as_str().map(str::to_string);
    let runtime = function.props().get_json("Runtime").and_then(text);
    let architecture = match function.props().get_json("Architectures") {
        None => Some(Architecture::X8664.as_str().to_string()),
        Some(list) => list.get(0).cloned().and_then(text),
    };
    for layer in layers {
        for (what, have, declared) in [
            ("runtime", &runtime, &layer.runtimes),
            ("architecture", &architecture, &layer.architectures),
        ] {
            let (Some(have), Some(declared)) = (have, declared) else {
                continue;
            };
            if !declared.contains(have) {
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(id, "Layers"),
                    format!(
                        "function `{id}` has {what} `{}`, which {} does not declare (it declares {})",
                        have.escape_debug(),
                        layer.name,
                        declared.join(", ")
                    ),
                    format!("build the layer for `{}` and add it to its compatible {what}s, or use a layer built for it", have.escape_debug()),
                ));
            }
        }
    }
}

/// Lambda's limits for the functions this construct creates (AWS Lambda Developer Guide,
/// "Lambda quotas": timeout up to 900 seconds, memory 128 to 10,240 MB). The registry
/// schema allows more (5,400 s, 32,768 MB) because it also covers functions on Lambda
/// Managed Instances and durable functions, which this construct does not create.
pub(super) const TIMEOUT_SECONDS: (i64, i64) = (1, 900);
pub(super) const MEMORY_MB: (i64, i64) = (128, 10_240);
/// Ephemeral storage (`/tmp`), same quotas page: 512 MB to 10,240 MB (the schema allows
/// up to 32,768 for the same reason as above).
const EPHEMERAL_MB: (i64, i64) = (512, 10_240);

/// Reports a literal `property` of `function` outside `range`.
pub(super) fn check_range(
    stack: &mut Stack,
    id: &str,
    function: &crate::lambda::Function,
    property: &str,
    (min, max): (i64, i64),
    unit: &str,
) {
    // A computed value (an object: `Ref`, `Fn::If`...) is known only at deploy time.
    let Some(n) = function
        .props()
        .get_json(property)
        .filter(|n| !n.is_object())
    else {
        return;
    };
    if n.as_i64().is_some_and(|n| (min..=max).contains(&n)) {
        return;
    }
    stack.problem(crate::Diagnostic::error(
        crate::Location::property(id, property),
        format!("{property} {n} is outside what Lambda allows ({min} to {max} {unit})"),
        format!("give a value from {min} to {max}"),
    ));
}

/// Reports a literal ephemeral storage size outside what Lambda allows.
pub(super) fn check_ephemeral(stack: &mut Stack, id: &str, function: &crate::lambda::Function) {
    let Some(size) = function
        .props()
        .get_json("EphemeralStorage")
        .and_then(|e| e.get("Size").cloned())
        .filter(|n| !n.is_object())
    else {
        return;
    };
    let (min, max) = EPHEMERAL_MB;
    if size.as_i64().is_some_and(|n| (min..=max).contains(&n)) {
        return;
    }
    stack.problem(crate::Diagnostic::error(
        crate::Location::property(id, "EphemeralStorage"),
        format!("EphemeralStorage.Size {size} is outside what Lambda allows ({min} to {max} MB)"),
        format!("give a size from {min} to {max} MB"),
    ));
}

/// The environment variable keys Lambda sets itself and refuses in a function's
/// configuration (AWS Lambda Developer Guide, "Defined runtime environment variables",
/// the reserved ones).
const RESERVED_ENV: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// What Lambda refuses of an environment variable key: a reserved one, or one not
/// matching `[a-zA-Z]([a-zA-Z0-9_])+` (AWS Lambda API Reference, `Environment`).
pub(super) fn env_key_problem(key: &str) -> Option<String> {
    let shown = key.escape_debug();
    if RESERVED_ENV.contains(&key) {
        return Some(format!("`{shown}` is reserved: Lambda sets it itself"));
    }
    let mut chars = key.chars();
    let starts = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest: Vec<char> = chars.collect();
    if !starts || rest.is_empty() || !rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == '_') {
        return Some(format!(
            "`{shown}` is not a name Lambda takes (a letter, then one or more letters, digits or `_`)"
        ));
    }
    None
}

/// Reports each environment variable key of the final builder Lambda refuses.
pub(super) fn check_env(stack: &mut Stack, id: &str, function: &crate::lambda::Function) {
    // The keys only: read in place, not rendered to JSON.
    let Some(keys) = function.props().object_keys("Environment", &["Variables"]) else {
        return;
    };
    for key in &keys {
        if let Some(problem) = env_key_problem(key) {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "Environment.Variables"),
                format!("the environment variable {problem}"),
                "rename the variable (for the region, read `AWS_REGION`, which Lambda sets)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::env_key_problem;

    #[test]
    fn env_keys_follow_lambdas_pattern_and_reserved_list() {
        for ok in [
            "TABLE",
            "ab",
            "A_1",
            "aws_region",
            "AWS_LAMBDA_EXEC_WRAPPER",
        ] {
            assert_eq!(env_key_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("AWS_REGION", "reserved"),
            ("_HANDLER", "reserved"),
            ("LAMBDA_TASK_ROOT", "reserved"),
            ("1BAD", "not a name"),
            ("A", "not a name"),
            ("", "not a name"),
            ("A-B", "not a name"),
            ("É1", "not a name"),
        ] {
            let p = env_key_problem(bad).unwrap_or_default();
            assert!(p.contains(why), "{bad}: {p}");
        }
    }
}
