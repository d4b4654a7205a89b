//! The services nephos generates code for: every service namespace in the vendored
//! schemas, one module and one cargo feature each on `nephos`.
//!
//! Names are derived from the namespace, so they are stable as long as AWS keeps the
//! namespace: `AWS::CertificateManager` is `certificatemanager`; another vendor's namespace
//! takes the vendor too (`Alexa::ASK` is `alexa_ask`).

use std::collections::BTreeSet;

/// One service namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Service {
    /// The first two parts of the type names, such as `AWS::Lambda`.
    pub namespace: String,
    /// The module and cargo feature name, such as `lambda`.
    pub module: String,
    /// Whether the feature is in `nephos`'s default features.
    pub default: bool,
}

/// The features on by default: the services the built-in constructs are made of. A policy
/// of the project, not a fact of the schemas.
pub const DEFAULT_FEATURES: &[&str] = &[
    "apigateway",
    "dynamodb",
    "iam",
    "lambda",
    "logs",
    "s3",
    "sns",
    "sqs",
];

/// Names a service module must not take: the crate root re-exports every service module
/// beside these, and cargo reserves `default` (`all` is the feature of every service).
const TAKEN: &[&str] = &[
    "all",
    "assembly",
    "assertions",
    "aws",
    "constructs",
    "default",
    "facts",
    "kind",
    "kinds",
    "limits",
    "policy",
    "security",
];

/// The module and feature name of the service `type_name` belongs to.
pub fn module_of(type_name: &str) -> Option<String> {
    let mut parts = type_name.split("::");
    let (vendor, namespace) = (parts.next()?, parts.next()?);
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    if !(word(vendor) && word(namespace)) {
        return None;
    }
    Some(if vendor == "AWS" {
        namespace.to_ascii_lowercase()
    } else {
        format!(
            "{}_{}",
            vendor.to_ascii_lowercase(),
            namespace.to_ascii_lowercase()
        )
    })
}

/// The service `type_name` belongs to.
pub fn service_of(type_name: &str) -> Option<Service> {
    let module = module_of(type_name)?;
    let mut parts = type_name.split("::");
    let namespace = format!("{}::{}", parts.next()?, parts.next()?);
    Some(Service {
        default: DEFAULT_FEATURES.contains(&module.as_str()),
        namespace,
        module,
    })
}

/// Every service of `type_names`, by module name. Errors when two namespaces would share a
/// module, or one would shadow a name of the crate root.
pub fn services<'a>(type_names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Service>, String> {
    let mut found = BTreeSet::new();
    for t in type_names {
        let s = service_of(t)
            .ok_or_else(|| format!("{t}: not a Vendor::Service::Resource type name"))?;
        found.insert(s);
    }
    let mut by_module = std::collections::BTreeMap::new();
    for s in &found {
        if TAKEN.contains(&s.module.as_str()) || crate::names::snake(&s.module) != s.module {
            return Err(format!(
                "{}: its module name `{}` is taken or not an identifier",
                s.namespace, s.module
            ));
        }
        if let Some(other) = by_module.insert(s.module.clone(), s.namespace.clone()) {
            return Err(format!(
                "{} and {} would both be the module `{}`",
                other, s.namespace, s.module
            ));
        }
    }
    for d in DEFAULT_FEATURES {
        if !by_module.contains_key(*d) {
            return Err(format!(
                "default feature `{d}` has no service in the schemas"
            ));
        }
    }
    Ok(found.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_come_from_the_namespace() {
        assert_eq!(
            module_of("AWS::CertificateManager::Certificate").as_deref(),
            Some("certificatemanager")
        );
        assert_eq!(module_of("AWS::EC2::Subnet").as_deref(), Some("ec2"));
        assert_eq!(module_of("Alexa::ASK::Skill").as_deref(), Some("alexa_ask"));
        assert_eq!(module_of("AWS::"), None);
    }

    #[test]
    fn colliding_or_taken_names_are_refused() {
        let e = services(["AWS::Lambda::Function", "AWS::LAMBDA::X"]).unwrap_err();
        assert!(e.contains("both be the module `lambda`"), "{e}");
        let e = services(["AWS::Policy::X"]).unwrap_err();
        assert!(e.contains("taken"), "{e}");
    }
}
