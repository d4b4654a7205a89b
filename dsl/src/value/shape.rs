//! The shape check of a typed literal: `Value::<K>::literal(text)` for a kind that names a
//! resource attribute must look like one. The shapes are data (`kinds::SHAPES`, generated
//! by `nephos-codegen`'s `kind_shapes`): the attribute's `pattern` in its registry schema,
//! or the ARN syntax for an ARN kind without one. A literal that does not fit becomes an
//! invalid value, which synth reports at the resource and property it reaches.
//!
//! A literal holding a CloudFormation dynamic reference (`{{resolve:ssm:/network/vpc-id}}`)
//! is resolved at deploy, so its text says nothing of the value: it passes, as a value
//! computed by an intrinsic does ([`dynamic_reference`]).

use crate::generated::kinds::SHAPES;
use crate::value::dynamic_reference;

/// How much of a refused literal a diagnostic quotes.
const QUOTED_CHARS: usize = 80;

/// The shape of one format, if the data has one: `(pattern, source)`.
fn shape_of(format: &str) -> Option<(&'static str, &'static str)> {
    SHAPES
        .binary_search_by(|(f, _, _)| (*f).cmp(format))
        .ok()
        .map(|i| (SHAPES[i].1, SHAPES[i].2))
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
    // The generic ARN kind's row is keyed by the format the generator's corrections give
    // it (`nephos::AnyArn`), not by its display name.
    let format = if format == <crate::kind::AnyArn as crate::kind::Kind>::NAME {
        "nephos::AnyArn"
    } else {
        format
    };
    let mut expected = Vec::new();
    for member in crate::text::split(format, " | ") {
        let Some((pattern, source)) = shape_of(member) else {
            return Ok(());
        };
        match fancy_regex::Regex::new(pattern).map(|re| re.is_match(text)) {
            // A match past the engine's backtracking limit is no evidence either.
            Ok(Ok(true) | Err(_)) => return Ok(()),
            Ok(Ok(false)) => expected.push(match source {
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
            // The generator emits only patterns this engine compiles; were one not to,
            // there is no evidence against the literal.
            Err(_) => return Ok(()),
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
    use super::*;

    #[test]
    fn every_shape_compiles_and_rows_are_sorted() {
        for (format, pattern, source) in SHAPES {
            assert!(
                fancy_regex::Regex::new(pattern).is_ok(),
                "{format}: {pattern}"
            );
            assert!(
                matches!(
                    *source,
                    "schema" | "arn" | "arn-service" | "arn-template" | "properties"
                ),
                "{format}: {source}"
            );
        }
        assert!(SHAPES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SHAPES.len() > 1000, "only {} shapes", SHAPES.len());
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
