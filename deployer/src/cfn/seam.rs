//! The traits the deployer calls instead of the SDKs.
//!
//! They are deliberately coarse (one method per API the deployer uses, pagination hidden)
//! so that a scripted fake can follow the AWS documentation call by call.

use async_trait::async_trait;

use super::error::CfnError;
use super::model::{ChangeSet, ChangeSetRequest, Stack, StackEvent, StackResource, StackSummary};

/// The CloudFormation calls the deployer makes.
#[async_trait]
pub trait CloudFormation: Send + Sync {
    /// `DescribeStacks` for one stack; `None` when it does not exist.
    async fn describe_stack(&self, name: &str) -> Result<Option<Stack>, CfnError>;
    /// `ListStacks`, all pages (bounded: see [`super::pages`]), without deleted stacks.
    async fn list_stacks(&self) -> Result<Vec<StackSummary>, CfnError>;
    /// `GetTemplate` (original, pre-transform body).
    async fn get_template(&self, name: &str) -> Result<String, CfnError>;
    /// `GetTemplate` of a change set (`ChangeSetName`, `TemplateStage` `Original`): the
    /// template the change set was created from, which is what executing it deploys.
    async fn change_set_template(&self, stack: &str, change_set: &str) -> Result<String, CfnError>;
    /// `ListStackResources`, all pages (bounded: see [`super::pages`]); never the first
    /// 100 only, as `DescribeStackResources` would answer.
    async fn stack_resources(&self, name: &str) -> Result<Vec<StackResource>, CfnError>;
    /// `DescribeStackEvents`, newest first, page after page until `enough` (called with
    /// everything read so far after each page) says so or the events run out; bounded
    /// (see [`super::pages`]): a root cause on the third page of a busy stack is read too.
    /// (`for<'e>` is spelled out: `async_trait` would otherwise give the slice one fixed
    /// lifetime.)
    async fn stack_events(
        &self,
        name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, CfnError>;
    /// `CreateChangeSet`.
    async fn create_change_set(&self, req: &ChangeSetRequest) -> Result<(), CfnError>;
    /// `DescribeChangeSet`, all pages of changes (bounded: see [`super::pages`]).
    async fn describe_change_set(&self, stack: &str, name: &str) -> Result<ChangeSet, CfnError>;
    /// `ExecuteChangeSet`.
    async fn execute_change_set(
        &self,
        stack: &str,
        name: &str,
        disable_rollback: bool,
    ) -> Result<(), CfnError>;
    /// `CreateStack` (for a request of kind `Create`) or `UpdateStack`, without a change set
    /// (`--method direct`); the request's change set name is not used. nephos's stack
    /// policy is set on the stack before, as for a change set (`SetStackPolicy`), not sent
    /// as `StackPolicyDuringUpdateBody`, which would leave the stack's own policy as it was.
    async fn deploy_direct(
        &self,
        req: &ChangeSetRequest,
        disable_rollback: bool,
    ) -> Result<(), CfnError>;
    /// `ListChangeSets`: the names of the stack's change sets, all pages (bounded: see
    /// [`super::pages`]).
    async fn list_change_sets(&self, stack: &str) -> Result<Vec<String>, CfnError>;
    /// `GetStackPolicy`: the stack policy body, `None` when the stack has none.
    async fn get_stack_policy(&self, stack: &str) -> Result<Option<String>, CfnError>;
    /// `SetStackPolicy`.
    async fn set_stack_policy(&self, stack: &str, body: &str) -> Result<(), CfnError>;
    /// `DeleteChangeSet`.
    async fn delete_change_set(&self, stack: &str, name: &str) -> Result<(), CfnError>;
    /// `DeleteStack`.
    async fn delete_stack(&self, name: &str, role_arn: Option<&str>) -> Result<(), CfnError>;
    /// `ContinueUpdateRollback`.
    async fn continue_update_rollback(
        &self,
        name: &str,
        role_arn: Option<&str>,
    ) -> Result<(), CfnError>;
    /// `CancelUpdateStack`.
    async fn cancel_update_stack(&self, name: &str) -> Result<(), CfnError>;
    /// `UpdateTerminationProtection`.
    async fn set_termination_protection(&self, name: &str, enabled: bool) -> Result<(), CfnError>;
}

/// The staging bucket calls (S3 and STS) used to upload assets and large templates.
#[async_trait]
pub trait Staging: Send + Sync {
    /// The caller's account id (`sts:GetCallerIdentity`).
    async fn account_id(&self) -> Result<String, CfnError>;
    /// The region calls go to.
    fn region(&self) -> String;
    /// Whether the bucket exists and is reachable (`HeadBucket`).
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CfnError>;
    /// Whether an object exists (`HeadObject`).
    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError>;
    /// The lower-case hex SHA-256 of an object's bytes, or `None` when there is no such
    /// object: from the checksum S3 verified on upload when it has a whole-object SHA-256
    /// (`HeadObject` with `ChecksumMode=ENABLED`), else by reading the object and hashing it.
    /// Never from the ETag, which is an MD5 only for some uploads.
    async fn object_sha256(&self, bucket: &str, key: &str) -> Result<Option<String>, CfnError>;
    /// `PutObject`, with the body's SHA-256 as its checksum, which S3 verifies and keeps.
    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), CfnError>;
    /// The URL CloudFormation should read an object from (`TemplateURL`).
    fn object_url(&self, bucket: &str, key: &str) -> String;
}

/// The IAM calls: checking a service role before CloudFormation is told to assume it.
#[async_trait]
pub trait Iam: Send + Sync {
    /// The role's trust policy document (URL-decoded JSON), or `None` if there is no such role.
    async fn role_trust_policy(&self, role_name: &str) -> Result<Option<String>, CfnError>;

    /// The default version of a managed policy's document (URL-decoded JSON), or `None`
    /// if there is no such policy.
    async fn managed_policy_document(&self, arn: &str) -> Result<Option<String>, CfnError>;
}
