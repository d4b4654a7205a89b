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

/// Whether any of the eight bytes of `w` needs escaping. Exact (no false positives): each
/// test is the standard "has a zero byte" / "has a byte below n" word trick, with n = 0x20
/// at most 0x80 as that trick requires.
fn needs_escape(w: u64) -> bool {
    let below = |v: u64, n: u8| v.wrapping_sub(splat(n)) & !v & splat(0x80);
    (below(w, 0x20) | below(w ^ splat(b'"'), 1) | below(w ^ splat(b'\\'), 1)) != 0
}

/// Whether the byte `b` needs escaping.
fn special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Writes `s` as a quoted JSON string, as `serde_json::to_writer(out, s)` does.
pub(crate) fn write(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `run` is where the bytes not yet copied start.
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if special(b) {
            out.extend_from_slice(&bytes[run..i]);
            escape(out, b);
            run = i + 1;
        }
        i += 1;
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

    /// The word test agrees with the byte test on every byte in every position.
    #[test]
    fn the_word_test_agrees_with_the_byte_test() {
        for b in 0..=u8::MAX {
            for at in 0..8 {
                for fill in [b'a', 0xff, b'!', b'#', b'[', b']'] {
                    let mut word = [fill; 8];
                    word[at] = b;
                    assert_eq!(
                        needs_escape(u64::from_ne_bytes(word)),
                        special(b) || special(fill),
                        "byte {b:#x} at {at} among {fill:#x}"
                    );
                }
            }
        }
    }
}
