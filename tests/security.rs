//! The synth-time security checks: each fires on a stack that earns it, a suppression
//! with a reason silences it, and the examples earn none.

mod common;

use nephos::constructs::Bucket;
use nephos::{Severity, Stack, security};

#[test]
fn the_examples_have_no_security_findings() {
    for (name, app) in common::examples() {
        let assembly = app.synth().unwrap_or_else(|e| panic!("{name}: {e}"));
        for (stack, template) in &assembly.stacks {
            let findings: Vec<String> = template
                .warnings()
                .iter()
                .filter(|w| w.message.starts_with("[NEPHOS-"))
                .map(|w| w.to_string())
                .collect();
            assert!(findings.is_empty(), "{name}/{stack}: {findings:#?}");
        }
    }
}

#[test]
fn an_unencrypted_bucket_warns_and_a_suppression_silences_it() {
    let mut stack = Stack::new("App");
    let raw = stack.add(
        "Plain",
        nephos::s3::Bucket::new().public_access_block_configuration(
            nephos::s3::bucket::PublicAccessBlockConfiguration::new()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true),
        ),
    );
    let t = stack.synth().unwrap();
    let w = &t.warnings()[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(
        w.to_string(),
        "warning: resource `Plain` property `BucketEncryption`: [NEPHOS-BUCKET-UNENCRYPTED] the bucket does not set default encryption\n  fix: set BucketEncryption (the Bucket construct sets SSE-S3 by default); or, if intended, `stack.resource(&handle).suppress(\"NEPHOS-BUCKET-UNENCRYPTED\", \"why\")`"
    );
    stack.resource(&raw).suppress(
        security::BUCKET_UNENCRYPTED,
        "holds only public, non-sensitive data",
    );
    assert!(stack.synth().unwrap().warnings().is_empty());
}

#[test]
fn a_public_bucket_is_an_error_until_suppressed_with_a_reason() {
    let mut stack = Stack::new("App");
    let site = stack.add("Site", Bucket::new().allow_public_access());
    let err = stack.synth().unwrap_err().to_string();
    assert!(err.contains("error: resource `Site` property `PublicAccessBlockConfiguration`: [NEPHOS-BUCKET-PUBLIC] the bucket does not block public access (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets not true)"), "{err}");
    stack
        .resource(&site)
        .suppress(security::BUCKET_PUBLIC, "static website");
    assert!(stack.synth().is_ok());
    stack
        .resource(&site)
        .suppress("NEPHOS-NO-SUCH-CHECK", "typo");
    assert!(
        stack
            .synth()
            .unwrap_err()
            .to_string()
            .contains("suppression of unknown check `NEPHOS-NO-SUCH-CHECK`")
    );
}
