//! `nephos logs`: a function's CloudWatch logs, found from its stack.
//!
//! [`group`] finds the log group from the deployed stack (its resources and template, both
//! untrusted: every name is checked before it is used), [`since`] parses `--since`, and
//! [`tail`] reads the events page by page (bounded) and follows them.

pub mod group;
pub mod since;
pub mod tail;
