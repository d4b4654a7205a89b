//! The model of one resource type: what the emitters turn into Rust. Built from a
//! registry schema by [`crate::build`].

use std::collections::BTreeMap;

/// The kind of a property value, as the generated setter types it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// A plain string.
    Str,
    /// An integer.
    Int,
    /// A number.
    Num,
    /// A boolean.
    Bool,
    /// Any JSON document.
    Json,
    /// An IAM policy document.
    Policy,
    /// A typed string kind of `nephos::kinds`, by Rust name.
    Kind(String),
    /// An enum of the resource's module, by Rust name.
    Enum(String),
    /// A nested property type of the resource's module, by Rust name.
    Struct(String),
    /// A list of items.
    List(Box<Ty>),
    /// A map from strings to values.
    Map(Box<Ty>),
}

impl Ty {
    /// How the schema type reads in docs.
    pub fn describe(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int => "integer".into(),
            Ty::Num => "number".into(),
            Ty::Bool => "boolean".into(),
            Ty::Json => "JSON".into(),
            Ty::Policy => "IAM policy document".into(),
            Ty::Kind(k) => format!("[`{k}`](crate::kinds::{k})"),
            Ty::Enum(e) | Ty::Struct(e) => format!("[`{e}`]"),
            Ty::List(t) => format!("list of {}", t.describe()),
            Ty::Map(t) => format!("map of {}", t.describe()),
        }
    }
}

/// A literal check on a property, as `nephos::Check` spells it.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckSpec {
    /// `minLength`
    MinLength(u64),
    /// `maxLength`
    MaxLength(u64),
    /// `minimum`
    Minimum(f64),
    /// `maximum`
    Maximum(f64),
    /// `minItems`
    MinItems(u64),
    /// `maxItems`
    MaxItems(u64),
    /// `uniqueItems: true` on a list
    UniqueItems,
    /// `enum` (or `const`) of strings
    OneOf(Vec<String>),
    /// `enum` (or `const`) of numbers (Logs' `RetentionInDays`: 22 day counts)
    OneOfNumbers(Vec<f64>),
    /// `pattern`
    Pattern(String),
    /// `format` of a string, one synth checks (`nephos::StringFormat::of_schema`)
    Format(String),
    /// `minProperties` (entries of a map)
    MinEntries(u64),
    /// `maxProperties`, or `maxItems` on a map
    MaxEntries(u64),
    /// The one `patternProperties` key of a closed map (`additionalProperties: false`)
    KeyPattern(String),
    /// `multipleOf`
    MultipleOf(f64),
    /// `exclusiveMinimum` (a number, as draft 6 and later write it)
    ExclusiveMinimum(f64),
    /// `exclusiveMaximum` (a number)
    ExclusiveMaximum(f64),
    /// `not: {enum: [...]}` of strings
    NoneOf(Vec<String>),
    /// `minProperties` on an object with fixed properties: at least this many of these
    /// (the object's property names) are set
    MinSet(u64, Vec<String>),
    /// `maxProperties` on an object with fixed properties: at most this many of these
    /// are set
    MaxSet(u64, Vec<String>),
}

impl CheckSpec {
    /// How the check reads in docs.
    pub fn describe(&self) -> String {
        match self {
            CheckSpec::MinLength(n) => format!("length at least {n}"),
            CheckSpec::MaxLength(n) => format!("length at most {n}"),
            CheckSpec::Minimum(n) => format!("at least {n}"),
            CheckSpec::Maximum(n) => format!("at most {n}"),
            CheckSpec::MinItems(n) => format!("at least {n} items"),
            CheckSpec::MaxItems(n) => format!("at most {n} items"),
            CheckSpec::UniqueItems => "no repeated items".into(),
            CheckSpec::OneOf(v) => format!("one of {} values", v.len()),
            CheckSpec::OneOfNumbers(v) => format!("one of {}", numbers(v)),
            CheckSpec::Pattern(p) => format!("matches {}", crate::emit::doc_code(p)),
            CheckSpec::Format(f) => format!("format `{f}`"),
            CheckSpec::MinEntries(n) => format!("at least {n} entries"),
            CheckSpec::MaxEntries(n) => format!("at most {n} entries"),
            CheckSpec::KeyPattern(p) => format!("keys match {}", crate::emit::doc_code(p)),
            CheckSpec::MultipleOf(n) => format!("a multiple of {n}"),
            CheckSpec::ExclusiveMinimum(n) => format!("greater than {n}"),
            CheckSpec::ExclusiveMaximum(n) => format!("less than {n}"),
            CheckSpec::NoneOf(v) => format!("none of {} values", v.len()),
            CheckSpec::MinSet(n, _) => format!("at least {n} of its properties set"),
            CheckSpec::MaxSet(n, _) => format!("at most {n} of its properties set"),
        }
    }
}

/// Numbers as a list in docs and messages: `1, 3, 5`.
pub fn numbers(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(f64::to_string).collect();
    items.join(", ")
}

/// One property of a resource or nested type.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The CloudFormation property name.
    pub name: String,
    /// The setter (and constructor argument) name.
    pub method: String,
    /// `add_x` for lists, `insert_x` for maps.
    pub method_item: Option<String>,
    /// `set_x`: the setter taking an `Option` (`None` clears the property).
    pub method_set: String,
    /// The value's kind.
    pub ty: Ty,
    /// Whether the property is required (a constructor argument).
    pub required: bool,
    /// Whether changing it replaces the resource (top-level properties only).
    pub create_only: bool,
    /// Whether changing it may replace the resource, depending on the values (top-level
    /// properties only; the service spec's `causesReplacement: maybe`).
    pub may_replace: bool,
    /// Whether the schema marks it deprecated.
    pub deprecated: bool,
    /// The property's own literal checks.
    pub checks: Vec<CheckSpec>,
    /// Deprecated earlier names of this field's methods, `(old, new)`: the names a plain case
    /// conversion gave before acronym plurals were kept whole (`provider_ar_ns`).
    pub aliases: Vec<(String, String)>,
    /// The cfn-lint finding a reviewed kind correction expects where a corrected format is
    /// wired here (`dsl/codegen/data/kind_corrections.json`, `cfn_lint`).
    pub lint_note: Option<String>,
}

/// A nested property type.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// The Rust type name.
    pub name: String,
    /// The schema's name for it (definition or property name), for docs and the kind name.
    pub schema_name: String,
    /// Its properties, sorted by name.
    pub fields: Vec<Field>,
}

/// An enumeration of string values.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    /// The Rust type name.
    pub name: String,
    /// The schema's name for it.
    pub schema_name: String,
    /// `(variant, value)` pairs, in schema order.
    pub variants: Vec<(String, String)>,
    /// Deprecated earlier variant names, `(old, new)` (`TlSv122021` for `TlsV1_2_2021`).
    pub aliases: Vec<(String, String)>,
}

/// A `Ref` value or a `Fn::GetAtt` attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The attribute name as `Fn::GetAtt` spells it (`Endpoint.Address`); for `Ref`,
    /// the identifier property.
    pub name: String,
    /// The getter name.
    pub method: String,
    /// The value's kind.
    pub ty: Ty,
}

/// Everything the emitters need about one resource type.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceModel {
    /// `AWS::Lambda::Function`
    pub type_name: String,
    /// `Lambda`
    pub service: String,
    /// `Function`
    pub resource: String,
    /// The module name, `function`.
    pub module: String,
    /// The resource struct's name, `Function`.
    pub struct_name: String,
    /// The handle's name, `FunctionHandle`.
    pub handle_name: String,
    /// Settable top-level properties, sorted by name.
    pub fields: Vec<Field>,
    /// Nested property types, in order of discovery.
    pub structs: Vec<StructDef>,
    /// Enums, in order of discovery.
    pub enums: Vec<EnumDef>,
    /// What `Ref` returns.
    pub reference: Option<Attribute>,
    /// The `Fn::GetAtt` attributes, sorted by name.
    pub attributes: Vec<Attribute>,
    /// Literal checks by slash path, for `Resource::constraints`.
    pub constraints: Vec<(String, CheckSpec)>,
    /// Typed string kinds this resource uses or defines: Rust name -> kind name.
    pub kinds: BTreeMap<String, String>,
    /// Where `Ref` depends on whether a property is set: the builder and handle then carry
    /// a typestate ([`crate::conditional_ref`]).
    pub conditional_ref: Option<crate::conditional_ref::ConditionalRef>,
}
