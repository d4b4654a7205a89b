//! What API Gateway accepts as a route (method and path) and the part of the
//! `execute-api` ARN it presents when it invokes a function for that route.
//!
//! Sources (AWS API Gateway Developer Guide):
//! - methods: "Set up a method" (REST: `PutMethod`'s `httpMethod`) and "Routes for HTTP
//!   APIs": `ANY`, `DELETE`, `GET`, `HEAD`, `OPTIONS`, `PATCH`, `POST`, `PUT`;
//! - paths: segments separated by `/`; a path parameter is a whole segment `{name}`; a
//!   greedy parameter `{name+}` catches the rest of the path and must be last; HTTP APIs
//!   also take the catch-all route key `$default`;
//! - "API Gateway Amazon Resource Name (ARN) reference", execute-api: invocations come from
//!   `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`
//!   with the concrete method and path of the request, so a permission's `SourceArn` must
//!   write each parameter segment and the `ANY` method as `*`; an HTTP API's `$default`
//!   route is invoked as `<api-id>/<stage>/$default`.
//!
//! Literal segments take letters, digits and `._-:`: API Gateway's `CreateResource` refuses
//! any other character ("Resource's path part only allow a-zA-Z0-9._- and curly braces at
//! the beginning and the end and an optional plus sign before the closing brace"; the
//! colon is accepted too, and moto 5.2.5's `apigateway` model checks the same set). HTTP
//! APIs document no narrower rule; nephos applies the same set so a route keeps working
//! when moved between the two kinds. `{`, `}` and `+` only appear in parameters. A literal
//! segment also needs a letter or digit, since logical IDs are built from them.

use std::collections::BTreeSet;

/// The methods API Gateway routes, `ANY` matching every one.
pub const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// The HTTP API route key that catches every request no other route matches.
pub const DEFAULT_ROUTE: &str = "$default";

/// Which API Gateway API a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// A REST API (v1).
    Rest,
    /// An HTTP API (v2).
    Http,
}

/// One segment of a route's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A literal segment.
    Literal(String),
    /// `{name}`: one segment, any value.
    Param(String),
    /// `{name+}`: the rest of the path.
    Greedy(String),
}

/// A checked route: the method in upper case and the path's segments (empty for the
/// root), or the catch-all `$default`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `METHOD /path`.
    Path {
        /// The method, upper case.
        method: String,
        /// The path's segments.
        segments: Vec<Segment>,
    },
    /// An HTTP API's `$default` route.
    Default,
}

/// Why a route was refused, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteError {
    /// What is wrong with the route.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

fn refuse(message: String, fix: impl Into<String>) -> RouteError {
    RouteError {
        message,
        fix: fix.into(),
    }
}

/// Checks `method` and `path` against what API Gateway accepts for `kind`.
pub fn parse(kind: ApiKind, method: &str, path: &str) -> Result<Route, RouteError> {
    let verb = method.to_ascii_uppercase();
    if !METHODS.contains(&verb.as_str()) {
        return Err(refuse(
            format!("`{method}` is not a method API Gateway routes"),
            format!("use one of {}", METHODS.join(", ")),
        ));
    }
    if path == DEFAULT_ROUTE {
        return match kind {
            ApiKind::Http if verb == "ANY" => Ok(Route::Default),
            ApiKind::Http => Err(refuse(
                format!("the `$default` route takes every method, not only `{verb}`"),
                "route method `ANY` on `$default`, or give a path such as `/items`",
            )),
            ApiKind::Rest => Err(refuse(
                "REST APIs have no `$default` route".to_string(),
                "route method `ANY` on `/{proxy+}` to catch every path",
            )),
        };
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(refuse(
            format!("the path `{path}` does not start with `/`"),
            format!("write `/{path}`"),
        ));
    };
    let mut segments = Vec::new();
    let mut names = BTreeSet::new();
    if rest.is_empty() {
        return Ok(Route::Path {
            method: verb,
            segments,
        });
    }
    let parts: Vec<&str> = rest.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let segment = segment(path, part)?;
        if let Segment::Param(n) | Segment::Greedy(n) = &segment
            && !names.insert(n.clone())
        {
            return Err(refuse(
                format!("the path `{path}` names the parameter `{n}` twice"),
                "give each path parameter its own name",
            ));
        }
        if matches!(segment, Segment::Greedy(_)) && i + 1 != parts.len() {
            return Err(refuse(
                format!(
                    "in the path `{path}`, the greedy parameter `{part}` is not the last segment"
                ),
                "put the greedy parameter (`{name+}`) last; it matches the rest of the path",
            ));
        }
        segments.push(segment);
    }
    Ok(Route::Path {
        method: verb,
        segments,
    })
}

fn segment(path: &str, part: &str) -> Result<Segment, RouteError> {
    if part.is_empty() {
        return Err(refuse(
            format!("the path `{path}` has an empty segment (`//` or a trailing `/`)"),
            "remove the extra `/`",
        ));
    }
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if !name_ok(name) {
            return Err(refuse(
                format!("in the path `{path}`, `{part}` is not a valid path parameter"),
                "name parameters with letters, digits, `_`, `-` and `.`: `{id}`, or `{proxy+}` for the rest of the path",
            ));
        }
        return Ok(if greedy {
            Segment::Greedy(name.to_string())
        } else {
            Segment::Param(name.to_string())
        });
    }
    // Source: API Gateway `CreateResource`'s path part rule (see the module docs).
    let literal_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':');
    if let Some(bad) = part.chars().find(|c| !literal_ok(*c)) {
        let fix = if matches!(bad, '{' | '}' | '+') {
            "a path parameter is a whole segment: `/items/{id}`, not `/items/x{id}`".to_string()
        } else {
            "use letters, digits and `._-:` in literal segments".to_string()
        };
        return Err(refuse(
            format!(
                "in the path `{path}`, the segment `{}` contains `{}`, which API Gateway does not accept there",
                part.escape_debug(),
                bad.escape_debug()
            ),
            fix,
        ));
    }
    if !part.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(refuse(
            format!("in the path `{path}`, the segment `{part}` has no letter or digit"),
            "give each segment a letter or digit: nephos names the API's resources after them",
        ));
    }
    Ok(Segment::Literal(part.to_string()))
}

/// A route whose generated logical IDs (the longest is its permission's) would be over
/// CloudFormation's limit, reported at the `route` call that made them, with what the user
/// can shorten: the API's construct ID or the path.
pub fn long_id_problem(
    api: &str,
    method: &str,
    path: &str,
    longest: &str,
) -> Option<crate::diagnostic::Diagnostic> {
    if longest.len() <= crate::MAX_LOGICAL_ID_LEN {
        return None;
    }
    let shown: String = longest.chars().take(40).collect();
    Some(crate::diagnostic::Diagnostic::error(
        crate::diagnostic::Location::resource(api),
        format!(
            "route `{method} {}` gives logical IDs of up to {} characters (`{shown}...`), over CloudFormation's {}: nephos builds them from the API's ID `{api}` and the path's segments",
            path.escape_debug(),
            longest.len(),
            crate::MAX_LOGICAL_ID_LEN
        ),
        "give the API a shorter ID in `stack.add`, or shorten the path's segments",
    ))
}

impl Route {
    /// What follows `<api-id>/<stage>/` in the `execute-api` ARN of the invocations this
    /// route receives: `GET/users/*`, `*/items/*`, `$default`.
    pub fn invoke_arn_suffix(&self) -> String {
        match self {
            Route::Default => DEFAULT_ROUTE.to_string(),
            Route::Path { method, segments } => {
                let method = if method == "ANY" { "*" } else { method };
                let mut out = method.to_string();
                if segments.is_empty() {
                    out.push('/');
                }
                for s in segments {
                    out.push('/');
                    match s {
                        Segment::Literal(l) => out.push_str(l),
                        Segment::Param(_) | Segment::Greedy(_) => out.push('*'),
                    }
                }
                out
            }
        }
    }

    /// The HTTP API route key: `GET /items/{id}` or `$default`.
    pub fn route_key(&self) -> String {
        match self {
            Route::Default => DEFAULT_ROUTE.to_string(),
            Route::Path { method, segments } => format!("{method} {}", self.path_of(segments)),
        }
    }

    fn path_of(&self, segments: &[Segment]) -> String {
        if segments.is_empty() {
            return "/".to_string();
        }
        segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => format!("/{l}"),
                Segment::Param(n) => format!("/{{{n}}}"),
                Segment::Greedy(n) => format!("/{{{n}+}}"),
            })
            .collect()
    }
}

/// The permission for an API (REST or HTTP) to invoke `function` on one route: either one
/// permission per function for every route of the API (`<api>/*/*`, `per_api`), or one for
/// this route only (`<api>/*/<invoke_suffix>`; any stage, since the console's test
/// invocations come from a stage of their own). Created once, under the conditions of
/// both the API and the function.
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub fn invoke_permission(
    stack: &mut crate::Stack,
    api: &crate::ResourceRef,
    api_id: impl crate::IntoValue<crate::kind::Str>,
    ids: (&str, &str),
    invoke_suffix: &str,
    function: &impl crate::constructs::wiring::FunctionEnd,
    per_api: bool,
) {
    let api_id = api_id.into_value();
    let (api_logical, route_id) = ids;
    let (id, source) = if per_api {
        (
            format!(
                "{api_logical}{}Permission",
                function.resource_ref().logical_id()
            ),
            crate::sub!(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*/*",
                api = api_id
            ),
        )
    } else {
        (
            format!("{route_id}Permission"),
            crate::sub!(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*/${route}",
                api = api_id,
                route = invoke_suffix
            ),
        )
    };
    // Shared by the routes to the same function (one permission) or the same route
    // wired again; a different permission under this ID is an error.
    super::place(
        stack,
        &id,
        super::invoke_permission(function, "apigateway.amazonaws.com", source),
        &[api, function.resource_ref()],
        "an invoke permission",
    );
}

/// The URI through which API Gateway (REST or HTTP) calls a Lambda function, as an
/// integration's `Uri` or an authorizer's `AuthorizerUri`: one shape for both.
///
/// ```
/// use nephos::constructs::wiring::api_route::lambda_invocation_uri;
/// use nephos::kinds::LambdaFunctionArn;
/// let arn = nephos::Value::<LambdaFunctionArn>::literal("arn:aws:lambda:eu-west-1:123456789012:function:f");
/// let uri = lambda_invocation_uri(arn).to_json();
/// assert!(uri["Fn::Sub"].as_str().unwrap().ends_with("/functions/arn:aws:lambda:eu-west-1:123456789012:function:f/invocations"));
/// ```
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub fn lambda_invocation_uri(
    function_arn: impl crate::IntoValue<crate::kinds::LambdaFunctionArn>,
) -> crate::value::value::Value<crate::kind::Str> {
    crate::sub!(
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${arn}/invocations",
        arn = function_arn.into_value()
    )
}

/// The permission for an API's Lambda authorizer (REST or HTTP) to invoke its function,
/// only as that authorizer of that API (`<api>/authorizers/<authorizer>`), placed under
/// `<id>Permission` with the conditions of the API and the function.
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub fn authorizer_invoke_permission(
    stack: &mut crate::Stack,
    id: &str,
    api: &crate::ResourceRef,
    api_id: impl crate::IntoValue<crate::kind::Str>,
    authorizer: impl crate::IntoValue<crate::kind::Str>,
    function_arn: crate::value::value::Value<crate::kinds::LambdaFunctionArn>,
    function: &crate::ResourceRef,
) {
    let source = crate::sub!(
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/authorizers/${authorizer}",
        api = api_id.into_value(),
        authorizer = authorizer.into_value()
    );
    super::place(
        stack,
        &format!("{id}Permission"),
        crate::lambda::Permission::new(
            "lambda:InvokeFunction",
            function_arn,
            "apigateway.amazonaws.com",
        )
        .source_arn(source.cast::<crate::kind::AnyArn>()),
        &[api, function],
        "an invoke permission",
    );
}

/// Whether the API's `DisableExecuteApiEndpoint` is literally `true` (clients then
/// cannot call the `execute-api` URL: API Gateway Developer Guide, "Disabling the
/// default endpoint for REST APIs"), recorded as derived from for `url()`.
pub fn endpoint_disabled(
    stack: &mut crate::stack::stack::Stack,
    id: &str,
    props: &crate::stack::props::Props,
) -> bool {
    stack.derived_from(
        id,
        "DisableExecuteApiEndpoint",
        "whether `url()` (the default `execute-api` endpoint) can be used",
        "set DisableExecuteApiEndpoint with the construct's `configure`, not `override_property`",
    );
    props
        .get_json("DisableExecuteApiEndpoint")
        .is_some_and(|v| v == true || v == "true")
}

/// The value `url()` gives when the default endpoint is disabled: an error wherever it
/// is used, naming the API, the property and the fix.
pub fn disabled_url(id: &str) -> crate::value::value::Value<crate::kind::Str> {
    crate::value::value::Value::invalid(
        format!(
            "`url()` of API `{id}` is its default `execute-api` endpoint, which its DisableExecuteApiEndpoint turns off: clients calling it get 403 Forbidden"
        ),
        "use the URL of the API's custom domain name instead, or keep the default endpoint enabled",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(kind: ApiKind, m: &str, p: &str) -> String {
        parse(kind, m, p).unwrap().invoke_arn_suffix()
    }

    #[test]
    fn path_parameters_and_any_become_wildcards_in_the_invoke_arn() {
        assert_eq!(arn(ApiKind::Rest, "GET", "/users/{id}"), "GET/users/*");
        assert_eq!(arn(ApiKind::Rest, "ANY", "/items/{proxy+}"), "*/items/*");
        assert_eq!(
            arn(ApiKind::Rest, "put", "/a/{x}/b/{y}"),
            "PUT/a/*/b/*",
            "every parameter, not only the last"
        );
        assert_eq!(arn(ApiKind::Rest, "POST", "/users"), "POST/users");
        assert_eq!(arn(ApiKind::Rest, "GET", "/"), "GET/", "the root resource");
        assert_eq!(arn(ApiKind::Http, "ANY", "$default"), "$default");
    }

    #[test]
    fn route_keys_keep_the_parameters() {
        let r = parse(ApiKind::Http, "delete", "/items/{id}").unwrap();
        assert_eq!(r.route_key(), "DELETE /items/{id}");
        assert_eq!(
            parse(ApiKind::Http, "ANY", "/{proxy+}")
                .unwrap()
                .route_key(),
            "ANY /{proxy+}"
        );
        assert_eq!(
            parse(ApiKind::Http, "GET", "/").unwrap().route_key(),
            "GET /"
        );
    }

    #[test]
    fn literal_segments_take_only_what_create_resource_accepts() {
        for ok in ["/a:b", "/a.b", "/a_b", "/a-b", "/V1"] {
            assert!(parse(ApiKind::Rest, "GET", ok).is_ok(), "{ok}");
        }
        for c in "$*@~()=,;'!&".chars() {
            for kind in [ApiKind::Rest, ApiKind::Http] {
                let p = format!("/a{c}b");
                let e = parse(kind, "GET", &p).expect_err(&p);
                assert!(
                    e.message
                        .contains(&format!("contains `{}`", c.escape_debug())),
                    "{p}: {e:?}"
                );
                assert!(e.fix.contains("`._-:`"), "{p}: {e:?}");
            }
        }
    }

    #[test]
    fn what_api_gateway_refuses_is_refused_with_a_fix() {
        let cases = [
            (ApiKind::Rest, "FETCH", "/a", "GET"),
            (ApiKind::Rest, "GET", "users", "/users"),
            (ApiKind::Rest, "GET", "/users/", "extra `/`"),
            (ApiKind::Rest, "GET", "/a//b", "extra `/`"),
            (ApiKind::Rest, "GET", "/{proxy+}/x", "last"),
            (ApiKind::Rest, "GET", "/a/{id}/b/{id}", "own name"),
            (ApiKind::Rest, "GET", "/a/x{id}", "whole segment"),
            (ApiKind::Rest, "GET", "/a/{}", "{id}"),
            (ApiKind::Rest, "GET", "/a b", "letters"),
            (ApiKind::Rest, "GET", "/a?b=1", "letters"),
            (ApiKind::Http, "GET", "/-", "letter or digit"),
            (ApiKind::Rest, "ANY", "$default", "/{proxy+}"),
            (ApiKind::Http, "GET", "$default", "`ANY`"),
        ];
        for (kind, m, p, fix) in cases {
            let e = parse(kind, m, p).expect_err(p);
            assert!(e.fix.contains(fix), "{m} {p}: {e:?}");
        }
    }
}
