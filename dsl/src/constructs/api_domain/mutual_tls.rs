//! Mutual TLS on a custom domain ([`MutualTls`]): clients present a certificate that API
//! Gateway checks against a truststore of CA certificates (a PEM file in S3).
//!
//! Facts from the API Gateway Developer Guide, "Mutual TLS authentication for REST APIs"
//! and "for HTTP APIs": the domain must be regional and use the `TLS_1_2` security policy;
//! the truststore is given by its S3 URI (`s3://bucket-name/key-name`), and optionally the
//! S3 object version (the bucket then has versioning), so a new truststore object takes
//! effect only when the version is changed; clients can still reach the API's default
//! `execute-api` endpoint without a certificate unless it is disabled.

use crate::kind::Str;
use crate::kinds::S3BucketName;
use crate::value::value::{IntoValue, Value};

/// The truststore of a custom domain with mutual TLS: the S3 object holding the CA
/// certificates (PEM) that client certificates must chain to, and optionally its version.
/// Set it with [`CustomDomain::mutual_tls`](crate::constructs::CustomDomain::mutual_tls).
///
/// ```
/// use nephos::constructs::MutualTls;
/// let tls = MutualTls::new("s3://certs-bucket/truststore.pem").version("3Zk8.yV_ZQ");
/// assert!(tls.problems().is_empty());
/// assert_eq!(MutualTls::new("https://certs-bucket/truststore.pem").problems().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MutualTls {
    uri: Value<Str>,
    /// The object key, when built from a bucket (checked then: the URI is computed).
    key: Option<String>,
    version: Option<Value<Str>>,
}

impl MutualTls {
    /// The truststore at `uri`, `s3://<bucket>/<key>` (a literal URI is checked at
    /// synth; a computed one is taken as it is).
    pub fn new(uri: impl IntoValue<Str>) -> Self {
        MutualTls {
            uri: uri.into_value(),
            key: None,
            version: None,
        }
    }

    /// The truststore object `key` in `bucket` (a bucket's `name()`, or a literal name).
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Bucket, MutualTls};
    /// let mut stack = Stack::new("App");
    /// let certs = stack.add("Certs", Bucket::new());
    /// let tls = MutualTls::in_bucket(certs.name(), "ca/truststore.pem");
    /// assert!(tls.problems().is_empty());
    /// assert!(tls.uri().to_json().to_string().contains("/ca/truststore.pem"));
    /// assert_eq!(MutualTls::in_bucket(certs.name(), "/ca.pem").problems().len(), 1);
    /// ```
    pub fn in_bucket(bucket: impl IntoValue<S3BucketName>, key: impl Into<String>) -> Self {
        let key = key.into();
        // `$` would be read by `Fn::Sub`; such a key is refused by `problems`.
        let template = format!("s3://${{bucket}}/{}", key.replace('$', ""));
        MutualTls {
            uri: crate::sub(&template, [("bucket", bucket.into_value().into_any())]),
            key: Some(key),
            version: None,
        }
    }

    /// The truststore object's S3 version ID: API Gateway reads that version, so
    /// uploading a new truststore takes effect when this changes (else the latest is
    /// read when the domain is updated).
    pub fn version(mut self, version: impl IntoValue<Str>) -> Self {
        self.version = Some(version.into_value());
        self
    }

    /// The truststore's URI.
    pub fn uri(&self) -> &Value<Str> {
        &self.uri
    }

    /// The truststore object's version, if set.
    pub fn truststore_version(&self) -> Option<&Value<Str>> {
        self.version.as_ref()
    }

    /// What API Gateway would refuse of the truststore, one sentence each (empty:
    /// nothing): a literal URI that is not `s3://<bucket>/<key>`, a key that is empty,
    /// starts with `/` or holds `$`, an empty literal version.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(uri) = self.uri.literal_str() {
            let ok = uri
                .strip_prefix("s3://")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(bucket, key)| !bucket.is_empty() && !key.is_empty());
            if !ok {
                out.push(format!(
                    "the truststore URI `{}` is not an S3 object URI `s3://<bucket>/<key>`",
                    uri.escape_debug()
                ));
            }
        }
        if let Some(key) = &self.key
            && (key.is_empty() || key.starts_with('/') || key.contains('$'))
        {
            out.push(format!(
                "the truststore key `{}` must be an S3 object key without a leading `/` or `$`",
                key.escape_debug()
            ));
        }
        if self.version.as_ref().and_then(Value::literal_str) == Some("") {
            out.push("the truststore version is empty".to_string());
        }
        out
    }
}
