//! nephos: infrastructure as typed Rust.
mod app;
pub use app::assembly;
