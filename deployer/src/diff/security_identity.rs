//! Changes of who a resource acts as: the role a function, task or rule target assumes, an
//! instance profile, the roles, users or groups a policy attaches to.
//!
//! Swapping a function's `Role` from `${Role.Arn}` to `${Admin.Arn}` changes no policy, so
//! the grant delta ([`super::security`]) sees nothing; yet the function now runs with the
//! other role's permissions. Which properties name an identity is data
//! ([`nephos::facts::identity_properties`], generated from the kinds the registry schemas,
//! the AWS service spec's references and the reviewed corrections give them), so a type is
//! covered as soon as its data says a property takes a role.
//!
//! Every such change is a security change. It is broadening unless the template shows the
//! new identity may do no more than the old: both are roles declared in the templates, and
//! what the new one is allowed (its inline and managed policies, the policies attached to it,
//! the resource policies naming it) is within what the old one was allowed, with no part
//! only known at deploy time and no permissions boundary dropped.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::evaluate::references;
use super::model::{
    Action, ChangeKind, Direction, Identity, IdentityChange, ResourceDiff, SecurityChange,
};
use super::parameters::unknown_offline;
use super::security::Grant;
use super::security_computed::NOT_KNOWN;
use super::value::{is_intrinsic, show};
use crate::output::escape::escape_line;

/// What [`SecurityChange::policy`] says for a change of identity.
pub const ACTS_AS: &str = "acts-as";

/// Policy kinds of grants a role holds itself (the trust policy says who may assume it, not
/// what it may do).
const HELD: [&str; 2] = ["identity", "managed"];

/// The identity changes between two templates (resolved: parameter values in place, so a
/// role passed as a parameter is followed too). `old_res`/`new_res` are the resources that
/// exist on each side (a false condition leaves one out), `resources` the resource diff
/// (which says what is replaced). A resource added with an identity is a change from
/// nothing; a removed resource acts as no one any more and is not listed. A value written
/// the same on both sides that may still resolve differently ([`may_change`]) is listed too.
pub(super) fn diff(
    old: &Value,
    new: &Value,
    old_res: &Map<String, Value>,
    new_res: &Map<String, Value>,
    resources: &[ResourceDiff],
) -> Vec<SecurityChange> {
    let (old_grants, new_grants) = (super::security::grants(old), super::security::grants(new));
    let sides = Sides {
        old,
        new,
        old_grants: &old_grants,
        new_grants: &new_grants,
    };
    let mut out = Vec::new();
    for (id, r) in new_res {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let paths = nephos::facts::identity_properties(ty);
        if paths.is_empty() {
            continue;
        }
        let before = old_res.get(id);
        // A changed type is refused by CloudFormation; its properties are not compared.
        if before.is_some_and(|b| b.get("Type").and_then(Value::as_str) != Some(ty)) {
            continue;
        }
        let mut old_values = Vec::new();
        let mut new_values = Vec::new();
        for p in paths {
            if let Some(b) = before {
                values_at(props(b), p, String::new(), &mut old_values);
            }
            values_at(props(r), p, String::new(), &mut new_values);
        }
        for (path, value) in &new_values {
            let was = old_values.iter().find(|(p, _)| p == path).map(|(_, v)| *v);
            if was == Some(*value) {
                // Written the same: unchanged, unless what it resolves to may differ.
                let diff = resources.iter().find(|d| d.logical_id == *id);
                if let Some(why) = may_change(new, value, path, diff, resources) {
                    out.push(sides.unresolved(id, path, value, why));
                }
                continue;
            }
            out.push(sides.change(id, path, was, Some(value), before.is_none()));
        }
        // An identity property cleared (a role list emptied, an optional role dropped): the
        // service falls back to its default, which may be broader; shown, not judged.
        for (path, value) in &old_values {
            if before.is_some() && !new_values.iter().any(|(p, _)| p == path) {
                out.push(sides.change(id, path, Some(value), None, false));
            }
        }
    }
    out
}

/// A resource's `Properties` (`null` when it has none).
fn props(r: &Value) -> &Value {
    static NULL: Value = Value::Null;
    r.get("Properties").unwrap_or(&NULL)
}

/// Types whose attributes an update may change without replacing them: a custom resource
/// returns whatever its handler answers, a nested stack's outputs are its template's.
fn attributes_follow_updates(ty: &str) -> bool {
    ty.starts_with("Custom::")
        || ty == "AWS::CloudFormation::CustomResource"
        || ty == "AWS::CloudFormation::Stack"
}

/// Why an identity value written the same on both sides may still name another identity
/// after the deploy, `None` when it cannot: it holds a value only deploy time knows (a
/// dynamic reference, a NoEcho or SSM-typed parameter), reads a parameter whose value is
/// not known here, reads a resource that is (or may be) replaced, or a custom resource or
/// nested stack that is updated; or the resource diff already says the property changes
/// (a changed mapping read by a key known only at deploy).
fn may_change(
    new: &Value,
    value: &Value,
    path: &str,
    diff: Option<&ResourceDiff>,
    resources: &[ResourceDiff],
) -> Option<String> {
    if unknown_offline(&show(value)) {
        return Some("its value is known only at deploy time".into());
    }
    if let Some(cause) = diff.and_then(|d| {
        d.properties
            .iter()
            .find(|p| path == p.path || path.starts_with(&format!("{}/", p.path)))
            .and_then(|p| p.cause.clone())
    }) {
        return Some(cause);
    }
    let mut refs = Vec::new();
    references(value, &mut refs);
    refs.sort();
    refs.dedup();
    for r in refs.iter().filter(|r| !r.starts_with("AWS::")) {
        if new
            .pointer(&format!("/Parameters/{}", escape_pointer(r)))
            .is_some()
        {
            return Some(format!(
                "reads parameter {r}, whose value is not known here"
            ));
        }
        let Some(d) = resources.iter().find(|d| d.logical_id == *r) else {
            continue;
        };
        // A replaced role (profile, user, group) of the stack is still the one the template
        // declares: its new policies are in the grant delta. Anything else replaced may
        // name another identity.
        if matches!(d.action, Action::Replace | Action::MayReplace)
            && !nephos::facts::identity_types().contains(&d.resource_type.as_str())
        {
            return Some(format!("reads {r}, which is replaced: a new identity"));
        }
        if attributes_follow_updates(&d.resource_type) {
            return Some(format!("reads {r}, whose attributes its update may change"));
        }
    }
    None
}

/// Both templates and their grants.
struct Sides<'a> {
    old: &'a Value,
    new: &'a Value,
    old_grants: &'a BTreeSet<Grant>,
    new_grants: &'a BTreeSet<Grant>,
}

impl Sides<'_> {
    /// A value written the same on both sides that may resolve to another identity:
    /// broadening, since what it will name is not known offline.
    fn unresolved(&self, owner: &str, path: &str, value: &Value, why: String) -> SecurityChange {
        let mut c = self.change(owner, path, Some(value), Some(value), false);
        c.direction = Direction::Broadening;
        if let Some(id) = c.identity.as_mut() {
            id.verdict = format!("may change: {why}; what it will name is not known offline");
            for side in [&mut id.old, &mut id.new] {
                if let Some(i) = side.as_mut() {
                    i.logical_id = None;
                    i.allowed = None;
                }
            }
            if let Some(i) = id.old.as_mut() {
                i.value.push_str(" (as deployed)");
            }
            if let Some(i) = id.new.as_mut() {
                i.value.push_str(" (as resolved at deploy)");
            }
        }
        c
    }

    fn change(
        &self,
        owner: &str,
        path: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        added: bool,
    ) -> SecurityChange {
        let old_id = old.map(|v| identity(self.old, self.old_grants, v));
        let new_id = new.map(|v| identity(self.new, self.new_grants, v));
        let (direction, verdict) =
            judge(old_id.as_ref().map(|i| &i.0), new_id.as_ref().map(|i| &i.0));
        SecurityChange {
            direction,
            kind: if added {
                ChangeKind::Added
            } else {
                ChangeKind::Modified
            },
            owner: owner.to_owned(),
            policy: ACTS_AS.to_owned(),
            effect: String::new(),
            principal: new_id
                .as_ref()
                .map(|i| i.1.value.clone())
                .unwrap_or_default(),
            actions: Vec::new(),
            resource: path.to_owned(),
            condition: String::new(),
            expansion: None,
            identity: Some(IdentityChange {
                property: path.to_owned(),
                old: old_id.map(|i| i.1),
                new: new_id.map(|i| i.1),
                verdict,
            }),
        }
    }
}

/// What an identity value is allowed, as far as the template shows it: `None` when it is
/// not a role declared in the template (imported, a literal ARN, computed, another kind of
/// identity), else the role's grants with the role itself written `(this role)`.
type Profile = Option<BTreeSet<Grant>>;

fn identity(t: &Value, grants: &BTreeSet<Grant>, v: &Value) -> (Profile, Identity) {
    let value = show(v);
    let Some(id) = declared_role(t, v) else {
        return (
            None,
            Identity {
                value,
                logical_id: None,
                allowed: None,
            },
        );
    };
    // A policy that may be attached to it by a name the template does not resolve: what
    // the role may do is not known offline.
    let Some(profile) = profile(t, grants, &id) else {
        return (
            None,
            Identity {
                value,
                logical_id: Some(id),
                allowed: None,
            },
        );
    };
    let allowed = profile.iter().map(line).collect();
    (
        Some(profile),
        Identity {
            value,
            logical_id: Some(id),
            allowed: Some(allowed),
        },
    )
}

/// The logical ID of the `AWS::IAM::Role` of `t` that `v` refers to (`Ref` gives its name,
/// `Fn::GetAtt` its `Arn`), if any.
fn declared_role(t: &Value, v: &Value) -> Option<String> {
    let id = match v {
        Value::Object(m) if is_intrinsic(v) => match m.iter().next()? {
            (k, Value::String(r)) if k == "Ref" => r.clone(),
            (k, Value::String(s)) if k == "Fn::GetAtt" => s.split_once('.')?.0.to_owned(),
            (k, Value::Array(a)) if k == "Fn::GetAtt" => a.first()?.as_str()?.to_owned(),
            _ => return None,
        },
        _ => return None,
    };
    let ty = t.pointer(&format!("/Resources/{}/Type", escape_pointer(&id)))?;
    (ty.as_str()? == "AWS::IAM::Role").then_some(id)
}

/// Every grant role `id` of `t` holds: its own identity and managed policies, the policies
/// attached to it by name, and the resource-policy grants whose principal names it (with
/// the principal written `(this role)`, so two roles' profiles compare). Its permissions
/// boundary is a grant of its own (`boundary`), so dropping one is never "no broader".
fn profile(t: &Value, grants: &BTreeSet<Grant>, id: &str) -> Option<BTreeSet<Grant>> {
    let mut attached: BTreeSet<&str> = BTreeSet::new();
    for (k, r) in t
        .get("Resources")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        if nephos::facts::attaches(ty) && names(t, r.get("Properties"), id)? {
            attached.insert(k.as_str());
        }
    }
    let refs = [
        format!("${{{id}}}"),
        format!("${{{id}.Arn}}"),
        format!("${{{id}.RoleId}}"),
    ];
    let mut out = BTreeSet::new();
    for g in grants {
        let own = g.owner == id && HELD.contains(&g.policy);
        let by_attachment = attached.contains(g.owner.as_str());
        let named = !own && refs.iter().any(|r| g.principal.contains(r.as_str()));
        if own || by_attachment || named {
            let mut g = g.clone();
            g.owner = String::new();
            if named {
                for r in &refs {
                    g.principal = g.principal.replace(r.as_str(), "(this role)");
                }
            }
            out.insert(g);
        }
    }
    if let Some(b) = t.pointer(&format!(
        "/Resources/{}/Properties/PermissionsBoundary",
        escape_pointer(id)
    )) {
        out.insert(Grant {
            owner: String::new(),
            policy: "boundary",
            effect: "Boundary".into(),
            principal: String::new(),
            resource: show(b),
            condition: String::new(),
            action: "(permissions boundary)".into(),
        });
    }
    Some(out)
}

/// The properties by which an attaching policy names identities: the identity properties
/// ([`nephos::facts::identity_properties`]) of every attaching type, lists (`Roles`, from
/// `Roles/*`) and single names (`RoleName`). Taken over all of them, since one type's
/// may be missing from the data (`AWS::IAM::Policy`'s lists are plain strings in its
/// schema) while another's with the same names are typed (`AWS::IAM::ManagedPolicy`).
fn naming_properties() -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let mut lists = BTreeSet::new();
    let mut single = BTreeSet::new();
    for path in nephos::facts::attaching_types().flat_map(nephos::facts::identity_properties) {
        match path.strip_suffix("/*") {
            Some(list) => lists.insert(list),
            None => single.insert(*path),
        };
    }
    (lists, single)
}

/// Whether a policy's `Roles`/`Users`/`Groups` list or `RoleName`/`UserName`/`GroupName`
/// names the resource `id` of `t`: by `Ref` (which gives the name), or by a literal equal
/// to the name `id` declares. `None` when an entry may name it but the template does not
/// say (a parameter, `Fn::Sub`, `Fn::ImportValue`, a literal against a computed name): the
/// policy might be attached, so what the role may do is not known offline.
fn names(t: &Value, props: Option<&Value>, id: &str) -> Option<bool> {
    let Some(p) = props else { return Some(false) };
    // The name `id` declares: its type's primary identifier (a role's `RoleName`).
    let own_type = t
        .pointer(&format!("/Resources/{}/Type", escape_pointer(id)))
        .and_then(Value::as_str)
        .unwrap_or("");
    let declared_name = nephos::facts::resource(own_type)
        .into_iter()
        .flat_map(|f| f.primary_identifier())
        .find_map(|k| t.pointer(&format!("/Resources/{}/Properties/{k}", escape_pointer(id))));
    let entry = |v: &Value| -> Option<bool> {
        match v {
            Value::String(name) => match declared_name {
                // A generated name cannot be written in advance.
                None => Some(false),
                Some(Value::String(own)) => Some(own == name),
                Some(_) => None,
            },
            Value::Object(m) if m.len() == 1 => match m.get("Ref").and_then(Value::as_str) {
                Some(r) if r == id => Some(true),
                Some(r)
                    if t.pointer(&format!("/Resources/{}", escape_pointer(r)))
                        .is_some() =>
                {
                    Some(false)
                }
                _ => None,
            },
            _ => None,
        }
    };
    let (lists, single) = naming_properties();
    let entries = lists
        .iter()
        .filter_map(|k| p.get(*k))
        .flat_map(|v| match v.as_array() {
            Some(a) => a.iter().collect::<Vec<_>>(),
            // A list given as one intrinsic: any role may be in it.
            None => vec![v],
        })
        .chain(single.iter().filter_map(|k| p.get(*k)));
    let mut unknown = false;
    for v in entries {
        match entry(v) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(false)
}

/// Broadening unless both sides are declared roles and the new one's grants are within the
/// old one's: its allows among the old allows, the old denies among its denies, nothing
/// only known at deploy time. Equal grants are [`Direction::Same`].
fn judge(old: Option<&Profile>, new: Option<&Profile>) -> (Direction, String) {
    match (old, new) {
        (_, None) => (
            Direction::Broadening,
            "the identity is cleared: the service's default applies, not known offline".into(),
        ),
        (None, Some(_)) => (
            Direction::Broadening,
            "a new identity for this resource: it may do whatever the identity may do".into(),
        ),
        (Some(None), _) | (_, Some(None)) => (
            Direction::Broadening,
            "what the identity may do is not known offline (not a role declared in the template)"
                .into(),
        ),
        (Some(Some(o)), Some(Some(n))) => {
            let unknown = |s: &BTreeSet<Grant>| s.iter().any(|g| g.effect == NOT_KNOWN);
            // A deny or a permissions boundary restricts: the new role must keep every one
            // the old one had.
            let restricts = |g: &Grant| g.effect == "Deny" || g.policy == "boundary";
            let allows = |s: &BTreeSet<Grant>| -> BTreeSet<Grant> {
                s.iter().filter(|g| !restricts(g)).cloned().collect()
            };
            let denies = |s: &BTreeSet<Grant>| -> BTreeSet<Grant> {
                s.iter().filter(|g| restricts(g)).cloned().collect()
            };
            if unknown(n) || unknown(o) {
                (
                    Direction::Broadening,
                    "part of a role's policies is only known at deploy time".into(),
                )
            } else if !allows(n).is_subset(&allows(o)) || !denies(o).is_subset(&denies(n)) {
                (
                    Direction::Broadening,
                    "the new role may do more than the old".into(),
                )
            } else if o == n {
                (
                    Direction::Same,
                    "the new role may do what the old one could, no more".into(),
                )
            } else {
                (
                    Direction::Narrowing,
                    "the new role may do less than the old".into(),
                )
            }
        }
    }
}

/// One grant of a profile, for people: `Allow s3:GetObject on arn:... to (this role)`.
fn line(g: &Grant) -> String {
    let mut s = if g.policy == "managed" {
        format!("managed policy {}", g.resource)
    } else {
        format!("{} {} on {}", g.effect, g.action, g.resource)
    };
    if !g.principal.is_empty() {
        s.push_str(&format!(" to {}", g.principal));
    }
    if !g.condition.is_empty() {
        s.push_str(&format!(" when {}", g.condition));
    }
    escape_line(&s).into_owned()
}

/// Every value at `pattern` (slash path, `*` for any list item or map value) below `v`,
/// with its concrete path (`Targets/0/RoleArn`). An intrinsic where the pattern goes on
/// (a list built by `Fn::If`) is the value itself, at the path reached so far: a change
/// of it is still seen.
fn values_at<'a>(v: &'a Value, pattern: &str, at: String, out: &mut Vec<(String, &'a Value)>) {
    let join = |k: &str| {
        if at.is_empty() {
            k.to_owned()
        } else {
            format!("{at}/{k}")
        }
    };
    let (head, rest) = match pattern.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (pattern, None),
    };
    if is_intrinsic(v) && !at.is_empty() {
        if v.get("Ref").and_then(Value::as_str) != Some("AWS::NoValue") {
            out.push((at, v));
        }
        return;
    }
    let children: Vec<(String, &Value)> = match (head, v) {
        ("*", Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (join(&i.to_string()), x))
            .collect(),
        ("*", Value::Object(m)) => m.iter().map(|(k, x)| (join(k), x)).collect(),
        (k, Value::Object(m)) => m.get(k).map(|x| (join(k), x)).into_iter().collect(),
        _ => Vec::new(),
    };
    for (p, child) in children {
        match rest {
            Some(r) => values_at(child, r, p, out),
            None if child.get("Ref").and_then(Value::as_str) == Some("AWS::NoValue") => {}
            None => out.push((p, child)),
        }
    }
}

/// A logical ID as one JSON-pointer token.
fn escape_pointer(id: &str) -> String {
    id.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod naming_tests {
    /// The names derived from the facts are the ones IAM's policy types name identities by.
    #[test]
    fn policies_name_identities_by_their_lists_and_name_properties() {
        let (lists, single) = super::naming_properties();
        assert_eq!(
            lists.into_iter().collect::<Vec<_>>(),
            ["Groups", "Roles", "Users"]
        );
        assert_eq!(
            single.into_iter().collect::<Vec<_>>(),
            ["GroupName", "RoleName", "UserName"]
        );
    }
}
