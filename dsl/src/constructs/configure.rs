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

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;

/// A property of a generated builder that a construct derives other things from (a
/// log group's name, a grant's ARN or key, a permission's source) when it is added: a
/// `configure` closure that changes it would leave those things computed from the old
/// value, so [`Configure::apply_owning`] refuses the change at synth and names the
/// construct's option that sets it with everything derived from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owned {
    /// The CloudFormation property, such as `FunctionName`.
    pub property: &'static str,
    /// The part of it derived from, as a JSON pointer into its value (`""`: all of it),
    /// such as `/KMSMasterKeyId` of `SSESpecification`.
    pub pointer: &'static str,
    /// The construct's option that sets it, such as `name`.
    pub option: &'static str,
    /// What the construct derives from it, such as "the log group's name".
    pub derives: &'static str,
    /// The way on when no option of the construct sets it (see [`Owned::fixed`]).
    pub fix: Option<&'static str>,
}

impl Owned {
    /// `property`, set with the construct's `.option()`, from which it derives `derives`.
    pub const fn new(property: &'static str, option: &'static str, derives: &'static str) -> Self {
        Owned {
            property,
            pointer: "",
            option,
            derives,
            fix: None,
        }
    }

    /// `property`, which no option of the construct sets (it is fixed, such as an HTTP
    /// API's `$default` stage name), from which it derives `derives`; `fix` is the way on
    /// the error gives instead of an option, such as "add a stage of your own".
    ///
    /// ```
    /// use nephos::constructs::configure::Owned;
    /// const STAGE: Owned = Owned::fixed("StageName", "the API's URL", "add a stage of your own");
    /// assert_eq!(STAGE.fix, Some("add a stage of your own"));
    /// ```
    pub const fn fixed(property: &'static str, derives: &'static str, fix: &'static str) -> Self {
        Owned {
            property,
            pointer: "",
            option: "",
            derives,
            fix: Some(fix),
        }
    }

    /// Only the part of the property at `pointer` (a JSON pointer into its value) is
    /// derived from; the rest may be changed by `configure`.
    pub const fn at(mut self, pointer: &'static str) -> Self {
        self.pointer = pointer;
        self
    }

    fn read<T: PropsBuilder>(&self, builder: &T) -> Option<serde_json::Value> {
        let value = builder.props().get_json(self.property)?;
        value.pointer(self.pointer).cloned()
    }
}

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

    /// Whether no closure was given.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

impl<T: PropsBuilder> Configure<T> {
    /// `builder` passed through every closure in order, refusing (a synth error on the
    /// resource `id`, naming the property and the option to use) any change to an
    /// [`Owned`] property: the construct has already derived other things from it.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Configure, configure::Owned};
    /// const OWNED: &[Owned] = &[Owned::new("KmsMasterKeyId", "kms_key", "the grants' KMS key")];
    /// let mut stack = Stack::new("App");
    /// let mut hatch: Configure<nephos::sqs::Queue> = Configure::new();
    /// hatch.push(|q| q.kms_master_key_id("alias/other"));
    /// let q = hatch.apply_owning(&mut stack, "Jobs", nephos::sqs::Queue::new(), OWNED);
    /// stack.add("Jobs", q);
    /// let err = stack.synth().unwrap_err().to_string();
    /// assert!(err.contains("KmsMasterKeyId") && err.contains(".kms_key()"), "{err}");
    /// ```
    pub fn apply_owning(&self, stack: &mut Stack, id: &str, builder: T, owned: &[Owned]) -> T {
        if self.steps.is_empty() {
            return builder;
        }
        let before: Vec<_> = owned.iter().map(|o| o.read(&builder)).collect();
        let after = self.apply(builder);
        for (o, before) in owned.iter().zip(before) {
            if o.read(&after) != before {
                stack.problem(Diagnostic::error(
                    Location::property(id, o.property),
                    format!(
                        "`configure` changed {}{} of `{id}`, but the construct derives {} from the value it set itself, which would then be wrong",
                        o.property, o.pointer, o.derives
                    ),
                    match o.fix {
                        Some(fix) => fix.to_string(),
                        None => format!(
                            "set {} with the construct's `.{}()` instead of `configure`",
                            o.property, o.option
                        ),
                    },
                ));
            }
        }
        after
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
