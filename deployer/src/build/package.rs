//! Deterministic packaging of a Lambda `bootstrap` with the `zip` crate: one entry,
//! a fixed timestamp, mode 0755, deflated. Same binary in, same bytes out, so the zip a
//! cache holds and the one a rebuild makes are interchangeable.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The entry name Lambda's OS-only runtimes execute.
pub const BOOTSTRAP: &str = "bootstrap";

/// Zips `binary` as an executable `bootstrap`. The timestamp is the format's earliest
/// (1980-01-01 00:00), so the build time never reaches the bytes.
pub fn zip_bootstrap(binary: &[u8]) -> Result<Vec<u8>, String> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o755);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(BOOTSTRAP, options)
        .map_err(|e| format!("cannot zip the bootstrap: {e}"))?;
    zip.write_all(binary)
        .map_err(|e| format!("cannot zip the bootstrap: {e}"))?;
    let cursor = zip
        .finish()
        .map_err(|e| format!("cannot zip the bootstrap: {e}"))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_same_binary_zips_to_the_same_bytes() {
        let binary: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let first = zip_bootstrap(&binary).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = zip_bootstrap(&binary).unwrap();
        assert_eq!(first, second, "two packagings of one binary differ");
        assert_ne!(first, zip_bootstrap(b"other").unwrap());
    }

    #[test]
    fn the_entry_is_an_executable_bootstrap_holding_the_binary() {
        let binary = b"\x7fELF pretend".repeat(1000);
        let bytes = zip_bootstrap(&binary).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name().unwrap(), "bootstrap");
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        let mut out = Vec::new();
        entry.read_to_end(&mut out).unwrap();
        assert_eq!(out, binary);
    }
}
