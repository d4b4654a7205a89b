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

impl Error {
    /// An error saying what is wrong and how to go on: `{what}; next: {next}`. Errors about
    /// files the user or the app writes (the manifest, `nephos.json`) are built so, and
    /// their tests check that each one carries its next step.
    ///
    /// ```
    /// use nephos_cli::error::Error;
    /// let e = Error::with_next("nephos.json has no \"app\"", "add one, or pass --app");
    /// assert_eq!(e.0, "nephos.json has no \"app\"; next: add one, or pass --app");
    /// ```
    pub fn with_next(what: impl fmt::Display, next: impl fmt::Display) -> Self {
        Self(format!("{what}; {NEXT}{next}"))
    }

    /// The next step of an error made by [`Error::with_next`], if it has one.
    pub fn next_step(&self) -> Option<&str> {
        self.0
            .rsplit_once(NEXT)
            .map(|(_, next)| next)
            .filter(|n| !n.trim().is_empty())
    }
}

/// What introduces the next step in an error's line ([`Error::with_next`]).
const NEXT: &str = "next: ";

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
