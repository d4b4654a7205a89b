//! Reading files nephos did not write: only regular files (a FIFO or a device such as
//! `/dev/zero` would block or never end), and never more than a bound, so an untrusted path
//! can neither hang a command nor exhaust memory.
//!
//! The file type is checked on the opened handle, not on the path: a path checked first
//! and opened after could be swapped in between. The open itself must not block, so on
//! unix it is made with `O_NONBLOCK`: opening a FIFO for reading otherwise waits, without
//! bound, for a writer (open(2), fifo(7)). On a regular file the flag changes nothing.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The most a manifest or `nephos.json` may hold, in bytes: far above any real one.
pub const MAX_CONFIG_BYTES: u64 = 10_000_000;

/// The most an asset may hold, in bytes: 5 GB, the largest object one S3 `PutObject`
/// uploads ("Uploading objects", Amazon S3 User Guide), which is how assets are staged.
pub const MAX_ASSET_BYTES: u64 = 5_000_000_000;

/// Opens `path` for reading without blocking, and returns it only if the opened file is a
/// regular file.
///
/// # Errors
/// The file is missing or unreadable (the `io::Error`'s kind is kept, so callers can tell
/// `NotFound`), or it is not a regular file (`InvalidInput`: a FIFO, device, socket or
/// directory).
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or directory is never read)",
        ));
    }
    Ok(file)
}

/// Reads `path`, a regular file ([`open_regular`]), of at most `limit` bytes.
///
/// # Errors
/// Those of [`open_regular`], and `InvalidData` when the file is larger than `limit`.
pub fn read_bounded_bytes(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// Reads `path` as UTF-8 text of at most `limit` bytes.
///
/// # Errors
/// Those of [`read_bounded_bytes`], and `InvalidData` when the text is not UTF-8.
///
/// ```
/// use nephos_cli::source::bounded::read_bounded;
/// let e = read_bounded(std::path::Path::new("/no/such/nephos.json"), 100).unwrap_err();
/// assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
/// ```
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<String> {
    String::from_utf8(read_bounded_bytes(path, limit)?)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// A FIFO made with `mkfifo(1)` in `dir`, for tests that a reader refuses it at once.
#[cfg(all(test, unix))]
pub(crate) fn make_fifo(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
    path
}

/// Runs `f` on a thread and fails the test if it has not returned within 10 s: a reader
/// that blocks on a FIFO must fail the test, not hang it.
#[cfg(test)]
pub(crate) fn promptly<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("returned within 10 s (blocked on a FIFO?)")
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

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_not_waited_on() {
        let dir = std::env::temp_dir().join(format!("nephos-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let fifo = make_fifo(&dir, "pipe");
        // Through a symbolic link too: the opened file is what is checked.
        let link = dir.join("link");
        std::os::unix::fs::symlink(&fifo, &link).unwrap_or_default();
        for path in [fifo, link] {
            let e = promptly(move || read_bounded_bytes(&path, 100)).expect_err("FIFO");
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
