//! Numbers a schema lists (`enum` of integers) or a reviewed bound limits
//! (`dsl/codegen/data/value_bounds.json`) are checked at synth: CloudFormation or the
//! service refuses any other value at deploy.

use nephos::{Diagnostic, Stack};

/// The rendered diagnostics of a stack's synth (none when it synthesizes).
fn diagnostics(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
    }
}

/// Logs takes 22 retention periods; 42 days synthesized and CloudFormation refused it.
/// The error names the resource, the property and the allowed values.
#[cfg(feature = "logs")]
#[test]
fn a_log_retention_logs_does_not_offer_is_refused_at_synth() {
    let mut stack = Stack::new("App");
    stack.add("Audit", nephos::logs::LogGroup::new().retention_in_days(42));
    let found = diagnostics(&stack);
    assert!(
        found.iter().any(|d| d.starts_with("error: ")
            && d.contains("`Audit`")
            && d.contains("RetentionInDays")
            && d.contains("42 does not satisfy one of 1, 3, 5, 7, 14, 30, 60, 90")
            && d.contains("3653")),
        "{found:#?}"
    );
    let mut ok = Stack::new("App");
    ok.add("Audit", nephos::logs::LogGroup::new().retention_in_days(14));
    assert_eq!(diagnostics(&ok), Vec::<String>::new());
}

/// A security group rule's port above 65535 is refused; -1 (all) and 65535 pass.
#[cfg(feature = "ec2")]
#[test]
fn a_security_group_port_above_65535_is_refused_at_synth() {
    use nephos::ec2::security_group::Ingress;
    use nephos::ec2::{SecurityGroup, SecurityGroupIngress};
    let mut stack = Stack::new("App");
    stack.add(
        "Rule",
        SecurityGroupIngress::new("tcp")
            .cidr_ip("10.0.0.0/8")
            .group_id(nephos::Value::literal("sg-0123456789abcdef0"))
            .from_port(443)
            .to_port(70000),
    );
    stack.add(
        "Group",
        SecurityGroup::new("web").add_security_group_ingress(
            Ingress::new("tcp")
                .cidr_ip("10.0.0.0/8")
                .from_port(70000)
                .to_port(70000),
        ),
    );
    let found = diagnostics(&stack);
    for at in ["`Rule`", "`Group`"] {
        assert!(
            found.iter().any(|d| d.starts_with("error: ")
                && d.contains(at)
                && d.contains("70000 does not satisfy value at most 65535")),
            "{at}: {found:#?}"
        );
    }
    let mut ok = Stack::new("App");
    ok.add(
        "Rule",
        SecurityGroupIngress::new("tcp")
            .cidr_ip("10.0.0.0/8")
            .group_id(nephos::Value::literal("sg-0123456789abcdef0"))
            .from_port(0)
            .to_port(65535),
    );
    ok.add(
        "All",
        SecurityGroupIngress::new("-1")
            .cidr_ip("10.0.0.0/8")
            .group_id(nephos::Value::literal("sg-0123456789abcdef0"))
            .from_port(-1)
            .to_port(-1),
    );
    assert_eq!(diagnostics(&ok), Vec::<String>::new());
}
