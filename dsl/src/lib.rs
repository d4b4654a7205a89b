//! nephos: infrastructure as typed Rust.
//!
//! Describe AWS stacks with typed handles and values; nephos compiles them to
//! deterministic CloudFormation JSON and a cloud assembly the `nephos` command deploys.
//!
//! ```
//! use nephos::{App, Output, Parameter, RawResource, Stack, StackSettings, Value, kind::Str, sub};
//!
//! let mut stack = Stack::new("Queues");
//! let env = stack.parameter("Environment", Parameter::string().allowed_values(["dev", "prod"]).default("dev"));
//! let queue = stack.add("Jobs", RawResource::new("AWS::SQS::Queue").property("QueueName", sub!("jobs-${env}", env = &env)));
//! let arn: Value<Str> = queue.get_att("Arn");
//! stack.output("JobsArn", Output::new(arn).export("jobs-arn"));
//!
//! let template = stack.synth().expect("valid stack");
//! assert_eq!(template.json()["Resources"]["Jobs"]["Properties"]["QueueName"],
//!            serde_json::json!({"Fn::Sub": "jobs-${Environment}"}));
//! ```
//!
//! Typed resources: one module per service namespace of the CloudFormation registry
//! (`nephos::ec2::SecurityGroup`, `nephos::cognito::UserPool`...), each behind the cargo
//! feature of the same name (the list: `FEATURES.md` in the crate; `all` enables every
//! one). The reference kinds in [`kinds`] are always compiled, so a property that refers to
//! another service's resource takes exactly that resource's typed value.
#![warn(missing_docs)]
// On docs.rs (`--cfg docsrs`, nightly): each feature-gated item shows its features.
// `doc_cfg` marks them by itself since rust-lang/rust#138907 merged `doc_auto_cfg` into it
// (naming `doc_auto_cfg` now fails the docs build).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod app;
pub mod assertions;
mod asset;
mod check;
mod conditional_attributes_data;
// Always compiled: each construct inside is gated on the service features it needs. The
// helpers they share are partly unused when a default service is off; the full default
// build is the one linted with `-D warnings`.
#[cfg_attr(
    not(all(
        feature = "lambda",
        feature = "apigateway",
        feature = "dynamodb",
        feature = "s3",
        feature = "sns",
        feature = "sqs",
        feature = "iam",
        feature = "logs"
    )),
    allow(dead_code, unused_imports, unused_variables, unreachable_code)
)]
pub mod constructs;
mod diagnostic;
pub mod facts;
mod facts_data;
mod fast_hash;
mod generated;
mod identity_facts;
mod partition;
pub mod policy;
mod stack;
mod synth;
mod table_text;
mod text;
mod value;

pub use app::app::{App, AppError, Assembly, DEFAULT_OUTDIR, OUTDIR_ENV};
pub use app::assembly;
pub use app::settings::StackSettings;
pub use asset::{Asset, AssetRef, KeyCoverage, LAMBDA_GLIBC, RustBin};
pub use check::{Check, Constraint, StringFormat};
pub use diagnostic::{Deferred, Diagnostic, Location, Section, Severity, SynthError};
pub use stack::condition::Condition;
pub use stack::content_id::Snapshot;
pub use stack::derived::Derived;
pub use stack::extend::EditError;
pub use stack::handle::{FromRef, Handle, ResourceRef};
pub use stack::home::Reach;
pub use stack::logical_id::MAX_LOGICAL_ID_LEN;
pub use stack::mapping::{Mapping, MappingRef};
pub use stack::output::{Output, OutputKind, OutputRef};
pub use stack::parameter::{AwsParameterKind, AwsParameterType, Param, Parameter};
pub use stack::props::{Props, PropsBuilder};
pub use stack::raw::RawResource;
pub use stack::ref_state::{self, RefState};
pub use stack::resource::{
    Construct, DeletionPolicy, Resource, ResourceOptions, UpdateReplacePolicy,
};
pub use stack::rule::{Rule, rules};
pub use stack::stack::{Stack, Transform};
pub use synth::limits;
pub use synth::security;
pub use synth::template::{Resolved, Template};
pub use value::condition::{CondExpr, and, equals, fn_if, not, or};
pub use value::intrinsics::{
    NonNegativeInt, base64, cidr, get_azs, import_value, join, length, select, split, split_as,
    to_json_string,
};
pub use value::kind;
pub use value::pseudo as aws;
pub use value::sub::sub;
// What the `sub!` macro expands to for a literal template; not for use by hand.
#[doc(hidden)]
pub use value::sub::{SubPlan as __SubPlan, sub_planned as __sub_planned};
pub use value::value::{IntoValue, Value};
// The generated resource types: `nephos::kinds` always, one module per service feature.
pub use generated::*;
#[doc(hidden)]
pub use value::object::{array_value as __array_value, object_value as __object_value};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
