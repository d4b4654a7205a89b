//! The resource tree of a [`RestApi`](super::RestApi): the API Gateway resource of each
//! path, created segment by segment, with the checks that two routes' segments do not
//! name one resource twice, and the CORS preflight method of each resource.

use std::collections::BTreeMap;

use super::RestApiRef;
use crate::constructs::Cors;
use crate::constructs::ids::pascal;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::kinds::ApiGatewayResourceId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value;
use crate::value::value::Value;

impl RestApiRef {
    /// The API Gateway resource for `path`, creating the missing ones segment by segment,
    /// and the name its methods' logical IDs start with after the API's ID (empty for the
    /// root). A resource's ID is `<api><Segments>Resource` and a method's
    /// `<api><Segments><Method>`: the suffixes keep the kinds apart (no method ends in
    /// `Resource`, no method name ends another), and segment names that coincide (`/a-b`
    /// and `/ab`) are refused by [`Self::check_same_resource`], so every ID stands for one
    /// route or resource whatever order the routes are added in.
    pub(super) fn resource_for(
        &self,
        stack: &mut Stack,
        path: &str,
    ) -> (Value<ApiGatewayResourceId>, String) {
        let mut parent: Value<ApiGatewayResourceId> =
            self.api.resource_ref().get_att("RootResourceId");
        let mut name = String::new();
        let mut prefix = String::new();
        if self.cors.is_some() {
            self.preflight(stack, &name, parent.clone());
        }
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            name.push_str(&pascal(segment));
            prefix.push('/');
            prefix.push_str(segment);
            let id = format!("{}{name}Resource", self.id);
            let existing = stack.find_resource(&id, "AWS::ApiGateway::Resource");
            let handle = match existing {
                Some(r) => {
                    self.check_same_resource(stack, &r, &parent, segment, &prefix);
                    r
                }
                None => {
                    self.check_siblings(stack, &parent, segment, &prefix);
                    let r = stack
                        .add(
                            &id,
                            crate::apigateway::Resource::new(
                                parent.clone(),
                                segment,
                                self.api.id(),
                            ),
                        )
                        .resource_ref()
                        .clone();
                    // Part of the API: created under the API's condition.
                    stack.own(&r, &[self.api.resource_ref()]);
                    r
                }
            };
            parent = handle.ref_value();
            if self.cors.is_some() {
                self.preflight(stack, &name, parent.clone());
            }
        }
        (parent, name)
    }

    /// The path a resource of this stack stands for, read back from its `PathPart`s.
    fn path_of(stack: &Stack, resource: &ResourceRef) -> String {
        let resources = stack.resources_of_type("AWS::ApiGateway::Resource");
        let mut parts = Vec::new();
        let mut current = resource.clone();
        // Bounded: a resource tree is never deeper than the resources in the stack.
        for _ in 0..=resources.len() {
            if let Some(p) = stack.property(&current, "PathPart")
                && let Some(p) = p.literal_str()
            {
                parts.push(p.to_string());
            }
            // The parent is the resource the `ParentId` refers to (`Ref`); the root's
            // parent is the API's root resource, which is not one of them.
            let parent = stack.property(&current, "ParentId");
            match resources
                .iter()
                .find(|r| parent.as_ref() == Some(&r.ref_value::<Str>().into_any()))
            {
                Some(r) => current = r.clone(),
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Two paths whose segments differ only in what a logical ID drops (`/users/{id}` and
    /// `/users/id`, `/a-b` and `/ab`) would share one resource: refused, naming both, as
    /// API Gateway would route them apart.
    fn check_same_resource(
        &self,
        stack: &mut Stack,
        existing: &ResourceRef,
        parent: &Value<ApiGatewayResourceId>,
        segment: &str,
        prefix: &str,
    ) {
        let same = stack
            .property(existing, "PathPart")
            .is_some_and(|p| p.literal_str() == Some(segment))
            && stack.property(existing, "ParentId") == Some(parent.clone().into_any());
        if !same {
            let mut paths = [Self::path_of(stack, existing), prefix.to_string()];
            paths.sort();
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!(
                    "the paths `{}` and `{}` both give the logical ID `{}`: logical IDs keep only letters and digits",
                    paths[0].escape_debug(),
                    paths[1].escape_debug(),
                    existing.logical_id()
                ),
                "rename one of the two segments so they differ in their letters or digits",
            ));
        }
    }

    /// API Gateway takes one variable path part (`{id}`, `{proxy+}`) among the children of
    /// a resource ("A sibling ({id}) of this resource already has a variable path part --
    /// only one is allowed"): a second one is refused, naming both paths.
    fn check_siblings(
        &self,
        stack: &mut Stack,
        parent: &Value<ApiGatewayResourceId>,
        segment: &str,
        prefix: &str,
    ) {
        if !segment.starts_with('{') {
            return;
        }
        let parent = Some(parent.clone().into_any());
        let sibling = stack
            .resources_of_type("AWS::ApiGateway::Resource")
            .into_iter()
            .find(|r| {
                stack.property(r, "ParentId") == parent
                    && stack.property(r, "PathPart").is_some_and(|p| {
                        p.literal_str()
                            .is_some_and(|p| p.starts_with('{') && p != segment)
                    })
            });
        let Some(sibling) = sibling else {
            return;
        };
        let mut paths = [Self::path_of(stack, &sibling), prefix.to_string()];
        paths.sort();
        stack.problem(Diagnostic::error(
            Location::resource(&self.id),
            format!(
                "the paths `{}` and `{}` put two different variables at one level; API Gateway allows one variable path part among siblings",
                paths[0], paths[1]
            ),
            "use one variable for both routes (the same `{name}`), or a literal segment for one of them",
        ));
    }

    /// The CORS preflight `OPTIONS` method of the resource named `name` (empty: the root).
    fn preflight(&self, stack: &mut Stack, name: &str, resource: Value<ApiGatewayResourceId>) {
        let Some(cors) = &self.cors else { return };
        let id = format!("{}{name}Options", self.id);
        // The preflight already made for this API is reused; anything else under the ID
        // (a user's method) is not taken for it: adding ours reports the ID as used twice.
        if stack
            .find_resource(&id, "AWS::ApiGateway::Method")
            .is_some_and(|r| stack.is_owned_by(&r, &[self.api.resource_ref()]))
        {
            return;
        }
        if name.is_empty() {
            // The root's preflight is made once per API: its origins are checked there.
            self.check_cors(stack, cors);
        }
        let header = |name: &str| format!("method.response.header.Access-Control-Allow-{name}");
        let quoted = |v: &[String]| format!("'{}'", v.join(","));
        let mut response_params: BTreeMap<String, Value<Any>> = BTreeMap::new();
        response_params.insert(header("Headers"), value!(quoted(cors.headers())));
        response_params.insert(
            header("Methods"),
            value!(format!("'{}'", cors.method_names().join(","))),
        );
        if !cors.exposed_headers().is_empty() {
            response_params.insert(
                "method.response.header.Access-Control-Expose-Headers".to_string(),
                value!(quoted(cors.exposed_headers())),
            );
        }
        if cors.credentials() {
            response_params.insert(header("Credentials"), value!("'true'"));
        }
        if let Some(age) = cors.max_age_seconds() {
            response_params.insert(
                "method.response.header.Access-Control-Max-Age".to_string(),
                value!(format!("'{age}'")),
            );
        }
        // `Access-Control-Allow-Origin` holds one origin (browsers refuse a list): with
        // several, the mock answers the first and its template echoes the request's
        // `Origin` when it is one of the others, as CDK's REST CORS does.
        let origins = cors.origins();
        let first = origins.first().map(String::as_str).unwrap_or("*");
        response_params.insert(header("Origin"), value!(format!("'{first}'")));
        let mut templates: BTreeMap<String, Value<Any>> = BTreeMap::new();
        if origins.len() > 1 {
            response_params.insert(
                "method.response.header.Vary".to_string(),
                value!("'Origin'"),
            );
            templates.insert(
                "application/json".to_string(),
                value!(echo_template(&origins[1..])),
            );
        }
        let declared: BTreeMap<String, Value<Any>> = response_params
            .keys()
            .map(|k| (k.clone(), value!(true)))
            .collect();
        let method = crate::apigateway::Method::new("OPTIONS", resource, self.api.id())
            .authorization_type("NONE")
            .integration(Value::cast::<crate::apigateway::method::Integration>(value!({
                "Type": "MOCK",
                "RequestTemplates": { "application/json": "{\"statusCode\": 200}" },
                "IntegrationResponses": [integration_response(&response_params, &templates)]
            })))
            .method_responses(Value::cast::<crate::kind::List<crate::apigateway::method::MethodResponse>>(value!([{
                "StatusCode": "200",
                "ResponseParameters": Value::object(declared.iter().map(|(k, v)| (k.as_str(), v.clone())))
            }])));
        let options = stack.add(&id, method);
        stack.own(options.resource_ref(), &[self.api.resource_ref()]);
    }
}

/// The mock's one integration response: its headers and, for several origins, the
/// template that echoes the request's origin.
fn integration_response(
    params: &BTreeMap<String, Value<Any>>,
    templates: &BTreeMap<String, Value<Any>>,
) -> Value<Any> {
    let params = Value::object(params.iter().map(|(k, v)| (k.as_str(), v.clone())));
    if templates.is_empty() {
        return value!({ "StatusCode": "200", "ResponseParameters": params });
    }
    let templates = Value::object(templates.iter().map(|(k, v)| (k.as_str(), v.clone())));
    value!({ "StatusCode": "200", "ResponseParameters": params, "ResponseTemplates": templates })
}

/// A VTL template that overrides `Access-Control-Allow-Origin` with the request's `Origin`
/// header when it is one of `others` (API Gateway passes header names as sent, so both
/// spellings are read). The origins were checked by [`Cors::problems`]: none
/// holds a quote, `$`, `#` or `\`, so none can end the string or start a directive.
fn echo_template(others: &[String]) -> String {
    let test = others
        .iter()
        .map(|o| format!("$origin == \"{o}\""))
        .collect::<Vec<_>>()
        .join(" || ");
    format!(
        "#set($origin = $input.params().header.get(\"Origin\"))\n\
         #if(\"$!origin\" == \"\") #set($origin = $input.params().header.get(\"origin\")) #end\n\
         #if({test})\n\
         #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n\
         #end\n"
    )
}

impl RestApiRef {
    /// Refuses what the preflight cannot answer ([`Cors::problems`], the check HTTP APIs
    /// share): among them `*` beside other origins (it would allow every site, which the
    /// list suggests is not meant) and text that is not an origin (`scheme://host[:port]`)
    /// or a header name, which could also break out of the header's quotes or the echo
    /// template.
    fn check_cors(&self, stack: &mut Stack, cors: &Cors) {
        let problems = cors.problems();
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!("the REST API's CORS: {}", problems.join("; ")),
                "give origins as `scheme://host[:port]` (e.g. `https://app.example.com`) or `*` alone, header names without spaces or quotes, credentials only with listed origins, and a max age up to 86,400 s",
            ));
        }
    }
}
