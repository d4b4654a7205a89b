//! Substring search for the short, fixed needles synth looks for in every string it
//! checks (`${`, `{{resolve:`) or splits on (`::` of a type name, ` | ` of a kind's
//! formats). `str::find` with a `&str` needle sets up a two-way
//! searcher per call, a few hundred instructions before the first byte is read; most
//! strings hold no needle at all, so a scan for the needle's first byte (`memchr`, SIMD)
//! followed by a prefix comparison is far cheaper. Results are the
//! same as `str::find` and `str::match_indices`.

/// The byte position of the first occurrence of `needle` in `hay`, as `hay.find(needle)`.
/// `needle` is not empty.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay.as_bytes(), needle.as_bytes(), 0)
}

/// The positions of the non-overlapping occurrences of `needle` in `hay`, leftmost first,
/// as `hay.match_indices(needle).map(|(i, _)| i)`. `needle` is not empty.
pub(crate) fn positions<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = find_from(hay.as_bytes(), needle.as_bytes(), from)?;
        from = at + needle.len();
        Some(at)
    })
}

/// The pieces of `hay` between the occurrences of `needle`, as `hay.split(needle)`.
/// `needle` is not empty.
pub(crate) fn split<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut ends = positions(hay, needle);
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match ends.next() {
            Some(end) => {
                start = Some(end + needle.len());
                Some(&hay[from..end])
            }
            None => {
                start = None;
                Some(&hay[from..])
            }
        }
    })
}

/// The first occurrence of `needle` in `hay` at or after `from`. A match starts where
/// the needle's first byte is, which in UTF-8 text is never inside a character, so the
/// position is a character boundary of `hay`.
fn find_from(hay: &[u8], needle: &[u8], mut from: usize) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    while from < hay.len() {
        let at = from + memchr::memchr(first, &hay[from..])?;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every needle synth uses, in texts with none, one, several, adjacent and
    /// truncated occurrences and multi-byte characters: the same answers as `str`'s.
    #[test]
    fn finds_what_str_finds() {
        let texts = [
            "",
            "$",
            "${",
            "plain text",
            "a${b}c${d}",
            "$${{${x}",
            "${!literal} and ${AWS::Region}",
            "é${ü}ß{{resolve:ssm:p}}{{resolve:",
            "{{{resolve:ssm:x}}{{resolve:secretsmanager:y}}",
            "{{resolv",
            "ends with {",
            "AWS::Lambda::Function",
            "::a:::b::::",
            "x | y || z |  | ",
        ];
        for needle in ["${", "{{resolve:", "}}", "a", "::", " | "] {
            for text in texts {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
                assert_eq!(
                    positions(text, needle).collect::<Vec<_>>(),
                    text.match_indices(needle)
                        .map(|(i, _)| i)
                        .collect::<Vec<_>>(),
                    "{text:?} {needle:?}"
                );
                assert_eq!(
                    split(text, needle).collect::<Vec<_>>(),
                    text.split(needle).collect::<Vec<_>>(),
                    "{text:?} {needle:?}"
                );
            }
        }
    }

    /// Overlapping occurrences count once, leftmost first, as `match_indices` does.
    #[test]
    fn occurrences_do_not_overlap() {
        assert_eq!(positions("aaaa", "aa").collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(positions("aaa", "aa").collect::<Vec<_>>(), vec![0]);
    }
}
