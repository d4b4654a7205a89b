//! The staging seam (S3 and STS) implemented on their SDKs: a thin translation of each call.

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
}
