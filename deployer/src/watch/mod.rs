//! `nephos watch`: the pieces of the loop, each testable alone.
//!
//! [`filter`] decides which changed files count, [`events`] turns the file system's
//! events into debounced batches, [`queue`] decides when a run starts (one at a time,
//! changes during a run coalesced into one more), [`driver`] is the loop over those seams,
//! [`config`] reads `nephos.json` again before each run, and [`logs`] shows the functions' logs between runs. The command itself
//! (`commands::watch`) plugs `deploy` in as the runner.

pub mod cargo_config;
pub mod config;
pub mod driver;
pub mod events;
pub mod filter;
pub mod logs;
pub mod packages;
pub mod queue;
