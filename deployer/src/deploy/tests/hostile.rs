//! The hostile corpus of issue 9 (sections 1, 2 and 6) through the seam: situations the
//! emulator cannot produce (races, stack policies enforced, unreadable deployed
//! templates, pending reviews). Each asserts the outcome, the key words of the message, and
//! that nothing that could delete the stateful resource was called: no UpdateStack, no
//! ExecuteChangeSet, no DeleteStack, or a stack policy denying it.

use super::*;
use crate::deploy::destroy::DestroyOptions;

/// A deployed template nephos cannot parse, whatever the readers accept: cut off mid-way.
const UNREADABLE: &str = r#"{"Resources": {"Ledger": {"Type": "AWS::DynamoDB::Table""#;

/// The calls that can delete a resource.
const DESTRUCTIVE: [&str; 4] = [
    "UpdateStack",
    "ExecuteChangeSet",
    "DeleteStack",
    "CreateStack",
];

/// Asserts that the data is still there: nothing destructive was called.
fn untouched(fake: &FakeCfn) {
    for call in DESTRUCTIVE {
        assert_eq!(
            fake.count(call),
            0,
            "{call} was called: {:?}",
            fake.writes()
        );
    }
}

fn refused_saying(r: &Result<Outcome, EngineError>, out: &str, words: &[&str]) {
    assert!(
        matches!(
            r,
            Ok(Outcome::Refused { .. } | Outcome::DataLossRefused { .. })
        ),
        "{r:?}"
    );
    assert!(!r.as_ref().is_ok_and(Outcome::is_success), "{r:?}");
    for w in words {
        assert!(out.contains(w), "{w:?} not in:\n{out}");
    }
}

fn remove(id: &str, ty: &str) -> ResourceChange {
    ResourceChange {
        action: "Remove".into(),
        logical_id: id.into(),
        resource_type: ty.into(),
        ..Default::default()
    }
}

/// An existing stack whose `GetTemplate` answers `bodies` in turn and whose change set has
/// `changes`; an update settles successfully.
fn existing(bodies: &[&str], changes: Vec<ResourceChange>) -> FakeCfn {
    FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_templates(bodies)
    .with_change_sets(vec![complete(changes)])
}

fn direct(opts: DeployOptions) -> DeployOptions {
    DeployOptions {
        direct: true,
        ..opts
    }
}

fn allow(ids: &[&str]) -> DeployOptions {
    DeployOptions {
        allow_replace: ids.iter().map(|s| (*s).to_owned()).collect(),
        ..strict()
    }
}

/// The new template of the change-set cases: different from the deployed one, so the
/// deploy is not skipped locally.
fn queue_and_topic() -> Value {
    json!({"Resources": {"Queue": {"Type": QUEUE}, "Topic": {"Type": "AWS::SNS::Topic"}}})
}

fn queue_only() -> Value {
    json!({"Resources": {"Queue": {"Type": QUEUE}}})
}

// ---- 1. Fail closed on whatever nephos cannot read ----

#[tokio::test]
async fn an_unparseable_deployed_template_stops_a_change_set_deploy() {
    let fake = existing(&[UNREADABLE], vec![remove("Ledger", TABLE)]);
    let (out, r) = deploy(&fake, request(queue_only()), strict(), None).await;
    refused_saying(
        &r,
        &out,
        &[
            "cannot read the deployed template of api",
            "invalid JSON",
            "--allow-data-loss",
        ],
    );
    assert_eq!(fake.count("CreateChangeSet"), 0);
    untouched(&fake);
}

#[tokio::test]
async fn an_unparseable_deployed_template_stops_a_direct_deploy() {
    let fake = existing(&[UNREADABLE], vec![]);
    let (out, r) = deploy(&fake, request(queue_only()), direct(strict()), None).await;
    refused_saying(
        &r,
        &out,
        &["cannot read the deployed template", "data loss"],
    );
    untouched(&fake);
}

#[tokio::test]
async fn an_unparseable_yaml_deployed_template_stops_the_deploy() {
    let fake = existing(&["Resources:\n  Ledger: [unclosed\n"], vec![]);
    let (out, r) = deploy(&fake, request(queue_only()), strict(), None).await;
    refused_saying(&r, &out, &["invalid YAML", "--allow-data-loss"]);
    untouched(&fake);
}

#[tokio::test]
async fn a_deployed_template_that_parses_but_cannot_be_judged_stops_the_deploy() {
    for (body, why) in [
        (
            r#"{"Resources": []}"#,
            "Resources must be a mapping of logical IDs to resources (found a list)",
        ),
        ("[1, 2, 3]", "with a Resources section (found a list)"),
        (
            r#""just a string""#,
            "with a Resources section (found a string)",
        ),
        (
            r#"{"Resources": {"Ledger": {"Properties": {}}}}"#,
            "Ledger has no Type",
        ),
        (
            r#"{"Resources": {"Ledger": {"Type": 7}}}"#,
            "Ledger: Type must be a string",
        ),
    ] {
        let fake = existing(&[body], vec![remove("Ledger", TABLE)]);
        let (out, r) = deploy(&fake, request(queue_and_topic()), strict(), None).await;
        refused_saying(&r, &out, &["cannot read the deployed template", why]);
        untouched(&fake);
    }
}

#[tokio::test]
async fn a_failed_get_template_stops_the_deploy_naming_the_call() {
    let fake = existing(&["{}"], vec![]).failing(
        "GetTemplate",
        vec![CfnError::from_service(
            Some("AccessDenied"),
            "not authorized to perform: cloudformation:GetTemplate",
        )],
    );
    let (out, r) = deploy(&fake, request(queue_only()), strict(), None).await;
    refused_saying(&r, &out, &["GetTemplate failed", "--allow-data-loss"]);
    untouched(&fake);
}

#[tokio::test]
async fn allow_data_loss_goes_on_without_the_check_and_says_so() {
    let fake = existing(&[UNREADABLE], vec![remove("Ledger", TABLE)]);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..strict()
    };
    let (out, r) = deploy(&fake, request(queue_only()), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(
        out.contains("going on without the data-loss check"),
        "{out}"
    );
    // Nothing to deny once data loss is allowed: no stack policy.
    assert_eq!(fake.count("SetStackPolicy"), 0);
}

#[tokio::test]
async fn a_reviewed_change_set_over_an_unreadable_template_is_refused_and_left_in_place() {
    let fake = existing(&[UNREADABLE], vec![remove("Ledger", TABLE)]);
    let opts = DeployOptions {
        existing_change_set: Some("reviewed".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(queue_only()), opts, None).await;
    refused_saying(&r, &out, &["cannot read the deployed template"]);
    assert_eq!(fake.count("DeleteChangeSet"), 0);
    untouched(&fake);
}

async fn destroy(fake: &FakeCfn, allow: bool) -> (String, Result<Outcome, EngineError>) {
    let opts = DestroyOptions {
        yes: true,
        role_arn: None,
        allow_data_loss: allow,
    };
    with_engine!(fake, Some(true), Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await)
}

#[tokio::test]
async fn destroy_of_a_stack_whose_template_cannot_be_read_is_refused() {
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateComplete)]).with_template(UNREADABLE);
    let (out, r) = destroy(&fake, false).await;
    refused_saying(
        &r,
        &out,
        &["cannot read the deployed template", "--allow-data-loss"],
    );
    untouched(&fake);
}

#[tokio::test]
async fn destroy_with_allow_data_loss_deletes_without_a_plan() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::CreateComplete),
        stack(StackStatus::CreateComplete),
        None,
    ])
    .with_template(UNREADABLE);
    let (out, r) = destroy(&fake, true).await;
    assert!(matches!(r, Ok(Outcome::Destroyed { .. })), "{r:?}");
    assert!(out.contains("deleting without a plan"), "{out}");
    assert_eq!(fake.count("DeleteStack"), 1);
}

// ---- 1. The change set is judged on its own ----

#[tokio::test]
async fn a_change_set_remove_of_a_table_missing_from_the_old_template_is_refused() {
    // The deployed template reads, but lacks the table (written by another tool, or the
    // stack changed): the change set's own ResourceType decides.
    let fake = existing(&[&queue_only().to_string()], vec![remove("Ledger", TABLE)]);
    let (out, r) = deploy(&fake, request(queue_and_topic()), strict(), None).await;
    refused_saying(
        &r,
        &out,
        &[
            "Ledger (AWS::DynamoDB::Table) would be removed",
            "--allow-replace Ledger",
        ],
    );
    untouched(&fake);
    assert_eq!(fake.count("DeleteChangeSet"), 1);
}

#[tokio::test]
async fn a_change_set_replacement_of_a_bucket_missing_from_the_old_template_is_refused() {
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "Data".into(),
        resource_type: "AWS::S3::Bucket".into(),
        replacement: Some("True".into()),
        ..Default::default()
    };
    let fake = existing(&[&queue_only().to_string()], vec![change]);
    let (out, r) = deploy(&fake, request(queue_and_topic()), strict(), None).await;
    refused_saying(&r, &out, &["Data (AWS::S3::Bucket) would be replaced"]);
    untouched(&fake);
}

#[tokio::test]
async fn every_type_of_the_stateful_data_is_refused_when_the_change_set_removes_it() {
    for ty in nephos::facts::stateful_types() {
        let fake = existing(&[&queue_only().to_string()], vec![remove("Res", ty)]);
        let (_, r) = deploy(&fake, request(queue_and_topic()), strict(), None).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { .. })),
            "{ty}: {r:?}"
        );
        untouched(&fake);
    }
}

#[tokio::test]
async fn a_change_set_remove_of_a_stateless_type_is_not_refused() {
    let fake = existing(
        &[&queue_only().to_string()],
        vec![remove("Fn", "AWS::Lambda::Function")],
    );
    let (_, r) = deploy(&fake, request(queue_and_topic()), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

// ---- 1. A Condition is a possible removal ----

fn conditioned(condition: Option<&str>) -> Value {
    let mut t = template("users");
    t["Conditions"] = json!({"Never": {"Fn::Equals": ["a", "b"]}});
    if let Some(c) = condition {
        t["Resources"]["Table"]["Condition"] = json!(c);
    }
    t
}

#[tokio::test]
async fn a_condition_newly_placed_on_a_table_is_refused_in_a_direct_deploy() {
    let fake = existing(&[&conditioned(None).to_string()], vec![]);
    let (out, r) = deploy(
        &fake,
        request(conditioned(Some("Never"))),
        direct(strict()),
        None,
    )
    .await;
    refused_saying(
        &r,
        &out,
        &[
            "Table",
            "would be removed",
            "[Condition]: Never (false: the resource is deleted)",
        ],
    );
    untouched(&fake);
}

#[tokio::test]
async fn a_condition_newly_placed_on_a_table_is_refused_with_a_bare_change_set() {
    // moto's answer: a bare Modify, no Replacement.
    let modify = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        ..Default::default()
    };
    let fake = existing(&[&conditioned(None).to_string()], vec![modify]);
    let (out, r) = deploy(&fake, request(conditioned(Some("Never"))), strict(), None).await;
    refused_saying(
        &r,
        &out,
        &[
            "[Condition]: Never (false",
            "would be removed",
            "--allow-replace Table",
        ],
    );
    untouched(&fake);
}

#[tokio::test]
async fn a_condition_is_allowed_by_allow_replace_of_the_resource() {
    let fake = existing(&[&conditioned(None).to_string()], vec![]);
    let (_, r) = deploy(
        &fake,
        request(conditioned(Some("Never"))),
        direct(allow(&["Table"])),
        None,
    )
    .await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(fake.count("UpdateStack"), 1);
}

// ---- 2. A review is a promise about the stack as reviewed ----

#[tokio::test]
async fn a_direct_update_stops_when_the_stack_changed_while_reviewing() {
    // Case 05: another deploy added the table between the review and the update.
    let before = queue_only().to_string();
    let after = template("orders").to_string();
    let fake = existing(&[&before, &after], vec![]);
    let new =
        json!({"Resources": {"Queue": {"Type": QUEUE}, "Topic": {"Type": "AWS::SNS::Topic"}}});
    let (out, r) = deploy(&fake, request(new), direct(strict()), Some(true)).await;
    refused_saying(
        &r,
        &out,
        &[
            "changed while you were reviewing",
            "run `nephos deploy` again",
        ],
    );
    untouched(&fake);
}

#[tokio::test]
async fn a_change_set_is_not_executed_when_the_stack_changed_while_reviewing() {
    let before = queue_only().to_string();
    let after = template("orders").to_string();
    let fake = existing(&[&before, &after], vec![]);
    let new =
        json!({"Resources": {"Queue": {"Type": QUEUE}, "Topic": {"Type": "AWS::SNS::Topic"}}});
    let (out, r) = deploy(&fake, request(new), strict(), Some(true)).await;
    refused_saying(&r, &out, &["changed while you were reviewing"]);
    untouched(&fake);
    // Its own change set is cleaned up.
    assert_eq!(fake.count("DeleteChangeSet"), 1);
}

#[tokio::test]
async fn a_reviewed_change_set_is_not_executed_when_the_stack_changed_and_is_left_in_place() {
    let before = queue_only().to_string();
    let after = template("orders").to_string();
    let fake = existing(&[&before, &after], vec![]).with_change_set_template(&before);
    let opts = DeployOptions {
        existing_change_set: Some("reviewed".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(queue_only()), opts, None).await;
    refused_saying(&r, &out, &["changed while you were reviewing"]);
    untouched(&fake);
    assert_eq!(fake.count("DeleteChangeSet"), 0);
}

// ---- 2. CloudFormation enforces the refusals: the stack policy ----

fn statement<'a>(doc: &'a Value, sid: &str) -> Option<&'a Value> {
    doc["Statement"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["Sid"] == sid))
}

#[tokio::test]
async fn a_direct_update_carries_a_policy_denying_replacement_and_deletion_of_stateful_resources() {
    let old = template("users").to_string();
    let fake = existing(&[&old], vec![]);
    let mut new = template("users");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let (_, r) = deploy(&fake, request(new), direct(strict()), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    // The same stack-policy step as a change set: nephos's policy set before UpdateStack,
    // the stack's own (allow-all: it had none) put back once the stack settled.
    let writes = fake.writes();
    let at = |c: &str| writes.iter().position(|w| w == c);
    assert!(at("SetStackPolicy") < at("UpdateStack"), "{writes:?}");
    assert_eq!(fake.count("SetStackPolicy"), 2, "{writes:?}");
    let sent = fake.policies();
    assert!(
        statement(&sent[1], "NephosProtectDelete").is_none(),
        "{}",
        sent[1]
    );
    let doc = &sent[0];
    assert_eq!(
        statement(doc, "NephosProtectReplace").map(|s| s["Resource"].clone()),
        Some(json!([
            "LogicalResourceId/Queue",
            "LogicalResourceId/Table"
        ]))
    );
    assert_eq!(
        statement(doc, "NephosProtectDelete").map(|s| s["Effect"].clone()),
        Some(json!("Deny"))
    );
    // No policy of their own: every other update stays allowed.
    assert_eq!(doc["Statement"][0]["Action"], "Update:*");
    assert_eq!(doc["Statement"][0]["Effect"], "Allow");
}

#[tokio::test]
async fn the_users_own_stack_policy_is_kept_in_the_policy_during_the_update() {
    let own = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"Update:*","Resource":"LogicalResourceId/Db"},{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"}]}"#;
    let old = template("users").to_string();
    let fake = existing(&[&old], vec![]).with_stack_policy(own);
    let mut new = template("users");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let (_, r) = deploy(&fake, request(new), direct(strict()), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    let doc = &fake.policies()[0];
    let st = doc["Statement"].as_array().cloned().unwrap_or_default();
    assert_eq!(st[0]["Resource"], "LogicalResourceId/Db");
    assert_eq!(st[1]["Resource"], "*");
    assert_eq!(st.len(), 4, "{doc}");
}

#[tokio::test]
async fn allow_replace_lifts_the_denial_for_that_resource_only() {
    let fake = existing(&[&template("users").to_string()], vec![]);
    let (_, r) = deploy(
        &fake,
        request(template("users-v2")),
        direct(allow(&["Table"])),
        None,
    )
    .await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    let doc = &fake.policies()[0];
    assert_eq!(
        statement(doc, "NephosProtectReplace").map(|s| s["Resource"].clone()),
        Some(json!(["LogicalResourceId/Queue"]))
    );
}

#[tokio::test]
async fn allow_data_loss_sends_no_denials() {
    let fake = existing(&[&template("users").to_string()], vec![]);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..strict()
    };
    let (_, r) = deploy(&fake, request(template("users-v2")), direct(opts), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(fake.policies().is_empty());
    // Read only to find denials an interrupted run may have left (there are none).
    assert_eq!(fake.count("GetStackPolicy"), 1);
}

#[tokio::test]
async fn executing_a_change_set_sets_the_policy_before_and_puts_the_users_back_after() {
    let own = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:Modify","Resource":"*"}]}"#;
    let old = template("users").to_string();
    let fake = existing(&[&old], vec![]).with_stack_policy(own);
    let mut new = template("users");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let (_, r) = deploy(&fake, request(new), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    let writes = fake.writes();
    let at = |c: &str| writes.iter().position(|w| w == c);
    assert!(at("SetStackPolicy") < at("ExecuteChangeSet"), "{writes:?}");
    let sent = fake.policies();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(statement(&sent[0], "NephosProtectDelete").is_some());
    assert_eq!(sent[1]["Statement"][0]["Action"], "Update:Modify");
    assert_eq!(sent[1]["Statement"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_unreadable_stack_policy_of_the_users_stops_the_update() {
    let fake = existing(&[&template("users").to_string()], vec![]).with_stack_policy("{oops");
    let mut new = template("users");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let (out, r) = deploy(&fake, request(new), strict(), None).await;
    refused_saying(
        &r,
        &out,
        &["stack policy is not valid JSON", "--allow-data-loss"],
    );
    untouched(&fake);
    assert_eq!(fake.count("DeleteChangeSet"), 1);
}

#[tokio::test]
async fn a_create_sends_no_stack_policy() {
    let fake = FakeCfn::new(vec![
        None,
        None,
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ]);
    let (_, r) = deploy(&fake, request(template("a")), direct(strict()), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(fake.policies().is_empty());
}

// ---- 6. Flags mean what they say: REVIEW_IN_PROGRESS and pending change sets ----

#[tokio::test]
async fn a_reviewed_create_change_set_is_executed_not_deleted() {
    // Case 09: `deploy --no-execute` on a new stack, then `deploy --change-set NAME`.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::ReviewInProgress),
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ])
    // The change set creates three resources; the app's template declares two.
    .with_change_set_template(
        &json!({"Resources": {
            "Queue": {"Type": QUEUE},
            "Table": {"Type": TABLE, "Properties": {"TableName": "a"}},
            "Extra": {"Type": QUEUE}}})
        .to_string(),
    );
    let opts = DeployOptions {
        existing_change_set: Some("reviewed".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(fake.write_calls(), ["ExecuteChangeSet"]);
    // Issue 12 (F6b): the review and the counts are the change set's, not the app's.
    assert!(out.contains("create started (3 resources)"), "{out}");
    assert!(
        out.contains("Stack api (create, change set reviewed)"),
        "{out}"
    );
    assert!(out.contains("Extra"), "{out}");
    // Its template unreadable (moto's answer for a create change set): the counts come
    // from the change set's own changes, never from the app's template.
    let add = |id: &str| ResourceChange {
        action: "Add".into(),
        logical_id: id.into(),
        resource_type: QUEUE.into(),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![
        stack(StackStatus::ReviewInProgress),
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ])
    .with_change_sets(vec![complete(vec![add("A"), add("B"), add("C")])]);
    let opts = DeployOptions {
        existing_change_set: Some("reviewed".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(out.contains("create started (3 resources)"), "{out}");
}

#[tokio::test]
async fn a_stack_in_review_with_a_pending_change_set_is_not_taken_for_a_failed_create() {
    let fake = FakeCfn::new(vec![stack(StackStatus::ReviewInProgress)])
        .with_change_set_names(&["someones-review"]);
    let (out, r) = deploy(&fake, request(template("a")), strict(), None).await;
    refused_saying(
        &r,
        &out,
        &[
            "REVIEW_IN_PROGRESS with change set someones-review waiting for review",
            "--change-set someones-review",
        ],
    );
    assert!(!out.contains("earlier failed create"), "{out}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn a_stack_in_review_whose_change_sets_cannot_be_executed_is_not_called_waiting() {
    // An orphan whose CreateChangeSet failed, or one executed meanwhile: nothing waits for
    // review, so none is offered for execution and the way on is deleting the stack.
    let failed = ChangeSet {
        status: ChangeSetStatus::Failed,
        execution_status: ExecutionStatus::Unavailable,
        ..Default::default()
    };
    let mut executed = complete(vec![]);
    executed.execution_status = ExecutionStatus::ExecuteComplete;
    for cs in [failed, executed] {
        let fake = FakeCfn::new(vec![stack(StackStatus::ReviewInProgress)])
            .with_change_set_names(&["nephos-1"])
            .with_change_sets(vec![cs.clone()]);
        let (out, r) = deploy(&fake, request(template("a")), strict(), None).await;
        let Ok(Outcome::Refused {
            reason, next_step, ..
        }) = &r
        else {
            panic!("{r:?}");
        };
        assert!(!reason.contains("waiting for review"), "{reason}");
        assert!(
            reason.contains("none of its change sets can be executed"),
            "{reason}"
        );
        assert!(reason.contains("nephos-1 ("), "{reason}");
        assert!(!next_step.contains("--change-set"), "{next_step}");
        assert!(next_step.contains("nephos destroy api"), "{next_step}");
        assert!(fake.writes().is_empty(), "{out}");
    }
}

#[tokio::test]
async fn a_stack_in_review_without_change_sets_is_deleted_and_created_again() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::ReviewInProgress),
        stack(StackStatus::DeleteInProgress),
        None,
        stack(StackStatus::CreateComplete),
    ]);
    let (_, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(fake.writes()[0], "DeleteStack");
}

#[tokio::test]
async fn discarding_a_create_change_set_keeps_a_stack_holding_someone_elses() {
    // Our create change set is refused (no approval) while another one waits on the stack.
    let fake = FakeCfn::new(vec![None]).with_change_set_names(&["cs1", "someones-review"]);
    let opts = DeployOptions {
        approval: ApprovalPolicy::AnyChange,
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, Some(false)).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert_eq!(fake.count("DeleteStack"), 0, "{:?}", fake.writes());
    assert_eq!(fake.count("DeleteChangeSet"), 1);
    assert!(out.contains("other change sets"), "{out}");
}

#[tokio::test]
async fn discarding_a_create_change_set_keeps_a_stack_that_left_review_meanwhile() {
    // Someone executed a change set on the new stack while ours waited (CloudFormation then
    // drops every change set of the stack, ours included): the stack now holds resources
    // and only a stack still in review holding exactly ours is deleted.
    for (status, names) in [
        (StackStatus::CreateInProgress, vec![]),
        (StackStatus::CreateComplete, vec![]),
        (StackStatus::CreateComplete, vec!["cs1"]),
        (StackStatus::ReviewInProgress, vec![]),
    ] {
        let fake = FakeCfn::new(vec![None, stack(status.clone())]).with_change_set_names(&names);
        let opts = DeployOptions {
            approval: ApprovalPolicy::AnyChange,
            ..strict()
        };
        let (_, r) = deploy(&fake, request(template("a")), opts, Some(false)).await;
        assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
        assert_eq!(
            fake.count("DeleteStack"),
            0,
            "{status} {names:?}: {:?}",
            fake.writes()
        );
    }
}
