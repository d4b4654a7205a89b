//! Attack on issue 12 §2: `nephos diff --change-set` over the scripted fakes, against the
//! promise that it is "plan plus discard" and shows what `deploy` would. Each test names
//! its finding (A12-n); they fail on the defect.

use super::tests_support::{NoIam, context};
use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};

use super::diff::{DiffArgs, run};
use super::stack_request::requested_parameters;
use crate::cfn::status::StackStatus;
use crate::context::Backends;
use crate::deploy::fake::{FakeCfn, FakeStaging, stack};
use crate::output::Format;
use crate::source::StackSource;

fn source(template: Value, manifest_parameters: &[(&str, &str)]) -> StackSource {
    StackSource {
        artifact: nephos::assembly::StackArtifact {
            id: "Api".into(),
            stack_name: "api".into(),
            template_file: "Api.template.json".into(),
            region: None,
            tags: BTreeMap::new(),
            termination_protection: false,
            parameters: manifest_parameters
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            dependencies: Vec::new(),
            assets: Vec::new(),
        },
        body: template.to_string(),
        template,
        dir: std::env::temp_dir(),
    }
}

fn queue(delay: u32) -> Value {
    json!({"Resources": {"Queue": {"Type": "AWS::SQS::Queue",
        "Properties": {"DelaySeconds": delay}}}})
}

/// `nephos diff --change-set` of `s` over `fake`: (result, stdout, stderr).
async fn diff_change_set(
    fake: &FakeCfn,
    s: StackSource,
) -> (crate::error::Result<i32>, String, String) {
    let staging = FakeStaging::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let backends = Backends {
        cfn: fake,
        staging: &staging,
        iam: &NoIam,
    };
    let r = {
        let mut ctx = context(&mut out, &mut err, backends);
        ctx.change_set_name = Some("cs1".into());
        let args = DiffArgs {
            stacks: Vec::new(),
            source: Default::default(),
            change_set: true,
            template_diff: false,
            parameters: Vec::new(),
            ignore_unknown_params: false,
            environment_parameters: None,
        };
        run(&args, vec![s], Format::Text, &mut ctx, backends, None).await
    };
    (
        r,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// A12-1 (promise 1, same review from the same code): `deploy` and `diff --change-set`
/// build the request the plan step gets in two places (commands/deploy.rs:493-521 and
/// commands/diff.rs:113 + 357-367). With `--ignore-unknown-params`, a manifest key the
/// template does not declare is "ignored" by both (the note says so) but only deploy drops
/// it: diff's `requested_parameters` (commands/diff.rs:266-278) keeps every manifest key,
/// so `diff --change-set` sends CloudFormation an undeclared parameter (refused:
/// "Parameters: [Extra] do not exist in the template") where `deploy` succeeds, and the
/// offline review resolves with a value deploy never sends.
#[test]
fn a12_1_diff_drops_an_undeclared_manifest_parameter_as_deploy_does() {
    let mut t = queue(0);
    t["Parameters"] = json!({"Stage": {"Type": "String"}});
    let s = source(t, &[("Stage", "dev"), ("Extra", "x")]);
    let requested = requested_parameters(&s, &BTreeMap::new());
    assert!(
        !requested.contains_key("Extra"),
        "diff sends the undeclared manifest key deploy drops: {requested:?}"
    );
}

/// A12-2 (status decision outside settle's table; deploy and diff differ): for a stack
/// whose operation is running, `decide` says Wait and `stack_state` marks it `acts: false`
/// (commands/diff.rs:302-309), so the `blocked` filter (commands/diff.rs:165-167) lets
/// `diff --change-set` create a change set on a stack mid-update: CloudFormation refuses it
/// ("is in UPDATE_IN_PROGRESS state and can not be updated") and diff fails, or it is
/// computed against a template deploy would not compare with (deploy waits, then plans).
/// The offline diff should be shown, as for every other state deploy first acts on.
#[tokio::test]
async fn a12_2_diff_change_set_makes_no_change_set_on_a_stack_mid_update() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateInProgress)])
        .with_template(&queue(0).to_string());
    let (r, out, err) = diff_change_set(&fake, source(queue(5), &[])).await;
    assert!(
        !fake.write_calls().contains(&"CreateChangeSet".to_owned()),
        "a change set was created on a stack in UPDATE_IN_PROGRESS: writes {:?}\nresult {r:?}\nout:\n{out}\nerr:\n{err}",
        fake.write_calls()
    );
}

/// A12-5 (promise 3, "diff --change-set leaves no trace"; nothing it did not create is
/// deleted): a stack already in REVIEW_IN_PROGRESS with no change set (someone's stack
/// whose review was just deleted, or one about to get a change set) is not `blocked`
/// (commands/diff.rs:167 exempts REVIEW_IN_PROGRESS), so diff creates a CREATE change set
/// on it; `discard` (plan.rs:428-446) then sees "in review, holding exactly this run's
/// change set" and deletes the STACK, which existed before this run. `deploy` deletes such a
/// stack in settle, by its own decision and noticed; `diff` deletes it silently.
#[tokio::test]
async fn a12_5_diff_change_set_does_not_delete_a_stack_it_did_not_create() {
    let fake = FakeCfn::new(vec![stack(StackStatus::ReviewInProgress)]);
    *fake.change_set_listings.lock().unwrap() =
        VecDeque::from(vec![Vec::new(), vec!["cs1".to_owned()]]);
    let (r, out, err) = diff_change_set(&fake, source(queue(5), &[])).await;
    assert!(
        !fake.write_calls().contains(&"DeleteStack".to_owned()),
        "diff deleted a stack that existed before it ran: writes {:?}\nresult {r:?}\nout:\n{out}\nerr:\n{err}",
        fake.write_calls()
    );
}
