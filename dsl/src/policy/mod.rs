//! Typed IAM policy documents, for every property that holds one (a role's trust policy,
//! inline and managed policies, key policies, queue, topic and bucket policies...).
//!
//! ```
//! use nephos::{IntoValue, Value};
//! use nephos::policy::{PolicyDocument, Principal, Statement};
//! let trust = PolicyDocument::new().statement(
//!     Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole"),
//! );
//! let trust: Value<PolicyDocument> = trust.into_value();
//! assert_eq!(
//!     trust.to_json(),
//!     serde_json::json!({"Version": "2012-10-17", "Statement": [{
//!         "Effect": "Allow", "Action": ["sts:AssumeRole"],
//!         "Principal": {"Service": ["lambda.amazonaws.com"]}
//!     }]})
//! );
//! ```

pub mod check;
mod document;
mod principal;
pub(crate) mod statement;

pub use document::PolicyDocument;
pub use principal::Principal;
pub use statement::{Effect, Statement};
