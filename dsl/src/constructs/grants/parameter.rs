//! Grants on an SSM Parameter Store parameter, and the ARN of a parameter named by a
//! literal name.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key};
use crate::kinds::SsmParameterArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Lets `grantee` read `parameter` (and decrypt it with its key, for a `SecureString`
/// parameter encrypted with a customer-managed key).
pub fn read(stack: &mut Stack, grantee: &impl Grantee, parameter: &Target) -> Vec<Granted> {
    let g = Grant::new("reading the parameter")
        .actions(actions::SSM_READ)
        .on(parameter.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, parameter, actions::KMS_DECRYPT, "ssm"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` write new versions of `parameter` (and encrypt with its key).
pub fn write(stack: &mut Stack, grantee: &impl Grantee, parameter: &Target) -> Vec<Granted> {
    let g = Grant::new("writing the parameter")
        .actions(actions::SSM_WRITE)
        .on(parameter.arn());
    [
        grant(stack, grantee, g),
        key::cover(
            stack,
            grantee,
            parameter,
            actions::KMS_PARAMETER_WRITE,
            "ssm",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The ARN of the parameter `name` of this stack's account and region. A parameter's
/// ARN is `arn:<partition>:ssm:<region>:<account>:parameter/<name>` with the name's
/// leading `/` dropped (`/app/url` is `parameter/app/url`, `url` is `parameter/url`;
/// AWS Systems Manager User Guide, "Working with parameter hierarchies").
///
/// ```
/// use nephos::constructs::grants::parameter::arn_of_name;
/// let arn = arn_of_name("/app/url").to_json().to_string();
/// assert!(arn.contains(":parameter/app/url\""), "{arn}");
/// let arn = arn_of_name("url").to_json().to_string();
/// assert!(arn.contains(":parameter/url\""), "{arn}");
/// ```
pub fn arn_of_name(name: &str) -> Value<SsmParameterArn> {
    let bare = name.strip_prefix('/').unwrap_or(name);
    crate::sub!(
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${name}",
        name = bare
    )
    .cast()
}

/// What SSM refuses in a parameter's name (AWS Systems Manager User Guide, "Parameter
/// naming constraints"): letters, digits and `_.-/` only; a name with a `/` must begin
/// with one (fully qualified); no `aws` or `ssm` prefix, in any case; at most 15
/// hierarchy levels; no empty level.
pub fn name_problems(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.is_empty() {
        out.push("is empty".to_string());
        return out;
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c)))
    {
        out.push(format!(
            "holds `{}`, which a parameter's name cannot (letters, digits and `_.-/` only)",
            c.escape_debug()
        ));
    }
    if name.contains('/') && !name.starts_with('/') {
        out.push(
            "has a `/` but does not begin with one (a name in a hierarchy is fully qualified)"
                .to_string(),
        );
    }
    let bare = name.strip_prefix('/').unwrap_or(name).to_ascii_lowercase();
    if bare.starts_with("aws") || bare.starts_with("ssm") {
        out.push("begins with `aws` or `ssm`, which SSM keeps for itself".to_string());
    }
    let levels = name.split('/').filter(|l| !l.is_empty()).count();
    if levels > 15 {
        out.push(format!("has {levels} levels, more than 15"));
    }
    if name.len() > 1 && (name.ends_with('/') || name[1..].contains("//")) {
        out.push("has an empty level".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::name_problems;

    #[test]
    fn names_are_checked_as_ssm_does() {
        for ok in ["url", "/app/db/url", "app.url_1-x", "/a"] {
            assert!(name_problems(ok).is_empty(), "{ok}");
        }
        for bad in ["app/url", "/aws/x", "SSM-x", "a b", "/a//b", "/a/", ""] {
            assert!(!name_problems(bad).is_empty(), "{bad}");
        }
        let deep = format!("/{}", vec!["l"; 16].join("/"));
        assert!(name_problems(&deep)[0].contains("16 levels"));
    }
}
