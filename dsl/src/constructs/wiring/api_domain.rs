//! What REST and HTTP APIs share when they map a stage on a custom domain name
//! ([`CustomDomain`]): one domain resource per name in the stack, whichever API (REST or
//! HTTP) added it first, and each base path of a domain mapped once. API Gateway keeps
//! one domain per name for both kinds of API ("You can map HTTP and REST API stages to the
//! same custom domain name", Developer Guide, API mappings), so a second resource of the
//! same name would fail at deploy; a base path mapped twice would too.

use crate::constructs::CustomDomain;
use crate::constructs::ids::fragment;
use crate::constructs::wiring::api_route::ApiKind;
use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use serde_json::{Value as J, json};

/// The domain resource types, REST (v1) and HTTP (v2).
const DOMAIN_TYPES: [&str; 2] = [
    "AWS::ApiGateway::DomainName",
    "AWS::ApiGatewayV2::DomainName",
];

/// The mapping resource types and their base path property.
const MAPPING_TYPES: [(&str, &str); 2] = [
    ("AWS::ApiGateway::BasePathMapping", "BasePath"),
    ("AWS::ApiGatewayV2::ApiMapping", "ApiMappingKey"),
];

/// The logical ID of the domain resource of `name`: `<Name>Domain` (`ApiExampleComDomain`;
/// a wildcard `*.example.com` gives `WildcardExampleComDomain`), at most 64 characters of
/// name before a hash.
///
/// ```
/// use nephos::constructs::wiring::api_domain::domain_id;
/// assert_eq!(domain_id("api.example.com"), "ApiExampleComDomain");
/// assert_eq!(domain_id("*.example.com"), "WildcardExampleComDomain");
/// ```
pub fn domain_id(name: &str) -> String {
    let bare = match name.strip_prefix("*.") {
        Some(rest) => format!("wildcard.{rest}"),
        None => name.to_string(),
    };
    format!("{}Domain", fragment(&bare, 64))
}

/// The logical ID of the mapping of the API `api_id` on `domain`:
/// `<Api><Name><Path>Mapping` (`ApiApiExampleComV1Mapping`).
pub fn mapping_id(api_id: &str, domain: &CustomDomain) -> String {
    let name = domain_id(domain.name());
    let name = name.strip_suffix("Domain").unwrap_or(&name);
    format!("{api_id}{name}{}Mapping", fragment(domain.path(), 64))
}

/// Records, as one synth error on the domain resource, what API Gateway would refuse of
/// `domain` for the API `api_id` of `kind` (see [`CustomDomain::problems`]). Returns
/// whether there was anything.
pub fn report_problems(
    stack: &mut Stack,
    api_id: &str,
    domain: &CustomDomain,
    kind: ApiKind,
) -> bool {
    let problems = domain.problems(kind);
    if problems.is_empty() {
        return false;
    }
    stack.problem(Diagnostic::error(
        Location::resource(&domain_id(domain.name())),
        format!("the custom domain of API `{api_id}`: {}", problems.join("; ")),
        "give a DNS name (`api.example.com`), a base path such as `v1` or `orders/v2`, a regional TLS 1.2 domain for an HTTP API or mutual TLS, and a truststore `s3://<bucket>/<key>`",
    ));
    true
}

/// The domain resource already added for `domain`'s name (by this or another API), if
/// any; names compare as DNS does, without regard to ASCII case (`API.example.com` is
/// `api.example.com`: API Gateway would refuse a second domain of that name). The same name given again with another certificate, endpoint type, TLS policy or
/// mutual TLS truststore is a synth error naming both settings (the first resource is returned, so the error
/// is reported once).
pub fn existing_domain(stack: &mut Stack, domain: &CustomDomain) -> Option<ResourceRef> {
    let id = domain_id(domain.name());
    let found = DOMAIN_TYPES
        .iter()
        .find_map(|t| stack.find_resource(&id, t))
        .or_else(|| same_name(stack, domain.name()))?;
    let id = found.logical_id().to_string();
    let before = settings_of(stack, &found);
    let now = settings(domain);
    if before != now {
        stack.problem(Diagnostic::error(
            Location::resource(&id),
            format!(
                "the custom domain `{}` is set up twice with different settings: {before} before, {now} now",
                domain.name().escape_debug()
            ),
            "give every API the same certificate, endpoint type, TLS policy and mutual TLS truststore for one domain name",
        ));
    }
    Some(found)
}

/// The domain resource of either type whose literal name is `name` in another case.
fn same_name(stack: &Stack, name: &str) -> Option<ResourceRef> {
    DOMAIN_TYPES
        .iter()
        .flat_map(|t| stack.resources_of_type(t))
        .find(|r| {
            stack
                .property(r, "DomainName")
                .map(|v| v.to_json())
                .as_ref()
                .and_then(J::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
}

/// Records a synth error when the base path of `domain` is already mapped by another
/// mapping than `mapping_id` on the domain resource `domain_ref`: API Gateway takes each
/// path of a domain once. Returns whether it was.
pub fn check_base_path(
    stack: &mut Stack,
    domain_ref: &ResourceRef,
    mapping_id: &str,
    domain: &CustomDomain,
) -> bool {
    let by_ref = json!({"Ref": domain_ref.logical_id()});
    let mut taken = None;
    for (type_name, path_property) in MAPPING_TYPES {
        for m in stack.resources_of_type(type_name) {
            if m.logical_id() == mapping_id {
                continue;
            }
            let on = stack.property(&m, "DomainName").map(|v| v.to_json());
            let named = on
                .as_ref()
                .and_then(J::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(domain.name()));
            if on.as_ref() != Some(&by_ref) && !named {
                continue;
            }
            let path = stack.property(&m, path_property).map(|v| v.to_json());
            let path = path.as_ref().and_then(J::as_str).unwrap_or("");
            // `(none)` is how the REST API writes the root.
            let path = if path == "(none)" { "" } else { path };
            if path == domain.path() {
                taken = Some(m.logical_id().to_string());
            }
        }
    }
    let Some(other) = taken else {
        return false;
    };
    let what = if domain.path().is_empty() {
        "the root (no base path)".to_string()
    } else {
        format!("the base path `{}`", domain.path().escape_debug())
    };
    stack.problem(Diagnostic::error(
        Location::resource(mapping_id),
        format!(
            "{what} of the custom domain `{}` is already mapped by `{other}`",
            domain.name().escape_debug()
        ),
        "map each API (or stage) under a base path of its own",
    ));
    true
}

/// The settings two APIs sharing a domain must agree on, as the construct writes them.
fn settings(domain: &CustomDomain) -> J {
    json!({
        "EndpointType": domain.endpoint_type().name(),
        "CertificateArn": domain.certificate().to_json(),
        "SecurityPolicy": domain.tls_policy().name(),
        "MutualTlsAuthentication": domain.truststore().map_or(J::Null, |t| {
            let mut m = json!({"TruststoreUri": t.uri().to_json()});
            if let Some(v) = t.truststore_version() {
                m["TruststoreVersion"] = v.to_json();
            }
            m
        }),
    })
}

/// The same settings read back from a domain resource of either type.
fn settings_of(stack: &Stack, r: &ResourceRef) -> J {
    let prop = |name: &str| {
        stack
            .property(r, name)
            .map(|v| v.to_json())
            .unwrap_or(J::Null)
    };
    if r.type_name() == DOMAIN_TYPES[1] {
        let c = prop("DomainNameConfigurations")
            .get(0)
            .cloned()
            .unwrap_or(J::Null);
        return json!({
            "EndpointType": c["EndpointType"],
            "CertificateArn": c["CertificateArn"],
            "SecurityPolicy": c["SecurityPolicy"],
            "MutualTlsAuthentication": prop("MutualTlsAuthentication"),
        });
    }
    let endpoint = prop("EndpointConfiguration")["Types"][0].clone();
    let certificate = match prop("RegionalCertificateArn") {
        J::Null => prop("CertificateArn"),
        c => c,
    };
    json!({
        "EndpointType": endpoint,
        "CertificateArn": certificate,
        "SecurityPolicy": prop("SecurityPolicy"),
        "MutualTlsAuthentication": prop("MutualTlsAuthentication"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_apex_and_wildcard_apart() {
        assert_ne!(domain_id("example.com"), domain_id("*.example.com"));
        let cert = crate::Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/x");
        let d = CustomDomain::new("api.example.com", cert).base_path("v2/beta");
        assert_eq!(mapping_id("Api", &d), "ApiApiExampleComV2BetaMapping");
    }
}
