//! Whether a property's own `pattern` admits a union member's values.
//!
//! A registry schema can list members in an `anyOf` that its own `pattern` on the same
//! property rejects: CloudWatch Logs' `LogGroup.KmsKeyId` lists a key's ID and an alias name
//! but its pattern (`^arn:...:kms:...:(key|alias)/.+`) takes only ARNs, and CloudFormation
//! checks the resolved value against that pattern. [`admits`] tests one typical value of
//! each member kind against the pattern, so [`crate::unions::kind_of`] can drop the members
//! that could never pass.
//!
//! The target attributes' own schemas give no sample values (`AWS::KMS::Key.Id` and
//! `.Arn` have no pattern or examples; `AWS::KMS::Alias.AliasName`'s pattern says only
//! `^(alias/)...`), so the samples are the AWS documentation's, named in [`sample`]. A member
//! without a sample, or a pattern the engine cannot compile, keeps the member: dropping one
//! needs evidence.

/// One documented value of a member format, or `None` when none is recorded here.
///
/// Source: AWS KMS API Reference, the `KeyId` parameter (e.g. `DescribeKey`,
/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html>): "Key ID:
/// 1234abcd-12ab-34cd-56ef-1234567890ab", "Key ARN: arn:aws:kms:us-east-2:111122223333:key/
/// 1234abcd-...", "Alias name: alias/ExampleAlias", "Alias ARN: arn:aws:kms:us-east-2:
/// 111122223333:alias/ExampleAlias"; multi-Region key IDs start with `mrk-` (same page).
pub fn sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "AWS::KMS::Key.Id" => "1234abcd-12ab-34cd-56ef-1234567890ab",
        "AWS::KMS::Key.Arn" => {
            "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
        "AWS::KMS::Alias.AliasName" => "alias/ExampleAlias",
        "AWS::KMS::Alias.Arn" => "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias",
        _ => return None,
    })
}

/// Whether `pattern` (a registry schema's, so Python `re` syntax: cfn-lint's engine) admits
/// the documented value of `format`. `true` when there is no pattern, no sample, or the
/// pattern does not compile.
pub fn admits(pattern: Option<&str>, format: &str) -> bool {
    let (Some(pattern), Some(value)) = (pattern, sample(format)) else {
        return true;
    };
    match fancy_regex::Regex::new(&rust_syntax(pattern)) {
        Ok(re) => re.is_match(value).unwrap_or(true),
        Err(_) => true,
    }
}

/// Python's `\Z` (end of input only) is `\z` in Rust's regex syntax; the rest of the
/// registry's patterns mean the same in both.
pub fn rust_syntax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Z') => out.push_str("\\z"),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `AWS::Logs::LogGroup.KmsKeyId`'s pattern in the vendored registry schema.
    const LOG_GROUP: &str = r"^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+\Z";

    #[test]
    fn an_arn_only_pattern_rejects_ids_and_alias_names() {
        assert!(admits(Some(LOG_GROUP), "AWS::KMS::Key.Arn"));
        assert!(admits(Some(LOG_GROUP), "AWS::KMS::Alias.Arn"));
        assert!(!admits(Some(LOG_GROUP), "AWS::KMS::Key.Id"));
        assert!(!admits(Some(LOG_GROUP), "AWS::KMS::Alias.AliasName"));
    }

    #[test]
    fn without_evidence_the_member_stays() {
        assert!(admits(None, "AWS::KMS::Key.Id"));
        assert!(admits(Some(LOG_GROUP), "AWS::S3::Bucket.Arn"));
        assert!(admits(Some("(unclosed"), "AWS::KMS::Key.Id"));
    }

    #[test]
    fn python_end_of_input_is_rust_s() {
        assert_eq!(rust_syntax(r"^a\Z"), r"^a\z");
        assert_eq!(rust_syntax(r"^a\\Z"), r"^a\\Z");
        assert!(!admits(Some(r"^alias/\Z"), "AWS::KMS::Alias.AliasName"));
    }
}
