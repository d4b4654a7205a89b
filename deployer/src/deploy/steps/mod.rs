//! Deploying as a pipeline of steps that return values: settle the stack's state, plan
//! (stage, create and wait for the change set, build the review), gate (data loss,
//! approval) and apply (execute, follow). `nephos diff --change-set` is plan and discard;
//! `nephos deploy` runs them all, inside a [`scope::Scope`] whose cleanup every exit after
//! `CreateChangeSet` passes through.

pub mod apply;
pub mod baseline;
pub mod direct;
pub mod existing;
pub mod gate;
pub mod offline;
pub mod plan;
pub mod readback;
pub mod scope;
pub mod settle;
