//! What IAM refuses in a statement, found at synth instead of at deploy: a statement
//! without actions or resources, an empty action or resource, an action not in IAM's
//! `service:action` form, a literal resource that is neither `*` nor an ARN.
//!
//! The forms are IAM's policy grammar (AWS IAM User Guide, "IAM JSON policy elements:
//! Action" and "Grammar of the IAM JSON policy language"): an action is `*` or
//! `<service-prefix>:<action>`, the prefix letters, digits and hyphens (case-insensitive),
//! the action letters and digits with the wildcards `*` and `?`; a resource is `*` or an ARN
//! (`arn:<partition>:<service>:...`), which may hold wildcards.
//!
//! ```
//! use nephos::policy::{Statement, check};
//! assert_eq!(check::action_problem("s3:GetObject"), None);
//! assert_eq!(check::action_problem("s3:Get*"), None);
//! assert!(check::action_problem("GetObject").is_some());
//! let problems = check::statement_problems(&Statement::allow().action("sqs:SendMessage"), true);
//! assert_eq!(problems.len(), 1, "no resource: {problems:?}");
//! ```

use crate::policy::Statement;
use crate::value::expr::Expr;

/// Why IAM would refuse `action`, if it would.
pub fn action_problem(action: &str) -> Option<String> {
    if action == "*" || well_formed_action(action) {
        return None;
    }
    action_read(action)
}

/// What is wrong with `action` (not `*`), read part by part for the message.
fn action_read(action: &str) -> Option<String> {
    if action.is_empty() {
        return Some("an action is the empty string".to_string());
    }
    let shown = || action.escape_debug();
    // `split_once(':')`, found by bytes (`:` is ASCII): actions are short.
    let colon = action.bytes().position(|b| b == b':');
    let Some((service, name)) = colon.map(|at| (&action[..at], &action[at + 1..])) else {
        let shown = shown();
        return Some(format!(
            "the action `{shown}` is not of the form `service:Action` (such as `s3:GetObject`)"
        ));
    };
    // Case-insensitive (AWS IAM User Guide, "IAM JSON policy elements: Action": "The
    // prefix and the action name are case insensitive"): `S3:GetObject` is accepted and
    // kept as written.
    let service_ok = !service.is_empty()
        && service
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-');
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'*' || c == b'?');
    (!service_ok || !name_ok).then(|| {
        let shown = shown();
        format!(
            "the action `{shown}` is not of the form `service:Action`: the service prefix is letters, digits and hyphens, the action letters and digits with `*` or `?` wildcards"
        )
    })
}

/// Whether `action` is `service:Action` as [`action_problem`] accepts it, in one pass
/// over its bytes (grants check every action of every statement they add); `false`
/// sends it to [`action_problem`]'s own reading, which says what is wrong.
fn well_formed_action(action: &str) -> bool {
    let bytes = action.as_bytes();
    let service = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(bytes.len());
    service > 0
        && bytes.get(service) == Some(&b':')
        && bytes.len() > service + 1
        && bytes[service + 1..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
}

/// Why IAM would refuse a literal `resource`, if it would (a computed resource, such as
/// `Fn::GetAtt` or `Fn::Sub`, or a dynamic reference, is known only at deploy and not
/// checked here).
pub fn resource_problem(resource: &str) -> Option<String> {
    // A dynamic reference (`{{resolve:ssm:...}}`) is resolved by CloudFormation before
    // IAM reads the policy: known only at deploy, like a computed value.
    if resource == "*" || crate::value::dynamic_reference::contains(resource) {
        return None;
    }
    if resource.is_empty() {
        return Some("a resource is the empty string".to_string());
    }
    let mut parts = resource.splitn(6, ':');
    let arn = parts.next() == Some("arn")
        && parts.next().is_some_and(|p| !p.is_empty())
        && parts.next().is_some_and(|s| !s.is_empty())
        && parts.count() == 3;
    (!arn).then(|| {
        format!(
            "the resource `{}` is neither `*` nor an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`)",
            resource.escape_debug()
        )
    })
}

/// Everything IAM would refuse in `statement`: the problems of its actions and literal
/// resources, and a missing `Action` (or `NotAction`) element; a missing `Resource` (or
/// `NotResource`) too when `needs_resource` (identity policies and the resource policies
/// of SQS, SNS and S3 all need one; a KMS key policy's `*` is still a resource).
pub fn statement_problems(statement: &Statement, needs_resource: bool) -> Vec<String> {
    statement_problems_with(statement, needs_resource, resource_problem)
}

/// [`statement_problems`] with `resource` judging each literal resource.
fn statement_problems_with(
    statement: &Statement,
    needs_resource: bool,
    resource: fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let list = |element: &str| statement.lists.get(element).map_or(&[][..], Vec::as_slice);
    let (action, not_action) = (list("Action"), list("NotAction"));
    if action.is_empty() && not_action.is_empty() {
        problems.push("the statement has no action".to_string());
    }
    for a in action.iter().chain(not_action) {
        match a {
            Expr::Lit(serde_json::Value::String(s)) => problems.extend(action_problem(s)),
            _ => problems.push("an action is not a literal string".to_string()),
        }
    }
    let (resource_list, not_resource) = (list("Resource"), list("NotResource"));
    if needs_resource && resource_list.is_empty() && not_resource.is_empty() {
        problems.push("the statement has no resource".to_string());
    }
    for r in resource_list.iter().chain(not_resource) {
        if let Expr::Lit(serde_json::Value::String(s)) = r {
            problems.extend(resource(s));
        }
    }
    for (operator, keys) in &statement.conditions {
        problems.extend(condition_operator_problem(operator));
        for key in keys.keys() {
            problems.extend(condition_key_problem(key));
        }
    }
    problems
}

/// Everything IAM would refuse in a statement of a resource policy (a queue's, topic's
/// or bucket's): [`statement_problems`], and a missing `Principal` (or `NotPrincipal`),
/// which a resource policy's statement needs to say whom it applies to (AWS IAM User
/// Guide, "IAM JSON policy elements: Principal").
pub fn resource_statement_problems(statement: &Statement) -> Vec<String> {
    principal_problems(statement, statement_problems(statement, true))
}

/// Everything API Gateway would refuse in a statement of a REST API's resource policy:
/// as [`resource_statement_problems`], except that a resource may also be written as API
/// Gateway's shorthand for the API's own ARN, `execute-api:/<stage>/<METHOD>/<path>`
/// (API Gateway Developer Guide, "Access policy language overview for Amazon API
/// Gateway").
///
/// ```
/// use nephos::policy::{Principal, Statement, check::api_statement_problems};
/// let s = Statement::allow().principal(Principal::any()).action("execute-api:Invoke");
/// assert!(api_statement_problems(&s.clone().resource("execute-api:/*")).is_empty());
/// assert_eq!(api_statement_problems(&s.resource("execute-api")).len(), 1);
/// ```
pub fn api_statement_problems(statement: &Statement) -> Vec<String> {
    let resource = |r: &str| match r.strip_prefix("execute-api:/") {
        Some(_) => None,
        None => resource_problem(r),
    };
    principal_problems(
        statement,
        statement_problems_with(statement, true, resource),
    )
}

/// `problems`, and those of the statement's principals (missing, or one IAM refuses).
fn principal_problems(statement: &Statement, mut problems: Vec<String>) -> Vec<String> {
    if statement.principals.is_empty() {
        problems.push(
            "the statement has no principal, which a resource policy's statement needs".to_string(),
        );
    }
    for by_kind in statement.principals.values() {
        for (kind, values) in by_kind {
            for v in values {
                if let Expr::Lit(serde_json::Value::String(s)) = v {
                    problems.extend(principal_problem(kind, s));
                }
            }
        }
    }
    problems
}

/// Why IAM would refuse the literal principal `value` of type `kind` (`AWS`,
/// `Service`, `Federated`, `CanonicalUser`), if it would (AWS IAM User Guide, "AWS JSON
/// policy elements: Principal"): an `AWS` principal is `*`, a 12-digit account ID or an
/// IAM or STS ARN (`arn:<partition>:iam::<account>:...`); a service principal is a
/// service's DNS-style name (`sqs.amazonaws.com`: lowercase labels of letters, digits and
/// hyphens, separated by dots); a canonical user ID is 64 hexadecimal digits; a
/// federated principal is a provider name or ARN, not empty. A computed value is known
/// only at deploy and not checked.
///
/// ```
/// use nephos::policy::check::principal_problem;
/// assert_eq!(principal_problem("AWS", "123456789012"), None);
/// assert_eq!(principal_problem("AWS", "arn:aws:iam::123456789012:role/r"), None);
/// assert!(principal_problem("AWS", "not-an-account").is_some());
/// assert_eq!(principal_problem("Service", "sns.amazonaws.com"), None);
/// assert!(principal_problem("Service", "").is_some());
/// ```
pub fn principal_problem(kind: &str, value: &str) -> Option<String> {
    let shown = value.escape_debug();
    let ok = match kind {
        "*" => value == "*",
        "AWS" => {
            let account = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
            let arn = || {
                let parts: Vec<&str> = value.splitn(6, ':').collect();
                parts.len() == 6
                    && parts[0] == "arn"
                    && !parts[1].is_empty()
                    && matches!(parts[2], "iam" | "sts")
                    && (account(parts[4]) || parts[4] == "aws")
                    && !parts[5].is_empty()
            };
            value == "*" || account(value) || arn()
        }
        "Service" => {
            value.contains('.')
                && value.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
        }
        "CanonicalUser" => value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()),
        _ => !value.is_empty() && !value.chars().any(char::is_whitespace),
    };
    (!ok).then(|| match kind {
        "AWS" => format!(
            "the AWS principal `{shown}` is not `*`, a 12-digit account ID or an IAM/STS ARN (`arn:<partition>:iam::<account>:role/<name>`)"
        ),
        "Service" => format!(
            "the service principal `{shown}` is not a service's name (such as `sns.amazonaws.com`)"
        ),
        "CanonicalUser" => format!(
            "the canonical user `{shown}` is not a canonical user ID (64 hexadecimal digits)"
        ),
        _ => format!("the {kind} principal `{shown}` is empty or holds whitespace"),
    })
}

/// IAM's condition operators (AWS IAM User Guide, "IAM JSON policy elements: Condition
/// operators"): string, numeric, date, Boolean, binary, IP address and ARN operators,
/// and `Null`.
pub const CONDITION_OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Why IAM would refuse the condition operator `operator`, if it would: one of
/// [`CONDITION_OPERATORS`], optionally prefixed by a set operator (`ForAllValues:` or
/// `ForAnyValue:`, "Single-valued vs. multivalued context keys") and suffixed by
/// `IfExists` (any operator but `Null`, "...IfExists condition operators").
///
/// ```
/// use nephos::policy::check::condition_operator_problem;
/// assert_eq!(condition_operator_problem("ForAnyValue:StringLikeIfExists"), None);
/// assert!(condition_operator_problem("StringEqualz").is_some());
/// assert!(condition_operator_problem("NullIfExists").is_some());
/// ```
pub fn condition_operator_problem(operator: &str) -> Option<String> {
    let base = operator
        .strip_prefix("ForAllValues:")
        .or_else(|| operator.strip_prefix("ForAnyValue:"))
        .unwrap_or(operator);
    let base = match base.strip_suffix("IfExists") {
        Some(b) if b != "Null" => b,
        _ => base,
    };
    (!CONDITION_OPERATORS.contains(&base)).then(|| {
        format!(
            "the condition operator `{}` is not one of IAM's (such as `StringEquals`, `ArnLike`, `Bool`, `Null`, with an optional `IfExists` suffix or `ForAllValues:`/`ForAnyValue:` prefix)",
            operator.escape_debug()
        )
    })
}

/// Why IAM would refuse the condition key `key`, if it would: a key is
/// `<service-prefix>:<name>`, such as `aws:SourceArn` or `kms:ViaService` (AWS IAM User
/// Guide, "IAM JSON policy elements: Condition").
pub fn condition_key_problem(key: &str) -> Option<String> {
    let ok = key
        .split_once(':')
        .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty())
        && !key.chars().any(char::is_whitespace);
    (!ok).then(|| {
        format!(
            "the condition key `{}` is not of the form `service:key` (such as `aws:SourceArn`)",
            key.escape_debug()
        )
    })
}

/// The statement as one line of JSON for a message, at most 300 characters, escaped.
pub fn shown(statement: &Statement) -> String {
    let json = statement.clone().into_expr().to_json().to_string();
    let mut out: String = json.escape_debug().take(300).collect();
    if json.escape_debug().nth(300).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{action_read, well_formed_action};

    /// The one-pass check accepts exactly what the reading part by part accepts.
    #[test]
    fn the_fast_action_check_agrees_with_the_reading() {
        let parts = [
            "",
            "s3",
            "dynamo-db",
            "S3",
            "s_3",
            "\u{e9}",
            ":",
            "*",
            "?",
            "Get*",
        ];
        for service in parts {
            for name in parts {
                for action in [
                    format!("{service}:{name}"),
                    format!("{service}{name}"),
                    format!("{service}:{name}:x"),
                ] {
                    assert_eq!(
                        well_formed_action(&action),
                        action_read(&action).is_none(),
                        "{action:?}"
                    );
                }
            }
        }
    }
}
