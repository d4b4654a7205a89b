//! Grant statements on resources that depend on the grantee's role: which of a role's
//! `Grants` statements move to the role's separate policy `<Role>DependentGrants` at
//! synth (the walk that finds those resources is `stack/split_policy.rs`).

use crate::constructs::grants::merge;
use crate::stack::split_policy::SplitPolicy;
use crate::value::expr::{Expr, Target};

/// The separate policy's name, and the suffix of its logical ID after the role's. Not
/// [`POLICY_NAME`](super::POLICY_NAME): a role's inline policies are keyed by name, and
/// a `RolePolicy` named like the role's own would overwrite it.
pub(crate) const DEPENDENT_POLICY_NAME: &str = "DependentGrants";

/// What `grant` registers for the role it adds to.
pub(crate) fn split(role: &Target) -> SplitPolicy {
    SplitPolicy {
        role: role.clone(),
        policy: super::POLICY_NAME,
        name: DEPENDENT_POLICY_NAME,
        partition,
    }
}

/// Sorts the `Grants` statements: a statement whose condition names a resource that
/// depends on the role moves whole; otherwise its resources that do move (with the same
/// actions and condition) and the others stay. Each side is merged again into the fewest
/// statements. A statement grants did not write moves whole when it names such a
/// resource anywhere. `None` when nothing moves.
fn partition(
    statements: Vec<Expr>,
    depends: &dyn Fn(&Expr) -> bool,
) -> Option<(Vec<Expr>, Vec<Expr>)> {
    let (mut kept, mut moved) = (Vec::new(), Vec::new());
    let (mut kept_foreign, mut moved_foreign) = (Vec::new(), Vec::new());
    for s in statements {
        let Some(g) = merge::from_expr(&s) else {
            if depends(&s) {
                moved_foreign.push(s);
            } else {
                kept_foreign.push(s);
            }
            continue;
        };
        if g.condition.as_ref().is_some_and(depends) {
            moved.push(g);
            continue;
        }
        let (on_dependents, others): (Vec<Expr>, Vec<Expr>) =
            g.resources.iter().cloned().partition(|r| depends(r));
        if on_dependents.is_empty() {
            kept.push(g);
            continue;
        }
        moved.push(merge::Grant {
            actions: g.actions.clone(),
            resources: on_dependents,
            condition: g.condition.clone(),
        });
        if !others.is_empty() {
            kept.push(merge::Grant {
                resources: others,
                ..g
            });
        }
    }
    if moved.is_empty() && moved_foreign.is_empty() {
        return None;
    }
    let side = |foreign: Vec<Expr>, grants: Vec<merge::Grant>| -> Vec<Expr> {
        foreign
            .into_iter()
            .chain(merge::merge(grants).into_iter().map(merge::to_expr))
            .collect()
    };
    Some((side(kept_foreign, kept), side(moved_foreign, moved)))
}
