//! nephos deployer library.
