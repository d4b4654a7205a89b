//! Grants: least-privilege statements on a role, merged into the fewest statements.

pub(crate) mod actions;
pub(crate) mod merge;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;

use merge::{Grant, from_expr, merge, to_expr};

/// The inline policy nephos maintains on a role it grants to.
pub(crate) const POLICY_NAME: &str = "Grants";

/// Something permissions can be granted to: a role, or a construct that has one.
pub trait Grantee {
    /// The role that receives the statements; `None` when the role is not managed by
    /// this stack (given by ARN), so statements cannot be attached.
    fn grant_role(&self) -> Option<&ResourceRef>;

    /// How messages name the grantee.
    fn grantee_name(&self) -> String;
}

#[cfg(feature = "iam")]
impl Grantee for crate::iam::RoleHandle {
    fn grant_role(&self) -> Option<&ResourceRef> {
        Some(self.resource_ref())
    }

    fn grantee_name(&self) -> String {
        format!("role `{}`", self.resource_ref().logical_id())
    }
}

/// Adds `actions` on `resources` to the grantee's role policy and re-merges it.
pub(crate) fn grant(
    stack: &mut Stack,
    grantee: &impl Grantee,
    actions: &[&str],
    resources: Vec<Expr>,
    what: &str,
) {
    grant_if(stack, grantee, actions, resources, None, what)
}

/// Lets `grantee` use the customer-managed KMS `key` of a target it was granted on, with
/// `actions`, only through `service` (`kms:ViaService`): the key's use is scoped to what
/// the grant is for, not to anything the key encrypts.
pub(crate) fn grant_key(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &crate::Value<crate::kinds::KmsKeyArn>,
    actions: &[&str],
    service: &str,
    what: &str,
) {
    let via = crate::sub(&format!("{service}.${{AWS::Region}}.amazonaws.com"), []);
    let condition = crate::value!({ "StringEquals": { "kms:ViaService": via } }).expr;
    grant_if(
        stack,
        grantee,
        actions,
        vec![key.expr.clone()],
        Some(condition),
        &format!("the key of {what}"),
    )
}

fn grant_if(
    stack: &mut Stack,
    grantee: &impl Grantee,
    actions: &[&str],
    resources: Vec<Expr>,
    condition: Option<Expr>,
    what: &str,
) {
    let Some(role) = grantee.grant_role() else {
        stack.problem(Diagnostic::error(
            Location::stack(),
            format!(
                "{} cannot receive {what}: its role is given by ARN, not managed by this stack",
                grantee.grantee_name()
            ),
            "attach the permissions to that role where it is defined, or let nephos create the role",
        ));
        return;
    };
    let role = role.clone();
    let Some(entry) = stack.entry_mut(&role) else {
        stack.problem(Diagnostic::error(
            Location::resource(role.logical_id()),
            format!(
                "{} is not in stack `{}`, so {what} cannot be attached to it",
                grantee.grantee_name(),
                stack.name()
            ),
            "grant within the stack that holds the role",
        ));
        return;
    };
    let policies = entry
        .props
        .map
        .entry("Policies".to_string())
        .or_insert_with(|| Expr::Array(Vec::new()));
    let Expr::Array(policies) = policies else {
        return;
    };
    let index = policies
        .iter()
        .position(|p| matches!(p, Expr::Object(m) if m.get("PolicyName") == Some(&Expr::Lit(POLICY_NAME.into()))));
    let index = index.unwrap_or_else(|| {
        let mut doc = BTreeMap::new();
        doc.insert("Version".to_string(), Expr::Lit("2012-10-17".into()));
        doc.insert("Statement".to_string(), Expr::Array(Vec::new()));
        let mut p = BTreeMap::new();
        p.insert("PolicyName".to_string(), Expr::Lit(POLICY_NAME.into()));
        p.insert("PolicyDocument".to_string(), Expr::Object(doc));
        policies.push(Expr::Object(p));
        policies.len() - 1
    });
    let Expr::Object(policy) = &mut policies[index] else {
        return;
    };
    let Some(Expr::Object(doc)) = policy.get_mut("PolicyDocument") else {
        return;
    };
    let Some(Expr::Array(statements)) = doc.get_mut("Statement") else {
        return;
    };
    let mut grants: Vec<Grant> = statements.iter().filter_map(from_expr).collect();
    let foreign: Vec<Expr> = statements
        .iter()
        .filter(|s| from_expr(s).is_none())
        .cloned()
        .collect();
    grants.push(Grant {
        actions: actions.iter().map(|a| a.to_string()).collect(),
        resources,
        condition,
    });
    *statements = foreign
        .into_iter()
        .chain(merge(grants).iter().map(to_expr))
        .collect();
}
