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
    ///
    /// Sized once (a deferred note renders its path, hundreds per stack) and written
    /// without the formatting machinery.
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(self.rendered_len());
        self.write(&mut out);
        out
    }

    /// The length of [`render`](Path::render)'s text.
    fn rendered_len(&self) -> usize {
        let (parent, own) = match self {
            Path::Root => return 0,
            Path::Key(p, k) => (p, k.len()),
            Path::Index(p, i) => (p, digits(*i)),
        };
        let above = parent.rendered_len();
        above + usize::from(above > 0) + own
    }

    /// Keys joined by dots, indices in brackets (`Tags[0].Key`), as cfn-lint and the
    /// checks that quote a place inside one value write it.
    pub(crate) fn render_indexed(&self) -> String {
        let mut out = String::new();
        self.write_indexed(&mut out);
        out
    }

    fn write_indexed(&self, out: &mut String) {
        use fmt::Write;
        match self {
            Path::Root => {}
            Path::Key(Path::Root, k) => out.push_str(k),
            Path::Key(p, k) => {
                p.write_indexed(out);
                out.push('.');
                out.push_str(k);
            }
            Path::Index(p, i) => {
                p.write_indexed(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }

    fn write(&self, out: &mut String) {
        let parent = match self {
            Path::Root => return,
            Path::Key(p, _) | Path::Index(p, _) => p,
        };
        parent.write(out);
        if !out.is_empty() {
            out.push('.');
        }
        // A key is copied as it is, not through the formatting machinery: deferred
        // notes render a path each, hundreds per stack.
        match self {
            Path::Key(_, k) => out.push_str(k),
            Path::Index(_, i) => push_index(out, *i),
            Path::Root => {}
        }
    }
}

/// How many decimal digits `i` has.
fn digits(i: usize) -> usize {
    i.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `i` in decimal, as `write!` writes it.
fn push_index(out: &mut String, i: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = i;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn renders_dotted_segments_and_no_dot_after_an_empty_prefix() {
        let root = Path::Root;
        assert_eq!(root.render(), "");
        let tags = root.key("Tags");
        let first = tags.index(0);
        assert_eq!(first.key("Key").render(), "Tags.0.Key");
        // As the string-joining walks wrote it: an empty key adds no segment of its own.
        let empty = root.key("");
        assert_eq!(empty.key("x").render(), "x");
    }

    /// Indices are written as `write!` writes them, and the text is sized exactly.
    #[test]
    fn renders_indices_in_decimal_sized_exactly() {
        let root = Path::Root;
        let key = root.key("Items");
        for i in [0, 7, 9, 10, 99, 100, 12_345, usize::MAX] {
            let at = key.index(i);
            let leaf = at.key("Name");
            let text = leaf.render();
            assert_eq!(text, format!("Items.{i}.Name"));
            assert_eq!(text.len(), leaf.rendered_len());
            assert_eq!(root.index(i).render(), i.to_string());
        }
        let empty = root.key("");
        assert_eq!(empty.render().len(), empty.rendered_len());
    }

    #[test]
    fn renders_indices_in_brackets_and_every_key_after_a_dot() {
        let root = Path::Root;
        assert_eq!(root.render_indexed(), "");
        let tags = root.key("Tags");
        let first = tags.index(0);
        assert_eq!(first.key("Key").render_indexed(), "Tags[0].Key");
        // Unlike `render`, an empty key keeps its dot: `a..b` says where the empty key is.
        let a = root.key("a");
        let empty = a.key("");
        assert_eq!(empty.key("b").render_indexed(), "a..b");
    }
}
