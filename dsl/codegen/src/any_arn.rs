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

use std::collections::BTreeMap;
use std::fmt::Write;

/// The format the corrections table gives a property that takes any resource's ARN. Not a
/// registry format (those are `AWS::Service::Type.Attribute`), so it cannot meet one.
pub const ANY_ARN_FORMAT: &str = "nephos::AnyArn";

/// The Rust name of the generic ARN kind in `nephos::kinds` (re-exported from `nephos::kind`).
pub const ANY_ARN_KIND: &str = "AnyArn";

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

/// The `kinds.rs` section: the re-export of the generic kind and one `ArnKind` marker per
/// ARN kind in `kinds` (Rust name to format), in name order.
pub fn section(kinds: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "/// Any resource's ARN: every kind marked [`ArnKind`](crate::kind::ArnKind) below converts into it.\npub use crate::kind::AnyArn;\n",
    );
    for (rust, format) in kinds {
        if rust != ANY_ARN_KIND && is_arn_format(format) {
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
}
