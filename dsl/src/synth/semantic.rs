//! Checks that know what a resource type means, for mistakes CloudFormation or the
//! service would only reject at deploy: DynamoDB keys without attribute definitions,
//! and IAM policies over their size limits.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, field, list};

/// An inline policy's limit: all of a role's inline policies together.
pub const ROLE_INLINE_POLICY_BYTES: usize = 10_240;
/// A managed policy's limit.
pub const MANAGED_POLICY_BYTES: usize = 6_144;
/// A Lambda function's resource policy limit: every permission on it together.
pub const LAMBDA_RESOURCE_POLICY_BYTES: usize = 20_480;

/// Runs the type-specific checks.
pub(crate) fn check(resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    lambda_resource_policies(resolved, diags);
    for r in resolved {
        let id = &*r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::DynamoDB::Table" => dynamodb_keys(id, r, diags),
            "AWS::IAM::Role" => {
                let total: usize = r
                    .list("Policies")
                    .iter()
                    .filter_map(|p| field(p, "PolicyDocument"))
                    .map(estimated_len)
                    .sum();
                policy_size(
                    id,
                    "Policies",
                    "the role's inline policies",
                    total,
                    Limit::iam(ROLE_INLINE_POLICY_BYTES),
                    diags,
                );
            }
            "AWS::IAM::ManagedPolicy" => {
                if let Some(doc) = r.field("PolicyDocument") {
                    policy_size(
                        id,
                        "PolicyDocument",
                        "the managed policy",
                        estimated_len(doc),
                        Limit::iam(MANAGED_POLICY_BYTES),
                        diags,
                    );
                }
            }
            _ => {}
        }
    }
}

fn literal_str(e: Option<&Expr>) -> Option<&str> {
    match e {
        Some(Expr::Lit(serde_json::Value::String(s))) => Some(s),
        _ => None,
    }
}

fn dynamodb_keys(id: &str, props: &Resolved, diags: &mut Vec<Diagnostic>) {
    let defined: BTreeSet<&str> = props
        .list("AttributeDefinitions")
        .iter()
        .filter_map(|d| literal_str(field(d, "AttributeName")))
        .collect();
    if props
        .field("AttributeDefinitions")
        .is_some_and(|d| !matches!(d, Expr::Array(_)))
    {
        return; // computed: nothing to compare offline
    }
    let mut keys: Vec<(String, &str)> = Vec::new();
    for k in props.list("KeySchema") {
        if let Some(name) = literal_str(field(k, "AttributeName")) {
            keys.push(("KeySchema".into(), name));
        }
    }
    for section in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for (i, index) in props.list(section).iter().enumerate() {
            for k in list(index, "KeySchema") {
                if let Some(name) = literal_str(field(k, "AttributeName")) {
                    keys.push((format!("{section}.{i}.KeySchema"), name));
                }
            }
        }
    }
    for (path, name) in &keys {
        if !defined.contains(name) {
            diags.push(Diagnostic::error(
                Location::property(id, path),
                format!("key attribute `{name}` has no attribute definition"),
                format!("add {{AttributeName: {name}, AttributeType: S|N|B}} to AttributeDefinitions, or use the Table construct, which derives them from the keys"),
            ));
        }
    }
    let used: BTreeSet<&str> = keys.iter().map(|(_, n)| *n).collect();
    for name in defined.difference(&used) {
        diags.push(Diagnostic::error(
            Location::property(id, "AttributeDefinitions"),
            format!("attribute `{name}` is defined but is not a key of the table or an index; DynamoDB rejects that"),
            "define only key attributes; other attributes need no definition",
        ));
    }
}

/// Lambda keeps one resource policy per function, with a statement per permission;
/// permissions are grouped by the function they name and their statements estimated.
fn lambda_resource_policies(resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    use std::collections::BTreeMap;
    // Sid, Effect, Action, the function's ARN and the JSON punctuation around them.
    const STATEMENT_BASE: usize = 200;
    let mut by_function: BTreeMap<String, (usize, Vec<&str>)> = BTreeMap::new();
    for r in resolved
        .iter()
        .filter(|r| r.entry.type_name == "AWS::Lambda::Permission")
    {
        let Some(function) = r.field("FunctionName") else {
            continue;
        };
        let size = STATEMENT_BASE
            + [
                "Principal",
                "SourceArn",
                "SourceAccount",
                "PrincipalOrgID",
                "EventSourceToken",
            ]
            .iter()
            .filter_map(|k| r.field(k))
            .map(estimated_len)
            .sum::<usize>();
        // Named by the function's logical ID when the permission refers to one.
        let name = match function.references().first() {
            Some((t, _)) => format!("`{}`", t.id),
            None => format!("`{}`", function.to_json().to_string().escape_debug()),
        };
        let entry = by_function.entry(name).or_default();
        entry.0 += size;
        entry.1.push(&r.entry.target.id);
    }
    for (function, (bytes, permissions)) in by_function {
        let first = permissions[0];
        policy_size(
            first,
            "FunctionName",
            &format!(
                "the {} permissions on function {function}",
                permissions.len()
            ),
            bytes,
            Limit {
                service: "Lambda",
                what: "a function's resource-based policy",
                bytes: LAMBDA_RESOURCE_POLICY_BYTES,
                fix: "grant fewer permissions: one permission for a whole API (`RestApi::one_invoke_permission` / `HttpApi::one_invoke_permission`, source ARN `<api-id>/*/*`) instead of one per route, or spread the routes over more functions",
            },
            diags,
        );
    }
}

/// A policy size limit: whose it is, and how to stay under it.
struct Limit {
    service: &'static str,
    what: &'static str,
    bytes: usize,
    fix: &'static str,
}

impl Limit {
    fn iam(bytes: usize) -> Limit {
        Limit {
            service: "IAM",
            what: "this policy",
            bytes,
            fix: "grant on fewer, broader resources (such as a wildcard ARN pattern), split the permissions across roles, or use managed policies",
        }
    }
}

/// The policy's size as IAM counts it (no whitespace), with each computed value
/// estimated at the length of a typical ARN, since it is only known at deploy.
fn estimated_len(e: &Expr) -> usize {
    const COMPUTED: usize = 100;
    match e {
        Expr::Lit(v) => compact_len(v),
        Expr::Array(items) => {
            2 + items.iter().map(estimated_len).sum::<usize>() + items.len().saturating_sub(1)
        }
        Expr::Object(m) => {
            2 + m
                .iter()
                .map(|(k, v)| k.len() + 3 + estimated_len(v))
                .sum::<usize>()
                + m.len().saturating_sub(1)
        }
        _ => COMPUTED,
    }
}

/// The length of `v` as compact JSON (what `v.to_string()` would give), counted without
/// building the text: policies are measured on every synth.
fn compact_len(v: &serde_json::Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing into a counter cannot fail, and a `Value` always serializes.
    let _ = serde_json::to_writer(&mut count, v);
    count.0
}

fn policy_size(
    id: &str,
    path: &str,
    what: &str,
    bytes: usize,
    limit: Limit,
    diags: &mut Vec<Diagnostic>,
) {
    let Limit {
        service,
        what: limited,
        bytes: max,
        fix,
    } = limit;
    if bytes > max {
        diags.push(Diagnostic::error(
            Location::property(id, path),
            format!("{what} come to about {bytes} bytes (computed values estimated); {service} allows {max} for {limited}"),
            fix,
        ));
    } else if bytes * 5 >= max * 4 {
        diags.push(Diagnostic::warning(
            Location::property(id, path),
            format!(
                "{what} come to about {bytes} bytes, {}% of {service}'s limit of {max} for {limited}",
                bytes * 100 / max
            ),
            format!("plan to consolidate before the limit: {fix}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::compact_len;
    use serde_json::json;

    /// The counted length is the length of the compact text, escapes and non-ASCII included.
    #[test]
    fn compact_len_is_the_length_of_the_compact_text() {
        for v in [
            json!(null),
            json!(1.5e300),
            json!(-7),
            json!("a \"quoted\" ünïcode\n\u{1}"),
            json!({ "Statement": [{ "Action": ["s3:GetObject"], "Effect": "Allow" }] }),
        ] {
            assert_eq!(compact_len(&v), v.to_string().len(), "{v}");
        }
    }
}
