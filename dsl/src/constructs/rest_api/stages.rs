//! The stages of a [`RestApi`](super::RestApi): the stage resources it adds (the first
//! with options, and each further stage) and the check of stage names.

use super::{RestApi, stage};
use crate::apigateway::{DeploymentHandle, RestApiHandle};
use crate::constructs::ids::pascal;
use crate::diagnostic::{Diagnostic, Location};
use crate::kinds::ApiGatewayStageName;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The API's stage resources, with whether each has a cache cluster.
pub(super) type StageResources = Vec<(ResourceRef, bool)>;
/// Every stage's name for usage plans, with the resource a plan waits for when the name
/// is not a reference to it.
pub(super) type PlanStages = Vec<(Value<ApiGatewayStageName>, Option<ResourceRef>)>;

impl RestApi {
    /// The stage resources (`<Id>Stage` with options, `<Id><Name>Stage` for each further
    /// stage); a stage name API Gateway refuses, or one given twice, is a synth error.
    pub(super) fn add_stages(
        &self,
        stack: &mut Stack,
        id: &str,
        api: &RestApiHandle,
        deployment: &DeploymentHandle,
    ) -> (StageResources, PlanStages) {
        let mut resources = Vec::new();
        let mut plan = Vec::new();
        match &self.stage_options {
            Some(options) => {
                let s = stage::add(
                    stack,
                    (api.resource_ref(), api.id()),
                    (&format!("{id}Stage"), &format!("{id}AccessLogs")),
                    self.stage.clone(),
                    deployment,
                    options,
                );
                resources.push((s.resource_ref().clone(), options.has_cache()));
                plan.push((s.reference(), None));
            }
            None => plan.push((
                self.stage.clone().cast(),
                Some(deployment.resource_ref().clone()),
            )),
        }
        let mut names: Vec<String> = self
            .stage
            .literal_str()
            .map(str::to_string)
            .into_iter()
            .collect();
        for (name, options) in &self.extra_stages {
            let stage_id = format!("{id}{}Stage", pascal(name));
            let problem = stage_name_problem(name).or_else(|| {
                names
                    .contains(name)
                    .then(|| format!("the stage name `{}` is given twice", name.escape_debug()))
            });
            if let Some(problem) = problem {
                stack.problem(Diagnostic::error(
                    Location::property(&stage_id, "StageName"),
                    problem,
                    "name each stage once, with 1 to 128 letters, digits, `-` and `_`",
                ));
                continue;
            }
            names.push(name.clone());
            let s = stage::add(
                stack,
                (api.resource_ref(), api.id()),
                (&stage_id, &format!("{id}{}AccessLogs", pascal(name))),
                name.as_str().into(),
                deployment,
                options,
            );
            resources.push((s.resource_ref().clone(), options.has_cache()));
            plan.push((s.reference(), None));
        }
        (resources, plan)
    }
}

/// Why `name` cannot name a REST API stage, or `None` (API Gateway `CreateStage` and
/// `CreateDeployment`, `stageName`: "Stage names can only contain alphanumeric characters,
/// hyphens, and underscores. Maximum length is 128 characters.").
pub(super) fn stage_name_problem(name: &str) -> Option<String> {
    if !(1..=128).contains(&name.len()) {
        return Some(format!(
            "the stage name `{}` has {} characters; stage names have 1 to 128",
            name.escape_debug(),
            name.chars().count()
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map(|c| {
            format!(
                "the stage name `{}` contains `{}`; stage names take letters, digits, `-` and `_`",
                name.escape_debug(),
                c.escape_debug()
            )
        })
}
