//! The narrow seam between the deployer's decisions and AWS.
//!
//! Everything the deployer asks CloudFormation, S3, STS or IAM goes through the traits in
//! [`seam`], with plain data types from [`model`]. The real implementation ([`sdk`]) is a thin
//! translation onto the AWS SDKs; tests script the traits instead, so every stack state the
//! emulator cannot reproduce is still exercised.

pub mod answers;
pub mod answers_services;
pub mod error;
pub mod halt;
pub mod identity;
pub mod lambda;
pub mod logs;
pub mod model;
pub mod pages;
pub mod retry;
pub mod sdk;
pub mod sdk_error;
mod sdk_iam;
mod sdk_staging;
pub mod seam;
pub mod status;
pub mod token;
