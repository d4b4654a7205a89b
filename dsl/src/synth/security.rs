//! Security checks at synth: wildcard actions and principals, public or unencrypted
//! buckets, Lambda permissions open to other accounts' resources, secrets written into
//! templates. Each finding has an id, a severity, and a per-resource opt-out with a
//! reason: `stack.resource(&h).suppress("NEPHOS-BUCKET-PUBLIC", "public website")`.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, field};

/// `Allow` of `Action: "*"` (every action of every service).
pub const IAM_WILDCARD_ACTION: &str = "NEPHOS-IAM-WILDCARD-ACTION";
/// `Allow` of write actions on `Resource: "*"`.
pub const IAM_WILDCARD_RESOURCE: &str = "NEPHOS-IAM-WILDCARD-RESOURCE";
/// A resource policy allowing `Principal: "*"` without a condition.
pub const PRINCIPAL_WILDCARD: &str = "NEPHOS-PRINCIPAL-WILDCARD";
/// A bucket without default encryption settings.
pub const BUCKET_UNENCRYPTED: &str = "NEPHOS-BUCKET-UNENCRYPTED";
/// A bucket that does not block public access.
pub const BUCKET_PUBLIC: &str = "NEPHOS-BUCKET-PUBLIC";
/// A Lambda permission for S3 or SNS not scoped to the source.
pub const LAMBDA_PERMISSION_UNSCOPED: &str = "NEPHOS-LAMBDA-PERMISSION-UNSCOPED";
/// A literal that looks like a secret in a function's environment.
pub const SECRET_IN_ENVIRONMENT: &str = "NEPHOS-SECRET-IN-ENVIRONMENT";

/// Every check id, for documentation and for validating suppressions.
pub const ALL: &[&str] = &[
    IAM_WILDCARD_ACTION,
    IAM_WILDCARD_RESOURCE,
    PRINCIPAL_WILDCARD,
    BUCKET_UNENCRYPTED,
    BUCKET_PUBLIC,
    LAMBDA_PERMISSION_UNSCOPED,
    SECRET_IN_ENVIRONMENT,
];

struct Finder<'a> {
    id: &'a str,
    suppressed: &'a [(String, String)],
    out: Vec<Diagnostic>,
}

impl Finder<'_> {
    fn find(&mut self, check: &str, severity: Severity, path: &str, message: String, fix: &str) {
        if self.suppressed.iter().any(|(c, _)| c == check) {
            return;
        }
        let location = Location::property(self.id, path);
        let message = format!("[{check}] {message}");
        let fix = format!(
            "{fix}; or, if intended, `stack.resource(&handle).suppress(\"{check}\", \"why\")`"
        );
        self.out.push(match severity {
            Severity::Error => Diagnostic::error(location, message, fix),
            Severity::Warning => Diagnostic::warning(location, message, fix),
        });
    }
}

/// The types the checks read ([`check`]'s `match`).
const CHECKED: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Function",
];

/// Runs every check on every resource: the suppressions of each, then the checks of the
/// resources of the types they read.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.all() {
        let id = &*r.entry.target.id;
        for (check, reason) in &r.entry.suppressions {
            if !ALL.contains(&check.as_str()) {
                diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("suppression of unknown check `{check}`"),
                    format!("use one of {}", ALL.join(", ")),
                ));
            } else if reason.trim().is_empty() {
                diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("suppression of `{check}` has no reason"),
                    "say why the finding is acceptable here; the reason is the review record",
                ));
            }
        }
    }
    for r in resources.of_types(CHECKED) {
        let mut f = Finder {
            id: &r.entry.target.id,
            suppressed: &r.entry.suppressions,
            out: Vec::new(),
        };
        let props = r;
        match r.entry.type_name.as_str() {
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                let policies = props.field("Policies").map(opened);
                if let Some(Expr::Array(policies)) = policies.as_deref() {
                    for (i, p) in policies.iter().enumerate() {
                        if let Some(doc) = field(p, "PolicyDocument") {
                            identity_policy(&mut f, &PolicyAt::Inline(i), doc);
                        }
                    }
                }
            }
            // A separate inline policy (`AWS::IAM::RolePolicy` and the like, such as a
            // role's `<Role>DependentGrants`) is checked as the identity's own `Policies`.
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => {
                if let Some(doc) = props.field("PolicyDocument") {
                    identity_policy(&mut f, &PolicyAt::Document, &opened(doc));
                }
            }
            "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
                if let Some(doc) = props.field("PolicyDocument") {
                    resource_policy(&mut f, "PolicyDocument", &opened(doc));
                }
            }
            "AWS::KMS::Key" => {
                if let Some(doc) = props.field("KeyPolicy") {
                    resource_policy(&mut f, "KeyPolicy", &opened(doc));
                }
            }
            "AWS::S3::Bucket" => bucket(&mut f, props),
            "AWS::Lambda::Permission" => lambda_permission(&mut f, props),
            "AWS::Lambda::Function" => environment(&mut f, props),
            _ => {}
        }
        diags.extend(f.out);
    }
}

/// A policy (or list of policies) given as one literal JSON value (a raw resource's
/// `json!` property) opened up as the expression tree a typed builder gives, so its
/// statements are checked alike.
fn opened(e: &Expr) -> std::borrow::Cow<'_, Expr> {
    match e {
        Expr::Lit(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            std::borrow::Cow::Owned(Expr::from_json(v.clone()))
        }
        _ => std::borrow::Cow::Borrowed(e),
    }
}

fn lit(e: &Expr) -> Option<&str> {
    match e {
        Expr::Lit(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// A policy element that may be one string or a list of them.
fn strings(e: Option<&Expr>) -> Vec<&str> {
    match e {
        Some(Expr::Array(items)) => items.iter().filter_map(lit).collect(),
        Some(Expr::Lit(serde_json::Value::Array(items))) => {
            items.iter().filter_map(|v| v.as_str()).collect()
        }
        Some(other) => lit(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn statements(doc: &Expr) -> Vec<&Expr> {
    match field(doc, "Statement") {
        Some(Expr::Array(items)) => items.iter().collect(),
        Some(one @ Expr::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

fn allows(statement: &Expr) -> bool {
    field(statement, "Effect").and_then(lit) == Some("Allow")
}

/// Whether an action changes something: a wildcard, or a verb that writes.
pub(crate) fn is_write_action(action: &str) -> bool {
    const VERBS: &[&str] = &[
        "Put",
        "Create",
        "Delete",
        "Update",
        "Write",
        "Send",
        "Publish",
        "Modify",
        "Attach",
        "Detach",
        "Set",
        "Add",
        "Remove",
        "Replace",
        "Restore",
        "Start",
        "Stop",
        "Terminate",
        "Reboot",
        "Run",
        "Invoke",
        "Execute",
        "Pass",
        "Upload",
        "Import",
        "Enable",
        "Disable",
        "Abort",
        "Change",
        "Tag",
        "Untag",
        "Batch",
    ];
    let verb = action.split(':').nth(1).unwrap_or(action);
    verb.contains('*') || VERBS.iter().any(|v| verb.starts_with(v))
}

/// Where an identity policy's document sits in its resource, written into a path only for
/// a finding (most policies have none): a role's every inline policy would otherwise
/// format its path.
enum PolicyAt {
    /// `Policies.<i>.PolicyDocument` of a role, user or group.
    Inline(usize),
    /// `PolicyDocument` of a policy resource.
    Document,
}

impl std::fmt::Display for PolicyAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyAt::Inline(i) => write!(f, "Policies.{i}.PolicyDocument"),
            PolicyAt::Document => f.write_str("PolicyDocument"),
        }
    }
}

fn identity_policy(f: &mut Finder, path: &PolicyAt, doc: &Expr) {
    for (i, s) in statements(doc)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| allows(s))
    {
        // The path is made only for a finding: most statements have none.
        let at = || format!("{path}.Statement.{i}");
        let actions = strings(field(s, "Action"));
        if actions.contains(&"*") {
            f.find(
                IAM_WILDCARD_ACTION,
                Severity::Error,
                &at(),
                "allows every action (`Action: \"*\"`)".into(),
                "list the actions the workload calls, or use a grant method that does",
            );
        }
        // Actions are sorted into writes only on every resource (`*`), where they matter.
        if !strings(field(s, "Resource")).contains(&"*") {
            continue;
        }
        let writes: Vec<&str> = actions
            .iter()
            .copied()
            .filter(|a| *a != "*" && is_write_action(a))
            .collect();
        if !writes.is_empty() {
            f.find(
                IAM_WILDCARD_RESOURCE,
                Severity::Error,
                &at(),
                format!(
                    "allows write actions ({}) on every resource (`Resource: \"*\"`)",
                    writes.join(", ")
                ),
                "scope the statement to the ARNs it writes to",
            );
        }
    }
}

fn principal_is_anyone(p: Option<&Expr>) -> bool {
    match p {
        Some(e) if lit(e) == Some("*") => true,
        Some(e) => strings(field(e, "AWS")).contains(&"*"),
        None => false,
    }
}

fn resource_policy(f: &mut Finder, path: &str, doc: &Expr) {
    for (i, s) in statements(doc)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| allows(s))
    {
        if principal_is_anyone(field(s, "Principal")) && field(s, "Condition").is_none() {
            f.find(
                PRINCIPAL_WILDCARD,
                Severity::Error,
                &format!("{path}.Statement.{i}.Principal"),
                "allows anyone (`Principal: \"*\"`) with no condition".into(),
                "name the principals, or add a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID",
            );
        }
    }
}

fn bucket(f: &mut Finder, props: &Resolved) {
    if props.field("BucketEncryption").is_none() {
        f.find(
            BUCKET_UNENCRYPTED,
            Severity::Warning,
            "BucketEncryption",
            "the bucket does not set default encryption".into(),
            "set BucketEncryption (the Bucket construct sets SSE-S3 by default)",
        );
    }
    let block = props.field("PublicAccessBlockConfiguration");
    let open: Vec<&str> = [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ]
    .into_iter()
    .filter(|k| {
        !matches!(
            block.and_then(|b| field(b, k)),
            Some(Expr::Lit(serde_json::Value::Bool(true)))
        )
    })
    .collect();
    if !open.is_empty() {
        f.find(
            BUCKET_PUBLIC,
            Severity::Error,
            "PublicAccessBlockConfiguration",
            format!(
                "the bucket does not block public access ({} not true)",
                open.join(", ")
            ),
            "set all four PublicAccessBlockConfiguration flags to true (the Bucket construct does)",
        );
    }
}

fn lambda_permission(f: &mut Finder, props: &Resolved) {
    let principal = props.field("Principal").and_then(lit).unwrap_or("");
    if principal == "*" {
        f.find(
            PRINCIPAL_WILDCARD,
            Severity::Error,
            "Principal",
            "lets anyone invoke the function".into(),
            "name the service or account that invokes it",
        );
    }
    let missing: Vec<&str> = match principal {
        "s3.amazonaws.com" => ["SourceArn", "SourceAccount"]
            .into_iter()
            .filter(|k| props.field(k).is_none())
            .collect(),
        "sns.amazonaws.com" => ["SourceArn"]
            .into_iter()
            .filter(|k| props.field(k).is_none())
            .collect(),
        _ => Vec::new(),
    };
    if !missing.is_empty() {
        f.find(
            LAMBDA_PERMISSION_UNSCOPED,
            Severity::Error,
            missing[0],
            format!(
                "lets {principal} invoke the function for any source ({} missing)",
                missing.join(" and ")
            ),
            "set SourceArn (and SourceAccount for S3) so only your bucket or topic can invoke it",
        );
    }
}

fn looks_secret(key: &str, value: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let named = [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
    ]
    .iter()
    .any(|w| k.contains(w));
    let shaped = (value.len() == 20 && (value.starts_with("AKIA") || value.starts_with("ASIA")))
        || value.contains("-----BEGIN")
        || value.starts_with("xoxb-")
        || value.starts_with("ghp_")
        || value.starts_with("sk_live_");
    shaped || (named && !value.is_empty())
}

fn environment(f: &mut Finder, props: &Resolved) {
    let Some(Expr::Object(vars)) = props
        .field("Environment")
        .and_then(|e| field(e, "Variables"))
    else {
        return;
    };
    for (k, v) in vars {
        if let Some(value) = lit(v)
            && looks_secret(k, value)
        {
            f.find(
                SECRET_IN_ENVIRONMENT,
                Severity::Error,
                &format!("Environment.Variables.{k}"),
                format!("`{k}` holds a literal that looks like a secret; it would be readable in the template and the console"),
                "store it in Secrets Manager or SSM Parameter Store and pass its name or ARN instead",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`CHECKED`] names every type [`check`]'s `match` reads, and only those: a type left
    /// out of it would never meet its checks.
    #[test]
    fn the_checked_types_are_the_types_the_match_reads() {
        let source = include_str!("security.rs");
        let start = source
            .find("for r in resources.of_types(CHECKED)")
            .expect("the checks' loop");
        let end = start
            + source[start..]
                .find("_ => {}")
                .expect("the match's last arm");
        let mut matched: Vec<&str> = source[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|t| t.starts_with("AWS::"))
            .collect();
        matched.sort_unstable();
        let mut checked = CHECKED.to_vec();
        checked.sort_unstable();
        assert_eq!(matched, checked);
    }

    #[test]
    fn write_actions_are_told_apart_from_reads() {
        assert!(is_write_action("s3:PutObject"));
        assert!(is_write_action("dynamodb:BatchWriteItem"));
        assert!(is_write_action("s3:*"));
        assert!(!is_write_action("dynamodb:ListStreams"));
        assert!(!is_write_action("s3:GetObject"));
    }

    #[test]
    fn secrets_are_recognised_by_name_or_shape() {
        assert!(looks_secret("DB_PASSWORD", "hunter2"));
        assert!(looks_secret("KEY", "AKIAABCDEFGHIJKLMNOP"));
        assert!(!looks_secret("TABLE_NAME", "users"));
        assert!(!looks_secret("DB_PASSWORD", ""));
    }
}
