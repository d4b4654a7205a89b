//! The synth-speed bench of nephos lives in `benches/users_api_scaled.rs`; the stack it
//! measures is the example `examples/users_api_scaled.rs`. This package has no library
//! code: it exists so that a release build of the bench compiles only the nephos library
//! (see `Cargo.toml`).
