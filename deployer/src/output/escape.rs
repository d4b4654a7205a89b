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

/// Whether `c` must not reach a terminal raw: every control character (general category
/// Cc: C0, DEL, C1), every format character (Cf: the bidirectional controls of "Trojan
/// Source", CVE-2021-42574, zero-width joiners and spaces, the soft hyphen, the word
/// joiner, the BOM, the tag characters U+E0000..), every other default-ignorable code point
/// (Hangul fillers, the combining grapheme joiner, U+17B4), and the line and paragraph
/// separators (Zl, Zp). Source: the Unicode Character Database via `icu_properties`
/// (`GeneralCategory`, `DefaultIgnorableCodePoint`), so a new Unicode version is a crate
/// update, not an edit here.
pub(crate) fn is_unsafe(c: char) -> bool {
    use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
    use icu_properties::{CodePointMapData, CodePointSetData};
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
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

/// The most characters of one line of text output nephos shows; the rest of the line is
/// replaced by a marker giving its full length. A template value, an output or an event
/// reason can be megabytes long, and a terminal (or a CI log) is no place for it.
pub const MAX_LINE_CHARS: usize = 4096;

/// A writer that escapes everything [`escape_text`] escapes. Invalid UTF-8 is shown as
/// U+FFFD. Each `write` is escaped on its own: a colour sequence split over two writes is
/// escaped, never passed (formatting writes each piece whole). With a line bound
/// ([`EscapingWriter::bounded`]), a line longer than the bound is cut and ends with
/// `… [line cut: N chars]`.
pub struct EscapingWriter<W> {
    inner: W,
    colour: bool,
    /// The most characters shown per line, `None` for no bound (JSON documents, which
    /// must stay whole to parse).
    max_line: Option<usize>,
    /// Characters of the current line so far (after escaping), shown or not.
    column: usize,
}

impl<W: Write> EscapingWriter<W> {
    /// Escapes what goes to `inner`; `colour` lets nephos's own colour sequences through.
    pub fn new(inner: W, colour: bool) -> Self {
        Self {
            inner,
            colour,
            max_line: None,
            column: 0,
        }
    }

    /// Like [`EscapingWriter::new`], and cuts every line at `max_line` characters.
    pub fn bounded(inner: W, colour: bool, max_line: usize) -> Self {
        Self {
            max_line: Some(max_line),
            ..Self::new(inner, colour)
        }
    }

    /// Writes `text` (already escaped), cutting the current line at the bound.
    fn write_bounded(&mut self, text: &str, max: usize) -> io::Result<()> {
        for piece in text.split_inclusive('\n') {
            let (body, newline) = match piece.strip_suffix('\n') {
                Some(b) => (b, true),
                None => (piece, false),
            };
            let room = max.saturating_sub(self.column);
            let shown = match body.char_indices().nth(room) {
                Some((at, _)) => &body[..at],
                None => body,
            };
            self.inner.write_all(shown.as_bytes())?;
            self.column += body.chars().count();
            if newline {
                self.end_line()?;
                self.inner.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    /// The marker of a cut line, when the line just ended was longer than the bound.
    fn end_line(&mut self) -> io::Result<()> {
        if let Some(max) = self.max_line
            && self.column > max
        {
            write!(self.inner, "… [line cut: {} chars]", self.column)?;
        }
        self.column = 0;
        Ok(())
    }
}

impl<W: Write> Write for EscapingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let escaped = escape_text(&text, self.colour);
        match self.max_line {
            Some(max) => self.write_bounded(&escaped, max)?,
            None => self.inner.write_all(escaped.as_bytes())?,
        }
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

    #[test]
    fn invisible_characters_from_the_unicode_data_are_shown_not_hidden() {
        // Format (Cf), other default-ignorable code points and tag characters: each one
        // the attack found passing raw (`Env: dev → pr\u{200b}od` read as `prod`).
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{ad}',
            '\u{34f}',
            '\u{115f}',
            '\u{3164}',
            '\u{180e}',
            '\u{2061}',
            '\u{fff9}',
            '\u{17b4}',
            '\u{1d173}',
            '\u{e0001}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{202e}',
            '\u{2028}',
        ] {
            let s = format!("pr{c}od");
            let shown = escape_line(&s);
            assert_eq!(
                shown,
                format!("pr\\u{:04x}od", c as u32),
                "{:04x}",
                c as u32
            );
        }
        // Letters, accents, CJK and emoji stay as they are.
        assert_eq!(escape_line("café é 表 🙂"), "café é 表 🙂");
    }

    #[test]
    fn a_long_line_is_cut_with_its_full_length_and_short_lines_pass() {
        let mut out = EscapingWriter::bounded(Vec::new(), false, 10);
        let long = "x".repeat(900_000);
        out.write_all(format!("ok\nvalue: {long}\n").as_bytes())
            .unwrap_or_default();
        // A line written in pieces is counted as one line.
        out.write_all(b"abcdefgh").unwrap_or_default();
        out.write_all(b"ijklmn\n").unwrap_or_default();
        let text = String::from_utf8(out.inner).unwrap_or_default();
        assert_eq!(
            text,
            "ok\nvalue: xxx… [line cut: 900007 chars]\nabcdefghij… [line cut: 14 chars]\n"
        );
    }
}
