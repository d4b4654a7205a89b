//! Whether a file already holds given bytes, compared piece by piece.
//!
//! Re-synthesizing an unchanged app writes nothing but its manifest: each template and
//! asset is compared with the file there first. Reading the file whole would put a second
//! copy of a large template (hundreds of KB) or archive (MBs) on the heap for the
//! comparison; read in pieces into one buffer on the stack, the heap stays as synth left
//! it and the comparison stops at the first difference.

use std::io::{self, Read};
use std::path::Path;

/// The size of each piece read: a few system calls for a large template.
const PIECE: usize = 32 * 1024;

/// Whether the file at `path` holds exactly `bytes` (a link is followed: callers check
/// the path's kind first). `Ok(false)` at the first differing piece or a length that
/// differs; an error when the file cannot be opened or read.
pub(super) fn file_holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let mut piece = [0u8; PIECE];
    for want in bytes.chunks(PIECE) {
        let got = &mut piece[..want.len()];
        match file.read_exact(got) {
            Ok(()) if got == want => {}
            Ok(()) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    // Nothing past the bytes: a longer file differs.
    match file.read_exact(&mut piece[..1]) {
        Ok(()) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(true),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::{PIECE, file_holds};

    /// Every answer agrees with comparing the whole file: equal, one byte changed at a
    /// piece's edges and in its middle, shorter, longer, empty, and sizes around a piece.
    #[test]
    fn agrees_with_reading_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("nephos-same-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let mut checked = 0;
        for len in [0, 1, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 17] {
            let want: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let mut variants: Vec<Vec<u8>> = vec![want.clone()];
            for at in [
                0,
                PIECE - 1,
                PIECE,
                PIECE + 1,
                len / 2,
                len.saturating_sub(1),
            ] {
                if at < len {
                    let mut v = want.clone();
                    v[at] ^= 0x55;
                    variants.push(v);
                }
            }
            variants.push(want[..len.saturating_sub(1)].to_vec());
            let mut longer = want.clone();
            longer.push(b'x');
            variants.push(longer);
            variants.push(Vec::new());
            for on_disk in &variants {
                std::fs::write(&path, on_disk).unwrap();
                assert_eq!(
                    file_holds(&path, &want).unwrap(),
                    *on_disk == want,
                    "len {len}, on disk {} bytes",
                    on_disk.len()
                );
                checked += 1;
            }
        }
        assert!(checked > 40);
        assert!(file_holds(&dir.join("missing"), b"").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
