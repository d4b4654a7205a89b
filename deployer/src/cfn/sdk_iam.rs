//! The IAM seam implemented on its SDK: a thin translation of each call.

use async_trait::async_trait;

use super::error::{CfnError, ErrorKind};
use super::sdk::CallInfo;
use super::seam::Iam;

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

/// IAM returns policy documents URL-encoded (RFC 3986); a byte sequence that is not UTF-8
/// after decoding is kept with replacement characters, so the review shows it rather than
/// failing on it.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn policies_are_url_decoded() {
        assert_eq!(super::percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(super::percent_decode("100%"), "100%");
        assert_eq!(super::percent_decode("%zz%4"), "%zz%4");
    }
}
