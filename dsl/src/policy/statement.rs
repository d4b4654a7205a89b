//! [`Statement`]: one statement of a policy document.

use std::collections::BTreeMap;

use crate::policy::principal::Principal;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::kind::{Any, Str};
use crate::value::value::IntoValue;

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

/// One policy statement: effect, actions, resources, principals and conditions.
///
/// ```
/// use nephos::policy::Statement;
/// let s = Statement::deny().action("s3:DeleteObject").resource("*")
///     .condition("Bool", "aws:SecureTransport", "false");
/// # let _ = s;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    effect: Effect,
    sid: Option<String>,
    /// List-valued elements (`Action`, `NotAction`, `Resource`, `NotResource`).
    pub(crate) lists: BTreeMap<&'static str, Vec<Expr>>,
    /// `Principal` or `NotPrincipal`, by principal type.
    pub(crate) principals: BTreeMap<&'static str, BTreeMap<&'static str, Vec<Expr>>>,
    /// operator -> condition key -> value.
    pub(crate) conditions: BTreeMap<String, ExprMap>,
}

impl Statement {
    /// A statement with the given effect.
    pub fn new(effect: Effect) -> Self {
        Statement {
            effect,
            sid: None,
            lists: BTreeMap::new(),
            principals: BTreeMap::new(),
            conditions: BTreeMap::new(),
        }
    }

    /// An `Allow` statement.
    pub fn allow() -> Self {
        Statement::new(Effect::Allow)
    }

    /// A `Deny` statement.
    pub fn deny() -> Self {
        Statement::new(Effect::Deny)
    }

    /// Sets the statement id (`Sid`).
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    fn push(mut self, element: &'static str, item: Expr) -> Self {
        self.lists.entry(element).or_default().push(item);
        self
    }

    /// Adds `items` to the list element `element` at once, as pushing each would (a
    /// grant's actions and resources); no entry is made for no items.
    pub(crate) fn list(mut self, element: &'static str, items: impl Iterator<Item = Expr>) -> Self {
        let mut items = items.peekable();
        if items.peek().is_some() {
            self.lists.entry(element).or_default().extend(items);
        }
        self
    }

    /// Adds an action, such as `s3:GetObject` or `dynamodb:*`.
    pub fn action(self, action: &str) -> Self {
        self.push("Action", Expr::Lit(action.into()))
    }

    /// Adds several actions.
    pub fn actions<'a>(self, actions: impl IntoIterator<Item = &'a str>) -> Self {
        actions.into_iter().fold(self, Statement::action)
    }

    /// Adds an action the statement does not apply to (`NotAction`).
    pub fn not_action(self, action: &str) -> Self {
        self.push("NotAction", Expr::Lit(action.into()))
    }

    /// Adds a resource: an ARN, a typed ARN value, `*`, or a `sub!` pattern.
    pub fn resource(self, arn: impl IntoValue<Str>) -> Self {
        self.push("Resource", arn.into_value().expr)
    }

    /// Adds a resource the statement does not apply to (`NotResource`).
    pub fn not_resource(self, arn: impl IntoValue<Str>) -> Self {
        self.push("NotResource", arn.into_value().expr)
    }

    fn add_principal(mut self, element: &'static str, p: Principal) -> Self {
        self.principals
            .entry(element)
            .or_default()
            .entry(p.kind)
            .or_default()
            .push(p.value);
        self
    }

    /// Adds a principal (resource and trust policies).
    pub fn principal(self, principal: Principal) -> Self {
        self.add_principal("Principal", principal)
    }

    /// Adds a principal the statement does not apply to (`NotPrincipal`).
    pub fn not_principal(self, principal: Principal) -> Self {
        self.add_principal("NotPrincipal", principal)
    }

    /// Adds a condition: `operator` (such as `StringEquals` or `ArnLike`), the condition
    /// key (such as `aws:SourceArn`) and the value to compare with. The same operator
    /// and key given again adds values rather than replacing: IAM matches any of them.
    ///
    /// ```
    /// use nephos::policy::Statement;
    /// let s = Statement::allow().action("s3:GetObject").resource("*")
    ///     .condition("StringEquals", "aws:PrincipalTag/team", "a")
    ///     .condition("StringEquals", "aws:PrincipalTag/team", "b");
    /// let json = nephos::policy::PolicyDocument::new().statement(s);
    /// let json = nephos::IntoValue::<nephos::policy::PolicyDocument>::into_value(json).to_json();
    /// assert_eq!(json["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalTag/team"], serde_json::json!(["a", "b"]));
    /// ```
    pub fn condition(mut self, operator: &str, key: &str, value: impl IntoValue<Any>) -> Self {
        let keys = self.conditions.entry(operator.to_string()).or_default();
        let value = value.into_value().expr;
        let merged = match keys.remove(key) {
            Some(existing) => merge_condition_values(existing, value),
            None => condition_values(value),
        };
        keys.insert(key.to_string(), merged);
        self
    }

    pub(crate) fn into_expr(self) -> Expr {
        let mut map = ExprMap::new();
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        map.insert("Effect".to_string(), Expr::Lit(effect.into()));
        if let Some(sid) = self.sid {
            map.insert("Sid".to_string(), Expr::Lit(sid.into()));
        }
        for (element, items) in self.lists {
            map.insert(element.to_string(), Expr::Array(items));
        }
        for (element, by_kind) in self.principals {
            // `*` stands alone: it cannot share the element with typed principals.
            let value = if by_kind.contains_key("*") {
                Expr::Lit("*".into())
            } else {
                Expr::Object(
                    by_kind
                        .into_iter()
                        .map(|(kind, values)| (kind.to_string(), Expr::Array(values)))
                        .collect(),
                )
            };
            map.insert(element.to_string(), value);
        }
        if !self.conditions.is_empty() {
            let conditions = self
                .conditions
                .into_iter()
                .map(|(op, keys)| (op, Expr::Object(keys)))
                .collect();
            map.insert("Condition".to_string(), Expr::Object(conditions));
        }
        Expr::Object(map)
    }
}

/// A statement as a JSON value: what [`Stack::edit_statements`] lists a policy's
/// statements as, so a wiring can compare a statement with those there and add it once.
///
/// ```
/// use nephos::{IntoValue, Value, kind::Any, policy::Statement};
/// let s: Value<Any> = Statement::allow().action("sqs:SendMessage").resource("*").into_value();
/// assert_eq!(s.to_json()["Action"], serde_json::json!(["sqs:SendMessage"]));
/// ```
///
/// [`Stack::edit_statements`]: crate::Stack::edit_statements
impl IntoValue<Any> for Statement {
    fn into_value(self) -> crate::Value<Any> {
        crate::Value::from_expr(self.into_expr())
    }
}

/// The values of one condition operator and key given twice, as IAM reads them: any of
/// them matches (values under one operator and key are ORed; AWS IAM User Guide,
/// "Creating a condition with multiple keys or values"). One list, in a canonical order
/// (IAM's OR does not depend on it, so the bytes and statement merges must not either),
/// each value once; the same value twice stays a single value.
pub(crate) fn merge_condition_values(existing: Expr, value: Expr) -> Expr {
    if existing == value {
        return existing;
    }
    // A literal list (however given) is its values; a value that may be a list only at
    // deploy time (a parameter, `Fn::Split`, `Fn::If`...) cannot be flattened here, and
    // a list inside the list is refused by IAM.
    let items = |e: Expr| match e {
        Expr::Lit(serde_json::Value::Array(items)) => {
            items.into_iter().map(Expr::from_json).collect()
        }
        Expr::Array(items) => items,
        other => vec![other],
    };
    let mut merged: Vec<Expr> = Vec::new();
    for item in items(existing).into_iter().chain(items(value)) {
        if let Some(name) = may_be_list(&item) {
            return Expr::Invalid(
                format!(
                    "a policy condition's values for one operator and key merge a value computed by `{name}`, which may be a list, with other values: the result would be a list inside a list, which IAM refuses"
                ),
                "give all the values of the operator and key in one call: a list of single values, or one list-valued parameter holding them all".to_string(),
            );
        }
        if !merged.contains(&item) {
            merged.push(item);
        }
    }
    canonical(merged)
}

/// A condition's value as given the first time: a literal list of several values in
/// canonical order, each once (see [`merge_condition_values`]); anything else as it is.
pub(crate) fn condition_values(value: Expr) -> Expr {
    match value {
        Expr::Lit(serde_json::Value::Array(items)) if items.len() > 1 => {
            canonical(items.into_iter().map(Expr::from_json).collect())
        }
        Expr::Array(items) if items.len() > 1 => canonical(items),
        other => other,
    }
}

/// `values` sorted by their JSON and each kept once.
fn canonical(values: Vec<Expr>) -> Expr {
    let mut keyed: Vec<(String, Expr)> = values
        .into_iter()
        .map(|v| (v.to_json().to_string(), v))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    Expr::Array(keyed.into_iter().map(|(_, v)| v).collect())
}

/// The intrinsic computing `e` when it may give a list at deploy time.
fn may_be_list(e: &Expr) -> Option<&'static str> {
    use crate::value::expr::TargetKind;
    match e {
        Expr::Ref(t) if t.kind == TargetKind::Parameter => Some("Ref"),
        Expr::Split(..)
        | Expr::GetAzs(_)
        | Expr::Cidr(..)
        | Expr::If(..)
        | Expr::FindInMap { .. } => e.intrinsic_name(),
        _ => None,
    }
}
