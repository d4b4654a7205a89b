//! Mappings: two-level lookup tables, read with `Fn::FindInMap`.

use std::collections::BTreeMap;

use crate::value::expr::{Expr, Target};
use crate::value::kind::{Kind, Str};
use crate::value::value::{IntoValue, Value};

/// A mapping's content: top-level key, second-level key, value (a string or a list of
/// strings).
///
/// ```
/// use nephos::{Mapping, Stack, Value, kind::Str};
/// let mut stack = Stack::new("App");
/// let sizes = stack.mapping("Sizes", Mapping::new().entry("prod", "Memory", "1024").entry("dev", "Memory", "256"));
/// let memory: Value<Str> = sizes.find("prod", "Memory");
/// assert_eq!(memory.to_json(), serde_json::json!({"Fn::FindInMap": ["Sizes", "prod", "Memory"]}));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    pub(crate) entries: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Self {
        Mapping::default()
    }

    /// Sets `top` / `second` to a string.
    pub fn entry(mut self, top: &str, second: &str, value: impl Into<String>) -> Self {
        self.entries
            .entry(top.to_string())
            .or_default()
            .insert(second.to_string(), serde_json::Value::String(value.into()));
        self
    }

    /// Sets `top` / `second` to a list of strings.
    pub fn list_entry<S: Into<String>>(
        mut self,
        top: &str,
        second: &str,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        let list = values
            .into_iter()
            .map(|s| serde_json::Value::String(s.into()))
            .collect();
        self.entries
            .entry(top.to_string())
            .or_default()
            .insert(second.to_string(), serde_json::Value::Array(list));
        self
    }
}

/// A handle to a declared mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingRef {
    pub(crate) target: Target,
}

impl MappingRef {
    /// The mapping's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.target.id
    }

    /// `Fn::FindInMap`: the value at `top` / `second`. Literal keys are checked at synth
    /// against the mapping's content.
    pub fn find<K: Kind>(&self, top: impl IntoValue<Str>, second: impl IntoValue<Str>) -> Value<K> {
        Value::from_expr(Expr::FindInMap {
            mapping: self.target.clone(),
            top: Box::new(top.into_value().expr),
            second: Box::new(second.into_value().expr),
            default: None,
        })
    }

    /// `Fn::FindInMap` with a `DefaultValue` for keys the mapping lacks. Needs the
    /// `AWS::LanguageExtensions` transform on the stack (checked at synth).
    pub fn find_or<K: Kind>(
        &self,
        top: impl IntoValue<Str>,
        second: impl IntoValue<Str>,
        default: impl IntoValue<K>,
    ) -> Value<K> {
        Value::from_expr(Expr::FindInMap {
            mapping: self.target.clone(),
            top: Box::new(top.into_value().expr),
            second: Box::new(second.into_value().expr),
            default: Some(Box::new(default.into_value().expr)),
        })
    }
}
