//! The offline template diff: what changes between the deployed template and the new one,
//! per resource and property, with a replacement prediction and an IAM/security delta.
//!
//! Computing ([`compute`], [`security`]) is apart from showing ([`render`]), and both are
//! pure functions of two parsed templates, so `nephos diff` needs no network beyond
//! `GetTemplate` and runs in milliseconds.

pub mod compute;
pub mod facts;
pub mod model;
pub mod reconcile;
pub mod render;
pub mod security;
pub mod value;

pub use compute::diff_templates;
pub use model::{
    ChangeKind, PropertyChange, Replacement, ResourceDiff, SectionChange, TemplateDiff,
};
