//! The generic ARN kind: a property that takes the ARN of any resource, of any service.
//!
//! Some properties name a resource by ARN without a fixed list of what it may be: an
//! EventBridge rule's `Target.Arn` (the targets page lists more kinds than the service
//! spec's 13 `relationshipRefs`), a Lambda permission's `SourceArn`. A union of the known
//! kinds would reject legal targets and a plain string accepts an ID or a name. So such a
//! property takes `nephos::kind::AnyArn`, into which every ARN kind converts: the generator
//! marks each kind whose attribute name ends in `Arn` (`AWS::SQS::Queue.Arn`,
//! `AWS::RDS::DBInstance.MasterUserSecretSecretArn`) with `nephos::kind::ArnKind`, and a
//! union all of whose members are ARN kinds too. The reviewed corrections table names such a
//! property with the format [`ANY_ARN_FORMAT`].
//!
//! An attribute named `Arn` whose value is not the resource's plain ARN is no `ArnKind`
//! ([`SUFFIXED_ARNS`]): a log group's `Arn` ends with `:*` (all its streams), which an
//! EventBridge target refuses. It stays a typed string, so an IAM policy statement's
//! resource (a string) and the properties that take that form (Step Functions' and FIS's log
//! destinations) still take it.
//!
//! A string property that names no resource attribute (no `format`, no `relationshipRefs`,
//! no correction, no same-name inference) but whose own registry `pattern` admits ARNs only
//! ([`demands_arn`]: Cognito's `LambdaConfig.PreSignUp`, `^arn:[\w+=/,.@-]+:...`) takes
//! `AnyArn` too: a plain string would take a function's `Ref` (its name) or a queue's URL,
//! which the service refuses at deploy. The builder gives it last, so every other source of
//! a kind keeps precedence (`build::build_with`); after it, only the ARN-name rule
//! ([`crate::arn_names`]: a property whose name says ARN, less reviewed exclusions).

use std::collections::BTreeMap;
use std::fmt::Write;

/// The format the corrections table gives a property that takes any resource's ARN. Not a
/// registry format (those are `AWS::Service::Type.Attribute`), so it cannot meet one.
pub const ANY_ARN_FORMAT: &str = "nephos::AnyArn";

/// The Rust name of the generic ARN kind in `nephos::kinds` (re-exported from `nephos::kind`).
pub const ANY_ARN_KIND: &str = "AnyArn";

/// The ARN attributes whose value is not the resource's plain ARN, each with the AWS page
/// that says so: they do not convert into [`ANY_ARN_KIND`], where a plain ARN is needed.
///
/// `AWS::Logs::LogGroup.Arn`: the page's return values give
/// `arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AHvz8h:*`; an
/// EventBridge target needs the log group's ARN without `:*` (EventBridge User Guide, "Amazon
/// EventBridge targets": CloudWatch log group), Step Functions' logging destination needs it
/// with (`CloudWatchLogsLogGroup`: "The ARN must end with `:*`"). The vendored registry
/// schemas and service spec say nothing of a suffix (the spec's `arnTemplate` ends with the
/// name), so no other attribute is listed.
pub const SUFFIXED_ARNS: &[(&str, &str)] = &[(
    "AWS::Logs::LogGroup.Arn",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values",
)];

/// The AWS page [`SUFFIXED_ARNS`] gives for `member` (one format, no union), if listed.
pub fn suffixed(member: &str) -> Option<&'static str> {
    SUFFIXED_ARNS
        .iter()
        .find(|(f, _)| *f == member)
        .map(|(_, source)| *source)
}

/// Whether a value of the kind `format` is a plain ARN, so it converts into
/// [`ANY_ARN_KIND`]: an ARN kind ([`is_arn_format`]) none of whose members is in
/// [`SUFFIXED_ARNS`].
pub fn is_plain_arn_format(format: &str) -> bool {
    is_arn_format(format)
        && format
            .split(crate::unions::SEPARATOR)
            .all(|m| suffixed(m).is_none())
}

/// Whether the kind named `format` (a resource attribute such as `AWS::SQS::Queue.Arn`, or a
/// union of them joined by [`crate::unions::SEPARATOR`]) holds ARNs: its attribute name ends
/// in `Arn` or `ARN`, for a union every member's does.
pub fn is_arn_format(format: &str) -> bool {
    if format == ANY_ARN_FORMAT {
        return false;
    }
    format.split(crate::unions::SEPARATOR).all(|member| {
        member
            .rsplit_once('.')
            .is_some_and(|(_, attr)| attr.ends_with("Arn") || attr.ends_with("ARN"))
    })
}

/// Whether the registry `pattern` (ECMA-262, unanchored as JSON Schema reads it) admits
/// ARNs only: it is anchored at the start (`^`, in every alternative) and every text it
/// matches starts with `arn:`, as the literal prefixes `regex-syntax` extracts from it show
/// (`^arn:aws[a-z-]*:kms:...`, `^(arn:aws|arn:aws-cn):...`, `^((arn):(aws|...)):...`). A
/// pattern that also admits an ID, an alias or the empty text (`^$|^arn:...`,
/// `^(arn:...|alias/.+)$`), an unanchored one, or one the parser cannot read (lookaround)
/// is no evidence: `false`.
pub fn demands_arn(pattern: &str) -> bool {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Ok(rust) = crate::ecma::translate(pattern) else {
        return false;
    };
    // The translation bounds big repetitions with atomic groups, which `regex-syntax` does
    // not read. A plain group matches every text the atomic one does (and more), so every
    // literal prefix of its matches is one of the atomic pattern's too. (The translation
    // writes a literal `(` as `\x{28}`: `(?>` is always a group.)
    let rust = rust.replace("(?>", "(?:");
    let Ok(hir) = regex_syntax::Parser::new().parse(&rust) else {
        return false;
    };
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return false;
    }
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    // A finite sequence: every match starts with one of its literals.
    seq.literals().is_some_and(|lits| {
        !lits.is_empty() && lits.iter().all(|l| l.as_bytes().starts_with(b"arn:"))
    })
}

/// The `kinds.rs` section: the re-export of the generic kind and one `ArnKind` marker per
/// plain ARN kind in `kinds` (Rust name to format, [`is_plain_arn_format`]), in name order.
pub fn section(kinds: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "/// Any resource's ARN: every kind marked [`ArnKind`](crate::kind::ArnKind) below converts into it.\npub use crate::kind::AnyArn;\n",
    );
    for (rust, format) in kinds {
        if rust != ANY_ARN_KIND && is_plain_arn_format(format) {
            let _ = writeln!(out, "impl crate::kind::ArnKind for {rust} {{}}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_kinds_are_named_by_their_attribute() {
        assert!(is_arn_format("AWS::SQS::Queue.Arn"));
        assert!(is_arn_format(
            "AWS::RDS::DBInstance.MasterUserSecretSecretArn"
        ));
        assert!(is_arn_format(
            "AWS::ACM::Certificate.Arn | AWS::IAM::ServerCertificate.Arn"
        ));
        assert!(!is_arn_format("AWS::SQS::Queue.Url"));
        assert!(!is_arn_format("AWS::KMS::Key.Arn | AWS::KMS::Key.Id"));
        assert!(!is_arn_format(ANY_ARN_FORMAT));
    }

    #[test]
    fn patterns_admitting_arns_only_are_found() {
        for arn_only in [
            // Cognito `UserPool.LambdaConfig.PreSignUp`.
            "^arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?$",
            "^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:\\d{12}:key/.+$",
            "^(arn:aws|arn:aws-cn):sqs:.+$",
            "^((arn):(aws|aws-cn|aws-us-gov):(iam)::\\d{12}:role[/].*)$",
            "^(^arn:aws([a-z]|\\-)*:secretsmanager:.+)$",
            "^arn(:[a-z0-9]+([.-][a-z0-9]+)*){2}(:([a-z0-9]+([.-][a-z0-9]+)*)?){2}:(.+)$",
            "^arn:.+$",
            // Translated with atomic groups (big bounded repetitions).
            "^arn:.{16,2044}$",
            "^arn:aws(|-cn|-us-gov):secretsmanager:[a-z0-9-]{1,20}:([0-9]{12}|):secret:[a-zA-Z0-9!/_+=.@-]{1,512}$",
        ] {
            assert!(demands_arn(arn_only), "{arn_only}");
        }
        for not_only in [
            // Unanchored: JSON Schema's `pattern` matches anywhere.
            "arn:aws:lambda:.+",
            // The empty text, a key ID or an alias too.
            "^$|^arn:aws:.+",
            "^((arn:aws:kms:.+)|([a-zA-Z0-9-]{36})|(alias/.+))$",
            "^(^arn:aws:secretsmanager:.+)|(\\$(\\.[\\w_-]+)*)$",
            // The whole ARN prefix optional, or `arn` without its colon.
            "^(arn:aws:s3:::)?[a-z0-9.-]+$",
            "^arn.*$",
            // Case-insensitive: `ARN:` too.
            "(?i)^arn:.+$",
            "^[a-z]+$",
            "",
            // SageMaker: an ARN or the word `None`; a big repetition of either.
            "^(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:studio-lifecycle-config/.*|None)$",
            "^(arn:.{1,100}|[a-z]{1,100})$",
            // Lookaround: not read, no evidence.
            "^(?=arn:)[a-z:]+$",
        ] {
            assert!(!demands_arn(not_only), "{not_only}");
        }
    }

    #[test]
    fn the_section_marks_arn_kinds_only() {
        let kinds: BTreeMap<String, String> = [
            ("SqsQueueArn", "AWS::SQS::Queue.Arn"),
            ("SqsQueueName", "AWS::SQS::Queue.Name"),
            (ANY_ARN_KIND, ANY_ARN_FORMAT),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = section(&kinds);
        assert!(s.contains("impl crate::kind::ArnKind for SqsQueueArn {}"));
        assert!(!s.contains("for SqsQueueName"));
        assert!(!s.contains("for AnyArn"));
    }

    #[test]
    fn a_log_group_s_arn_with_its_suffix_is_no_plain_arn() {
        assert!(is_arn_format("AWS::Logs::LogGroup.Arn"));
        assert!(!is_plain_arn_format("AWS::Logs::LogGroup.Arn"));
        assert!(!is_plain_arn_format(
            "AWS::Logs::LogGroup.Arn | AWS::SQS::Queue.Arn"
        ));
        assert!(is_plain_arn_format("AWS::Logs::Destination.Arn"));
        let kinds: BTreeMap<String, String> = [
            ("LogsLogGroupArn", "AWS::Logs::LogGroup.Arn"),
            ("LogsDestinationArn", "AWS::Logs::Destination.Arn"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = section(&kinds);
        assert!(!s.contains("for LogsLogGroupArn"), "{s}");
        assert!(s.contains("for LogsDestinationArn"), "{s}");
    }
}
