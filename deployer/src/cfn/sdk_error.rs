//! Turning the SDKs' errors into one line a user can act on: the endpoint and the cause,
//! never a `Debug` dump of the SDK's error tree. The call and the stack are added by the
//! caller (`ListStacks: ...`, `s: CreateStack failed: ...`).

use std::error::Error as StdError;
use std::time::Duration;

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};

use super::error::{CfnError, ErrorKind};
use crate::output::escape::escape_line;

/// Where each service's calls go, as shown in messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// CloudFormation.
    pub cloudformation: String,
    /// S3.
    pub s3: String,
    /// STS.
    pub sts: String,
    /// IAM.
    pub iam: String,
}

impl Endpoints {
    /// The custom endpoint for every service, else the standard regional host names
    /// (IAM is global), as the AWS endpoint rules resolve them in the `aws` partition.
    pub fn new(custom: Option<&str>, region: &str) -> Self {
        let at = |service: &str| match custom {
            Some(url) => url.to_owned(),
            None => format!("https://{service}.{region}.amazonaws.com"),
        };
        Self {
            cloudformation: at("cloudformation"),
            s3: at("s3"),
            sts: at("sts"),
            iam: custom.map_or_else(|| "https://iam.amazonaws.com".to_owned(), str::to_owned),
        }
    }
}

/// The HTTP status (and, for errors without a message, the body) of a raw response.
pub trait HttpStatus {
    /// The status code.
    fn status_code(&self) -> u16;
    /// The start of the body, as text.
    fn body_text(&self) -> String;
}

impl HttpStatus for aws_sdk_cloudformation::config::http::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }

    fn body_text(&self) -> String {
        let bytes = self.body().bytes().unwrap_or_default();
        String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned()
    }
}

/// Translates any SDK error into a [`CfnError`], keeping AWS's code and message;
/// `endpoint` and `timeout` describe the call for transport failures.
pub fn map_err<E, R>(e: SdkError<E, R>, endpoint: &str, timeout: Duration) -> CfnError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
{
    let no_response = || {
        CfnError::new(
            ErrorKind::Transient,
            format!(
                "no response from {endpoint} within {} s",
                timeout.as_secs().max(1)
            ),
        )
    };
    match &e {
        SdkError::ServiceError(se) => {
            let status = se.raw().status_code();
            let err = se.err();
            if (200..300).contains(&status) {
                // A success status whose body did not parse: the SDK reports it as an
                // unhandled service error with no code.
                return CfnError::new(
                    ErrorKind::Other,
                    format!("the response from {endpoint} could not be parsed (HTTP {status})"),
                );
            }
            let message = match (err.message(), err.code()) {
                (Some(m), _) => m.to_owned(),
                (None, Some(c)) => format!("{c} (HTTP {status} from {endpoint}, no message)"),
                (None, None) => json_error(&se.raw().body_text()).unwrap_or_else(|| {
                    format!("HTTP {status} from {endpoint} with no error code or message (not an AWS error response)")
                }),
            };
            let mut out = CfnError::from_service(err.code(), &message);
            if out.kind == ErrorKind::Other && status >= 500 {
                out.kind = ErrorKind::Transient;
            }
            if out.kind == ErrorKind::Other && status == 404 {
                out.kind = ErrorKind::NotFound;
            }
            if out.kind == ErrorKind::Other && status == 403 {
                out.kind = ErrorKind::AccessDenied;
            }
            out
        }
        SdkError::TimeoutError(_) => no_response(),
        SdkError::ResponseError(r) => CfnError::new(
            ErrorKind::Other,
            format!(
                "the response from {endpoint} could not be parsed (HTTP {})",
                r.raw().status_code()
            ),
        ),
        SdkError::DispatchFailure(d) if d.is_timeout() => no_response(),
        SdkError::DispatchFailure(d) if d.is_io() => CfnError::new(
            ErrorKind::Transient,
            format!("cannot connect to {endpoint} ({})", root_cause(&e)),
        ),
        SdkError::DispatchFailure(_) => {
            let cause = root_cause(&e);
            let kind = if cause.contains("credentials") {
                ErrorKind::Config
            } else {
                ErrorKind::Other
            };
            CfnError::new(
                kind,
                format!("cannot send the request to {endpoint} ({cause})"),
            )
        }
        _ => {
            let cause = root_cause(&e);
            let kind = if cause.contains("credentials") {
                ErrorKind::Config
            } else {
                ErrorKind::Other
            };
            CfnError::new(kind, format!("cannot build the request ({cause})"))
        }
    }
}

/// The innermost error's message (`connection refused`, `failed to lookup address`), one
/// line, escaped: the layers above it only name the SDK's internals.
fn root_cause(e: &(dyn StdError + 'static)) -> String {
    let mut cur: &(dyn StdError + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    if let Some(io) = cur.downcast_ref::<std::io::Error>() {
        return escape_line(&io.kind().to_string()).into_owned();
    }
    let text = cur.to_string();
    let text: String = text.chars().take(200).collect();
    escape_line(&text).into_owned()
}

/// An error body in JSON form (`{"__type": .., "message": ..}`), as some emulators send
/// even to query-protocol clients, which then find no code or message of their own.
fn json_error(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let message = v.get("message").or_else(|| v.get("Message"))?.as_str()?;
    let kind = v.get("__type").and_then(|t| t.as_str()).unwrap_or("error");
    Some(format!("{kind}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_endpoints_name_the_region_and_a_custom_one_wins() {
        let e = Endpoints::new(None, "eu-west-1");
        assert_eq!(
            e.cloudformation,
            "https://cloudformation.eu-west-1.amazonaws.com"
        );
        assert_eq!(e.iam, "https://iam.amazonaws.com");
        let c = Endpoints::new(Some("http://127.0.0.1:1"), "eu-west-1");
        assert_eq!(c.s3, "http://127.0.0.1:1");
    }
}
