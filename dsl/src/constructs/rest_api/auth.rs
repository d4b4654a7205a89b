//! Who may call a REST API method: [`RestAuthorization`] (none, IAM, or a
//! [`RestAuthorizer`]: Lambda token, Lambda request or Cognito user pools), set for the
//! whole API ([`RestApi::default_authorization`](super::RestApi::default_authorization))
//! and per method ([`RestMethod::authorization`](super::RestMethod::authorization)).
//!
//! Facts from the API Gateway Developer Guide ("Use API Gateway Lambda authorizers",
//! "Control access to REST APIs using Amazon Cognito user pools as an authorizer") and
//! the `CreateAuthorizer` API reference: a token authorizer reads one header; a request
//! authorizer's identity sources are comma-separated `method.request.*`, `context.*` or
//! `stageVariables.*` expressions, needed when results are cached; the result TTL is 0 to
//! 3600 seconds; a Cognito authorizer names its user pools' ARNs; authorization scopes
//! apply to Cognito authorizers only; a name has 1 to 128 characters.

use std::time::Duration;

use crate::constructs::ids::pascal;
use crate::constructs::wiring::FunctionEnd;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::kinds::{
    ApiGatewayAuthorizerId, ApiGatewayRestApiId, CognitoUserPoolArn, LambdaFunctionArn,
};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// Where a REST authorizer reads the caller's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestIdentitySource {
    /// A request header (`method.request.header.<name>`).
    Header(String),
    /// A query string parameter (`method.request.querystring.<name>`).
    Query(String),
    /// A context variable (`context.<name>`).
    Context(String),
    /// A stage variable (`stageVariables.<name>`).
    StageVariable(String),
}

impl RestIdentitySource {
    /// The expression API Gateway reads.
    pub fn expression(&self) -> String {
        match self {
            RestIdentitySource::Header(n) => format!("method.request.header.{n}"),
            RestIdentitySource::Query(n) => format!("method.request.querystring.{n}"),
            RestIdentitySource::Context(n) => format!("context.{n}"),
            RestIdentitySource::StageVariable(n) => format!("stageVariables.{n}"),
        }
    }

    fn name(&self) -> &str {
        match self {
            RestIdentitySource::Header(n)
            | RestIdentitySource::Query(n)
            | RestIdentitySource::Context(n)
            | RestIdentitySource::StageVariable(n) => n,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Token {
        arn: Value<LambdaFunctionArn>,
        function: ResourceRef,
        header: String,
        validation: Option<String>,
    },
    Request {
        arn: Value<LambdaFunctionArn>,
        function: ResourceRef,
        identity: Vec<RestIdentitySource>,
    },
    Cognito {
        pools: Vec<Value<CognitoUserPoolArn>>,
        header: String,
    },
}

/// An authorizer of a REST API, added once per API under `<Api><Name>Authorizer` when a
/// method (or the API's default) first uses it; a Lambda authorizer gets the permission
/// for API Gateway to invoke it as this authorizer only. Results are cached for 300
/// seconds per identity unless set.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, RestApi, RestAuthorization, RestAuthorizer, Runtime};
/// let mut stack = Stack::new("App");
/// let check = stack.add("Check", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let f = stack.add("Users", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Api", RestApi::new("users")
///     .default_authorization(RestAuthorization::authorizer(RestAuthorizer::token("Tokens", &check))));
/// api.route(&mut stack, "GET", "/users", &f);
/// api.route(&mut stack, "GET", "/health", &f).authorization(&mut stack, RestAuthorization::None);
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["ApiTokensAuthorizer"]["Properties"]["Type"], "TOKEN");
/// assert_eq!(t["Resources"]["ApiUsersGet"]["Properties"]["AuthorizationType"], "CUSTOM");
/// assert_eq!(t["Resources"]["ApiHealthGet"]["Properties"]["AuthorizationType"], "NONE");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RestAuthorizer {
    name: String,
    kind: Kind,
    ttl: Duration,
}

impl RestAuthorizer {
    /// A Lambda token authorizer: `function` gets the bearer token of the `Authorization`
    /// header and returns an IAM policy.
    pub fn token(name: impl Into<String>, function: &impl FunctionEnd) -> Self {
        RestAuthorizer {
            name: name.into(),
            kind: Kind::Token {
                arn: function.function_arn(),
                function: function.resource_ref().clone(),
                header: "Authorization".to_string(),
                validation: None,
            },
            ttl: Duration::from_secs(300),
        }
    }

    /// A Lambda request authorizer: `function` gets the request's headers, query string,
    /// stage variables and context, cached per the values of `identity`.
    pub fn request(
        name: impl Into<String>,
        function: &impl FunctionEnd,
        identity: impl IntoIterator<Item = RestIdentitySource>,
    ) -> Self {
        RestAuthorizer {
            name: name.into(),
            kind: Kind::Request {
                arn: function.function_arn(),
                function: function.resource_ref().clone(),
                identity: identity.into_iter().collect(),
            },
            ttl: Duration::from_secs(300),
        }
    }

    /// A Cognito user pools authorizer: an ID or access token of one of `pools` in the
    /// `Authorization` header (`pool.arn()` of a generated `cognito::UserPool`, or
    /// `Value::literal(arn)` for a pool outside the app).
    pub fn cognito<A: IntoValue<CognitoUserPoolArn>>(
        name: impl Into<String>,
        pools: impl IntoIterator<Item = A>,
    ) -> Self {
        RestAuthorizer {
            name: name.into(),
            kind: Kind::Cognito {
                pools: pools.into_iter().map(IntoValue::into_value).collect(),
                header: "Authorization".to_string(),
            },
            ttl: Duration::from_secs(300),
        }
    }

    /// The header a token or Cognito authorizer reads (`Authorization` unless set).
    pub fn header(mut self, name: impl Into<String>) -> Self {
        match &mut self.kind {
            Kind::Token { header, .. } | Kind::Cognito { header, .. } => *header = name.into(),
            Kind::Request { identity, .. } => {
                identity.push(RestIdentitySource::Header(name.into()));
            }
        }
        self
    }

    /// A regular expression a token authorizer's token must match before the function
    /// is called (others are refused with 401).
    pub fn token_validation(mut self, regex: impl Into<String>) -> Self {
        if let Kind::Token { validation, .. } = &mut self.kind {
            *validation = Some(regex.into());
        }
        self
    }

    /// How long API Gateway caches the result per identity (0 to 3600 s; 0 turns it off).
    pub fn result_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    fn is_cognito(&self) -> bool {
        matches!(self.kind, Kind::Cognito { .. })
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=128).contains(&self.name.chars().count()) || pascal(&self.name).is_empty() {
            out.push(format!(
                "the authorizer name `{}` must have 1 to 128 characters, with a letter or digit",
                self.name.escape_debug()
            ));
        }
        if self.ttl > Duration::from_secs(3600) || self.ttl.subsec_nanos() != 0 {
            out.push(format!(
                "the result TTL {:?} is not a whole number of seconds from 0 to 3600",
                self.ttl
            ));
        }
        let name_ok = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match &self.kind {
            Kind::Token { header, .. } | Kind::Cognito { header, .. } if !name_ok(header) => {
                out.push(format!("`{}` is not a header name", header.escape_debug()));
            }
            Kind::Request { identity, .. } => {
                if identity.is_empty() && !self.ttl.is_zero() {
                    out.push("a request authorizer whose results are cached (a TTL above 0) needs at least one identity source".to_string());
                }
                if let Some(bad) = identity.iter().find(|s| !name_ok(s.name())) {
                    out.push(format!(
                        "the identity source `{}` is not a name API Gateway reads",
                        bad.expression().escape_debug()
                    ));
                }
            }
            Kind::Cognito { pools, .. } if pools.is_empty() => {
                out.push("a Cognito authorizer needs at least one user pool".to_string());
            }
            _ => {}
        }
        out
    }

    /// The authorizer under `<api><Name>Authorizer` (added on first use), with its
    /// invoke permission for a Lambda authorizer; `None` after a synth error.
    fn add(
        &self,
        stack: &mut Stack,
        api: &ResourceRef,
        api_id: Value<ApiGatewayRestApiId>,
    ) -> Option<Value<ApiGatewayAuthorizerId>> {
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
                "fix the authorizer's settings (see `RestAuthorizer`'s documentation for what API Gateway accepts)",
            ));
            return None;
        }
        let (kind, lambda) = match &self.kind {
            Kind::Token { arn, function, .. } => ("TOKEN", Some((arn, function))),
            Kind::Request { arn, function, .. } => ("REQUEST", Some((arn, function))),
            Kind::Cognito { .. } => ("COGNITO_USER_POOLS", None),
        };
        let mut a = crate::apigateway::Authorizer::new(self.name.clone(), api_id.clone(), kind)
            .authorizer_result_ttl_in_seconds(self.ttl.as_secs() as i64);
        a = match &self.kind {
            Kind::Token {
                header, validation, ..
            } => {
                let a = a.identity_source(format!("method.request.header.{header}"));
                match validation {
                    Some(v) => a.identity_validation_expression(v.clone()),
                    None => a,
                }
            }
            Kind::Request { identity, .. } if !identity.is_empty() => a.identity_source(
                identity
                    .iter()
                    .map(RestIdentitySource::expression)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Kind::Request { .. } => a,
            Kind::Cognito { pools, header } => a
                .identity_source(format!("method.request.header.{header}"))
                .provider_arns(pools.clone()),
        };
        let mut ends: Vec<&ResourceRef> = vec![api];
        if let Some((arn, function)) = lambda {
            a = a.authorizer_uri(crate::constructs::wiring::api_route::lambda_invocation_uri(
                arn.clone(),
            ));
            ends.push(function);
        }
        let handle = crate::constructs::wiring::place(stack, &id, a, &ends, "an authorizer");
        if let Some((arn, function)) = lambda {
            crate::constructs::wiring::api_route::authorizer_invoke_permission(
                stack,
                &id,
                api,
                api_id,
                handle.reference(),
                arn.clone(),
                function,
            );
        }
        Some(handle.reference())
    }
}

/// Who may call a REST API method.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum RestAuthorization {
    /// Anyone (the default of an API without a default authorization).
    #[default]
    None,
    /// Callers sign requests (SigV4) with IAM credentials allowed `execute-api:Invoke`.
    Iam,
    /// An authorizer decides; a Cognito token must carry one of the scopes, if any.
    Authorizer(Box<RestAuthorizer>, Vec<String>),
}

impl RestAuthorization {
    /// Authorization by `authorizer`, no scopes required.
    pub fn authorizer(authorizer: RestAuthorizer) -> Self {
        RestAuthorization::Authorizer(Box::new(authorizer), Vec::new())
    }

    /// Authorization by the Cognito `authorizer`, the access token carrying one of
    /// `scopes`; with a Lambda authorizer a synth error (API Gateway checks scopes of
    /// Cognito authorizers only).
    pub fn with_scopes<S: Into<String>>(
        authorizer: RestAuthorizer,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        RestAuthorization::Authorizer(
            Box::new(authorizer),
            scopes.into_iter().map(Into::into).collect(),
        )
    }
}

/// Sets `method`'s authorization properties for `auth` (adding the authorizer on first
/// use).
pub(super) fn apply(
    stack: &mut Stack,
    api: &ResourceRef,
    api_id: Value<ApiGatewayRestApiId>,
    method: &ResourceRef,
    auth: &RestAuthorization,
) {
    let text = |s: &str| Some(Value::<Str>::from(s).into_any());
    let (kind, authorizer, scopes): (_, Option<Value<Any>>, Option<Value<Any>>) = match auth {
        RestAuthorization::None => (text("NONE"), None, None),
        RestAuthorization::Iam => (text("AWS_IAM"), None, None),
        RestAuthorization::Authorizer(a, scopes) => {
            if !scopes.is_empty() && !a.is_cognito() {
                stack.problem(Diagnostic::error(
                    Location::property(method.logical_id(), "AuthorizationScopes"),
                    format!(
                        "method `{}` asks for the scopes {scopes:?} from the Lambda authorizer `{}`; API Gateway checks scopes of Cognito authorizers only",
                        method.logical_id(),
                        a.name.escape_debug()
                    ),
                    "drop the scopes, or check them inside the Lambda authorizer",
                ));
                return;
            }
            let Some(id) = a.add(stack, api, api_id) else {
                return;
            };
            let kind = if a.is_cognito() {
                "COGNITO_USER_POOLS"
            } else {
                "CUSTOM"
            };
            let scopes = (!scopes.is_empty()).then(|| {
                IntoValue::<crate::kind::List<Str>>::into_value(
                    scopes.iter().map(String::as_str).collect::<Vec<_>>(),
                )
                .into_any()
            });
            (text(kind), Some(id.into_any()), scopes)
        }
    };
    stack.set_property(method, "AuthorizationType", kind);
    stack.set_property(method, "AuthorizerId", authorizer);
    stack.set_property(method, "AuthorizationScopes", scopes);
}
