//! DynamoDB actions per request on one table: [`DynamoDbAction`] (`PutItem`, `GetItem`,
//! `Query`), each attribute typed ([`DynamoValue`]) and checked against the table's key
//! schema, through a role that may do exactly that action.
//!
//! Facts from the DynamoDB API reference (`PutItem`, `GetItem`, `Query`: a key names
//! every key attribute with its type; a query's key condition names the partition key).

use super::aws::{self, AwsAction};
use crate::apigateway::method::{Integration, MethodResponse};
use crate::constructs::RequestValue;
use crate::constructs::grants::{Grant, actions};
use crate::constructs::wiring::RoutedTable;
use crate::constructs::wiring::api_service_role::ViaKey;
use crate::kind::Str;
use crate::kinds::DynamoDbTableName;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The type of a DynamoDB attribute an integration writes or looks up by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DynamoValue {
    /// A string (`S`).
    String(RequestValue),
    /// A number (`N`, written as its decimal text; DynamoDB refuses one that is not).
    Number(RequestValue),
}

impl DynamoValue {
    fn type_code(&self) -> &'static str {
        match self {
            DynamoValue::String(_) => "S",
            DynamoValue::Number(_) => "N",
        }
    }

    fn value(&self) -> &RequestValue {
        match self {
            DynamoValue::String(v) | DynamoValue::Number(v) => v,
        }
    }

    fn template(&self) -> String {
        format!(
            "{{\"{}\":\"{}\"}}",
            self.type_code(),
            self.value().template_string()
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
enum DynamoOp {
    PutItem(Vec<(String, DynamoValue)>),
    GetItem(Vec<(String, DynamoValue)>),
    Query {
        key: (String, DynamoValue),
        index: Option<String>,
        limit: Option<u32>,
    },
}

/// A DynamoDB action per request on one table (REST APIs only): [`put_item`](Self::put_item),
/// [`get_item`](Self::get_item) or [`query`](Self::query), each attribute typed and taken
/// from the request, escaped into the request so a caller cannot add fields. The role
/// API Gateway assumes may do exactly that action on that table (a query on an index:
/// on that index), and use the table's customer-managed key through DynamoDB. Key
/// attributes are checked against the table's key schema at synth; the table may be
/// imported (`Table::from_name`, of this account: only the role changes), whose key
/// schema is not known, so DynamoDB checks the key per request. DynamoDB's answer is
/// returned as it is on success; an error answers 400 or 500 with a fixed message, so
/// DynamoDB's error text does not reach callers.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{DynamoDbAction, DynamoValue, Key, RequestValue, RestApi, Table};
/// let mut stack = Stack::new("App");
/// let table = stack.add("Notes", Table::new(Key::string("id")));
/// let api = stack.add("Api", RestApi::new("notes"));
/// api.route_to(&mut stack, "POST", "/notes", DynamoDbAction::put_item(&table)
///     .attribute("id", DynamoValue::String(RequestValue::Context("requestId".into())))
///     .attribute("text", DynamoValue::String(RequestValue::BodyField("text".into()))));
/// api.route_to(&mut stack, "GET", "/notes/{id}", DynamoDbAction::get_item(&table)
///     .attribute("id", DynamoValue::String(RequestValue::PathParameter("id".into()))));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let policy = &t["Resources"]["ApiNotesPutItemRole"]["Properties"]["Policies"][0]["PolicyDocument"];
/// assert_eq!(policy["Statement"][0]["Action"], serde_json::json!(["dynamodb:PutItem"]));
///
/// // The key schema is `id`: an item without it is refused at synth.
/// let mut stack = Stack::new("App");
/// let table = stack.add("Notes", Table::new(Key::string("id")));
/// let api = stack.add("Api", RestApi::new("notes"));
/// api.route_to(&mut stack, "POST", "/notes", DynamoDbAction::put_item(&table)
///     .attribute("text", DynamoValue::String(RequestValue::Body)));
/// assert!(stack.synth().unwrap_err().to_string().contains("`id`"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DynamoDbAction {
    /// The table's resource, when it is one of the stack (an imported table has none).
    table: Option<ResourceRef>,
    /// How the role's ID and messages name the table.
    label: String,
    name: Value<DynamoDbTableName>,
    target: crate::constructs::grants::table::TableTarget,
    op: DynamoOp,
}

impl DynamoDbAction {
    fn new(table: &impl RoutedTable, op: DynamoOp) -> Self {
        DynamoDbAction {
            table: table.routed_table_resource().cloned(),
            label: table.routed_table_label(),
            name: table.routed_table_name(),
            target: table.routed_table_target(),
            op,
        }
    }

    /// Writes one item per request (`PutItem`), of the attributes given with
    /// [`attribute`](Self::attribute), which must include the table's key.
    pub fn put_item(table: &impl RoutedTable) -> Self {
        Self::new(table, DynamoOp::PutItem(Vec::new()))
    }

    /// Reads the item whose key is given with [`attribute`](Self::attribute) (`GetItem`):
    /// exactly the table's key attributes.
    pub fn get_item(table: &impl RoutedTable) -> Self {
        Self::new(table, DynamoOp::GetItem(Vec::new()))
    }

    /// The items whose partition key `name` is `value` (`Query`), of the table or of the
    /// index set with [`index`](Self::index).
    pub fn query(table: &impl RoutedTable, name: impl Into<String>, value: DynamoValue) -> Self {
        Self::new(
            table,
            DynamoOp::Query {
                key: (name.into(), value),
                index: None,
                limit: None,
            },
        )
    }

    /// An attribute of the item written, or of the key read.
    pub fn attribute(mut self, name: impl Into<String>, value: DynamoValue) -> Self {
        match &mut self.op {
            DynamoOp::PutItem(a) | DynamoOp::GetItem(a) => a.push((name.into(), value)),
            DynamoOp::Query { .. } => {}
        }
        self
    }

    /// Queries the secondary index `name` instead of the table.
    pub fn index(mut self, name: impl Into<String>) -> Self {
        if let DynamoOp::Query { index, .. } = &mut self.op {
            *index = Some(name.into());
        }
        self
    }

    /// At most `n` items per query answer.
    pub fn limit(mut self, n: u32) -> Self {
        if let DynamoOp::Query { limit, .. } = &mut self.op {
            *limit = Some(n);
        }
        self
    }

    /// The table's ARN.
    pub(super) fn table_arn(&self) -> Value<Str> {
        self.target.target().arn().clone()
    }

    fn action(&self) -> &'static str {
        match self.op {
            DynamoOp::PutItem(_) => "PutItem",
            DynamoOp::GetItem(_) => "GetItem",
            DynamoOp::Query { .. } => "Query",
        }
    }

    /// The key schema `(name, type)` of the table or of `index`, when the table's
    /// properties are literal; `None` when computed or not found.
    fn key_schema(&self, stack: &Stack, index: Option<&str>) -> Option<Vec<(String, String)>> {
        let table = self.table.as_ref()?;
        let json = |p: &str| stack.property(table, p).map(|v| v.to_json());
        let types: Vec<(String, String)> = json("AttributeDefinitions")?
            .as_array()?
            .iter()
            .filter_map(|d| {
                Some((
                    d.get("AttributeName")?.as_str()?.to_string(),
                    d.get("AttributeType")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let schema = match index {
            None => json("KeySchema")?,
            Some(i) => ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
                .iter()
                .filter_map(|p| json(p))
                .filter_map(|v| v.as_array().cloned())
                .flatten()
                .find(|x| x.get("IndexName").and_then(|n| n.as_str()) == Some(i))?
                .get("KeySchema")?
                .clone(),
        };
        schema
            .as_array()?
            .iter()
            .map(|k| {
                let name = k.get("AttributeName")?.as_str()?;
                let ty = types.iter().find(|(n, _)| n == name)?.1.clone();
                Some((name.to_string(), ty))
            })
            .collect()
    }

    pub(super) fn problems(&self, stack: &Stack) -> Vec<String> {
        let mut out = Vec::new();
        let attributes: Vec<&(String, DynamoValue)> = match &self.op {
            DynamoOp::PutItem(a) | DynamoOp::GetItem(a) => a.iter().collect(),
            DynamoOp::Query { key, .. } => vec![key],
        };
        if attributes.is_empty() {
            out.push(format!(
                "`{}` names no attribute: give the item's attributes with `.attribute(..)`",
                self.action()
            ));
        }
        for (i, (name, value)) in attributes.iter().enumerate() {
            let ok = (1..=255).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !ok {
                out.push(format!(
                    "the attribute name `{}` must have 1 to 255 letters, digits, `_`, `-` or `.`",
                    name.escape_debug()
                ));
            }
            if attributes[..i].iter().any(|(n, _)| n == name) {
                out.push(format!(
                    "the attribute `{}` is given twice",
                    name.escape_debug()
                ));
            }
            out.extend(value.value().template_problem());
        }
        if let DynamoOp::Query { index: Some(i), .. } = &self.op
            && !(3..=255).contains(&i.len())
        {
            out.push(format!(
                "the index name `{}` must have 3 to 255 characters",
                i.escape_debug()
            ));
        }
        if let DynamoOp::Query { limit: Some(0), .. } = &self.op {
            out.push("a query limit must be 1 or more".to_string());
        }
        let index = match &self.op {
            DynamoOp::Query { index, .. } => index.as_deref(),
            _ => None,
        };
        let Some(schema) = self.key_schema(stack, index) else {
            if let Some(i) = index
                && let Some(table) = &self.table
                && stack.property(table, "KeySchema").is_some()
                && !["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
                    .iter()
                    .any(|p| {
                        stack
                            .property(table, p)
                            .is_some_and(|v| v.to_json().is_object())
                    })
            {
                out.push(format!(
                    "`{}` has no index `{}`",
                    self.label,
                    i.escape_debug()
                ));
            }
            return out;
        };
        let keys: &[(String, String)] = match &self.op {
            // A query's key condition is on the partition key alone.
            DynamoOp::Query { .. } => &schema[..schema.len().min(1)],
            _ => &schema,
        };
        for (name, ty) in keys {
            match attributes.iter().find(|(n, _)| n == name) {
                None => out.push(format!(
                    "`{}` of `{}` lacks the key attribute `{name}` ({ty}), which DynamoDB requires",
                    self.action(),
                    self.label
                )),
                Some((_, v)) if v.type_code() != ty => out.push(format!(
                    "the key attribute `{name}` of `{}` is of type {ty}, not {}",
                    self.label,
                    v.type_code()
                )),
                Some(_) => {}
            }
        }
        if let DynamoOp::GetItem(a) = &self.op {
            for (name, _) in a {
                if !keys.iter().any(|(k, _)| k == name) {
                    out.push(format!(
                        "`GetItem` names `{}`, which is not a key attribute of `{}`: DynamoDB refuses a key with other attributes",
                        name.escape_debug(),
                        self.label
                    ));
                }
            }
        }
        out
    }

    fn template(&self) -> Value<Str> {
        let fields = |a: &[(String, DynamoValue)]| {
            a.iter()
                .map(|(n, v)| format!("\"{n}\":{}", v.template()))
                .collect::<Vec<_>>()
                .join(",")
        };
        let body = match &self.op {
            DynamoOp::PutItem(a) => format!("\"Item\":{{{}}}", fields(a)),
            DynamoOp::GetItem(a) => format!("\"Key\":{{{}}}", fields(a)),
            DynamoOp::Query { key, index, limit } => {
                // `#k` names the attribute, so a reserved word (`name`, `status`) works;
                // set from a single-quoted string, which the template language does not
                // read, rather than written where `#k` could be taken for a directive.
                let index = index
                    .as_ref()
                    .map(|i| format!("\"IndexName\":\"{i}\","))
                    .unwrap_or_default();
                let limit = limit.map(|l| format!(",\"Limit\":{l}")).unwrap_or_default();
                format!(
                    "{index}\"KeyConditionExpression\":\"$k = :v\",\"ExpressionAttributeNames\":{{\"$k\":\"{}\"}},\"ExpressionAttributeValues\":{{\":v\":{}}}{limit}",
                    key.0,
                    key.1.template()
                )
            }
        };
        let set = match self.op {
            DynamoOp::Query { .. } => "#set($k = '#k')",
            _ => "",
        };
        crate::sub(
            &format!("{set}{{\"TableName\":\"${{table}}\",{body}}}"),
            [("table", self.name.clone().into_any())],
        )
    }

    fn grant(&self) -> Grant {
        let arn = self.target.target().arn().clone();
        let (acts, on): (&[&str], Value<Str>) = match &self.op {
            DynamoOp::PutItem(_) => (actions::DYNAMODB_PUT_ITEM, arn),
            DynamoOp::GetItem(_) => (actions::DYNAMODB_GET_ITEM, arn),
            DynamoOp::Query { index: None, .. } => (actions::DYNAMODB_QUERY, arn),
            DynamoOp::Query { index: Some(i), .. } => (
                actions::DYNAMODB_QUERY,
                crate::sub(
                    "${table}/index/${index}",
                    [
                        ("table", arn.into_any()),
                        ("index", Value::<Str>::from(i.as_str()).into_any()),
                    ],
                ),
            ),
        };
        Grant::new(format!("DynamoDB `{}` from API Gateway", self.action()))
            .actions(acts)
            .on(on)
    }
}

impl DynamoDbAction {
    /// The `AWS` integration of method routes to this action on API `api`, with the
    /// method's responses and the table's ID as the target's name.
    pub(super) fn integration(
        &self,
        stack: &mut Stack,
        api: &ResourceRef,
    ) -> (Integration, Vec<MethodResponse>, String) {
        let key_actions = match self.op {
            DynamoOp::PutItem(_) => actions::KMS_READ_WRITE,
            _ => actions::KMS_READ,
        };
        let target = self.label.clone();
        let (i, r) = aws::integration(
            stack,
            api,
            AwsAction {
                service: "dynamodb",
                action: self.action(),
                target: &target,
                resources: self.table.iter().cloned().collect(),
                grant: self.grant(),
                key: Some(ViaKey {
                    target: self.target.target().untyped(),
                    actions: key_actions,
                    service: "dynamodb",
                }),
                template: self.template(),
                success: None,
            },
        );
        (i, r, format!("`{target}`"))
    }
}
