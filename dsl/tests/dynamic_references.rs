//! CloudFormation dynamic references (`{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}`,
//! `{{resolve:secretsmanager:...}}`) are resolved at deploy, so the checks that read a
//! literal's text (a kind's shape; the schemas' patterns, lengths and formats; a
//! parameter default's constraints) let them through and note the check as left to
//! deploy. A near miss is still text, refused, and told the syntax.
#![cfg(all(feature = "ec2", feature = "logs"))]

use nephos::kinds::Ec2VpcId;
use nephos::{Diagnostic, Parameter, Severity, Stack, Value};

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

#[test]
fn a_vpc_id_from_parameter_store_passes_the_kinds_shape() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sub",
        nephos::ec2::Subnet::new(Value::<Ec2VpcId>::literal(
            "{{resolve:ssm:/network/vpc-id}}",
        ))
        .cidr_block("{{resolve:ssm:/network/subnet-a-cidr:4}}"),
    );
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = t.json();
    assert_eq!(
        json["Resources"]["Sub"]["Properties"]["VpcId"],
        "{{resolve:ssm:/network/vpc-id}}"
    );
    // The CIDR's format check waits for the value, as for one an intrinsic computes.
    let deferred: Vec<String> = t.deferred().iter().map(|d| d.to_string()).collect();
    assert!(
        deferred.iter().any(|d| d.contains("`CidrBlock`")
            && d.contains("format ipv4-network")
            && d.contains("computed by a dynamic reference")),
        "{deferred:?}"
    );
}

#[test]
fn secrets_and_names_from_references_pass_patterns_and_lengths() {
    let mut stack = Stack::new("App");
    // `^[.\-_/#A-Za-z0-9]{1,512}\Z`: braces and colons are outside it.
    stack.add(
        "Logs",
        nephos::logs::LogGroup::new().log_group_name("{{resolve:ssm:/app/log-group}}"),
    );
    stack.add(
        "Logs2",
        nephos::logs::LogGroup::new().log_group_name(
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf:SecretString:group}}",
        ),
    );
    assert_eq!(errors(&stack), Vec::<String>::new());
}

#[test]
fn a_near_miss_is_refused_and_told_the_syntax() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sub",
        nephos::ec2::Subnet::new(Value::<Ec2VpcId>::literal(
            "{{resolve:ssmx:/network/vpc-id}}",
        )),
    );
    stack.add(
        "Logs",
        nephos::logs::LogGroup::new().log_group_name("{{resolve:ssm:}}"),
    );
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Sub` property `VpcId`")
                && e.contains("correct the dynamic reference")
                && e.contains("{{resolve:ssm:parameter-name}}")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Logs` property `LogGroupName`")
                && e.contains("correct the dynamic reference")),
        "{e:?}"
    );
}

#[test]
fn a_parameter_default_from_a_reference_is_not_held_to_its_pattern() {
    let mut stack = Stack::new("App");
    stack.parameter(
        "Ami",
        Parameter::string()
            .allowed_pattern("^ami-[0-9a-f]+$")
            .max_length(21)
            .default("{{resolve:ssm:/golden/ami:3}}"),
    );
    stack.parameter(
        "Bad",
        Parameter::string()
            .allowed_pattern("^ami-[0-9a-f]+$")
            .default("ami-XYZ"),
    );
    let e = errors(&stack);
    assert!(!e.iter().any(|e| e.contains("`Ami`")), "{e:?}");
    assert!(e.iter().any(|e| e.contains("`Bad`")), "{e:?}");
}
