//! JSON strings written byte for byte as `serde_json` writes them, faster.
//!
//! serde_json escapes exactly `"`, `\` and the control bytes below 0x20 (its `ESCAPE` table
//! and `write_char_escape` in `ser.rs`, serde_json 1.0): `\"`, `\\`, `\b`, `\f`, `\n`,
//! `\r`, `\t`, and `\u00xx` (lower-case hex) for the other control bytes; every other byte,
//! non-ASCII included, is copied. It looks each byte up in a table; here the text is
//! scanned eight bytes at a time and copied in runs. A template's strings are mostly keys
//! and IDs with nothing to escape, but inline function code is kilobytes with newlines and
//! quotes, written twice (the template and the content-addressed ID's document).

/// Eight copies of the byte `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The bytes of the little-endian word `w` that need escaping, as the high bit of each
/// byte: the lowest set bit marks the first such byte exactly (the "has a zero byte" and
/// "has a byte below n" word tricks, n = 0x20 at most 0x80 as they require; a borrow can
/// only mark bytes after a true one, never before).
fn escape_mask(w: u64) -> u64 {
    let below = |v: u64, n: u8| v.wrapping_sub(splat(n)) & !v & splat(0x80);
    below(w, 0x20) | below(w ^ splat(b'"'), 1) | below(w ^ splat(b'\\'), 1)
}

/// The index in `bytes` of the first byte at or after `from` that needs escaping, if any,
/// found eight bytes at a time.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let n = rest.len().min(8);
        // A short last word is padded with a byte that needs no escape.
        let mut word = [b'a'; 8];
        word[..n].copy_from_slice(&rest[..n]);
        let mask = escape_mask(u64::from_le_bytes(word));
        if mask != 0 {
            return Some(i + (mask.trailing_zeros() / 8) as usize);
        }
        i += n;
    }
    None
}

/// Writes `s` as a quoted JSON string, as `serde_json::to_writer(out, s)` does.
pub(crate) fn write(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `run` is where the bytes not yet copied start.
    let mut run = 0;
    while let Some(at) = next_special(bytes, run) {
        out.extend_from_slice(&bytes[run..at]);
        escape(out, bytes[at]);
        run = at + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// serde_json's escape of one special byte.
fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the byte `b` needs escaping, byte by byte.
    fn special(b: u8) -> bool {
        b < 0x20 || b == b'"' || b == b'\\'
    }

    fn written(s: &str) -> String {
        let mut out = vec![b'x'];
        write(&mut out, s);
        String::from_utf8(out).expect("UTF-8")
    }

    /// Every ASCII character and a few non-ASCII ones, alone and at every offset of an
    /// eight-byte word among plain and non-ASCII text, are written as serde_json writes
    /// them; so are runs of specials and long texts.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend(['ü', '€', '\u{1F600}', '\u{7f}', '\u{80}']);
        let mut cases: Vec<String> = vec![
            String::new(),
            "Resources".into(),
            "\"\"\\\\\n\n\u{1}\u{1f}".into(),
            include_str!("canonical.rs").into(),
        ];
        for c in &chars {
            for before in 0..17 {
                cases.push(format!(
                    "{}{c}{}",
                    "a".repeat(before),
                    "é".repeat(before % 5)
                ));
                cases.push(format!("{}{c}{c}z", "ü".repeat(before)));
            }
        }
        for s in &cases {
            let want = format!(
                "x{}",
                serde_json::to_string(s).expect("a string serializes")
            );
            assert_eq!(written(s), want, "{s:?}");
        }
    }

    /// The first special byte found by words is the first found byte by byte, for every
    /// byte at every position of a word among plain bytes and among specials, scanning from
    /// every offset.
    #[test]
    fn the_word_scan_finds_the_first_special_byte() {
        for b in 0..=u8::MAX {
            for at in 0..12 {
                for fill in [b'a', 0xff, b'!', b'#', b'[', b']', 0x1f, b'"'] {
                    let mut text = [fill; 12];
                    text[at] = b;
                    for from in 0..=text.len() {
                        let want = text[from..].iter().position(|&c| special(c));
                        assert_eq!(
                            next_special(&text, from),
                            want.map(|p| from + p),
                            "byte {b:#x} at {at} among {fill:#x}, from {from}"
                        );
                    }
                }
            }
        }
    }
}
