//! What a REST API method sends requests to besides a function: [`RestIntegration`]
//! (an HTTP endpoint, a mock answer, or an AWS service action: Step Functions
//! `StartExecution`, EventBridge `PutEvents`, DynamoDB `PutItem`, `GetItem` and `Query`),
//! each AWS action through a role API Gateway assumes that may do exactly that action on
//! that target.
//!
//! Facts from the API Gateway Developer Guide: "Set up an API integration request"
//! (`AWS` integrations name the action as `arn:<partition>:apigateway:<region>:<service>:action/<Action>`
//! and are called with `POST`; `Credentials` is the role API Gateway assumes), "Mapping
//! template reference" (`$input`, `$util.escapeJavaScript`, `$context.responseOverride`),
//! "Integration passthrough behaviors" (`NEVER` answers 415 to a content type without a
//! template), "Set up an integration response" (a `SelectionPattern` of an `AWS`
//! integration matches the service's HTTP status), and "Set up mock integrations"
//! (`{"statusCode": n}` picks the answer); the DynamoDB API reference (`PutItem`,
//! `GetItem`, `Query`: a key names every key attribute with its type; a query's key
//! condition names the partition key); the EventBridge API reference (`PutEvents` is
//! a JSON 1.1 call, target `AWSEvents.PutEvents`).

use crate::apigateway::method::{
    Integration, IntegrationResponse, MethodResponse, PassthroughBehavior, Type,
};
use crate::constructs::grants::{Grant, actions};
use crate::constructs::wiring::TableEnd;
use crate::constructs::wiring::api_route::ApiKind;
use crate::constructs::wiring::api_service_role::{ViaKey, referenced, service_role};
use crate::constructs::{HttpProxy, PutEvents, RequestValue, StartExecution};
use crate::kind::{List, Str};
use crate::kinds::DynamoDbTableName;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A fixed answer, without any backend (a `MOCK` integration): a status code and a JSON
/// body.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, MockResponse, RestApi, Runtime};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Api", RestApi::new("status"));
/// api.route_to(&mut stack, "GET", "/ping", MockResponse::new(200).json(serde_json::json!({"ok": true})));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let integration = &t["Resources"]["ApiPingGet"]["Properties"]["Integration"];
/// assert_eq!(integration["Type"], "MOCK");
/// assert_eq!(integration["IntegrationResponses"][0]["ResponseTemplates"]["application/json"], r#"{"ok":true}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MockResponse {
    status: u16,
    body: Option<serde_json::Value>,
}

impl MockResponse {
    /// An answer of `status` (100 to 599) with an empty body.
    pub fn new(status: u16) -> Self {
        MockResponse { status, body: None }
    }

    /// The answer's JSON body (without `$` or `#`, which the mapping template language
    /// would read).
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(100..=599).contains(&self.status) {
            out.push(format!(
                "the status {} is not an HTTP status code (100 to 599)",
                self.status
            ));
        }
        if let Some(b) = &self.body {
            let text = b.to_string();
            if let Some(c) = text.chars().find(|c| matches!(c, '$' | '#')) {
                out.push(format!(
                    "the mock body contains `{c}`, which the mapping template language would read; leave it out of the body"
                ));
            }
        }
        out
    }
}

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
/// attributes are checked against the table's key schema at synth. DynamoDB's answer is
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
    table: ResourceRef,
    name: Value<DynamoDbTableName>,
    target: crate::constructs::grants::table::TableTarget,
    op: DynamoOp,
}

impl DynamoDbAction {
    fn new(table: &impl TableEnd, op: DynamoOp) -> Self {
        DynamoDbAction {
            table: table.resource_ref().clone(),
            name: table.table_name(),
            target: table.table_target(),
            op,
        }
    }

    /// Writes one item per request (`PutItem`), of the attributes given with
    /// [`attribute`](Self::attribute), which must include the table's key.
    pub fn put_item(table: &impl TableEnd) -> Self {
        Self::new(table, DynamoOp::PutItem(Vec::new()))
    }

    /// Reads the item whose key is given with [`attribute`](Self::attribute) (`GetItem`):
    /// exactly the table's key attributes.
    pub fn get_item(table: &impl TableEnd) -> Self {
        Self::new(table, DynamoOp::GetItem(Vec::new()))
    }

    /// The items whose partition key `name` is `value` (`Query`), of the table or of the
    /// index set with [`index`](Self::index).
    pub fn query(table: &impl TableEnd, name: impl Into<String>, value: DynamoValue) -> Self {
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
        let json = |p: &str| stack.property(&self.table, p).map(|v| v.to_json());
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

    fn problems(&self, stack: &Stack) -> Vec<String> {
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
                && stack.property(&self.table, "KeySchema").is_some()
                && !["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
                    .iter()
                    .any(|p| {
                        stack
                            .property(&self.table, p)
                            .is_some_and(|v| v.to_json().is_object())
                    })
            {
                out.push(format!(
                    "`{}` has no index `{}`",
                    self.table.logical_id(),
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
                    self.table.logical_id()
                )),
                Some((_, v)) if v.type_code() != ty => out.push(format!(
                    "the key attribute `{name}` of `{}` is of type {ty}, not {}",
                    self.table.logical_id(),
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
                        self.table.logical_id()
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

/// What a REST API method sends requests to other than a function; see
/// [`RestApiRef::route_to`](super::RestApiRef::route_to).
#[derive(Clone, Debug, PartialEq)]
pub enum RestIntegration {
    /// An HTTP endpoint.
    HttpProxy(HttpProxy),
    /// A fixed answer.
    Mock(MockResponse),
    /// An execution of a Step Functions state machine.
    StartExecution(Box<StartExecution>),
    /// An event on an EventBridge bus.
    PutEvents(Box<PutEvents>),
    /// A DynamoDB action.
    DynamoDb(Box<DynamoDbAction>),
}

impl From<HttpProxy> for RestIntegration {
    fn from(i: HttpProxy) -> Self {
        RestIntegration::HttpProxy(i)
    }
}

impl From<MockResponse> for RestIntegration {
    fn from(i: MockResponse) -> Self {
        RestIntegration::Mock(i)
    }
}

impl From<StartExecution> for RestIntegration {
    fn from(i: StartExecution) -> Self {
        RestIntegration::StartExecution(Box::new(i))
    }
}

impl From<PutEvents> for RestIntegration {
    fn from(i: PutEvents) -> Self {
        RestIntegration::PutEvents(Box::new(i))
    }
}

impl From<DynamoDbAction> for RestIntegration {
    fn from(i: DynamoDbAction) -> Self {
        RestIntegration::DynamoDb(Box::new(i))
    }
}

/// A method's integration, the method's own responses and request parameters, and the
/// name of its target in messages.
pub(super) struct Built {
    pub(super) integration: Integration,
    pub(super) responses: Vec<MethodResponse>,
    pub(super) path_parameters: Vec<String>,
    pub(super) target: String,
}

/// The integration answers of an AWS action: success as the service answered (or through
/// `success`), and the service's 4XX and 5XX errors as 400 and 500 with fixed messages.
fn aws_responses(success: Option<&str>) -> (Vec<IntegrationResponse>, Vec<MethodResponse>) {
    let json = "application/json";
    let mut ok = IntegrationResponse::new("200");
    if let Some(t) = success {
        ok = ok.insert_response_templates(json, t);
    }
    let integration = vec![
        ok,
        IntegrationResponse::new("400")
            .selection_pattern("4\\d{2}")
            .insert_response_templates(json, "{\"message\":\"the request was refused\"}"),
        IntegrationResponse::new("500")
            .selection_pattern("5\\d{2}")
            .insert_response_templates(json, "{\"message\":\"internal error\"}"),
    ];
    let method = ["200", "400", "500"]
        .iter()
        .map(|s| MethodResponse::new(*s))
        .collect();
    (integration, method)
}

/// The integration of the method `verb path` of the API `api` (logical ID `api_id`), with
/// the role an AWS action needs; `Err` with what API Gateway or the service would refuse.
pub(super) fn build(
    stack: &mut Stack,
    api: &ResourceRef,
    (verb, path_parameters): (&str, &[String]),
    integration: &RestIntegration,
) -> Result<Built, Vec<String>> {
    let problems = match integration {
        RestIntegration::HttpProxy(h) => {
            let mut p = h.problems(ApiKind::Rest);
            for v in h.url_variables() {
                if !path_parameters.contains(&v) {
                    p.push(format!(
                        "the endpoint URL takes `{{{}}}`, which is not a path parameter of the route",
                        v.escape_debug()
                    ));
                }
            }
            p
        }
        RestIntegration::Mock(m) => m.problems(),
        RestIntegration::StartExecution(s) => s.problems(ApiKind::Rest),
        RestIntegration::PutEvents(p) => p.problems(ApiKind::Rest),
        RestIntegration::DynamoDb(d) => d.problems(stack),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let uri = |service: &str, action: &str| {
        crate::sub(
            &format!(
                "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:{service}:action/{action}"
            ),
            [],
        )
    };
    let aws = |stack: &mut Stack,
               (service, action): (&str, &str),
               (target, owners): (&str, Vec<ResourceRef>),
               grant: Grant,
               key: Option<ViaKey<'_>>,
               template: Value<Str>,
               success: Option<&str>| {
        let mut ends: Vec<&ResourceRef> = vec![api];
        ends.extend(owners.iter());
        let role = service_role(stack, (api, target, action), &ends, grant, key);
        let (responses, method) = aws_responses(success);
        let integration = Integration::new(Type::Aws)
            .integration_http_method("POST")
            .uri(uri(service, action))
            .credentials(role.arn().cast::<Str>())
            .passthrough_behavior(PassthroughBehavior::Never)
            .insert_request_templates("application/json", template)
            .integration_responses(IntoValue::<List<IntegrationResponse>>::into_value(
                responses,
            ));
        (integration, method)
    };
    let (integration, responses, target) = match integration {
        RestIntegration::HttpProxy(h) => {
            let mut i = Integration::new(Type::HttpProxy)
                .uri(h.url().clone())
                .integration_http_method(h.endpoint_method().unwrap_or(verb).to_string());
            if let Some(t) = h.timeout() {
                i = i.timeout_in_millis(i64::from(t));
            }
            let vars = h.url_variables();
            for v in &vars {
                i = i.insert_request_parameters(
                    &format!("integration.request.path.{v}"),
                    format!("method.request.path.{v}"),
                );
            }
            let target = match h.url().literal_str() {
                Some(u) => format!("`{}`", u.escape_debug()),
                None => "an HTTP endpoint".to_string(),
            };
            return Ok(Built {
                integration: i,
                responses: Vec::new(),
                path_parameters: vars,
                target,
            });
        }
        RestIntegration::Mock(m) => {
            let mut r = IntegrationResponse::new(m.status.to_string());
            if let Some(b) = &m.body {
                r = r.insert_response_templates("application/json", b.to_string());
            }
            let i = Integration::new(Type::Mock)
                .passthrough_behavior(PassthroughBehavior::Never)
                .insert_request_templates(
                    "application/json",
                    format!("{{\"statusCode\": {}}}", m.status),
                )
                .integration_responses(IntoValue::<List<IntegrationResponse>>::into_value(vec![r]));
            (
                i,
                vec![MethodResponse::new(m.status.to_string())],
                "a mock answer".to_string(),
            )
        }
        RestIntegration::StartExecution(s) => {
            let owners = referenced(
                stack,
                s.state_machine_arn(),
                "AWS::StepFunctions::StateMachine",
            );
            let target = s.target();
            let (i, r) = aws(
                stack,
                ("states", "StartExecution"),
                (&target, owners),
                s.grant(),
                None,
                s.template(),
                None,
            );
            (i, r, format!("`{target}`"))
        }
        RestIntegration::PutEvents(p) => {
            let owners = referenced(stack, &p.bus_arn(), "AWS::Events::EventBus");
            let target = p.target();
            let (i, r) = aws(
                stack,
                ("events", "PutEvents"),
                (&target, owners),
                p.grant(),
                None,
                p.template(),
                Some(PutEvents::response_template()),
            );
            // EventBridge is called with its JSON 1.1 protocol.
            let i = i
                .insert_request_parameters(
                    "integration.request.header.X-Amz-Target",
                    "'AWSEvents.PutEvents'",
                )
                .insert_request_parameters(
                    "integration.request.header.Content-Type",
                    "'application/x-amz-json-1.1'",
                );
            (i, r, format!("`{target}`"))
        }
        RestIntegration::DynamoDb(d) => {
            let grant = d.grant();
            let key_actions = match d.op {
                DynamoOp::PutItem(_) => actions::KMS_READ_WRITE,
                _ => actions::KMS_READ,
            };
            let key = Some(ViaKey {
                target: d.target.target(),
                actions: key_actions,
                service: "dynamodb",
            });
            let target = d.table.logical_id().to_string();
            let (i, r) = aws(
                stack,
                ("dynamodb", d.action()),
                (&target, vec![d.table.clone()]),
                grant,
                key,
                d.template(),
                None,
            );
            (i, r, format!("`{target}`"))
        }
    };
    Ok(Built {
        integration,
        responses,
        path_parameters: Vec::new(),
        target,
    })
}
