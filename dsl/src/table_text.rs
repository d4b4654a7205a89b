//! Reading the generated tables that hold no pointers (`kinds::SHAPES`, `kinds::NOT_ARNS`):
//! a row is an array of byte ranges `(start, length)` of the table's text, which
//! `nephos-codegen` writes (`dsl/codegen/src/text_table.rs`). A table of `&'static str`
//! would cost the loader one relocation per string at every start of a position-independent
//! app binary (about 7 300 for these two).

/// The string at the byte range `(start, length)` of `text`. The generator writes the
/// ranges from the text (the tests of the tables read every row back), so a range off the
/// text's boundaries cannot occur; it would read as empty rather than panic.
pub(crate) fn span(text: &'static str, (start, len): (u32, u32)) -> &'static str {
    let start = start as usize;
    text.get(start..start + len as usize).unwrap_or_default()
}

/// The bytes at the byte range `(start, length)` of `text`, for ordering: the tables are
/// sorted by their strings, and `str`'s order is its bytes' order. Cheaper than [`span`],
/// which checks the range falls on character boundaries, in a binary search's compares.
pub(crate) fn bytes(text: &'static str, (start, len): (u32, u32)) -> &'static [u8] {
    let start = start as usize;
    text.as_bytes()
        .get(start..start + len as usize)
        .unwrap_or_default()
}

/// The strings of one row of a table whose text is `text`.
pub(crate) fn row<const N: usize>(text: &'static str, row: &[(u32, u32); N]) -> [&'static str; N] {
    row.map(|range| span(text, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_their_strings_and_a_range_off_the_text_reads_empty() {
        let text = "AWS::KMS::KeyRefAWS::KMS::Key.Idé";
        assert_eq!(
            row(text, &[(0, 13), (13, 3), (16, 16)]),
            ["AWS::KMS::Key", "Ref", "AWS::KMS::Key.Id"]
        );
        assert_eq!(span(text, (32, 2)), "é");
        assert_eq!(span(text, (33, 1)), "", "inside a character");
        assert_eq!(span(text, (30, 9)), "", "past the end");
        assert_eq!(span(text, (u32::MAX, u32::MAX)), "");
        assert_eq!(bytes(text, (13, 3)), b"Ref");
        assert_eq!(bytes(text, (33, 1)), &"é".as_bytes()[1..]);
        assert_eq!(bytes(text, (30, 9)), b"");
    }

    /// Comparing bytes orders strings as comparing the strings does (the binary searches
    /// rely on it), across ASCII, multi-byte characters and prefixes.
    #[test]
    fn bytes_order_as_their_strings_do() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "é",
            "éa",
            "z",
            "\u{10000}",
            "Z",
            "AWS::A",
            "AWS::A::B",
        ];
        for a in words {
            for b in words {
                assert_eq!(a.as_bytes().cmp(b.as_bytes()), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
