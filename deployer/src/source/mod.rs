//! Where stacks come from: an app that writes a cloud assembly, an assembly directory, or a
//! single template file.

pub mod app;
pub mod assembly;
pub mod bounded;
pub mod config;
pub mod provenance;
pub mod staging;
pub mod template;
pub mod unique_json;
mod yaml;

pub use assembly::StackSource;

#[cfg(test)]
mod next_steps;
