//! The seam implemented on the AWS SDKs: a thin translation of each call, no decisions.

use async_trait::async_trait;
use std::time::Duration;

use aws_sdk_cloudformation::error::SdkError;
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types as cf;

use super::error::{CfnError, ErrorKind};
use super::model::{
    ChangeDetail, ChangeSet, ChangeSetRequest, ChangeSetType, Output, ParameterValue,
    ResourceChange, Stack, StackEvent, StackResource, StackSummary, TemplateSource,
};
use super::pages::Listing;
use super::sdk_error::map_err;
pub use super::sdk_error::{Endpoints, HttpStatus};
use super::seam::{CloudFormation, Iam, Staging};
use super::token::request_token;

fn time(t: Option<&aws_sdk_cloudformation::primitives::DateTime>) -> String {
    t.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
        .unwrap_or_default()
}

/// CloudFormation over `aws-sdk-cloudformation`.
#[derive(Clone, Debug)]
pub struct SdkCloudFormation(pub aws_sdk_cloudformation::Client, pub CallInfo);

/// What messages about a client's failed calls say: where they went, how long they could take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo {
    /// The endpoint.
    pub endpoint: String,
    /// The bound of one call.
    pub call_timeout: Duration,
}

impl CallInfo {
    /// Translates an SDK error of a call to this endpoint (see [`map_err`]).
    fn error<E, R>(&self, e: SdkError<E, R>) -> CfnError
    where
        E: aws_sdk_cloudformation::error::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
        R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
    {
        map_err(e, &self.endpoint, self.call_timeout)
    }
}

fn stack_from(s: &cf::Stack) -> Stack {
    Stack {
        name: s.stack_name().unwrap_or_default().to_owned(),
        id: s.stack_id().unwrap_or_default().to_owned(),
        status: s
            .stack_status()
            .map(|x| x.as_str())
            .unwrap_or_default()
            .into(),
        status_reason: s.stack_status_reason().map(str::to_owned),
        outputs: s
            .outputs()
            .iter()
            .map(|o| Output {
                key: o.output_key().unwrap_or_default().to_owned(),
                value: o.output_value().unwrap_or_default().to_owned(),
                export_name: o.export_name().map(str::to_owned),
                description: o.description().map(str::to_owned),
            })
            .collect(),
        parameters: s
            .parameters()
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap_or_default().to_owned(),
                    p.parameter_value().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        tags: s
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        termination_protection: s.enable_termination_protection().unwrap_or(false),
        last_updated: s.last_updated_time().map(|t| time(Some(t))),
    }
}

#[async_trait]
impl CloudFormation for SdkCloudFormation {
    async fn describe_stack(&self, name: &str) -> Result<Option<Stack>, CfnError> {
        match self
            .0
            .describe_stacks()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| self.1.error(e))
        {
            Ok(out) => Ok(out.stacks().first().map(stack_from)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn list_stacks(&self) -> Result<Vec<StackSummary>, CfnError> {
        let mut out = Listing::new("ListStacks");
        let mut token = None;
        loop {
            let page = self
                .0
                .list_stacks()
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.1.error(e))?;
            out.page(page.stack_summaries().iter().filter_map(|s| {
                let status = s.stack_status().map(|x| x.as_str()).unwrap_or_default();
                (status != "DELETE_COMPLETE").then(|| StackSummary {
                    name: s.stack_name().unwrap_or_default().to_owned(),
                    status: status.into(),
                    updated: time(s.last_updated_time().or(s.creation_time())),
                })
            }))?;
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        let mut out = out.done();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn get_template(&self, name: &str) -> Result<String, CfnError> {
        let out = self
            .0
            .get_template()
            .stack_name(name)
            .template_stage(cf::TemplateStage::Original)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(out.template_body().unwrap_or_default().to_owned())
    }

    async fn change_set_template(&self, stack: &str, change_set: &str) -> Result<String, CfnError> {
        let out = self
            .0
            .get_template()
            .stack_name(stack)
            .change_set_name(change_set)
            .template_stage(cf::TemplateStage::Original)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(out.template_body().unwrap_or_default().to_owned())
    }

    async fn stack_resources(&self, name: &str) -> Result<Vec<StackResource>, CfnError> {
        // ListStackResources, every page: DescribeStackResources answers at most 100
        // resources, and a judgement on the first 100 misses the rest.
        let mut out = Listing::new("ListStackResources");
        let mut token = None;
        loop {
            let page = self
                .0
                .list_stack_resources()
                .stack_name(name)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.1.error(e))?;
            out.page(page.stack_resource_summaries().iter().map(|r| {
                StackResource {
                    logical_id: r.logical_resource_id().unwrap_or_default().to_owned(),
                    physical_id: r.physical_resource_id().map(str::to_owned),
                    resource_type: r.resource_type().unwrap_or_default().to_owned(),
                    status: r
                        .resource_status()
                        .map(|s| s.as_str())
                        .unwrap_or_default()
                        .into(),
                }
            }))?;
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(out.done());
            }
        }
    }

    async fn stack_events(
        &self,
        name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, CfnError> {
        let mut out = Listing::new("DescribeStackEvents");
        let mut token = None;
        loop {
            let page = self
                .0
                .describe_stack_events()
                .stack_name(name)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.1.error(e))?;
            let events = page.stack_events().iter().map(|e| StackEvent {
                id: e.event_id().unwrap_or_default().to_owned(),
                timestamp: time(e.timestamp()),
                logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
                resource_type: e.resource_type().unwrap_or_default().to_owned(),
                status: e
                    .resource_status()
                    .map(|s| s.as_str())
                    .unwrap_or_default()
                    .into(),
                reason: e.resource_status_reason().map(str::to_owned),
            });
            token = out.page_until(events, page.next_token().map(str::to_owned), enough)?;
            if token.is_none() {
                return Ok(out.done());
            }
        }
    }

    async fn create_change_set(&self, req: &ChangeSetRequest) -> Result<(), CfnError> {
        let mut b = self
            .0
            .create_change_set()
            .stack_name(&req.stack_name)
            .change_set_name(&req.change_set_name)
            .change_set_type(match req.kind {
                ChangeSetType::Create => cf::ChangeSetType::Create,
                ChangeSetType::Update => cf::ChangeSetType::Update,
            })
            .set_role_arn(req.role_arn.clone())
            .set_description(req.description.clone())
            .client_token(request_token());
        b = match &req.template {
            TemplateSource::Body(body) => b.template_body(body),
            TemplateSource::Url(url) => b.template_url(url),
        };
        for (k, v) in &req.parameters {
            let p = cf::Parameter::builder().parameter_key(k);
            let p = match v {
                ParameterValue::Value(v) => p.parameter_value(v),
                ParameterValue::Previous => p.use_previous_value(true),
            };
            b = b.parameters(p.build());
        }
        for c in &req.capabilities {
            b = b.capabilities(cf::Capability::from(c.as_str()));
        }
        for (k, v) in &req.tags {
            b = b.tags(cf::Tag::builder().key(k).value(v).build());
        }
        b.send().await.map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn describe_change_set(&self, stack: &str, name: &str) -> Result<ChangeSet, CfnError> {
        let mut out = ChangeSet::default();
        let mut pages = Listing::new("DescribeChangeSet");
        let mut token = None;
        loop {
            let page = self
                .0
                .describe_change_set()
                .stack_name(stack)
                .change_set_name(name)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.1.error(e))?;
            out.status = page.status().map(|s| s.as_str()).unwrap_or_default().into();
            out.id = page.change_set_id().unwrap_or_default().to_owned();
            out.parameters = page
                .parameters()
                .iter()
                .map(|p| {
                    let value = match p.use_previous_value() {
                        Some(true) => None,
                        _ => Some(p.parameter_value().unwrap_or_default().to_owned()),
                    };
                    (p.parameter_key().unwrap_or_default().to_owned(), value)
                })
                .collect();
            out.status_reason = page.status_reason().map(str::to_owned);
            out.execution_status = page
                .execution_status()
                .map(|s| s.as_str())
                .unwrap_or_default()
                .into();
            for c in page.changes() {
                // A change nephos cannot read is kept as such: skipping it would judge the
                // change set without it.
                let Some(r) = c.resource_change() else {
                    out.unread.push(
                        c.r#type()
                            .map_or_else(|| "(no type)".to_owned(), |t| t.as_str().to_owned()),
                    );
                    continue;
                };
                out.changes.push(ResourceChange {
                    action: r.action().map(|a| a.as_str()).unwrap_or_default().into(),
                    logical_id: r.logical_resource_id().unwrap_or_default().to_owned(),
                    resource_type: r.resource_type().unwrap_or_default().to_owned(),
                    replacement: r.replacement().map(|x| x.as_str().into()),
                    policy_action: r.policy_action().map(|x| x.as_str().into()),
                    scope: r.scope().iter().map(|s| s.as_str().to_owned()).collect(),
                    details: r
                        .details()
                        .iter()
                        .map(|d| {
                            let t = d.target();
                            ChangeDetail {
                                target: match (
                                    t.and_then(|t| t.attribute()),
                                    t.and_then(|t| t.name()),
                                ) {
                                    (Some(a), Some(n)) => format!("{}.{n}", a.as_str()),
                                    (Some(a), None) => a.as_str().to_owned(),
                                    (None, Some(n)) => n.to_owned(),
                                    (None, None) => String::new(),
                                },
                                requires_recreation: t
                                    .and_then(|t| t.requires_recreation())
                                    .map(|r| r.as_str().to_owned()),
                                change_source: d.change_source().map(|s| s.as_str().to_owned()),
                                causing_entity: d.causing_entity().map(str::to_owned),
                            }
                        })
                        .collect(),
                });
            }
            pages.page(std::iter::repeat_n((), page.changes().len()))?;
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    async fn execute_change_set(
        &self,
        stack: &str,
        name: &str,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        let mut b = self
            .0
            .execute_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .client_request_token(request_token());
        if disable_rollback {
            b = b.disable_rollback(true);
        }
        b.send().await.map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn deploy_direct(
        &self,
        req: &ChangeSetRequest,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        let params: Vec<cf::Parameter> = req
            .parameters
            .iter()
            .map(|(k, v)| {
                let p = cf::Parameter::builder().parameter_key(k);
                match v {
                    ParameterValue::Value(v) => p.parameter_value(v),
                    ParameterValue::Previous => p.use_previous_value(true),
                }
                .build()
            })
            .collect();
        let caps: Vec<cf::Capability> = req
            .capabilities
            .iter()
            .map(|c| cf::Capability::from(c.as_str()))
            .collect();
        let tags: Vec<cf::Tag> = req
            .tags
            .iter()
            .map(|(k, v)| cf::Tag::builder().key(k).value(v).build())
            .collect();
        let (body, url) = match &req.template {
            TemplateSource::Body(b) => (Some(b.clone()), None),
            TemplateSource::Url(u) => (None, Some(u.clone())),
        };
        match req.kind {
            ChangeSetType::Create => {
                self.0
                    .create_stack()
                    .stack_name(&req.stack_name)
                    .client_request_token(request_token())
                    .set_template_body(body)
                    .set_template_url(url)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags))
                    .set_role_arn(req.role_arn.clone())
                    .disable_rollback(disable_rollback)
                    .send()
                    .await
                    .map_err(|e| self.1.error(e))?;
            }
            ChangeSetType::Update => {
                self.0
                    .update_stack()
                    .stack_name(&req.stack_name)
                    .client_request_token(request_token())
                    .set_template_body(body)
                    .set_template_url(url)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags))
                    .set_role_arn(req.role_arn.clone())
                    .disable_rollback(disable_rollback)
                    .send()
                    .await
                    .map_err(|e| self.1.error(e))?;
            }
        }
        Ok(())
    }

    async fn list_change_sets(&self, stack: &str) -> Result<Vec<String>, CfnError> {
        let mut out = Listing::new("ListChangeSets");
        let mut token = None;
        loop {
            let page = self
                .0
                .list_change_sets()
                .stack_name(stack)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.1.error(e))?;
            // Only this stack's change sets: some endpoints (moto) list every stack's, and
            // a decision on another stack's change set would be about the wrong stack.
            // An executed change set is no longer a review: AWS removes a stack's change
            // sets when one is executed; some endpoints (moto) keep listing them.
            out.page(
                page.summaries()
                    .iter()
                    .filter(|s| s.stack_name() == Some(stack) || s.stack_id() == Some(stack))
                    .filter(|s| s.execution_status() != Some(&cf::ExecutionStatus::ExecuteComplete))
                    .filter_map(|s| s.change_set_name().map(str::to_owned)),
            )?;
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(out.done());
            }
        }
    }

    async fn get_stack_policy(&self, stack: &str) -> Result<Option<String>, CfnError> {
        let out = self
            .0
            .get_stack_policy()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(out
            .stack_policy_body()
            .filter(|b| !b.trim().is_empty())
            .map(str::to_owned))
    }

    async fn set_stack_policy(&self, stack: &str, body: &str) -> Result<(), CfnError> {
        self.0
            .set_stack_policy()
            .stack_name(stack)
            .stack_policy_body(body)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn delete_change_set(&self, stack: &str, name: &str) -> Result<(), CfnError> {
        self.0
            .delete_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn delete_stack(&self, name: &str, role_arn: Option<&str>) -> Result<(), CfnError> {
        self.0
            .delete_stack()
            .stack_name(name)
            .client_request_token(request_token())
            .set_role_arn(role_arn.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn continue_update_rollback(
        &self,
        name: &str,
        role_arn: Option<&str>,
    ) -> Result<(), CfnError> {
        self.0
            .continue_update_rollback()
            .stack_name(name)
            .client_request_token(request_token())
            .set_role_arn(role_arn.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn cancel_update_stack(&self, name: &str) -> Result<(), CfnError> {
        self.0
            .cancel_update_stack()
            .stack_name(name)
            .client_request_token(request_token())
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }

    async fn set_termination_protection(&self, name: &str, enabled: bool) -> Result<(), CfnError> {
        self.0
            .update_termination_protection()
            .stack_name(name)
            .enable_termination_protection(enabled)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(())
    }
}

/// S3 and STS over their SDKs.
#[derive(Clone, Debug)]
pub struct SdkStaging {
    /// S3.
    pub s3: aws_sdk_s3::Client,
    /// STS.
    pub sts: aws_sdk_sts::Client,
    /// The configured region.
    pub region: String,
    /// Where the calls go, for messages.
    pub endpoints: Endpoints,
    /// The bound of one call, for messages.
    pub call_timeout: Duration,
}

#[async_trait]
impl Staging for SdkStaging {
    async fn account_id(&self) -> Result<String, CfnError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.sts, self.call_timeout))?;
        let account = out.account().ok_or_else(|| {
            CfnError::new(ErrorKind::Other, "GetCallerIdentity returned no account")
        })?;
        super::identity::check_account(account)?;
        Ok(account.to_owned())
    }

    fn region(&self) -> String {
        self.region.clone()
    }

    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CfnError> {
        match self
            .s3
            .head_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))
        {
            Ok(_) => Ok(true),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError> {
        match self
            .s3
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))
        {
            Ok(_) => Ok(true),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn object_sha256(&self, bucket: &str, key: &str) -> Result<Option<String>, CfnError> {
        use aws_sdk_s3::types::{ChecksumMode, ChecksumType};
        let head = match self
            .s3
            .head_object()
            .bucket(bucket)
            .key(key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))
        {
            Ok(h) => h,
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        // A multipart upload's checksum is of its parts (`...-N`, COMPOSITE): not the bytes'.
        let whole = head.checksum_type() != Some(&ChecksumType::Composite);
        if let Some(b64) = head.checksum_sha256().filter(|c| whole && !c.contains('-'))
            && let Ok(raw) = aws_smithy_types::base64::decode(b64)
            && raw.len() == 32
        {
            return Ok(Some(raw.iter().map(|b| format!("{b:02x}")).collect()));
        }
        let limit = crate::source::bounded::MAX_ASSET_BYTES;
        let too_big = || {
            CfnError::new(
                ErrorKind::Other,
                format!(
                    "s3://{bucket}/{key} is larger than {limit} bytes: not an asset nephos wrote"
                ),
            )
        };
        if head
            .content_length()
            .is_some_and(|n| n < 0 || n as u64 > limit)
        {
            return Err(too_big());
        }
        let mut body = self
            .s3
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))?
            .body;
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        let mut read = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                CfnError::new(
                    ErrorKind::Other,
                    format!("reading s3://{bucket}/{key}: {e}"),
                )
            })?;
            read += chunk.len() as u64;
            if read > limit {
                return Err(too_big());
            }
            sha2::Digest::update(&mut hasher, chunk);
        }
        Ok(Some(
            sha2::Digest::finalize(hasher)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        ))
    }

    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), CfnError> {
        // S3 refuses the upload if the bytes it got do not have this hash, and keeps it for
        // `object_sha256`.
        let checksum =
            aws_smithy_types::base64::encode(<sha2::Sha256 as sha2::Digest>::digest(&body));
        self.s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .checksum_sha256(checksum)
            .body(body.into())
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))?;
        Ok(())
    }

    fn object_url(&self, bucket: &str, key: &str) -> String {
        // Path-style regional URL: valid for CloudFormation's TemplateURL and also the form
        // the emulator can resolve to its own S3.
        format!(
            "https://s3.{}.{}/{bucket}/{key}",
            self.region,
            dns_suffix(&self.region)
        )
    }
}

/// IAM over its SDK.
#[derive(Clone, Debug)]
pub struct SdkIam(pub aws_sdk_iam::Client, pub CallInfo);

#[async_trait]
impl Iam for SdkIam {
    async fn role_trust_policy(&self, role_name: &str) -> Result<Option<String>, CfnError> {
        match self
            .0
            .get_role()
            .role_name(role_name)
            .send()
            .await
            .map_err(|e| self.1.error(e))
        {
            Ok(out) => Ok(out
                .role()
                .and_then(|r| r.assume_role_policy_document())
                .map(percent_decode)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn managed_policy_document(&self, arn: &str) -> Result<Option<String>, CfnError> {
        let policy = match self
            .0
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| self.1.error(e))
        {
            Ok(out) => out,
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
            return Ok(None);
        };
        let out = self
            .0
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| self.1.error(e))?;
        Ok(out
            .policy_version()
            .and_then(|v| v.document())
            .map(percent_decode))
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The DNS suffix of `region`'s partition (`amazonaws.com.cn` in China, `c2s.ic.gov` in
/// `us-iso-*`), from the partition table of the AWS SDKs' endpoint data; a region that no
/// partition lists or matches is taken for the commercial one, as the SDKs take it.
fn dns_suffix(region: &str) -> &'static str {
    nephos::facts::partition_of_region(region).map_or("amazonaws.com", |p| p.dns_suffix)
}

#[cfg(test)]
mod tests {
    #[test]
    fn object_urls_take_the_partitions_dns_suffix() {
        for (region, suffix) in [
            ("eu-west-1", "amazonaws.com"),
            ("cn-north-1", "amazonaws.com.cn"),
            ("us-gov-west-1", "amazonaws.com"),
            ("us-iso-east-1", "c2s.ic.gov"),
            ("eusc-de-east-1", "amazonaws.eu"),
        ] {
            assert_eq!(super::dns_suffix(region), suffix, "{region}");
        }
    }

    #[test]
    fn policies_are_url_decoded() {
        assert_eq!(super::percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(super::percent_decode("100%"), "100%");
    }
}
