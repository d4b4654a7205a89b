//! Diagnostics: every synth problem names where it is, what is wrong, and the fix.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The template cannot be synthesized.
    Error,
    /// The template is synthesized, but something deserves attention.
    Warning,
}

/// The section of a template a diagnostic is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// The stack or template as a whole.
    Stack,
    /// A parameter.
    Parameter,
    /// A mapping.
    Mapping,
    /// A condition.
    Condition,
    /// A rule.
    Rule,
    /// A resource.
    Resource,
    /// An output.
    Output,
}

/// Where a diagnostic points: a section, an element's logical ID, and a property path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The section.
    pub section: Section,
    /// The logical ID of the element, if the diagnostic is about one.
    pub id: Option<String>,
    /// The property path below the element (dotted), if the diagnostic is about one.
    pub path: Option<String>,
}

impl Location {
    /// The stack as a whole.
    pub fn stack() -> Self {
        Location {
            section: Section::Stack,
            id: None,
            path: None,
        }
    }

    /// A resource.
    pub fn resource(id: &str) -> Self {
        Location::of(Section::Resource, id)
    }

    /// A property of a resource.
    pub fn property(id: &str, path: &str) -> Self {
        Location {
            path: Some(path.to_string()),
            ..Location::resource(id)
        }
    }

    /// An output.
    pub fn output(id: &str) -> Self {
        Location::of(Section::Output, id)
    }

    /// An element of any section.
    pub fn of(section: Section, id: &str) -> Self {
        Location {
            section,
            id: Some(id.to_string()),
            path: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = match self.section {
            Section::Stack => return f.write_str("stack"),
            Section::Parameter => "parameter",
            Section::Mapping => "mapping",
            Section::Condition => "condition",
            Section::Rule => "rule",
            Section::Resource => "resource",
            Section::Output => "output",
        };
        write!(f, "{noun} `{}`", self.id.as_deref().unwrap_or(""))?;
        if let Some(path) = &self.path {
            write!(f, " property `{path}`")?;
        }
        Ok(())
    }
}

/// One problem found at synth.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Diagnostic {
    /// An error.
    pub fn error(location: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A warning.
    pub fn warning(location: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message, fix)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}: {}: {}\n  fix: {}",
            self.location, self.message, self.fix
        )
    }
}

/// A literal check that could not run because CloudFormation computes the value at
/// deploy: recorded so nothing is skipped silently.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deferred {
    /// The resource's logical ID.
    pub resource: String,
    /// The property path (dotted).
    pub path: String,
    /// The intrinsic that computes the value, such as `Fn::GetAtt`.
    pub computed_by: String,
    /// The check that is left to CloudFormation, such as `length 1..=64`.
    pub check: String,
}

impl fmt::Display for Deferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "resource `{}` property `{}`: {} computed by {} is checked at deploy",
            self.resource, self.path, self.check, self.computed_by
        )
    }
}

/// Synthesis failed: every error found, in a stable order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthError {
    /// The stack's name.
    pub stack: String,
    /// The errors (and the warnings found alongside them).
    pub diagnostics: Vec<Diagnostic>,
}

impl SynthError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors().count();
        write!(
            f,
            "stack `{}` has {n} error{}:",
            self.stack,
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthError {}
