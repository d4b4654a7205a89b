//! A handler zip used where its sources are not: an assembly synthesized on one machine
//! (CI) and deployed from another.
//!
//! Nothing can be rebuilt or re-hashed there, so the zip is checked against what the
//! assembly recorded about its bytes when the deployer wrote it: the manifest's
//! `zipSha256` ([`nephos::assembly::Asset::zip_sha256`], see [`super::ensure_built`]). A
//! zip copied into `assets/` by other means, or left by a nephos that recorded nothing, is
//! refused. A moved or deleted checkout looks the same as a carried assembly, so this check
//! is what keeps a planted zip out of its deploy (issue 15, atk finding 7's edge).
//!
//! What it does not stop: whoever can write the manifest can record any zip's hash. The
//! manifest already decides every template and stack that deploys, and the assembly is the
//! user's own output directory; a zip is held to the trust the rest of the assembly has.

use std::io::Read;
use std::path::Path;

use nephos::assembly::{Asset, RustBuild};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::bounded::{MAX_ASSET_BYTES, open_regular};

/// Refuses the zip at `dest` for `asset` (built by `recipe`, whose workspace is not on
/// this machine) unless its SHA-256 is the one the manifest records.
///
/// # Errors
/// No regular file at `dest` (or one larger than [`MAX_ASSET_BYTES`]), no hash recorded, or
/// another hash: each names the zip and the way on, synthesizing where the sources are.
pub fn check(asset: &Asset, recipe: &RustBuild, dest: &Path) -> Result<()> {
    let what = format!(
        "the zip of {} (package {}) at {}",
        escape_line(&recipe.bin),
        escape_line(&recipe.package),
        escape_line(&dest.to_string_lossy())
    );
    let elsewhere = format!(
        "its sources ({}) are not on this machine to build it again",
        escape_line(&recipe.workspace)
    );
    let next = format!(
        "synthesize again (`nephos synth`) on a machine with the handler's sources and carry the whole assembly directory here, or run nephos where {} is",
        escape_line(&recipe.workspace)
    );
    let actual = sha256_file(dest)
        .map_err(|e| Error::with_next(format!("cannot read {what}: {e}; {elsewhere}"), &next))?;
    match &asset.zip_sha256 {
        Some(recorded) if *recorded == actual => Ok(()),
        Some(recorded) => Err(Error::with_next(
            format!(
                "{what} is not the zip nephos built: its SHA-256 is {actual}, the manifest records {}; {elsewhere}",
                escape_line(recorded)
            ),
            next,
        )),
        None => Err(Error::with_next(
            format!(
                "{what} is not one nephos recorded building (the manifest holds no zipSha256 for it), so it cannot be told from a zip put there by other means; {elsewhere}"
            ),
            next,
        )),
    }
}

/// The lower-case hex SHA-256 of the regular file at `path`, read in pieces (a zip may be
/// large) and at most [`MAX_ASSET_BYTES`].
///
/// # Errors
/// Those of [`open_regular`], a read error, or a file larger than the bound.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let file = open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut limited = file.take(MAX_ASSET_BYTES.saturating_add(1));
    let mut buf = vec![0u8; 1 << 16];
    let mut total: u64 = 0;
    loop {
        let n = limited.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    if total > MAX_ASSET_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {MAX_ASSET_BYTES} bytes"),
        ));
    }
    Ok(crate::deploy::staging::hex(&hasher.finalize()))
}
