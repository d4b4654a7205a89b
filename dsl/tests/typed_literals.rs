//! A literal of a typed string kind (`Value::<IamRoleArn>::literal(...)`) is checked
//! against the kind's shape, from data (its attribute's registry schema pattern, or the
//! ARN syntax for an ARN kind without one), and refused at synth naming the resource, the
//! property, the kind and the shape it expected.
#![cfg(all(feature = "lambda", feature = "sns", feature = "logs"))]

use nephos::kind::AnyArn;
use nephos::kinds::{IamRoleArn, LogsLogGroupName, SnsTopicArn};
use nephos::{Diagnostic, Severity, Stack, Value};

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

fn function(role: Value<IamRoleArn>) -> nephos::lambda::Function {
    nephos::lambda::Function::new(
        nephos::lambda::function::Code::new().zip_file("exports.handler = async () => {}"),
        role,
    )
}

#[test]
fn a_role_name_where_a_role_arn_is_needed_is_refused_naming_kind_and_shape() {
    let mut stack = Stack::new("App");
    stack.add("Fn", function(Value::literal("my-role")));
    let e = errors(&stack);
    let hits: Vec<&String> = e
        .iter()
        .filter(|e| e.contains("does not look like"))
        .collect();
    assert_eq!(hits.len(), 1, "{e:?}");
    assert!(
        hits[0].contains("resource `Fn`")
            && hits[0].contains("property `Role`")
            && hits[0].contains("`Value::<IamRoleArn>::literal(\"my-role\")`")
            && hits[0].contains(
                "`AWS::IAM::Role.Arn` is an ARN of `iam`, `arn:partition:iam:region:account-id:role/...`"
            ),
        "{hits:?}"
    );
}

#[test]
fn literals_of_the_right_shape_pass() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function(Value::literal("arn:aws:iam::123456789012:role/ops")),
    );
    stack.add(
        "Sub",
        nephos::sns::Subscription::new(
            "sqs",
            Value::<SnsTopicArn>::literal("arn:aws:sns:eu-west-1:123456789012:jobs"),
        ),
    );
    stack.add(
        "Logs",
        nephos::logs::LogGroup::new()
            .log_group_name(Value::<LogsLogGroupName>::literal("/aws/lambda/jobs")),
    );
    let e = errors(&stack);
    assert!(e.is_empty(), "{e:?}");
}

/// The schema's own pattern is the shape where there is one: a log group name takes no
/// spaces (`^[.\-_/#A-Za-z0-9]{1,512}\Z`).
#[test]
fn a_schema_pattern_is_the_shape_where_the_attribute_has_one() {
    let mut stack = Stack::new("App");
    stack.add(
        "Logs",
        nephos::logs::LogGroup::new().log_group_name(Value::<LogsLogGroupName>::literal("my logs")),
    );
    let e = errors(&stack);
    assert!(
        e.iter().any(|e| e.contains("resource `Logs`")
            && e.contains("property `LogGroupName`")
            && e.contains("`Value::<LogsLogGroupName>::literal(\"my logs\")`")
            && e.contains("registry schema's pattern")),
        "{e:?}"
    );
}

/// `AnyArn` takes any ARN, wildcards included, and refuses what is no ARN; the refused
/// text is quoted escaped, so it cannot reach a terminal raw.
#[test]
fn any_arn_takes_arns_and_refuses_other_text_escaped() {
    let ok = Value::<AnyArn>::literal("arn:aws:s3:::*");
    assert!(ok.is_literal());
    let bad = Value::<AnyArn>::literal("queue\u{1b}[2J");
    assert!(!bad.is_literal());
    let mut stack = Stack::new("App");
    stack.add(
        "Perm",
        nephos::lambda::Permission::new(
            "lambda:InvokeFunction",
            Value::<nephos::kinds::LambdaFunctionArnOrName>::literal("f"),
            "s3.amazonaws.com",
        )
        .source_arn(bad),
    );
    let e = errors(&stack);
    assert!(
        e.iter().any(|e| e.contains("property `SourceArn`")
            && e.contains("\\u{1b}[2J")
            && !e.contains('\u{1b}')),
        "{e:?}"
    );
}

/// atk13b F5: the role's ARN template (`arn:${Partition}:iam::${Account}:role/...`, AWS
/// service spec) is the kind's shape, though properties taking the kind accept any IAM ARN:
/// a user's or a managed policy's ARN is no role's. Every real form of a role ARN passes.
#[test]
fn a_user_or_policy_arn_is_no_role_arn_and_every_role_form_passes() {
    for (arn, refused) in [
        ("arn:aws:iam::123456789012:user/bob", true),
        ("arn:aws:iam::aws:policy/AdministratorAccess", true),
        ("arn:aws:iam::123456789012:instance-profile/ops", true),
        ("arn:aws:iam::123456789012:role/ops", false),
        ("arn:aws:iam::123456789012:role/team/app/ops", false),
        ("arn:aws-cn:iam::123456789012:role/ops", false),
        ("arn:aws-us-gov:iam::123456789012:role/ops", false),
        ("arn:aws-iso:iam::123456789012:role/ops", false),
        (
            "arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
            false,
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add("Fn", function(Value::literal(arn)));
        let e = errors(&stack);
        let hit = e.iter().any(|e| {
            e.contains("does not look like")
                && e.contains("arn:partition:iam:region:account-id:role/...")
        });
        assert_eq!(hit, refused, "{arn}: {e:?}");
    }
}
