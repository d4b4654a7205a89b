//! The resource tree of a [`RestApi`](super::RestApi): the API Gateway resource of each
//! path, created segment by segment, with the checks that two routes' segments do not
//! name one resource twice, and the CORS preflight method of each resource.

use std::collections::BTreeMap;

use super::RestApiRef;
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
        let header = |name: &str| format!("method.response.header.Access-Control-Allow-{name}");
        let quoted = |v: &[String]| format!("'{}'", v.join(","));
        let mut response_params: BTreeMap<String, Value<Any>> = BTreeMap::new();
        response_params.insert(header("Headers"), value!(quoted(&cors.headers)));
        response_params.insert(header("Methods"), value!(quoted(&cors.methods)));
        response_params.insert(header("Origin"), value!(quoted(&cors.origins)));
        let declared: BTreeMap<String, Value<Any>> = response_params
            .keys()
            .map(|k| (k.clone(), value!(true)))
            .collect();
        let method = crate::apigateway::Method::new("OPTIONS", resource, self.api.id())
            .authorization_type("NONE")
            .integration(Value::cast::<crate::apigateway::method::Integration>(value!({
                "Type": "MOCK",
                "RequestTemplates": { "application/json": "{\"statusCode\": 200}" },
                "IntegrationResponses": [{ "StatusCode": "200", "ResponseParameters": Value::object(response_params.iter().map(|(k, v)| (k.as_str(), v.clone()))) }]
            })))
            .method_responses(Value::cast::<crate::kind::List<crate::apigateway::method::MethodResponse>>(value!([{
                "StatusCode": "200",
                "ResponseParameters": Value::object(declared.iter().map(|(k, v)| (k.as_str(), v.clone())))
            }])));
        let options = stack.add(&id, method);
        stack.own(options.resource_ref(), &[self.api.resource_ref()]);
    }
}
