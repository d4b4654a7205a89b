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
//!    on the added resource, applied at synth: for a property the construct (or a grant
//!    on it) derives something from, a synth error naming the property and the hatch to
//!    use (the derived parts were computed when added, so they cannot read it; see
//!    [`Stack::derived_from`](crate::Stack::derived_from)).
//!
//! A property the construct derives from is honoured or refused whether the construct
//! set it itself or left it unset (a named function writes to Lambda's default log
//! group: a `LoggingConfig.LogGroup` from `configure` is refused the same way).
//!
//! The closures see and return the typed builder, so every property they set is checked
//! like a user's. A closure is kept until the construct is added (a construct can be
//! cloned and added twice, so it takes `Fn`, not `FnOnce`: clone captured values inside;
//! `Send + Sync`, so constructs stay `Send + Sync` like the stack).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::derived::{Fix, Record};
use crate::stack::props::{Props, PropsBuilder};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::merge_into;

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
    /// The construct's part is put back when `configure` leaves it out (see
    /// [`Owned::kept`]) rather than refused.
    pub kept: bool,
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
            kept: false,
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
            kept: false,
        }
    }

    /// Only the part of the property at `pointer` (a JSON pointer into its value) is
    /// derived from; the rest may be changed by `configure`.
    pub const fn at(mut self, pointer: &'static str) -> Self {
        self.pointer = pointer;
        self
    }

    /// A `configure` that gives a value leaving the construct's part out gets it back,
    /// merged into what it set, instead of an error (removing the property altogether
    /// is still refused): for a list property (`pointer` `""`), each
    /// member the construct put in that the new list lacks is added (such as a managed
    /// policy the role needs); for a key of an object property (`pointer` `/Key`), the
    /// construct's value goes back under the key when it is unset (such as the log group
    /// of a `LoggingConfig` given only a log format). A different value at the key, or a
    /// computed list or object, is still refused.
    pub const fn kept(mut self) -> Self {
        self.kept = true;
        self
    }

    /// The part derived from as a dotted path below `Properties`, as
    /// `override_property` takes it (`SSESpecification.KMSMasterKeyId`).
    pub fn dotted_path(&self) -> String {
        self.path().into_owned()
    }

    /// [`dotted_path`](Self::dotted_path), borrowed when it is the property alone.
    fn path(&self) -> Cow<'static, str> {
        if self.pointer.is_empty() {
            return Cow::Borrowed(self.property);
        }
        let mut segments = self.pointer.split('/').filter(|s| !s.is_empty()).peekable();
        if segments.peek().is_none() {
            return Cow::Borrowed(self.property);
        }
        let mut path = String::with_capacity(self.property.len() + self.pointer.len());
        path.push_str(self.property);
        for s in segments {
            path.push('.');
            path.push_str(s);
        }
        Cow::Owned(path)
    }

    /// The way on an error about changing it gives: its option, or the fixed fix.
    pub fn fix_text(&self) -> String {
        self.fix().into()
    }

    /// [`fix_text`](Self::fix_text), rendered when read.
    fn fix(&self) -> Fix {
        match self.fix {
            Some(fix) => Fix::Text(Cow::Borrowed(fix)),
            None => Fix::Option {
                property: self.property,
                option: self.option,
            },
        }
    }

    fn read<T: PropsBuilder>(&self, builder: &T) -> Option<serde_json::Value> {
        let value = builder.props().get_json(self.property)?;
        value.pointer(self.pointer).cloned()
    }

    /// The construct's part as an expression (references kept), to put back.
    fn part(&self, props: &Props) -> Option<Expr> {
        let mut value = props.map.get(self.property)?.clone();
        if self.pointer.is_empty() {
            return Some(value);
        }
        let key = self.pointer.strip_prefix('/')?;
        merge_into::object(&mut value)?.remove(key)
    }

    /// Puts the construct's `part` back into `props` where the configured value left it
    /// out; whether anything changed.
    fn put_back(&self, props: &mut Props, part: Expr) -> bool {
        // A property removed altogether is a choice against the construct's part, not a
        // value that leaves it out: refused (by the comparison after), not overridden.
        let Some(slot) = props.map.get_mut(self.property) else {
            return false;
        };
        if self.pointer.is_empty() {
            let Expr::Array(mut members) = part else {
                return false;
            };
            let Some(list) = merge_into::array(slot) else {
                return false;
            };
            members.retain(|m| !list.contains(m));
            let changed = !members.is_empty();
            list.extend(members);
            return changed;
        }
        let Some(key) = self.pointer.strip_prefix('/') else {
            return false;
        };
        match merge_into::object(slot) {
            Some(object) if !object.contains_key(key) => {
                object.insert(key.to_string(), part);
                true
            }
            _ => false,
        }
    }

    /// Whether the configured value keeps the construct's part: for a kept list, every
    /// member is still in it; otherwise the part is unchanged.
    fn keeps(&self, before: &Option<serde_json::Value>, after: &Option<serde_json::Value>) -> bool {
        match (before, after) {
            // No member of the construct's list to keep. (A key the construct left
            // unset is derived from too, as unset: Lambda's default log group is.)
            (None, _) if self.kept && self.pointer.is_empty() => true,
            (Some(serde_json::Value::Array(was)), Some(serde_json::Value::Array(now)))
                if self.kept && self.pointer.is_empty() =>
            {
                was.iter().all(|m| now.contains(m))
            }
            _ => before == after,
        }
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
    /// hatch.push(|q| {
    ///     q.kms_master_key_id(nephos::Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
    ///         "alias/other",
    ///     ))
    /// });
    /// let q = hatch.apply_owning(&mut stack, "Jobs", nephos::sqs::Queue::new(), OWNED);
    /// stack.add("Jobs", q);
    /// let err = stack.synth().unwrap_err().to_string();
    /// assert!(err.contains("KmsMasterKeyId") && err.contains(".kms_key()"), "{err}");
    /// ```
    pub fn apply_owning(&self, stack: &mut Stack, id: &str, builder: T, owned: &[Owned]) -> T {
        // Derived from whether `configure` is given or not: an `override_property` of
        // the same part is refused at synth the same way.
        for o in owned {
            stack.derived_record(Record {
                id: id.to_string(),
                path: o.path(),
                derives: Cow::Borrowed(o.derives),
                fix: o.fix(),
            });
        }
        if self.steps.is_empty() {
            return builder;
        }
        let before: Vec<_> = owned.iter().map(|o| o.read(&builder)).collect();
        let parts: Vec<_> = owned
            .iter()
            .map(|o| o.kept.then(|| o.part(builder.props())).flatten())
            .collect();
        let mut after = self.apply(builder);
        let mut props = after.props().clone();
        let mut changed = false;
        for (o, part) in owned.iter().zip(parts) {
            if let Some(part) = part {
                changed |= o.put_back(&mut props, part);
            }
        }
        if changed {
            after = T::from_props(props);
        }
        for (o, before) in owned.iter().zip(before) {
            if !o.keeps(&before, &o.read(&after)) {
                stack.problem(Diagnostic::error(
                    Location::property(id, o.property),
                    format!(
                        "`configure` changed {}{} of `{id}`, but the construct derives {} from the value it had before, which would then be wrong",
                        o.property, o.pointer, o.derives
                    ),
                    o.fix_text(),
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
