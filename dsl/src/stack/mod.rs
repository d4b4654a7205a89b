//! The stack model: template sections, handles and resource attributes.

pub(crate) mod condition;
pub(crate) mod content_id;
pub(crate) mod derived;
pub(crate) mod extend;
pub(crate) mod handle;
pub(crate) mod home;
mod index;
mod inspect;
pub(crate) mod late_check;
pub(crate) mod logical_id;
pub(crate) mod mapping;
pub(crate) mod output;
pub(crate) mod parameter;
pub(crate) mod props;
pub(crate) mod raw;
pub mod ref_state;
pub(crate) mod resource;
pub(crate) mod rule;
pub(crate) mod split_policy;
#[allow(clippy::module_inception)]
pub(crate) mod stack;
