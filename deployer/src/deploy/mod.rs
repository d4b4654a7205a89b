//! The deployer's decisions: what to do in each stack state, when to ask for approval, how
//! to wait and how to explain a failure. It talks to AWS only through [`crate::cfn::seam`]
//! and reports through [`report::Reporter`], so it is tested with scripted fakes.

pub mod approval;
pub mod capabilities;
pub mod delete_check;
pub mod deployed;
pub mod destroy;
pub mod engine;
pub mod failure;
pub mod interrupt;
pub mod leftovers;
pub mod outcome;
pub mod policy;
pub mod poll;
pub mod report;
pub mod staging;
pub mod steps;
pub mod wait;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod tests;
