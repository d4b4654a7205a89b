//! [`Cors`]: the cross-origin settings REST and HTTP APIs share, typed, with one check
//! for both ([`Cors::problems`]) and a conversion to a function URL's [`UrlCors`].
//!
//! The rules checked (what a browser or API Gateway refuses, so a CORS that deploys but
//! never answers a browser):
//! - an origin is `scheme://host[:port]`, as a browser's `Origin` header carries it (the
//!   Fetch standard's serialization of an origin; API Gateway Developer Guide,
//!   "Configuring CORS for an HTTP API": `AllowOrigins` such as `https://www.example.com`),
//!   or `*` alone;
//! - header names are HTTP tokens (RFC 9110, 5.1 and 5.6.2), or `*`;
//! - methods are typed ([`CorsMethod`]); `*` alone;
//! - allowing credentials with the origin `*` is refused: browsers reject the response
//!   (Fetch standard, CORS check: `Access-Control-Allow-Origin: *` fails with credentials
//!   included) and API Gateway refuses the HTTP API's configuration ("Configuring CORS for
//!   an HTTP API": you can't set `AllowCredentials` with `*` origins);
//! - the max age is 0 to 86,400 seconds (the HTTP API's and the function URL's `MaxAge`
//!   bounds, `AWS::ApiGatewayV2::Api.Cors` and `AWS::Lambda::Url.Cors`).

use std::time::Duration;

/// A method a [`Cors`] allows: the methods a function URL's CORS takes
/// (`AWS::Lambda::Url` `Cors.AllowMethods`, whose generated type is `UrlMethod`; a
/// `Cors` converts into a function URL's CORS with the `lambda` feature), so one list
/// serves the three CORS surfaces. `Unnamed` is `*` (any method), given alone. Its own
/// type, so REST and HTTP APIs have it without the `lambda` feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CorsMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `*`
    Unnamed,
}

impl CorsMethod {
    /// The method as CORS headers and CloudFormation spell it (`GET`, `*`).
    pub fn as_str(self) -> &'static str {
        match self {
            CorsMethod::Get => "GET",
            CorsMethod::Put => "PUT",
            CorsMethod::Head => "HEAD",
            CorsMethod::Post => "POST",
            CorsMethod::Patch => "PATCH",
            CorsMethod::Delete => "DELETE",
            CorsMethod::Unnamed => "*",
        }
    }
}

#[cfg(feature = "lambda")]
impl From<CorsMethod> for crate::lambda::url::AllowMethods {
    fn from(m: CorsMethod) -> Self {
        use crate::lambda::url::AllowMethods as A;
        match m {
            CorsMethod::Get => A::Get,
            CorsMethod::Put => A::Put,
            CorsMethod::Head => A::Head,
            CorsMethod::Post => A::Post,
            CorsMethod::Patch => A::Patch,
            CorsMethod::Delete => A::Delete,
            CorsMethod::Unnamed => A::Unnamed,
        }
    }
}

/// The most seconds a preflight may be cached (`MaxAge`'s bound on an HTTP API and a
/// function URL).
pub const MAX_AGE_SECONDS: u64 = 86_400;

/// Cross-origin settings: browsers on the allowed origins may call the API. Built with
/// [`Cors::new`] (or [`Cors::any_origin`]) and its options; checked where it is used, so
/// a mistake is a synth error naming the API.
///
/// ```
/// use std::time::Duration;
/// use nephos::constructs::{Cors, CorsMethod};
/// let cors = Cors::new(["https://app.example.com"])
///     .allow_methods([CorsMethod::Get, CorsMethod::Post])
///     .allow_headers(["Content-Type", "Authorization"])
///     .expose_headers(["X-Request-Id"])
///     .allow_credentials()
///     .max_age(Duration::from_secs(600));
/// assert!(cors.problems().is_empty());
/// assert!(!Cors::new(["app.example.com"]).problems().is_empty());
/// assert!(!Cors::new(["*"]).allow_credentials().problems().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cors {
    origins: Vec<String>,
    methods: Vec<CorsMethod>,
    /// Methods outside the typed list (`OPTIONS`), kept for the REST preflight's header.
    options_method: bool,
    headers: Vec<String>,
    expose_headers: Vec<String>,
    credentials: bool,
    max_age: Option<Duration>,
}

impl Cors {
    /// Browsers on `origins` (`scheme://host[:port]`, or `*` alone for any) may call the
    /// API; no method or header yet.
    pub fn new<S: Into<String>>(origins: impl IntoIterator<Item = S>) -> Self {
        Cors {
            origins: origins.into_iter().map(Into::into).collect(),
            methods: Vec::new(),
            options_method: false,
            headers: Vec::new(),
            expose_headers: Vec::new(),
            credentials: false,
            max_age: None,
        }
    }

    /// Any origin, the usual methods (`GET`, `POST`, `PUT`, `DELETE`, `OPTIONS`) and
    /// headers (`Content-Type`, `Authorization`), no credentials.
    pub fn any_origin() -> Self {
        let mut cors = Cors::new(["*"])
            .allow_methods([
                CorsMethod::Get,
                CorsMethod::Post,
                CorsMethod::Put,
                CorsMethod::Delete,
            ])
            .allow_headers(["Content-Type", "Authorization"]);
        cors.options_method = true;
        cors
    }

    /// The methods allowed (added to those given before).
    pub fn allow_methods(mut self, methods: impl IntoIterator<Item = CorsMethod>) -> Self {
        self.methods.extend(methods);
        self
    }

    /// The request headers allowed (HTTP header names, or `*`).
    pub fn allow_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.headers.extend(headers.into_iter().map(Into::into));
        self
    }

    /// The response headers a browser lets the page read (beyond the CORS-safelisted
    /// ones). On a REST API with a proxy integration the function's responses must carry
    /// `Access-Control-Expose-Headers` themselves; the preflight sends it too.
    pub fn expose_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.expose_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// Lets browsers send credentials (cookies, TLS client certificates, HTTP
    /// authentication): `Access-Control-Allow-Credentials: true`. Refused with the origin
    /// `*`.
    pub fn allow_credentials(mut self) -> Self {
        self.credentials = true;
        self
    }

    /// How long a browser may cache a preflight's answer (0 to 86,400 whole seconds).
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// The origins allowed.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// The methods allowed, as sent in `Access-Control-Allow-Methods` (with `OPTIONS`
    /// when [`any_origin`](Cors::any_origin) listed it).
    pub fn method_names(&self) -> Vec<&'static str> {
        let mut out: Vec<&str> = self.methods.iter().map(|m| m.as_str()).collect();
        if self.options_method {
            out.push("OPTIONS");
        }
        out
    }

    /// The request headers allowed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The response headers exposed.
    pub fn exposed_headers(&self) -> &[String] {
        &self.expose_headers
    }

    /// Whether credentials are allowed.
    pub fn credentials(&self) -> bool {
        self.credentials
    }

    /// The preflight cache age in whole seconds, if set.
    pub fn max_age_seconds(&self) -> Option<u64> {
        self.max_age.map(|a| a.as_secs())
    }

    /// Every reason a browser or API Gateway would refuse these settings (the rules are in
    /// this module's documentation); empty when none. Texts are shown escaped.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.origins.is_empty() {
            out.push("no origin is allowed (give at least one, or `*` for any)".to_string());
        }
        if self.origins.len() > 1 && self.origins.iter().any(|o| o == "*") {
            out.push("`*` is given beside other origins (give `*` alone for any origin, or list the origins without it)".to_string());
        }
        for origin in self.origins.iter().filter(|o| *o != "*") {
            if !is_origin(origin) {
                out.push(format!(
                    "the origin {origin:?} is not an origin (`scheme://host` or `scheme://host:port`, e.g. `https://app.example.com`; a browser's `Origin` always has the scheme)"
                ));
            }
        }
        if self.methods.len() > 1 && self.methods.contains(&CorsMethod::Unnamed) {
            out.push(
                "the method `*` is given beside other methods (give it alone for any method)"
                    .to_string(),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.methods {
            if !seen.insert(m.as_str()) {
                out.push(format!("the method `{}` is given twice", m.as_str()));
            }
        }
        for (what, list) in [
            ("allowed header", &self.headers),
            ("exposed header", &self.expose_headers),
        ] {
            for h in list.iter().filter(|h| *h != "*") {
                if !is_token(h) {
                    out.push(format!(
                        "the {what} {h:?} is not a header name (letters, digits and `!#$%&*+-.^_|~`, no space or quote)"
                    ));
                }
            }
        }
        if self.credentials && self.origins.iter().any(|o| o == "*") {
            out.push("credentials are allowed with the origin `*`, which browsers and API Gateway refuse (list the origins)".to_string());
        }
        if let Some(age) = self.max_age
            && (age.as_secs() > MAX_AGE_SECONDS || age.subsec_nanos() != 0)
        {
            out.push(format!(
                "the max age {age:?} is not a whole number of seconds from 0 to {MAX_AGE_SECONDS}"
            ));
        }
        out
    }
}

/// A function URL's CORS from the same settings: its methods are the same type; `OPTIONS`
/// is left out (Lambda answers the preflight itself and takes no `OPTIONS` in the list).
/// Check [`Cors::problems`] first: the URL's resource takes what it is given.
#[cfg(feature = "lambda")]
impl From<Cors> for crate::lambda::url::Cors {
    fn from(cors: Cors) -> Self {
        let mut url = crate::lambda::url::Cors::new().allow_origins(cors.origins);
        if !cors.methods.is_empty() {
            url = url.allow_methods(
                cors.methods
                    .into_iter()
                    .map(Into::into)
                    .collect::<Vec<crate::lambda::url::AllowMethods>>(),
            );
        }
        if !cors.headers.is_empty() {
            url = url.allow_headers(cors.headers);
        }
        if !cors.expose_headers.is_empty() {
            url = url.expose_headers(cors.expose_headers);
        }
        if cors.credentials {
            url = url.allow_credentials(true);
        }
        if let Some(age) = cors.max_age {
            url = url.max_age(i64::try_from(age.as_secs()).unwrap_or(i64::MAX));
        }
        url
    }
}

/// Whether `text` has an origin's form, `scheme://host[:port]`, in plain ASCII.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let port_ok = (port.is_empty() && !rest.ends_with(':'))
        || (port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit()));
    scheme_ok && host_ok && port_ok
}

/// Whether `text` is an HTTP token (RFC 9110, 5.6.2: `tchar`), as a header name is.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '!' | '#'
                        | '$'
                        | '%'
                        | '&'
                        | '*'
                        | '+'
                        | '-'
                        | '.'
                        | '^'
                        | '_'
                        | '`'
                        | '|'
                        | '~'
                )
        })
}
