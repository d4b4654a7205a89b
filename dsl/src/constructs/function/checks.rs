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
    let text = |j: serde_json::Value| j.as_str().map(str::to_string);
    let runtime = function.props().get_json("Runtime").and_then(text);
    let architecture = match function.props().get_json("Architectures") {
        None => Some(Architecture::X8664.as_str().to_string()),
        Some(list) => list.get(0).cloned().and_then(text),
    };
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
