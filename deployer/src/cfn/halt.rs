//! Ctrl-C means "stop before the next change": the one place that refuses to send a write
//! after it.
//!
//! [`Halting`] wraps each seam a command uses ([`CloudFormation`], [`Staging`], [`Lambda`])
//! and, once Ctrl-C fired ([`Interrupt::refuses_changes`]), answers every call that would
//! start a change with an [`ErrorKind::Interrupted`] error instead of sending it. Guarding the
//! seam rather than the call sites means no step can forget the check: a new write is a new
//! trait method, and it is listed below, refused or passed on with the reason.
//!
//! Refused (they start a change): `CreateChangeSet`, `ExecuteChangeSet`, `CreateStack` and
//! `UpdateStack`, `SetStackPolicy`, `DeleteStack`, `ContinueUpdateRollback`,
//! `UpdateTerminationProtection`, S3 `PutObject` (assets, large templates), Lambda
//! `UpdateFunctionCode` and `UpdateFunctionConfiguration`. `SetStackPolicy` (putting the
//! stack's own policy back) and `DeleteStack` (the empty stack a create change set of this
//! run left) are sent inside [`Interrupt::cleaning_up`], which undoes this run's own changes.
//!
//! Passed on (they stop or undo, or record the truth): every read, `DeleteChangeSet` (only
//! ever this run's unexecuted change set), `CancelUpdateStack` (`--cancel-on-interrupt`),
//! and the hotswap drift marker (`TagResource`/`UntagResource`), which never changes what
//! runs: writing it after Ctrl-C keeps "this function may have drifted" true.

use std::ops::Deref;

use async_trait::async_trait;

use super::error::{CfnError, ErrorKind};
use super::lambda::{CodeLocation, ConfigUpdate, FunctionState, Lambda};
use super::model::{ChangeSet, ChangeSetRequest, Stack, StackEvent, StackResource, StackSummary};
use super::seam::{CloudFormation, Staging};
use crate::deploy::interrupt::Interrupt;

/// A seam (`C` derefs to it) whose writes that start a change are refused after Ctrl-C.
#[derive(Clone, Debug)]
pub struct Halting<C> {
    inner: C,
    interrupt: Interrupt,
}

impl<C> Halting<C> {
    /// `inner`, guarded by `interrupt`.
    ///
    /// # Example
    /// ```ignore
    /// let cfn = Halting::new(backends.cfn, ctx.interrupt.clone());
    /// ctx.interrupt.trigger();
    /// // now `cfn.execute_change_set(..)` is an ErrorKind::Interrupted error, never sent
    /// ```
    pub fn new(inner: C, interrupt: Interrupt) -> Self {
        Self { inner, interrupt }
    }

    /// `Err` (not sent) when Ctrl-C fired and no cleanup is under way.
    fn may_send(&self, call: &str) -> Result<(), CfnError> {
        if self.interrupt.refuses_changes() {
            return Err(not_sent(call));
        }
        Ok(())
    }
}

/// The error of a write not sent because of Ctrl-C.
pub fn not_sent(call: &str) -> CfnError {
    CfnError::new(
        ErrorKind::Interrupted,
        format!("not sent: interrupted (Ctrl-C) before {call}"),
    )
}

#[async_trait]
impl<C> CloudFormation for Halting<C>
where
    C: Deref + Send + Sync,
    C::Target: CloudFormation,
{
    async fn describe_stack(&self, name: &str) -> Result<Option<Stack>, CfnError> {
        self.inner.describe_stack(name).await
    }
    async fn list_stacks(&self) -> Result<Vec<StackSummary>, CfnError> {
        self.inner.list_stacks().await
    }
    async fn get_template(&self, name: &str) -> Result<String, CfnError> {
        self.inner.get_template(name).await
    }
    async fn change_set_template(&self, stack: &str, change_set: &str) -> Result<String, CfnError> {
        self.inner.change_set_template(stack, change_set).await
    }
    async fn stack_resources(&self, name: &str) -> Result<Vec<StackResource>, CfnError> {
        self.inner.stack_resources(name).await
    }
    async fn stack_events(
        &self,
        name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, CfnError> {
        self.inner.stack_events(name, enough).await
    }
    async fn create_change_set(&self, req: &ChangeSetRequest) -> Result<(), CfnError> {
        self.may_send("CreateChangeSet")?;
        self.inner.create_change_set(req).await
    }
    async fn describe_change_set(&self, stack: &str, name: &str) -> Result<ChangeSet, CfnError> {
        self.inner.describe_change_set(stack, name).await
    }
    async fn execute_change_set(
        &self,
        stack: &str,
        name: &str,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        self.may_send("ExecuteChangeSet")?;
        self.inner
            .execute_change_set(stack, name, disable_rollback)
            .await
    }
    async fn deploy_direct(
        &self,
        req: &ChangeSetRequest,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        self.may_send("CreateStack/UpdateStack")?;
        self.inner.deploy_direct(req, disable_rollback).await
    }
    async fn list_change_sets(&self, stack: &str) -> Result<Vec<String>, CfnError> {
        self.inner.list_change_sets(stack).await
    }
    async fn get_stack_policy(&self, stack: &str) -> Result<Option<String>, CfnError> {
        self.inner.get_stack_policy(stack).await
    }
    async fn set_stack_policy(&self, stack: &str, body: &str) -> Result<(), CfnError> {
        self.may_send("SetStackPolicy")?;
        self.inner.set_stack_policy(stack, body).await
    }
    async fn delete_change_set(&self, stack: &str, name: &str) -> Result<(), CfnError> {
        // Only ever this run's change set, which was not executed: deleting it is the
        // cleanup Ctrl-C asks for.
        self.inner.delete_change_set(stack, name).await
    }
    async fn delete_stack(&self, name: &str, role_arn: Option<&str>) -> Result<(), CfnError> {
        self.may_send("DeleteStack")?;
        self.inner.delete_stack(name, role_arn).await
    }
    async fn continue_update_rollback(
        &self,
        name: &str,
        role_arn: Option<&str>,
    ) -> Result<(), CfnError> {
        self.may_send("ContinueUpdateRollback")?;
        self.inner.continue_update_rollback(name, role_arn).await
    }
    async fn cancel_update_stack(&self, name: &str) -> Result<(), CfnError> {
        // `--cancel-on-interrupt`: what Ctrl-C asked for.
        self.inner.cancel_update_stack(name).await
    }
    async fn set_termination_protection(&self, name: &str, enabled: bool) -> Result<(), CfnError> {
        self.may_send("UpdateTerminationProtection")?;
        self.inner.set_termination_protection(name, enabled).await
    }
}

#[async_trait]
impl<C> Staging for Halting<C>
where
    C: Deref + Send + Sync,
    C::Target: Staging,
{
    async fn account_id(&self) -> Result<String, CfnError> {
        self.inner.account_id().await
    }
    fn region(&self) -> String {
        self.inner.region()
    }
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CfnError> {
        self.inner.bucket_exists(bucket).await
    }
    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError> {
        self.inner.object_exists(bucket, key).await
    }
    async fn object_sha256(&self, bucket: &str, key: &str) -> Result<Option<String>, CfnError> {
        self.inner.object_sha256(bucket, key).await
    }
    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), CfnError> {
        self.may_send("PutObject")?;
        self.inner.put_object(bucket, key, body).await
    }
    fn object_url(&self, bucket: &str, key: &str) -> String {
        self.inner.object_url(bucket, key)
    }
}

#[async_trait]
impl<C> Lambda for Halting<C>
where
    C: Deref + Send + Sync,
    C::Target: Lambda,
{
    async fn update_function_code(&self, name: &str, code: &CodeLocation) -> Result<(), CfnError> {
        self.may_send("UpdateFunctionCode")?;
        self.inner.update_function_code(name, code).await
    }
    async fn update_function_configuration(
        &self,
        name: &str,
        update: &ConfigUpdate,
    ) -> Result<(), CfnError> {
        self.may_send("UpdateFunctionConfiguration")?;
        self.inner.update_function_configuration(name, update).await
    }
    async fn function_state(&self, name: &str) -> Result<Option<FunctionState>, CfnError> {
        self.inner.function_state(name).await
    }
    async fn drift_marker(&self, name: &str) -> Result<Option<String>, CfnError> {
        self.inner.drift_marker(name).await
    }
    async fn set_drift_marker(&self, name: &str, value: Option<&str>) -> Result<(), CfnError> {
        // Records a possible drift (or its end after a reconcile): never changes what runs.
        self.inner.set_drift_marker(name, value).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::fake::{FakeCfn, FakeStaging};

    /// Every write of the CloudFormation seam, after Ctrl-C: the ones that start a change
    /// never reach the fake, the ones that stop or undo do, and a cleanup lets its own
    /// writes through.
    #[tokio::test]
    async fn after_ctrl_c_no_write_that_starts_a_change_reaches_the_seam() {
        let fake = FakeCfn::new(vec![None]);
        let interrupt = Interrupt::new();
        let cfn = Halting::new(&fake, interrupt.clone());
        let req = ChangeSetRequest {
            stack_name: "s".into(),
            change_set_name: "cs".into(),
            kind: crate::cfn::model::ChangeSetType::Update,
            template: crate::cfn::model::TemplateSource::Body("{}".into()),
            parameters: Vec::new(),
            capabilities: Vec::new(),
            tags: Vec::new(),
            role_arn: None,
            description: None,
            client_token: "t".into(),
        };
        interrupt.trigger();
        let refused = [
            cfn.create_change_set(&req).await,
            cfn.execute_change_set("s", "cs", false).await,
            cfn.deploy_direct(&req, false).await,
            cfn.set_stack_policy("s", "{}").await,
            cfn.delete_stack("s", None).await,
            cfn.continue_update_rollback("s", None).await,
            cfn.set_termination_protection("s", true).await,
        ];
        for r in &refused {
            assert_eq!(r.as_ref().map_err(|e| e.kind), Err(ErrorKind::Interrupted));
        }
        assert_eq!(fake.write_calls(), Vec::<String>::new());
        // Stopping and undoing go through, and the fake's answers come back unchanged.
        assert_eq!(cfn.delete_change_set("s", "cs").await, Ok(()));
        assert_eq!(cfn.cancel_update_stack("s").await, Ok(()));
        {
            let _cleanup = interrupt.cleaning_up();
            assert_eq!(cfn.delete_stack("s", None).await, Ok(()));
            assert_eq!(cfn.set_stack_policy("s", "{}").await, Ok(()));
        }
        assert_eq!(
            fake.write_calls(),
            [
                "DeleteChangeSet",
                "CancelUpdateStack",
                "DeleteStack",
                "SetStackPolicy"
            ]
        );
        // The cleanup is over: refused again.
        assert!(cfn.delete_stack("s", None).await.is_err());
    }

    #[tokio::test]
    async fn uploads_stop_after_ctrl_c_and_reads_go_on() {
        let staging = FakeStaging::default();
        let interrupt = Interrupt::new();
        let s = Halting::new(&staging, interrupt.clone());
        assert_eq!(s.put_object("b", "k1", vec![1]).await, Ok(()));
        interrupt.trigger();
        let e = s.put_object("b", "k2", vec![2]).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Interrupted);
        assert!(e.message.contains("PutObject"), "{e}");
        assert_eq!(s.object_exists("b", "k1").await, Ok(true));
        assert_eq!(s.object_exists("b", "k2").await, Ok(false));
        assert!(!e.is_retryable());
    }
}
