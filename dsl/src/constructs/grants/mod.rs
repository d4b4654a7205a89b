//! Grants: least-privilege statements on a role, merged into the fewest statements.
//!
//! The public way to give a role permissions, for built-in constructs and for constructs
//! users write alike. A [`Grant`] is data: the actions (the lists in [`actions`]), the
//! resources as values, and any policy conditions. [`grant`] adds it to the grantee's
//! inline policy `Grants` and returns what was added; at synth, statements on resources
//! that depend on the role move to a separate `<Role>DependentGrants` policy (see
//! [`grant`]), so a grant never makes a dependency cycle. One file per target service
//! ([`table`], [`bucket`], [`queue`], [`topic`], [`function`], [`key`], [`secret`],
//! [`parameter`], [`state_machine`], [`api`]) holds the grants
//! on that target, keyed on the target's ARN (and its KMS key), so they work on a
//! construct, on a generated handle, and on a resource imported by ARN alike. A
//! [`Target`] is typed by its resource type ([`on`]): a queue grant takes a
//! `Target<on::Queue>`, so another resource's ARN does not compile there.
//!
//! ```
//! use nephos::Stack;
//! use nephos::constructs::grants::{self, Grant, Target};
//! use nephos::constructs::{Code, Function, Runtime};
//! let mut stack = Stack::new("App");
//! let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
//! // A queue of another stack, known by ARN only.
//! let jobs = Target::by_arn("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs");
//! let added = grants::queue::consume(&mut stack, &f, &jobs);
//! assert_eq!(added.len(), 1);
//! // Any actions on any resources, with a condition.
//! let own = Grant::new("reading parameters")
//!     .actions(&["ssm:GetParameter"])
//!     .on("arn:aws:ssm:eu-west-1:123456789012:parameter/app/*")
//!     .condition("StringEquals", "aws:ResourceAccount", "123456789012");
//! assert!(grants::grant(&mut stack, &f, own).is_some());
//! ```

pub mod actions;
pub mod api;
pub mod bucket;
mod dependent;
pub mod encryption_key;
pub mod function;
pub mod key;
pub mod kinesis;
pub(crate) mod merge;
pub mod parameter;
pub mod queue;
#[cfg(feature = "iam")]
pub mod role;
pub mod secret;
mod stack_key;
pub mod state_machine;
pub mod table;
pub mod target;
pub mod topic;

pub use encryption_key::EncryptionKey;
pub use target::{Target, TargetArn, on};

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::policy::Statement;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::value::{IntoValue, Value};

/// The inline policy nephos maintains on a role it grants to.
pub const POLICY_NAME: &str = "Grants";

/// Something permissions can be granted to: a role, or a construct that has one.
pub trait Grantee {
    /// The role that receives the statements; `None` when the role is not managed by
    /// this stack (given by ARN), so statements cannot be attached. Only an
    /// `AWS::IAM::Role` handle gives a [`GranteeRole`], so a grantee whose "role" is
    /// another resource does not compile.
    fn grant_role(&self) -> Option<GranteeRole<'_>>;

    /// How messages name the grantee.
    fn grantee_name(&self) -> String;
}

/// The IAM role of a [`Grantee`]: made only from a generated `AWS::IAM::Role` handle
/// (`GranteeRole::from(&role_handle)`), never from an untyped resource reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GranteeRole<'a>(&'a ResourceRef);

impl GranteeRole<'_> {
    /// The role's resource reference.
    pub fn resource_ref(&self) -> &ResourceRef {
        self.0
    }
}

#[cfg(feature = "iam")]
impl<'a> From<&'a crate::iam::RoleHandle> for GranteeRole<'a> {
    fn from(role: &'a crate::iam::RoleHandle) -> Self {
        GranteeRole(role.resource_ref())
    }
}

#[cfg(feature = "iam")]
impl Grantee for crate::iam::RoleHandle {
    fn grant_role(&self) -> Option<GranteeRole<'_>> {
        Some(self.into())
    }

    fn grantee_name(&self) -> String {
        format!("role `{}`", self.resource_ref().logical_id())
    }
}

/// One grant: `Allow` of actions on resources, under optional policy conditions, with
/// what it is for (named in messages when it cannot be attached).
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    purpose: String,
    actions: BTreeSet<String>,
    resources: Vec<Value<Str>>,
    /// operator -> condition key -> value, as in a policy statement.
    conditions: BTreeMap<String, BTreeMap<String, Value<Any>>>,
}

impl Grant {
    /// An empty grant; `purpose` says what it is for ("consuming the queue").
    pub fn new(purpose: impl Into<String>) -> Self {
        Grant {
            purpose: purpose.into(),
            actions: BTreeSet::new(),
            resources: Vec::new(),
            conditions: BTreeMap::new(),
        }
    }

    /// Adds actions, such as one of the lists in [`actions`].
    pub fn actions(mut self, actions: &[&str]) -> Self {
        self.actions.extend(actions.iter().map(|a| a.to_string()));
        self
    }

    /// Adds a resource: an ARN, a typed ARN value, `*`, or a `sub!` pattern.
    pub fn on(mut self, resource: impl IntoValue<Str>) -> Self {
        self.resources.push(resource.into_value());
        self
    }

    /// Adds a condition: `operator` (such as `StringEquals`), the condition key (such as
    /// `kms:ViaService`) and the value to compare with. The same operator and key given
    /// again adds values rather than replacing them: IAM matches any of the values under
    /// one operator and key, so the grant allows each value given.
    pub fn condition(mut self, operator: &str, key: &str, value: impl IntoValue<Any>) -> Self {
        let keys = self.conditions.entry(operator.to_string()).or_default();
        let value = value.into_value();
        let merged = match keys.remove(key) {
            Some(existing) => Value::from_expr(crate::policy::statement::merge_condition_values(
                existing.expr,
                value.expr,
            )),
            None => Value::from_expr(crate::policy::statement::condition_values(value.expr)),
        };
        keys.insert(key.to_string(), merged);
        self
    }

    /// What the grant is for.
    pub fn purpose(&self) -> &str {
        &self.purpose
    }

    /// The policy statement this grant stands for, before it is merged with others.
    pub fn statement(&self) -> Statement {
        let mut s = Statement::allow()
            .list(
                "Action",
                self.actions.iter().map(|a| Expr::Lit(a.as_str().into())),
            )
            .list("Resource", self.resources.iter().map(|r| r.expr.clone()));
        for (operator, keys) in &self.conditions {
            for (key, value) in keys {
                s = s.condition(operator, key, value);
            }
        }
        s
    }

    fn condition_expr(&self) -> Option<Expr> {
        (!self.conditions.is_empty()).then(|| {
            Expr::Object(
                self.conditions
                    .iter()
                    .map(|(op, keys)| {
                        let keys = keys
                            .iter()
                            .map(|(k, v)| (k.clone(), v.expr.clone()))
                            .collect();
                        (op.clone(), Expr::Object(keys))
                    })
                    .collect(),
            )
        })
    }
}

/// A grant attached to a role: the role, and the statement added for it (the role's
/// policy holds it merged with the others, in the fewest statements).
#[derive(Clone, Debug, PartialEq)]
pub struct Granted {
    /// The role whose policy received the statement.
    pub role: ResourceRef,
    /// The statement the grant added.
    pub statement: Statement,
}

/// Adds `grant` to the grantee's role policy and re-merges it. `None` when it could not
/// be attached (the role is given by ARN, or lives in another stack): synth then fails
/// with an error naming the grantee and the grant's purpose.
///
/// **Resources that depend on the role.** A statement on a resource that waits for the
/// role (a function invoking itself or its alias, a function starting or answering a
/// state machine whose definition names that function, a bucket notifying the function)
/// would make the role wait for it too, a dependency cycle CloudFormation refuses. At
/// synth such statements move out of the role into an `AWS::IAM::RolePolicy`
/// `<Role>DependentGrants` (policy name `DependentGrants`), attached to the role and
/// created after the resources it names; statements that make no cycle stay in the role.
/// Resources that wait for the role with `DependsOn` (an event source mapping) wait for
/// that policy too. What CloudFormation cannot give: the function exists, and may run
/// (a URL, a subscription already delivering), a moment before the separate policy does,
/// since making the function wait for it is the very cycle; until then those calls are
/// refused, as CDK's separate `AWS::IAM::Policy` has it.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Poller", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// // The function invokes itself: the statement cannot be in the role the function names.
/// f.grant_invoke(&mut stack, &f);
/// let t = stack.synth().unwrap();
/// let policy = &t.json()["Resources"]["PollerRoleDependentGrants"];
/// assert_eq!(policy["Type"], "AWS::IAM::RolePolicy");
/// assert_eq!(policy["Properties"]["RoleName"], serde_json::json!({"Ref": "PollerRole"}));
/// ```
pub fn grant(stack: &mut Stack, grantee: &impl Grantee, grant: Grant) -> Option<Granted> {
    let Some(role) = grantee.grant_role() else {
        stack.problem(Diagnostic::error(
            Location::stack(),
            format!(
                "{} cannot receive {}: its role is not an `AWS::IAM::Role` of this stack (given by an ARN from elsewhere), so nephos cannot add to its policy",
                grantee.grantee_name(),
                grant.purpose
            ),
            "attach the permissions to that role where it is defined, give a role of this stack as its `arn()` (`.role(role.arn())`), or let nephos create the role",
        ));
        return None;
    };
    let role = role.resource_ref().clone();
    // A role handle of another type can still be forged by a generated handle's
    // `from_ref`; the resource's type decides.
    if role.type_name() != "AWS::IAM::Role" {
        stack.problem(Diagnostic::error(
            Location::resource(role.logical_id()),
            format!(
                "{} cannot receive {}: its role `{}` is a `{}`, not an `AWS::IAM::Role`",
                grantee.grantee_name(),
                grant.purpose,
                role.logical_id(),
                role.type_name()
            ),
            "make the grantee's `grant_role` return the role's `AWS::IAM::Role` handle",
        ));
        return None;
    }
    let statement = grant.statement();
    let problems = crate::policy::check::statement_problems(&statement, true);
    if !problems.is_empty() {
        stack.problem(Diagnostic::error(
            Location::resource(role.logical_id()),
            format!(
                "{} cannot receive {}: {} (IAM would refuse the statement {})",
                grantee.grantee_name(),
                grant.purpose.escape_debug(),
                problems.join("; "),
                crate::policy::check::shown(&statement)
            ),
            "give the grant at least one action of the form `service:Action` (such as `sqs:SendMessage`), at least one resource (`*` or an ARN), and conditions with IAM's operators (such as `StringEquals`) and `service:key` keys",
        ));
        return None;
    }
    let Some(entry) = stack.entry_mut(&role) else {
        stack.problem(Diagnostic::error(
            Location::resource(role.logical_id()),
            format!(
                "{} is not in stack `{}`, so {} cannot be attached to it",
                grantee.grantee_name(),
                stack.name(),
                grant.purpose
            ),
            "grant within the stack that holds the role",
        ));
        return None;
    };
    let role_id = role.logical_id().to_string();
    let refuse = |stack: &mut Stack, path: &str, value: String| {
        stack.problem(Diagnostic::error(
            Location::property(&role_id, "Policies"),
            format!(
                "{} cannot receive {}: {path} of role `{role_id}` is {value}, so the statement cannot be merged into it (the role would deploy without it)",
                grantee.grantee_name(),
                grant.purpose.escape_debug(),
            ),
            "give the role's `Policies` as a literal list of policies (a condition goes inside a policy's statements, not around the list), or attach the computed permissions as a separate `AWS::IAM::RolePolicy`",
        ));
    };
    let policies = entry
        .props
        .map
        .entry("Policies".to_string())
        .or_insert_with(|| Expr::Array(Vec::new()));
    let shown = crate::value::merge_into::computed(policies);
    let Some(policies) = crate::value::merge_into::array(policies) else {
        refuse(stack, "`Policies`", shown);
        return None;
    };
    let index = policies.iter_mut().position(|p| {
        crate::value::merge_into::object(p).is_some_and(|m| {
            matches!(m.get("PolicyName"), Some(Expr::Lit(serde_json::Value::String(name))) if name == POLICY_NAME)
        })
    });
    // Any other entry that is not a literal policy might be a `Grants` policy too (two
    // would make CloudFormation refuse the role): it cannot be read, so it is refused.
    if index.is_none()
        && let Some(p) = policies.iter().find(|p| !matches!(p, Expr::Object(_)))
    {
        let shown = crate::value::merge_into::computed(p);
        refuse(stack, "an entry of `Policies`", shown);
        return None;
    }
    let index = index.unwrap_or_else(|| {
        let mut doc = ExprMap::new();
        doc.insert("Version".to_string(), Expr::Lit("2012-10-17".into()));
        doc.insert("Statement".to_string(), Expr::Array(Vec::new()));
        let mut p = ExprMap::new();
        p.insert("PolicyName".to_string(), Expr::Lit(POLICY_NAME.into()));
        p.insert("PolicyDocument".to_string(), Expr::Object(doc));
        policies.push(Expr::Object(p));
        policies.len() - 1
    });
    let policy = crate::value::merge_into::object(&mut policies[index])?;
    let doc = policy
        .entry("PolicyDocument".to_string())
        .or_insert_with(|| Expr::Object(ExprMap::new()));
    let shown = crate::value::merge_into::computed(doc);
    let Some(doc) = crate::value::merge_into::object(doc) else {
        refuse(
            stack,
            "the `PolicyDocument` of policy `Grants` in `Policies`",
            shown,
        );
        return None;
    };
    let statements = doc
        .entry("Statement".to_string())
        .or_insert_with(|| Expr::Array(Vec::new()));
    let shown = crate::value::merge_into::computed(statements);
    let Some(statements) = crate::value::merge_into::items(statements) else {
        refuse(
            stack,
            "the `Statement` of policy `Grants` in `Policies`",
            shown,
        );
        return None;
    };
    let condition = grant.condition_expr();
    let mut added = merge::Grant {
        actions: grant.actions,
        resources: grant.resources.into_iter().map(|r| r.expr).collect(),
        condition,
    };
    if !merge::add_in_place(statements, &mut added) {
        // Each statement is read once; the ones grants did not write are moved back as
        // they are.
        let mut grants: Vec<merge::Grant> = Vec::with_capacity(statements.len() + 1);
        let mut foreign: Vec<Expr> = Vec::new();
        for s in std::mem::take(statements) {
            match merge::from_owned(s) {
                Ok(g) => grants.push(g),
                Err(s) => foreign.push(s),
            }
        }
        grants.push(added);
        let merged = merge::merge(grants);
        statements.reserve(foreign.len() + merged.len());
        statements.extend(foreign);
        statements.extend(merged.into_iter().map(merge::to_expr));
    }
    if !stack.split_policies.contains_key(&role.target.id) {
        stack.split_policy(dependent::split(&role.target));
    }
    Some(Granted { role, statement })
}
