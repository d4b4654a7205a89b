//! [`LateCheck`]: a check a construct or a grant leaves for synth, when what it depends
//! on can still change after the call that made it (a route's authorization set after
//! a grant to call it), so it must read the stack's final resources. A construct written
//! outside nephos leaves one the same way.

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::synth::template::Resolved;

/// The check's function: the diagnostics it finds in the resolved resources (their
/// properties after overrides).
type CheckFn = dyn Fn(&[Resolved<'_>]) -> Vec<Diagnostic> + Send + Sync;

/// A check run at synth over the final resources, recorded with
/// [`Stack::check_at_synth`](crate::stack::stack::Stack::check_at_synth).
#[derive(Clone)]
pub(crate) struct LateCheck(pub(crate) Arc<CheckFn>);

impl std::fmt::Debug for LateCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LateCheck")
    }
}
