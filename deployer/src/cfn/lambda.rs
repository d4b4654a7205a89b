//! The seam to Lambda (`deploy --hotswap`): updating a deployed function's code and
//! configuration in place, and reading back whether the update finished, with its SDK
//! implementation.
//!
//! Lambda applies an update asynchronously: the call returns while `LastUpdateStatus` is
//! `InProgress`, and a second update of the same function before it settles fails with
//! `ResourceConflictException` ("Lambda function states", AWS Lambda Developer Guide). So
//! every update is followed by reads of [`Lambda::function_state`] until it settles.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::error::{CfnError, ErrorKind};
use super::sdk::CallInfo;
use super::sdk_error::map_err;

/// Where a function's new code is (the `Code` property of `AWS::Lambda::Function`,
/// resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeLocation {
    /// A zip in S3.
    S3 {
        /// The bucket.
        bucket: String,
        /// The object key.
        key: String,
        /// The object version, when the template names one.
        version: Option<String>,
    },
    /// A container image.
    Image {
        /// The image URI.
        uri: String,
    },
}

/// The configuration fields a hotswap changes; `None` leaves a field as it is. Each field is
/// a request field of `UpdateFunctionConfiguration` (AWS Lambda API Reference) with the
/// same name and shape as the `AWS::Lambda::Function` property.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigUpdate {
    /// `Environment.Variables`: the whole new set (an empty map removes them all).
    pub environment: Option<BTreeMap<String, String>>,
    /// `MemorySize`, in MB.
    pub memory_size: Option<i32>,
    /// `Timeout`, in seconds.
    pub timeout: Option<i32>,
    /// `Description`.
    pub description: Option<String>,
    /// `Handler`.
    pub handler: Option<String>,
    /// `Runtime`.
    pub runtime: Option<String>,
}

impl ConfigUpdate {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `LastUpdateStatus` of a function (AWS Lambda API Reference, `FunctionConfiguration`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdateStatus {
    /// `Successful`: the last update is applied.
    Successful,
    /// `Failed`: the last update failed; the function runs what it ran before.
    Failed,
    /// `InProgress`: still applying.
    InProgress,
    /// Not said (an emulator may omit it), or a spelling nephos does not know: never taken
    /// as success.
    Unknown(String),
}

impl UpdateStatus {
    /// Parses the API's spelling.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("Successful") => Self::Successful,
            Some("Failed") => Self::Failed,
            Some("InProgress") => Self::InProgress,
            other => Self::Unknown(other.unwrap_or_default().to_owned()),
        }
    }

    /// The API's spelling (empty when not said).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Successful => "Successful",
            Self::Failed => "Failed",
            Self::InProgress => "InProgress",
            Self::Unknown(s) => s,
        }
    }
}

/// What `GetFunctionConfiguration` says about a function (untrusted text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionState {
    /// `LastUpdateStatus`.
    pub last_update: UpdateStatus,
    /// `LastUpdateStatusReason`.
    pub reason: Option<String>,
    /// `CodeSha256`: the base64 SHA-256 of the deployed code package.
    pub code_sha256: Option<String>,
}

/// Lambda, as `deploy --hotswap` uses it.
#[async_trait]
pub trait Lambda: Send + Sync {
    /// `UpdateFunctionCode` of the function named `name` (its physical ID).
    async fn update_function_code(&self, name: &str, code: &CodeLocation) -> Result<(), CfnError>;
    /// `UpdateFunctionConfiguration` with the fields of `update` that are set.
    async fn update_function_configuration(
        &self,
        name: &str,
        update: &ConfigUpdate,
    ) -> Result<(), CfnError>;
    /// `GetFunctionConfiguration`; `None` when there is no such function.
    async fn function_state(&self, name: &str) -> Result<Option<FunctionState>, CfnError>;
    /// The function's drift marker (its tag [`DRIFT_MARKER`], read with `GetFunction`): the
    /// properties hotswapped since its template was last applied, or `None`.
    async fn drift_marker(&self, name: &str) -> Result<Option<String>, CfnError>;
    /// Writes (`Some`, `TagResource`) or removes (`None`, `UntagResource`) the drift marker.
    async fn set_drift_marker(&self, name: &str, value: Option<&str>) -> Result<(), CfnError>;
}

/// The tag a hotswap puts on each function it changes, so that the next deploy knows the
/// function is out of line with its template even when the template did not change
/// (CloudFormation compares templates, not functions). Its value lists the properties
/// hotswapped, separated by spaces (commas are not allowed in tag values).
pub const DRIFT_MARKER: &str = "nephos:hotswapped";

/// The SDK implementation.
#[derive(Clone, Debug)]
pub struct SdkLambda(pub aws_sdk_lambda::Client, pub CallInfo);

#[async_trait]
impl Lambda for SdkLambda {
    async fn update_function_code(&self, name: &str, code: &CodeLocation) -> Result<(), CfnError> {
        let call = self.0.update_function_code().function_name(name);
        let call = match code {
            CodeLocation::S3 {
                bucket,
                key,
                version,
            } => call
                .s3_bucket(bucket)
                .s3_key(key)
                .set_s3_object_version(version.clone()),
            CodeLocation::Image { uri } => call.image_uri(uri),
        };
        call.send()
            .await
            .map(|_| ())
            .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout))
    }

    async fn update_function_configuration(
        &self,
        name: &str,
        update: &ConfigUpdate,
    ) -> Result<(), CfnError> {
        let environment = update.environment.as_ref().map(|vars| {
            aws_sdk_lambda::types::Environment::builder()
                .set_variables(Some(vars.clone().into_iter().collect()))
                .build()
        });
        let runtime = update
            .runtime
            .as_deref()
            .map(aws_sdk_lambda::types::Runtime::from);
        self.0
            .update_function_configuration()
            .function_name(name)
            .set_environment(environment)
            .set_memory_size(update.memory_size)
            .set_timeout(update.timeout)
            .set_description(update.description.clone())
            .set_handler(update.handler.clone())
            .set_runtime(runtime)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout))
    }

    async fn function_state(&self, name: &str) -> Result<Option<FunctionState>, CfnError> {
        match self
            .0
            .get_function_configuration()
            .function_name(name)
            .send()
            .await
        {
            Ok(c) => Ok(Some(FunctionState {
                last_update: UpdateStatus::parse(c.last_update_status().map(|s| s.as_str())),
                reason: c.last_update_status_reason().map(str::to_owned),
                code_sha256: c.code_sha256().map(str::to_owned),
            })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                Ok(None)
            }
            Err(e) => Err(map_err(e, &self.1.endpoint, self.1.call_timeout)),
        }
    }

    async fn drift_marker(&self, name: &str) -> Result<Option<String>, CfnError> {
        let out = self
            .0
            .get_function()
            .function_name(name)
            .send()
            .await
            .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout))?;
        Ok(out.tags().and_then(|t| t.get(DRIFT_MARKER)).cloned())
    }

    async fn set_drift_marker(&self, name: &str, value: Option<&str>) -> Result<(), CfnError> {
        // TagResource takes the ARN, not the name.
        let arn = self
            .0
            .get_function_configuration()
            .function_name(name)
            .send()
            .await
            .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout))?
            .function_arn()
            .map(str::to_owned)
            .ok_or_else(|| {
                CfnError::new(ErrorKind::Other, format!("Lambda gave no ARN for {name}"))
            })?;
        match value {
            Some(v) => self
                .0
                .tag_resource()
                .resource(arn)
                .tags(DRIFT_MARKER, v)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout)),
            None => self
                .0
                .untag_resource()
                .resource(arn)
                .tag_keys(DRIFT_MARKER)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| map_err(e, &self.1.endpoint, self.1.call_timeout)),
        }
    }
}

/// The error of an update that Lambda reports as failed.
pub fn failed_update(name: &str, state: &FunctionState) -> CfnError {
    CfnError::new(
        ErrorKind::Other,
        format!(
            "Lambda reports the update of {name} as {}{}",
            state.last_update.as_str(),
            state
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    )
}
