//! Typed values: literals, intrinsic functions and pseudo parameters.

pub(crate) mod condition;
pub(crate) mod dynamic_reference;
pub(crate) mod expr;
pub(crate) mod expr_map;
pub(crate) mod intrinsics;
pub mod kind;
pub(crate) mod merge_into;
pub(crate) mod object;
mod parts;
pub mod pseudo;
mod references;
pub(crate) mod shape;
pub(crate) mod sub;
mod union_kind;
#[allow(clippy::module_inception)]
pub(crate) mod value;
