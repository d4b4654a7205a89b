//! Who a resource acts as, in the review: a change of a property naming an identity (a
//! function's `Role`, a state machine's `RoleArn`, an instance profile's roles...) is a
//! security change. The attack: a function's `Role` swapped to an administrator role in the
//! same stack changes no policy, and was a plain in-place update that deployed without
//! asking. Each test asserts the review's security changes, its text or JSON, and whether
//! the default approval rule (`--require-approval broadening`) asks.

use nephos_cli::deploy::approval::ApprovalPolicy;
use nephos_cli::diff::facts::SchemaFacts;
use nephos_cli::diff::parameters::ParameterValues;
use nephos_cli::diff::render::render;
use nephos_cli::diff::security::Direction;
use nephos_cli::diff::{TemplateDiff, diff_stack};
use nephos_cli::output::style::Style;
use serde_json::{Value, json};

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const BASIC: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

fn trust(service: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
}

/// A role trusted by `service` with `managed` policies and an inline read of the table.
fn role(service: &str, managed: &[&str], read_table: bool) -> Value {
    let mut props =
        json!({"AssumeRolePolicyDocument": trust(service), "ManagedPolicyArns": managed});
    if read_table {
        props["Policies"] = json!([{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                "Resource": {"Fn::GetAtt": ["Table", "Arn"]}}]}}]);
    }
    json!({"Type": "AWS::IAM::Role", "Properties": props})
}

/// The repro's stack: a python3.12 function, its role, a table; `extra` roles beside,
/// and the function's `Role` set to `fn_role`.
fn stack(fn_role: Value, extra: &[(&str, Value)]) -> Value {
    let mut t = json!({"Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}},
        "Role": role("lambda.amazonaws.com", &[BASIC], true),
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12",
            "Handler": "index.handler", "Code": {"ZipFile": "def handler(e, c):\n    return 1\n"},
            "Role": fn_role, "Environment": {"Variables": {"TABLE": {"Ref": "Table"}}}}}
    }});
    for (id, r) in extra {
        t["Resources"][*id] = r.clone();
    }
    t
}

fn arn(id: &str) -> Value {
    json!({"Fn::GetAtt": [id, "Arn"]})
}

fn review(before: &Value, after: &Value) -> TemplateDiff {
    diff_stack(before, after, &ParameterValues::default(), &SchemaFacts)
}

fn text(d: &TemplateDiff) -> String {
    let mut out = Vec::new();
    render(&mut out, "s", d, Style::plain()).expect("rendered");
    String::from_utf8(out).expect("utf-8")
}

/// The `acts-as` changes of a review: (owner, property, direction).
fn acts_as(d: &TemplateDiff) -> Vec<(String, String, Direction)> {
    d.security
        .iter()
        .filter(|s| s.policy == "acts-as")
        .map(|s| {
            let id = s
                .identity
                .as_ref()
                .expect("an acts-as change carries its identity");
            (s.owner.clone(), id.property.clone(), s.direction)
        })
        .collect()
}

fn one(owner: &str, property: &str, direction: Direction) -> Vec<(String, String, Direction)> {
    vec![(owner.to_owned(), property.to_owned(), direction)]
}

#[test]
fn a_function_swapped_to_an_admin_role_is_broadening_and_asks() {
    let admin = role("lambda.amazonaws.com", &[ADMIN], false);
    let before = stack(arn("Role"), &[]);
    let after = stack(arn("Admin"), &[("Admin", admin)]);
    let d = review(&before, &after);
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));
    assert!(
        ApprovalPolicy::Broadening.requires(&d),
        "the default rule must ask"
    );
    let id = d
        .security
        .iter()
        .find_map(|s| s.identity.as_ref())
        .expect("identity");
    let (old, new) = (id.old.as_ref().expect("old"), id.new.as_ref().expect("new"));
    assert_eq!(old.logical_id.as_deref(), Some("Role"));
    assert_eq!(new.logical_id.as_deref(), Some("Admin"));
    assert_eq!(new.allowed, Some(vec![format!("managed policy {ADMIN}")]));
    assert!(
        old.allowed
            .as_ref()
            .is_some_and(|a| a.iter().any(|l| l.contains("dynamodb:GetItem"))),
        "{old:?}"
    );
    let shown = text(&d);
    assert!(shown.contains("IAM / security changes"), "{shown}");
    assert!(
        shown.contains("[~] broadening Fn (Role, who it acts as): ${Role.Arn} → ${Admin.Arn}"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("        managed policy {ADMIN}")),
        "{shown}"
    );
    // The new role's trust and managed policy, and who the function acts as.
    assert!(shown.contains("3 broadening security changes"), "{shown}");
    let json = serde_json::to_value(&d).expect("json");
    let change = json["security"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["policy"] == "acts-as"))
        .expect("acts-as in the JSON");
    assert_eq!(change["direction"], "broadening");
    assert_eq!(change["identity"]["new"]["logicalId"], "Admin");
    assert_eq!(change["identity"]["old"]["value"], "${Role.Arn}");
}

#[test]
fn a_role_imported_by_arn_is_broadening_not_known_offline() {
    let before = stack(arn("Role"), &[]);
    for imported in [
        json!("arn:aws:iam::123456789012:role/elsewhere"),
        json!({"Fn::ImportValue": "shared-role-arn"}),
    ] {
        let d = review(&before, &stack(imported.clone(), &[]));
        assert_eq!(
            acts_as(&d),
            one("Fn", "Role", Direction::Broadening),
            "{imported}"
        );
        assert!(ApprovalPolicy::Broadening.requires(&d));
        let id = d
            .security
            .iter()
            .find_map(|s| s.identity.as_ref())
            .expect("identity");
        assert!(id.verdict.contains("not known offline"), "{}", id.verdict);
        assert_eq!(id.new.as_ref().and_then(|n| n.allowed.clone()), None);
        assert!(text(&d).contains("now "), "{}", text(&d));
    }
}

#[test]
fn a_swap_between_identical_roles_is_shown_without_asking() {
    let twin = role("lambda.amazonaws.com", &[BASIC], true);
    let before = stack(arn("Role"), &[("Twin", twin.clone())]);
    let after = stack(arn("Twin"), &[("Twin", twin)]);
    let d = review(&before, &after);
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Same));
    assert!(!ApprovalPolicy::Broadening.requires(&d));
    assert!(!d.is_empty());
    let shown = text(&d);
    assert!(
        shown.contains("same permissions Fn (Role, who it acts as): ${Role.Arn} → ${Twin.Arn}"),
        "{shown}"
    );
}

#[test]
fn a_smaller_role_narrows_and_anything_more_broadens() {
    // Only the basic execution policy: less than the old role.
    let small = role("lambda.amazonaws.com", &[BASIC], false);
    let d = review(
        &stack(arn("Role"), &[("Small", small.clone())]),
        &stack(arn("Small"), &[("Small", small)]),
    );
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Narrowing));
    assert!(!ApprovalPolicy::Broadening.requires(&d));

    // The same policies, but a key policy in the stack names the new role: more.
    let twin = role("lambda.amazonaws.com", &[BASIC], true);
    let key = json!({"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": arn("Twin")}, "Action": "kms:Decrypt", "Resource": "*"}]}}});
    let d = review(
        &stack(arn("Role"), &[("Twin", twin.clone()), ("Key", key.clone())]),
        &stack(arn("Twin"), &[("Twin", twin.clone()), ("Key", key)]),
    );
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));

    // The same policies, and a standalone policy attached to the new role: more.
    let attached = json!({"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "x",
        "Roles": [{"Ref": "Twin"}], "PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}});
    let d = review(
        &stack(
            arn("Role"),
            &[("Twin", twin.clone()), ("Extra", attached.clone())],
        ),
        &stack(arn("Twin"), &[("Twin", twin.clone()), ("Extra", attached)]),
    );
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));

    // The old role had a permissions boundary, the new one has none: more.
    let mut bounded = role("lambda.amazonaws.com", &[BASIC], true);
    bounded["Properties"]["PermissionsBoundary"] = json!("arn:aws:iam::123456789012:policy/bound");
    let before = {
        let mut t = stack(arn("Role"), &[("Twin", twin.clone())]);
        t["Resources"]["Role"] = bounded;
        t
    };
    let d = review(&before, &stack(arn("Twin"), &[("Twin", twin)]));
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));
}

#[test]
fn a_role_passed_as_a_parameter_is_followed_into_the_review() {
    use nephos_cli::cfn::model::Stack;
    use std::collections::BTreeMap;
    let mut t = stack(json!({"Ref": "FnRole"}), &[]);
    t["Parameters"] = json!({"FnRole": {"Type": "String"}});
    let deployed = Stack {
        name: "s".into(),
        id: "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1".into(),
        parameters: vec![(
            "FnRole".into(),
            "arn:aws:iam::123456789012:role/small".into(),
        )],
        ..Default::default()
    };
    let requested = BTreeMap::from([(
        "FnRole".to_owned(),
        "arn:aws:iam::123456789012:role/admin".to_owned(),
    )]);
    let values = ParameterValues::of(Some(&deployed), &requested);
    let d = diff_stack(&t, &t, &values, &SchemaFacts);
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));
    assert!(ApprovalPolicy::Broadening.requires(&d));
    // The same value kept: nothing to say.
    let kept = ParameterValues::of(Some(&deployed), &BTreeMap::new());
    assert!(acts_as(&diff_stack(&t, &t, &kept, &SchemaFacts)).is_empty());
}

#[test]
fn a_new_function_on_an_existing_admin_role_asks() {
    let admin = role("lambda.amazonaws.com", &[ADMIN], false);
    let before = stack(arn("Role"), &[("Admin", admin.clone())]);
    let mut after = before.clone();
    after["Resources"]["Evil"] = before["Resources"]["Fn"].clone();
    after["Resources"]["Evil"]["Properties"]["Role"] = arn("Admin");
    let d = review(&before, &after);
    assert_eq!(acts_as(&d), one("Evil", "Role", Direction::Broadening));
    assert!(ApprovalPolicy::Broadening.requires(&d));
}

#[test]
fn a_permission_principal_or_source_change_is_shown_and_asks() {
    let perm = |principal: &str, source: &str| {
        json!({"Resources": {"Perm": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "Fn"},
            "Principal": principal, "SourceArn": source}}}})
    };
    let before = perm("s3.amazonaws.com", "arn:aws:s3:::uploads");
    for after in [
        perm("*", "arn:aws:s3:::uploads"),
        perm("123456789012", "arn:aws:s3:::uploads"),
        perm("s3.amazonaws.com", "arn:aws:s3:::someone-elses"),
    ] {
        let d = review(&before, &after);
        assert!(
            d.security.iter().any(|s| s.owner == "Perm"
                && s.direction == Direction::Broadening
                && s.policy == "lambda-permission"),
            "{:?}",
            d.security
        );
        assert!(ApprovalPolicy::Broadening.requires(&d));
        assert!(text(&d).contains("IAM / security changes"));
    }
    // A resource policy's principal changed: the new one is granted, broadening.
    let bucket_policy = |who: &str| {
        json!({"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b",
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": who},
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}}}})
    };
    let d = review(
        &bucket_policy("arn:aws:iam::111111111111:root"),
        &bucket_policy("arn:aws:iam::222222222222:root"),
    );
    assert!(ApprovalPolicy::Broadening.requires(&d), "{:?}", d.security);
}

/// Other members of the kind, each found through the identity facts: an ECS task's
/// roles, an EventBridge target's role, a state machine's role, an instance profile's
/// role, an instance's profile, the roles a managed policy attaches to.
#[test]
fn other_identity_properties_are_security_changes() {
    let rows: Vec<(&str, Value, Value, &str)> = vec![
        (
            "AWS::ECS::TaskDefinition",
            json!({"TaskRoleArn": arn("Role"), "ExecutionRoleArn": arn("Role")}),
            json!({"TaskRoleArn": arn("Admin"), "ExecutionRoleArn": arn("Role")}),
            "TaskRoleArn",
        ),
        (
            "AWS::Events::Rule",
            json!({"ScheduleExpression": "rate(1 hour)", "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:m", "RoleArn": arn("Role")}]}),
            json!({"ScheduleExpression": "rate(1 hour)", "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:m", "RoleArn": arn("Admin")}]}),
            "Targets/0/RoleArn",
        ),
        (
            "AWS::StepFunctions::StateMachine",
            json!({"RoleArn": arn("Role"), "DefinitionString": "{}"}),
            json!({"RoleArn": arn("Admin"), "DefinitionString": "{}"}),
            "RoleArn",
        ),
        (
            "AWS::IAM::InstanceProfile",
            json!({"Roles": [{"Ref": "Role"}]}),
            json!({"Roles": [{"Ref": "Admin"}]}),
            "Roles/0",
        ),
        (
            "AWS::EC2::Instance",
            json!({"ImageId": "ami-12345678", "IamInstanceProfile": "small-profile"}),
            json!({"ImageId": "ami-12345678", "IamInstanceProfile": "admin-profile"}),
            "IamInstanceProfile",
        ),
        (
            "AWS::IAM::ManagedPolicy",
            json!({"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}, "Roles": [{"Ref": "Role"}]}),
            json!({"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}, "Roles": [{"Ref": "Admin"}]}),
            "Roles/0",
        ),
    ];
    for (ty, a, b, property) in rows {
        let t = |p: Value| {
            json!({"Resources": {
                "Role": role("ecs-tasks.amazonaws.com", &[], true),
                "Admin": role("ecs-tasks.amazonaws.com", &[ADMIN], false),
                "R": {"Type": ty, "Properties": p}}})
        };
        let d = review(&t(a), &t(b));
        assert_eq!(
            acts_as(&d),
            one("R", property, Direction::Broadening),
            "{ty}"
        );
        assert!(ApprovalPolicy::Broadening.requires(&d), "{ty}");
    }
}

#[test]
fn an_unchanged_role_is_not_reported() {
    let before = stack(arn("Role"), &[]);
    // The function changes, its role's policies change, but it acts as the same role.
    let mut after = before.clone();
    after["Resources"]["Fn"]["Properties"]["Runtime"] = json!("python3.13");
    after["Resources"]["Role"]["Properties"]["ManagedPolicyArns"] = json!([]);
    let d = review(&before, &after);
    assert!(acts_as(&d).is_empty(), "{:?}", d.security);
    assert!(!d.resources.is_empty());
    assert!(!text(&d).contains("who it acts as"), "{}", text(&d));
    // Nothing changed at all: nothing to say.
    assert!(review(&before, &before).security.is_empty());
}

/// A role written the same on both sides that nephos cannot resolve offline is reported
/// as possibly naming another identity, never as unchanged.
#[test]
fn an_intrinsic_role_that_may_resolve_differently_is_broadening() {
    let may = |before: &Value, after: &Value, why: &str| {
        let d = review(before, after);
        assert_eq!(
            acts_as(&d),
            one("Fn", "Role", Direction::Broadening),
            "{why}: {:?}",
            d.security
        );
        assert!(ApprovalPolicy::Broadening.requires(&d), "{why}");
        let id = d
            .security
            .iter()
            .find_map(|s| s.identity.as_ref())
            .expect("identity");
        assert!(
            id.verdict.starts_with("may change: "),
            "{why}: {}",
            id.verdict
        );
        assert!(id.verdict.contains(why), "{why}: {}", id.verdict);
        assert!(
            text(&d).contains("[~] broadening Fn (Role, who it acts as): "),
            "{}",
            text(&d)
        );
    };
    // A dynamic reference: read from Parameter Store at every deploy.
    let ssm = stack(json!("{{resolve:ssm:/roles/fn}}"), &[]);
    may(&ssm, &ssm, "known only at deploy time");

    // A custom resource's attribute, the custom resource updated.
    // Its `Team` is updated in place (only a custom resource's `ServiceToken` replaces it).
    let custom = |team: &str| {
        json!({"Type": "Custom::RolePicker", "Properties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:picker", "Team": team}})
    };
    let picked = json!({"Fn::GetAtt": ["Picker", "RoleArn"]});
    may(
        &stack(picked.clone(), &[("Picker", custom("a"))]),
        &stack(picked, &[("Picker", custom("b"))]),
        // Replaced or updated (a custom type has no replacement facts): either way a
        // new answer from its handler.
        "reads Picker, ",
    );

    // A nested stack's output, the nested stack updated.
    let nested = |url: &str| json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}});
    let output = json!({"Fn::GetAtt": ["Nested", "Outputs.RoleArn"]});
    may(
        &stack(
            output.clone(),
            &[("Nested", nested("https://s3.amazonaws.com/b/v1.json"))],
        ),
        &stack(
            output,
            &[("Nested", nested("https://s3.amazonaws.com/b/v2.json"))],
        ),
        "reads Nested, ",
    );

    // A parameter whose values are not known to this review.
    let mut param = stack(json!({"Ref": "FnRole"}), &[]);
    param["Parameters"] = json!({"FnRole": {"Type": "String"}});
    may(&param, &param, "reads parameter FnRole");

    // A resource that is replaced (a queue's name is create-only) naming the role.
    let queue = |name: &str| json!({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}});
    let via = json!({"Fn::Sub": "arn:aws:iam::123456789012:role/${Q.QueueName}"});
    may(
        &stack(via.clone(), &[("Q", queue("a"))]),
        &stack(via, &[("Q", queue("b"))]),
        "reads Q, which is replaced",
    );
}

#[test]
fn a_role_that_is_resolved_the_same_is_not_reported() {
    // The same import, the same literal ARN, the same pseudo-parameter ARN: CloudFormation
    // refuses to change an export in use, and the account does not change.
    for role in [
        json!({"Fn::ImportValue": "shared-role-arn"}),
        json!("arn:aws:iam::123456789012:role/fixed"),
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/fixed"}),
    ] {
        let t = stack(role.clone(), &[]);
        assert!(review(&t, &t).security.is_empty(), "{role}");
    }
}

#[test]
fn an_identity_written_with_control_characters_is_shown_escaped() {
    let before = stack(json!("arn:aws:iam::123456789012:role/a"), &[]);
    let after = stack(
        json!("arn:aws:iam::123456789012:role/b\u{1b}[2J\u{202e}"),
        &[],
    );
    let d = review(&before, &after);
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Broadening));
    let shown = text(&d);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
        "{shown:?}"
    );
    assert!(
        shown.contains("role/a → arn:aws:iam::123456789012:role/b"),
        "{shown}"
    );
}

#[test]
fn a_role_removed_from_a_state_machine_target_is_broadening() {
    let rule = |target: Value| {
        json!({"Resources": {"Role": role("events.amazonaws.com", &[], true),
            "R": {"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "rate(1 hour)",
                "Targets": [target]}}}})
    };
    let target = json!({"Id": "t", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"});
    let mut with_role = target.clone();
    with_role["RoleArn"] = arn("Role");
    let d = review(&rule(with_role), &rule(target));
    assert_eq!(
        acts_as(&d),
        one("R", "Targets/0/RoleArn", Direction::Broadening)
    );
    let id = d
        .security
        .iter()
        .find_map(|s| s.identity.as_ref())
        .expect("identity");
    assert!(id.new.is_none() && id.verdict.contains("cleared"), "{id:?}");
    assert!(text(&d).contains("${Role.Arn} → (none)"), "{}", text(&d));
}

#[test]
fn a_swap_to_a_role_a_policy_may_name_unresolved_is_broadening_and_asks() {
    // The twin looks identical, but an admin policy is attached to roles named by a
    // parameter, `Fn::Sub` or a literal its computed name may equal: the template cannot say
    // whether the twin holds it, so the swap is not "same permissions".
    let twin = role("lambda.amazonaws.com", &[BASIC], true);
    let mut named_twin = twin.clone();
    named_twin["Properties"]["RoleName"] = json!({"Fn::Sub": "${AWS::StackName}-twin"});
    let admin = |roles: Value| {
        json!({"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Roles": roles,
            "PolicyDocument": {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}})
    };
    for (twin, roles) in [
        (twin.clone(), json!([{"Ref": "TwinName"}])),
        (twin.clone(), json!([{"Fn::Sub": "${AWS::StackName}-twin"}])),
        (twin.clone(), json!({"Fn::Split": [",", {"Ref": "Names"}]})),
        (named_twin, json!(["prod-twin"])),
    ] {
        let extra = [("Twin", twin), ("Admin", admin(roles.clone()))];
        let before = stack(arn("Role"), &extra);
        let after = stack(arn("Twin"), &extra);
        let d = review(&before, &after);
        assert_eq!(
            acts_as(&d),
            one("Fn", "Role", Direction::Broadening),
            "{roles}"
        );
        assert!(ApprovalPolicy::Broadening.requires(&d), "{roles}");
    }
    // Named by a literal the twin's own literal name is not, and by `Ref` to the old role:
    // known not attached to the twin, so the swap drops the admin policy and narrows.
    let mut literal_twin = role("lambda.amazonaws.com", &[BASIC], true);
    literal_twin["Properties"]["RoleName"] = json!("twin");
    let extra = [
        ("Twin", literal_twin),
        ("Admin", admin(json!(["other", {"Ref": "Role"}]))),
    ];
    let d = review(&stack(arn("Role"), &extra), &stack(arn("Twin"), &extra));
    assert_eq!(acts_as(&d), one("Fn", "Role", Direction::Narrowing));
}
