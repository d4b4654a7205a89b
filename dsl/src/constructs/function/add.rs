//! Adding a [`Function`](super::Function): its execution role, its code, its log group
//! and the function pointed at them, checked, then the grants its options need (its
//! logs, its dead-letter target) and its asynchronous invocation settings.

use super::checks::{
    MEMORY_MB, TIMEOUT_SECONDS, check_env, check_ephemeral, check_layers, check_range,
};
use super::log_group::LOG_GROUP;
use super::{DeadLetter, Function, FunctionRef, code, image, log_group, role};
use crate::constructs::configure::Owned;
use crate::constructs::grants;
use crate::lambda::function as generated;
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;

/// The function's properties the construct derives other things from when added; a
/// `configure` closure changing one is a synth error naming the option to use instead.
fn owned_by_function(named: bool) -> &'static [Owned] {
    // `FunctionName` last: it is derived from only when the construct names the
    // function (unnamed, the function is pointed at its log group whatever its name).
    const OWNED: &[Owned] = &[
        Owned::new(
            "Role",
            "role",
            "the role grants to the function are attached to",
        ),
        Owned::fixed(
            "VpcConfig",
            "the execution role's VPC access policy",
            "set VpcConfig with the construct's `.vpc()` (IDs one by one) or `.vpc_lists()` (list values: a `List<AWS::EC2::Subnet::Id>` parameter, `Fn::Split`) instead of `configure` or `override_property`",
        ),
        Owned::new(
            "TracingConfig",
            "tracing",
            "the execution role's X-Ray write policy",
        ),
        Owned::new(
            "DeadLetterConfig",
            "dead_letter",
            "the role's permission to send to the dead-letter target",
        ),
        Owned::new(
            "FunctionName",
            "name",
            "the log group's name (`/aws/lambda/<name>`)",
        ),
    ];
    if named {
        OWNED
    } else {
        &OWNED[..OWNED.len() - 1]
    }
}

impl Construct for Function {
    type Handle = FunctionRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> FunctionRef {
        let (role, role_arn) = role::execution_role(
            stack,
            id,
            self.function.builder(),
            self.role_arn,
            self.role,
            self.inline_log_permissions,
        );

        let (code, architecture, image_config) = match self.code {
            code::Source::Zip(c) => {
                let (code, architecture) = code::resolve(stack, id, c, self.function.builder());
                (code, architecture, None)
            }
            code::Source::Image(i) => {
                let (code, config) = image::resolve(stack, id, i);
                (code, None, config)
            }
        };

        let (log_group, writes_to_default) =
            log_group::add(stack, id, self.name.as_ref(), self.log_group);

        let named = self.name.is_some();
        let environment = self.environment;
        let log_group_name = log_group.name();
        let function = self.function.set(|f| {
            // A Rust binary's build, when the function has no architecture.
            let f = match architecture {
                Some(built) => f.architectures(vec![built]),
                None => f,
            };
            let mut f = f.code(code).role(role_arn.clone());
            if let Some(config) = image_config
                && !f.props().contains("ImageConfig")
            {
                f = f.image_config(config);
            }
            if !writes_to_default && !f.props().contains("LoggingConfig") {
                // The log group is not the one Lambda would pick; point the function at it.
                f = f.logging_config(generated::LoggingConfig::new().log_group(log_group_name));
            }
            if !environment.props().is_empty() && !f.props().contains("Environment") {
                f = f.environment(environment);
            }
            f
        });
        // Owned whether the construct pointed the function at its group or left Lambda's
        // default (`/aws/lambda/<name>`): either way the log group, its retention and
        // the inline log permissions are derived from it.
        let owned: Vec<Owned> = owned_by_function(named)
            .iter()
            .copied()
            .chain([LOG_GROUP])
            .collect();
        let ready = function.prepare(stack, id, &owned, |f| f);
        let f = ready.builder();
        check_range(stack, id, f, "Timeout", TIMEOUT_SECONDS, "seconds");
        check_range(stack, id, f, "MemorySize", MEMORY_MB, "MB");
        check_ephemeral(stack, id, f);
        check_env(stack, id, f);
        check_layers(stack, id, f, &self.layers);
        layer_regions(stack, id, f);
        image::check(stack, id, f);
        let added = f.props().clone();
        let function = ready.add_to(stack).handle;
        if named {
            // The log group must exist before the first invocation would create it.
            stack.resource(&function).depends_on(&log_group);
        }
        let r = FunctionRef {
            function,
            role,
            log_group,
            role_arn,
            added,
            async_invoke: self.async_invoke.clone().map(std::sync::Arc::new),
        };
        if self.inline_log_permissions {
            grants::function::write_logs(stack, &r, r.log_group.arn());
        }
        // Through the targets' own grants, so an encrypted target's key is covered too.
        // Named only for a function with a dead-letter target.
        let who = || format!("the dead-letter queue of function `{id}`");
        let at = (id, "DeadLetterConfig");
        match &self.dead_letter {
            Some(DeadLetter::Queue(q)) => {
                crate::constructs::wiring::fifo::require_standard(stack, q, false, at, &who());
            }
            Some(DeadLetter::Topic(t)) => {
                crate::constructs::wiring::fifo::require_standard(stack, t, true, at, &who());
            }
            None => {}
        }
        match &self.dead_letter {
            Some(DeadLetter::Queue(q)) => {
                grants::queue::send(stack, &r, q);
            }
            Some(DeadLetter::Topic(t)) => {
                grants::topic::publish(stack, &r, t);
            }
            None => {}
        }
        if let Some(config) = &self.async_invoke {
            config.add(stack, id, &r, None);
        }
        r
    }
}

/// Joins each literal layer version ARN of the final function (given by `layer` or by
/// `configure`) into the stack's Region reasoning, as an import wired to the function:
/// a layer version is a Regional resource, and Lambda resolves `Layers` in the function's
/// Region, so a layer of another Region never loads and the function's creation fails.
/// Vendors publish one ARN per Region for that reason (AWS Lambda Developer Guide, "The
/// Lambda Insights extension", its ARN table per Region; Datadog, "Troubleshooting
/// Serverless Layer not Authorized Errors": "Lambda functions can only include Lambda
/// layers that are located in the same region as the function").
fn layer_regions(stack: &mut Stack, id: &str, function: &crate::lambda::Function) {
    let Some(layers) = function.props().get_json("Layers") else {
        return;
    };
    for arn in layers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str())
    {
        let value: crate::value::value::Value<crate::kind::Str> = arn.into();
        stack.require_home(
            &value,
            &format!("layer `{}` of function `{id}`", arn.escape_debug()),
            crate::Reach::Region,
            "Lambda loads only a layer version of the function's own Region (a layer version is Regional: vendors publish one ARN per Region)",
        );
    }
}
