//! Attack on issue 12 §2 ("Deploying is a pipeline of values"): tests that fail on a
//! defect found in review. Each names its finding (A12-n).

use super::*;
use crate::cfn::seam::Iam;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A12-3: CreateChangeSet refused on its FIRST attempt because a change set of that name
/// already exists (`AlreadyExistsException`, another run's or someone's review) made
/// nothing: the change set that exists is not this run's. The read-back takes "it exists"
/// for "this run made it" (`read_back_create_change_set`, readback.rs:204-227, kind `Other`
/// passes the filter), so the scope deletes a change set this run did not create
/// (promise 3: "one it did not create is never deleted").
#[tokio::test]
async fn a12_3_already_exists_on_the_first_create_is_not_this_runs_change_set() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing(
            "CreateChangeSet",
            vec![CfnError::from_service(
                Some("AlreadyExistsException"),
                "ChangeSet [cs1] already exists",
            )],
        );
    let (out, r) = deploy(&fake, request(template("b")), options(), None).await;
    assert_eq!(fake.count("CreateChangeSet"), 1, "one attempt, refused");
    assert!(
        !fake.write_calls().contains(&"DeleteChangeSet".to_owned()),
        "deleted a change set this run did not create: writes {:?}\nresult {r:?}\n{out}",
        fake.write_calls()
    );
}

/// IAM that counts the reads it answers.
struct CountingIam(AtomicUsize);

#[async_trait::async_trait]
impl Iam for CountingIam {
    async fn role_trust_policy(&self, _: &str) -> Result<Option<String>, CfnError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(None)
    }
    async fn managed_policy_document(&self, _: &str) -> Result<Option<String>, CfnError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(Some(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).to_string(),
        ))
    }
}

/// A12-4: behaviour change not named (promise 6). When CloudFormation finds nothing to
/// change, `deploy` shows no review, yet `Engine::plan` (plan.rs:320) now builds one with
/// the managed-policy pass: IAM GetPolicy/GetPolicyVersion (and STS) calls a deploy
/// without changes never made before, whose result is thrown away (engine.rs:309).
#[tokio::test]
async fn a12_4_a_deploy_with_nothing_to_change_reads_no_managed_policy() {
    // The deployed stack has no role; the new template attaches a managed policy, but
    // CloudFormation says the change set holds no change (e.g. only metadata differs for
    // it): the deploy ends with "no changes".
    let old = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    let mut new = old.clone();
    new["Resources"]["Role"] = json!({"Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {},
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}});
    let empty = ChangeSet {
        status: ChangeSetStatus::Failed,
        status_reason: Some("The submitted information didn't contain changes.".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&old.to_string())
        .with_change_sets(vec![empty]);
    let iam = CountingIam(AtomicUsize::new(0));
    let req = request(new);
    let opts = options();
    let (out, r) = with_engine!(&fake, None, Interrupt::new(), |e| {
        e.iam = Some(&iam);
        e.deploy(&req, &opts).await
    });
    assert!(matches!(r, Ok(Outcome::NoChanges { .. })), "{r:?}\n{out}");
    assert_eq!(
        iam.0.load(Ordering::SeqCst),
        0,
        "IAM was read for a review nobody sees"
    );
}
