//! cfn-lint's own pattern for each "format keyword" it checks (rules E1150-E1164,
//! `cfnlint/rules/formats/*.py`), vendored in [`FILE`] by `scripts/refresh_format_patterns.py`
//! from the pinned cfn-lint (MIT-0).
//!
//! The literal shapes of [`crate::kind_shapes`] come from the registry schemas and the AWS
//! service spec, and for some formats they are weaker than what cfn-lint refuses: `^vpc-`
//! against `^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$`, an ACM ARN without its region, any text as
//! a KMS key ID. So `Value::<Ec2VpcId>::literal("vpc-1")` passed synth and failed the lint gate
//! (E1151). The generator writes these patterns as a second table, `LINT_SHAPES`, which
//! `Value::literal` checks besides `SHAPES`: a literal must fit both where both exist, so
//! synth is at least as strict as cfn-lint on these formats and never looser than before.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

/// The vendored patterns, relative to the workspace root.
pub const FILE: &str = "dsl/schemas/formats/cfn_lint_formats.json";

/// One format's row: cfn-lint's rule id and its pattern (Python `regex` syntax).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintFormat {
    /// The rule id (`E1151`).
    pub rule: String,
    /// The pattern, as cfn-lint writes it (matched from the start of the text).
    pub pattern: String,
}

/// Loads [`FILE`] below `root`: the rows by format.
///
/// # Errors
/// The file cannot be read or parsed, or a row lacks its rule or pattern.
pub fn load(root: &std::path::Path) -> Result<BTreeMap<String, LintFormat>, String> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the file's text (see [`load`]).
///
/// # Errors
/// As [`load`], less the file access.
pub fn parse(text: &str) -> Result<BTreeMap<String, LintFormat>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let rows = v
        .get("formats")
        .and_then(Value::as_object)
        .ok_or("no `formats`")?;
    let mut out = BTreeMap::new();
    for (format, row) in rows {
        let field = |k: &str| {
            row.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("{format}: no `{k}`"))
        };
        out.insert(
            format.clone(),
            LintFormat {
                rule: field("rule")?,
                pattern: field("pattern")?,
            },
        );
    }
    Ok(out)
}

/// cfn-lint's pattern in the dsl's engine (fancy-regex): Python's `\Z` is `\z`, and it is
/// anchored at the start, as Python's `re.match` reads it. (Python's `$` also matches before
/// a final newline, fancy-regex's does not: stricter, never looser.)
pub fn rust_pattern(pattern: &str) -> String {
    let p = crate::samples::rust_syntax(pattern);
    if p.starts_with('^') {
        p
    } else {
        format!("^(?:{p})")
    }
}

/// The `kinds.rs` section: `LINT_SHAPES`, one `(format, pattern, rule)` row per format of
/// `lint` that is a kind of `kinds` (Rust name to format) or a member of one, sorted.
///
/// # Errors
/// A pattern the dsl's engine does not compile: a check would be skipped in silence.
pub fn section(
    kinds: &BTreeMap<String, String>,
    lint: &BTreeMap<String, LintFormat>,
) -> Result<String, String> {
    let members: std::collections::BTreeSet<&str> = kinds
        .values()
        .flat_map(|f| f.split(crate::unions::SEPARATOR))
        .collect();
    let mut out = String::from(
        "/// cfn-lint's own pattern of each format it checks with a rule of its own (rules E1150-E1164,\n/// `cfnlint/rules/formats`, vendored in `dsl/schemas/formats/cfn_lint_formats.json`), by format\n/// (sorted), with the rule: `Value::literal` checks it besides `SHAPES`. Written by\n/// nephos-codegen (`dsl/codegen/src/lint_formats.rs`).\n#[rustfmt::skip]\npub(crate) static LINT_SHAPES: &[(&str, &str, &str)] = &[\n",
    );
    for (format, row) in lint {
        if !members.contains(format.as_str()) {
            continue;
        }
        let pattern = rust_pattern(&row.pattern);
        fancy_regex::Regex::new(&pattern)
            .map_err(|e| format!("{FILE}: {format}: `{pattern}` does not compile: {e}"))?;
        let _ = writeln!(out, "    ({format:?}, {pattern:?}, {:?}),", row.rule);
    }
    out.push_str("];\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendored() -> BTreeMap<String, LintFormat> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        load(&root).expect("the vendored cfn-lint formats load")
    }

    #[test]
    fn every_vendored_pattern_compiles_and_judges_as_cfn_lint_does() {
        let lint = vendored();
        assert!(lint.len() >= 14, "{}", lint.len());
        let re = |format: &str| {
            fancy_regex::Regex::new(&rust_pattern(&lint[format].pattern)).expect("compiles")
        };
        let fits = |format: &str, text: &str| re(format).is_match(text).unwrap();
        // The attacker's literals (atk13c B), refused by cfn-lint.
        assert!(!fits("AWS::EC2::VPC.Id", "vpc-1"));
        assert!(!fits("AWS::EC2::SecurityGroup.Id", "sg-XYZ"));
        assert!(!fits("AWS::EC2::Image.Id", "ami-1"));
        assert!(!fits(
            "AWS::ACM::Certificate.Arn",
            "arn:aws:acm::123456789012:certificate/abc"
        ));
        assert!(!fits(
            "AWS::KMS::Key.Arn",
            "arn:aws:kms:us-east-1:acct:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ));
        assert!(!fits("AWS::KMS::Key.Id", "my key"));
        // Real forms pass: 8 and 17 hex digits, MRK key IDs, aliases, every partition.
        assert!(fits("AWS::EC2::VPC.Id", "vpc-0123abcd"));
        assert!(fits("AWS::EC2::Subnet.Id", "subnet-0123456789abcdef0"));
        assert!(fits("AWS::EC2::Image.Id", "ami-0123456789abcdef0"));
        assert!(fits(
            "AWS::KMS::Key.Id",
            "mrk-1234abcd12ab34cd56ef1234567890ab"
        ));
        assert!(fits(
            "AWS::KMS::Key.Id",
            "1234abcd-12ab-34cd-56ef-1234567890ab"
        ));
        for partition in [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-eusc",
        ] {
            let arn = format!("arn:{partition}:kms:r-1:123456789012:key/1");
            assert!(fits("AWS::KMS::Key.Arn", &arn), "{arn}");
        }
        // `\Z` read as the end of the text.
        assert!(fits("AWS::Logs::LogGroup.Name", "/aws/lambda/f"));
        assert!(!fits("AWS::Logs::LogGroup.Name", "/aws/lambda/f\n"));
    }

    #[test]
    fn the_section_lists_kinds_only_and_refuses_a_pattern_that_does_not_compile() {
        let row = |p: &str| LintFormat {
            rule: "E1".to_string(),
            pattern: p.to_string(),
        };
        let lint: BTreeMap<String, LintFormat> = [
            ("AWS::X::A.Id".to_string(), row("^a-[0-9]+$")),
            ("AWS::X::B.Id".to_string(), row("^b-")),
        ]
        .into_iter()
        .collect();
        let kinds: BTreeMap<String, String> =
            [("U".to_string(), "AWS::X::A.Id | AWS::X::C.Id".to_string())]
                .into_iter()
                .collect();
        let s = section(&kinds, &lint).unwrap();
        assert!(
            s.contains("(\"AWS::X::A.Id\", \"^a-[0-9]+$\", \"E1\")"),
            "{s}"
        );
        assert!(!s.contains("AWS::X::B.Id"), "{s}");
        let broken: BTreeMap<String, LintFormat> = [("AWS::X::A.Id".to_string(), row("^(a"))]
            .into_iter()
            .collect();
        assert!(section(&kinds, &broken).is_err());
    }
}
