//! An HTTP API's `$default` stage served at a custom domain name
//! ([`HttpApiRef::custom_domain`]): an `AWS::ApiGatewayV2::DomainName` (unless an API of
//! the stack already added the name; a REST API's domain serves HTTP APIs too) and an
//! `AWS::ApiGatewayV2::ApiMapping`. The rules API Gateway applies are checked by
//! [`CustomDomain`] and [`wiring::api_domain`].

use super::HttpApiRef;
use crate::apigatewayv2::domain_name::{DomainNameConfiguration, MutualTlsAuthentication};
use crate::apigatewayv2::{ApiMapping, DomainName};
use crate::constructs::wiring::{self, api_domain, api_route::ApiKind};
use crate::constructs::{CustomDomain, CustomDomainRef};
use crate::kind::Str;
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;

impl HttpApiRef {
    /// Serves the API's `$default` stage at a custom domain name, under its base path:
    /// the domain resource `<Name>Domain` (regional, shared with every API of the stack
    /// mapped on the same name) and the API mapping `<Id><Name><Path>Mapping`, which
    /// waits for the stage. Point DNS at [`CustomDomainRef::alias_domain_name`]. What API
    /// Gateway would refuse (see [`CustomDomain`]; an HTTP API takes only regional TLS 1.2
    /// domains) and a path already mapped on the domain are synth errors.
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{Code, CustomDomain, Function, HttpApi, Runtime};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let api = stack.add("Http", HttpApi::new("items"));
    /// api.route(&mut stack, "GET", "/items", &f);
    /// let cert = Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000");
    /// api.custom_domain(&mut stack, CustomDomain::new("items.example.com", cert));
    /// let t = stack.synth().unwrap().json().clone();
    /// assert_eq!(t["Resources"]["HttpItemsExampleComMapping"]["DependsOn"], serde_json::json!(["HttpDefaultStage"]));
    /// ```
    pub fn custom_domain(&self, stack: &mut Stack, domain: CustomDomain) -> CustomDomainRef {
        let mapping_id = api_domain::mapping_id(&self.id, &domain);
        api_domain::report_problems(stack, &self.id, &domain, ApiKind::Http);
        let d = match api_domain::existing_domain(stack, &domain) {
            Some(d) => d,
            None => {
                let mut resource = DomainName::new(domain.name().to_string())
                    .add_domain_name_configurations(
                        DomainNameConfiguration::new()
                            .certificate_arn(domain.certificate().clone())
                            .endpoint_type(domain.endpoint_type().name())
                            .security_policy(domain.tls_policy().name()),
                    );
                if let Some(t) = domain.truststore() {
                    let mut m = MutualTlsAuthentication::new().truststore_uri(t.uri().clone());
                    if let Some(v) = t.truststore_version() {
                        m = m.truststore_version(v.clone());
                    }
                    resource = resource.mutual_tls_authentication(m);
                }
                let id = api_domain::domain_id(domain.name());
                stack.add(&id, resource).resource_ref().clone()
            }
        };
        api_domain::check_base_path(stack, &d, &mapping_id, &domain);
        let mut m = ApiMapping::new(self.api.id(), d.ref_value::<Str>(), "$default");
        if !domain.path().is_empty() {
            m = m.api_mapping_key(domain.path().to_string());
        }
        let m = wiring::place(
            stack,
            &mapping_id,
            m,
            &[self.api.resource_ref(), &d],
            "an API mapping",
        );
        // The `$default` stage is named, not referred to: the mapping waits for it.
        stack.resource(&m).depends_on(&self.stage);
        CustomDomainRef::new(&d, m.resource_ref(), domain.endpoint_type())
    }
}
