//! The shape check of a typed literal: `Value::<K>::literal(text)` for a kind that names a
//! resource attribute must look like one. The shapes are data (`kinds::SHAPES`, generated
//! by `nephos-codegen`'s `kind_shapes`): the attribute's `pattern` in its registry schema,
//! or the ARN syntax for an ARN kind without one. For the formats cfn-lint checks with a
//! pattern of its own (rules E1150-E1164: VPC, subnet, security group and AMI IDs, KMS key
//! IDs and ARNs, ACM and Lambda ARNs...), the literal must fit that pattern too
//! (`kinds::LINT_SHAPES`, from `dsl/codegen/src/lint_formats.rs`), so synth refuses what the
//! lint gate would. A literal that does not fit becomes an invalid value, which synth reports
//! at the resource and property it reaches.
//!
//! A literal holding a CloudFormation dynamic reference (`{{resolve:ssm:/network/vpc-id}}`)
//! is resolved at deploy, so its text says nothing of the value: it passes, as a value
//! computed by an intrinsic does ([`dynamic_reference`]).

use crate::generated::kinds::{LINT_SHAPES, SHAPES, SHAPES_TEXT};
use crate::table_text;
use crate::value::dynamic_reference;

/// How much of a refused literal a diagnostic quotes.
const QUOTED_CHARS: usize = 80;

/// The shape of one format, if the data has one: `(pattern, source)`.
fn shape_of(format: &str) -> Option<(&'static str, &'static str)> {
    let i = SHAPES
        .binary_search_by(|row| table_text::bytes(SHAPES_TEXT, row[0]).cmp(format.as_bytes()))
        .ok()?;
    let [_, pattern, source] = table_text::row(SHAPES_TEXT, &SHAPES[i]);
    Some((pattern, source))
}

/// Every row of `SHAPES`: `[format, pattern, source]`.
#[cfg(test)]
fn shapes() -> impl Iterator<Item = [&'static str; 3]> {
    SHAPES.iter().map(|row| table_text::row(SHAPES_TEXT, row))
}

/// cfn-lint's pattern of one format, if it checks it with a rule of its own: `(pattern, rule)`.
fn lint_shape_of(format: &str) -> Option<(&'static str, &'static str)> {
    LINT_SHAPES
        .binary_search_by(|(f, _, _)| (*f).cmp(format))
        .ok()
        .map(|i| (LINT_SHAPES[i].1, LINT_SHAPES[i].2))
}

/// The message when cfn-lint's pattern `lint` of `member` refuses `text`; `None` when it
/// takes it, when there is none, or when it cannot judge (no evidence).
fn lint_refusal(
    member: &str,
    lint: Option<(&'static str, &'static str)>,
    text: &str,
) -> Option<String> {
    let (pattern, rule) = lint?;
    (fits(pattern, text) == Some(false))
        .then(|| format!("`{member}` matches `{pattern}` (cfn-lint's rule {rule} for the format)"))
}

/// Whether `text` matches `pattern`; `None` when the engine cannot say (a pattern it does not
/// compile, or a match past its backtracking limit): no evidence either way.
fn fits(pattern: &str, text: &str) -> Option<bool> {
    fancy_regex::Regex::new(pattern).ok()?.is_match(text).ok()
}

/// The format a kind's rows are keyed by: its name, except the generic ARN kind's, keyed
/// by the format the generator's corrections give it (`nephos::AnyArn`).
const fn data_format(format: &str) -> &str {
    if same(
        format.as_bytes(),
        <crate::kind::AnyArn as crate::kind::Kind>::NAME.as_bytes(),
    ) {
        "nephos::AnyArn"
    } else {
        format
    }
}

/// Whether [`check`] takes any text for the kind `format` names: it is not a union, and
/// neither `SHAPES` nor `LINT_SHAPES` has a row for it (most kinds: a generated enum, a
/// name, free text). A `const fn`, so `Value::<K>::literal` knows it for each kind when
/// it is compiled and skips the lookups (two binary searches of the tables, about a
/// thousand instructions and cache misses in the tables, for every enum value set) and
/// the search of the text for a dynamic reference.
pub(crate) const fn takes_any_text(format: &str) -> bool {
    let format = data_format(format).as_bytes();
    if contains(format, b" | ") {
        return false;
    }
    // `SHAPES`, sorted by format (as its bytes): a binary search, as `shape_of`'s.
    let (mut low, mut high) = (0, SHAPES.len());
    while low < high {
        let mid = low + (high - low) / 2;
        match compare(const_bytes(SHAPES_TEXT, SHAPES[mid][0]), format) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => return false,
        }
    }
    let mut i = 0;
    while i < LINT_SHAPES.len() {
        if same(LINT_SHAPES[i].0.as_bytes(), format) {
            return false;
        }
        i += 1;
    }
    true
}

/// [`table_text::bytes`] in a `const fn`: a range off the text reads as empty.
const fn const_bytes(text: &'static str, (start, len): (u32, u32)) -> &'static [u8] {
    let (start, len) = (start as usize, len as usize);
    let bytes = text.as_bytes();
    if start > bytes.len() || len > bytes.len() - start {
        return &[];
    }
    bytes.split_at(start).1.split_at(len).0
}

/// `a.cmp(b)` for bytes, in a `const fn`.
const fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return if a[i] < b[i] {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
        }
        i += 1;
    }
    if a.len() < b.len() {
        std::cmp::Ordering::Less
    } else if a.len() > b.len() {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

/// `a == b` for bytes, in a `const fn`.
const fn same(a: &[u8], b: &[u8]) -> bool {
    matches!(compare(a, b), std::cmp::Ordering::Equal)
}

/// Whether `needle` occurs in `haystack`, in a `const fn`.
const fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let mut at = 0;
    while at + needle.len() <= haystack.len() {
        let mut i = 0;
        while i < needle.len() && haystack[at + i] == needle[i] {
            i += 1;
        }
        if i == needle.len() {
            return true;
        }
        at += 1;
    }
    false
}

/// Whether `text` may be a value of the kind `format` names (a union joins its members
/// with ` | `): it fits some member's shape, or some member has none (no evidence).
/// `Err` holds the message and fix when it fits none; `rust_name` gives the kind as the
/// user wrote it, read only for the message.
pub(crate) fn check(
    format: &str,
    rust_name: fn() -> &'static str,
    text: &str,
) -> Result<(), (String, String)> {
    if dynamic_reference::contains(text) {
        return Ok(());
    }
    let format = data_format(format);
    let union = format.contains(" | ");
    let mut expected = Vec::new();
    for member in crate::text::split(format, " | ") {
        if union && member == KMS_ALIAS_NAME && is_kms_alias_arn(text) {
            return Ok(());
        }
        let (shape, lint) = (shape_of(member), lint_shape_of(member));
        if shape.is_none() && lint.is_none() {
            return Ok(());
        }
        // The member's own shape first (its message names where the shape comes from),
        // then cfn-lint's pattern for what that shape took.
        let Some((pattern, source)) = shape else {
            match lint_refusal(member, lint, text) {
                Some(message) => {
                    expected.push(message);
                    continue;
                }
                None => return Ok(()),
            }
        };
        match fits(pattern, text) {
            // The generator emits only patterns this engine compiles; were one not to, or
            // were a match past the backtracking limit, there is no evidence from it.
            Some(true) | None => match lint_refusal(member, lint, text) {
                Some(message) => expected.push(message),
                None => return Ok(()),
            },
            Some(false) => expected.push(match source {
                "arn" => format!(
                    "`{member}` is an ARN, `arn:partition:service:region:account-id:resource`"
                ),
                "arn-service" => {
                    // `^arn:[^:]+:kms:...`: the service segment the generator wrote.
                    let service = pattern
                        .strip_prefix("^arn:[^:]+:")
                        .and_then(|rest| rest.split(':').next())
                        .unwrap_or("service");
                    format!(
                        "`{member}` is an ARN of `{service}`, `arn:partition:{service}:region:account-id:resource`"
                    )
                }
                "arn-template" => {
                    // `^arn:[^:]+:logs:[^:]*:[^:]*:log-group:.+`: the service and the start
                    // of the resource part of the type's ARN template.
                    let rest = pattern.strip_prefix("^arn:[^:]+:").unwrap_or(pattern);
                    let (service, resource) = rest.split_once(":[^:]*:[^:]*:").unwrap_or((rest, ""));
                    let resource = resource
                        .trim_end_matches(".+")
                        .trim_end_matches(".*")
                        .replace('\\', "");
                    format!(
                        "`{member}` is an ARN of `{service}`, `arn:partition:{service}:region:account-id:{resource}...` (the resource's ARN in the AWS service spec)"
                    )
                }
                "properties" => format!(
                    "`{member}` matches `{pattern}` (what the registry schemas' patterns of the properties taking it agree on)"
                ),
                _ => format!("`{member}` matches `{pattern}` (its registry schema's pattern)"),
            }),
        }
    }
    let rust_name = rust_name();
    Err((
        format!(
            "`Value::<{rust_name}>::literal({})` does not look like a `{rust_name}`: {}",
            quoted(text),
            expected.join("; or ")
        ),
        if dynamic_reference::near_miss(text) {
            format!(
                "correct the dynamic reference ({}), or write the {rust_name} itself",
                dynamic_reference::SYNTAX
            )
        } else {
            format!(
                "write the {rust_name} itself (as the resource's console or API shows it), or take it from the resource's handle"
            )
        },
    ))
}

/// The kind of a KMS alias's name (`alias/...`).
const KMS_ALIAS_NAME: &str = "AWS::KMS::Alias.AliasName";

/// Whether `text` is a KMS alias ARN, `arn:partition:kms:region:account-id:alias/name`.
/// Where a property takes a key by ID, ARN or alias name (a union with the alias name), it
/// takes the alias's ARN too: KMS reads every `KeyId` as a key ID, key ARN, alias name or
/// alias ARN (AWS KMS Developer Guide, "Key identifiers (KeyId)",
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>). No
/// resource attribute is an alias ARN, so no kind's shape holds it.
fn is_kms_alias_arn(text: &str) -> bool {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("kms"), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let name = rest.strip_prefix("alias/").unwrap_or("");
    !partition.is_empty()
        && !region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b))
}

/// `text` quoted as a Rust string literal with control and non-ASCII characters escaped
/// (nothing from it can move a terminal's cursor or reorder a line), at most
/// [`QUOTED_CHARS`] characters of it.
fn quoted(text: &str) -> String {
    let head: String = text.chars().take(QUOTED_CHARS).collect();
    let more = if head.len() < text.len() { "..." } else { "" };
    let escaped: String = format!("{head:?}")
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.escape_unicode().to_string()
            }
        })
        .collect();
    format!("{escaped}{more}")
}

#[cfg(test)]
mod tests {
    /// The kinds known at compile time to take any text are exactly those `check` finds
    /// no shape for in the tables: every format of both tables has a shape, and kinds
    /// outside them (enums, unions of shapeless members, the generic ARN kind) are judged
    /// as `check`'s lookups judge them.
    #[test]
    fn kinds_taking_any_text_are_those_without_a_row() {
        use super::*;
        let runtime = |format: &str| {
            let format = if format == <crate::kind::AnyArn as crate::kind::Kind>::NAME {
                "nephos::AnyArn"
            } else {
                format
            };
            !format.contains(" | ") && shape_of(format).is_none() && lint_shape_of(format).is_none()
        };
        let mut formats: Vec<&str> = shapes().map(|[format, _, _]| format).collect();
        formats.extend(LINT_SHAPES.iter().map(|(format, _, _)| *format));
        assert!(formats.len() > 1000);
        for format in &formats {
            assert!(!takes_any_text(format), "{format}");
        }
        let others = [
            "AWS::DynamoDB::Table.BillingMode",
            "AWS::Lambda::Function.Runtime",
            <crate::kind::AnyArn as crate::kind::Kind>::NAME,
            "nephos::AnyArn",
            "AWS::EC2::Subnet.Id | AWS::DynamoDB::Table.BillingMode",
            "",
            "zzz",
            "AAA",
        ];
        for format in formats.iter().copied().chain(others) {
            assert_eq!(takes_any_text(format), runtime(format), "{format}");
        }
        assert!(takes_any_text("AWS::DynamoDB::Table.BillingMode"));
    }

    use super::*;

    #[test]
    fn every_shape_compiles_and_rows_are_sorted() {
        for [format, pattern, source] in shapes() {
            assert!(
                fancy_regex::Regex::new(pattern).is_ok(),
                "{format}: {pattern}"
            );
            assert!(
                matches!(
                    source,
                    "schema" | "arn" | "arn-service" | "arn-template" | "properties"
                ),
                "{format}: {source}"
            );
            assert!(
                !format.is_empty() && !pattern.is_empty(),
                "{format}: {pattern}"
            );
            assert_eq!(shape_of(format), Some((pattern, source)), "{format}");
        }
        let formats: Vec<&str> = shapes().map(|[format, ..]| format).collect();
        assert!(formats.windows(2).all(|w| w[0] < w[1]));
        for (format, pattern, rule) in LINT_SHAPES {
            assert!(
                fancy_regex::Regex::new(pattern).is_ok(),
                "{format}: {pattern}"
            );
            assert!(rule.starts_with('E'), "{format}: {rule}");
        }
        assert!(LINT_SHAPES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SHAPES.len() > 1000, "only {} shapes", SHAPES.len());
    }

    /// atk13c B: literals cfn-lint refuses (rules E1150-E1164) that the schema-derived
    /// shapes alone took; the valid AWS forms still pass.
    #[test]
    fn literals_are_as_strict_as_cfn_lint_s_format_rules() {
        let refused = |format: &str, text: &str| {
            let r = check(format, || "K", text);
            assert!(r.is_err(), "{format} took {text:?}");
            r.unwrap_err().0
        };
        let takes = |format: &str, text: &str| {
            assert_eq!(
                check(format, || "K", text),
                Ok(()),
                "{format} refused {text:?}"
            );
        };
        let message = refused("AWS::EC2::VPC.Id", "vpc-1");
        assert!(message.contains("cfn-lint's rule E1151"), "{message}");
        refused("AWS::EC2::VPC.Id", "vpc-");
        refused("AWS::EC2::SecurityGroup.Id", "sg-XYZ");
        refused("AWS::EC2::Subnet.Id", "subnet-zzzz");
        refused("AWS::EC2::Image.Id", "ami-1");
        refused(
            "AWS::ACM::Certificate.Arn",
            "arn:aws:acm::123456789012:certificate/abc",
        );
        refused(
            "AWS::KMS::Key.Arn",
            "arn:aws:kms:us-east-1:acct:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        );
        refused("AWS::KMS::Key.Id", "my key");
        refused(
            "AWS::Lambda::Function.Arn",
            "arn:aws:lambda:us-east-1:123456789012:layer:shared:3",
        );
        refused("AWS::SNS::Topic.Arn", "arn:aws:sns:::t");
        refused("AWS::S3::Bucket.Name", "a..b");
        refused("AWS::S3::Bucket.Name", "ab");
        refused("AWS::EC2::SecurityGroup.Name", "web\nservers");
        takes("AWS::EC2::VPC.Id", "vpc-0123abcd");
        takes("AWS::EC2::VPC.Id", "vpc-0123456789abcdef0");
        takes("AWS::EC2::SecurityGroup.Id", "sg-0123456789abcdef0");
        takes("AWS::EC2::Subnet.Id", "subnet-0123abcd");
        takes("AWS::EC2::Image.Id", "ami-0123456789abcdef0");
        takes("AWS::KMS::Key.Id", "1234abcd-12ab-34cd-56ef-1234567890ab");
        takes("AWS::KMS::Key.Id", "mrk-1234abcd12ab34cd56ef1234567890ab");
        takes("AWS::KMS::Key.Id", "alias/app");
        takes("AWS::EC2::SecurityGroup.Name", "web servers");
        takes("AWS::S3::Bucket.Name", "my.bucket-1");
        takes(
            "AWS::Lambda::Function.Arn",
            "arn:aws:lambda:us-east-1:123456789012:function:f:live",
        );
        for partition in [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-eusc",
        ] {
            takes(
                "AWS::ACM::Certificate.Arn",
                &format!("arn:{partition}:acm:r-1:123456789012:certificate/abc"),
            );
            takes(
                "AWS::KMS::Key.Arn",
                &format!("arn:{partition}:kms:r-1:123456789012:key/1"),
            );
        }
        // A union takes a text one member's shapes take: an alias where the kind has one.
        takes(
            "AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id",
            "alias/app",
        );
        refused("AWS::KMS::Key.Arn | AWS::KMS::Key.Id", "my key");
        // A dynamic reference still passes.
        takes("AWS::EC2::VPC.Id", "{{resolve:ssm:/network/vpc-id}}");
    }

    #[test]
    fn an_arn_kind_refuses_a_name_and_takes_an_arn() {
        let bad = check("AWS::SQS::Queue.Arn", || "SqsQueueArn", "jobs").unwrap_err();
        assert!(
            bad.0.contains("`Value::<SqsQueueArn>::literal(\"jobs\")`"),
            "{bad:?}"
        );
        assert!(bad.0.contains("AWS::SQS::Queue.Arn"), "{bad:?}");
        assert!(
            check(
                "AWS::SQS::Queue.Arn",
                || "SqsQueueArn",
                "arn:aws:sqs:eu-west-1:111122223333:jobs"
            )
            .is_ok()
        );
    }

    #[test]
    fn an_arn_kind_refuses_another_service_s_arn() {
        // An SNS topic's ARN is no SQS queue's (the ARN syntax alone took it).
        let queue = "AWS::SQS::Queue.Arn";
        let (message, _) = check(
            queue,
            || "SqsQueueArn",
            "arn:aws:sns:eu-west-1:111122223333:orders",
        )
        .unwrap_err();
        assert!(message.contains("an ARN of `sqs`"), "{message}");
        assert!(
            check(
                queue,
                || "SqsQueueArn",
                "arn:aws:sqs:eu-west-1:111122223333:orders"
            )
            .is_ok()
        );
        // The resource prefix too: a log group's ARN is no log destination's.
        let group = "AWS::Logs::LogGroup.Arn";
        let (message, _) = check(
            group,
            || "LogsLogGroupArn",
            "arn:aws:logs:eu-west-1:111122223333:destination:d",
        )
        .unwrap_err();
        assert!(message.contains(":log-group:..."), "{message}");
        assert!(
            check(
                group,
                || "LogsLogGroupArn",
                "arn:aws:logs:eu-west-1:111122223333:log-group:/app/x:*"
            )
            .is_ok()
        );
    }

    #[test]
    fn a_kms_alias_arn_is_a_key_where_an_alias_name_is_but_never_a_key_arn() {
        let arn = "arn:aws:kms:eu-west-1:123456789012:alias/queues";
        let union = "AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id";
        assert!(check(union, || "KmsAliasNameOrKeyArnOrId", arn).is_ok());
        assert!(check("AWS::KMS::Key.Arn", || "KmsKeyArn", arn).is_err());
        assert!(
            check(
                "AWS::KMS::Key.Arn | AWS::KMS::Key.Id",
                || "KmsKeyArnOrId",
                arn
            )
            .is_err()
        );
        for bad in [
            "arn:aws:kms:eu-west-1:1234:alias/queues",
            "arn:aws:kms:eu-west-1:123456789012:alias/",
            "arn:aws:sqs:eu-west-1:123456789012:alias/queues",
            "arn:aws:kms:eu-west-1:123456789012:alias/a b",
        ] {
            assert!(
                check(union, || "KmsAliasNameOrKeyArnOrId", bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_union_takes_any_member_and_an_unknown_kind_anything() {
        let f = "AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id";
        assert!(check(f, || "K", "alias/jobs").is_ok());
        assert!(check(f, || "K", "arn:aws:kms:eu-west-1:111122223333:key/k").is_ok());
        assert!(check("AWS::Not::AType.Arn", || "K", "anything").is_ok());
    }

    #[test]
    fn a_dynamic_reference_passes_and_a_near_miss_is_told_the_syntax() {
        let vpc = "AWS::EC2::VPC.Id";
        assert!(check(vpc, || "Ec2VpcId", "{{resolve:ssm:/network/vpc-id}}").is_ok());
        let arn = "AWS::SQS::Queue.Arn";
        assert!(check(arn, || "SqsQueueArn", "{{resolve:ssm:/jobs/queue-arn:2}}").is_ok());
        let (_, fix) = check(vpc, || "Ec2VpcId", "{{resolve:ssmx:/network/vpc-id}}").unwrap_err();
        assert!(fix.contains("{{resolve:ssm:parameter-name}}"), "{fix}");
        let (_, fix) = check(vpc, || "Ec2VpcId", "vpc0abc").unwrap_err();
        assert!(!fix.contains("dynamic reference"), "{fix}");
    }

    #[test]
    fn a_quoted_literal_is_escaped_and_bounded() {
        let q = quoted(&format!("a\u{1b}[2J\n\u{202e}{}", "x".repeat(200)));
        assert!(
            q.is_ascii() && !q.chars().any(|c| c.is_ascii_control()),
            "{q}"
        );
        assert!(q.chars().count() < 120, "{q}");
    }
}
