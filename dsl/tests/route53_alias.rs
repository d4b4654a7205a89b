//! A Route 53 alias record (`AliasTarget` set) with `TTL` or `ResourceRecords` is refused at
//! synth (Route 53 refuses it; the CloudFormation User Guide says to omit both; cfn-lint
//! E3029), on a record set and on a record of a record set group (atk13 F5). Untyped
//! resources of those types, so the test needs no service feature.

use nephos::kind::Str;
use nephos::{Diagnostic, RawResource, Severity, Stack, Value};
use serde_json::json;

fn errors(stack: &Stack) -> Vec<String> {
    let d: Vec<Diagnostic> = match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn alias() -> serde_json::Value {
    json!({"DNSName": "d111.cloudfront.net", "HostedZoneId": "Z2FDTNDATAQYW2"})
}

fn record() -> RawResource {
    RawResource::new("AWS::Route53::RecordSet")
        .property("Name", "a.example.com")
        .property("Type", "A")
        .property("HostedZoneId", "Z0123456789")
}

#[test]
fn an_alias_record_with_ttl_or_records_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Rec",
        record()
            .property("AliasTarget", alias())
            .property("TTL", "60")
            .property("ResourceRecords", json!(["1.2.3.4"])),
    );
    stack.add(
        "Group",
        RawResource::new("AWS::Route53::RecordSetGroup")
            .property("HostedZoneId", "Z0123456789")
            .property(
                "RecordSets",
                json!([{"Name": "b.example.com", "Type": "A", "AliasTarget": alias(), "TTL": "60"}]),
            ),
    );
    let e = errors(&stack);
    let alias_errors: Vec<&String> = e.iter().filter(|m| m.contains("alias record")).collect();
    assert_eq!(alias_errors.len(), 3, "{e:?}");
    for (resource, path) in [
        ("Rec", "TTL"),
        ("Rec", "ResourceRecords"),
        ("Group", "RecordSets.0.TTL"),
    ] {
        assert!(
            alias_errors
                .iter()
                .any(|m| m.contains(&format!("resource `{resource}`"))
                    && m.contains(&format!("property `{path}`"))),
            "{resource} {path}: {alias_errors:?}"
        );
    }
}

#[test]
fn an_alias_record_alone_and_a_record_with_ttl_pass() {
    let mut stack = Stack::new("App");
    stack.add("Alias", record().property("AliasTarget", alias()));
    stack.add(
        "Plain",
        record()
            .property("TTL", "60")
            .property("ResourceRecords", json!(["1.2.3.4"])),
    );
    // TTL that is left out when a condition holds may be meant for the alias case.
    let p = stack.parameter("Env", nephos::Parameter::string());
    let c = stack.condition("Alias", nephos::equals(&p, "prod"));
    stack.add(
        "Maybe",
        record().property("AliasTarget", alias()).property(
            "TTL",
            nephos::fn_if::<Str>(&c, Value::<Str>::no_value(), "60"),
        ),
    );
    let e = errors(&stack);
    assert!(!e.iter().any(|m| m.contains("alias record")), "{e:?}");
}
