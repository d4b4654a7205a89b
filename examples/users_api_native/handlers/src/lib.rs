//! The compiled Lambda handlers of the `users_api_native` example: the tutorial's two Go
//! handlers ("Lambda Function with Go" and "Lambda with S3 Event Trigger"), written in Rust
//! because this project has no Go toolchain.
//!
//! Each handler is split the same way, so that everything worth testing runs without AWS:
//!
//! - plain functions make every decision (parse and validate a body, build a response, pick
//!   the branch for a content type, decode an event's object key);
//! - the one AWS call each handler makes goes through a small trait ([`create_user::UserStore`],
//!   [`s3_event::ObjectStore`]) whose real implementation wraps the SDK client, and whose test
//!   implementation is an in-memory fake;
//! - the binaries in `src/bin/` only read the environment, build the SDK client and hand the
//!   handler to `lambda_runtime`.
//!
//! The binaries are the `bootstrap` executables of a `provided.al2023` function: the
//! example declares them with `Code::rust_bin`, and `nephos synth`/`deploy` build them
//! with cargo-zigbuild for Lambda's glibc (see ARCHITECTURE.md, "Rust handlers").

pub mod create_user;
pub mod s3_event;
