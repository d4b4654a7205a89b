//! What an asset is made from, and the reference a stack gets back.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::app::assembly::STAGING_BUCKET;
use crate::asset::zip::{Entry, archive};
use crate::value::expr::Expr;
use crate::value::kind::Str;
use crate::value::value::Value;

/// A local file or directory to ship with the stack, such as a Lambda function's code.
///
/// ```
/// use nephos::{Asset, Stack};
/// let dir = std::env::temp_dir().join("nephos-asset-doc");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("index.py"), "def handler(e, c): return 1\n").unwrap();
/// let mut stack = Stack::new("App");
/// let code = stack.asset(Asset::directory(&dir));
/// assert!(code.key().to_json().as_str().unwrap().starts_with("assets/"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Directory(PathBuf),
    File {
        path: PathBuf,
        name: String,
        executable: bool,
    },
    Zip(PathBuf),
}

impl Asset {
    /// Every file below `dir`, zipped with paths relative to it.
    pub fn directory(dir: impl AsRef<Path>) -> Self {
        Asset {
            kind: Kind::Directory(dir.as_ref().to_path_buf()),
        }
    }

    /// One file, zipped under its own name.
    pub fn file(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        Asset {
            kind: Kind::File {
                path,
                name,
                executable: false,
            },
        }
    }

    /// A prebuilt executable (a Rust or Go binary), zipped as `bootstrap` for Lambda's
    /// `provided.al2023` runtime.
    pub fn bootstrap(path: impl AsRef<Path>) -> Self {
        Asset {
            kind: Kind::File {
                path: path.as_ref().to_path_buf(),
                name: "bootstrap".to_string(),
                executable: true,
            },
        }
    }

    /// A zip archive made elsewhere, shipped as it is.
    pub fn zip(path: impl AsRef<Path>) -> Self {
        Asset {
            kind: Kind::Zip(path.as_ref().to_path_buf()),
        }
    }

    /// The path the asset is read from.
    pub fn path(&self) -> &Path {
        match &self.kind {
            Kind::Directory(p) | Kind::Zip(p) | Kind::File { path: p, .. } => p,
        }
    }

    /// Reads and packages the asset: the archive's bytes.
    pub(crate) fn package(&self) -> Result<Vec<u8>, String> {
        let read =
            |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
        match &self.kind {
            Kind::Zip(p) => read(p),
            Kind::File {
                path,
                name,
                executable,
            } => Ok(archive(vec![Entry {
                name: name.clone(),
                data: read(path)?,
                executable: *executable || is_executable(path),
            }])),
            Kind::Directory(dir) => {
                let mut entries = Vec::new();
                collect(dir, dir, &mut entries)?;
                if entries.is_empty() {
                    return Err(format!("directory {} has no files", dir.display()));
                }
                Ok(archive(entries))
            }
        }
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<Entry>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let data =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            out.push(Entry {
                name,
                data,
                executable: is_executable(&path),
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

/// An asset packaged into a stack: where the deployer puts it, as template values.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetRef {
    pub(crate) sha256: String,
}

impl AssetRef {
    /// The lower-case hex SHA-256 of the packaged archive; for a [`RustBin`](crate::RustBin),
    /// of its sources and build recipe (the zip is built later, by the deployer).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The staging bucket's name (created by `nephos bootstrap`).
    pub fn bucket(&self) -> Value<Str> {
        crate::value::sub::sub(STAGING_BUCKET, [])
    }

    /// The object key: `assets/<sha256>.zip`.
    pub fn key(&self) -> Value<Str> {
        Value::from_expr(Expr::Lit(serde_json::Value::String(object_key(
            &self.sha256,
        ))))
    }
}

/// The object key (and assembly path) of an asset.
pub(crate) fn object_key(sha256: &str) -> String {
    format!("assets/{sha256}.zip")
}

/// Hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
