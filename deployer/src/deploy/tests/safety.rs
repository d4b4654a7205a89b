//! Data-loss refusals through the seam: each refusal with its exact message (snapshots),
//! each way to allow it, and what is never refused.

use super::*;
use crate::cfn::model::ChangeDetail;

/// `template(name)` with an attribute set on the table.
fn with_attr(mut t: Value, attr: &str, value: &str) -> Value {
    t["Resources"]["Table"][attr] = json!(value);
    t
}

/// The change CloudFormation reports for a new `TableName`.
fn table_replaced() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("True".into()),
        policy_action: None,
        scope: vec!["Properties".into()],
        details: vec![ChangeDetail {
            target: "Properties.TableName".into(),
            requires_recreation: Some("Always".into()),
            change_source: Some("DirectModification".into()),
            causing_entity: None,
        }],
    }
}

fn change(action: &str, id: &str, ty: &str) -> ResourceChange {
    ResourceChange {
        action: action.into(),
        logical_id: id.into(),
        resource_type: ty.into(),
        ..Default::default()
    }
}

/// An existing stack deployed from `old` whose change set has `changes`; an update
/// settles successfully if executed.
fn updating(old: &Value, changes: Vec<ResourceChange>) -> FakeCfn {
    FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&old.to_string())
    .with_change_sets(vec![complete(changes)])
}

fn allow(ids: &[&str]) -> DeployOptions {
    DeployOptions {
        allow_replace: ids.iter().map(|s| (*s).to_owned()).collect(),
        ..strict()
    }
}

fn is_refused(r: &Result<Outcome, EngineError>) -> bool {
    matches!(r, Ok(Outcome::DataLossRefused { .. }))
}

const REFUSED_WRITES: [&str; 3] = ["GetTemplate", "CreateChangeSet UPDATE", "DeleteChangeSet"];

/// A refusal certain from the template alone: nothing is written, not even a change set
/// (issue 12, F4; `GetTemplate` is the read of the deployed template).
const REFUSED_OFFLINE: [&str; 1] = ["GetTemplate"];

/// The change CloudFormation reports when it replaces the table for a `BillingMode`
/// change, which the offline facts take as in place: only the change set shows it.
fn billing_replaced() -> ResourceChange {
    ResourceChange {
        details: vec![ChangeDetail {
            target: "Properties.BillingMode".into(),
            requires_recreation: Some("Always".into()),
            change_source: Some("DirectModification".into()),
            causing_entity: None,
        }],
        ..table_replaced()
    }
}

#[tokio::test]
async fn a_replacement_in_the_change_set_is_refused_naming_the_property_and_the_change_set_is_deleted()
 {
    let fake = updating(&billed("PROVISIONED"), vec![billing_replaced()]);
    let (out, r) = deploy(
        &fake,
        request(billed("PAY_PER_REQUEST")),
        strict(),
        Some(true),
    )
    .await;
    assert!(is_refused(&r), "{r:?}");
    assert_eq!(fake.writes(), REFUSED_WRITES);
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn a_change_set_without_replacement_info_is_checked_with_the_prediction() {
    // moto's change sets: a bare Modify, no Replacement, no Details. The prediction (a
    // create-only TableName changes) is certain: refused before the change set is made.
    let fake = updating(&template("users"), vec![change("Modify", "Table", TABLE)]);
    let (out, r) = deploy(&fake, request(template("users-v2")), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert_eq!(fake.writes(), REFUSED_OFFLINE);
    insta::assert_snapshot!(out);
}

/// `template` with the table's `BillingMode` (a property updated in place) set to `mode`.
fn billed(mode: &str) -> Value {
    let mut t = template("users");
    t["Resources"]["Table"]["Properties"]["BillingMode"] = json!(mode);
    t
}

#[tokio::test]
async fn an_in_place_prediction_does_not_stand_in_for_the_change_sets_replacement() {
    // The template comparison judges a BillingMode change in place; the change set does not
    // say Replacement (or says False and a detail says Always): a possible replacement.
    let mut contradicted = change("Modify", "Table", TABLE);
    contradicted.replacement = Some("False".into());
    contradicted.details = vec![ChangeDetail {
        target: "Properties.BillingMode".into(),
        requires_recreation: Some("Always".into()),
        change_source: Some("DirectModification".into()),
        causing_entity: None,
    }];
    for c in [change("Modify", "Table", TABLE), contradicted] {
        let fake = updating(&billed("PROVISIONED"), vec![c.clone()]);
        let (out, r) = deploy(&fake, request(billed("PAY_PER_REQUEST")), strict(), None).await;
        assert!(is_refused(&r), "{c:?}: {r:?}");
        assert_eq!(fake.writes(), REFUSED_WRITES, "{c:?}");
        assert!(
            out.contains("Table (AWS::DynamoDB::Table) may be replaced"),
            "{out}"
        );
        assert_eq!(fake.count("ExecuteChangeSet"), 0);
    }
    // Replacement False with every detail Never is in place and executes.
    let mut in_place = change("Modify", "Table", TABLE);
    in_place.replacement = Some("False".into());
    in_place.details = vec![ChangeDetail {
        target: "Properties.BillingMode".into(),
        requires_recreation: Some("Never".into()),
        ..Default::default()
    }];
    let fake = updating(&billed("PROVISIONED"), vec![in_place]);
    let (_, r) = deploy(&fake, request(billed("PAY_PER_REQUEST")), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

#[tokio::test]
async fn a_replacement_is_refused_even_when_the_old_resource_is_retained() {
    let old = with_attr(template("users"), "UpdateReplacePolicy", "Retain");
    let new = with_attr(template("users-v2"), "UpdateReplacePolicy", "Retain");
    let fake = updating(&old, vec![table_replaced()]);
    let (out, r) = deploy(&fake, request(new), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert!(
        out.contains("  - Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Retain keeps the old resource, but the stack would use a new, empty one\n"),
        "{out}"
    );
}

#[tokio::test]
async fn removing_a_table_is_refused_unless_its_deletion_policy_keeps_it() {
    let new = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    let fake = updating(&template("users"), vec![change("Remove", "Table", TABLE)]);
    let (out, r) = deploy(&fake, request(new.clone()), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert_eq!(fake.writes(), REFUSED_OFFLINE);
    insta::assert_snapshot!(out);

    // Snapshot is no keeping policy for a table: CloudFormation deletes types it cannot
    // snapshot (the DeletionPolicy attribute page).
    let old = with_attr(template("users"), "DeletionPolicy", "Snapshot");
    let fake = updating(&old, vec![change("Remove", "Table", TABLE)]);
    let (out, r) = deploy(&fake, request(new.clone()), strict(), None).await;
    assert!(is_refused(&r), "Snapshot on a table: {r:?}");
    assert!(
        out.contains("Snapshot (not supported for AWS::DynamoDB::Table"),
        "{out}"
    );
    assert_eq!(fake.writes(), REFUSED_OFFLINE);

    for policy in ["Retain", "RetainExceptOnCreate"] {
        let old = with_attr(template("users"), "DeletionPolicy", policy);
        let fake = updating(&old, vec![change("Remove", "Table", TABLE)]);
        let (_, r) = deploy(&fake, request(new.clone()), strict(), None).await;
        assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{policy}: {r:?}");
        assert_eq!(
            fake.writes(),
            [
                "GetTemplate",
                "CreateChangeSet UPDATE",
                "GetStackPolicy",
                "GetTemplate",
                "SetStackPolicy",
                "ExecuteChangeSet",
                "SetStackPolicy"
            ]
        );
    }
}

#[tokio::test]
async fn allow_replace_allows_the_named_resource_only() {
    let fake = updating(&template("users"), vec![table_replaced()]);
    let (out, r) = deploy(
        &fake,
        request(template("users-v2")),
        allow(&["Queue"]),
        None,
    )
    .await;
    assert!(is_refused(&r), "{r:?}");
    assert!(out.contains("next: if this is intended, rerun with --allow-replace Table"));

    let fake = updating(&template("users"), vec![table_replaced()]);
    let (out, r) = deploy(
        &fake,
        request(template("users-v2")),
        allow(&["Queue", "Table"]),
        None,
    )
    .await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    // Both allowed: no stateful resource left to deny, so no stack policy is set (the
    // stack's is read for denials an interrupted run may have left).
    assert_eq!(
        fake.writes(),
        [
            "GetTemplate",
            "CreateChangeSet UPDATE",
            "GetStackPolicy",
            "GetTemplate",
            "ExecuteChangeSet"
        ]
    );
    // The review still shows the risk that was allowed.
    assert!(out.contains("⚠ data loss: Table"), "{out}");
}

#[tokio::test]
async fn allow_data_loss_allows_every_replacement_and_removal() {
    let old = json!({"Resources": {
        "Table": {"Type": TABLE, "Properties": {"TableName": "a"}},
        "Bucket": {"Type": "AWS::S3::Bucket"}}});
    let new = json!({"Resources": {"Table": {"Type": TABLE, "Properties": {"TableName": "b"}}}});
    let changes = vec![
        change("Remove", "Bucket", "AWS::S3::Bucket"),
        table_replaced(),
    ];
    let fake = updating(&old, changes.clone());
    let (out, r) = deploy(&fake, request(new.clone()), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert!(
        out.contains("rerun with --allow-replace Bucket --allow-replace Table (one per resource)"),
        "{out}"
    );

    let fake = updating(&old, changes);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..strict()
    };
    let (_, r) = deploy(&fake, request(new), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

#[tokio::test]
async fn a_renamed_table_is_refused_as_a_rename_and_allowed_by_either_id() {
    let old =
        json!({"Resources": {"Table": {"Type": TABLE, "Properties": {"TableName": "users"}}}});
    let new =
        json!({"Resources": {"Users": {"Type": TABLE, "Properties": {"TableName": "users"}}}});
    let changes = vec![
        change("Remove", "Table", TABLE),
        change("Add", "Users", TABLE),
    ];
    let fake = updating(&old, changes.clone());
    let (out, r) = deploy(&fake, request(new.clone()), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    insta::assert_snapshot!(out);
    for id in ["Table", "Users"] {
        let fake = updating(&old, changes.clone());
        let (_, r) = deploy(&fake, request(new.clone()), allow(&[id]), None).await;
        assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{id}: {r:?}");
    }
}

#[tokio::test]
async fn stateless_replacements_and_new_stacks_are_not_refused() {
    let function = |name: &str| json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": name}}}});
    let (old, new) = (function("a"), function("b"));
    let mut replaced = change("Modify", "Fn", "AWS::Lambda::Function");
    replaced.replacement = Some("True".into());
    let fake = updating(&old, vec![replaced]);
    let (_, r) = deploy(&fake, request(new), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");

    let fake = FakeCfn::new(vec![None, stack(StackStatus::CreateComplete)]);
    let (_, r) = deploy(&fake, request(template("users")), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

#[tokio::test]
async fn a_resource_marked_stateful_is_protected_like_a_table() {
    let ledger = |size: u32| {
        json!({"Resources": {"Ledger": {"Type": "Custom::Ledger",
            "Metadata": {"nephos:stateful": true}, "Properties": {"Size": size}}}})
    };
    let mut replaced = change("Modify", "Ledger", "Custom::Ledger");
    replaced.replacement = Some("True".into());
    let fake = updating(&ledger(1), vec![replaced]);
    let (out, r) = deploy(&fake, request(ledger(2)), strict(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert!(
        out.contains("  - Ledger (Custom::Ledger) would be replaced: a change CloudFormation did not detail forces a new resource (from the change set);"),
        "{out}"
    );
}

#[tokio::test]
async fn the_direct_method_is_refused_before_update_stack() {
    let fake = updating(&template("users"), vec![]);
    let opts = DeployOptions {
        direct: true,
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("users-v2")), opts, None).await;
    assert!(is_refused(&r), "{r:?}");
    assert_eq!(fake.writes(), ["GetTemplate"]);
    assert!(
        out.contains("✗ api: refused: these changes would lose data; the stack was not changed\n"),
        "{out}"
    );
}

#[tokio::test]
async fn a_reviewed_change_set_is_checked_before_it_is_executed_and_left_in_place() {
    let v2 = template("users-v2").to_string();
    let fake = updating(&template("users"), vec![table_replaced()]).with_change_set_template(&v2);
    let opts = DeployOptions {
        existing_change_set: Some("reviewed".into()),
        ..strict()
    };
    let (_, r) = deploy(&fake, request(template("users-v2")), opts.clone(), None).await;
    assert!(is_refused(&r), "{r:?}");
    assert_eq!(fake.writes(), ["GetTemplate", "GetTemplate change set"]);

    let fake = updating(&template("users"), vec![table_replaced()]).with_change_set_template(&v2);
    let opts = DeployOptions {
        allow_replace: vec!["Table".into()],
        ..opts
    };
    let (_, r) = deploy(&fake, request(template("users-v2")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    // The queue stays protected by the stack policy during the execution.
    assert_eq!(
        fake.writes(),
        [
            "GetTemplate",
            "GetTemplate change set",
            "GetStackPolicy",
            "GetTemplate",
            "SetStackPolicy",
            "ExecuteChangeSet",
            "SetStackPolicy"
        ]
    );
}

#[tokio::test]
async fn the_refusal_is_structured_in_json() {
    let fake = updating(&billed("PROVISIONED"), vec![billing_replaced()]);
    let (_, r) = deploy(&fake, request(billed("PAY_PER_REQUEST")), strict(), None).await;
    let outcome = r.unwrap_or_else(|e| panic!("{e}"));
    insta::assert_json_snapshot!(outcome, @r#"
    {
      "outcome": "dataLossRefused",
      "stack": "api",
      "risks": [
        {
          "logicalId": "Table",
          "resourceType": "AWS::DynamoDB::Table",
          "hazard": "replaced",
          "cause": "BillingMode",
          "evidence": "changeSet"
        }
      ],
      "deletedChangeSet": "cs1"
    }
    "#);
}

#[tokio::test]
async fn destroy_lists_what_is_deleted_and_what_is_retained_before_asking() {
    let t = json!({"Resources": {
        "Table": {"Type": TABLE, "DeletionPolicy": "Retain"},
        "Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "RetainExceptOnCreate"},
        "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"},
        "Queue": {"Type": QUEUE},
        "Fn": {"Type": "AWS::Lambda::Function"}}});
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateComplete)]).with_template(&t.to_string());
    let opts = super::DestroyOptions {
        yes: false,
        role_arn: None,
        allow_data_loss: false,
    };
    let (out, r) = with_engine!(&fake, Some(false), Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert_eq!(fake.writes(), ["GetTemplate"]);
    insta::assert_snapshot!(out, @r"
    api: will delete 2 resources: Fn (AWS::Lambda::Function), Queue (AWS::SQS::Queue, stateful: its data is deleted)
    api: will retain 3 resources (DeletionPolicy): Db (AWS::RDS::DBInstance, Snapshot: deleted after a final snapshot), Logs (AWS::Logs::LogGroup, RetainExceptOnCreate), Table (AWS::DynamoDB::Table, Retain)
    ✗ api: not confirmed
      next: rerun `nephos destroy api --yes` to confirm
    ");
}

#[tokio::test]
async fn require_approval_broadening_asks_for_a_public_function_url_only() {
    let url = |auth: &str| {
        json!({"Resources": {"Url": {"Type": "AWS::Lambda::Url",
            "Properties": {"AuthType": auth, "TargetFunctionArn": "arn:aws:lambda:us-east-1:1:function:f"}}}})
    };
    let opts = DeployOptions {
        approval: ApprovalPolicy::Broadening,
        ..strict()
    };
    // Opening the URL broadens access: nobody to ask, so it is refused and cleaned up.
    let fake = updating(
        &url("AWS_IAM"),
        vec![change("Modify", "Url", "AWS::Lambda::Url")],
    );
    let (out, r) = deploy(&fake, request(url("NONE")), opts.clone(), None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert_eq!(fake.writes(), REFUSED_WRITES);
    assert!(
        out.contains("[+] broadening Url (function-url): Allow lambda:InvokeFunctionUrl to * on arn:aws:lambda:us-east-1:1:function:f when AuthType NONE"),
        "{out}"
    );
    assert!(out.contains("These changes need approval."), "{out}");

    let fake = updating(
        &url("AWS_IAM"),
        vec![change("Modify", "Url", "AWS::Lambda::Url")],
    );
    let (_, r) = deploy(&fake, request(url("NONE")), opts.clone(), Some(true)).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");

    // Closing it narrows access: no question asked.
    let fake = updating(
        &url("NONE"),
        vec![change("Modify", "Url", "AWS::Lambda::Url")],
    );
    let (_, r) = deploy(&fake, request(url("AWS_IAM")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

/// The attacker's inputs (ATK12 F2): policies the review did not read. Each is a broadening
/// change, so with nobody to ask and no `--yes` it is refused before ExecuteChangeSet.
#[tokio::test]
async fn broadening_through_every_policy_carrier_is_refused_without_a_terminal() {
    let queue = json!({"Type": "AWS::SQS::Queue"});
    let with = |id: &str, r: Value| json!({"Resources": {"Q": queue.clone(), id: r}});
    let cases = [
        // iam5.yaml: Allow * on * as a JSON string.
        with(
            "P",
            json!({"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument":
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}),
        ),
        // An unparsable string policy cannot be judged: fail closed.
        with(
            "P",
            json!({"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": "{not json"}}),
        ),
        // iam3.yaml, one resource each.
        with(
            "P",
            json!({"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText":
            {"Statement": [{"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}}}),
        ),
        with(
            "E",
            json!({"Type": "AWS::Events::EventBusPolicy", "Properties": {"StatementId": "s",
            "Statement": {"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*"}}}),
        ),
        with(
            "L",
            json!({"Type": "AWS::Logs::ResourcePolicy", "Properties": {"PolicyName": "p", "PolicyDocument":
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"}}),
        ),
        with(
            "F",
            json!({"Type": "AWS::EFS::FileSystem", "Properties": {"FileSystemPolicy":
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "elasticfilesystem:*"}]}}}),
        ),
        with(
            "K",
            json!({"Type": "AWS::IAM::AccessKey", "Properties": {"UserName": "u"}}),
        ),
        with(
            "G",
            json!({"Type": "AWS::IAM::UserToGroupAddition", "Properties": {"GroupName": "admins", "Users": ["u"]}}),
        ),
        with(
            "B",
            json!({"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "PublicReadWrite"}}),
        ),
        with(
            "I",
            json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties":
            {"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}}),
        ),
        with(
            "V",
            json!({"Type": "AWS::Lambda::LayerVersionPermission", "Properties":
            {"Action": "lambda:GetLayerVersion", "LayerVersionArn": "arn:l:1", "Principal": "*"}}),
        ),
    ];
    let opts = DeployOptions {
        approval: ApprovalPolicy::Broadening,
        ..strict()
    };
    for new in cases {
        let (id, r) = new["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| *k != "Q")
            .unwrap();
        let ty = r["Type"].as_str().unwrap();
        let fake = updating(
            &json!({"Resources": {"Q": queue.clone()}}),
            vec![change("Add", id, ty)],
        );
        let (out, r) = deploy(&fake, request(new.clone()), opts.clone(), None).await;
        assert!(
            matches!(r, Ok(Outcome::Refused { .. })),
            "{ty}: {r:?}\n{out}"
        );
        assert_eq!(fake.count("ExecuteChangeSet"), 0, "{ty}");
        assert!(out.contains("broadening"), "{ty}: {out}");
    }
}
