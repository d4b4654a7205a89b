//! Grants on an SSM Parameter Store parameter, and the ARN of a parameter named by a
//! literal name.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::kinds::SsmParameterArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Lets `grantee` read `parameter` (and decrypt it with its key, for a `SecureString`
/// parameter encrypted with a customer-managed key).
pub fn read(
    stack: &mut Stack,
    grantee: &impl Grantee,
    parameter: &Target<on::Parameter>,
) -> Vec<Granted> {
    if parameter.refuse_mismatch(stack, &grantee.grantee_name(), "reading the parameter") {
        return Vec::new();
    }
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

/// Lets `grantee` write new versions of `parameter` (and encrypt with its key). A
/// parameter whose name begins with `aws` or `ssm` (AWS's public parameters under
/// `/aws/service/`, read from an ARN with no account) cannot be written by anyone: SSM
/// keeps those names for itself (AWS Systems Manager User Guide, "Parameter naming
/// constraints"), so the grant is a synth error instead of a statement that allows
/// nothing.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants::{Target, parameter};
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let ami = Target::by_arn(
///     "parameter",
///     "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
/// );
/// parameter::write(&mut stack, &f, &ami);
/// assert!(stack.synth().unwrap_err().to_string().contains("owned by AWS"));
/// ```
pub fn write(
    stack: &mut Stack,
    grantee: &impl Grantee,
    parameter: &Target<on::Parameter>,
) -> Vec<Granted> {
    if parameter.refuse_mismatch(stack, &grantee.grantee_name(), "writing the parameter") {
        return Vec::new();
    }
    if let Some(name) = reserved_name(parameter.arn()) {
        stack.problem(crate::Diagnostic::error(
            crate::diagnostic::Location::stack(),
            format!(
                "{} cannot receive writing the parameter `/{name}`: a name beginning with `aws` or `ssm` is owned by AWS (a public parameter), and SSM refuses every write to it",
                grantee.grantee_name()
            ),
            "grant only reading on AWS's parameters (`grant_read`); write to a parameter of your own, such as one under `/app/`",
        ));
        return Vec::new();
    }
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
    if is_public(name) {
        return crate::sub!(
            "arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/${name}",
            name = bare
        )
        .cast();
    }
    crate::sub!(
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${name}",
        name = bare
    )
    .cast()
}

/// Where AWS's public parameters live: `/aws/service/...` (AMI IDs, Regions and
/// services of the global infrastructure, ECS-optimized AMIs...; AWS Systems Manager
/// User Guide, "Discovering public parameters in Parameter Store").
pub const PUBLIC_PREFIX: &str = "/aws/service/";

/// Whether `name` is one of AWS's public parameters (under [`PUBLIC_PREFIX`]). They are
/// owned by AWS, not by the reading account: their ARN has an empty account field
/// (`arn:aws:ssm:us-east-2::parameter/aws/service/ami-amazon-linux-latest/...`, as
/// `GetParameters` answers; AWS Systems Manager User Guide, "Calling AMI public
/// parameters"), so a grant naming `${AWS::AccountId}` would never match them.
pub fn is_public(name: &str) -> bool {
    name.starts_with(PUBLIC_PREFIX) && name.len() > PUBLIC_PREFIX.len()
}

/// The parameter name (without its leading `/`) in a parameter ARN whose name begins
/// with `aws` or `ssm` in any case, which only AWS can own; `None` for any other
/// ARN, or one whose name is computed.
fn reserved_name(arn: &Value<crate::kind::Str>) -> Option<String> {
    use crate::value::expr::Expr;
    use crate::value::sub::SubPart;
    // The text up to the first computed part: a reserved prefix is literal.
    let text: String = match &arn.expr {
        Expr::Lit(serde_json::Value::String(s)) => s.clone(),
        Expr::Sub(parts) => parts
            .iter()
            .map_while(|p| match p {
                SubPart::Text(t) => Some(t.to_string()),
                SubPart::Pseudo(_) => Some("${pseudo}".to_string()),
                SubPart::Var(_, Expr::Lit(serde_json::Value::String(s))) => Some(s.clone()),
                SubPart::Var(..) => None,
            })
            .collect(),
        _ => return None,
    };
    let (_, name) = text.split_once(":parameter/")?;
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("aws") || lower.starts_with("ssm")).then(|| name.to_string())
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
