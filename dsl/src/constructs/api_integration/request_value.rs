//! [`RequestValue`]: a value taken from the request (or written out) and mapped into an
//! integration's parameter: an HTTP API's parameter mapping (`$request.body.name`) or a
//! REST API's mapping template (`$input.path('$.name')`).
//!
//! Facts from the API Gateway Developer Guide: "Transforming API requests and responses"
//! for HTTP APIs (`$request.body`, `$request.header.<name>`, `$request.querystring.<name>`,
//! `$request.path.<name>`, `$context.<name>`) and "Mapping template reference" for REST
//! APIs (`$input.body`, `$input.path(..)`, `$input.params()`, `$util.escapeJavaScript`,
//! whose `\'` is not JSON and is undone with `.replaceAll("\\'","'")`).

/// A value taken from the request (or written out) and mapped into an AWS service
/// action's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestValue {
    /// The whole request body (`$request.body`).
    Body,
    /// A field of a JSON body, by JSONPath below the root (`$request.body.<path>`).
    BodyField(String),
    /// A request header (`$request.header.<name>`).
    Header(String),
    /// A query string parameter (`$request.querystring.<name>`).
    Query(String),
    /// A path parameter of the route (`$request.path.<name>`).
    PathParameter(String),
    /// A context variable (`$context.<name>`), such as `requestId`.
    Context(String),
    /// A fixed value.
    Fixed(String),
}

impl RequestValue {
    /// The mapping expression an HTTP API evaluates.
    pub fn expression(&self) -> String {
        match self {
            RequestValue::Body => "$request.body".to_string(),
            RequestValue::BodyField(p) => format!("$request.body.{p}"),
            RequestValue::Header(n) => format!("$request.header.{n}"),
            RequestValue::Query(n) => format!("$request.querystring.{n}"),
            RequestValue::PathParameter(n) => format!("$request.path.{n}"),
            RequestValue::Context(n) => format!("$context.{n}"),
            RequestValue::Fixed(v) => v.clone(),
        }
    }

    /// The text a REST API's mapping template writes between the quotes of a JSON
    /// string: the value escaped for JSON whatever the caller sent (a quote in a header
    /// cannot end the string and add a field). A fixed value is written as it is; it is
    /// checked by [`Self::template_problem`].
    pub fn template_string(&self) -> String {
        let escaped =
            |expr: &str| format!("$util.escapeJavaScript({expr}).replaceAll(\"\\\\'\",\"'\")");
        match self {
            RequestValue::Body => escaped("$input.body"),
            RequestValue::BodyField(p) => escaped(&format!("$input.path('$.{p}')")),
            RequestValue::Header(n) => escaped(&format!("$input.params().header.get('{n}')")),
            RequestValue::Query(n) => escaped(&format!("$input.params().querystring.get('{n}')")),
            RequestValue::PathParameter(n) => escaped(&format!("$input.params().path.get('{n}')")),
            RequestValue::Context(n) => escaped(&format!("$context.{n}")),
            RequestValue::Fixed(v) => v.clone(),
        }
    }

    /// Why API Gateway would refuse this value in an HTTP API's parameter mapping.
    pub fn problem(&self) -> Option<String> {
        let name = match self {
            RequestValue::Body => return None,
            RequestValue::Fixed(v) if v.is_empty() => {
                return Some("a fixed value is empty".to_string());
            }
            RequestValue::Fixed(v) if v.starts_with('$') => {
                return Some(format!(
                    "the fixed value `{}` starts with `$`, which API Gateway reads as a mapping expression",
                    v.escape_debug()
                ));
            }
            RequestValue::Fixed(_) => return None,
            RequestValue::BodyField(n)
            | RequestValue::Header(n)
            | RequestValue::Query(n)
            | RequestValue::PathParameter(n)
            | RequestValue::Context(n) => n,
        };
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        (!ok).then(|| {
            format!(
                "`{}` is not a name API Gateway can map (letters, digits, `-`, `_`, `.`)",
                self.expression().escape_debug()
            )
        })
    }

    /// Why this value cannot go into a REST API's mapping template: what
    /// [`Self::problem`] refuses, and a fixed value the template language or JSON would
    /// read as more than text.
    pub fn template_problem(&self) -> Option<String> {
        if let RequestValue::Fixed(v) = self {
            return template_text_problem(v).map(|p| format!("the fixed value {p}"));
        }
        self.problem()
    }
}

/// Why `text` cannot be written as it is inside a JSON string of a REST mapping template
/// (and of the `Fn::Sub` that carries it): `$` and `#` start template expressions and
/// directives, `"` and `\` end or escape the JSON string, control characters are not
/// JSON. `None` when it can.
pub(super) fn template_text_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some("`` is empty".to_string());
    }
    text.chars()
        .find(|c| matches!(c, '$' | '#' | '"' | '\\') || c.is_control())
        .map(|c| {
            format!(
                "`{}` contains `{}`, which a mapping template would read as more than text",
                text.escape_debug(),
                c.escape_debug()
            )
        })
}
