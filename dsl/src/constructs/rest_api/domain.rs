//! A REST API's stage served at a custom domain name ([`RestApiRef::custom_domain`]):
//! an `AWS::ApiGateway::DomainName` (unless an API of the stack already added the name)
//! and an `AWS::ApiGateway::BasePathMapping` (for a base path of several levels, an
//! `AWS::ApiGatewayV2::ApiMapping`). The rules API Gateway applies are checked by
//! [`CustomDomain`] and [`wiring::api_domain`].

use super::RestApiRef;
use crate::apigateway::domain_name::{EndpointConfiguration, MutualTlsAuthentication};
use crate::apigateway::{BasePathMapping, DomainName};
use crate::constructs::wiring::{self, api_domain, api_route::ApiKind};
use crate::constructs::{CustomDomain, CustomDomainRef, DomainEndpoint};
use crate::diagnostic::{Diagnostic, Location};
use crate::kinds::{ApiGatewayDomainNameDomainName, ApiGatewayStageName};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::Value;

impl RestApiRef {
    /// Serves a stage of the API (the first unless [`CustomDomain::stage`] names another)
    /// at a custom domain name, under its base path: the domain resource `<Name>Domain`
    /// (shared with every API of the stack mapped on the same name) and the base path
    /// mapping `<Id><Name><Path>Mapping`, which waits for the stage: an
    /// `AWS::ApiGateway::BasePathMapping` for the root or one level (`users`), an
    /// `AWS::ApiGatewayV2::ApiMapping` for several (`orders/v2`, which the base path
    /// mapping does not take; needs the `apigatewayv2` feature). Point DNS at
    /// [`CustomDomainRef::alias_domain_name`]. What API Gateway would refuse (see
    /// [`CustomDomain`]), a path already mapped on the domain, and a stage name the API
    /// has not, are synth errors.
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{Code, CustomDomain, Function, RestApi, Runtime};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let api = stack.add("Api", RestApi::new("users").stage("live"));
    /// api.route(&mut stack, "GET", "/users", &f);
    /// let cert = Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000");
    /// api.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert).base_path("users"));
    /// let t = stack.synth().unwrap().json().clone();
    /// assert_eq!(t["Resources"]["ApiApiExampleComUsersMapping"]["Properties"]["Stage"], "live");
    /// ```
    pub fn custom_domain(&self, stack: &mut Stack, domain: CustomDomain) -> CustomDomainRef {
        let mapping_id = api_domain::mapping_id(&self.id, &domain);
        api_domain::report_problems(stack, &self.id, &domain, ApiKind::Rest);
        if self.private {
            // API Gateway Developer Guide, "Custom domain names for private APIs": a
            // private API is served by a private custom domain name, not a public one.
            stack.problem(Diagnostic::error(
                Location::resource(&mapping_id),
                format!(
                    "API `{}` is private, and API Gateway maps only public APIs on the public custom domain `{}`",
                    self.id,
                    domain.name().escape_debug()
                ),
                "call the private API through its VPC endpoints, or map a public API on the domain",
            ));
        }
        let (stage, waits_for) = self.mapped_stage(stack, &domain, &mapping_id);
        let d = match api_domain::existing_domain(stack, &domain) {
            Some(d) => d,
            None => {
                let (certificate, endpoint) = match domain.endpoint_type() {
                    DomainEndpoint::Regional => ("RegionalCertificateArn", "REGIONAL"),
                    DomainEndpoint::Edge => ("CertificateArn", "EDGE"),
                };
                let mut resource = DomainName::new()
                    .domain_name(domain.name().to_string())
                    .endpoint_configuration(EndpointConfiguration::new().types(vec![endpoint]))
                    .security_policy(domain.tls_policy().name());
                resource = if certificate == "CertificateArn" {
                    resource.certificate_arn(domain.certificate().clone())
                } else {
                    resource.regional_certificate_arn(domain.certificate().clone())
                };
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
        let m = if domain.path().contains('/') {
            self.api_mapping(stack, &d, &mapping_id, &domain, stage)
        } else {
            let mut m = BasePathMapping::new(d.ref_value::<ApiGatewayDomainNameDomainName>())
                .rest_api_id(self.api.id())
                .stage(stage);
            if !domain.path().is_empty() {
                m = m.base_path(domain.path().to_string());
            }
            wiring::place(
                stack,
                &mapping_id,
                m,
                &[self.api.resource_ref(), &d],
                "a base path mapping",
            )
            .resource_ref()
            .clone()
        };
        // A stage named, not referred to, is made by the deployment: the mapping waits.
        if let Some(w) = waits_for {
            stack.resource(&m).depends_on(&w);
        }
        CustomDomainRef::new(&d, &m, domain.endpoint_type())
    }

    /// The mapping of a base path of several levels (`orders/v2`): an
    /// `AWS::ApiGatewayV2::ApiMapping` (`ApiId` the REST API's ID, `ApiMappingKey` the
    /// path), as `AWS::ApiGateway::BasePathMapping` takes a single level ("Using
    /// multiple segments in Amazon API Gateway base path mapping", AWS Compute Blog; API
    /// Gateway Developer Guide, "API mappings for custom domain names": API mappings
    /// map REST APIs too, and multi-level ones only on a regional TLS 1.2 domain, which
    /// [`CustomDomain::problems`] requires).
    #[cfg(feature = "apigatewayv2")]
    fn api_mapping(
        &self,
        stack: &mut Stack,
        d: &ResourceRef,
        mapping_id: &str,
        domain: &CustomDomain,
        stage: Value<ApiGatewayStageName>,
    ) -> ResourceRef {
        let m = crate::apigatewayv2::ApiMapping::new(
            self.api.id().cast::<crate::kinds::ApiGatewayV2ApiId>(),
            d.ref_value::<crate::kind::Str>(),
            stage.cast::<crate::kind::Str>(),
        )
        .api_mapping_key(domain.path().to_string());
        wiring::place(
            stack,
            mapping_id,
            m,
            &[self.api.resource_ref(), d],
            "an API mapping",
        )
        .resource_ref()
        .clone()
    }

    /// Without the `apigatewayv2` feature, the `AWS::ApiGatewayV2::ApiMapping` a base
    /// path of several levels needs cannot be made: a synth error naming the feature
    /// (a single-level `BasePathMapping` would be refused by API Gateway).
    #[cfg(not(feature = "apigatewayv2"))]
    fn api_mapping(
        &self,
        stack: &mut Stack,
        d: &ResourceRef,
        mapping_id: &str,
        domain: &CustomDomain,
        _stage: Value<ApiGatewayStageName>,
    ) -> ResourceRef {
        stack.problem(Diagnostic::error(
            Location::resource(mapping_id),
            format!(
                "the base path `{}` of API `{}` on `{}` has several levels, which only an `AWS::ApiGatewayV2::ApiMapping` maps (an `AWS::ApiGateway::BasePathMapping` takes one level), and the `apigatewayv2` feature of nephos is off",
                domain.path().escape_debug(),
                self.id,
                domain.name().escape_debug()
            ),
            "turn on the `apigatewayv2` feature of nephos, or give a base path of one level (`v2`)",
        ));
        d.clone()
    }

    /// The stage `domain` asks for (the first unless named) and what its mapping waits
    /// for; an unknown name is a synth error on the mapping and the first stage is used.
    fn mapped_stage(
        &self,
        stack: &mut Stack,
        domain: &CustomDomain,
        mapping_id: &str,
    ) -> (Value<ApiGatewayStageName>, Option<ResourceRef>) {
        let Some(wanted) = domain.stage_name() else {
            return self.plan_stages[0].clone();
        };
        let name_of =
            |stack: &Stack, v: &Value<ApiGatewayStageName>, waits: &Option<ResourceRef>| {
                match (v.literal_str(), waits) {
                    (Some(name), _) => Some(name.to_string()),
                    // A stage resource: its `StageName`.
                    (None, None) => {
                        let id = v.resources_referenced().pop()?;
                        let r = stack.find_resource(&id, "AWS::ApiGateway::Stage")?;
                        stack
                            .property(&r, "StageName")?
                            .literal_str()
                            .map(str::to_string)
                    }
                    (None, Some(_)) => None,
                }
            };
        let names: Vec<Option<String>> = self
            .plan_stages
            .iter()
            .map(|(v, w)| name_of(stack, v, w))
            .collect();
        if let Some(i) = names.iter().position(|n| n.as_deref() == Some(wanted)) {
            return self.plan_stages[i].clone();
        }
        let known: Vec<String> = names
            .into_iter()
            .flatten()
            .map(|n| format!("`{n}`"))
            .collect();
        stack.problem(Diagnostic::error(
            Location::property(mapping_id, "Stage"),
            format!(
                "API `{}` has no stage `{}` to map on `{}` (its stages: {})",
                self.id,
                wanted.escape_debug(),
                domain.name().escape_debug(),
                known.join(", ")
            ),
            "name one of the API's stages, or add it with `RestApi::add_stage`",
        ));
        self.plan_stages[0].clone()
    }
}
