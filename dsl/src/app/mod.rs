//! Apps and the cloud assembly they write.

#[allow(clippy::module_inception)]
pub(crate) mod app;
pub mod assembly;
mod asset_files;
mod install;
mod previous;
mod same_bytes;
pub(crate) mod settings;
