//! CloudFormation dynamic references: `{{resolve:ssm:/network/vpc-id}}`,
//! `{{resolve:ssm-secure:...}}` and `{{resolve:secretsmanager:...}}` in a string are
//! replaced by CloudFormation with the stored value at deploy (AWS CloudFormation User
//! Guide, "Get values stored in other services using dynamic references": the pattern
//! `{{resolve:service-name:reference-key}}`, service names `ssm`, `ssm-secure` and
//! `secretsmanager`, a reference key that must not end in a backslash). A literal holding
//! one is therefore not the text the service sees: the checks that read a literal's text
//! (a kind's shape, the schemas' lengths, patterns, formats and enums) cannot know the
//! value and let it through, as they do a value computed by an intrinsic.
//!
//! The syntax is recognised exactly, not any `{{`: a near miss (`{{resolve:ssmx:...}}`,
//! an empty key) stays text, checked as text, and its diagnostics say what a dynamic
//! reference looks like.

/// What opens every dynamic reference.
const OPEN: &str = "{{resolve:";
/// What closes it.
const CLOSE: &str = "}}";
/// The services CloudFormation resolves references to (the User Guide's list).
const SERVICES: [&str; 3] = ["ssm-secure", "ssm", "secretsmanager"];

/// How a diagnostic shows the syntax to a user who wrote a near miss.
pub(crate) const SYNTAX: &str = "a dynamic reference is written `{{resolve:ssm:parameter-name}}`, `{{resolve:ssm-secure:parameter-name}}` or `{{resolve:secretsmanager:secret-id}}`";

/// Whether `text` holds at least one dynamic reference CloudFormation resolves.
pub(crate) fn contains(text: &str) -> bool {
    starts(text).any(|at| is_reference_at(&text[at..]))
}

/// Whether `text` opens a dynamic reference (`{{resolve:`) that is not one: a near miss
/// whose diagnostic should show the syntax rather than the kind's shape.
pub(crate) fn near_miss(text: &str) -> bool {
    starts(text).next().is_some() && !contains(text)
}

/// Where `{{resolve:` occurs in `text`.
fn starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    crate::text::positions(text, OPEN)
}

/// Whether `rest` (starting at `{{resolve:`) begins with a whole dynamic reference: a
/// known service, `:`, a reference key of at least one character without braces or
/// control characters and not ending in `\`, then `}}`.
fn is_reference_at(rest: &str) -> bool {
    let after = &rest[OPEN.len()..];
    let Some(key) = SERVICES
        .iter()
        .find_map(|s| after.strip_prefix(s).and_then(|r| r.strip_prefix(':')))
    else {
        return false;
    };
    let Some(end) = key.find(CLOSE) else {
        return false;
    };
    let key = &key[..end];
    !key.is_empty()
        && !key.ends_with('\\')
        && !key.chars().any(|c| c == '{' || c == '}' || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_services_are_recognised_alone_and_inside_text() {
        for text in [
            "{{resolve:ssm:/network/vpc-id}}",
            "{{resolve:ssm:/network/vpc-id:3}}",
            "{{resolve:ssm-secure:/db/password:1}}",
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString:password}}",
            "{{resolve:secretsmanager:mq-admin:SecretString:password::}}",
            "arn:aws:iam::{{resolve:ssm:/org/account}}:role/ops",
        ] {
            assert!(contains(text), "{text}");
            assert!(!near_miss(text), "{text}");
        }
    }

    #[test]
    fn near_misses_are_not_references() {
        for text in [
            "{{resolve:ssmx:/network/vpc-id}}",
            "{{resolve:ssm:}}",
            "{{resolve:ssm:/a\\}}",
            "{{resolve:ssm:/open",
            "{{resolve:secretsmanager}}",
            "{{resolve:ssm:/a{b}}",
        ] {
            assert!(!contains(text), "{text}");
            assert!(near_miss(text), "{text}");
        }
        for text in [
            "vpc-0abc",
            "{{ssm:/a}}",
            "{resolve:ssm:/a}",
            "{{Resolve:ssm:/a}}",
        ] {
            assert!(!contains(text), "{text}");
            assert!(!near_miss(text), "{text}");
        }
    }

    #[test]
    fn a_near_miss_before_a_reference_does_not_hide_it() {
        assert!(contains("{{resolve:bad:x}}-{{resolve:ssm:/good}}"));
    }
}
