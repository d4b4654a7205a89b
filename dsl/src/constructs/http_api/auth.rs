//! Who may call an HTTP API route: [`HttpAuthorization`] (none, IAM, or an
//! [`HttpAuthorizer`]: JWT or Lambda), set for the whole API
//! ([`HttpApi::default_authorization`](super::HttpApi::default_authorization)) and per
//! route ([`HttpRoute::authorization`](super::HttpRoute::authorization)).
//!
//! Facts from the API Gateway Developer Guide ("Controlling and managing access to an HTTP
//! API": JWT authorizers, AWS Lambda authorizers, IAM authorization) and the
//! `CreateAuthorizer` API reference: a JWT authorizer takes one identity source and at
//! least one audience, and its issuer is an `https://` URL; a Lambda authorizer's result
//! TTL is at most 3600 seconds, and caching (a TTL above 0) needs an identity source;
//! authorization scopes apply to JWT authorizers only; an authorizer's name has 1 to 128
//! characters.

use std::time::Duration;

use crate::constructs::ids::pascal;
use crate::constructs::wiring::FunctionEnd;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::{ApiGatewayV2AuthorizerId, LambdaFunctionArn};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
#[cfg(feature = "cognito")]
use crate::sub;
use crate::value::value::{IntoValue, Value};

/// Where an authorizer reads the caller's identity from in a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentitySource {
    /// A request header (`$request.header.<name>`), such as `Authorization`.
    Header(String),
    /// A query string parameter (`$request.querystring.<name>`).
    Query(String),
    /// A context variable (`$context.<name>`), such as `identity.sourceIp`.
    Context(String),
    /// A stage variable (`$stageVariables.<name>`).
    StageVariable(String),
}

impl IdentitySource {
    /// The `Authorization` header: where JWTs and most tokens travel.
    pub fn authorization_header() -> Self {
        IdentitySource::Header("Authorization".to_string())
    }

    /// The selection expression API Gateway reads (`$request.header.Authorization`).
    pub fn expression(&self) -> String {
        match self {
            IdentitySource::Header(n) => format!("$request.header.{n}"),
            IdentitySource::Query(n) => format!("$request.querystring.{n}"),
            IdentitySource::Context(n) => format!("$context.{n}"),
            IdentitySource::StageVariable(n) => format!("$stageVariables.{n}"),
        }
    }

    fn name(&self) -> &str {
        match self {
            IdentitySource::Header(n)
            | IdentitySource::Query(n)
            | IdentitySource::Context(n)
            | IdentitySource::StageVariable(n) => n,
        }
    }
}

/// What a Lambda authorizer returns (payload format 2.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LambdaResponse {
    /// `{"isAuthorized": true, "context": {...}}` (simple responses): the default.
    #[default]
    Simple,
    /// An IAM policy document allowing or denying `execute-api:Invoke`.
    IamPolicy,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Jwt {
        issuer: Value<Str>,
        audiences: Vec<Value<Str>>,
    },
    Lambda {
        arn: Value<LambdaFunctionArn>,
        function: ResourceRef,
        ttl: Duration,
        response: LambdaResponse,
    },
}

/// An authorizer of an HTTP API: JWT (any OpenID Connect issuer, or a Cognito user pool)
/// or a Lambda function (payload format 2.0, with the permission for API Gateway to
/// invoke it). Added once per API under `<Api><Name>Authorizer`, when a route (or the
/// API's default) first uses it.
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, HttpApi, HttpAuthorization, HttpAuthorizer, IdentitySource, Runtime};
/// let mut stack = Stack::new("App");
/// let check = stack.add("Check", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let f = stack.add("Items", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let tokens = HttpAuthorizer::lambda("Tokens", &check)
///     .identity_sources([IdentitySource::Header("X-Api-Token".into())])
///     .result_ttl(Duration::from_secs(60));
/// let api = stack.add("Http", HttpApi::new("items").default_authorization(HttpAuthorization::authorizer(tokens)));
/// api.route(&mut stack, "GET", "/items", &f);
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["HttpTokensAuthorizer"]["Properties"]["AuthorizerType"], "REQUEST");
/// assert_eq!(t["Resources"]["HttpItemsGet"]["Properties"]["AuthorizationType"], "CUSTOM");
/// assert!(t["Resources"]["HttpTokensAuthorizerPermission"].is_object());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HttpAuthorizer {
    name: String,
    kind: Kind,
    identity: Vec<IdentitySource>,
}

impl HttpAuthorizer {
    /// A JWT authorizer named `name`: tokens from the `Authorization` header, signed by
    /// `issuer` (an `https://` URL, whose OpenID configuration API Gateway reads) for one
    /// of `audiences` (the `aud` or `client_id` claim).
    pub fn jwt<A: IntoValue<Str>>(
        name: impl Into<String>,
        issuer: impl IntoValue<Str>,
        audiences: impl IntoIterator<Item = A>,
    ) -> Self {
        HttpAuthorizer {
            name: name.into(),
            kind: Kind::Jwt {
                issuer: issuer.into_value(),
                audiences: audiences.into_iter().map(IntoValue::into_value).collect(),
            },
            identity: vec![IdentitySource::authorization_header()],
        }
    }

    /// A JWT authorizer for the users of a Cognito user pool signing in through `client`:
    /// the pool's issuer URL and the client's ID as the audience.
    #[cfg(feature = "cognito")]
    pub fn cognito(
        name: impl Into<String>,
        pool: &crate::cognito::UserPoolHandle,
        client: &crate::cognito::UserPoolClientHandle,
    ) -> Self {
        Self::jwt(
            name,
            sub!("https://${url}", url = pool.provider_url()),
            [client.client_id().cast::<Str>()],
        )
    }

    /// A Lambda request authorizer named `name` running `function`: payload format 2.0,
    /// simple responses, the identity from the `Authorization` header, results cached
    /// for 300 seconds per identity. API Gateway is allowed to invoke the function for
    /// this authorizer only.
    pub fn lambda(name: impl Into<String>, function: &impl FunctionEnd) -> Self {
        HttpAuthorizer {
            name: name.into(),
            kind: Kind::Lambda {
                arn: function.function_arn(),
                function: function.resource_ref().clone(),
                ttl: Duration::from_secs(300),
                response: LambdaResponse::Simple,
            },
            identity: vec![IdentitySource::authorization_header()],
        }
    }

    /// Where the identity is read (a JWT authorizer takes exactly one). A request
    /// without every one of them is refused with 401 before the authorizer runs.
    pub fn identity_sources(mut self, sources: impl IntoIterator<Item = IdentitySource>) -> Self {
        self.identity = sources.into_iter().collect();
        self
    }

    /// How long API Gateway caches a Lambda authorizer's answer per identity (0 to 3600
    /// seconds; 0 turns caching off). Only for Lambda authorizers.
    pub fn result_ttl(mut self, ttl: Duration) -> Self {
        if let Kind::Lambda { ttl: t, .. } = &mut self.kind {
            *t = ttl;
        }
        self
    }

    /// What the Lambda authorizer returns (simple responses unless set).
    pub fn response(mut self, response: LambdaResponse) -> Self {
        if let Kind::Lambda { response: r, .. } = &mut self.kind {
            *r = response;
        }
        self
    }

    /// The authorizer's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn is_jwt(&self) -> bool {
        matches!(self.kind, Kind::Jwt { .. })
    }

    /// What API Gateway would refuse in this authorizer.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=128).contains(&self.name.chars().count()) || pascal(&self.name).is_empty() {
            out.push(format!(
                "the authorizer name `{}` must have 1 to 128 characters, with a letter or digit (nephos names its resource after them)",
                self.name.escape_debug()
            ));
        }
        for s in &self.identity {
            let name = s.name();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                out.push(format!(
                    "the identity source `{}` is not a header, query, context or stage variable name API Gateway reads",
                    s.expression().escape_debug()
                ));
            }
        }
        match &self.kind {
            Kind::Jwt { issuer, audiences } => {
                if self.identity.len() != 1 {
                    out.push(format!(
                        "a JWT authorizer reads its token from exactly one identity source, not {}",
                        self.identity.len()
                    ));
                }
                if audiences.is_empty() {
                    out.push("a JWT authorizer needs at least one audience (the `aud` or `client_id` its tokens carry)".to_string());
                }
                if let Some(i) = issuer.literal_str()
                    && !i.starts_with("https://")
                {
                    out.push(format!(
                        "the JWT issuer `{}` is not an `https://` URL",
                        i.escape_debug()
                    ));
                }
            }
            Kind::Lambda { ttl, .. } => {
                if *ttl > Duration::from_secs(3600) || ttl.subsec_nanos() != 0 {
                    out.push(format!(
                        "the result TTL {ttl:?} is not a whole number of seconds from 0 to 3600"
                    ));
                }
                if !ttl.is_zero() && self.identity.is_empty() {
                    out.push("caching a Lambda authorizer's result (a TTL above 0) needs at least one identity source to key the cache on".to_string());
                }
            }
        }
        out
    }

    /// The authorizer's resource under `<api><Name>Authorizer` (added on first use, the
    /// same one reused), with its invoke permission for a Lambda authorizer; `None` after
    /// a synth error.
    pub(super) fn add(
        &self,
        stack: &mut Stack,
        api: &ResourceRef,
        api_id: Value<crate::kinds::ApiGatewayV2ApiId>,
    ) -> Option<Value<ApiGatewayV2AuthorizerId>> {
        let id = format!("{}{}Authorizer", api.logical_id(), pascal(&self.name));
        let problems = self.problems();
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::resource(&id),
                format!(
                    "the authorizer `{}` of API `{}`: {}",
                    self.name.escape_debug(),
                    api.logical_id(),
                    problems.join("; ")
                ),
                "fix the authorizer's settings (see `HttpAuthorizer`'s documentation for what API Gateway accepts)",
            ));
            return None;
        }
        let sources: Vec<String> = self
            .identity
            .iter()
            .map(IdentitySource::expression)
            .collect();
        let base = crate::apigatewayv2::Authorizer::new(
            api_id.clone(),
            if self.is_jwt() { "JWT" } else { "REQUEST" },
            self.name.clone(),
        )
        .identity_source(sources);
        match &self.kind {
            Kind::Jwt { issuer, audiences } => {
                let jwt = crate::apigatewayv2::authorizer::JwtConfiguration::new()
                    .issuer(issuer.clone())
                    .audience(audiences.clone());
                let handle = crate::constructs::wiring::place(
                    stack,
                    &id,
                    base.jwt_configuration(jwt),
                    &[api],
                    "an authorizer",
                );
                Some(handle.reference())
            }
            Kind::Lambda {
                arn,
                function,
                ttl,
                response,
            } => {
                let uri = crate::constructs::wiring::api_route::lambda_invocation_uri(arn.clone());
                let authorizer = base
                    .authorizer_uri(uri)
                    .authorizer_payload_format_version("2.0")
                    .enable_simple_responses(*response == LambdaResponse::Simple)
                    .authorizer_result_ttl_in_seconds(ttl.as_secs() as i64);
                let handle = crate::constructs::wiring::place(
                    stack,
                    &id,
                    authorizer,
                    &[api, function],
                    "an authorizer",
                );
                crate::constructs::wiring::api_route::authorizer_invoke_permission(
                    stack,
                    &id,
                    api,
                    api_id,
                    handle.reference(),
                    arn.clone(),
                    function,
                );
                Some(handle.reference())
            }
        }
    }
}

/// Who may call a route.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, HttpApi, HttpAuthorization, HttpAuthorizer, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Items", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let users = HttpAuthorizer::jwt("Users", "https://issuer.example.com", ["my-client"]);
/// let api = stack.add("Http", HttpApi::new("items")
///     .default_authorization(HttpAuthorization::with_scopes(users, ["items/read"])));
/// api.route(&mut stack, "GET", "/items", &f);
/// api.route(&mut stack, "GET", "/health", &f).authorization(&mut stack, HttpAuthorization::None);
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["HttpItemsGet"]["Properties"]["AuthorizationType"], "JWT");
/// assert_eq!(t["Resources"]["HttpItemsGet"]["Properties"]["AuthorizationScopes"], serde_json::json!(["items/read"]));
/// assert_eq!(t["Resources"]["HttpHealthGet"]["Properties"]["AuthorizationType"], "NONE");
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum HttpAuthorization {
    /// Anyone may call the route (the default of an API without a default authorization).
    #[default]
    None,
    /// Callers sign their requests (SigV4) with IAM credentials allowed
    /// `execute-api:Invoke` on the route.
    Iam,
    /// An authorizer decides, and a JWT must carry one of the scopes (when any are given).
    Authorizer(Box<HttpAuthorizer>, Vec<String>),
}

impl HttpAuthorization {
    /// Authorization by `authorizer`, with no scopes required.
    pub fn authorizer(authorizer: HttpAuthorizer) -> Self {
        HttpAuthorization::Authorizer(Box::new(authorizer), Vec::new())
    }

    /// Authorization by the JWT `authorizer`, the token carrying at least one of
    /// `scopes` (its `scope` or `scp` claim). Scopes with a Lambda authorizer are a synth
    /// error: API Gateway checks them for JWT authorizers only.
    pub fn with_scopes<S: Into<String>>(
        authorizer: HttpAuthorizer,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        HttpAuthorization::Authorizer(
            Box::new(authorizer),
            scopes.into_iter().map(Into::into).collect(),
        )
    }
}

/// Sets `route`'s authorization properties for `auth` (adding the authorizer on first
/// use); what API Gateway would refuse is a synth error naming the route.
pub(super) fn apply(
    stack: &mut Stack,
    api: &ResourceRef,
    api_id: Value<crate::kinds::ApiGatewayV2ApiId>,
    route: &ResourceRef,
    auth: &HttpAuthorization,
) {
    let set = |stack: &mut Stack, name: &str, v: Option<Value<crate::kind::Any>>| {
        stack.set_property(route, name, v);
    };
    match auth {
        HttpAuthorization::None => {
            set(
                stack,
                "AuthorizationType",
                Some(Value::<Str>::from("NONE").into_any()),
            );
            set(stack, "AuthorizerId", None);
            set(stack, "AuthorizationScopes", None);
        }
        HttpAuthorization::Iam => {
            set(
                stack,
                "AuthorizationType",
                Some(Value::<Str>::from("AWS_IAM").into_any()),
            );
            set(stack, "AuthorizerId", None);
            set(stack, "AuthorizationScopes", None);
        }
        HttpAuthorization::Authorizer(authorizer, scopes) => {
            if !scopes.is_empty() && !authorizer.is_jwt() {
                stack.problem(Diagnostic::error(
                    Location::property(route.logical_id(), "AuthorizationScopes"),
                    format!(
                        "route `{}` asks for the scopes {scopes:?} from the Lambda authorizer `{}`; API Gateway checks scopes of JWT authorizers only",
                        route.logical_id(),
                        authorizer.name.escape_debug()
                    ),
                    "drop the scopes, or check them inside the Lambda authorizer",
                ));
                return;
            }
            if let Some(bad) = scopes
                .iter()
                .find(|s| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()))
            {
                stack.problem(Diagnostic::error(
                    Location::property(route.logical_id(), "AuthorizationScopes"),
                    format!(
                        "route `{}`: the scope `{}` is empty or contains white space, which no token scope can match",
                        route.logical_id(),
                        bad.escape_debug()
                    ),
                    "give each scope as one word, such as `items/read`",
                ));
                return;
            }
            let Some(id) = authorizer.add(stack, api, api_id) else {
                return;
            };
            let kind = if authorizer.is_jwt() { "JWT" } else { "CUSTOM" };
            set(
                stack,
                "AuthorizationType",
                Some(Value::<Str>::from(kind).into_any()),
            );
            set(stack, "AuthorizerId", Some(id.into_any()));
            let scopes = (!scopes.is_empty()).then(|| {
                IntoValue::<crate::kind::List<Str>>::into_value(
                    scopes.iter().map(String::as_str).collect::<Vec<_>>(),
                )
                .into_any()
            });
            set(stack, "AuthorizationScopes", scopes);
        }
    }
}
