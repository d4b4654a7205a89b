//! What the service integrations of a [`Task`](super::Task) share: the
//! `arn:${Partition}:states:::<service>:<api>` resource with the integration pattern's
//! suffix, and the [`Payload`] a task sends, with the task token a callback task hands
//! over (Step Functions Developer Guide, "Integrating services with Step Functions" and
//! "Discover service integration patterns").

use serde_json::{Map as JMap, Value as J, json};

use super::flow::path_problem;
use super::render::Render;

/// The `Resource` of a task calling `api` (such as `sns:publish`) with the pattern's
/// `suffix` (empty: request-response; `.sync:2`, `.waitForTaskToken`): the whole ARN,
/// `arn:${AWS::Partition}:states:::<api><suffix>`, is one `DefinitionSubstitutions`
/// entry (`${SnsPublish}`), so the partition is the stack's and the definition is still
/// one cfn-lint can check (it takes a `Resource` that is an ARN of the `aws` partition or
/// a substitution, not an ARN with a substitution inside).
pub(super) fn resource(render: &mut Render, api: &str, suffix: &str) -> J {
    let call = format!("{api}{suffix}");
    let base: String = call
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    let arn = crate::sub(&format!("arn:${{AWS::Partition}}:states:::{call}"), []);
    let key = render.named(&base, &arn);
    json!(format!("${{{key}}}"))
}

/// The suffix of the `.waitForTaskToken` pattern: the task waits until the token it
/// sends comes back with `SendTaskSuccess` or `SendTaskFailure`.
pub(super) const WAIT_FOR_TASK_TOKEN: &str = ".waitForTaskToken";

/// What a task sends (a message, an event's detail, an execution's input): the state's
/// input (unless set), the value at a path of it, or fixed JSON.
///
/// ```
/// use nephos::constructs::state_machine::Payload;
/// let p = Payload::at("$.order");
/// # let _ = (p, Payload::input(), Payload::json(serde_json::json!({"kind": "ping"})));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// The state's whole input (`$`).
    Input,
    /// The value at a path of the input (`$.order`).
    At(String),
    /// Fixed JSON.
    Json(J),
}

impl Payload {
    /// The state's whole input.
    pub fn input() -> Self {
        Payload::Input
    }
    /// The value at `path` of the input (`$.order`).
    pub fn at(path: impl Into<String>) -> Self {
        Payload::At(path.into())
    }
    /// Fixed JSON.
    pub fn json(value: J) -> Self {
        Payload::Json(value)
    }

    /// The payload with the task token, as a callback task sends it: an object
    /// `{"input": <payload>, "taskToken": <token>}` (the receiver answers with
    /// `SendTaskSuccess` or `SendTaskFailure` and that token).
    pub(super) fn with_token(&self) -> Payload {
        let mut m = JMap::new();
        match self {
            Payload::Input => m.insert("input.$".into(), json!("$")),
            Payload::At(p) => m.insert("input.$".into(), json!(p)),
            Payload::Json(v) => m.insert("input".into(), v.clone()),
        };
        m.insert("taskToken.$".into(), json!("$$.Task.Token"));
        Payload::Json(J::Object(m))
    }

    /// Writes it as `field` (`field.$` for a path).
    pub(super) fn write(&self, field: &str, m: &mut JMap<String, J>) {
        match self {
            Payload::Input => m.insert(format!("{field}.$"), json!("$")),
            Payload::At(p) => m.insert(format!("{field}.$"), json!(p)),
            Payload::Json(v) => m.insert(field.to_string(), v.clone()),
        };
    }

    pub(super) fn problems(&self, field: &str, out: &mut Vec<String>) {
        if let Payload::At(p) = self {
            path_problem(field, p, out);
        }
    }
}
