//! Custom domain names of API Gateway APIs ([`CustomDomain`]), for
//! [`RestApiRef::custom_domain`](super::RestApiRef::custom_domain) and
//! [`HttpApiRef::custom_domain`](super::HttpApiRef::custom_domain): a domain name with its
//! ACM certificate, and a stage of the API mapped under a base path. Several APIs (REST
//! and HTTP alike) share one domain by giving the same name.
//!
//! Facts from the API Gateway Developer Guide: "Custom domain names for REST APIs" and
//! "for HTTP APIs" (a regional domain takes an ACM certificate of its own region, an
//! edge-optimized one a certificate of `us-east-1`; HTTP APIs take regional domains with
//! the `TLS_1_2` policy only; DNS points the name at the regional domain name, or at the
//! CloudFront distribution of an edge-optimized domain, by an alias in the hosted zone
//! given with it), "Use API mappings to connect API stages to a custom domain name"
//! (paths of letters, digits and `$-_.+!*'()`, at most 300 characters; paths of several
//! levels only on a regional domain with `TLS_1_2`; each path of a domain maps one
//! stage), and RFC 1035 (labels of 1 to 63 letters, digits and hyphens, not starting or
//! ending with a hyphen; a name of at most 253 characters).

mod mutual_tls;

pub use mutual_tls::MutualTls;

use crate::constructs::wiring::api_route::ApiKind;
use crate::kind::Str;
use crate::kinds::{CertificateManagerCertificateArn, Route53AliasTargetHostedZoneId};
use crate::stack::handle::ResourceRef;
use crate::value::value::{IntoValue, Value};

/// Where a custom domain name is served from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DomainEndpoint {
    /// In the API's region (the default; the only kind an HTTP API takes).
    #[default]
    Regional,
    /// Through CloudFront (REST APIs only; the certificate must be in `us-east-1`).
    Edge,
}

impl DomainEndpoint {
    /// The `EndpointType` value: `REGIONAL` or `EDGE`.
    pub fn name(self) -> &'static str {
        match self {
            DomainEndpoint::Regional => "REGIONAL",
            DomainEndpoint::Edge => "EDGE",
        }
    }
}

/// The TLS version a custom domain name accepts at the least.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsPolicy {
    /// TLS 1.2 (the default; the only policy an HTTP API takes).
    #[default]
    Tls12,
    /// TLS 1.0 (REST APIs only; for old clients).
    Tls10,
}

impl TlsPolicy {
    /// The `SecurityPolicy` value: `TLS_1_2` or `TLS_1_0`.
    pub fn name(self) -> &'static str {
        match self {
            TlsPolicy::Tls12 => "TLS_1_2",
            TlsPolicy::Tls10 => "TLS_1_0",
        }
    }
}

/// A custom domain name for an API: `name` (such as `api.example.com`, or a wildcard
/// `*.example.com`) served with the ACM certificate `certificate`, regional and TLS 1.2
/// unless set otherwise, the API's stage under [`base_path`](Self::base_path) (the root
/// unless set; several levels such as `v1/users` are fine).
///
/// The domain resource is `<Name>Domain` (`ApiExampleComDomain`), one per name in the
/// stack; each API's mapping is `<Api><Name><Path>Mapping`. What API Gateway would refuse
/// is a synth error naming the domain: a name that is no DNS name, a base path with other
/// characters or empty levels, a path mapped twice on one domain, one name given with
/// two different certificates or settings, an HTTP API on an edge-optimized or TLS 1.0
/// domain, and an edge-optimized domain whose certificate (a literal ARN) is not in
/// `us-east-1`.
///
/// ```
/// # #[cfg(feature = "apigatewayv2")] {
/// use nephos::{Stack, Value};
/// use nephos::constructs::{Code, CustomDomain, Function, HttpApi, RestApi, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let cert = Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000");
/// let api = stack.add("Api", RestApi::new("users"));
/// api.route(&mut stack, "GET", "/users", &f);
/// let domain = api.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert.clone()).base_path("v1"));
/// // An HTTP API on the same name: the domain is shared, the path differs.
/// let http = stack.add("Http", HttpApi::new("items"));
/// http.route(&mut stack, "GET", "/items", &f);
/// http.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert).base_path("items"));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["ApiExampleComDomain"]["Properties"]["SecurityPolicy"], "TLS_1_2");
/// assert_eq!(t["Resources"]["ApiApiExampleComV1Mapping"]["Properties"]["BasePath"], "v1");
/// assert_eq!(t["Resources"]["HttpApiExampleComItemsMapping"]["Properties"]["Stage"], "$default");
/// assert_eq!(
///     domain.alias_domain_name().to_json(),
///     serde_json::json!({"Fn::GetAtt": ["ApiExampleComDomain", "RegionalDomainName"]})
/// );
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CustomDomain {
    name: String,
    certificate: Value<CertificateManagerCertificateArn>,
    base_path: String,
    endpoint: DomainEndpoint,
    tls: TlsPolicy,
    stage: Option<String>,
    mutual_tls: Option<MutualTls>,
}

impl CustomDomain {
    /// The domain `name` with the ACM certificate `certificate` (of the API's region; of
    /// `us-east-1` for an edge-optimized domain).
    pub fn new(
        name: impl Into<String>,
        certificate: impl IntoValue<CertificateManagerCertificateArn>,
    ) -> Self {
        CustomDomain {
            name: name.into(),
            certificate: certificate.into_value(),
            base_path: String::new(),
            endpoint: DomainEndpoint::Regional,
            tls: TlsPolicy::Tls12,
            stage: None,
            mutual_tls: None,
        }
    }

    /// The path the API is served under (`v1`, `orders/v2`; the root unless set), without
    /// a leading or trailing `/`.
    pub fn base_path(mut self, path: impl Into<String>) -> Self {
        self.base_path = path.into();
        self
    }

    /// Where the domain is served from (regional unless set).
    pub fn endpoint(mut self, endpoint: DomainEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// The TLS policy (TLS 1.2 unless set).
    pub fn tls(mut self, tls: TlsPolicy) -> Self {
        self.tls = tls;
        self
    }

    /// The stage mapped, by name (a REST API's first stage unless set; an HTTP API has
    /// only `$default`). A name the API has no stage of is a synth error.
    pub fn stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = Some(stage.into());
        self
    }

    /// Requires clients to present a certificate that chains to a CA of `truststore`
    /// (mutual TLS). API Gateway takes it only on a regional domain with the TLS 1.2
    /// policy (the defaults): another endpoint type or policy is a synth error. Clients
    /// can still call the API's default `execute-api` endpoint without a certificate:
    /// disable it through the API's `configure` (`disable_execute_api_endpoint(true)`).
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{Code, CustomDomain, Function, MutualTls, RestApi, Runtime};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let api = stack.add("Api", RestApi::new("users").configure(|l1| l1.disable_execute_api_endpoint(true)));
    /// api.route(&mut stack, "GET", "/users", &f);
    /// let cert = Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000");
    /// api.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert)
    ///     .mutual_tls(MutualTls::new("s3://certs-bucket/truststore.pem").version("v2")));
    /// let t = stack.synth().unwrap().json().clone();
    /// assert_eq!(
    ///     t["Resources"]["ApiExampleComDomain"]["Properties"]["MutualTlsAuthentication"],
    ///     serde_json::json!({"TruststoreUri": "s3://certs-bucket/truststore.pem", "TruststoreVersion": "v2"})
    /// );
    /// ```
    pub fn mutual_tls(mut self, truststore: MutualTls) -> Self {
        self.mutual_tls = Some(truststore);
        self
    }

    /// The truststore of mutual TLS, if set.
    pub fn truststore(&self) -> Option<&MutualTls> {
        self.mutual_tls.as_ref()
    }

    /// The domain name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The certificate's ARN.
    pub fn certificate(&self) -> &Value<CertificateManagerCertificateArn> {
        &self.certificate
    }

    /// The base path (empty: the root).
    pub fn path(&self) -> &str {
        &self.base_path
    }

    /// The endpoint type.
    pub fn endpoint_type(&self) -> DomainEndpoint {
        self.endpoint
    }

    /// The TLS policy.
    pub fn tls_policy(&self) -> TlsPolicy {
        self.tls
    }

    /// The stage asked for by name, if any.
    pub fn stage_name(&self) -> Option<&str> {
        self.stage.as_deref()
    }

    /// What API Gateway would refuse of this domain for an API of `kind`, one sentence
    /// each (empty: nothing). Does not look at other domains of the stack.
    /// The certificate's Region is not judged here: every `AWS::ApiGateway::DomainName` is
    /// checked at synth (an edge-optimized one takes a certificate of `us-east-1`), where a
    /// certificate made in the stack is seen too.
    ///
    /// ```
    /// use nephos::Value;
    /// use nephos::constructs::CustomDomain;
    /// use nephos::constructs::wiring::api_route::ApiKind;
    /// let cert = Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/x");
    /// assert!(CustomDomain::new("api.example.com", cert.clone()).problems(ApiKind::Rest).is_empty());
    /// assert_eq!(CustomDomain::new("localhost", cert).base_path("/v1").problems(ApiKind::Http).len(), 2);
    /// ```
    pub fn problems(&self, kind: ApiKind) -> Vec<String> {
        let mut out = Vec::new();
        if !is_domain_name(&self.name) {
            out.push(format!(
                "`{}` is not a domain name (at least two labels of 1 to 63 letters, digits and inner hyphens, at most 253 characters, a leading `*.` allowed)",
                self.name.escape_debug()
            ));
        }
        let levels = self.base_path.split('/').count();
        if !self.base_path.is_empty() {
            if !is_base_path(&self.base_path) {
                out.push(format!(
                    "the base path `{}` must be at most 300 characters: levels of letters, digits and `$-_.+!*'()` separated by single `/`, without a leading or trailing `/`",
                    self.base_path.escape_debug()
                ));
            } else if levels > 1
                && (self.endpoint != DomainEndpoint::Regional || self.tls != TlsPolicy::Tls12)
            {
                out.push(format!(
                    "the base path `{}` has several levels, which only a regional domain with TLS 1.2 takes",
                    self.base_path.escape_debug()
                ));
            }
        }
        if kind == ApiKind::Http {
            if self.endpoint != DomainEndpoint::Regional {
                out.push("an HTTP API takes only a regional domain".to_string());
            }
            if self.tls != TlsPolicy::Tls12 {
                out.push("an HTTP API takes only the TLS 1.2 policy".to_string());
            }
            if let Some(stage) = self.stage.as_deref().filter(|s| *s != "$default") {
                out.push(format!(
                    "an HTTP API of nephos has only the `$default` stage, not `{}`",
                    stage.escape_debug()
                ));
            }
        }
        if let Some(truststore) = &self.mutual_tls {
            out.extend(self.mutual_tls_problems(truststore));
        }
        // An edge-optimized domain's certificate outside `us-east-1` is refused at synth,
        // by the check of every `AWS::ApiGateway::DomainName` (`synth/checks/certificate_region.rs`),
        // which also sees a certificate made in the stack.
        out
    }
}

impl CustomDomain {
    /// What API Gateway refuses of mutual TLS on this domain: it needs a regional domain
    /// (`EndpointConfiguration`) with the `TLS_1_2` `SecurityPolicy`, and a truststore
    /// in S3 (see [`MutualTls`]).
    fn mutual_tls_problems(&self, truststore: &MutualTls) -> Vec<String> {
        let name = self.name.escape_debug();
        let mut out = Vec::new();
        if self.endpoint != DomainEndpoint::Regional {
            out.push(format!(
                "the custom domain `{name}` uses mutual TLS (`MutualTlsAuthentication`), which API Gateway takes only on a regional domain, not on an `EndpointConfiguration` of type `{}`: drop `.endpoint(DomainEndpoint::Edge)`",
                self.endpoint.name()
            ));
        }
        if self.tls != TlsPolicy::Tls12 {
            out.push(format!(
                "the custom domain `{name}` uses mutual TLS (`MutualTlsAuthentication`), which API Gateway takes only with the `TLS_1_2` `SecurityPolicy`, not `{}`: drop `.tls(TlsPolicy::Tls10)`",
                self.tls.name()
            ));
        }
        for p in truststore.problems() {
            out.push(format!(
                "the custom domain `{name}`'s `MutualTlsAuthentication`: {p}"
            ));
        }
        out
    }
}

/// A DNS name API Gateway takes as a custom domain: labels of 1 to 63 letters, digits and
/// inner hyphens, at least two, at most 253 characters, a leading `*.` allowed.
fn is_domain_name(name: &str) -> bool {
    let bare = name.strip_prefix("*.").unwrap_or(name);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    name.len() <= 253 && bare.split('.').count() >= 2 && bare.split('.').all(label_ok)
}

/// A base path API Gateway takes: at most 300 characters, non-empty levels of letters,
/// digits and `$-_.+!*'()` separated by `/`.
fn is_base_path(path: &str) -> bool {
    path.len() <= 300
        && path.split('/').all(|level| {
            !level.is_empty()
                && level
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "$-_.+!*'()".contains(c))
        })
}

/// A custom domain added for an API: its resources, and what a DNS alias points at.
#[derive(Clone, Debug)]
pub struct CustomDomainRef {
    domain: ResourceRef,
    mapping: ResourceRef,
    endpoint: DomainEndpoint,
}

impl CustomDomainRef {
    /// The domain resource `domain` (an `AWS::ApiGateway::DomainName` or
    /// `AWS::ApiGatewayV2::DomainName`) of endpoint type `endpoint`, and the mapping.
    pub fn new(domain: &ResourceRef, mapping: &ResourceRef, endpoint: DomainEndpoint) -> Self {
        CustomDomainRef {
            domain: domain.clone(),
            mapping: mapping.clone(),
            endpoint,
        }
    }

    /// The domain name resource (shared by the APIs mapped on the same name).
    pub fn domain(&self) -> &ResourceRef {
        &self.domain
    }

    /// The base path mapping (REST) or API mapping (HTTP) resource.
    pub fn mapping(&self) -> &ResourceRef {
        &self.mapping
    }

    /// The name a Route 53 alias (or a CNAME) of the custom name points at: the regional
    /// domain name, or the CloudFront distribution's of an edge-optimized domain.
    pub fn alias_domain_name(&self) -> Value<Str> {
        match self.endpoint {
            DomainEndpoint::Regional => self.domain.get_att("RegionalDomainName"),
            DomainEndpoint::Edge => self.domain.get_att("DistributionDomainName"),
        }
    }

    /// The hosted zone of [`alias_domain_name`](Self::alias_domain_name), for the
    /// `HostedZoneId` of a Route 53 alias target.
    pub fn alias_hosted_zone_id(&self) -> Value<Route53AliasTargetHostedZoneId> {
        match self.endpoint {
            DomainEndpoint::Regional => self.domain.get_att("RegionalHostedZoneId"),
            DomainEndpoint::Edge => self.domain.get_att("DistributionHostedZoneId"),
        }
    }
}
