//! The staging seam (S3 and STS) implemented on their SDKs: a thin translation of each call.
//!
//! Every S3 call names the caller's account as the bucket's expected owner
//! (`ExpectedBucketOwner`, "Verifying bucket ownership with bucket owner condition", Amazon
//! S3 User Guide). The staging bucket's name is predictable and S3 names are global, so
//! another account can create `nephos-staging-<your account>-<region>` in a region you have
//! not bootstrapped ("bucket sniping"): without the condition nephos would upload code and
//! templates to it, and CloudFormation and Lambda would load what its owner puts there. With
//! it, S3 answers 403 and nothing is sent.

use std::time::Duration;

use async_trait::async_trait;

use super::error::{CfnError, ErrorKind};
use super::sdk_error::{Endpoints, map_err};
use super::seam::Staging;

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
    /// The caller's account (from STS, read once): every S3 call's expected bucket owner.
    pub owner: tokio::sync::OnceCell<String>,
}

impl SdkStaging {
    /// The account every bucket nephos uses must belong to: the caller's.
    async fn owner(&self) -> Result<String, CfnError> {
        self.owner
            .get_or_try_init(|| self.caller_account())
            .await
            .cloned()
    }

    /// `GetCallerIdentity`'s account, checked.
    async fn caller_account(&self) -> Result<String, CfnError> {
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
}

#[async_trait]
impl Staging for SdkStaging {
    async fn account_id(&self) -> Result<String, CfnError> {
        self.owner().await
    }

    fn region(&self) -> String {
        self.region.clone()
    }

    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CfnError> {
        match self
            .s3
            .head_bucket()
            .bucket(bucket)
            .expected_bucket_owner(self.owner().await?)
            .send()
            .await
            .map_err(|e| map_err(e, &self.endpoints.s3, self.call_timeout))
        {
            Ok(_) => Ok(true),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(false),
            Err(e) if e.kind == ErrorKind::AccessDenied => Err(CfnError::new(
                ErrorKind::AccessDenied,
                format!(
                    "S3 refused HeadBucket on {bucket} with this account ({}) as its expected owner ({}): either another account owns a bucket of that name (nephos sends it nothing: create yours with `nephos bootstrap` in another region, or ask AWS about the name) or this identity lacks s3:ListBucket on it; nothing was uploaded",
                    self.owner().await?,
                    e.message
                ),
            )),
            Err(e) => Err(e),
        }
    }

    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError> {
        match self
            .s3
            .head_object()
            .bucket(bucket)
            .expected_bucket_owner(self.owner().await?)
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
            .expected_bucket_owner(self.owner().await?)
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
            .expected_bucket_owner(self.owner().await?)
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
            .expected_bucket_owner(self.owner().await?)
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

    /// atk (s25) 0: every S3 call on the staging bucket names this account as its
    /// expected owner, so a same-named bucket of another account gets nothing. The
    /// requests are read just before they would be sent, and stopped there.
    #[tokio::test]
    async fn every_s3_call_names_the_callers_account_as_the_buckets_owner() {
        use std::sync::{Arc, Mutex};

        use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef;
        use aws_sdk_s3::config::{ConfigBag, Credentials, Intercept, Region, RuntimeComponents};

        use super::*;
        use crate::cfn::seam::Staging;

        /// Records each request's expected-owner header and stops the call.
        #[derive(Debug, Clone, Default)]
        struct Owners(Arc<Mutex<Vec<Option<String>>>>);
        impl Intercept for Owners {
            fn name(&self) -> &'static str {
                "Owners"
            }
            fn read_before_transmit(
                &self,
                ctx: &BeforeTransmitInterceptorContextRef<'_>,
                _: &RuntimeComponents,
                _: &mut ConfigBag,
            ) -> Result<(), aws_sdk_s3::error::BoxError> {
                let owner = ctx
                    .request()
                    .headers()
                    .get("x-amz-expected-bucket-owner")
                    .map(str::to_owned);
                self.0.lock().unwrap_or_else(|e| e.into_inner()).push(owner);
                Err("stopped before sending".into())
            }
        }

        let owners = Owners::default();
        let s3 = aws_sdk_s3::Config::builder()
            .behavior_version_latest()
            .region(Region::new("eu-west-3"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .interceptor(owners.clone())
            .build();
        let sts = aws_sdk_sts::Config::builder()
            .behavior_version_latest()
            .region(aws_sdk_sts::config::Region::new("eu-west-3"))
            .build();
        let staging = SdkStaging {
            s3: aws_sdk_s3::Client::from_conf(s3),
            sts: aws_sdk_sts::Client::from_conf(sts),
            region: "eu-west-3".into(),
            endpoints: Endpoints::new(None, "eu-west-3"),
            call_timeout: Duration::from_secs(1),
            // As read from STS.
            owner: tokio::sync::OnceCell::new_with(Some("123456789012".into())),
        };
        let bucket = "nephos-staging-123456789012-eu-west-3";
        let _ = staging.bucket_exists(bucket).await;
        let _ = staging.object_exists(bucket, "assets/a.zip").await;
        let _ = staging.object_sha256(bucket, "assets/a.zip").await;
        let _ = staging
            .put_object(bucket, "assets/a.zip", b"zip".to_vec())
            .await;
        let seen = owners.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert_eq!(seen, vec![Some("123456789012".to_owned()); 4]);
    }
}
