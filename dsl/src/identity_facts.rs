//! Which resource types are IAM identities, and which attach a policy to the identities
//! they name: facts the deployer's review of "who a resource acts as" reads, derived from
//! the generated tables (the identity types the generator types identity properties by,
//! the policy documents the registry schemas hold) instead of hand lists.

/// The IAM resource types that are identities (what a resource acts as, or what a policy
/// grants to): the types whose attributes make a property an identity property (see
/// [`identity_properties`](crate::facts::identity_properties)).
///
/// ```
/// let types = nephos::facts::identity_types();
/// assert!(types.contains(&"AWS::IAM::Role") && types.contains(&"AWS::IAM::Group"));
/// ```
pub fn identity_types() -> &'static [&'static str] {
    crate::facts_data::IDENTITY_TYPES
}

/// The types whose policy document attaches to the roles, users or groups they name: the
/// types of the identity types' namespace (`AWS::IAM`) that hold a policy document (see
/// [`policy_documents`](crate::facts::policy_documents)) and are no identity themselves (a
/// role's document is its trust policy). Sorted.
///
/// ```
/// let attaching: Vec<&str> = nephos::facts::attaching_types().collect();
/// assert!(attaching.contains(&"AWS::IAM::ManagedPolicy"));
/// assert!(!attaching.contains(&"AWS::IAM::Role"));
/// ```
pub fn attaching_types() -> impl Iterator<Item = &'static str> {
    crate::facts_data::POLICY_DOCUMENTS
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| attaches(t))
}

/// Whether `type_name` is one of [`attaching_types`].
///
/// ```
/// assert!(nephos::facts::attaches("AWS::IAM::RolePolicy"));
/// assert!(!nephos::facts::attaches("AWS::S3::BucketPolicy"));
/// ```
pub fn attaches(type_name: &str) -> bool {
    let namespace = |t: &str| t.rsplit_once("::").map(|(ns, _)| ns.to_owned());
    let identities = identity_types();
    identities
        .iter()
        .any(|i| namespace(i) == namespace(type_name))
        && !identities.contains(&type_name)
        && !crate::facts::policy_documents(type_name).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived lists are the IAM types a reviewer expects: the four identities, and the
    /// five policy types that attach to them by name.
    #[test]
    fn identities_and_attaching_policies_come_from_the_tables() {
        assert_eq!(
            identity_types(),
            [
                "AWS::IAM::Role",
                "AWS::IAM::InstanceProfile",
                "AWS::IAM::User",
                "AWS::IAM::Group"
            ]
        );
        assert_eq!(
            attaching_types().collect::<Vec<_>>(),
            [
                "AWS::IAM::GroupPolicy",
                "AWS::IAM::ManagedPolicy",
                "AWS::IAM::Policy",
                "AWS::IAM::RolePolicy",
                "AWS::IAM::UserPolicy"
            ]
        );
    }
}
