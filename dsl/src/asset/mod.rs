//! Local assets: files and directories packaged into the assembly, uploaded by the
//! deployer to the staging bucket, and referred to by content hash; and Rust binaries,
//! recorded as build recipes named by a hash of their sources.

pub(crate) mod bounded;
pub(crate) mod build_inputs;
pub(crate) mod build_tools;
pub(crate) mod cargo_config;
pub(crate) mod cargo_graph;
pub(crate) mod child;
pub(crate) mod declared;
pub(crate) mod package_files;
pub(crate) mod remap;
pub(crate) mod rust_bin;
pub(crate) mod source;
#[cfg(test)]
mod tests_cache_key;
#[cfg(test)]
mod tests_lock_key;
pub(crate) mod workspace_files;
pub(crate) mod zip;

pub use declared::KeyCoverage;
pub use rust_bin::{LAMBDA_GLIBC, RustBin};
pub use source::{Asset, AssetRef};
