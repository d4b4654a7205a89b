//! [`Configure`]: the escape hatch from a construct to the generated builders it creates.
//!
//! Every construct holds its main generated builder (`nephos::lambda::Function` for
//! [`Function`](crate::constructs::Function)...) and offers `.configure(|l1| ...)`; a
//! construct that creates more resources offers a hatch for each (`configure_role`,
//! `configure_log_group`). What ends up in the template is decided in this order, each
//! step winning over the ones before it:
//!
//! 1. the construct's defaults (computed when it is added, only for what is not set),
//! 2. the construct's options (`.memory(256)`, `.name(...)`), written into the builder,
//! 3. the `configure` closures, in the order they were given,
//! 4. [`ResourceOptions::override_property`](crate::ResourceOptions::override_property)
//!    on the added resource, applied at synth.
//!
//! The closures see and return the typed builder, so every property they set is checked
//! like a user's. A closure is kept until the construct is added (a construct can be
//! cloned and added twice, so it takes `Fn`, not `FnOnce`: clone captured values inside;
//! `Send + Sync`, so constructs stay `Send + Sync` like the stack).

use std::fmt;
use std::sync::Arc;

/// The `configure` closures of one generated builder, applied in the order given.
///
/// A construct written outside nephos can hold one the same way the built-in ones do:
///
/// ```
/// use nephos::constructs::Configure;
/// let mut hatch: Configure<nephos::sqs::Queue> = Configure::new();
/// hatch.push(|q| q.delay_seconds(5));
/// let q = hatch.apply(nephos::sqs::Queue::new());
/// # use nephos::PropsBuilder;
/// assert_eq!(q.props().get_json("DelaySeconds"), Some(serde_json::json!(5)));
/// ```
pub struct Configure<T> {
    steps: Vec<Arc<dyn Fn(T) -> T + Send + Sync>>,
}

impl<T> Configure<T> {
    /// No closure.
    pub fn new() -> Self {
        Configure { steps: Vec::new() }
    }

    /// Adds a closure, applied after the ones already given.
    pub fn push(&mut self, step: impl Fn(T) -> T + Send + Sync + 'static) {
        self.steps.push(Arc::new(step));
    }

    /// `builder` passed through every closure in order.
    pub fn apply(&self, builder: T) -> T {
        self.steps.iter().fold(builder, |b, step| step(b))
    }
}

impl<T> Default for Configure<T> {
    fn default() -> Self {
        Configure::new()
    }
}

impl<T> Clone for Configure<T> {
    fn clone(&self) -> Self {
        Configure {
            steps: self.steps.clone(),
        }
    }
}

impl<T> fmt::Debug for Configure<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Configure({} closures)", self.steps.len())
    }
}
