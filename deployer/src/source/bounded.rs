//! Reading files nephos did not write: only regular files (a FIFO or a device such as
//! `/dev/zero` would block or never end), and never more than a bound, so an untrusted path
//! can neither hang a command nor exhaust memory.

use std::io::Read;
use std::path::Path;

/// The most a manifest or `nephos.json` may hold, in bytes: far above any real one.
pub const MAX_CONFIG_BYTES: u64 = 10_000_000;

/// Reads `path` as UTF-8 text of at most `limit` bytes.
///
/// # Errors
/// The file is missing or unreadable (the `io::Error`'s kind is kept, so callers can tell
/// `NotFound`), not a regular file, larger than `limit`, or not UTF-8.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or directory is never read)",
        ));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_oversized_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("nephos-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let e = read_bounded(Path::new("/dev/zero"), 100).expect_err("device");
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_bounded(&dir, 100).expect_err("directory");
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let big = dir.join("big.json");
        std::fs::write(&big, "x".repeat(101)).unwrap_or_default();
        let e = read_bounded(&big, 100).expect_err("too big");
        assert!(e.to_string().contains("larger than 100 bytes"), "{e}");
        std::fs::write(&big, "x".repeat(100)).unwrap_or_default();
        assert_eq!(read_bounded(&big, 100).map(|s| s.len()).ok(), Some(100));
        let e = read_bounded(&dir.join("missing"), 100).expect_err("missing");
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
