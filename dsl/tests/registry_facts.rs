//! The registry facts nephos ships apply to raw resources too: required properties and
//! `Fn::GetAtt` attributes of every known type.

use nephos::kind::Str;
use nephos::{Diagnostic, Output, RawResource, ResourceRef, Severity, Stack, Value};

fn diagnostics(stack: &Stack) -> Vec<Diagnostic> {
    match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    }
}

#[test]
fn a_raw_resource_missing_a_required_property_is_a_synth_error() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sub",
        RawResource::new("AWS::SNS::Subscription")
            .property("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t"),
    );
    let d = diagnostics(&stack);
    assert!(
        d.iter().any(|d| d.severity == Severity::Error
            && d.to_string().starts_with("error: resource `Sub` property `Protocol`: AWS::SNS::Subscription requires property `Protocol`")),
        "{d:?}"
    );
    assert!(
        !d.iter()
            .any(|d| d.to_string().contains("property `TopicArn`"))
    );
}

#[test]
fn removing_a_required_property_by_override_is_caught_too() {
    let mut stack = Stack::new("App");
    let q: ResourceRef = stack.add(
        "Sub",
        RawResource::new("AWS::SNS::Subscription")
            .property("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t")
            .property("Protocol", "email"),
    );
    assert!(stack.synth().is_ok());
    stack.resource(&q).remove_property("Protocol");
    assert!(
        diagnostics(&stack)
            .iter()
            .any(|d| d.to_string().contains("requires property `Protocol`"))
    );
}

#[test]
fn get_att_of_an_attribute_the_type_lacks_is_an_error_for_covered_types() {
    let mut stack = Stack::new("App");
    let q: ResourceRef = stack.add("Q", RawResource::new("AWS::SQS::Queue"));
    let bad: Value<Str> = q.get_att("Url");
    let good: Value<Str> = q.get_att("QueueName"); // from the supplement, not the schema
    stack.output("Bad", Output::new(bad));
    stack.output("Good", Output::new(good));
    let d = diagnostics(&stack);
    let about: Vec<String> = d
        .iter()
        .filter(|d| d.to_string().contains("Fn::GetAtt"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert!(about[0].starts_with("error: output `Bad`: `Fn::GetAtt Q.Url`: AWS::SQS::Queue has no attribute `Url` (its attributes: Arn, QueueName, QueueUrl)"));
}

#[test]
fn get_att_on_a_type_the_service_spec_does_not_describe_is_a_warning() {
    // Every type is generated now; the attribute list is complete only where the AWS
    // service spec filled the schema's gaps. `AWS::Lambda::WebFunction` is not in it.
    let mut stack = Stack::new("App");
    let web: ResourceRef = stack.add(
        "Web",
        RawResource::new("AWS::Lambda::WebFunction").property("FunctionName", "web"),
    );
    let arn: Value<Str> = web.get_att("FunctionArn");
    let odd: Value<Str> = web.get_att("Nonsense");
    stack.output("Arn", Output::new(arn));
    stack.output("Odd", Output::new(odd));
    let d = diagnostics(&stack);
    let about: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.message.contains("Fn::GetAtt"))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].severity, Severity::Warning);
    assert!(about[0].message.contains("`Fn::GetAtt Web.Nonsense`"));
}

#[test]
fn get_att_on_a_type_outside_the_default_services_is_checked_and_nested_attributes_pass() {
    // RDS is no default feature, but the service spec describes `DBInstance`: a false
    // attribute is refused as on the default services, a nested one passes.
    let mut stack = Stack::new("App");
    let db: ResourceRef = stack.add(
        "Db",
        RawResource::new("AWS::RDS::DBInstance").property("DBInstanceClass", "db.t3.micro"),
    );
    let address: Value<Str> = db.get_att("Endpoint.Address");
    let odd: Value<Str> = db.get_att("Nonsense");
    stack.output("Address", Output::new(address));
    stack.output("Odd", Output::new(odd));
    let d = diagnostics(&stack);
    let about: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.message.contains("Fn::GetAtt"))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].severity, Severity::Error);
    assert!(about[0].message.contains("`Fn::GetAtt Db.Nonsense`"));
}
