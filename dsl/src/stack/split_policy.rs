//! A role's statements on resources that depend on the role, moved at synth into a
//! separate policy resource, so the role never waits for what waits for it.
//!
//! A function's role is created before the function (the function names it). A statement
//! in the role on the function itself (a function invoking itself), on its alias, or on
//! a state machine whose definition names the function, makes the role wait for the
//! function too: a dependency cycle, which CloudFormation refuses. Such statements go
//! into an `AWS::IAM::RolePolicy` attached to the role instead, created after both.
//!
//! `AWS::IAM::RolePolicy` rather than `AWS::IAM::Policy` (registry schemas,
//! `dsl/schemas/AWS_IAM.json`): a `RolePolicy` is one inline policy of one role
//! (required `PolicyName` and `RoleName`, identified by the two), which is what this is;
//! an `AWS::IAM::Policy` attaches to any set of users, groups and roles and is identified
//! by an opaque `Id`.
//!
//! Decided at synth, not when granting: what depends on the role can be added after the
//! grant (the state machine after `grant_start_execution`), and the template must not
//! depend on the order of the calls.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::reach::Reach;
use crate::value::expr::{Expr, Target, TargetKind};

/// Sorts a policy's statements into those that stay in the role and those that move:
/// given the statements and whether an expression refers to a resource depending on the
/// role, `None` when none moves (the role is then left as it is, byte for byte).
pub(crate) type Partition = fn(Vec<Expr>, &dyn Fn(&Expr) -> bool) -> Option<(Vec<Expr>, Vec<Expr>)>;

/// The inline policy `policy` of the role `role`, whose statements on resources that
/// depend on the role move at synth to `AWS::IAM::RolePolicy` `<role><name>` (policy
/// name `name`), sorted by `partition`.
#[derive(Clone, Debug)]
pub(crate) struct SplitPolicy {
    pub(crate) role: Target,
    pub(crate) policy: &'static str,
    pub(crate) name: &'static str,
    pub(crate) partition: Partition,
}

impl SplitPolicy {
    /// The logical ID of the separate policy: the role's, then the policy's name.
    pub(crate) fn logical_id(&self) -> String {
        format!("{}{}", self.role.id, self.name)
    }
}

impl Stack {
    /// Lets synth move the statements of the role's inline policy `split.policy` that
    /// refer to a resource depending on the role into a separate policy (once per role).
    pub(crate) fn split_policy(&mut self, split: SplitPolicy) {
        self.split_policies
            .entry(split.role.id.clone())
            .or_insert(split);
    }
}

/// The role's `Statement` list of the inline policy named `policy`, when the role's
/// `Policies` are literal (a grant refused anything else when it was added).
fn statements<'a>(props: &'a crate::stack::props::SharedMap, policy: &str) -> Option<&'a [Expr]> {
    let Some(Expr::Array(policies)) = props.get("Policies") else {
        return None;
    };
    let named = policies.iter().find_map(|p| match p {
        Expr::Object(m) if m.get("PolicyName") == Some(&Expr::Lit(policy.into())) => Some(m),
        _ => None,
    })?;
    match named.get("PolicyDocument") {
        Some(Expr::Object(doc)) => match doc.get("Statement") {
            Some(Expr::Array(items)) => Some(items),
            _ => None,
        },
        _ => None,
    }
}

/// Replaces the statements of the inline policy `policy` with `kept`; with none left,
/// removes the policy (IAM refuses one without statements), and `Policies` when empty.
fn keep(props: &mut crate::stack::props::SharedMap, policy: &str, kept: Vec<Expr>) {
    let Some(Expr::Array(policies)) = props.get_mut("Policies") else {
        return;
    };
    let named = |p: &Expr| matches!(p, Expr::Object(m) if m.get("PolicyName") == Some(&Expr::Lit(policy.into())));
    if kept.is_empty() {
        policies.retain(|p| !named(p));
        if policies.is_empty() {
            props.remove("Policies");
        }
        return;
    }
    if let Some(Expr::Object(m)) = policies.iter_mut().find(|p| named(p))
        && let Some(Expr::Object(doc)) = m.get_mut("PolicyDocument")
    {
        doc.insert("Statement".to_string(), Expr::Array(kept));
    }
}

/// The stack with each registered role's statements on resources that depend on it
/// moved to the role's separate policy, or `None` when no statement moves.
///
/// Per role, one walk: forward from every resource its statements name, then back from
/// the role over the edges found ([`Reach`]), giving every named resource that depends
/// on the role. A role whose `Policies` an override changes is left alone (the override
/// applies after this pass; a cycle is then reported with its fix).
///
/// Resources that waited for the role (`DependsOn`: an event source mapping, which
/// Lambda checks the role's permissions for) wait for the separate policy too, unless
/// the policy itself depends on them.
pub(crate) fn resolve(stack: &Stack) -> Option<Stack> {
    if stack.split_policies.is_empty() {
        return None;
    }
    let mut out: Option<Stack> = None;
    for split in stack.split_policies.values() {
        let Some(role) = stack.position(&split.role) else {
            continue;
        };
        let entry = &stack.resources[role];
        if entry.type_name != "AWS::IAM::Role"
            || entry
                .overrides
                .iter()
                .any(|o| o.path == "Policies" || o.path.starts_with("Policies."))
        {
            continue;
        }
        let Some(statements) = statements(&entry.props.map, split.policy) else {
            continue;
        };
        let in_stack = |t: &Target| t.kind == TargetKind::Resource && t.stack == stack.key;
        let mut named: Vec<usize> = Vec::new();
        for s in statements {
            s.for_each_reference(&mut |t, _| {
                if in_stack(t)
                    && let Some(p) = stack.position(t)
                {
                    named.push(p);
                }
            });
        }
        if named.is_empty() {
            continue;
        }
        let dependents = Reach::from(stack, named).depending_on(role);
        if dependents.is_empty() {
            continue;
        }
        let depends = |e: &Expr| {
            let mut hit = false;
            e.for_each_reference(&mut |t, _| {
                hit |= in_stack(t) && stack.position(t).is_some_and(|p| dependents.contains(&p));
            });
            hit
        };
        let Some((kept, moved)) = (split.partition)(statements.to_vec(), &depends) else {
            continue;
        };
        let id = split.logical_id();
        let out = out.get_or_insert_with(|| stack.clone());
        if let Some(taken) = out.position_of_id(&id) {
            let names: Vec<String> = dependents
                .iter()
                .map(|p| format!("`{}`", stack.resources[*p].target.id))
                .collect();
            out.problems.push(Diagnostic::error(
                Location::resource(&id),
                format!(
                    "role `{}` holds statements on resources that depend on it ({}), which must go to a separate policy `{id}` to avoid a dependency cycle, but `{id}` is already a `{}`",
                    split.role.id,
                    names.join(", "),
                    out.resources[taken].type_name
                ),
                format!("give the other resource a logical ID other than `{id}`"),
            ));
            continue;
        }
        // The moved statements' own walk: what the separate policy depends on, so that
        // nothing it waits for is made to wait for it.
        let mut after: Vec<usize> = vec![role];
        for s in &moved {
            s.for_each_reference(&mut |t, _| {
                if in_stack(t)
                    && let Some(p) = stack.position(t)
                {
                    after.push(p);
                }
            });
        }
        let policy_waits_for = Reach::from(stack, after);
        keep(&mut out.resources[role].props.map, split.policy, kept);
        let policy = Expr::Object(
            [
                ("Version".to_string(), Expr::Lit("2012-10-17".into())),
                ("Statement".to_string(), Expr::Array(moved)),
            ]
            .into_iter()
            .collect(),
        );
        let handle = out.add_resource(
            &id,
            crate::RawResource::new("AWS::IAM::RolePolicy")
                .property("PolicyName", split.name)
                .property(
                    "RoleName",
                    crate::Value::<crate::kind::Any>::from_expr(Expr::Ref(split.role.clone())),
                )
                .property(
                    "PolicyDocument",
                    crate::Value::<crate::kind::Any>::from_expr(policy),
                ),
        );
        // Created and removed with the role: it takes the role's condition.
        Arc::make_mut(&mut out.owners).insert(handle.target.id.clone(), vec![split.role.clone()]);
        // The moved statements are checked as they were in the role: what the role's
        // author suppressed of the identity-policy checks stays suppressed (the other
        // checks, and malformed suppressions, are reported on the role alone).
        let kept_suppressions: Vec<(String, String)> = stack.resources[role]
            .suppressions
            .iter()
            .filter(|(check, reason)| {
                [
                    crate::synth::security::IAM_WILDCARD_ACTION,
                    crate::synth::security::IAM_WILDCARD_RESOURCE,
                ]
                .contains(&check.as_str())
                    && !reason.trim().is_empty()
            })
            .cloned()
            .collect();
        if let Some(p) = out.position_of_id(&id) {
            out.resources[p].suppressions = kept_suppressions;
        }
        let waiting: BTreeSet<usize> = (0..stack.resources.len())
            .filter(|i| {
                stack.resources[*i].depends_on.contains(&split.role)
                    && !policy_waits_for.contains(*i)
            })
            .collect();
        for i in waiting {
            out.resources[i].depends_on.push(handle.target.clone());
        }
    }
    out
}
