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
//! Literal segments are limited to RFC 3986's unreserved characters and the sub-delimiters
//! `:@!$&'()*,;=` (a path segment's `pchar`, without percent-encoding), which both API
//! kinds accept; `{`, `}` and `+` only appear in parameters.

use std::collections::BTreeSet;

/// The methods API Gateway routes, `ANY` matching every one.
pub(crate) const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// The HTTP API route key that catches every request no other route matches.
pub(crate) const DEFAULT_ROUTE: &str = "$default";

/// Which API Gateway API a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiKind {
    /// A REST API (v1).
    Rest,
    /// An HTTP API (v2).
    Http,
}

/// One segment of a route's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
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
pub(crate) enum Route {
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
pub(crate) struct RouteError {
    pub(crate) message: String,
    pub(crate) fix: String,
}

fn refuse(message: String, fix: impl Into<String>) -> RouteError {
    RouteError {
        message,
        fix: fix.into(),
    }
}

/// Checks `method` and `path` against what API Gateway accepts for `kind`.
pub(crate) fn parse(kind: ApiKind, method: &str, path: &str) -> Result<Route, RouteError> {
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
    let literal_ok = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | ':'
                    | '@'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | ','
                    | ';'
                    | '='
            )
    };
    if let Some(bad) = part.chars().find(|c| !literal_ok(*c)) {
        let fix = if matches!(bad, '{' | '}' | '+') {
            "a path parameter is a whole segment: `/items/{id}`, not `/items/x{id}`".to_string()
        } else {
            "use letters, digits and `-._~:@!$&'()*,;=` in literal segments".to_string()
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
    Ok(Segment::Literal(part.to_string()))
}

impl Route {
    /// What follows `<api-id>/<stage>/` in the `execute-api` ARN of the invocations this
    /// route receives: `GET/users/*`, `*/items/*`, `$default`.
    pub(crate) fn invoke_arn_suffix(&self) -> String {
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
    pub(crate) fn route_key(&self) -> String {
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
            (ApiKind::Rest, "ANY", "$default", "/{proxy+}"),
            (ApiKind::Http, "GET", "$default", "`ANY`"),
        ];
        for (kind, m, p, fix) in cases {
            let e = parse(kind, m, p).expect_err(p);
            assert!(e.fix.contains(fix), "{m} {p}: {e:?}");
        }
    }
}
