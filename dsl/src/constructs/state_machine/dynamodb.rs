//! Tasks on one DynamoDB item: `GetItem`, `PutItem`, `UpdateItem` and `DeleteItem`
//! (`arn:${Partition}:states:::dynamodb:<api>`), request-response only (Step Functions
//! has no `.sync` or callback for them, so [`DynamoItem`] offers neither). The role may
//! call that one action on the table (Step Functions Developer Guide, "IAM policies for
//! integrated services", DynamoDB: `dynamodb:GetItem` and the others, each on the
//! table's ARN) and use its KMS key through DynamoDB.

use serde_json::{Map as JMap, Value as J, json};

use super::flow::path_problem;
use super::render::Render;
use super::service::resource;
use crate::constructs::grants::table::TableTarget;
use crate::constructs::grants::{self, Grant, Grantee, actions};
use crate::constructs::wiring::RoutedTable;
use crate::kind::Str;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// A DynamoDB attribute value in a key, an item or an update's values: fixed or read from
/// the state's input.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeValue {
    /// A string (`S`).
    String(String),
    /// The string at a path of the input (`S.$`).
    StringAt(String),
    /// A number (`N`, written as DynamoDB takes it: a string of digits).
    Number(String),
    /// The number at a path of the input (`N.$`, turned into the string DynamoDB takes
    /// with `States.JsonToString`).
    NumberAt(String),
    /// A boolean (`BOOL`).
    Bool(bool),
}

impl AttributeValue {
    /// A string.
    pub fn string(s: impl Into<String>) -> Self {
        AttributeValue::String(s.into())
    }
    /// The string at `path` of the input.
    pub fn string_at(path: impl Into<String>) -> Self {
        AttributeValue::StringAt(path.into())
    }
    /// A number (integer).
    pub fn number(n: i64) -> Self {
        AttributeValue::Number(n.to_string())
    }
    /// The number at `path` of the input.
    pub fn number_at(path: impl Into<String>) -> Self {
        AttributeValue::NumberAt(path.into())
    }

    fn to_json(&self) -> J {
        match self {
            AttributeValue::String(s) => json!({"S": s}),
            AttributeValue::StringAt(p) => json!({"S.$": p}),
            AttributeValue::Number(n) => json!({"N": n}),
            AttributeValue::NumberAt(p) => json!({"N.$": format!("States.JsonToString({p})")}),
            AttributeValue::Bool(b) => json!({"BOOL": b}),
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        if let AttributeValue::StringAt(p) | AttributeValue::NumberAt(p) = self {
            path_problem("attribute value", p, out);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Get,
    Put,
    Update,
    Delete,
}

impl Op {
    /// The API in the task's resource, and the IAM action.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Op::Get => ("dynamodb:getItem", "dynamodb:GetItem"),
            Op::Put => ("dynamodb:putItem", "dynamodb:PutItem"),
            Op::Update => ("dynamodb:updateItem", "dynamodb:UpdateItem"),
            Op::Delete => ("dynamodb:deleteItem", "dynamodb:DeleteItem"),
        }
    }
}

type Attributes = Vec<(String, AttributeValue)>;

/// One item of a table: read, written, updated or deleted by its key. Only the state
/// machine's role is granted, so the table may be one outside the stack
/// (`Table::from_name`, `Table::from_arn`).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Key, Table};
/// use nephos::constructs::state_machine::{AttributeValue as A, DynamoItem, Task};
/// let mut stack = Stack::new("App");
/// let orders = stack.add("Orders", Table::new(Key::string("id")));
/// let get = Task::call(DynamoItem::get(&orders).key("id", A::string_at("$.orderId")));
/// let bump = Task::call(
///     DynamoItem::update(&orders, "SET attempts = attempts + :one")
///         .key("id", A::string_at("$.orderId"))
///         .value(":one", A::number(1)),
/// );
/// # let _ = (get, bump);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DynamoItem {
    op: Op,
    table: TableTarget,
    name: Value<Str>,
    /// The table's resource, when it is one of the stack's.
    resource: Option<ResourceRef>,
    key: Attributes,
    item: Attributes,
    update: Option<String>,
    values: Attributes,
}

impl DynamoItem {
    fn new(op: Op, table: &impl RoutedTable) -> Self {
        DynamoItem {
            op,
            table: table.routed_table_target(),
            name: table.routed_table_name().cast(),
            resource: table.routed_table_resource().cloned(),
            key: Vec::new(),
            item: Vec::new(),
            update: None,
            values: Vec::new(),
        }
    }
    /// Reads the item of a [`key`](DynamoItem::key) (`GetItem`).
    pub fn get(table: &impl RoutedTable) -> Self {
        DynamoItem::new(Op::Get, table)
    }
    /// Writes an item of [`attribute`](DynamoItem::attribute)s (`PutItem`; its key
    /// attributes among them).
    pub fn put(table: &impl RoutedTable) -> Self {
        DynamoItem::new(Op::Put, table)
    }
    /// Updates the item of a [`key`](DynamoItem::key) with an update expression
    /// (`SET count = count + :one`), its placeholders given with
    /// [`value`](DynamoItem::value) (`UpdateItem`).
    pub fn update(table: &impl RoutedTable, expression: impl Into<String>) -> Self {
        DynamoItem {
            update: Some(expression.into()),
            ..DynamoItem::new(Op::Update, table)
        }
    }
    /// Deletes the item of a [`key`](DynamoItem::key) (`DeleteItem`).
    pub fn delete(table: &impl RoutedTable) -> Self {
        DynamoItem::new(Op::Delete, table)
    }
    /// A key attribute (the partition key, and the sort key if the table has one).
    pub fn key(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.key.push((name.into(), value));
        self
    }
    /// An attribute of the item [`put`](DynamoItem::put) writes.
    pub fn attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Self {
        self.item.push((name.into(), value));
        self
    }
    /// The value of an update expression's placeholder (`:one`).
    pub fn value(mut self, placeholder: impl Into<String>, value: AttributeValue) -> Self {
        self.values.push((placeholder.into(), value));
        self
    }

    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let (api, _) = self.op.names();
        m.insert("Resource".into(), resource(render, api, ""));
        let object = |attributes: &Attributes| {
            J::Object(
                attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            )
        };
        let mut p = JMap::new();
        let key = render.value(self.resource.as_ref(), "Table", &self.name);
        p.insert("TableName".into(), json!(format!("${{{key}}}")));
        if self.op == Op::Put {
            p.insert("Item".into(), object(&self.item));
        } else {
            p.insert("Key".into(), object(&self.key));
        }
        if let Some(e) = &self.update {
            p.insert("UpdateExpression".into(), json!(e));
            if !self.values.is_empty() {
                p.insert("ExpressionAttributeValues".into(), object(&self.values));
            }
        }
        m.insert("Parameters".into(), J::Object(p));
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        let (_, action) = self.op.names();
        match self.op {
            Op::Put if self.item.is_empty() => {
                out.push(format!("its `{action}` writes an item of no attributes"))
            }
            Op::Put => {}
            _ if self.key.is_empty() => out.push(format!("its `{action}` names no key")),
            _ => {}
        }
        if self.op != Op::Put && !self.item.is_empty() {
            out.push(format!("its `{action}` has item attributes, which only `PutItem` writes (give the key with `key`)"));
        }
        if self.op == Op::Put && !self.key.is_empty() {
            out.push("its `dynamodb:PutItem` has a `key`: give the key attributes with `attribute`, in the item".to_string());
        }
        if self.update.as_deref().is_some_and(|e| e.trim().is_empty()) {
            out.push("its update expression is empty".to_string());
        }
        for (placeholder, _) in &self.values {
            if !placeholder.starts_with(':') || placeholder.len() < 2 {
                out.push(format!(
                    "its expression value `{}` is not a placeholder such as `:one`",
                    placeholder.escape_debug()
                ));
            } else if !self
                .update
                .as_deref()
                .unwrap_or("")
                .contains(placeholder.as_str())
            {
                out.push(format!(
                    "its expression value `{}` is not in the update expression (DynamoDB refuses unused values)",
                    placeholder.escape_debug()
                ));
            }
        }
        for (_, v) in self.key.iter().chain(&self.item).chain(&self.values) {
            v.problems(out);
        }
    }

    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        let (_, action) = self.op.names();
        let target = self.table.target();
        grants::grant(
            stack,
            grantee,
            Grant::new(format!("{action} on the table"))
                .actions(&[action])
                .on(target.arn()),
        );
        let key_actions = if self.op == Op::Get {
            actions::KMS_READ
        } else {
            actions::KMS_READ_WRITE
        };
        grants::key::cover(stack, grantee, target, key_actions, "dynamodb");
    }
}
