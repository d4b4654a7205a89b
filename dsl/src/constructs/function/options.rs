//! The options of a [`Function`](super::Function): each writes into the builders the
//! construct holds (the function, its role, its log group).

use super::checks::LayerUse;
use super::code::Source;
use super::{Code, DeadLetter, EventInvokeConfig, Function};
use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::wiring::LayerEnd;
use crate::kind::{Int, List, Str};
use crate::kinds::{Ec2SecurityGroupId, Ec2SubnetId, IamRoleArn, KmsKeyArn};
use crate::lambda::function as generated;
use crate::lambda::function::{Architectures as Architecture, Mode as Tracing, Runtime};
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::props::{Props, PropsBuilder};
use crate::value::value::{IntoValue, Value};

impl Function {
    /// A function of `runtime` whose entry point is `handler` (`index.handler`; for
    /// `provided.al2023`, any name: the `bootstrap` executable is run).
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: impl Into<Code>) -> Self {
        Function::with_source(
            crate::lambda::Function::from_props(Props::new())
                .runtime(runtime)
                .handler(handler.into()),
            Source::Zip(code.into()),
        )
    }

    /// The construct around `function` (its package's properties set) running `code`.
    pub(super) fn with_source(function: crate::lambda::Function, code: Source) -> Self {
        // The execution role's trust policy is the same for every function: built once,
        // each role gets a copy of the value.
        static TRUST: std::sync::LazyLock<Value<PolicyDocument>> = std::sync::LazyLock::new(|| {
            PolicyDocument::new()
                .statement(
                    Statement::allow()
                        .principal(Principal::service("lambda.amazonaws.com"))
                        .action("sts:AssumeRole"),
                )
                .into_value()
        });
        let trust = TRUST.clone();
        Function {
            // `Code` and `Role` are set when added; synth reports any required property
            // a `configure` closure clears.
            function: Wrapped::new(function),
            code,
            name: None,
            environment: generated::Environment::new(),
            dead_letter: None,
            async_invoke: None,
            layers: Vec::new(),
            role_arn: None,
            role: Wrapped::new(crate::iam::Role::new(trust)),
            // Kept when removed: the function's logs outlive it.
            log_group: Wrapped::stateful(crate::logs::LogGroup::new().retention_in_days(14)),
            inline_log_permissions: false,
        }
    }

    /// The physical function name (else CloudFormation makes one up). With a name, the
    /// log group is named after it.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        let name = name.into_value();
        self.function = self.function.set(|f| f.function_name(name.clone()));
        self.name = Some(name);
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.function = self.function.set(|f| f.description(text.into()));
        self
    }

    /// Memory in MB, 128 to 10,240 (Lambda's limit; a literal outside it is a synth error).
    pub fn memory(mut self, mb: impl IntoValue<Int>) -> Self {
        self.function = self.function.set(|f| f.memory_size(mb));
        self
    }

    /// Timeout in seconds, 1 to 900 (Lambda's limit, 15 minutes; a literal outside it is a
    /// synth error). Lambda's default without it is 3 seconds.
    pub fn timeout(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.function = self.function.set(|f| f.timeout(seconds));
        self
    }

    /// Sets an environment variable (any string value: a literal, a table's name...).
    pub fn env(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        self.environment = self
            .environment
            .insert_variables(&key.into(), value.into_value().into_any());
        self
    }

    /// Reserved concurrent executions.
    pub fn reserved_concurrency(mut self, n: impl IntoValue<Int>) -> Self {
        self.function = self.function.set(|f| f.reserved_concurrent_executions(n));
        self
    }

    /// The instruction set (x86_64 unless set).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.function = self.function.set(|f| f.architectures(vec![architecture]));
        self
    }

    /// Adds a layer (at most five, checked at synth): a
    /// [`LayerVersion`](crate::constructs::LayerVersion) of the stack, a generated
    /// layer handle, or an imported layer version's ARN
    /// (`Value::<LambdaLayerVersionArn>::literal("arn:aws:lambda:...:layer:name:3")`). A
    /// layer that declares its runtimes or architectures and lacks the function's is a
    /// synth error. A layer version is Regional: a literal ARN pins the stack to its
    /// Region like an import (a template rule, and a synth error beside an import of
    /// another Region or when `StackSettings::region` says otherwise), so take the ARN a
    /// vendor publishes for the stack's Region.
    ///
    /// ```
    /// use nephos::{Stack, Value, kinds::LambdaLayerVersionArn};
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let mut stack = Stack::new("App");
    /// // The Lambda Insights extension as published for eu-west-1: the stack deploys there.
    /// let insights = Value::<LambdaLayerVersionArn>::literal(
    ///     "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53",
    /// );
    /// stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")).layer(&insights));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["Layers"][0], insights.to_json());
    /// assert_eq!(t.json()["Rules"]["ImportsRegionEuWest1"]["Assertions"][0]["Assert"]["Fn::Equals"][1], "eu-west-1");
    /// ```
    pub fn layer(mut self, layer: &impl LayerEnd) -> Self {
        self.function = self.function.set(|f| f.add_layers(layer.layer_arn()));
        self.layers.push(LayerUse {
            name: layer.layer_name(),
            runtimes: layer.layer_runtimes().map(<[String]>::to_vec),
            architectures: layer.layer_architectures().map(<[String]>::to_vec),
        });
        self
    }

    /// Sends failed asynchronous events to a queue or topic (permission granted).
    pub fn dead_letter(mut self, target: DeadLetter) -> Self {
        let arn: Value<Str> = match &target {
            DeadLetter::Queue(t) => t.arn().clone(),
            DeadLetter::Topic(t) => t.arn().clone(),
        };
        self.function = self.function.set(|f| {
            f.dead_letter_config(generated::DeadLetterConfig::new().target_arn(
                // A queue's or a topic's ARN, which the enum guarantees.
                arn.cast::<crate::kinds::SnsTopicArnOrSqsQueueArn>(),
            ))
        });
        self.dead_letter = Some(target);
        self
    }

    /// X-Ray tracing: [`Tracing::Active`] samples and records requests (the execution
    /// role nephos creates gets AWS's `AWSXRayDaemonWriteAccess` managed policy, which
    /// X-Ray needs on `*`: it has no resource-level permissions); `PassThrough` only
    /// forwards an upstream trace header.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Runtime, Tracing};
    /// let mut stack = Stack::new("App");
    /// stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("..."))
    ///     .tracing(Tracing::Active));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["TracingConfig"]["Mode"], "Active");
    /// let policies = t.json()["Resources"]["ApiRole"]["Properties"]["ManagedPolicyArns"].to_string();
    /// assert!(policies.contains("AWSXRayDaemonWriteAccess"));
    /// ```
    pub fn tracing(mut self, mode: Tracing) -> Self {
        self.function = self
            .function
            .set(|f| f.tracing_config(generated::TracingConfig::new().mode(mode)));
        self
    }

    /// The size of `/tmp` in MB, 512 (Lambda's default) to 10,240 (Lambda's limit; a
    /// value outside it is a synth error).
    pub fn ephemeral_storage_mb(mut self, mb: u32) -> Self {
        self.function = self
            .function
            .set(|f| f.ephemeral_storage(generated::EphemeralStorage::new(i64::from(mb))));
        self
    }

    /// SnapStart on published versions ([`FunctionRef::version`]): Lambda snapshots the
    /// initialized function and resumes from it. Synth refuses it for a runtime SnapStart
    /// does not support (Java 11+, Python 3.12+, .NET 8+; AWS Lambda Developer Guide,
    /// "Lambda SnapStart"), with EFS, container images, or ephemeral storage above 512 MB.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let mut stack = Stack::new("App");
    /// stack.add("Api", Function::new(Runtime::Nodejs22X, "index.handler", Code::inline("...")).snap_start());
    /// assert!(stack.synth().unwrap_err().to_string().contains("SnapStart supports"));
    /// ```
    pub fn snap_start(mut self) -> Self {
        self.function = self.function.set(|f| {
            f.snap_start(generated::SnapStart::new(
                generated::ApplyOn::PublishedVersions,
            ))
        });
        self
    }

    /// How Lambda handles asynchronous invocations: event age, retries, destinations
    /// (the role is granted what each destination needs). Applied to `$LATEST` and to
    /// each alias added with [`FunctionRef::alias`](crate::constructs::FunctionRef::alias).
    pub fn async_invoke(mut self, config: EventInvokeConfig) -> Self {
        self.async_invoke = Some(config);
        self
    }

    /// Runs the function in a VPC: subnet IDs and security group IDs (`VpcConfig`), one
    /// by one (for list values, such as a `List<AWS::EC2::Subnet::Id>` parameter, see
    /// [`vpc_lists`](Self::vpc_lists)). The execution role nephos creates gets AWS's
    /// `AWSLambdaVPCAccessExecutionRole` managed policy.
    ///
    /// Lambda takes a security group's ID, never its name: a generated `ec2::SecurityGroup`
    /// given a `vpc_id` offers its ID as `id()` (its `Ref`), any group offers it as
    /// `group_id()`, and a group without a VPC offers its `Ref` only as `name()`, which does
    /// not compile here. Literal IDs are written as typed literals.
    ///
    /// ```
    /// use nephos::constructs::{Code, Function, Runtime};
    /// use nephos::kinds::{Ec2SecurityGroupId, Ec2SubnetId};
    /// use nephos::Value;
    ///
    /// let f = Function::new(Runtime::Python312, "index.handler", Code::inline("x")).vpc(
    ///     [Value::<Ec2SubnetId>::literal("subnet-0123456789abcdef0")],
    ///     [Value::<Ec2SecurityGroupId>::literal("sg-0123456789abcdef0")],
    /// );
    /// # let _ = f;
    /// ```
    pub fn vpc<S: IntoValue<Ec2SubnetId>, G: IntoValue<Ec2SecurityGroupId>>(
        self,
        subnets: impl IntoIterator<Item = S>,
        security_groups: impl IntoIterator<Item = G>,
    ) -> Self {
        self.vpc_lists(
            subnets
                .into_iter()
                .map(IntoValue::into_value)
                .collect::<Vec<_>>(),
            security_groups
                .into_iter()
                .map(IntoValue::into_value)
                .collect::<Vec<_>>(),
        )
    }

    /// Runs the function in a VPC given its subnet IDs and security group IDs as list
    /// values (`VpcConfig`), as the generated `VpcConfig` takes them: a
    /// `List<AWS::EC2::Subnet::Id>` parameter, an `Fn::Split` of an imported list
    /// ([`split_as`](crate::split_as)), a list attribute, or a `Vec` of single IDs. The
    /// execution role nephos creates gets AWS's `AWSLambdaVPCAccessExecutionRole` managed
    /// policy, as with [`vpc`](Self::vpc).
    ///
    /// ```
    /// use nephos::constructs::{Code, Function, Runtime};
    /// use nephos::kind::List;
    /// use nephos::kinds::{Ec2SecurityGroupId, Ec2SubnetId};
    /// use nephos::{Parameter, Stack};
    ///
    /// let mut stack = Stack::new("App");
    /// let subnets = stack.parameter("Subnets", Parameter::<List<Ec2SubnetId>>::aws_list());
    /// let groups = stack.parameter(
    ///     "SecurityGroups",
    ///     Parameter::<List<Ec2SecurityGroupId>>::aws_list(),
    /// );
    /// stack.add(
    ///     "Worker",
    ///     Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
    ///         .vpc_lists(&subnets, &groups),
    /// );
    /// let template = stack.synth().unwrap();
    /// assert_eq!(
    ///     template.json()["Resources"]["Worker"]["Properties"]["VpcConfig"]["SubnetIds"],
    ///     serde_json::json!({"Ref": "Subnets"}),
    /// );
    /// ```
    pub fn vpc_lists(
        mut self,
        subnets: impl IntoValue<List<Ec2SubnetId>>,
        security_groups: impl IntoValue<List<Ec2SecurityGroupId>>,
    ) -> Self {
        self.function = self.function.set(|f| {
            f.vpc_config(
                generated::VpcConfig::new()
                    .subnet_ids(subnets)
                    .security_group_ids(security_groups),
            )
        });
        self
    }

    /// Encrypts environment variables with this KMS key.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        self.function = self.function.set(|f| f.kms_key_arn(arn));
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        self.function = self
            .function
            .set(|f| f.add_tags(generated::Tag::new(key.into()).value(value)));
        self
    }

    /// Uses an existing execution role instead of creating one. A role of this stack
    /// given as its `arn()` receives the grants to this function; for a role from
    /// elsewhere grants are a synth error: attach them to that role where it is defined.
    pub fn role(mut self, arn: impl IntoValue<IamRoleArn>) -> Self {
        self.role_arn = Some(arn.into_value());
        self
    }

    /// Names the execution role nephos creates (deploying then needs the
    /// `CAPABILITY_NAMED_IAM` capability, which `nephos deploy` computes).
    pub fn role_name(mut self, name: impl IntoValue<Str>) -> Self {
        self.role = self.role.set(|r| r.role_name(name));
        self
    }

    /// Writes the logging permissions into the role's own policy, scoped to this
    /// function's log group, instead of attaching AWS's basic execution managed policy.
    pub fn inline_log_permissions(mut self) -> Self {
        self.inline_log_permissions = true;
        self
    }

    /// What happens to the log group when it leaves the stack (kept unless set).
    pub fn log_removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.log_group = self.log_group.removal_policy(Some(policy));
        self
    }

    /// Days the log group keeps events (a value CloudWatch Logs allows, checked at synth).
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_group = self.log_group.set(|g| g.retention_in_days(i64::from(days)));
        self
    }

    /// Escape hatch to the generated `AWS::Lambda::Function` builder: `f` sees it after
    /// the construct's defaults and options and may set or clear any property (a later
    /// `override_property` still wins).
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Runtime};
    /// use nephos::lambda::function::{ApplyOn, SnapStart};
    /// let mut stack = Stack::new("App");
    /// stack.add("Api", Function::new(Runtime::Java21, "Handler", Code::inline("..."))
    ///     .configure(|l1| l1.snap_start(SnapStart::new(ApplyOn::PublishedVersions))));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["SnapStart"]["ApplyOn"], "PublishedVersions");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::lambda::Function) -> crate::lambda::Function + Send + Sync + 'static,
    ) -> Self {
        self.function = self.function.configure(f);
        self
    }

    /// Escape hatch to the execution role nephos creates (`<Id>Role`; unused when
    /// [`role`](Function::role) gives one), after its defaults and options.
    pub fn configure_role(
        mut self,
        f: impl Fn(crate::iam::Role) -> crate::iam::Role + Send + Sync + 'static,
    ) -> Self {
        self.role = self.role.configure(f);
        self
    }

    /// Escape hatch to the log group (`<Id>LogGroup`), after its defaults and options.
    pub fn configure_log_group(
        mut self,
        f: impl Fn(crate::logs::LogGroup) -> crate::logs::LogGroup + Send + Sync + 'static,
    ) -> Self {
        self.log_group = self.log_group.configure(f);
        self
    }
}
