//! `deploy --hotswap`: updating Lambda functions in place through the Lambda API when the
//! only changes are their code, environment or configuration; everything else goes through
//! the normal deploy.
//!
//! [`plan`] decides (a pure function of the two templates and the deployed stack),
//! [`apply`] reads the stack, stages the assets and runs the updates through the
//! [`crate::cfn::lambda::Lambda`] seam, waiting for each to settle.

pub mod apply;
pub mod dynamic;
pub mod plan;
pub mod reconcile;
pub mod resolve;
pub mod unsettled;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_marked;
#[cfg(test)]
mod tests_next_steps;
#[cfg(test)]
mod tests_reconcile;
#[cfg(test)]
mod tests_withheld;
