//! Handles to declared conditions.

use crate::value::expr::Target;

/// A declared condition. [`fn_if`](crate::fn_if) and
/// [`ResourceOptions::condition`](crate::ResourceOptions::condition) take only this handle,
/// so an undeclared condition cannot be named.
///
/// ```
/// use nephos::{Stack, equals};
/// let mut stack = Stack::new("App");
/// let is_us = stack.condition("InUsEast1", equals(nephos::aws::region(), "us-east-1"));
/// assert_eq!(is_us.logical_id(), "InUsEast1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub(crate) target: Target,
}

impl Condition {
    /// The condition's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.target.id
    }
}
