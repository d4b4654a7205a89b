//! [`Function`]: a Lambda function with its execution role and log group.
//!
//! One concept a file: `options` (the builder's options), `code` (where the code comes
//! from), `role` (the execution role), `log_group` (the group it writes to), `checks`
//! (Lambda's limits and what its layers declare) and `add` (adding it all); the
//! function's handle is here, its versions, URLs and asynchronous invocation beside.

mod add;
mod async_invoke;
mod checks;
mod code;
mod image;
mod log_group;
mod options;
mod role;
mod url;
mod version;
mod version_hash;

pub use async_invoke::{Destination, EventInvokeConfig};
pub use code::Code;
pub use image::ContainerImage;
pub use url::{FunctionUrlOptions, UrlAuth, UrlCors, UrlMethod};
pub use version::{Alias, AliasRef, VersionRef};

use crate::constructs::Wrapped;
use crate::constructs::grants::{self, Grant, Granted, Grantee, Target};
use crate::iam::RoleHandle;
use crate::kind::Str;
use crate::kinds::{IamRoleArn, LambdaFunctionArn, LambdaFunctionName};
use crate::lambda::function as generated;
pub use crate::lambda::function::{Architectures as Architecture, Mode as Tracing, Runtime};
use crate::logs::LogGroupHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::Props;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// Where a function sends events it could not process, as a grant target (its ARN and
/// key: `queue.grant_target()`, a generated handle's `Target::from(&handle)`, or
/// [`Target::by_arn`]); the function's role is granted sending to it.
#[derive(Clone, Debug)]
pub enum DeadLetter {
    /// An SQS queue.
    Queue(Target<grants::on::Queue>),
    /// An SNS topic.
    Topic(Target<grants::on::Topic>),
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
    /// The function: every option the generated type has is written here, with its
    /// `configure` closures.
    function: Wrapped<crate::lambda::Function>,
    /// Resolved when added (an asset is placed in the stack's assembly).
    code: code::Source,
    /// The function's name, kept to name the log group after it.
    name: Option<Value<Str>>,
    /// Written into the function when added, if any variable is set.
    environment: generated::Environment,
    dead_letter: Option<DeadLetter>,
    async_invoke: Option<EventInvokeConfig>,
    /// The layers taken with what they declare, checked against the final function.
    layers: Vec<checks::LayerUse>,
    /// A role given by the user; else `role` is created.
    role_arn: Option<Value<IamRoleArn>>,
    /// The execution role created unless one is given, with `configure_role`'s closures.
    role: Wrapped<crate::iam::Role>,
    /// The log group, its removal policy (kept unless set) and `configure_log_group`'s
    /// closures.
    log_group: Wrapped<crate::logs::LogGroup>,
    inline_log_permissions: bool,
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
    /// The asynchronous invocation options, applied to each alias too: Lambda keeps them
    /// per qualifier, and events sent to an alias would otherwise get its defaults.
    async_invoke: Option<std::sync::Arc<EventInvokeConfig>>,
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
    pub fn grant_target(&self) -> Target<grants::on::Function> {
        Target::from(&self.function)
    }

    /// Lets `grantee` invoke this function.
    pub fn grant_invoke(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::function::invoke(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` call this function's IAM-authorized URL ([`UrlAuth::Iam`]):
    /// `lambda:InvokeFunctionUrl`, and `lambda:InvokeFunction` through a function URL only.
    pub fn grant_invoke_url(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
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
    /// The hash also covers the properties of the resources of this stack the function
    /// refers to, as they are when `version` is called, and theirs in turn (four
    /// references deep, 64 resources at most): a layer version with new content, or a
    /// parameter resource with a new value, gives a new ID. It cannot cover what synth
    /// does not know: a template parameter's value, an imported ARN or export, a
    /// resource of another stack, or anything a referent gets after `version` is
    /// called. The execution role is not followed (its permissions apply to every
    /// version at each call). A change there publishes no version: change something
    /// hashed (the description) to publish one.
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
