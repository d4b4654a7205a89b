//! [`Bucket`]: an S3 bucket with encryption and public-access blocking on, and
//! notifications to functions, topics and queues that cannot form a dependency cycle.

use std::collections::BTreeMap;

use crate::constructs::RemovalPolicy;
use crate::constructs::function::FunctionRef;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::names;
use crate::constructs::queue::QueueRef;
use crate::constructs::resource_policy::{PolicyKind, add_statement};
use crate::constructs::topic::TopicRef;
use crate::kind::{Any, Str};
use crate::kinds::{KmsKeyArn, S3BucketName};
use crate::policy::{Principal, Statement};
use crate::s3::BucketHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::value::{IntoValue, Value};
use crate::{aws, sub, value};

/// How objects are encrypted at rest.
#[derive(Clone, Debug, Default)]
pub enum BucketEncryption {
    /// S3-managed keys (SSE-S3).
    #[default]
    S3Managed,
    /// A KMS key (SSE-KMS).
    Kms(Value<KmsKeyArn>),
}

/// The S3 events a notification fires on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Event {
    /// Any object creation.
    ObjectCreated,
    /// Creation by PUT only.
    ObjectCreatedPut,
    /// Any object removal.
    ObjectRemoved,
    /// Restore from an archive completed.
    ObjectRestoreCompleted,
}

impl S3Event {
    fn as_str(self) -> &'static str {
        match self {
            S3Event::ObjectCreated => "s3:ObjectCreated:*",
            S3Event::ObjectCreatedPut => "s3:ObjectCreated:Put",
            S3Event::ObjectRemoved => "s3:ObjectRemoved:*",
            S3Event::ObjectRestoreCompleted => "s3:ObjectRestore:Completed",
        }
    }
}

/// Which object keys a notification covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotificationFilter {
    /// Keys starting with this.
    pub prefix: Option<String>,
    /// Keys ending with this.
    pub suffix: Option<String>,
}

impl NotificationFilter {
    /// Keys starting with `prefix`, such as `uploads/`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        NotificationFilter {
            prefix: Some(prefix.into()),
            suffix: None,
        }
    }

    /// Keys ending with `suffix`, such as `.jpg`.
    ///
    /// ```
    /// use nephos::constructs::NotificationFilter;
    /// let f = NotificationFilter::prefix("uploads/").and_suffix(".jpg");
    /// assert_eq!((f.prefix.as_deref(), f.suffix.as_deref()), (Some("uploads/"), Some(".jpg")));
    /// ```
    pub fn suffix(suffix: impl Into<String>) -> Self {
        NotificationFilter {
            prefix: None,
            suffix: Some(suffix.into()),
        }
    }

    /// Also requires keys to start with `prefix`.
    pub fn and_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Also requires keys to end with `suffix`.
    pub fn and_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
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
#[derive(Clone, Debug, Default)]
pub struct Bucket {
    name: Option<Value<Str>>,
    versioned: bool,
    encryption: BucketEncryption,
    public: bool,
    lifecycle: Vec<Value<Any>>,
    cors: Vec<Value<Any>>,
    tags: Vec<(String, Value<Str>)>,
    removal: RemovalPolicy,
}

impl Bucket {
    /// A private, encrypted bucket.
    pub fn new() -> Self {
        Bucket::default()
    }

    /// The physical bucket name (lower case, 3 to 63 characters, unique in the
    /// partition). It must not refer to the bucket itself.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// Keeps every version of every object.
    pub fn versioned(mut self) -> Self {
        self.versioned = true;
        self
    }

    /// Sets the encryption.
    pub fn encryption(mut self, encryption: BucketEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Does not block public access: an explicit opt-out of the default.
    pub fn allow_public_access(mut self) -> Self {
        self.public = true;
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
        self.tags.push((key.into(), value.into_value()));
        self
    }

    /// What happens to the bucket when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal = policy;
        self
    }
}

impl Construct for Bucket {
    type Handle = BucketRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> BucketRef {
        let name = self
            .name
            .unwrap_or_else(|| names::bucket_name(stack.name(), id));
        if let Expr::Lit(serde_json::Value::String(literal)) = &name.expr
            && let Some(problem) = names::bucket_name_problem(literal)
        {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "BucketName"),
                problem,
                "follow S3's bucket naming rules, or leave the name out: nephos then computes a unique valid one",
            ));
        }
        if names::refers_to_resources(&name) {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "BucketName"),
                "the bucket name refers to a resource, so notifications to it could form a dependency cycle".to_string(),
                "build the name from parameters, pseudo parameters and literals",
            ));
        }
        let kms_key = match &self.encryption {
            BucketEncryption::Kms(arn) => Some(arn.clone()),
            BucketEncryption::S3Managed => None,
        };
        let sse = match &self.encryption {
            BucketEncryption::S3Managed => value!({ "SSEAlgorithm": "AES256" }),
            BucketEncryption::Kms(arn) => {
                value!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arn })
            }
        };
        use crate::s3::bucket as generated;
        let block = !self.public;
        let mut b = crate::s3::Bucket::new()
            .bucket_name(name.clone())
            .bucket_encryption(Value::cast::<generated::BucketEncryption>(
                value!({ "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": sse }] }),
            ))
            .public_access_block_configuration(Value::cast::<generated::PublicAccessBlockConfiguration>(value!({
                "BlockPublicAcls": block, "BlockPublicPolicy": block,
                "IgnorePublicAcls": block, "RestrictPublicBuckets": block
            })));
        if self.versioned {
            b = b.versioning_configuration(Value::cast::<generated::VersioningConfiguration>(
                value!({ "Status": "Enabled" }),
            ));
        }
        if !self.lifecycle.is_empty() {
            check_rule_ids(stack, id, &self.lifecycle);
            b = b.lifecycle_configuration(Value::cast::<generated::LifecycleConfiguration>(
                value!({ "Rules": self.lifecycle }),
            ));
        }
        if !self.cors.is_empty() {
            b = b.cors_configuration(Value::cast::<generated::CorsConfiguration>(
                value!({ "CorsRules": self.cors }),
            ));
        }
        for (k, v) in self.tags {
            b = b.add_tags(generated::Tag::new(k, v));
        }
        let bucket: BucketHandle = stack.add(id, b);
        self.removal.apply(stack, &bucket);
        BucketRef {
            bucket,
            name,
            kms_key,
        }
    }
}

/// S3 refuses a lifecycle configuration whose rule IDs repeat or exceed 255 characters
/// (Amazon S3 API Reference, `LifecycleRule.ID`). The IDs come from the prefixes' letters
/// and digits, so `expire_objects("logs/", ..)` and `expire_objects("logs", ..)` collide.
fn check_rule_ids(stack: &mut Stack, id: &str, rules: &[Value<Any>]) {
    let mut seen = std::collections::BTreeSet::new();
    for rule in rules {
        let Expr::Object(m) = &rule.expr else {
            continue;
        };
        let Some(Expr::Lit(serde_json::Value::String(rule_id))) = m.get("Id") else {
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
    kms_key: Option<Value<KmsKeyArn>>,
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
    pub fn grant_target(&self) -> Target {
        Target::of("bucket", &self.bucket, self.arn()).encrypted_with(self.kms_key.clone())
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

    fn configuration(
        events: &[S3Event],
        filter: &NotificationFilter,
        target_key: &str,
        target: Value<Any>,
    ) -> Vec<Expr> {
        let mut rules = Vec::new();
        if let Some(p) = &filter.prefix {
            rules.push(value!({ "Name": "prefix", "Value": p.as_str() }));
        }
        if let Some(s) = &filter.suffix {
            rules.push(value!({ "Name": "suffix", "Value": s.as_str() }));
        }
        events
            .iter()
            .map(|e| {
                let mut m: BTreeMap<String, Expr> = BTreeMap::new();
                m.insert("Event".into(), Expr::Lit(e.as_str().into()));
                m.insert(target_key.into(), target.expr.clone());
                if !rules.is_empty() {
                    m.insert(
                        "Filter".into(),
                        value!({ "S3Key": { "Rules": rules.clone() } }).expr,
                    );
                }
                Expr::Object(m)
            })
            .collect()
    }

    fn append_notifications(
        &self,
        stack: &mut Stack,
        list: &str,
        items: Vec<Expr>,
        depends_on: &ResourceRef,
    ) {
        self.check_overlap(stack, &items);
        if let Some(entry) = stack.entry_mut(self.bucket.resource_ref()) {
            let config = entry
                .props
                .map
                .entry("NotificationConfiguration".to_string())
                .or_insert_with(|| Expr::Object(BTreeMap::new()));
            if let Expr::Object(config) = config {
                let list = config
                    .entry(list.to_string())
                    .or_insert_with(|| Expr::Array(Vec::new()));
                if let Expr::Array(list) = list {
                    list.extend(items);
                    // S3 keeps the configurations as a set: a canonical order makes the
                    // template independent of the order of the wiring calls.
                    list.sort_by_cached_key(|e| e.to_json().to_string());
                }
            }
        }
        // S3 checks it may deliver when the configuration is written.
        stack.resource(&self.bucket).depends_on(depends_on);
    }

    /// S3 refuses two notification configurations (of any destination kind) for
    /// overlapping event types whose key filters some key matches both of ("Configurations
    /// overlap. Configurations on the same bucket cannot share a common event type"): such
    /// a pair is a synth error naming both. Filters overlap when their prefixes do (one
    /// starts the other, or one is absent) and their suffixes do (one ends the other, or
    /// one is absent): the longer prefix followed by the longer suffix matches both.
    fn check_overlap(&self, stack: &mut Stack, new: &[Expr]) {
        let Some(entry) = stack.entry_mut(self.bucket.resource_ref()) else {
            return;
        };
        let mut existing: Vec<Notification> = match entry.props.map.get("NotificationConfiguration")
        {
            Some(Expr::Object(config)) => config
                .values()
                .filter_map(|l| match l {
                    Expr::Array(items) => Some(items.iter().filter_map(Notification::read)),
                    _ => None,
                })
                .flatten()
                .collect(),
            _ => Vec::new(),
        };
        let bucket = self.bucket.resource_ref().logical_id().to_string();
        for n in new.iter().filter_map(Notification::read) {
            if let Some(old) = existing.iter().find(|o| o.overlaps(&n)) {
                let mut pair = [old.describe(), n.describe()];
                pair.sort();
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(&bucket, "NotificationConfiguration"),
                    format!(
                        "the notifications {} and {} overlap: some object key matches both filters for a shared event type, and S3 refuses overlapping configurations",
                        pair[0], pair[1]
                    ),
                    "give the two notifications disjoint prefixes or suffixes, or send both event types to one destination",
                ));
            }
            existing.push(n);
        }
    }

    /// Invokes `function` on `events`: a notification plus the permission for S3 to
    /// invoke it, scoped to this bucket (by its computed ARN) and account.
    pub fn notify_function(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        function: &FunctionRef,
    ) {
        let id = format!(
            "{}{}Permission",
            function.resource_ref().logical_id(),
            self.bucket.resource_ref().logical_id()
        );
        // A second notification of the same function (another suffix) shares it.
        let permission = crate::constructs::wiring::place(
            stack,
            &id,
            function
                .invoke_permission("s3.amazonaws.com", self.arn())
                .source_account(aws::account_id()),
            &[function.resource_ref(), self.bucket.resource_ref()],
            "an invoke permission",
        );
        let items = Self::configuration(events, &filter, "Function", function.arn().into_value());
        self.append_notifications(
            stack,
            "LambdaConfigurations",
            items,
            permission.resource_ref(),
        );
    }

    /// Publishes `events` to `topic`, with a statement in the topic's policy letting this
    /// bucket (only) publish.
    pub fn notify_topic(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        topic: &TopicRef,
    ) {
        let policy = add_statement(
            stack,
            PolicyKind::Topic,
            topic.resource_ref(),
            topic.arn().into_value(),
            Statement::allow()
                .principal(Principal::service("s3.amazonaws.com"))
                .action("sns:Publish")
                .resource(topic.arn())
                .condition("ArnLike", "aws:SourceArn", self.arn())
                .condition("StringEquals", "aws:SourceAccount", aws::account_id()),
        );
        if let Some(key) = &topic.kms_key {
            crate::constructs::key_policy::allow_service(
                stack,
                key,
                "s3.amazonaws.com",
                &format!("bucket `{}`", self.bucket.resource_ref().logical_id()),
                self.arn(),
                &format!("topic `{}`", topic.resource_ref().logical_id()),
            );
        }
        let items = Self::configuration(events, &filter, "Topic", topic.arn().into_value());
        self.append_notifications(stack, "TopicConfigurations", items, &policy);
    }

    /// Sends `events` to `queue`, with a statement in the queue's policy letting this
    /// bucket (only) send.
    pub fn notify_queue(
        &self,
        stack: &mut Stack,
        events: &[S3Event],
        filter: NotificationFilter,
        queue: &QueueRef,
    ) {
        let policy = add_statement(
            stack,
            PolicyKind::Queue,
            queue.resource_ref(),
            queue.url().into_value(),
            Statement::allow()
                .principal(Principal::service("s3.amazonaws.com"))
                .action("sqs:SendMessage")
                .resource(queue.arn())
                .condition("ArnLike", "aws:SourceArn", self.arn())
                .condition("StringEquals", "aws:SourceAccount", aws::account_id()),
        );
        if let Some(key) = &queue.kms_key {
            crate::constructs::key_policy::allow_service(
                stack,
                key,
                "s3.amazonaws.com",
                &format!("bucket `{}`", self.bucket.resource_ref().logical_id()),
                self.arn(),
                &format!("queue `{}`", queue.resource_ref().logical_id()),
            );
        }
        let items = Self::configuration(events, &filter, "Queue", queue.arn().into_value());
        self.append_notifications(stack, "QueueConfigurations", items, &policy);
    }

    /// Adds a statement to the bucket's policy (such as denying insecure transport).
    pub fn add_to_resource_policy(&self, stack: &mut Stack, statement: Statement) {
        add_statement(
            stack,
            PolicyKind::Bucket,
            self.bucket.resource_ref(),
            self.name.clone(),
            statement,
        );
    }
}

/// One notification configuration as [`BucketRef`] writes it, read back to compare.
struct Notification {
    event: String,
    prefix: Option<String>,
    suffix: Option<String>,
    target: String,
}

impl Notification {
    fn read(e: &Expr) -> Option<Notification> {
        let Expr::Object(m) = e else { return None };
        let Some(Expr::Lit(serde_json::Value::String(event))) = m.get("Event") else {
            return None;
        };
        let target = ["Function", "Topic", "Queue"]
            .iter()
            .find_map(|k| m.get(*k))
            .and_then(|t| t.references().first().map(|(t, _)| t.id.to_string()))
            .unwrap_or_else(|| "a destination".to_string());
        let rules = m.get("Filter").map(|f| f.to_json()).unwrap_or_default();
        let rule = |name: &str| {
            rules["S3Key"]["Rules"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["Name"] == name)
                .and_then(|r| r["Value"].as_str().map(str::to_string))
        };
        Some(Notification {
            event: event.clone(),
            prefix: rule("prefix"),
            suffix: rule("suffix"),
            target,
        })
    }

    fn overlaps(&self, other: &Notification) -> bool {
        let events = |a: &str, b: &str| {
            a == b || a.strip_suffix('*').is_some_and(|stem| b.starts_with(stem))
        };
        let compatible =
            |a: &Option<String>, b: &Option<String>, f: fn(&str, &str) -> bool| match (a, b) {
                (Some(a), Some(b)) => f(a, b) || f(b, a),
                _ => true,
            };
        (events(&self.event, &other.event) || events(&other.event, &self.event))
            && compatible(&self.prefix, &other.prefix, |a, b| a.starts_with(b))
            && compatible(&self.suffix, &other.suffix, |a, b| a.ends_with(b))
    }

    fn describe(&self) -> String {
        let mut filter = Vec::new();
        if let Some(p) = &self.prefix {
            filter.push(format!("prefix `{}`", p.escape_debug()));
        }
        if let Some(s) = &self.suffix {
            filter.push(format!("suffix `{}`", s.escape_debug()));
        }
        let filter = if filter.is_empty() {
            "every key".to_string()
        } else {
            filter.join(", ")
        };
        format!("to `{}` on `{}` ({filter})", self.target, self.event)
    }
}

impl Handle for BucketRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.bucket.resource_ref()
    }
}
