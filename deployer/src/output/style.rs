//! ANSI colour, on only for a terminal and never when `NO_COLOR` is set.

/// Every SGR parameter [`Style`] writes; the escaping writer lets exactly these through.
pub const SGR_CODES: [&str; 6] = ["0", "1", "2", "31", "32", "33"];

/// Which colours to use; `Style::plain()` writes none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to emit ANSI escapes.
    pub color: bool,
}

impl Style {
    /// No colour at all (CI logs, files, tests).
    pub fn plain() -> Self {
        Self { color: false }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Additions and success.
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    /// Removals and failures.
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    /// Modifications and warnings.
    pub fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    /// Headings.
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    /// Secondary detail.
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}
