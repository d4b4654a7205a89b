//! The one place where text nephos did not write is made safe for a terminal or a log.
//!
//! Template values, logical IDs, stack and event reasons, outputs and AWS error messages
//! can hold control sequences that move the cursor, erase lines or conceal text, so a
//! template could hide the very review lines an approval exists for. Every byte nephos
//! writes to stdout or stderr passes through [`EscapingWriter`]; only the colour sequences
//! of [`Style`](super::style::Style) itself pass unchanged.

use std::borrow::Cow;
use std::io::{self, Write};

use super::style::SGR_CODES;

/// Whether `c` must not reach a terminal raw: C0 controls and DEL, C1 controls, and the
/// Unicode bidirectional controls that reorder what is displayed (the "Trojan Source"
/// set, CVE-2021-42574), plus the line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

fn push_escaped(out: &mut String, c: char) {
    let n = c as u32;
    if n < 0x80 {
        out.push_str(&format!("\\x{n:02x}"));
    } else {
        out.push_str(&format!("\\u{n:04x}"));
    }
}

/// `s` with every control character shown as `\x1b` or `\u202e`, newlines and tabs included:
/// for one field that must stay on one line (a reason, a name, an error message).
pub fn escape_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`escape_line`], but keeps newlines and tabs (text laid out over several lines)
/// and, when `colour` is on, the exact colour sequences nephos's style writes.
pub fn escape_text(s: &str, colour: bool) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if colour
            && c == '\x1b'
            && let Some(seq) = own_sgr(rest)
        {
            out.push_str(seq);
            rest = &rest[seq.len()..];
            continue;
        }
        if is_unsafe(c) && !keep(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The colour sequence at the start of `s` if it is one nephos's style writes.
fn own_sgr(s: &str) -> Option<&str> {
    let body = s.strip_prefix("\x1b[")?;
    let end = body.find('m')?;
    SGR_CODES.contains(&&body[..end]).then(|| &s[..2 + end + 1])
}

/// A writer that escapes everything [`escape_text`] escapes. Invalid UTF-8 is shown as
/// U+FFFD. Each `write` is escaped on its own: a colour sequence split over two writes is
/// escaped, never passed (formatting writes each piece whole).
pub struct EscapingWriter<W> {
    inner: W,
    colour: bool,
}

impl<W: Write> EscapingWriter<W> {
    /// Escapes what goes to `inner`; `colour` lets nephos's own colour sequences through.
    pub fn new(inner: W, colour: bool) -> Self {
        Self { inner, colour }
    }
}

impl<W: Write> Write for EscapingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner
            .write_all(escape_text(&text, self.colour).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::style::Style;

    #[test]
    fn cursor_moves_conceal_and_title_changes_are_shown_not_run() {
        let hostile = "stack\x1b[1A\x1b[2K\x1b[8m\x1b]0;PWNED\x07\u{9b}2J\u{202e}evil\r";
        let shown = escape_line(hostile);
        assert_eq!(
            shown,
            "stack\\x1b[1A\\x1b[2K\\x1b[8m\\x1b]0;PWNED\\x07\\u009b2J\\u202eevil\\x0d"
        );
        assert!(!shown.chars().any(is_unsafe));
    }

    #[test]
    fn the_writer_keeps_layout_and_own_colours_and_escapes_the_rest() {
        let style = Style { color: true };
        let mut out = EscapingWriter::new(Vec::new(), true);
        let line = format!("{} a\tb\x1b[8m\n", style.red("[-] T"));
        out.write_all(line.as_bytes()).unwrap_or_default();
        let text = String::from_utf8(out.inner).unwrap_or_default();
        assert_eq!(text, "\x1b[31m[-] T\x1b[0m a\tb\\x1b[8m\n");
        let mut plain = EscapingWriter::new(Vec::new(), false);
        plain
            .write_all(style.red("x").as_bytes())
            .unwrap_or_default();
        assert_eq!(plain.inner, b"\\x1b[31mx\\x1b[0m");
    }
}
