//! Local assets: files and directories packaged into the assembly, uploaded by the
//! deployer to the staging bucket, and referred to by content hash.

pub(crate) mod source;
pub(crate) mod zip;

pub use source::{Asset, AssetRef};
