//! Private REST APIs ([`RestApi::private`]): reachable only from VPCs, through interface
//! VPC endpoints of `execute-api`, and the resource policy that makes it so.
//!
//! Facts from the API Gateway Developer Guide, "Private REST APIs in API Gateway": a
//! private API's `EndpointConfiguration` is of type `PRIVATE` (`VpcEndpointIds` lists the
//! endpoints that get a Route 53 alias for it); it cannot be invoked until it has a
//! resource policy, and the policy that limits it to some VPC endpoints allows
//! `execute-api:Invoke` on `execute-api:/*` and denies it when `aws:SourceVpce` is not one
//! of them ("Example: Allow private API traffic based on source VPC or VPC endpoint").

use super::{RestApi, RestApiRef};
use crate::constructs::wiring::resource_policy::add_inline_statement;
use crate::diagnostic::{Diagnostic, Location};
use crate::kinds::Ec2VpcEndpointId;
use crate::policy::{Principal, Statement};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

impl RestApi {
    /// Makes the API private: reachable only through the `execute-api` interface VPC
    /// endpoints `endpoints` (endpoint IDs, `vpce-...`, or a generated `ec2::VpcEndpoint`'s
    /// `id()`). The endpoint configuration becomes `PRIVATE` with those endpoints, and
    /// the API's resource policy (`Policy`) allows `execute-api:Invoke` through them and
    /// denies it unless the request comes through one of them (`aws:SourceVpce`), so no
    /// other statement can open it to requests from elsewhere. A private API cannot be
    /// mapped on a custom domain of nephos (public names): a synth error. Statements added
    /// with [`RestApiRef::add_to_resource_policy`] or a `Policy` given through
    /// `configure` are kept beside them. No endpoint is a synth error: the API could
    /// then not be called at all.
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{Code, Function, RestApi, Runtime};
    /// use nephos::kinds::Ec2VpcEndpointId;
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let vpce = Value::<Ec2VpcEndpointId>::literal("vpce-0123456789abcdef0");
    /// let api = stack.add("Api", RestApi::new("internal").private([vpce]));
    /// api.route(&mut stack, "GET", "/users", &f);
    /// let t = stack.synth().unwrap().json().clone();
    /// let p = &t["Resources"]["Api"]["Properties"];
    /// assert_eq!(p["EndpointConfiguration"]["Types"], serde_json::json!(["PRIVATE"]));
    /// let policy = p["Policy"]["Statement"].to_string();
    /// assert!(policy.contains("aws:SourceVpce") && policy.contains("vpce-0123456789abcdef0"));
    /// ```
    pub fn private<E: IntoValue<Ec2VpcEndpointId>>(
        mut self,
        endpoints: impl IntoIterator<Item = E>,
    ) -> Self {
        self.private = Some(endpoints.into_iter().map(IntoValue::into_value).collect());
        self
    }
}

impl RestApiRef {
    /// Adds `statement` to the API's resource policy (`Policy`), beside those a private
    /// API has and those added before (each once, in a canonical order). Resources may be
    /// written as `execute-api:/<stage>/<METHOD>/<path>` (`execute-api:/*`: every
    /// method). A statement API Gateway would refuse, or a `Policy` that `configure` made
    /// computed, is a synth error naming the API.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::RestApi;
    /// use nephos::policy::{Principal, Statement};
    /// let mut stack = Stack::new("App");
    /// let api = stack.add("Api", RestApi::new("partners"));
    /// api.add_to_resource_policy(&mut stack, Statement::allow()
    ///     .principal(Principal::aws("123456789012"))
    ///     .action("execute-api:Invoke")
    ///     .resource("execute-api:/*/GET/orders"));
    /// # let f = stack.add("F", nephos::constructs::Function::new(nephos::constructs::Runtime::Python312, "i.h", nephos::constructs::Code::inline("x")));
    /// # api.route(&mut stack, "GET", "/orders", &f);
    /// let t = stack.synth().unwrap().json().clone();
    /// assert_eq!(t["Resources"]["Api"]["Properties"]["Policy"]["Statement"][0]["Principal"]["AWS"], serde_json::json!(["123456789012"]));
    /// ```
    pub fn add_to_resource_policy(&self, stack: &mut Stack, statement: Statement) -> bool {
        add_inline_statement(stack, self.api.resource_ref(), "Policy", statement)
    }
}

/// The `EndpointConfiguration` of a private API through `endpoints`.
pub(super) fn endpoint_configuration(
    endpoints: &[Value<Ec2VpcEndpointId>],
) -> crate::apigateway::rest_api::EndpointConfiguration {
    crate::apigateway::rest_api::EndpointConfiguration::new()
        .types(vec!["PRIVATE".to_string()])
        .vpc_endpoint_ids(endpoints.to_vec())
}

/// Writes the resource policy of the private API `api` (added as `id`) reachable through
/// `endpoints`; no endpoint is a synth error on its `EndpointConfiguration`.
pub(super) fn add_policy(
    stack: &mut Stack,
    id: &str,
    api: &RestApiRef,
    endpoints: &[Value<Ec2VpcEndpointId>],
) {
    if endpoints.is_empty() {
        stack.problem(Diagnostic::error(
            Location::property(id, "EndpointConfiguration"),
            format!(
                "the private API `{id}` has no VPC endpoint, so no request could reach it (its resource policy allows only requests through its endpoints)"
            ),
            "give `RestApi::private` the IDs of the `execute-api` interface VPC endpoints it is called through",
        ));
        return;
    }
    // The allow is limited to the endpoints too, and the deny keeps any other statement
    // from opening the API to requests from elsewhere.
    for (statement, operator) in [
        (Statement::allow(), "StringEquals"),
        (Statement::deny(), "StringNotEquals"),
    ] {
        api.add_to_resource_policy(
            stack,
            statement
                .principal(Principal::any())
                .action("execute-api:Invoke")
                .resource("execute-api:/*")
                .condition(operator, "aws:SourceVpce", endpoints.to_vec()),
        );
    }
}
