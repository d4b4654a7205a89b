//! Errors from the seam, classified by what the deployer should do about them.

use std::fmt;

/// What kind of failure a call to AWS ended in; it decides retry or give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The API throttled the caller (`Throttling`, `ThrottlingException`, `Rate exceeded`):
    /// retried with backoff.
    Throttling,
    /// A network failure, time-out or 5xx: retried with backoff.
    Transient,
    /// The stack, change set or object does not exist.
    NotFound,
    /// The request was refused as invalid (`ValidationError`): never retried.
    Validation,
    /// The caller lacks a permission (`AccessDenied`).
    AccessDenied,
    /// No credentials or region could be found for the call.
    Config,
    /// Not sent: Ctrl-C asked to stop before the next change ([`crate::cfn::halt`]).
    /// Never retried, and never read back: nothing reached AWS.
    Interrupted,
    /// Anything else.
    Other,
}

/// An error from AWS (or a fake of it), with a message fit to show a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfnError {
    /// How the deployer should react.
    pub kind: ErrorKind,
    /// The service's code, such as `ValidationError`, when there was one.
    pub code: Option<String>,
    /// The service's message (or the transport's).
    pub message: String,
}

impl CfnError {
    /// An error of `kind` with a message and no service code.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: None,
            message: message.into(),
        }
    }

    /// An error as AWS would send it: the kind is derived from the code and message.
    pub fn from_service(code: Option<&str>, message: &str) -> Self {
        let kind = classify(code, message);
        Self {
            kind,
            code: code.map(str::to_owned),
            message: message.to_owned(),
        }
    }

    /// The command-level error for this failure of `call` (on `stack`), in the engine's
    /// form: `s: DescribeStacks failed: cannot connect to http://...`.
    pub fn in_call(&self, stack: Option<&str>, call: &str) -> crate::error::Error {
        match stack {
            Some(s) => crate::error::Error::new(format!("{s}: {call} failed: {self}")),
            None => crate::error::Error::new(format!("{call} failed: {self}")),
        }
    }

    /// Whether a retry with backoff may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ErrorKind::Throttling | ErrorKind::Transient)
    }
}

/// Maps an AWS error code (and, for CloudFormation's generic `ValidationError`, its message)
/// to a kind. CloudFormation reports a missing stack as a `ValidationError` whose message
/// says "does not exist", so the message has to be read too.
fn classify(code: Option<&str>, message: &str) -> ErrorKind {
    match code.unwrap_or("") {
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "SlowDown" => ErrorKind::Throttling,
        "InternalFailure" | "ServiceUnavailable" | "InternalError" | "RequestTimeout" => {
            ErrorKind::Transient
        }
        "ChangeSetNotFound"
        | "ChangeSetNotFoundException"
        | "StackNotFoundException"
        | "NoSuchBucket"
        | "NoSuchKey"
        | "NotFound"
        | "NoSuchEntity" => ErrorKind::NotFound,
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            ErrorKind::AccessDenied
        }
        "ValidationError" if message.contains("does not exist") => ErrorKind::NotFound,
        "ValidationError" if message.contains("Rate exceeded") => ErrorKind::Throttling,
        "ValidationError" => ErrorKind::Validation,
        _ if message.contains("Rate exceeded") => ErrorKind::Throttling,
        _ => ErrorKind::Other,
    }
}

impl fmt::Display for CfnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CfnError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_stack_is_not_found_even_though_aws_calls_it_a_validation_error() {
        let e = CfnError::from_service(Some("ValidationError"), "Stack with id x does not exist");
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[test]
    fn throttling_is_retryable_and_validation_is_not() {
        assert!(CfnError::from_service(Some("Throttling"), "Rate exceeded").is_retryable());
        assert!(!CfnError::from_service(Some("ValidationError"), "bad template").is_retryable());
    }
}
