//! Which properties of a resource type name an IAM identity: the role a resource assumes
//! (Lambda `Role`, ECS `TaskRoleArn`, an EventBridge target's `RoleArn`...), an instance
//! profile, the roles, users or groups a policy attaches to. The deployer's review treats a
//! change of such a property as a security change ("who the resource acts as"), so the set
//! must follow the data, not a hand list.
//!
//! The source is the kind each property is typed with, as the generator built it: the
//! registry schemas' `format` (cfn-lint's `AWS::IAM::Role.Arn` patches), the AWS service
//! spec's `relationshipRefs` (the supplement's `formats` and `unions`) and the reviewed
//! corrections, merged. A property whose kind, or one member of its union kind, is an
//! attribute of one of [`IDENTITY_TYPES`] is an identity property, at any depth (paths are
//! slash-separated, `*` for a list's items or a map's values, as the facts' other paths).

use std::collections::BTreeSet;

use crate::model::{Field, ResourceModel, Ty};

/// The IAM resource types that are identities: what a resource acts as, or what a policy
/// grants to.
pub const IDENTITY_TYPES: [&str; 4] = [
    "AWS::IAM::Role",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::User",
    "AWS::IAM::Group",
];

/// The identity properties of one type, sorted.
pub fn of(model: &ResourceModel) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk(model, &model.fields, "", &mut Vec::new(), &mut out);
    out.into_iter().collect()
}

fn walk(
    model: &ResourceModel,
    fields: &[Field],
    prefix: &str,
    inside: &mut Vec<String>,
    out: &mut BTreeSet<String>,
) {
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        ty(model, &f.ty, &path, inside, out);
    }
}

fn ty(
    model: &ResourceModel,
    t: &Ty,
    path: &str,
    inside: &mut Vec<String>,
    out: &mut BTreeSet<String>,
) {
    match t {
        Ty::Kind(k) if model.kinds.get(k).is_some_and(|name| names_identity(name)) => {
            out.insert(path.to_owned());
        }
        Ty::Kind(_) => {}
        Ty::List(item) | Ty::Map(item) => ty(model, item, &format!("{path}/*"), inside, out),
        Ty::Struct(name) => {
            // A recursive definition (a filter of filters) is not entered again inside
            // itself: only its first level's paths are listed.
            if inside.contains(name) {
                return;
            }
            if let Some(def) = model.structs.iter().find(|s| &s.name == name) {
                inside.push(name.clone());
                walk(model, &def.fields, &format!("{path}/"), inside, out);
                inside.pop();
            }
        }
        _ => {}
    }
}

/// Whether a kind name (`AWS::IAM::Role.Arn`, or a union `A | B`) has a member that is an
/// attribute of an identity type.
pub fn names_identity(kind_name: &str) -> bool {
    kind_name.split(crate::unions::SEPARATOR).any(|member| {
        member
            .split_once('.')
            .is_some_and(|(ty, _)| IDENTITY_TYPES.contains(&ty))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_union_with_an_identity_member_names_one_and_other_iam_kinds_do_not() {
        assert!(names_identity("AWS::IAM::Role.Arn"));
        assert!(names_identity(
            "AWS::IAM::InstanceProfile.Arn | AWS::IAM::InstanceProfile.Name"
        ));
        assert!(!names_identity("AWS::IAM::ManagedPolicy.PolicyArn"));
        assert!(!names_identity("AWS::IAM::RoleX.Arn"));
        assert!(!names_identity("AWS::KMS::Key.Arn"));
    }
}
