//! What S3 refuses in a general purpose bucket's name that its registry schema does not
//! state, on every `AWS::S3::Bucket` of the template (the `Bucket` construct writes the
//! name and checks none of this itself, so its buckets and the generated `s3::Bucket` are
//! checked alike): at least 3 characters, no two adjacent dots, no dot next to a hyphen,
//! not an IP address, none of S3's reserved prefixes and suffixes
//! ([`bucket_name_problem_beyond_schema`]; Amazon S3 User Guide, "General purpose bucket
//! naming rules"). The schema's own rules (`BucketName`: `maxLength` 63, the pattern
//! `^([a-z0-9][a-z0-9.-]*[a-z0-9])?$`) are checked with every schema constraint.
//!
//! Literal names only (each literal branch of an `Fn::If`); a computed one, or one holding
//! a dynamic reference, is left to S3.

use crate::constructs::names::bucket_name_problem_beyond_schema;
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;

use super::schedules::literal_texts;

/// Checks every `AWS::S3::Bucket`'s literal `BucketName`.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::S3::Bucket") {
        let id = &*r.entry.target.id;
        for name in r.field("BucketName").map(literal_texts).unwrap_or_default() {
            if let Some(problem) = bucket_name_problem_beyond_schema(name) {
                diags.push(Diagnostic::error(
                    Location::property(id, "BucketName"),
                    format!("the name of bucket `{id}`: {problem}, so S3 refuses it"),
                    "follow S3's bucket naming rules, or leave the name out (the `Bucket` construct then computes a unique valid one; CloudFormation names a generated bucket)",
                ));
            }
        }
    }
}
