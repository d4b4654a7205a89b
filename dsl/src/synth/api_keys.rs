//! A REST API method that requires an API key, in an API no usage plan of the stack
//! covers: API Gateway accepts it, but a key is only honoured through a usage plan with
//! the API's stage (API Gateway Developer Guide, "Usage plans and API keys for REST
//! APIs"), so every call is answered 403. A warning, as the plan may be managed outside
//! the stack.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;

/// Warns on each method of `resolved` that requires a key of an API with no usage plan.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let json = |r: &Resolved, name: &str| r.field(name).map(|e| e.to_json());
    let planned: BTreeSet<String> = resources
        .of_type("AWS::ApiGateway::UsagePlan")
        .flat_map(|r| {
            r.list("ApiStages")
                .iter()
                .map(|s| s.to_json()["ApiId"].to_string())
        })
        .collect();
    for r in resources.of_type("AWS::ApiGateway::Method") {
        if json(r, "ApiKeyRequired").is_none_or(|v| v != true && v != "true") {
            continue;
        }
        let Some(api) = json(r, "RestApiId") else {
            continue;
        };
        if !planned.contains(&api.to_string()) {
            let id = &*r.entry.target.id;
            diags.push(Diagnostic::warning(
                Location::property(id, "ApiKeyRequired"),
                format!(
                    "method `{id}` requires an API key, but no usage plan of the stack covers its API, so API Gateway answers every call with 403"
                ),
                "add a usage plan with a key to the API (`RestApiRef::usage_plan`), or drop `require_api_key`",
            ));
        }
    }
}
