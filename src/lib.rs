//! The nephos project's own package: it owns the example stacks under `examples/` and the
//! integration tests under `tests/`. Nothing here is published.
