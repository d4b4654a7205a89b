//! [`Function`]: a Lambda function with its execution role and log group.

mod async_invoke;
mod snap_start;
mod url;
mod version;

pub use async_invoke::{Destination, EventInvokeConfig};
pub use url::{FunctionUrlOptions, UrlAuth, UrlCors, UrlMethod};
pub use version::{Alias, AliasRef, VersionRef};

use crate::asset::{Asset, RustBin};
use crate::constructs::Configure;
use crate::constructs::RemovalPolicy;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Grant, Granted, Grantee, Target};
use crate::constructs::wiring::LayerEnd;
use crate::iam::RoleHandle;
use crate::kind::{Int, Str};
use crate::kinds::{
    Ec2SecurityGroupId, Ec2SubnetId, IamManagedPolicyPolicyArn, IamRoleArn, KmsKeyArn,
    LambdaFunctionArn, LambdaFunctionName, S3BucketName,
};
use crate::lambda::function as generated;
pub use crate::lambda::function::{Architectures as Architecture, Mode as Tracing, Runtime};
use crate::logs::LogGroupHandle;
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::{Props, PropsBuilder};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::sub;
use crate::value::sub::sub as sub_fn;
use crate::value::value::{IntoValue, Value};

/// Where a function's code comes from.
#[derive(Clone, Debug)]
pub enum Code {
    /// Source written into the template (`ZipFile`), for small scripts in interpreted
    /// runtimes.
    Inline(String),
    /// An object already in S3.
    S3 {
        /// The bucket.
        bucket: Value<S3BucketName>,
        /// The object key.
        key: Value<Str>,
    },
    /// A local file or directory, zipped into the assembly and uploaded by `nephos deploy`.
    Asset(Asset),
    /// A binary of a package in the app's Cargo workspace, built by `nephos synth` or
    /// `deploy` for Lambda and zipped as `bootstrap` (see [`RustBin`]).
    Rust(RustBin),
}

impl From<RustBin> for Code {
    fn from(bin: RustBin) -> Self {
        Code::Rust(bin)
    }
}

impl Code {
    /// Inline source.
    pub fn inline(source: impl Into<String>) -> Self {
        Code::Inline(source.into())
    }

    /// A local asset, such as `Asset::bootstrap("target/lambda/api/bootstrap")`.
    pub fn asset(asset: Asset) -> Self {
        Code::Asset(asset)
    }

    /// The binary `bin` of the workspace package `package`, for `provided.al2023`:
    /// `Code::rust_bin("users-api-handlers", "create-user")`, with options
    /// ([`RustBin::arm64`], [`RustBin::profile`]). Synth records the recipe and a hash of
    /// the sources; `nephos synth`/`deploy` build it with cargo-zigbuild.
    pub fn rust_bin(package: impl Into<String>, bin: impl Into<String>) -> RustBin {
        RustBin::new(package, bin)
    }
}

/// Where a function sends events it could not process, as a grant target (its ARN and
/// key: `queue.grant_target()`, a generated handle's `Target::from(&handle)`, or
/// [`Target::by_arn`]); the function's role is granted sending to it.
#[derive(Clone, Debug)]
pub enum DeadLetter {
    /// An SQS queue.
    Queue(Target),
    /// An SNS topic.
    Topic(Target),
}

/// A Lambda function. Unless a role is given, an execution role is created with the
/// basic execution permissions (and VPC access when in a VPC); a log group is created
/// with the retention chosen (14 days unless set), kept when the stack is deleted.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add(
///     "Api",
///     Function::new(Runtime::Python312, "index.handler", Code::inline("def handler(e, c): return 1"))
///         .memory(256)
///         .timeout(30)
///         .env("STAGE", "dev"),
/// );
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["Role"], serde_json::json!({"Fn::GetAtt": ["ApiRole", "Arn"]}));
/// assert_eq!(t.json()["Resources"]["ApiLogGroup"]["Properties"]["RetentionInDays"], 14);
/// # let _ = f;
/// ```
///
/// The construct holds the generated builders it adds: its options write into them, and
/// [`configure`](Function::configure), [`configure_role`](Function::configure_role) and
/// [`configure_log_group`](Function::configure_log_group) reach every property they have
/// (order: defaults, options, `configure`, `override_property`; see
/// [`Configure`](crate::constructs::Configure)).
#[derive(Clone, Debug)]
pub struct Function {
    /// The function: every option the generated type has is written here.
    function: crate::lambda::Function,
    /// Resolved when added (an asset is placed in the stack's assembly).
    code: Code,
    /// The function's name, kept to name the log group after it.
    name: Option<Value<Str>>,
    /// Written into the function when added, if any variable is set.
    environment: generated::Environment,
    dead_letter: Option<DeadLetter>,
    async_invoke: Option<EventInvokeConfig>,
    /// The layers taken with what they declare, checked against the final function.
    layers: Vec<LayerUse>,
    /// A role given by the user; else `role` is created.
    role_arn: Option<Value<IamRoleArn>>,
    role: crate::iam::Role,
    log_group: crate::logs::LogGroup,
    log_removal: RemovalPolicy,
    inline_log_permissions: bool,
    configure: Configure<crate::lambda::Function>,
    configure_role: Configure<crate::iam::Role>,
    configure_log_group: Configure<crate::logs::LogGroup>,
}

impl Function {
    /// A function of `runtime` whose entry point is `handler` (`index.handler`; for
    /// `provided.al2023`, any name: the `bootstrap` executable is run).
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: impl Into<Code>) -> Self {
        let code = code.into();
        let trust = PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("lambda.amazonaws.com"))
                .action("sts:AssumeRole"),
        );
        Function {
            // `Code` and `Role` are set when added; synth reports any required property
            // a `configure` closure clears.
            function: crate::lambda::Function::from_props(Props::new())
                .runtime(runtime)
                .handler(handler.into()),
            code,
            name: None,
            environment: generated::Environment::new(),
            dead_letter: None,
            async_invoke: None,
            layers: Vec::new(),
            role_arn: None,
            role: crate::iam::Role::new(trust),
            log_group: crate::logs::LogGroup::new().retention_in_days(14),
            log_removal: RemovalPolicy::Retain,
            inline_log_permissions: false,
            configure: Configure::new(),
            configure_role: Configure::new(),
            configure_log_group: Configure::new(),
        }
    }

    /// The physical function name (else CloudFormation makes one up). With a name, the
    /// log group is named after it.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        let name = name.into_value();
        self.function = self.function.function_name(name.clone());
        self.name = Some(name);
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.function = self.function.description(text.into());
        self
    }

    /// Memory in MB, 128 to 10,240 (Lambda's limit; a literal outside it is a synth error).
    pub fn memory(mut self, mb: impl IntoValue<Int>) -> Self {
        self.function = self.function.memory_size(mb);
        self
    }

    /// Timeout in seconds, 1 to 900 (Lambda's limit, 15 minutes; a literal outside it is a
    /// synth error). Lambda's default without it is 3 seconds.
    pub fn timeout(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.function = self.function.timeout(seconds);
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
        self.function = self.function.reserved_concurrent_executions(n);
        self
    }

    /// The instruction set (x86_64 unless set).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.function = self.function.architectures(vec![architecture]);
        self
    }

    /// Adds a layer (at most five, checked at synth): a
    /// [`LayerVersion`](crate::constructs::LayerVersion) of the stack, a generated
    /// layer handle, or an imported layer version's ARN
    /// (`Value::<LambdaLayerVersionArn>::literal("arn:aws:lambda:...:layer:name:3")`). A
    /// layer that declares its runtimes or architectures and lacks the function's is a
    /// synth error.
    ///
    /// ```
    /// use nephos::{Stack, Value, kinds::LambdaLayerVersionArn};
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let mut stack = Stack::new("App");
    /// let insights = Value::<LambdaLayerVersionArn>::literal(
    ///     "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53",
    /// );
    /// stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")).layer(&insights));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["Layers"][0], insights.to_json());
    /// ```
    pub fn layer(mut self, layer: &impl LayerEnd) -> Self {
        self.function = self.function.add_layers(layer.layer_arn());
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
            DeadLetter::Queue(t) | DeadLetter::Topic(t) => t.arn().clone(),
        };
        self.function =
            self.function
                .dead_letter_config(generated::DeadLetterConfig::new().target_arn(
                    // A queue's or a topic's ARN, which the enum guarantees.
                    arn.cast::<crate::kinds::SnsTopicArnOrSqsQueueArn>(),
                ));
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
            .tracing_config(generated::TracingConfig::new().mode(mode));
        self
    }

    /// The size of `/tmp` in MB, 512 (Lambda's default) to 10,240 (Lambda's limit; a
    /// value outside it is a synth error).
    pub fn ephemeral_storage_mb(mut self, mb: u32) -> Self {
        self.function = self
            .function
            .ephemeral_storage(generated::EphemeralStorage::new(i64::from(mb)));
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
        self.function = self.function.snap_start(generated::SnapStart::new(
            generated::ApplyOn::PublishedVersions,
        ));
        self
    }

    /// How Lambda handles asynchronous invocations: event age, retries, destinations
    /// (the role is granted what each destination needs).
    pub fn async_invoke(mut self, config: EventInvokeConfig) -> Self {
        self.async_invoke = Some(config);
        self
    }

    /// Runs the function in a VPC: subnet IDs and security group IDs (`VpcConfig`).
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
        mut self,
        subnets: impl IntoIterator<Item = S>,
        security_groups: impl IntoIterator<Item = G>,
    ) -> Self {
        self.function = self.function.vpc_config(
            generated::VpcConfig::new()
                .subnet_ids(
                    subnets
                        .into_iter()
                        .map(IntoValue::into_value)
                        .collect::<Vec<_>>(),
                )
                .security_group_ids(
                    security_groups
                        .into_iter()
                        .map(IntoValue::into_value)
                        .collect::<Vec<_>>(),
                ),
        );
        self
    }

    /// Encrypts environment variables with this KMS key.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        self.function = self.function.kms_key_arn(arn);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        self.function = self
            .function
            .add_tags(generated::Tag::new(key.into()).value(value));
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
        self.role = self.role.role_name(name);
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
        self.log_removal = policy;
        self
    }

    /// Days the log group keeps events (a value CloudWatch Logs allows, checked at synth).
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_group = self.log_group.retention_in_days(days as i64);
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
        self.configure.push(f);
        self
    }

    /// Escape hatch to the execution role nephos creates (`<Id>Role`; unused when
    /// [`role`](Function::role) gives one), after its defaults and options.
    pub fn configure_role(
        mut self,
        f: impl Fn(crate::iam::Role) -> crate::iam::Role + Send + Sync + 'static,
    ) -> Self {
        self.configure_role.push(f);
        self
    }

    /// Escape hatch to the log group (`<Id>LogGroup`), after its defaults and options.
    pub fn configure_log_group(
        mut self,
        f: impl Fn(crate::logs::LogGroup) -> crate::logs::LogGroup + Send + Sync + 'static,
    ) -> Self {
        self.configure_log_group.push(f);
        self
    }
}

/// The most layers a function takes (AWS Lambda Developer Guide, "Lambda quotas").
const MAX_LAYERS: usize = 5;

/// A layer a function takes, with the runtimes and architectures it declares.
#[derive(Clone, Debug)]
struct LayerUse {
    name: String,
    runtimes: Option<Vec<String>>,
    architectures: Option<Vec<String>>,
}

/// Reports each layer that declares runtimes or architectures lacking the function's
/// (read from the final builder; Lambda's default architecture is x86_64).
fn check_layers(
    stack: &mut Stack,
    id: &str,
    function: &crate::lambda::Function,
    layers: &[LayerUse],
) {
    let text = |j: serde_json::Value| j.as_str().map(str::to_string);
    let runtime = function.props().get_json("Runtime").and_then(text);
    let architecture = match function.props().get_json("Architectures") {
        None => Some(Architecture::X8664.as_str().to_string()),
        Some(list) => list.get(0).cloned().and_then(text),
    };
    // Lambda's limit (the schema's `maxItems`, which synth's literal checks do not
    // apply to lists): five layers per function.
    let count = function
        .props()
        .get_json("Layers")
        .and_then(|l| l.as_array().map(Vec::len))
        .unwrap_or(0);
    if count > MAX_LAYERS {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(id, "Layers"),
            format!("function `{id}` takes {count} layers, over Lambda's {MAX_LAYERS}"),
            "merge layers, or drop some",
        ));
    }
    for layer in layers {
        for (what, have, declared) in [
            ("runtime", &runtime, &layer.runtimes),
            ("architecture", &architecture, &layer.architectures),
        ] {
            let (Some(have), Some(declared)) = (have, declared) else {
                continue;
            };
            if !declared.contains(have) {
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(id, "Layers"),
                    format!(
                        "function `{id}` has {what} `{}`, which {} does not declare (it declares {})",
                        have.escape_debug(),
                        layer.name,
                        declared.join(", ")
                    ),
                    format!("build the layer for `{}` and add it to its compatible {what}s, or use a layer built for it", have.escape_debug()),
                ));
            }
        }
    }
}

/// A function added to a stack: its handle, role and log group.
#[derive(Clone, Debug)]
pub struct FunctionRef {
    function: crate::lambda::FunctionHandle,
    role: Option<RoleHandle>,
    log_group: LogGroupHandle,
    role_arn: Value<IamRoleArn>,
    /// The function's properties when added: a version's ID suffix is their hash, and
    /// they are the ones refused to `override_property` once versioned. Kept shared
    /// (copy on write) and hashed only when a version is published: most functions
    /// never are, and hashing every function's code and settings at `add` was a sixth
    /// of the instructions of a large stack.
    added: Props,
}

impl FunctionRef {
    /// The hash of the function's properties when added: its versions' ID suffix.
    fn added_hash(&self) -> String {
        crate::constructs::ids::content_hash(&self.added.to_json())
    }

    /// The properties the hash covers, refused to `override_property` once versioned.
    fn hashed(&self) -> impl Iterator<Item = &str> {
        self.added.map.keys().map(String::as_str)
    }

    /// SnapStart is on for published versions (refused with provisioned concurrency).
    fn snap_start(&self) -> bool {
        self.added
            .get_json("SnapStart")
            .is_some_and(|s| s.get("ApplyOn").is_some_and(|a| a == "PublishedVersions"))
    }

    /// The function's ARN.
    pub fn arn(&self) -> Value<LambdaFunctionArn> {
        self.function.arn()
    }

    /// The function's name.
    pub fn name(&self) -> Value<LambdaFunctionName> {
        self.function.name()
    }

    /// The execution role's ARN.
    pub fn role_arn(&self) -> Value<IamRoleArn> {
        self.role_arn.clone()
    }

    /// The execution role grants go to: the one nephos created, or a role of this stack
    /// given by [`Function::role`] as its `arn()`.
    pub fn role(&self) -> Option<&RoleHandle> {
        self.role.as_ref()
    }

    /// The log group.
    pub fn log_group(&self) -> &LogGroupHandle {
        &self.log_group
    }

    /// The generated resource's handle, for its other attributes.
    pub fn handle(&self) -> &crate::lambda::FunctionHandle {
        &self.function
    }

    /// What grants on the function are on: its ARN.
    pub fn grant_target(&self) -> Target {
        Target::from(&self.function)
    }

    /// Lets `grantee` invoke this function.
    pub fn grant_invoke(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::function::invoke(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` call this function's IAM-authorized URL ([`UrlAuth::Iam`]).
    pub fn grant_invoke_url(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::function::invoke_url(stack, grantee, &self.grant_target())
    }

    /// A URL of the function (`<Id>Url`): [`UrlAuth::Iam`] lets only principals granted
    /// [`grant_invoke_url`](FunctionRef::grant_invoke_url) call it; [`UrlAuth::None`]
    /// adds the public permissions (`<Id>UrlPermission`, `<Id>UrlInvokePermission`).
    pub fn url(&self, stack: &mut Stack, options: FunctionUrlOptions) -> crate::lambda::UrlHandle {
        url::add(
            stack,
            self.function.resource_ref(),
            self.arn(),
            None,
            &options,
        )
    }

    /// Publishes a version of the function as it is now: `<Id>Version<16 hex>`, the
    /// hash of the function's properties (its code's hash among them), so new code or
    /// settings publish a new version on the next deploy and the same ones none (see
    /// the module's notes on the choice). Once versioned, an `override_property` of a
    /// hashed property is a synth error (it would not reach the hash).
    ///
    /// ```
    /// use nephos::{Handle, Stack};
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let id = |src: &str| {
    ///     let mut stack = Stack::new("App");
    ///     let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline(src)));
    ///     f.version(&mut stack).handle().resource_ref().logical_id().to_string()
    /// };
    /// assert!(id("v1").starts_with("ApiVersion"));
    /// assert_eq!(id("v1"), id("v1"));
    /// assert_ne!(id("v1"), id("v2"));
    /// ```
    pub fn version(&self, stack: &mut Stack) -> VersionRef {
        version::version(stack, self)
    }

    /// Adds an alias (`<Id>Alias<Name>`) pointing at a version of this function.
    pub fn alias(&self, stack: &mut Stack, alias: Alias) -> AliasRef {
        version::alias(stack, self, alias)
    }

    /// Adds any statement's actions on resources to the execution role's policy.
    pub fn add_to_role_policy<R: IntoValue<Str>>(
        &self,
        stack: &mut Stack,
        actions: &[&str],
        resources: impl IntoIterator<Item = R>,
    ) -> Option<Granted> {
        let grant = resources
            .into_iter()
            .fold(Grant::new("a policy statement").actions(actions), Grant::on);
        grants::grant(stack, self, grant)
    }
}

/// The function's CloudWatch metrics (namespace `AWS/Lambda`, dimension
/// `FunctionName`; AWS Lambda Developer Guide, "Types of metrics for Lambda functions").
#[cfg(feature = "cloudwatch")]
impl FunctionRef {
    /// Invocations that ended in an error, summed over five minutes.
    pub fn metric_errors(&self) -> crate::constructs::metrics::Metric {
        self.metric("Errors", crate::cloudwatch::alarm::Statistic::Sum)
    }

    /// Invocation requests throttled, summed over five minutes.
    pub fn metric_throttles(&self) -> crate::constructs::metrics::Metric {
        self.metric("Throttles", crate::cloudwatch::alarm::Statistic::Sum)
    }

    /// The time the function ran, in milliseconds, its maximum over five minutes.
    pub fn metric_duration(&self) -> crate::constructs::metrics::Metric {
        self.metric("Duration", crate::cloudwatch::alarm::Statistic::Maximum)
    }

    fn metric(
        &self,
        name: &str,
        statistic: crate::cloudwatch::alarm::Statistic,
    ) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/Lambda", name)
            .dimension("FunctionName", self.name())
            .statistic(statistic)
    }
}

impl Handle for FunctionRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.function.resource_ref()
    }
}

impl Grantee for FunctionRef {
    fn grant_role(&self) -> Option<grants::GranteeRole<'_>> {
        self.role.as_ref().map(Into::into)
    }

    fn grantee_name(&self) -> String {
        format!("function `{}`", self.function.resource_ref().logical_id())
    }
}

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
        Owned::new("VpcConfig", "vpc", "the execution role's VPC access policy"),
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

/// The log group the function writes to: the construct's (pointed at when it is not
/// Lambda's default one; a `LoggingConfig` given through `configure` without a
/// `LogGroup` keeps it), or Lambda's default, which a `LogGroup` set by `configure`
/// would leave behind.
const LOG_GROUP: Owned = Owned::new(
    "LoggingConfig",
    "configure_log_group",
    "the function's log group (its retention, `log_group()`, the inline log permissions)",
)
.at("/LogGroup")
.kept();

/// The managed policies the construct gives the execution role it creates (logging,
/// VPC access): a `ManagedPolicyArns` given through `configure_role` keeps them beside
/// its own.
const OWNED_BY_ROLE: &[Owned] = &[Owned::fixed(
    "ManagedPolicyArns",
    "the managed policies the function needs (writing its logs, VPC access)",
    "give `ManagedPolicyArns` as a literal list (nephos adds its policies to it), or attach the computed policies to the role with an `AWS::IAM::ManagedPolicy`'s `Roles`",
)
.kept()];

/// The managed policy every created execution role gets: writing its logs.
const BASIC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
/// Traced (`TracingConfig` `Active`), the role also sends trace segments to X-Ray.
const XRAY_WRITE: &str = "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess";
/// In a VPC, the role also manages network interfaces.
const VPC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// Lambda's limits for the functions this construct creates (AWS Lambda Developer Guide,
/// "Lambda quotas": timeout up to 900 seconds, memory 128 to 10,240 MB). The registry
/// schema allows more (5,400 s, 32,768 MB) because it also covers functions on Lambda
/// Managed Instances and durable functions, which this construct does not create.
const TIMEOUT_SECONDS: (i64, i64) = (1, 900);
const MEMORY_MB: (i64, i64) = (128, 10_240);
/// Ephemeral storage (`/tmp`), same quotas page: 512 MB to 10,240 MB (the schema allows
/// up to 32,768 for the same reason as above).
const EPHEMERAL_MB: (i64, i64) = (512, 10_240);

/// Whether the builder's tracing is `Active`.
fn traced(function: &crate::lambda::Function) -> bool {
    function
        .props()
        .get_json("TracingConfig")
        .is_some_and(|t| t.get("Mode").is_some_and(|m| m == "Active"))
}

/// Reports a literal `property` of `function` outside `range`.
fn check_range(
    stack: &mut Stack,
    id: &str,
    function: &crate::lambda::Function,
    property: &str,
    (min, max): (i64, i64),
    unit: &str,
) {
    // A computed value (an object: `Ref`, `Fn::If`...) is known only at deploy time.
    let Some(n) = function
        .props()
        .get_json(property)
        .filter(|n| !n.is_object())
    else {
        return;
    };
    if n.as_i64().is_some_and(|n| (min..=max).contains(&n)) {
        return;
    }
    stack.problem(crate::Diagnostic::error(
        crate::Location::property(id, property),
        format!("{property} {n} is outside what Lambda allows ({min} to {max} {unit})"),
        format!("give a value from {min} to {max}"),
    ));
}

/// Reports a literal ephemeral storage size outside what Lambda allows.
fn check_ephemeral(stack: &mut Stack, id: &str, function: &crate::lambda::Function) {
    let Some(size) = function
        .props()
        .get_json("EphemeralStorage")
        .and_then(|e| e.get("Size").cloned())
        .filter(|n| !n.is_object())
    else {
        return;
    };
    let (min, max) = EPHEMERAL_MB;
    if size.as_i64().is_some_and(|n| (min..=max).contains(&n)) {
        return;
    }
    stack.problem(crate::Diagnostic::error(
        crate::Location::property(id, "EphemeralStorage"),
        format!("EphemeralStorage.Size {size} is outside what Lambda allows ({min} to {max} MB)"),
        format!("give a size from {min} to {max} MB"),
    ));
}

impl Construct for Function {
    type Handle = FunctionRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> FunctionRef {
        let mut f = self.function;
        let (role, role_arn) = match self.role_arn {
            Some(arn) => {
                // The role is not created, so what was set for it would be silently
                // dropped.
                let set_for_role = [
                    (!self.configure_role.is_empty(), "`.configure_role(..)`"),
                    (self.role.props().contains("RoleName"), "`.role_name(..)`"),
                ];
                for (_, what) in set_for_role.iter().filter(|(set, _)| *set) {
                    stack.problem(crate::Diagnostic::error(
                        crate::Location::property(id, "Role"),
                        format!(
                            "function `{id}` uses an existing role given by `.role(arn)`, so nephos creates no role and {what} would have nothing to apply to"
                        ),
                        "change the existing role where it is defined, or drop `.role(arn)` to let nephos create the role",
                    ));
                }
                if traced(&f) {
                    stack.problem(crate::Diagnostic::warning(
                        crate::Location::property(id, "TracingConfig"),
                        format!(
                            "function `{id}` is traced, and its role given by `.role(arn)` needs the `AWSXRayDaemonWriteAccess` managed policy (or its actions) to send traces, which nephos does not add to a role it did not create"
                        ),
                        "attach `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess` to the role where it is defined",
                    ));
                }
                // A role of this stack given by its ARN is the role grants go to: it is
                // managed here, so they are attached to it rather than refused.
                (grants::role::of_arn(stack, &arn), arn)
            }
            None => {
                let mut role = self.role;
                if !role.props().contains("ManagedPolicyArns") {
                    let mut managed: Vec<Value<IamManagedPolicyPolicyArn>> = Vec::new();
                    if !self.inline_log_permissions {
                        managed.push(sub_fn(BASIC_EXECUTION, []).cast());
                    }
                    if f.props().contains("VpcConfig") {
                        managed.push(sub_fn(VPC_EXECUTION, []).cast());
                    }
                    if traced(&f) {
                        managed.push(sub_fn(XRAY_WRITE, []).cast());
                    }
                    if !managed.is_empty() {
                        role = role.managed_policy_arns(managed);
                    }
                }
                let role_id = format!("{id}Role");
                let role = self
                    .configure_role
                    .apply_owning(stack, &role_id, role, OWNED_BY_ROLE);
                let role = stack.add(&role_id, role);
                let arn = role.arn();
                (Some(role), arn)
            }
        };

        let code = match self.code {
            Code::Inline(src) => generated::Code::new().zip_file(src),
            Code::S3 { bucket, key } => generated::Code::new().s3_bucket(bucket).s3_key(key),
            Code::Asset(asset) => {
                let a = stack.asset(asset);
                generated::Code::new()
                    .s3_bucket(a.bucket().cast::<S3BucketName>())
                    .s3_key(a.key())
            }
            Code::Rust(bin) => {
                // The function runs on the instruction set the binary is built for.
                let built = if bin.is_arm64() {
                    Architecture::Arm64
                } else {
                    Architecture::X8664
                };
                match f.props().get_json("Architectures") {
                    None => f = f.architectures(vec![built]),
                    Some(set) if set != serde_json::json!([built.as_str()]) => {
                        stack.problems.push(crate::diagnostic::Diagnostic::error(
                            crate::diagnostic::Location::stack(),
                            format!(
                                "function {id}: architecture {set} differs from the {}'s build ({})",
                                bin.describe(),
                                built.as_str()
                            ),
                            "leave the function's architecture unset (it follows the build), or call `.arm64()` on the binary",
                        ));
                    }
                    Some(_) => {}
                }
                let a = stack.rust_bin(bin);
                generated::Code::new()
                    .s3_bucket(a.bucket().cast::<S3BucketName>())
                    .s3_key(a.key())
            }
        };

        let mut log_group = self.log_group;
        // The group Lambda writes to by default: `/aws/lambda/<name>`, known only when
        // the function is named.
        let default_group = self.name.as_ref().map(|name| {
            sub!("/aws/lambda/${name}", name = name.clone()).cast::<LambdaFunctionName>()
        });
        if let Some(default_group) = &default_group
            && !log_group.props().contains("LogGroupName")
        {
            log_group = log_group.log_group_name(default_group.clone());
        }
        let log_group = self.configure_log_group.apply(log_group);
        // Read from the final log group: a name given by `configure_log_group` is not
        // the one Lambda would write to, so the function is pointed at the group.
        let writes_to_default = default_group
            .is_some_and(|g| log_group.props().get_json("LogGroupName") == Some(g.to_json()));
        let log_group = stack.add(&format!("{id}LogGroup"), log_group);
        self.log_removal.apply(stack, &log_group);

        let named = self.name.is_some();
        f = f.code(code).role(role_arn.clone());
        if !writes_to_default && !f.props().contains("LoggingConfig") {
            // The log group is not the one Lambda would pick; point the function at it.
            f = f.logging_config(generated::LoggingConfig::new().log_group(log_group.name()));
        }
        if !self.environment.props().is_empty() && !f.props().contains("Environment") {
            f = f.environment(self.environment);
        }
        // Owned whether the construct pointed the function at its group or left Lambda's
        // default (`/aws/lambda/<name>`): either way the log group, its retention and
        // the inline log permissions are derived from it.
        let owned: Vec<Owned> = owned_by_function(named)
            .iter()
            .copied()
            .chain([LOG_GROUP])
            .collect();
        let f = self.configure.apply_owning(stack, id, f, &owned);
        check_range(stack, id, &f, "Timeout", TIMEOUT_SECONDS, "seconds");
        check_range(stack, id, &f, "MemorySize", MEMORY_MB, "MB");
        check_ephemeral(stack, id, &f);
        check_layers(stack, id, &f, &self.layers);
        snap_start::check(stack, id, &f);
        let added = f.props().clone();
        let function = stack.add(id, f);
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
        };
        if self.inline_log_permissions {
            grants::function::write_logs(stack, &r, r.log_group.arn());
        }
        // Through the targets' own grants, so an encrypted target's key is covered too.
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
            config.add(stack, id, &r);
        }
        r
    }
}
