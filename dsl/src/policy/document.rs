//! [`PolicyDocument`]: the top level of a policy (Version, Id, Statement).

use crate::policy::statement::Statement;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::kind::{Json, Kind};
use crate::value::value::{IntoValue, Value};

/// The policy language version every current policy uses.
const VERSION: &str = "2012-10-17";

/// An IAM policy document. It is also the kind of the properties that hold one, so a
/// property typed as a policy takes a `PolicyDocument`, a `Value<PolicyDocument>` (from
/// [`fn_if`](crate::fn_if)), or an explicit [`PolicyDocument::from_json`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    id: Option<String>,
    statements: Vec<Expr>,
}

impl PolicyDocument {
    /// An empty document of version `2012-10-17`.
    pub fn new() -> Self {
        PolicyDocument::default()
    }

    /// Sets the optional `Id`.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Appends a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement.into_expr());
        self
    }

    /// An existing policy written as JSON: the explicit way around the typed builder.
    ///
    /// ```
    /// use nephos::{Value, policy::PolicyDocument};
    /// let doc: Value<PolicyDocument> = PolicyDocument::from_json(serde_json::json!({"Version": "2012-10-17", "Statement": []}));
    /// assert!(doc.is_literal());
    /// ```
    pub fn from_json(document: serde_json::Value) -> Value<PolicyDocument> {
        Value::from_expr(Expr::Lit(document))
    }
}

impl Kind for PolicyDocument {
    const NAME: &'static str = "IAM policy document";
}

impl IntoValue<PolicyDocument> for PolicyDocument {
    fn into_value(self) -> Value<PolicyDocument> {
        let mut map = ExprMap::new();
        map.insert("Version".to_string(), Expr::Lit(VERSION.into()));
        if let Some(id) = self.id {
            map.insert("Id".to_string(), Expr::Lit(id.into()));
        }
        map.insert("Statement".to_string(), Expr::Array(self.statements));
        Value::from_expr(Expr::Object(map))
    }
}

/// A policy is JSON, so it also goes where any JSON document is accepted.
impl IntoValue<Json> for PolicyDocument {
    fn into_value(self) -> Value<Json> {
        Value::from_expr(IntoValue::<PolicyDocument>::into_value(self).expr)
    }
}
