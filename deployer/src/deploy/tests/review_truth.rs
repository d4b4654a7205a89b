//! What the review and the outcome say must be true: a change nephos cannot judge stops
//! like a replacement, the summary agrees with the risks, nothing destructive happens
//! before every check that can refuse, and no message claims more than was verified.

use super::*;
use crate::cfn::model::{ChangeDetail, StackResource};

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

fn nested(url: &str) -> Value {
    json!({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}}}})
}

fn child_in_place() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Child".into(),
        resource_type: "AWS::CloudFormation::Stack".into(),
        replacement: Some("False".into()),
        policy_action: None,
        scope: vec!["Properties".into()],
        details: vec![ChangeDetail {
            target: "Properties.TemplateURL".into(),
            requires_recreation: Some("Never".into()),
            change_source: Some("DirectModification".into()),
            causing_entity: None,
        }],
    }
}

#[tokio::test]
async fn a_nested_stack_update_stops_without_allow_replace_and_goes_with_it() {
    let (old, new) = (
        nested("https://b/child-v1.json"),
        nested("https://b/child-v2.json"),
    );
    let fake = updating(&old, vec![child_in_place()]);
    let (out, r) = deploy(&fake, request(new.clone()), strict(), Some(true)).await;
    let Ok(Outcome::DataLossRefused { risks, .. }) = &r else {
        panic!("{r:?}\n{out}")
    };
    assert_eq!(risks[0].logical_id, "Child");
    assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
    assert!(
        out.contains("what the update does inside it is not judged"),
        "{out}"
    );
    assert!(out.contains("--allow-replace Child"), "{out}");

    let fake = updating(&old, vec![child_in_place()]);
    let opts = DeployOptions {
        allow_replace: vec!["Child".into()],
        ..strict()
    };
    let (_, r) = deploy(&fake, request(new), opts, Some(true)).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

#[tokio::test]
async fn a_table_rename_the_change_set_calls_in_place_is_refused_and_counted_as_a_replacement() {
    // TableName is create-only: the change set's `Replacement: False` (with no details, or
    // with a detail that is not a property) does not make it an update in place.
    for details in [
        vec![],
        vec![ChangeDetail {
            target: "Tags".into(),
            requires_recreation: None,
            change_source: None,
            causing_entity: None,
        }],
    ] {
        let change = ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            replacement: Some("False".into()),
            policy_action: None,
            scope: vec!["Properties".into()],
            details,
        };
        let fake = updating(&template("users"), vec![change]);
        let (out, r) = deploy(&fake, request(template("users-v2")), strict(), Some(true)).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { .. })),
            "{r:?}\n{out}"
        );
        assert!(out.contains("0 to update in place, 1 to replace"), "{out}");
        assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
    }
}

#[tokio::test]
async fn a_stop_while_the_change_set_is_computed_cancels_nothing() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![pending()]);
    let i = Interrupt::new();
    i.time_out();
    let req = request(template("b"));
    let opts = options();
    let (out, r) = with_engine!(&fake, Some(true), i, |e| e.deploy(&req, &opts).await);
    assert!(
        matches!(
            r,
            Ok(Outcome::Interrupted {
                cancelled: false,
                ..
            })
        ),
        "{r:?}"
    );
    assert!(!out.contains("cancelled"), "{out}");
    assert!(!fake.writes().contains(&"CancelUpdateStack".to_owned()));
}

#[tokio::test]
async fn a_named_change_set_on_a_failed_create_is_refused_before_anything_is_deleted() {
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackComplete), None])
        .with_template(&json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}).to_string())
        .failing(
            "DescribeChangeSet",
            vec![CfnError::new(
                ErrorKind::NotFound,
                "ChangeSet [mine] does not exist",
            )],
        );
    let opts = DeployOptions {
        existing_change_set: Some("mine".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, Some(true)).await;
    let Ok(Outcome::Refused {
        reason, next_step, ..
    }) = &r
    else {
        panic!("{r:?}\n{out}")
    };
    assert!(reason.contains("deletes change set mine"), "{reason}");
    assert!(next_step.contains("without --change-set"), "{next_step}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn a_next_step_never_points_at_a_change_set_nephos_deleted() {
    for (status, exec) in [
        (
            ChangeSetStatus::CreateComplete,
            ExecutionStatus::Unavailable,
        ),
        (
            ChangeSetStatus::CreateComplete,
            ExecutionStatus::from("EXECUTE_PAUSED"),
        ),
        (
            ChangeSetStatus::from("CREATE_PAUSED"),
            ExecutionStatus::from(""),
        ),
    ] {
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![ChangeSet {
                status: status.clone(),
                execution_status: exec.clone(),
                ..Default::default()
            }]);
        let (out, _) = deploy(&fake, request(template("b")), options(), Some(true)).await;
        assert!(
            fake.writes().contains(&"DeleteChangeSet".to_owned()),
            "{:?}",
            fake.writes()
        );
        assert!(
            !out.contains("--change-set-name cs1"),
            "{status}/{exec}: {out}"
        );
        assert!(
            out.contains("nephos deploy --no-execute"),
            "{status}/{exec}: {out}"
        );
    }
}

#[tokio::test]
async fn allow_data_loss_on_a_failed_create_never_also_says_nothing_holds_data() {
    let deployed = json!({"Resources": {"Table": {"Type": TABLE}}}).to_string();
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackFailed), None])
        .with_template(&deployed)
        .with_resources(vec![StackResource {
            logical_id: "Table".into(),
            physical_id: Some("t".into()),
            resource_type: TABLE.into(),
            status: ResourceStatus::DeleteFailed,
        }]);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..strict()
    };
    let (out, _) = deploy(&fake, request(template("users")), opts, Some(true)).await;
    assert!(out.contains("deleting the stack may delete Table"), "{out}");
    assert!(!out.contains("none of its resources holds data"), "{out}");
    assert!(
        out.contains("as --allow-data-loss allows: deleting it"),
        "{out}"
    );
}

#[tokio::test]
async fn a_denial_by_nephos_own_policy_names_the_allow_flag() {
    // The review saw an update in place (a property that is not create-only); CloudFormation
    // decided to replace, and nephos's denial stopped it.
    let old = template("users");
    let mut new = template("users");
    new["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("False".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
    ])
    .with_template(&old.to_string())
    .with_change_sets(vec![complete(vec![change])])
    .with_events(vec![vec![], vec![
        stack_ev(3, ResourceStatus::UpdateRollbackComplete),
        ev(2, "Table", TABLE, ResourceStatus::UpdateFailed, Some("Action denied by stack policy: Statement [#2] (NephosProtectReplace) denies Update:Replace on LogicalResourceId/Table")),
        stack_ev(1, ResourceStatus::UpdateInProgress),
    ]]);
    let (out, r) = deploy(&fake, request(new), strict(), Some(true)).await;
    let Ok(Outcome::Failed(f)) = &r else {
        panic!("{r:?}\n{out}")
    };
    assert!(
        f.next_step.contains("--allow-replace Table"),
        "{}",
        f.next_step
    );
    assert!(f.next_step.contains("previous template"), "{}", f.next_step);
}

// ---- one verdict per resource: summary, resource line, risk line and exit code agree ----

mod verdict {
    use super::*;
    use crate::diff::data_loss::{Hazard, agrees};
    use crate::diff::model::{Action, TemplateDiff};
    use crate::diff::parameters::ParameterValues;
    use crate::diff::render::{render, summary};

    fn table_with(attrs: Value) -> Value {
        let mut t = json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Conditions": {
                "Prod": {"Fn::Equals": ["x", "x"]},
                "Never": {"Fn::Equals": ["a", "b"]},
                "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {"Table": {"Type": TABLE, "Properties": {"TableName": "t"}}}});
        if let (Some(r), Some(a)) = (t["Resources"]["Table"].as_object_mut(), attrs.as_object()) {
            r.extend(a.clone());
        }
        t
    }

    fn reviewed(old: &Value, new: &Value, changes: Option<Vec<ResourceChange>>) -> TemplateDiff {
        let facts = crate::diff::facts::TableFacts(vec![(TABLE, vec!["TableName"])]);
        let values = ParameterValues::default();
        let review = crate::diff::review(old, new, &values, &facts, changes, None);
        // No pass awaits without a policy reader: one poll finishes it.
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(review))
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    fn text(diff: &TemplateDiff) -> String {
        let mut out = Vec::new();
        render(&mut out, "api", diff, Style::plain()).expect("rendered");
        String::from_utf8_lossy(&out).into_owned()
    }

    fn removal(id: &str, ty: &str) -> ResourceChange {
        ResourceChange {
            action: "Remove".into(),
            logical_id: id.into(),
            resource_type: ty.into(),
            ..Default::default()
        }
    }

    /// Every case of the kind: a resource-level attribute change whose effect the review
    /// could understate or misname.
    fn cases() -> Vec<(&'static str, TemplateDiff)> {
        let plain = table_with(json!({}));
        let retained =
            table_with(json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}));
        let mut renamed = table_with(json!({"UpdateReplacePolicy": "Retain"}));
        renamed["Resources"]["Table"]["Properties"]["TableName"] = json!("u");
        let mut retyped = plain.clone();
        retyped["Resources"]["Table"]["Type"] = json!(QUEUE);
        let mut queue_gone = plain.clone();
        queue_gone["Resources"]["Queue"] = json!({"Type": QUEUE, "Condition": "Prod"});
        let mut queue_was = plain.clone();
        queue_was["Resources"]["Queue"] = json!({"Type": QUEUE});
        vec![
            (
                "a condition known true",
                reviewed(&plain, &table_with(json!({"Condition": "Prod"})), None),
            ),
            (
                "a condition known false",
                reviewed(&plain, &table_with(json!({"Condition": "Never"})), None),
            ),
            (
                "a condition unknown offline",
                reviewed(&plain, &table_with(json!({"Condition": "IsProd"})), None),
            ),
            (
                "a condition the change set says removes",
                reviewed(
                    &plain,
                    &table_with(json!({"Condition": "Prod"})),
                    Some(vec![removal("Table", TABLE)]),
                ),
            ),
            (
                "a condition false in the update that drops Retain",
                reviewed(&retained, &table_with(json!({"Condition": "Never"})), None),
            ),
            (
                "Retain dropped, nothing else",
                reviewed(&retained, &plain, None),
            ),
            (
                "a replacement in the update that drops UpdateReplacePolicy Retain",
                reviewed(
                    &renamed,
                    &{
                        let mut t = plain.clone();
                        t["Resources"]["Table"]["Properties"]["TableName"] = json!("v");
                        t
                    },
                    None,
                ),
            ),
            ("a type change", reviewed(&plain, &retyped, None)),
            (
                "a stateless resource the change set removes",
                reviewed(&queue_was, &queue_gone, Some(vec![removal("Queue", QUEUE)])),
            ),
        ]
    }

    #[test]
    fn every_risk_agrees_with_its_resource_line_and_the_summary() {
        for (what, diff) in cases() {
            assert_eq!(agrees(&diff), None, "{what}");
            if !diff.data_loss.is_empty() {
                assert!(!diff.is_empty(), "{what}: a risk is a change (exit 2)");
            }
            // Nothing counted as an update in place carries a risk that says otherwise.
            for risk in &diff.data_loss {
                let r = diff
                    .resources
                    .iter()
                    .find(|r| r.logical_id == risk.logical_id);
                let action = r.map(|r| r.action);
                assert!(
                    action != Some(Action::Modify) || risk.hazard == Hazard::ChangedInside,
                    "{what}: {risk:?} next to {action:?}\n{}",
                    text(&diff)
                );
            }
        }
    }

    #[test]
    fn each_attribute_change_is_named_for_what_cloudformation_does() {
        let by = |name: &str| {
            cases()
                .into_iter()
                .find(|(w, _)| *w == name)
                .map(|(_, d)| d)
                .unwrap_or_default()
        };
        // Known true: the table stays; neither the review nor the gate says otherwise.
        let d = by("a condition known true");
        assert!(d.data_loss.is_empty(), "{:?}", d.data_loss);
        assert!(
            summary(&d).contains("1 to update in place"),
            "{}",
            summary(&d)
        );
        // Known false, or removed by the change set: removed, counted and shown so.
        for name in [
            "a condition known false",
            "a condition the change set says removes",
        ] {
            let d = by(name);
            assert_eq!(d.data_loss[0].hazard, Hazard::Removed, "{name}");
            let s = summary(&d);
            assert!(
                s.contains("0 to update in place") && s.contains("1 to remove"),
                "{name}: {s}"
            );
        }
        let t = text(&by("a condition the change set says removes"));
        assert!(t.contains("[-] AWS::DynamoDB::Table Table"), "{t}");
        // Unknown: may be removed, in the summary, the line and the risk.
        let d = by("a condition unknown offline");
        assert!(summary(&d).contains("1 may be removed"), "{}", summary(&d));
        assert!(d.data_loss[0].describe().contains("may be removed"));
        // Retain dropped in the update that removes it: the new policy keeps nothing.
        let d = by("a condition false in the update that drops Retain");
        assert_eq!(d.data_loss.len(), 1, "{:?}", d.data_loss);
        assert!(
            d.data_loss[0]
                .describe()
                .contains("the resource and its data would be deleted"),
            "{}",
            d.data_loss[0].describe()
        );
        // Retain dropped alone: an update in place now, and the line says what it gives up.
        let d = by("Retain dropped, nothing else");
        assert!(d.data_loss.is_empty());
        let t = text(&d);
        assert!(
            t.contains("[DeletionPolicy]: Retain (no longer keeps the data: removing it later deletes its data)"),
            "{t}"
        );
        // A replacement while UpdateReplacePolicy Retain is dropped: the old table is not kept.
        let d = by("a replacement in the update that drops UpdateReplacePolicy Retain");
        let said = d.data_loss[0].describe();
        assert!(said.contains("UpdateReplacePolicy Delete (the default): the resource and its data would be deleted"), "{said}");
        assert!(!said.contains("keeps the old resource"), "{said}");
        // A type change: refused by CloudFormation, not a replacement.
        let d = by("a type change");
        let c = d.counts();
        assert_eq!((c.replaced, c.updated, c.type_changed), (0, 0, 1), "{c:?}");
        assert!(d.data_loss.is_empty(), "{:?}", d.data_loss);
        assert!(
            summary(&d).contains("1 type change(s) CloudFormation refuses"),
            "{}",
            summary(&d)
        );
        assert!(
            text(&d).contains(
                "[Type]: AWS::DynamoDB::Table → AWS::SQS::Queue (refused by CloudFormation)"
            ),
            "{}",
            text(&d)
        );
        // A stateless resource the change set removes is counted as removed too.
        let s = summary(&by("a stateless resource the change set removes"));
        assert!(
            s.contains("0 to update in place") && s.contains("1 to remove"),
            "{s}"
        );
    }

    #[tokio::test]
    async fn the_gate_lets_through_what_the_review_calls_an_update_in_place() {
        // A table given a condition known to be true: reviewed as an update in place, and
        // deployed without --allow-replace.
        let old = table_with(json!({}));
        let new = table_with(json!({"Condition": "Prod"}));
        let change = ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            replacement: Some("False".into()),
            ..Default::default()
        };
        let fake = updating(&old, vec![change]);
        let (out, r) = deploy(&fake, request(new), strict(), Some(true)).await;
        assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
        assert!(out.contains("1 to update in place"), "{out}");
    }
}

// ---- what became of this run's change set is data, worded by the renderer ----

mod discarded {
    use super::*;
    use crate::deploy::outcome::Discarded;
    use crate::progress::text::write_outcome;

    fn words(o: &Outcome) -> String {
        let mut out = Vec::new();
        write_outcome(&mut out, o, Style::plain()).expect("written");
        String::from_utf8_lossy(&out).into_owned()
    }

    fn cs1(deleted: bool) -> Option<Discarded> {
        Some(Discarded {
            change_set: "cs1".into(),
            deleted,
        })
    }

    #[test]
    fn every_outcome_words_its_change_set_from_the_data() {
        let refused = |d| Outcome::Refused {
            stack: "api".into(),
            reason: "the changes were not approved; nothing was changed".into(),
            next_step: "review the changes".into(),
            discarded: d,
        };
        assert_eq!(
            words(&refused(cs1(true))),
            "✗ api: the changes were not approved; nothing was changed (change set cs1 deleted)\n  next: review the changes\n"
        );
        assert_eq!(
            words(&refused(cs1(false))),
            "✗ api: the changes were not approved; nothing was changed (change set cs1 may not be deleted: see the notice above)\n  next: review the changes\n"
        );
        assert_eq!(
            words(&refused(None)),
            "✗ api: the changes were not approved; nothing was changed\n  next: review the changes\n"
        );
        let interrupted = |d| Outcome::Interrupted {
            stack: "api".into(),
            status: "waiting for approval".into(),
            cancelled: false,
            resume: "nothing was changed; run `nephos deploy` again to review and approve".into(),
            discarded: d,
        };
        assert_eq!(
            words(&interrupted(cs1(false))),
            "⏸ api: stopped waiting (status waiting for approval; change set cs1 may not be deleted: see the notice above)\n  resume: nothing was changed; run `nephos deploy` again to review and approve\n"
        );
        let none = |d| Outcome::NoChanges {
            stack: "api".into(),
            skipped_locally: false,
            discarded: d,
        };
        assert_eq!(
            words(&none(cs1(true))),
            "✓ api: no changes (the empty change set was deleted)\n"
        );
        assert_eq!(
            words(&none(cs1(false))),
            "✓ api: no changes (the empty change set cs1 may not be deleted: see the notice above)\n"
        );
        assert_eq!(
            words(&none(None)),
            "✓ api: no changes (CloudFormation found nothing to change)\n"
        );
    }

    #[tokio::test]
    async fn an_empty_change_set_that_could_not_be_deleted_is_not_called_deleted() {
        let empty = ChangeSet {
            status: ChangeSetStatus::Failed,
            status_reason: Some("The submitted information didn't contain changes.".into()),
            ..Default::default()
        };
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![empty])
            .failing(
                "DeleteChangeSet",
                vec![CfnError::new(ErrorKind::AccessDenied, "denied"); 6],
            );
        let mut req = request(template("a"));
        req.tags.insert("team".into(), "x".into());
        let (out, r) = deploy(&fake, req, options(), None).await;
        let Ok(Outcome::NoChanges { discarded, .. }) = &r else {
            panic!("{r:?}")
        };
        assert_eq!(discarded.as_ref().map(|d| d.deleted), Some(false));
        assert!(!out.contains("was deleted"), "{out}");
        assert!(out.contains("change set cs1 may not be deleted"), "{out}");
        // No change set at all (the direct method): none is called deleted.
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .failing(
                "UpdateStack",
                vec![CfnError::from_service(
                    Some("ValidationError"),
                    "No updates are to be performed.",
                )],
            );
        let opts = DeployOptions {
            direct: true,
            ..options()
        };
        let (out, r) = deploy(&fake, request(template("b")), opts, None).await;
        assert!(
            matches!(
                r,
                Ok(Outcome::NoChanges {
                    discarded: None,
                    ..
                })
            ),
            "{r:?}"
        );
        assert!(
            out.contains("no changes (CloudFormation found nothing to change)"),
            "{out}"
        );
    }
}
