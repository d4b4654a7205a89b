//! [`Bucket`]: an S3 bucket with encryption and public-access blocking on, and
//! notifications to functions, topics and queues that cannot form a dependency cycle.

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::names;
use crate::constructs::wiring::resource_policy::add_statement;
use crate::constructs::wiring::s3::{self, NotificationFilter, S3Event};
use crate::constructs::wiring::{QueueEnd, TopicEnd};
use crate::kind::{Any, Str};
use crate::kinds::S3BucketName;
use crate::policy::Statement;
use crate::s3::BucketHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};
use crate::{sub, value};

/// How objects are encrypted at rest.
#[derive(Clone, Debug, Default)]
pub enum BucketEncryption {
    /// S3-managed keys (SSE-S3).
    #[default]
    S3Managed,
    /// A KMS key (SSE-KMS), made with [`BucketEncryption::kms`].
    Kms(EncryptionKey),
}

impl BucketEncryption {
    /// SSE-KMS with `key`: a key's ARN or ID (`key.arn()`, `key.id()` of an
    /// `AWS::KMS::Key`), an alias name (`alias.name()`, or
    /// `Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/s3")` for the AWS managed key)
    /// or an alias ARN, as S3 takes it (Amazon S3 API Reference,
    /// `ServerSideEncryptionByDefault.KMSMasterKeyID`). Grants on the bucket cover the key by
    /// its ARN; an alias other than an AWS managed one is refused when a grant is made (see
    /// [`grants::key`](crate::constructs::grants::key)).
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{Bucket, BucketEncryption};
    /// use nephos::kinds::KmsAliasNameOrKeyArnOrId;
    /// let mut stack = Stack::new("App");
    /// let managed = Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/s3");
    /// stack.add("Uploads", Bucket::new().encryption(BucketEncryption::kms(managed)));
    /// let t = stack.synth().unwrap();
    /// let rule = &t.json()["Resources"]["Uploads"]["Properties"]["BucketEncryption"]
    ///     ["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"];
    /// assert_eq!(rule["KMSMasterKeyID"], "alias/aws/s3");
    /// ```
    pub fn kms(key: impl Into<EncryptionKey>) -> Self {
        BucketEncryption::Kms(key.into())
    }
}

/// An S3 bucket. Encrypted (S3-managed keys unless set) with all public access blocked
/// unless [`Bucket::allow_public_access`] says otherwise; kept when removed from the
/// stack unless [`RemovalPolicy::Destroy`] is chosen. Its name is computed in the
/// template (`<stack>-<id>-<stack uuid>`) unless given, so its name and ARN never refer
/// to the bucket resource: notifications and their permissions cannot form a cycle.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Bucket;
/// let mut stack = Stack::new("App");
/// stack.add("Uploads", Bucket::new().versioned());
/// let t = stack.synth().unwrap();
/// let props = &t.json()["Resources"]["Uploads"]["Properties"];
/// assert_eq!(props["PublicAccessBlockConfiguration"]["BlockPublicPolicy"], true);
/// assert_eq!(props["VersioningConfiguration"]["Status"], "Enabled");
/// ```
///
/// The construct holds the generated `AWS::S3::Bucket` builder: options write into it, and
/// [`configure`](Bucket::configure) reaches every property it has.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// The builder, the key every grant covers, the removal policy and the hatch.
    bucket: Wrapped<crate::s3::Bucket>,
    /// The bucket's name, kept for its handle (computed when added unless given).
    name: Option<Value<Str>>,
    /// Lifecycle and CORS rules, written as one configuration each when added.
    lifecycle: Vec<Value<Any>>,
    cors: Vec<Value<Any>>,
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket::new()
    }
}

/// `BucketEncryption` with `sse` as the default rule.
fn bucket_encryption(sse: Value<Any>) -> Value<crate::s3::bucket::BucketEncryption> {
    Value::cast(
        value!({ "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": sse }] }),
    )
}

/// `PublicAccessBlockConfiguration` blocking everything, or nothing.
fn public_access_block(block: bool) -> Value<crate::s3::bucket::PublicAccessBlockConfiguration> {
    Value::cast(value!({
        "BlockPublicAcls": block, "BlockPublicPolicy": block,
        "IgnorePublicAcls": block, "RestrictPublicBuckets": block
    }))
}

impl Bucket {
    /// A private, encrypted bucket.
    pub fn new() -> Self {
        Bucket {
            bucket: Wrapped::stateful(
                crate::s3::Bucket::new()
                    .bucket_encryption(bucket_encryption(value!({ "SSEAlgorithm": "AES256" })))
                    .public_access_block_configuration(public_access_block(true)),
            ),
            name: None,
            lifecycle: Vec::new(),
            cors: Vec::new(),
        }
    }

    /// The physical bucket name (lower case, 3 to 63 characters, unique in the
    /// partition). It must not refer to the bucket itself.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// Keeps every version of every object.
    pub fn versioned(mut self) -> Self {
        let status = Value::cast::<crate::s3::bucket::VersioningConfiguration>(
            value!({ "Status": "Enabled" }),
        );
        self.bucket = self.bucket.set(|b| b.versioning_configuration(status));
        self
    }

    /// Sets the encryption.
    pub fn encryption(mut self, encryption: BucketEncryption) -> Self {
        self.bucket = match encryption {
            BucketEncryption::S3Managed => self.bucket.no_kms_key(|b| {
                b.bucket_encryption(bucket_encryption(value!({ "SSEAlgorithm": "AES256" })))
            }),
            BucketEncryption::Kms(key) => self.bucket.kms_key(key, |b, key| {
                b.bucket_encryption(bucket_encryption(
                    value!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key }),
                ))
            }),
        };
        self
    }

    /// Does not block public access: an explicit opt-out of the default.
    pub fn allow_public_access(mut self) -> Self {
        self.bucket = self
            .bucket
            .set(|b| b.public_access_block_configuration(public_access_block(false)));
        self
    }

    /// Deletes objects under `prefix` (all objects for `""`) `days` after creation.
    pub fn expire_objects(mut self, prefix: &str, days: i64) -> Self {
        let id = if prefix.is_empty() {
            "ExpireAll".to_string()
        } else {
            format!("Expire{}", crate::constructs::ids::pascal(prefix))
        };
        self.lifecycle.push(
            value!({ "Id": id, "Status": "Enabled", "Prefix": prefix, "ExpirationInDays": days }),
        );
        self
    }

    /// Moves objects under `prefix` to `storage_class` (such as `GLACIER`) after `days`.
    pub fn transition_objects(mut self, prefix: &str, storage_class: &str, days: i64) -> Self {
        let id = format!(
            "To{}{}",
            crate::constructs::ids::pascal(storage_class),
            crate::constructs::ids::pascal(prefix)
        );
        self.lifecycle.push(value!({
            "Id": id, "Status": "Enabled", "Prefix": prefix,
            "Transitions": [{ "StorageClass": storage_class, "TransitionInDays": days }]
        }));
        self
    }

    /// Sends the bucket's events to EventBridge (`NotificationConfiguration.
    /// EventBridgeConfiguration`): every event goes to the account's default bus, where
    /// rules on source `aws.s3` match them. Without it such a rule never fires (Amazon S3
    /// User Guide, "Using EventBridge": EventBridge notifications are turned on per
    /// bucket). Notifications wired to functions, queues or topics stay beside it.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Bucket;
    /// let mut stack = Stack::new("App");
    /// stack.add("Uploads", Bucket::new().event_bridge());
    /// let t = stack.synth().unwrap();
    /// assert_eq!(
    ///     t.json()["Resources"]["Uploads"]["Properties"]["NotificationConfiguration"],
    ///     serde_json::json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}}),
    /// );
    /// ```
    pub fn event_bridge(mut self) -> Self {
        self.bucket = self.bucket.set(|b| {
            b.notification_configuration(
                crate::s3::bucket::NotificationConfiguration::new().event_bridge_configuration(
                    crate::s3::bucket::EventBridgeConfiguration::new(true),
                ),
            )
        });
        self
    }

    /// Allows browsers on `origins` to use `methods` (`GET`, `PUT`...).
    pub fn cors<'a>(
        mut self,
        origins: impl IntoIterator<Item = &'a str>,
        methods: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let origins: Vec<&str> = origins.into_iter().collect();
        let methods: Vec<&str> = methods.into_iter().collect();
        self.cors.push(value!({ "AllowedOrigins": origins, "AllowedMethods": methods, "AllowedHeaders": ["*"], "MaxAge": 3000 }));
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        let tag = crate::s3::bucket::Tag::new(key.into(), value);
        self.bucket = self.bucket.set(|b| b.add_tags(tag));
        self
    }

    /// What happens to the bucket when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.bucket = self.bucket.removal_policy(Some(policy));
        self
    }

    /// Escape hatch to the generated `AWS::S3::Bucket` builder: `f` sees it after the
    /// construct's defaults (encryption, public access blocked, the computed name) and
    /// options and may set or clear any property; a later `override_property` still wins.
    /// The name and key the bucket's handle and grants use are the ones given by
    /// [`name`](Bucket::name) and [`encryption`](Bucket::encryption).
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Bucket;
    /// use nephos::s3::bucket::{AccelerateConfiguration, AccelerationStatus};
    /// let mut stack = Stack::new("App");
    /// stack.add("Uploads", Bucket::new().configure(|l1| {
    ///     l1.accelerate_configuration(AccelerateConfiguration::new(AccelerationStatus::Enabled))
    /// }));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Uploads"]["Properties"]["AccelerateConfiguration"]["AccelerationStatus"], "Enabled");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::s3::Bucket) -> crate::s3::Bucket + Send + Sync + 'static,
    ) -> Self {
        self.bucket = self.bucket.configure(f);
        self
    }
}

/// The bucket's properties the construct derives grants, policies and notifications from
/// when added.
const OWNED: &[Owned] = &[
    Owned::new(
        "BucketName",
        "name",
        "the bucket's ARN in grants, policies and notifications",
    ),
    Owned::new(
        "BucketEncryption",
        "encryption",
        "the KMS key that grants on the bucket cover",
    )
    .at("/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID"),
];

impl Construct for Bucket {
    type Handle = BucketRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> BucketRef {
        let name = self
            .name
            .unwrap_or_else(|| names::bucket_name(stack.name(), id));
        // A literal name is checked at synth, on every bucket of the template (the
        // schema's pattern and length, and `synth/checks/bucket_names.rs`).
        if names::refers_to_resources(&name) {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "BucketName"),
                "the bucket name refers to a resource, so notifications to it could form a dependency cycle".to_string(),
                "build the name from parameters, pseudo parameters and literals",
            ));
        }
        if !self.lifecycle.is_empty() {
            check_rule_ids(stack, id, &self.lifecycle);
        }
        let (lifecycle, cors) = (self.lifecycle, self.cors);
        let named = name.clone();
        let ready = self.bucket.prepare(stack, id, OWNED, |mut b| {
            b = b.bucket_name(named);
            if !lifecycle.is_empty() {
                b = b.lifecycle_configuration(Value::cast::<
                    crate::s3::bucket::LifecycleConfiguration,
                >(value!({ "Rules": lifecycle })));
            }
            if !cors.is_empty() {
                b = b.cors_configuration(Value::cast::<crate::s3::bucket::CorsConfiguration>(
                    value!({ "CorsRules": cors }),
                ));
            }
            b
        });
        let added = ready.add_to(stack);
        BucketRef {
            bucket: added.handle,
            name,
            kms_key: added.kms_key,
        }
    }
}

/// S3 refuses a lifecycle configuration whose rule IDs repeat or exceed 255 characters
/// (Amazon S3 API Reference, `LifecycleRule.ID`). The IDs come from the prefixes' letters
/// and digits, so `expire_objects("logs/", ..)` and `expire_objects("logs", ..)` collide.
fn check_rule_ids(stack: &mut Stack, id: &str, rules: &[Value<Any>]) {
    let mut seen = std::collections::BTreeSet::new();
    for rule in rules {
        // A computed ID renders as an intrinsic object, not a string: not checked here.
        let json = rule.to_json();
        let Some(rule_id) = json["Id"].as_str().map(str::to_string) else {
            continue;
        };
        let problem = if rule_id.len() > 255 {
            Some(format!(
                "the lifecycle rule ID `{}...` is longer than the 255 characters S3 allows",
                rule_id.chars().take(40).collect::<String>()
            ))
        } else if !seen.insert(rule_id.clone()) {
            Some(format!(
                "two lifecycle rules get the ID `{rule_id}`; S3 requires rule IDs to be unique"
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "LifecycleConfiguration"),
                problem,
                "give each rule a prefix (or storage class) that differs in its letters or digits, and keep prefixes short",
            ));
        }
    }
}

/// A bucket added to a stack.
#[derive(Clone, Debug)]
pub struct BucketRef {
    bucket: BucketHandle,
    name: Value<Str>,
    /// The customer-managed key, which every grant on the bucket covers.
    kms_key: Option<EncryptionKey>,
}

impl BucketRef {
    /// The bucket's name, computed without referring to the bucket.
    pub fn name(&self) -> Value<S3BucketName> {
        self.name.clone().cast()
    }

    /// The bucket's ARN, built from its name.
    pub fn arn(&self) -> Value<Str> {
        names::bucket_arn(&self.name)
    }

    /// The ARN of objects under `pattern` (`*` for all).
    pub fn arn_for_objects(&self, pattern: &str) -> Value<Str> {
        sub!("${arn}/${pattern}", arn = self.arn(), pattern = pattern)
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &BucketHandle {
        &self.bucket
    }

    /// What grants on the bucket are on: its ARN (computed from its name, so grants do
    /// not refer to the bucket) and key.
    pub fn grant_target(&self) -> Target<grants::on::Bucket> {
        // The ARN is made from the bucket's name in S3's ARN format (`arn:...:s3:::name`).
        Target::of(
            "bucket",
            &self.bucket,
            self.arn().cast::<crate::kinds::S3BucketArn>(),
        )
        .encrypted_with(self.kms_key.clone())
    }

    /// Lets `grantee` list the bucket, find its region and read objects.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write objects (multipart uploads included) and find the bucket's
    /// region.
    pub fn grant_put(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::put(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` delete objects.
    pub fn grant_delete(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::delete(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` read, write and delete objects.
    pub fn grant_read_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        let mut granted = self.grant_read(stack, grantee);
        granted.extend(self.grant_put(stack, grantee));
        granted.extend(self.grant_delete(stack, grantee));
        granted
    }

    /// Invokes `function` on `events`: a notification plus the permission for S3 to
    /// invoke it, scoped to this bucket (by its computed ARN) and account. `function` is
    /// one of the stack or one imported from this account (`Function::from_arn`): see
    /// [`wiring::s3::notify_function`](crate::constructs::wiring::s3::notify_function).
    #[cfg(feature = "lambda")]
    pub fn notify_function(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        function: &impl crate::constructs::wiring::PushedFunction,
    ) {
        s3::notify_function(stack, self, events, filter, function)
    }

    /// Publishes `events` to `topic`, with a statement in the topic's policy letting this
    /// bucket (only) publish.
    #[cfg(feature = "sns")]
    pub fn notify_topic(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        topic: &impl TopicEnd,
    ) {
        s3::notify_topic(stack, self, events, filter, topic)
    }

    /// Sends `events` to `queue`, with a statement in the queue's policy letting this
    /// bucket (only) send.
    #[cfg(feature = "sqs")]
    pub fn notify_queue(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        queue: &impl QueueEnd,
    ) {
        s3::notify_queue(stack, self, events, filter, queue)
    }

    /// Adds a statement to the bucket's policy (such as denying insecure transport).
    pub fn add_to_resource_policy(&self, stack: &mut Stack, statement: Statement) {
        add_statement(stack, self, statement);
    }
}

impl Handle for BucketRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.bucket.resource_ref()
    }
}
