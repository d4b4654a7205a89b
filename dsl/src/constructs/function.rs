//! [`Function`]: a Lambda function with its execution role and log group.

use std::collections::BTreeMap;

use crate::asset::Asset;
use crate::constructs::RemovalPolicy;
use crate::constructs::grants::{self, Grant, Granted, Grantee, Target};
use crate::iam::RoleHandle;
use crate::kind::{Any, Int, Str};
use crate::kinds::{
    IamManagedPolicyPolicyArn, IamRoleArn, KmsKeyArn, LambdaFunctionArn, LambdaFunctionName,
    LambdaLayerVersionArn, S3BucketName,
};
use crate::lambda::function as generated;
pub use crate::lambda::function::{Architectures as Architecture, Runtime};
use crate::logs::LogGroupHandle;
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::{Handle, ResourceRef};
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

/// Subnet and security group IDs of a function in a VPC.
#[derive(Clone, Debug)]
struct Vpc {
    subnets: Vec<Value<Str>>,
    security_groups: Vec<Value<Str>>,
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
#[derive(Clone, Debug)]
pub struct Function {
    runtime: Runtime,
    handler: String,
    code: Code,
    name: Option<Value<Str>>,
    description: Option<String>,
    memory: Option<Value<Int>>,
    timeout: Option<Value<Int>>,
    env: BTreeMap<String, Value<Any>>,
    reserved_concurrency: Option<Value<Int>>,
    architecture: Option<Architecture>,
    layers: Vec<Value<Str>>,
    dead_letter: Option<DeadLetter>,
    vpc: Option<Vpc>,
    kms_key: Option<Value<KmsKeyArn>>,
    tags: Vec<(String, Value<Str>)>,
    role: Option<Value<IamRoleArn>>,
    log_retention_days: u32,
    log_removal: RemovalPolicy,
    role_name: Option<Value<Str>>,
    inline_log_permissions: bool,
}

impl Function {
    /// A function of `runtime` whose entry point is `handler` (`index.handler`; for
    /// `provided.al2023`, any name: the `bootstrap` executable is run).
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: Code) -> Self {
        Function {
            runtime,
            handler: handler.into(),
            code,
            name: None,
            description: None,
            memory: None,
            timeout: None,
            env: BTreeMap::new(),
            reserved_concurrency: None,
            architecture: None,
            layers: Vec::new(),
            dead_letter: None,
            vpc: None,
            kms_key: None,
            tags: Vec::new(),
            role: None,
            log_retention_days: 14,
            log_removal: RemovalPolicy::Retain,
            role_name: None,
            inline_log_permissions: false,
        }
    }

    /// The physical function name (else CloudFormation makes one up). With a name, the
    /// log group is named after it.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Memory in MB, 128 to 10,240 (Lambda's limit; a literal outside it is a synth error).
    pub fn memory(mut self, mb: impl IntoValue<Int>) -> Self {
        self.memory = Some(mb.into_value());
        self
    }

    /// Timeout in seconds, 1 to 900 (Lambda's limit, 15 minutes; a literal outside it is a
    /// synth error). Lambda's default without it is 3 seconds.
    pub fn timeout(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.timeout = Some(seconds.into_value());
        self
    }

    /// Sets an environment variable (any string value: a literal, a table's name...).
    pub fn env(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        self.env.insert(key.into(), value.into_value().into_any());
        self
    }

    /// Reserved concurrent executions.
    pub fn reserved_concurrency(mut self, n: impl IntoValue<Int>) -> Self {
        self.reserved_concurrency = Some(n.into_value());
        self
    }

    /// The instruction set (x86_64 unless set).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = Some(architecture);
        self
    }

    /// Adds a layer by its version ARN.
    pub fn layer(mut self, arn: impl IntoValue<Str>) -> Self {
        self.layers.push(arn.into_value());
        self
    }

    /// Sends failed asynchronous events to a queue or topic (permission granted).
    pub fn dead_letter(mut self, target: DeadLetter) -> Self {
        self.dead_letter = Some(target);
        self
    }

    /// Runs the function in a VPC: subnet and security group IDs.
    pub fn vpc<S: IntoValue<Str>, G: IntoValue<Str>>(
        mut self,
        subnets: impl IntoIterator<Item = S>,
        security_groups: impl IntoIterator<Item = G>,
    ) -> Self {
        self.vpc = Some(Vpc {
            subnets: subnets.into_iter().map(IntoValue::into_value).collect(),
            security_groups: security_groups
                .into_iter()
                .map(IntoValue::into_value)
                .collect(),
        });
        self
    }

    /// Encrypts environment variables with this KMS key.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        self.kms_key = Some(arn.into_value());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        self.tags.push((key.into(), value.into_value()));
        self
    }

    /// Uses an existing execution role instead of creating one (grants to this
    /// function are then reported: attach them to that role yourself).
    pub fn role(mut self, arn: impl IntoValue<IamRoleArn>) -> Self {
        self.role = Some(arn.into_value());
        self
    }

    /// Names the execution role nephos creates (deploying then needs the
    /// `CAPABILITY_NAMED_IAM` capability, which `nephos deploy` computes).
    pub fn role_name(mut self, name: impl IntoValue<Str>) -> Self {
        self.role_name = Some(name.into_value());
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
        self.log_retention_days = days;
        self
    }
}

/// A function added to a stack: its handle, role and log group.
#[derive(Clone, Debug)]
pub struct FunctionRef {
    function: crate::lambda::FunctionHandle,
    role: Option<RoleHandle>,
    log_group: LogGroupHandle,
    role_arn: Value<IamRoleArn>,
}

impl FunctionRef {
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

    /// The execution role nephos created, if it did.
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

impl Handle for FunctionRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.function.resource_ref()
    }
}

impl Grantee for FunctionRef {
    fn grant_role(&self) -> Option<&ResourceRef> {
        self.role.as_ref().map(Handle::resource_ref)
    }

    fn grantee_name(&self) -> String {
        format!("function `{}`", self.function.resource_ref().logical_id())
    }
}

/// The managed policy every created execution role gets: writing its logs.
const BASIC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
/// In a VPC, the role also manages network interfaces.
const VPC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// Lambda's limits for the functions this construct creates (AWS Lambda Developer Guide,
/// "Lambda quotas": timeout up to 900 seconds, memory 128 to 10,240 MB). The registry
/// schema allows more (5,400 s, 32,768 MB) because it also covers functions on Lambda
/// Managed Instances and durable functions, which this construct does not create.
const TIMEOUT_SECONDS: (i64, i64) = (1, 900);
const MEMORY_MB: (i64, i64) = (128, 10_240);

/// Reports a literal `value` of `property` outside `range`.
fn check_range(
    stack: &mut Stack,
    id: &str,
    property: &str,
    value: &Option<Value<Int>>,
    (min, max): (i64, i64),
    unit: &str,
) {
    let Some(n) = value.as_ref().and_then(Value::literal_json) else {
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

impl Construct for Function {
    type Handle = FunctionRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> FunctionRef {
        check_range(
            stack,
            id,
            "Timeout",
            &self.timeout,
            TIMEOUT_SECONDS,
            "seconds",
        );
        check_range(stack, id, "MemorySize", &self.memory, MEMORY_MB, "MB");
        let (role, role_arn) = match &self.role {
            Some(arn) => (None, arn.clone()),
            None => {
                let trust = PolicyDocument::new().statement(
                    Statement::allow()
                        .principal(Principal::service("lambda.amazonaws.com"))
                        .action("sts:AssumeRole"),
                );
                let mut managed: Vec<Value<IamManagedPolicyPolicyArn>> = Vec::new();
                if !self.inline_log_permissions {
                    managed.push(sub_fn(BASIC_EXECUTION, []).cast());
                }
                if self.vpc.is_some() {
                    managed.push(sub_fn(VPC_EXECUTION, []).cast());
                }
                let mut role = crate::iam::Role::new(trust);
                if !managed.is_empty() {
                    role = role.managed_policy_arns(managed);
                }
                if let Some(name) = &self.role_name {
                    role = role.role_name(name.clone());
                }
                let role = stack.add(&format!("{id}Role"), role);
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
        };

        let mut log_group =
            crate::logs::LogGroup::new().retention_in_days(self.log_retention_days as i64);
        if let Some(name) = &self.name {
            log_group = log_group.log_group_name(
                sub!("/aws/lambda/${name}", name = name.clone()).cast::<LambdaFunctionName>(),
            );
        }
        let log_group = stack.add(&format!("{id}LogGroup"), log_group);
        self.log_removal.apply(stack, &log_group);

        let named = self.name.is_some();
        let mut f = crate::lambda::Function::new(code, role_arn.clone())
            .runtime(self.runtime)
            .handler(self.handler);
        if !named {
            // Without a name the log group cannot be predicted; point the function at it.
            f = f.logging_config(generated::LoggingConfig::new().log_group(log_group.name()));
        }
        if let Some(n) = self.name {
            f = f.function_name(n);
        }
        if let Some(d) = self.description {
            f = f.description(d);
        }
        if let Some(m) = self.memory {
            f = f.memory_size(m);
        }
        if let Some(t) = self.timeout {
            f = f.timeout(t);
        }
        if !self.env.is_empty() {
            let mut env = generated::Environment::new();
            for (k, v) in self.env {
                env = env.insert_variables(&k, v);
            }
            f = f.environment(env);
        }
        if let Some(n) = self.reserved_concurrency {
            f = f.reserved_concurrent_executions(n);
        }
        if let Some(a) = self.architecture {
            f = f.architectures(vec![a]);
        }
        for layer in self.layers {
            f = f.add_layers(layer.cast::<LambdaLayerVersionArn>());
        }
        let dead_letter_arn: Option<Value<Str>> = self.dead_letter.as_ref().map(|d| match d {
            DeadLetter::Queue(target) | DeadLetter::Topic(target) => target.arn().clone(),
        });
        if let Some(arn) = &dead_letter_arn {
            f = f.dead_letter_config(generated::DeadLetterConfig::new().target_arn(arn.clone()));
        }
        if let Some(Vpc {
            subnets,
            security_groups: groups,
        }) = self.vpc
        {
            f = f.vpc_config(
                generated::VpcConfig::new()
                    .subnet_ids(subnets.into_iter().map(Value::cast).collect::<Vec<_>>())
                    .security_group_ids(groups.into_iter().map(Value::cast).collect::<Vec<_>>()),
            );
        }
        if let Some(k) = self.kms_key {
            f = f.kms_key_arn(k);
        }
        for (k, v) in self.tags {
            f = f.add_tags(generated::Tag::new(k).value(v));
        }
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
        r
    }
}
