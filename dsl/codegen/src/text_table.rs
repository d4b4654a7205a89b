//! Generated tables of strings that hold no pointers: every string is a byte range
//! `(start, length)` of one text, each distinct string stored once, and a row is an array of
//! those ranges. A table of `&'static str` instead costs one dynamic relocation per string,
//! which the loader applies at every start of a position-independent binary (an app's
//! default build): `kinds::SHAPES` and `NOT_ARNS` were about 7 300 of them. The dsl reads a
//! row back with `table_text::row`. `facts_table.rs` lays out the facts the same way.

use std::collections::HashMap;
use std::fmt::Write;

/// One table: its text and its rows, built row by row.
#[derive(Default)]
pub struct TextTable {
    /// Every distinct string, concatenated.
    text: String,
    /// Where each distinct string starts in `text`.
    offsets: HashMap<String, usize>,
    /// The strings each row adds to the text, for the text's lines (one line per row).
    text_lines: Vec<Vec<String>>,
    /// Each row's byte ranges of `text`.
    rows: Vec<Vec<(usize, usize)>>,
}

impl TextTable {
    /// A table without rows.
    pub fn new() -> Self {
        TextTable::default()
    }

    /// Adds a row of strings (each stored once in the text).
    pub fn row(&mut self, strings: &[&str]) {
        let mut new = Vec::new();
        let mut spans = Vec::with_capacity(strings.len());
        for s in strings {
            let start = match self.offsets.get(*s) {
                Some(&start) => start,
                None => {
                    let start = self.text.len();
                    self.text.push_str(s);
                    self.offsets.insert((*s).to_string(), start);
                    new.push((*s).to_string());
                    start
                }
            };
            spans.push((start, s.len()));
        }
        self.text_lines.push(new);
        self.rows.push(spans);
    }

    /// The source of the two statics: `{name}_TEXT`, the text, and `name`, the rows as
    /// arrays of `width` ranges, each documented by `doc` (lines without `///`).
    ///
    /// # Panics
    /// A row does not have `width` strings, or the text is past `u32::MAX` bytes.
    pub fn emit(&self, name: &str, width: usize, doc: &str) -> String {
        assert!(
            u32::try_from(self.text.len()).is_ok(),
            "{name}: text too long"
        );
        let mut out = String::new();
        let _ = writeln!(
            out,
            "/// The strings of [`{name}`], each distinct one once, one line per row's new strings."
        );
        let _ = writeln!(
            out,
            "#[rustfmt::skip]\npub(crate) static {name}_TEXT: &str = concat!("
        );
        for new in &self.text_lines {
            if new.is_empty() {
                continue;
            }
            let quoted: Vec<String> = new.iter().map(|s| format!("{s:?}")).collect();
            let _ = writeln!(out, "    {},", quoted.join(", "));
        }
        out.push_str(");\n");
        for line in doc.lines() {
            let _ = writeln!(out, "/// {line}");
        }
        let _ = writeln!(
            out,
            "/// Each string is a byte range (start, length) of [`{name}_TEXT`]: the table holds no\n/// pointers, so the loader relocates nothing in it (`dsl/codegen/src/text_table.rs`)."
        );
        let _ = writeln!(
            out,
            "#[rustfmt::skip]\npub(crate) static {name}: &[[(u32, u32); {width}]] = &["
        );
        for spans in &self.rows {
            assert_eq!(
                spans.len(),
                width,
                "{name}: a row of {} strings",
                spans.len()
            );
            let spans: Vec<String> = spans.iter().map(|(s, l)| format!("({s}, {l})")).collect();
            let _ = writeln!(out, "    [{}],", spans.join(", "));
        }
        out.push_str("];\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Repeated strings are stored once, every range reads its string back from the
    /// text, and the emitted text is the concatenation of the strings as Rust literals.
    #[test]
    fn ranges_read_the_strings_back_and_repeats_are_stored_once() {
        let rows = [
            ["AWS::A::B.Arn", "^arn:[^:]+:.+", "arn"],
            ["AWS::A::C.Id", "^c-\"\\d\u{7f}\0", "schema"],
            ["AWS::A::D.Arn", "^arn:[^:]+:.+", "arn"],
        ];
        let mut table = TextTable::new();
        for row in &rows {
            table.row(row);
        }
        for (row, spans) in rows.iter().zip(&table.rows) {
            for (s, &(start, len)) in row.iter().zip(spans) {
                assert_eq!(&table.text[start..start + len], *s);
            }
        }
        assert_eq!(table.rows[0][1], table.rows[2][1]);
        assert_eq!(table.rows[0][2], table.rows[2][2]);
        let distinct: usize = ["AWS::A::B.Arn", "^arn:[^:]+:.+", "arn"]
            .iter()
            .chain(&rows[1])
            .chain(&rows[2][..1])
            .map(|s| s.len())
            .sum();
        assert_eq!(table.text.len(), distinct);
        let out = table.emit("T", 3, "Doc.");
        assert!(out.contains("pub(crate) static T: &[[(u32, u32); 3]] = &["));
        assert!(out.contains("\"^c-\\\"\\\\d\\u{7f}\\0\""), "{out}");
        assert!(out.contains("/// Doc.\n"));
        let last = table.rows[2]
            .iter()
            .map(|(s, l)| format!("({s}, {l})"))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(out.contains(&format!("    [{last}],\n")), "{out}");
    }
}
