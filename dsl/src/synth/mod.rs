//! Synthesis: validation, the canonical JSON writer and limits.

pub(crate) mod api_keys;
pub(crate) mod by_type;
pub(crate) mod canonical;
pub(crate) mod checks;
pub(crate) mod combinations;
pub(crate) mod cors_preflight;
pub(crate) mod dead_letter_retention;
pub(crate) mod depth;
pub(crate) mod graph;
pub(crate) mod inherit;
pub(crate) mod lambda_runtimes;
pub(crate) mod lambda_vpc;
pub mod limits;
pub(crate) mod literals;
pub(crate) mod note;
pub(crate) mod path;
pub(crate) mod presence;
pub(crate) mod provisioned_concurrency;
pub(crate) mod reach;
pub(crate) mod registry;
pub mod security;
pub mod semantic;
pub(crate) mod set_count;
pub(crate) mod tags;
pub(crate) mod template;
pub(crate) mod unique;
