//! Synthesis: validation, the canonical JSON writer and limits.

pub(crate) mod canonical;
pub(crate) mod depth;
pub(crate) mod graph;
pub mod limits;
pub(crate) mod literals;
pub mod security;
pub mod semantic;
pub(crate) mod tags;
pub(crate) mod template;
pub(crate) mod validate;
