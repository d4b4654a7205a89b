//! A dotted property path built while walking a value, written out only when a
//! diagnostic needs it: walks visit every node, and most nodes never get reported.

use std::fmt;

/// Where a walk stands: the root, or one key or index below another place. Lives on the
/// walk's call stack; nothing is allocated until [`Path::render`].
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The place `key` below this one.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The place `index` below this one.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// Dotted segments (`Tags.0.Key`). An empty prefix takes no dot, so a path under an
    /// empty key reads as the walks that joined strings always wrote it.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        use fmt::Write;
        let (parent, seg): (&Path, &dyn fmt::Display) = match self {
            Path::Root => return,
            Path::Key(p, k) => (p, k),
            Path::Index(p, i) => (p, i),
        };
        parent.write(out);
        if !out.is_empty() {
            out.push('.');
        }
        let _ = write!(out, "{seg}");
    }
}
