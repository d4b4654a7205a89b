//! The command-level error: one line a user can act on.

use std::fmt;

/// A failed command, explained in one line (no stack trace, no debug dump).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl Error {
    /// An error with this message.
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The message of an error that is a closed output stream (see [`Error::is_closed_output`]).
pub const CLOSED_OUTPUT: &str = "cannot write output: the reader closed the pipe";

impl Error {
    /// Whether writing output failed because its reader went away (`nephos list | head`).
    pub fn is_closed_output(&self) -> bool {
        self.0 == CLOSED_OUTPUT
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Self(CLOSED_OUTPUT.to_owned());
        }
        Self(format!("cannot write output: {e}"))
    }
}

impl From<crate::deploy::engine::EngineError> for Error {
    fn from(e: crate::deploy::engine::EngineError) -> Self {
        Self(e.to_string())
    }
}

impl From<crate::cfn::error::CfnError> for Error {
    fn from(e: crate::cfn::error::CfnError) -> Self {
        Self(e.to_string())
    }
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
