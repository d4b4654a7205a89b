//! Outputs, their exports, and imports of them into other stacks.

use std::marker::PhantomData;

use crate::stack::condition::Condition;
use crate::value::expr::{Expr, StackKey, Target};
use crate::value::kind::{Bool, Int, Num, Str, TypedString};
use crate::value::value::{IntoValue, Value};

/// Kinds an output can hold: CloudFormation outputs are scalars (join a list first).
pub trait OutputKind: crate::value::kind::Kind {}
impl OutputKind for Str {}
impl OutputKind for Int {}
impl OutputKind for Num {}
impl OutputKind for Bool {}
impl<K: TypedString> OutputKind for K {}

/// An output definition.
///
/// ```
/// use nephos::{Output, Stack, sub};
/// let mut stack = Stack::new("Network");
/// stack.output("Region", Output::new(nephos::aws::region()).export("network-region"));
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Outputs"]["Region"]["Export"]["Name"], "network-region");
/// ```
#[derive(Clone, Debug)]
pub struct Output<K> {
    pub(crate) value: Expr,
    pub(crate) description: Option<String>,
    pub(crate) condition: Option<Target>,
    pub(crate) export: Option<Expr>,
    kind: PhantomData<fn() -> K>,
}

impl<K: OutputKind> Output<K> {
    /// An output of `value` (for a parameter, `param.value()`).
    pub fn new(value: Value<K>) -> Self {
        Output {
            value: value.expr,
            description: None,
            condition: None,
            export: None,
            kind: PhantomData,
        }
    }

    /// The output's description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Declares the output only when `condition` holds.
    pub fn condition(mut self, condition: &Condition) -> Self {
        self.condition = Some(condition.target.clone());
        self
    }

    /// Exports the value under `name` (unique per account and region) for
    /// `Fn::ImportValue`. Give a literal name to import it from another stack of the app.
    pub fn export(mut self, name: impl IntoValue<Str>) -> Self {
        self.export = Some(name.into_value().expr);
        self
    }
}

/// A handle to a declared output; another stack of the app imports it with
/// [`Stack::import`](crate::Stack::import).
#[derive(Clone, Debug)]
pub struct OutputRef<K> {
    pub(crate) stack: StackKey,
    pub(crate) id: String,
    pub(crate) export: Option<Expr>,
    kind: PhantomData<fn() -> K>,
}

impl<K> OutputRef<K> {
    pub(crate) fn new(stack: StackKey, id: String, export: Option<Expr>) -> Self {
        OutputRef {
            stack,
            id,
            export,
            kind: PhantomData,
        }
    }

    /// The output's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.id
    }
}
