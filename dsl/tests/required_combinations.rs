//! The required combinations the registry schemas state beside `required` (`oneOf`/`anyOf`
//! of required sets, `requiredXor`, `dependentRequired`) are checked at synth, on raw and
//! typed resources, at the root and in nested property objects.

use nephos::kind::Str;
use nephos::{Diagnostic, Parameter, RawResource, Severity, Stack, Value, equals, fn_if};

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

fn record() -> RawResource {
    RawResource::new("AWS::Route53::RecordSet")
        .property("Name", "x.example.com")
        .property("Type", "A")
        .property("ResourceRecords", vec!["192.0.2.1"])
        .property("TTL", "60")
}

#[test]
fn a_record_set_without_a_hosted_zone_is_refused_naming_the_choice() {
    let mut stack = Stack::new("App");
    stack.add("Rec", record());
    let e = errors(&stack);
    assert!(
        e.iter().any(|e| e.contains("resource `Rec`")
            && e.contains("AWS::Route53::RecordSet: set one of HostedZoneId, HostedZoneName")),
        "{e:?}"
    );
}

#[test]
fn a_record_set_with_a_zone_literal_intrinsic_or_conditional_passes() {
    let mut stack = Stack::new("App");
    let zone = stack.parameter("Zone", Parameter::string());
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    stack.add("Lit", record().property("HostedZoneName", "example.com."));
    stack.add("Ref", record().property("HostedZoneId", &zone));
    // Set under either branch; one alternative or the other by the condition.
    let either: Value<Str> = fn_if(&prod, &zone, "example.com.");
    stack.add("If", record().property("HostedZoneId", either));
    let id: Value<Str> = fn_if(&prod, &zone, Value::<Str>::no_value());
    let name: Value<Str> = fn_if(&prod, Value::<Str>::no_value(), "example.com.");
    stack.add(
        "Choice",
        record()
            .property("HostedZoneId", id)
            .property("HostedZoneName", name),
    );
    let e = errors(&stack);
    assert!(!e.iter().any(|e| e.contains("set one of")), "{e:?}");
}

fn group(ingress: serde_json::Value) -> RawResource {
    RawResource::new("AWS::EC2::SecurityGroup")
        .property("GroupDescription", "x")
        .property("VpcId", "vpc-0123456789abcdef0")
        .property("SecurityGroupIngress", ingress)
}

#[test]
fn an_ingress_rule_without_a_source_is_refused_at_its_path() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sg",
        group(serde_json::json!([
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
            {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2}
        ])),
    );
    let e = errors(&stack);
    let hits: Vec<&String> = e.iter().filter(|e| e.contains("set one of")).collect();
    assert_eq!(hits.len(), 1, "{e:?}");
    assert!(
        hits[0].contains("property `SecurityGroupIngress[1]`")
            && hits[0].contains("CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName"),
        "{hits:?}"
    );
}

#[test]
fn a_dependent_property_is_required_once_its_trigger_is_set() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "x")
            .property(
                "SecurityGroupEgress",
                serde_json::json!([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]),
            ),
    );
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("`SecurityGroupEgress` is set, so set VpcId too")),
        "{e:?}"
    );
}

#[test]
fn route53_record_set_rules_come_from_the_schema() {
    let rules: Vec<_> = nephos::facts::combinations("AWS::Route53::RecordSet").collect();
    assert!(
        rules
            .iter()
            .any(|(path, _, sets)| path.is_empty() && sets.contains(&&["HostedZoneName"][..]))
    );
    assert_eq!(nephos::facts::combinations("AWS::Not::AType").count(), 0);
}

#[test]
fn a_record_set_with_both_zone_alternatives_is_refused_naming_both_and_the_fix() {
    let mut stack = Stack::new("App");
    stack.add(
        "Rec",
        record()
            .property("HostedZoneId", "Z0123456789ABCDEFGHIJ")
            .property("HostedZoneName", "example.com."),
    );
    let e = errors(&stack);
    let hits: Vec<&String> = e
        .iter()
        .filter(|e| e.contains("exclude each other"))
        .collect();
    assert_eq!(hits.len(), 1, "{e:?}");
    assert!(
        hits[0].contains("resource `Rec`")
            && hits[0].contains("`HostedZoneId` and `HostedZoneName` are both set")
            && hits[0].contains("fix: set only one of HostedZoneId, HostedZoneName"),
        "{hits:?}"
    );
}

#[test]
fn alternatives_chosen_by_one_condition_are_not_refused() {
    let mut stack = Stack::new("App");
    let zone = stack.parameter("Zone", Parameter::string());
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    let id: Value<Str> = fn_if(&prod, &zone, Value::<Str>::no_value());
    let name: Value<Str> = fn_if(&prod, Value::<Str>::no_value(), "example.com.");
    stack.add(
        "Rec",
        record()
            .property("HostedZoneId", id)
            .property("HostedZoneName", name),
    );
    let e = errors(&stack);
    assert!(!e.iter().any(|e| e.contains("exclude each other")), "{e:?}");
}

/// cfn-lint's `dependentExcluded` (patched into the vendored schemas), in a list item: a
/// lifecycle rule filtered by object size does not abort multipart uploads.
#[test]
fn an_excluded_property_beside_its_trigger_is_refused_at_its_path() {
    let mut stack = Stack::new("App");
    stack.add(
        "Site",
        RawResource::new("AWS::S3::Bucket").property(
            "LifecycleConfiguration",
            serde_json::json!({"Rules": [{
                "Status": "Enabled",
                "ObjectSizeGreaterThan": 1024,
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}
            }]}),
        ),
    );
    let e = errors(&stack);
    let hits: Vec<&String> = e
        .iter()
        .filter(|e| e.contains("exclude each other"))
        .collect();
    assert_eq!(hits.len(), 1, "{e:?}");
    assert!(
        hits[0].contains("property `LifecycleConfiguration.Rules[0]`")
            && hits[0].contains(
                "`ObjectSizeGreaterThan` is set, so `AbortIncompleteMultipartUpload` must not be"
            )
            && hits[0].contains(
                "fix: remove `ObjectSizeGreaterThan` or `AbortIncompleteMultipartUpload`"
            ),
        "{hits:?}"
    );
}

/// A typed builder is held to the same rules: S3 logging's key format is exactly one of
/// two shapes (a `oneOf` of closed objects in the schema).
#[test]
fn a_typed_bucket_with_both_key_formats_is_refused() {
    use nephos::s3::bucket::{
        Bucket, LoggingConfiguration, PartitionedPrefix, TargetObjectKeyFormat,
    };
    let both = TargetObjectKeyFormat::new()
        .simple_prefix(serde_json::json!({}))
        .partitioned_prefix(PartitionedPrefix::new());
    let mut stack = Stack::new("App");
    stack.add(
        "Logs",
        Bucket::new()
            .logging_configuration(LoggingConfiguration::new().target_object_key_format(both)),
    );
    let e = errors(&stack);
    assert!(
        e.iter().any(
            |e| e.contains("property `LoggingConfiguration.TargetObjectKeyFormat`")
                && e.contains("`SimplePrefix` and `PartitionedPrefix` are both set")
        ),
        "{e:?}"
    );
    let mut one = Stack::new("App");
    one.add(
        "Logs",
        Bucket::new().logging_configuration(LoggingConfiguration::new().target_object_key_format(
            TargetObjectKeyFormat::new().partitioned_prefix(PartitionedPrefix::new()),
        )),
    );
    let e = errors(&one);
    assert!(
        !e.iter()
            .any(|e| e.contains("exclude each other") || e.contains("set one of")),
        "{e:?}"
    );
}
