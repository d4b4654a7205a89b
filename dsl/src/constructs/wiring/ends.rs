//! The ends of a wiring, as traits: a construct (built in or written by a user) that
//! implements one can be wired like the built-in function, queue and topic.

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
use crate::constructs::FunctionRef;
#[cfg(feature = "sqs")]
use crate::constructs::QueueRef;
#[cfg(feature = "sns")]
use crate::constructs::TopicRef;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::Grantee;
use crate::constructs::grants::table::TableTarget;
use crate::constructs::grants::{Target, on};
use crate::constructs::wiring::resource_policy::PolicyTarget;
use crate::kind::Str;
use crate::kinds::{
    DynamoDbTableName, LambdaFunctionArn, LambdaFunctionName, LambdaLayerVersionArn, SnsTopicArn,
    SqsQueueArn, SqsQueueUrl, StepFunctionsStateMachineArn, StepFunctionsStateMachineName,
};
use crate::stack::handle::{Handle, ResourceRef};
use crate::value::value::Value;

/// A bucket whose object events are delivered (S3 notifications): the `Bucket`
/// construct or a generated `AWS::S3::Bucket` handle. A bucket imported by ARN cannot
/// be one: its notifications are a property of its own resource, in its own stack.
pub trait BucketEnd: PolicyTarget {
    /// The bucket's name as wiring names it without referring to the bucket resource;
    /// `None` to read it from the resource's `BucketName` (which must then refer to no
    /// resource, or wiring would form a cycle).
    fn wiring_name(&self) -> Option<Value<Str>>;
}

#[cfg(feature = "s3")]
impl BucketEnd for crate::constructs::BucketRef {
    fn wiring_name(&self) -> Option<Value<Str>> {
        Some(self.name().cast())
    }
}

#[cfg(feature = "s3")]
impl BucketEnd for crate::s3::BucketHandle {
    fn wiring_name(&self) -> Option<Value<Str>> {
        None
    }
}

/// A function events are delivered to: invoked by a service (with a permission) or
/// polled for (with an event source mapping, which needs grants on its role).
pub trait FunctionEnd: Handle + Grantee {
    /// The function's ARN.
    fn function_arn(&self) -> Value<LambdaFunctionArn>;
    /// The function's name.
    fn function_name(&self) -> Value<LambdaFunctionName>;
    /// The execution role managed by this stack, which an event source mapping waits for
    /// (CloudFormation checks the role's permissions when it creates the mapping).
    fn execution_role(&self) -> Option<&ResourceRef>;
}

/// A function a service invokes under a role of yours (a Step Functions task): the role
/// is granted `lambda:InvokeFunction` on exactly the ARN of [`invoke_target`] (a version
/// or alias ARN grants that version or alias only). The `Function` construct, its
/// versions and aliases, an imported function, the generated `AWS::Lambda::Function`
/// handle and a `Value<LambdaFunctionArn>` are ones; a construct of your own that wraps a
/// function can be one too.
///
/// [`invoke_target`]: InvokedFunction::invoke_target
///
/// ```
/// use nephos::constructs::grants::{Target, on};
/// use nephos::constructs::wiring::InvokedFunction;
/// use nephos::kinds::LambdaFunctionArn;
/// use nephos::Value;
/// // A function shared by a platform team, known by the ARN its stack exports.
/// struct Shared(Value<LambdaFunctionArn>);
/// impl InvokedFunction for Shared {
///     fn invoke_target(&self) -> Target<on::Function> {
///         Target::by_arn("shared function", self.0.clone())
///     }
/// }
/// let t = Shared(Value::literal("arn:aws:lambda:eu-west-1:123456789012:function:audit".to_string())).invoke_target();
/// assert_eq!(t.what(), "shared function `arn:aws:lambda:eu-west-1:123456789012:function:audit`");
/// ```
pub trait InvokedFunction {
    /// What the invoke grant is on: the ARN invoked, the resource of the stack it is (if
    /// any) and how messages name it. Functions are not encrypted targets: give
    /// `encrypted_with(None)` unless a key must be covered.
    fn invoke_target(&self) -> Target<on::Function>;
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl InvokedFunction for FunctionRef {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::of("function", self, self.arn()).encrypted_with(None)
    }
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl InvokedFunction for crate::constructs::AliasRef {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::of("function alias", self, self.arn()).encrypted_with(None)
    }
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl InvokedFunction for crate::constructs::VersionRef {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::of("function version", self, self.arn()).encrypted_with(None)
    }
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl InvokedFunction for crate::constructs::import::ImportedFunction {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::by_arn("function", self.arn()).encrypted_with(None)
    }
}

#[cfg(feature = "lambda")]
impl InvokedFunction for crate::lambda::FunctionHandle {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::of("function", self, self.arn()).encrypted_with(None)
    }
}

impl InvokedFunction for Value<LambdaFunctionArn> {
    fn invoke_target(&self) -> Target<on::Function> {
        Target::by_arn("function", self.clone()).encrypted_with(None)
    }
}

/// A state machine another one starts (a Step Functions `StartExecution` task): the
/// [`StateMachine`](crate::constructs::StateMachine) construct's handle or the generated
/// `AWS::StepFunctions::StateMachine` handle. Its name scopes the execution ARNs a
/// `.sync` task's role may describe and stop.
pub trait StateMachineEnd: Handle {
    /// The state machine's ARN.
    fn state_machine_arn(&self) -> Value<StepFunctionsStateMachineArn>;
    /// The state machine's name.
    fn state_machine_name(&self) -> Value<StepFunctionsStateMachineName>;
}

#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl StateMachineEnd for crate::constructs::StateMachineRef {
    fn state_machine_arn(&self) -> Value<StepFunctionsStateMachineArn> {
        self.arn()
    }

    fn state_machine_name(&self) -> Value<StepFunctionsStateMachineName> {
        self.name()
    }
}

#[cfg(feature = "stepfunctions")]
impl StateMachineEnd for crate::stepfunctions::StateMachineHandle {
    fn state_machine_arn(&self) -> Value<StepFunctionsStateMachineArn> {
        self.arn()
    }

    fn state_machine_name(&self) -> Value<StepFunctionsStateMachineName> {
        self.name()
    }
}

/// A layer a function takes: a [`LayerVersion`](crate::constructs::LayerVersion) of the
/// stack, a generated `AWS::Lambda::LayerVersion` handle, or an imported layer
/// version's ARN (`Value<LambdaLayerVersionArn>`, such as an AWS-managed layer's).
pub trait LayerEnd {
    /// The layer version's ARN.
    fn layer_arn(&self) -> Value<LambdaLayerVersionArn>;
    /// How messages name it.
    fn layer_name(&self) -> String;
    /// The runtimes it declares, when known (`None`: any, or not known here).
    fn layer_runtimes(&self) -> Option<&[String]> {
        None
    }
    /// The instruction sets it declares, when known.
    fn layer_architectures(&self) -> Option<&[String]> {
        None
    }
}

#[cfg(feature = "lambda")]
impl LayerEnd for crate::constructs::LayerVersionRef {
    fn layer_arn(&self) -> Value<LambdaLayerVersionArn> {
        self.arn()
    }

    fn layer_name(&self) -> String {
        format!("layer `{}`", self.resource_ref().logical_id())
    }

    fn layer_runtimes(&self) -> Option<&[String]> {
        self.compatible_runtimes()
    }

    fn layer_architectures(&self) -> Option<&[String]> {
        self.compatible_architectures()
    }
}

#[cfg(feature = "lambda")]
impl LayerEnd for crate::lambda::LayerVersionHandle {
    fn layer_arn(&self) -> Value<LambdaLayerVersionArn> {
        self.arn()
    }

    fn layer_name(&self) -> String {
        format!("layer `{}`", self.resource_ref().logical_id())
    }
}

impl LayerEnd for Value<LambdaLayerVersionArn> {
    fn layer_arn(&self) -> Value<LambdaLayerVersionArn> {
        self.clone()
    }

    fn layer_name(&self) -> String {
        match self.literal_str() {
            Some(arn) => format!("layer `{}`", arn.escape_debug()),
            None => "the layer given by ARN".to_string(),
        }
    }
}

/// A queue messages are sent to by a service (under the queue's policy).
pub trait QueueEnd: PolicyTarget {
    /// The queue's ARN.
    fn queue_arn(&self) -> Value<SqsQueueArn>;
    /// The queue's URL (what a queue policy names).
    fn queue_url(&self) -> Value<SqsQueueUrl>;
    /// The customer-managed KMS key the queue is encrypted with, if any: a delivering
    /// service must be allowed on it.
    fn queue_key(&self) -> Option<EncryptionKey>;
}

/// A DynamoDB table a service reads or writes items of for a route (a REST API's
/// DynamoDB integration): the `Table` construct, or a construct of your own.
pub trait TableEnd: Handle {
    /// The table's name.
    fn table_name(&self) -> Value<DynamoDbTableName>;
    /// What grants on it are on (its ARN, indexes and customer-managed key).
    fn table_target(&self) -> TableTarget;
}

#[cfg(feature = "dynamodb")]
impl TableEnd for crate::constructs::TableRef {
    fn table_name(&self) -> Value<DynamoDbTableName> {
        self.name()
    }

    fn table_target(&self) -> TableTarget {
        self.grant_target()
    }
}

/// A table a REST API's DynamoDB integration reads or writes under a role API Gateway
/// assumes: only that role changes, so every [`TableEnd`] is one, and so is an imported
/// table (`Table::from_name`, `Table::from_arn`) of this account, whose key schema is
/// then not known at synth (the key attributes are not checked).
pub trait RoutedTable {
    /// What the request names the table by (DynamoDB's `TableName` takes its name or
    /// its ARN: DynamoDB API Reference, `PutItem`, `GetItem`, `Query`).
    fn routed_table_name(&self) -> Value<DynamoDbTableName>;
    /// What grants on it are on (its ARN, indexes and customer-managed key).
    fn routed_table_target(&self) -> TableTarget;
    /// The table's resource, when it is one of the stack (its key schema is checked).
    fn routed_table_resource(&self) -> Option<&ResourceRef>;
    /// How the role's logical ID and messages name it.
    fn routed_table_label(&self) -> String;
}

impl<T: TableEnd> RoutedTable for T {
    fn routed_table_name(&self) -> Value<DynamoDbTableName> {
        self.table_name()
    }

    fn routed_table_target(&self) -> TableTarget {
        self.table_target()
    }

    fn routed_table_resource(&self) -> Option<&ResourceRef> {
        Some(self.resource_ref())
    }

    fn routed_table_label(&self) -> String {
        self.resource_ref().logical_id().to_string()
    }
}

#[cfg(feature = "dynamodb")]
impl RoutedTable for crate::constructs::import::ImportedTable {
    /// The name of a table imported by name (`Table::from_name`, of the API's account
    /// and region: DynamoDB looks a name up there); the ARN of one imported by ARN, which
    /// may be of another account, where its name would name the API's own account's
    /// table while the role is granted on the ARN.
    fn routed_table_name(&self) -> Value<DynamoDbTableName> {
        match self.known_name() {
            Some(name) if self.arn().literal_str().is_none() => name.cast(),
            _ => self.arn().cast(),
        }
    }

    fn routed_table_target(&self) -> TableTarget {
        self.table_target()
    }

    fn routed_table_resource(&self) -> Option<&ResourceRef> {
        None
    }

    fn routed_table_label(&self) -> String {
        match self.known_name() {
            Some(name) => crate::constructs::ids::value_fragment(&name),
            None => crate::constructs::ids::value_fragment(&self.arn()),
        }
    }
}

/// A topic messages are published to by a service (under the topic's policy).
pub trait TopicEnd: PolicyTarget {
    /// The topic's ARN.
    fn topic_arn(&self) -> Value<SnsTopicArn>;
    /// The customer-managed KMS key the topic is encrypted with, if any.
    fn topic_key(&self) -> Option<EncryptionKey>;
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl FunctionEnd for FunctionRef {
    fn function_arn(&self) -> Value<LambdaFunctionArn> {
        self.arn()
    }

    fn function_name(&self) -> Value<LambdaFunctionName> {
        self.name()
    }

    fn execution_role(&self) -> Option<&ResourceRef> {
        self.role().map(Handle::resource_ref)
    }
}

/// An alias is invoked and polled for under its own ARN, with its function's role.
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl FunctionEnd for crate::constructs::AliasRef {
    fn function_arn(&self) -> Value<LambdaFunctionArn> {
        self.arn()
    }

    fn function_name(&self) -> Value<LambdaFunctionName> {
        // Lambda takes a qualified ARN wherever it takes a function name.
        self.arn().cast()
    }

    fn execution_role(&self) -> Option<&ResourceRef> {
        self.function().role().map(Handle::resource_ref)
    }
}

#[cfg(feature = "sqs")]
impl QueueEnd for QueueRef {
    fn queue_arn(&self) -> Value<SqsQueueArn> {
        self.arn()
    }

    fn queue_url(&self) -> Value<SqsQueueUrl> {
        self.url()
    }

    fn queue_key(&self) -> Option<EncryptionKey> {
        self.grant_target().key().cloned()
    }
}

#[cfg(feature = "sns")]
impl TopicEnd for TopicRef {
    fn topic_arn(&self) -> Value<SnsTopicArn> {
        self.arn()
    }

    fn topic_key(&self) -> Option<EncryptionKey> {
        self.grant_target().key().cloned()
    }
}

/// A bucket a Step Functions Distributed Map reads items from or writes results to
/// (`state_machine::DistributedMap`, which names it in its
/// definition and grants its role on it): the `Bucket` construct, a generated
/// `AWS::S3::Bucket` handle, a bucket imported by name (`Bucket::from_name`), or a
/// construct of your own.
pub trait MapBucket {
    /// The bucket's name, as the definition passes it to S3.
    fn map_bucket_name(&self) -> Value<Str>;
    /// What grants on it are on (its ARN, and its customer-managed key).
    fn map_bucket_target(&self) -> Target<on::Bucket>;
    /// The resource, when it is one of the stack (its logical ID names the substitution).
    fn map_bucket_resource(&self) -> Option<ResourceRef>;
}

#[cfg(feature = "s3")]
impl MapBucket for crate::constructs::BucketRef {
    fn map_bucket_name(&self) -> Value<Str> {
        self.name().cast()
    }
    fn map_bucket_target(&self) -> Target<on::Bucket> {
        self.grant_target()
    }
    fn map_bucket_resource(&self) -> Option<ResourceRef> {
        Some(self.handle().resource_ref().clone())
    }
}

#[cfg(feature = "s3")]
impl MapBucket for crate::s3::BucketHandle {
    fn map_bucket_name(&self) -> Value<Str> {
        self.name().cast()
    }
    fn map_bucket_target(&self) -> Target<on::Bucket> {
        Target::from(self)
    }
    fn map_bucket_resource(&self) -> Option<ResourceRef> {
        Some(self.resource_ref().clone())
    }
}

/// A bucket outside the stack (`Bucket::from_name`): only the map's role changes, so
/// it needs no statement of the bucket's own (for a bucket of this account; another
/// account's bucket policy must also allow the role, which its owner adds).
#[cfg(feature = "s3")]
impl MapBucket for crate::constructs::import::ImportedBucket {
    fn map_bucket_name(&self) -> Value<Str> {
        self.name()
    }
    fn map_bucket_target(&self) -> Target<on::Bucket> {
        self.grant_target()
    }
    fn map_bucket_resource(&self) -> Option<ResourceRef> {
        None
    }
}

/// A state machine a service starts under a role of yours (an EventBridge rule's or a
/// Scheduler schedule's target): the role is granted `states:StartExecution` on exactly
/// the ARN of [`start_target`](StartedStateMachine::start_target). The
/// [`StateMachine`](crate::constructs::StateMachine) construct's handle, an imported
/// state machine (`StateMachine::from_arn`), the generated
/// `AWS::StepFunctions::StateMachine` handle and a `Value<StepFunctionsStateMachineArn>`
/// are ones.
///
/// Both services start an execution with `StartExecution`, standard or express alike
/// (never `StartSyncExecution`): the caller does not wait for the result, so an
/// express workflow's outcome is seen in its logs only.
pub trait StartedStateMachine {
    /// What the start grant is on: the ARN started, the resource of the stack it is (if
    /// any) and how messages name it.
    fn start_target(&self) -> Target<on::StateMachine>;
}

#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl StartedStateMachine for crate::constructs::StateMachineRef {
    fn start_target(&self) -> Target<on::StateMachine> {
        Target::of("state machine", self, self.arn()).encrypted_with(None)
    }
}

#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl StartedStateMachine for crate::constructs::import::ImportedStateMachine {
    fn start_target(&self) -> Target<on::StateMachine> {
        Target::by_arn("state machine", self.arn()).encrypted_with(None)
    }
}

#[cfg(feature = "stepfunctions")]
impl StartedStateMachine for crate::stepfunctions::StateMachineHandle {
    fn start_target(&self) -> Target<on::StateMachine> {
        Target::of("state machine", self, self.arn()).encrypted_with(None)
    }
}

impl StartedStateMachine for Value<StepFunctionsStateMachineArn> {
    fn start_target(&self) -> Target<on::StateMachine> {
        Target::by_arn("state machine", self.clone()).encrypted_with(None)
    }
}

/// A queue a service sends to under a role of yours (a Scheduler schedule's target or
/// dead-letter queue, an HTTP API's or a state machine's `SendMessage`): the role is
/// granted sending on it (and on its key), and no queue policy is needed. Every
/// [`QueueEnd`] is one, and so is an imported queue (`Queue::from_arn`).
pub trait SentQueue {
    /// What the send grant is on: the queue's ARN, its resource (if any) and its key.
    fn send_target(&self) -> Target<on::Queue>;

    /// The queue's URL, what `SendMessage` names the queue by. Unless given, it is made
    /// from the ARN `arn:<partition>:sqs:<region>:<account>:<name>`:
    /// `https://sqs.<region>.<URL suffix>/<account>/<name>`, the queue URL form of the
    /// SQS Developer Guide ("Amazon SQS queue and message identifiers").
    ///
    /// ```
    /// use nephos::constructs::{Queue, wiring::SentQueue};
    /// let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
    /// let url = serde_json::to_string(&jobs.send_url().to_json()).unwrap();
    /// assert!(url.contains("https://sqs.") && url.contains("AWS::URLSuffix"), "{url}");
    /// ```
    fn send_url(&self) -> Value<SqsQueueUrl> {
        let arn = self.send_target().arn().clone();
        let part = |i: u32| crate::select(i, crate::split(":", arn.clone())).into_any();
        crate::sub(
            "https://sqs.${Region}.${AWS::URLSuffix}/${Account}/${Name}",
            [("Region", part(3)), ("Account", part(4)), ("Name", part(5))],
        )
        .cast()
    }
}

impl<T: QueueEnd> SentQueue for T {
    fn send_target(&self) -> Target<on::Queue> {
        Target::of("queue", self, self.queue_arn()).encrypted_with(self.queue_key())
    }

    fn send_url(&self) -> Value<SqsQueueUrl> {
        self.queue_url()
    }
}

#[cfg(feature = "sqs")]
impl SentQueue for crate::constructs::import::ImportedQueue {
    fn send_target(&self) -> Target<on::Queue> {
        self.grant_target()
    }
}

/// A topic a service publishes to under a role of yours (a Scheduler schedule's
/// target): the role is granted publishing on it (and on its key), and no topic policy
/// is needed. Every [`TopicEnd`] is one, and so is an imported topic
/// (`Topic::from_arn`).
pub trait PublishedTopic {
    /// What the publish grant is on: the topic's ARN, its resource (if any) and its key.
    fn publish_target(&self) -> Target<on::Topic>;
}

impl<T: TopicEnd> PublishedTopic for T {
    fn publish_target(&self) -> Target<on::Topic> {
        Target::of("topic", self, self.topic_arn()).encrypted_with(self.topic_key())
    }
}

#[cfg(feature = "sns")]
impl PublishedTopic for crate::constructs::import::ImportedTopic {
    fn publish_target(&self) -> Target<on::Topic> {
        self.grant_target()
    }
}

/// A function a service invokes on its own (an EventBridge rule, an SNS topic) with a
/// `Lambda::Permission` this stack adds: every [`FunctionEnd`], and an imported
/// function (`Function::from_arn`) of this account. The permission is a statement of
/// the function's own policy that CloudFormation adds from this stack, which Lambda
/// allows for a function of the same account only; another account's function needs
/// its owner to add it.
pub trait PushedFunction {
    /// The ARN invoked.
    fn pushed_arn(&self) -> Value<LambdaFunctionArn>;
    /// The function's resource, when it is one of the stack.
    fn pushed_resource(&self) -> Option<&ResourceRef>;
    /// How wiring IDs name it: its logical ID, or a fragment of its ARN.
    fn pushed_name(&self) -> String;
}

impl<T: FunctionEnd> PushedFunction for T {
    fn pushed_arn(&self) -> Value<LambdaFunctionArn> {
        self.function_arn()
    }

    fn pushed_resource(&self) -> Option<&ResourceRef> {
        Some(self.resource_ref())
    }

    fn pushed_name(&self) -> String {
        self.resource_ref().logical_id().to_string()
    }
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl PushedFunction for crate::constructs::import::ImportedFunction {
    fn pushed_arn(&self) -> Value<LambdaFunctionArn> {
        self.arn()
    }

    fn pushed_resource(&self) -> Option<&ResourceRef> {
        None
    }

    fn pushed_name(&self) -> String {
        crate::constructs::ids::value_fragment(&self.arn())
    }
}
