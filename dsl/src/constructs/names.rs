//! Physical names computed inside the template, so a resource's name (and ARN) can be
//! used without referring to the resource itself: that is what keeps wiring such as an
//! S3 notification and its Lambda permission free of cycles. Also the services' naming
//! rules, so a construct refuses a literal name at synth rather than at deploy.

use crate::kind::Str;
use crate::value::expr::Expr;
use crate::value::intrinsics::{select, split};
use crate::value::value::Value;
use crate::{aws, sub};

/// The stack id's UUID: lower-case hex, unique per stack, stable across updates.
pub fn stack_uuid() -> Value<Str> {
    select(2, split("/", aws::stack_id()))
}

/// A bucket name unique per stack: `<stack>-<id>-<uuid>`, lower case, at most 63 bytes,
/// and within every rule of [`bucket_name_problem`] whatever the stack and ID are.
pub fn bucket_name(stack: &str, id: &str) -> Value<Str> {
    sub!(
        "${prefix}-${uuid}",
        prefix = bucket_name_prefix(stack, id),
        uuid = stack_uuid()
    )
}

/// The readable part of [`bucket_name`]: the stack's and the ID's letters and digits.
fn bucket_name_prefix(stack: &str, id: &str) -> String {
    let clean = |s: &str| -> String {
        s.to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    // 63 bytes: the 36-byte UUID, two hyphens, and 25 for the readable part.
    let mut stack_part = clean(stack);
    let mut id_part = clean(id);
    id_part.truncate(12);
    stack_part.truncate(24 - id_part.len());
    let mut prefix = [stack_part, id_part]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    // Names may not start with some prefixes (`sthree-` for a stack named "sthree"): a
    // leading letter avoids them all, and an empty prefix, too.
    if bucket_name_problem(&format!("{prefix}-{SAMPLE_UUID}")).is_some() {
        prefix.insert(0, 'b');
    }
    prefix
}

/// A UUID as the stack id carries it, to check a computed name's literal part.
const SAMPLE_UUID: &str = "51af3dc0-da77-11e4-872e-1234567db123";

/// Why `name` cannot name a general purpose S3 bucket, or `None`. The rules of the Amazon
/// S3 User Guide, "General purpose bucket naming rules": 3 to 63 characters; lower-case
/// letters, digits, dots and hyphens; a letter or digit first and last; no two adjacent
/// dots, no dot next to a hyphen; not an IP address; none of the reserved prefixes and suffixes.
///
/// A bucket of a template has its name checked at synth: the rules its registry schema
/// states (`BucketName`: at most 63 characters, `^([a-z0-9][a-z0-9.-]*[a-z0-9])?$`) by the
/// schema's constraints, the others by [`bucket_name_problem_beyond_schema`]. This one
/// applies all of them to a name given without a template (an imported bucket's).
pub fn bucket_name_problem(name: &str) -> Option<String> {
    let shown = name.escape_debug();
    if !(3..=63).contains(&name.len()) {
        return Some(format!(
            "`{shown}` has {} characters; bucket names have 3 to 63",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(format!(
            "`{shown}` contains `{}`; bucket names use lower-case letters, digits, dots and hyphens",
            c.escape_debug()
        ));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        return Some(format!(
            "`{shown}` must begin and end with a letter or digit"
        ));
    }
    bucket_name_problem_beyond_schema(name)
}

/// The rules of [`bucket_name_problem`] that the registry schema of `AWS::S3::Bucket` does
/// not state (its `BucketName` pattern and `maxLength` are checked at synth as every
/// schema constraint is): at least 3 characters, no two adjacent dots, no dot next to a
/// hyphen, not an IP address, none of the reserved prefixes and suffixes (Amazon S3 User
/// Guide, "General purpose bucket naming rules").
///
/// ```
/// use nephos::constructs::names::bucket_name_problem_beyond_schema;
/// assert!(bucket_name_problem_beyond_schema("my-bucket.logs-1").is_none());
/// assert!(bucket_name_problem_beyond_schema("ab").is_some());
/// assert!(bucket_name_problem_beyond_schema("a..b").is_some());
/// ```
pub fn bucket_name_problem_beyond_schema(name: &str) -> Option<String> {
    const PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
    const SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
    let shown = name.escape_debug();
    if name.len() < 3 {
        return Some(format!(
            "`{shown}` has {} characters; bucket names have 3 to 63",
            name.chars().count()
        ));
    }
    if name.contains("..") {
        return Some(format!("`{shown}` has two adjacent dots"));
    }
    // A dot next to a hyphen makes an invalid DNS label (cfn-lint rule E1161 refuses it,
    // as S3's rules for virtual-hosted-style access do).
    if name.contains(".-") || name.contains("-.") {
        return Some(format!("`{shown}` has a dot next to a hyphen"));
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(format!("`{shown}` is formatted as an IP address"));
    }
    if let Some(p) = PREFIXES.iter().find(|p| name.starts_with(*p)) {
        return Some(format!("`{shown}` starts with `{p}`, which S3 reserves"));
    }
    if let Some(s) = SUFFIXES.iter().find(|s| name.ends_with(*s)) {
        return Some(format!("`{shown}` ends with `{s}`, which S3 reserves"));
    }
    None
}

/// A FIFO topic name unique per stack: `<stack>-<id>-<uuid>.fifo` from the stack's and the
/// ID's letters, digits, hyphens and underscores, within SNS `CreateTopic`'s rule (see
/// [`message_name_problem`]: up to 256 characters, `.fifo` included) whatever they are.
pub fn fifo_topic_name(stack: &str, id: &str) -> Value<Str> {
    sub!(
        "${prefix}-${uuid}.fifo",
        prefix = fifo_topic_name_prefix(stack, id),
        uuid = stack_uuid()
    )
}

/// The readable part of [`fifo_topic_name`].
fn fifo_topic_name_prefix(stack: &str, id: &str) -> String {
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(max)
            .collect()
    };
    // 256 characters: the 36-character UUID, a hyphen and `.fifo` leave 214.
    let parts = [clean(stack, 100), clean(id, 100)];
    let prefix = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if prefix.is_empty() {
        "topic".to_string()
    } else {
        prefix
    }
}

/// `arn:<partition>:s3:::<name>` from a name, without referring to the bucket.
pub fn bucket_arn(name: &Value<Str>) -> Value<Str> {
    sub!("arn:${AWS::Partition}:s3:::${name}", name = name.clone())
}

/// The ARN of the stage `stage` of the REST API `api`, in the form AWS WAF takes for a
/// web ACL association (`arn:<partition>:apigateway:<region>::/restapis/<api-id>/stages/<stage-name>`,
/// "AWS::WAFv2::WebACLAssociation", `ResourceArn`): a stage has no ARN attribute. Give it
/// the stage's `Ref` (its name), so what takes the ARN waits for the stage to exist.
///
/// ```
/// use nephos::{Stack, constructs::names::api_stage_arn};
/// let mut stack = Stack::new("Api");
/// let api = stack.add("Api", nephos::apigateway::RestApi::new().name("users"));
/// let stage = stack.add("Prod", nephos::apigateway::Stage::new(api.id()).stage_name("prod"));
/// let arn = api_stage_arn(api.id(), stage.reference());
/// assert_eq!(
///     arn.to_json()["Fn::Sub"],
///     "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}"
/// );
/// ```
pub fn api_stage_arn(
    api: impl crate::IntoValue<crate::kinds::ApiGatewayRestApiId>,
    stage: impl crate::IntoValue<crate::kinds::ApiGatewayStageName>,
) -> Value<crate::kinds::ApiGatewayStageArn> {
    sub!(
        "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${api}/stages/${stage}",
        api = api.into_value(),
        stage = stage.into_value()
    )
    .cast()
}

/// Whether a value refers to some resource (so using it would create a dependency).
pub fn refers_to_resources(v: &Value<Str>) -> bool {
    let mut found = false;
    v.expr.walk(&mut |e| {
        found |= matches!(e, Expr::Ref(t) | Expr::GetAtt(t, _) if t.kind == crate::value::expr::TargetKind::Resource)
    });
    found
}

/// The naming rule shared by SQS queues and SNS topics (SQS `CreateQueue` `QueueName`: up to
/// 80 characters; SNS `CreateTopic` `Name`: up to 256), with the fix: letters, digits,
/// hyphens and underscores, and a FIFO queue's or topic's name ends in `.fifo` (counted in
/// the length), while a standard one's does not. The queues and topics of a template have
/// their names checked at synth (`synth/checks/message_names.rs`), the length of a topic's by
/// its registry schema's `maxLength`; this serves names given without a template too
/// (an imported queue's or topic's).
pub fn message_name_problem(
    what: &str,
    name: &str,
    max: usize,
    fifo: bool,
) -> Option<(String, String)> {
    let shown = name.escape_debug();
    let base = match (fifo, name.strip_suffix(".fifo")) {
        (true, Some(base)) => base,
        (true, None) => {
            return Some((
                format!("the FIFO {what} name `{shown}` does not end in `.fifo`"),
                format!("name it `{shown}.fifo`"),
            ));
        }
        (false, Some(_)) => {
            return Some((
                format!("the {what} name `{shown}` ends in `.fifo`, but the {what} is not FIFO"),
                format!("call `.fifo()` on the {what}, or drop the suffix"),
            ));
        }
        (false, None) => name,
    };
    if base.is_empty() || name.len() > max {
        return Some((
            format!(
                "the {what} name `{shown}` has {} characters; {what} names have 1 to {max}",
                name.chars().count()
            ),
            format!("give a name of at most {max} characters"),
        ));
    }
    if let Some(c) = base
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some((
            format!("the {what} name `{shown}` contains `{}`", c.escape_debug()),
            "use letters, digits, hyphens and underscores".to_string(),
        ));
    }
    None
}

/// What Secrets Manager refuses in a secret's name, in words (AWS Secrets Manager API
/// Reference, `CreateSecret` `Name`: 1 to 512 characters, letters, digits and
/// `/_+=.@-`); empty when the name is accepted.
///
/// ```
/// use nephos::constructs::names::secret_name_problems;
/// assert!(secret_name_problems("prod/db-login_1+=.@").is_empty());
/// assert!(secret_name_problems("a b")[0].contains("` `"));
/// ```
///
/// A secret of a template has its name checked at synth: its length by the registry
/// schema's `maxLength` (512), the rest by [`secret_name_problems_beyond_schema`]. This
/// one applies all of them to a name given without a template (an imported secret's).
pub fn secret_name_problems(name: &str) -> Vec<String> {
    let mut out = secret_name_problems_beyond_schema(name);
    let n = name.chars().count();
    if n > 512 {
        out.insert(0, format!("is {n} characters long, not 1 to 512"));
    }
    out
}

/// The rules of [`secret_name_problems`] the registry schema of
/// `AWS::SecretsManager::Secret` does not state (its `Name` has `minLength` 0, the API 1):
/// not empty, letters, digits and `/_+=.@-` only (AWS Secrets Manager API Reference,
/// `CreateSecret` `Name`).
///
/// ```
/// use nephos::constructs::names::secret_name_problems_beyond_schema;
/// assert!(secret_name_problems_beyond_schema("prod/db-login_1+=.@").is_empty());
/// assert!(!secret_name_problems_beyond_schema("").is_empty());
/// ```
pub fn secret_name_problems_beyond_schema(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.is_empty() {
        out.push("is 0 characters long, not 1 to 512".to_string());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
    {
        out.push(format!(
            "holds `{}`, which a secret's name cannot",
            c.escape_debug()
        ));
    }
    out
}

/// Whether a secret's `name` ends with `-` and six letters or digits, as the random
/// suffix Secrets Manager adds to a secret's ARN does: such a name looked up by name may
/// be read as a partial ARN (AWS Secrets Manager User Guide, "Find secrets").
///
/// ```
/// use nephos::constructs::names::secret_name_ends_like_suffix;
/// assert!(secret_name_ends_like_suffix("db-AbC123"));
/// assert!(!secret_name_ends_like_suffix("db-login"));
/// ```
pub fn secret_name_ends_like_suffix(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 7 && b[b.len() - 7] == b'-' && b[b.len() - 6..].iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_s3_naming_rule_is_enforced() {
        assert_eq!(bucket_name_problem("my-bucket.logs-1"), None);
        for (name, why) in [
            ("ab", "3 to 63"),
            (&"a".repeat(64), "3 to 63"),
            ("My-Bucket", "contains `M`"),
            ("my_bucket", "contains `_`"),
            ("-bucket", "begin and end"),
            ("bucket.", "begin and end"),
            ("my..bucket", "adjacent dots"),
            ("a.-b", "dot next to a hyphen"),
            ("a-.b", "dot next to a hyphen"),
            ("192.168.5.4", "IP address"),
            ("xn--bucket", "`xn--`"),
            ("sthree-bucket", "`sthree-`"),
            ("amzn-s3-demo-bucket", "`amzn-s3-demo-`"),
            ("bucket-s3alias", "`-s3alias`"),
            ("bucket--ol-s3", "`--ol-s3`"),
            ("bucket.mrap", "`.mrap`"),
            ("bucket--x-s3", "`--x-s3`"),
            ("bucket--table-s3", "`--table-s3`"),
        ] {
            let p = bucket_name_problem(name);
            assert!(
                p.as_deref().is_some_and(|p| p.contains(why)),
                "{name}: {p:?}"
            );
        }
    }

    #[test]
    fn queue_and_topic_names_follow_their_rules() {
        assert_eq!(message_name_problem("queue", "jobs", 80, false), None);
        assert_eq!(message_name_problem("queue", "jobs.fifo", 80, true), None);
        for (name, max, fifo, why) in [
            ("jobs", 80, true, "does not end in `.fifo`"),
            ("jobs.fifo", 80, false, "is not FIFO"),
            ("jobs queue", 80, false, "contains ` `"),
            ("a.b.fifo", 80, true, "contains `.`"),
            ("", 80, false, "1 to 80"),
            (&"q".repeat(81), 80, false, "1 to 80"),
            (&format!("{}.fifo", "t".repeat(252)), 256, true, "1 to 256"),
        ] {
            let p = message_name_problem("queue", name, max, fifo);
            assert!(
                p.as_ref().is_some_and(|(m, _)| m.contains(why)),
                "{name}: {p:?}"
            );
        }
    }

    #[test]
    fn computed_fifo_topic_names_follow_the_rule_whatever_the_stack_and_id() {
        let long = "T".repeat(300);
        for (stack, id) in [
            ("App", "Orders"),
            ("", ""),
            ("a.b c", "x/y"),
            (long.as_str(), long.as_str()),
        ] {
            let name = format!("{}-{SAMPLE_UUID}.fifo", fifo_topic_name_prefix(stack, id));
            assert_eq!(
                message_name_problem("topic", &name, 256, true),
                None,
                "{stack:?}/{id:?} gave {name}"
            );
        }
    }

    #[test]
    fn computed_names_follow_the_rules_whatever_the_stack_and_id() {
        let long = "A".repeat(200);
        for (stack, id) in [
            ("UploadPipeline", "Uploads"),
            ("sthree", "Data"),
            ("xn", "Data"),
            ("amzn", "S3"),
            ("---", "Files"),
            ("", ""),
            (long.as_str(), long.as_str()),
            ("Stack", "192"),
        ] {
            let name = format!("{}-{SAMPLE_UUID}", bucket_name_prefix(stack, id));
            assert_eq!(
                bucket_name_problem(&name),
                None,
                "{stack:?}/{id:?} gave {name}"
            );
        }
    }

    #[test]
    fn secret_names_are_checked_as_secrets_manager_does() {
        assert!(secret_name_problems("prod/db-login_1+=.@").is_empty());
        assert_eq!(secret_name_problems("").len(), 1);
        assert_eq!(secret_name_problems(&"a".repeat(513)).len(), 1);
        assert!(secret_name_problems("a b")[0].contains("` `"));
        assert!(secret_name_ends_like_suffix("db-AbC123"));
        assert!(!secret_name_ends_like_suffix("db-AbC12"));
        assert!(!secret_name_ends_like_suffix("db-login"));
    }
}
