//! S3 event notifications: a bucket delivering object events to a function (with an
//! invoke permission), a topic or a queue (with a statement in its policy, and the
//! service allowed on its KMS key). Notifications are written into the bucket's
//! `NotificationConfiguration` in a canonical order, and overlapping ones (which S3
//! refuses) are a synth error naming both.

#[cfg(feature = "lambda")]
use crate::constructs::wiring::invoke_permission;
use crate::constructs::wiring::key_policy::allow_service;
use crate::constructs::wiring::queue_send::{Sender, SourceScope, allow_send};
use crate::constructs::wiring::resource_policy::add_statement;
use crate::constructs::wiring::{BucketEnd, PushedFunction, QueueEnd, TopicEnd, place};
use crate::kind::Any;
use crate::policy::{Principal, Statement};
use crate::stack::extend::EditError;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};
use crate::{aws, value};

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
    /// The event type as S3 names it, such as `s3:ObjectCreated:*`.
    pub fn as_str(self) -> &'static str {
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

fn configuration(
    events: &[S3Event],
    filter: &NotificationFilter,
    target_key: &str,
    target: Value<Any>,
) -> Vec<Value<Any>> {
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
            let mut entries: Vec<(&str, Value<Any>)> = vec![
                ("Event", e.as_str().into_value()),
                (target_key, target.clone()),
            ];
            if !rules.is_empty() {
                entries.push(("Filter", value!({ "S3Key": { "Rules": rules.clone() } })));
            }
            Value::object(entries)
        })
        .collect()
}

fn append_notifications(
    stack: &mut Stack,
    bucket: &impl BucketEnd,
    list: &str,
    items: Vec<Value<Any>>,
    depends_on: &ResourceRef,
) {
    // The same notification (bucket, event, filter, destination) wired again is the
    // one already there, like an identical permission or policy statement: reused.
    let present = present_notifications(stack, bucket, list);
    let items: Vec<Value<Any>> = items
        .into_iter()
        .filter(|item| !present.contains(item))
        .collect();
    check_overlap(stack, bucket, &items);
    let bucket_id = bucket.resource_ref().logical_id().to_string();
    let added = stack.edit_list(
        bucket.resource_ref(),
        "NotificationConfiguration",
        &[list],
        |entries| {
            entries.extend(items);
            // S3 keeps the configurations as a set: a canonical order makes the template
            // independent of the order of the wiring calls.
            entries.sort_by_cached_key(|e| e.to_json().to_string());
        },
    );
    let refused = match added {
        // A bucket of another stack is refused where its end is checked.
        Ok(()) | Err(EditError::NotInStack) => None,
        Err(EditError::Computed { depth: 0, shown }) => {
            Some(("`NotificationConfiguration`".to_string(), shown))
        }
        Err(EditError::Computed { shown, .. }) => {
            Some((format!("`{list}` of `NotificationConfiguration`"), shown))
        }
    };
    if let Some((what, shown)) = refused {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&bucket_id, "NotificationConfiguration"),
            format!(
                "a notification cannot be added to bucket `{bucket_id}`: its {what} is {shown}, so it cannot be merged into (the bucket would deploy without the notification)"
            ),
            "give the bucket's `NotificationConfiguration` as a literal (a condition goes on each entry, not around the whole), or add the notifications to it yourself instead of through wiring",
        ));
        return;
    }
    // S3 checks it may deliver when the configuration is written.
    stack.resource(bucket).depends_on(depends_on);
}

/// S3 refuses two notification configurations (of any destination kind) for
/// overlapping event types whose key filters some key matches both of ("Configurations
/// overlap. Configurations on the same bucket cannot share a common event type"): such
/// a pair is a synth error naming both. Filters overlap when their prefixes do (one
/// starts the other, or one is absent) and their suffixes do (one ends the other, or
/// one is absent): the longer prefix followed by the longer suffix matches both.
/// The notifications already in the bucket's `list` (`QueueConfigurations`...).
fn present_notifications(stack: &Stack, bucket: &impl BucketEnd, list: &str) -> Vec<Value<Any>> {
    stack
        .property(bucket.resource_ref(), "NotificationConfiguration")
        .and_then(|c| c.entries())
        .and_then(|c| c.into_iter().find(|(k, _)| k == list))
        .and_then(|(_, l)| l.items())
        .unwrap_or_default()
}

fn check_overlap(stack: &mut Stack, bucket: &impl BucketEnd, new: &[Value<Any>]) {
    if stack.properties(bucket.resource_ref()).is_none() {
        return;
    }
    let mut existing: Vec<Notification> = stack
        .property(bucket.resource_ref(), "NotificationConfiguration")
        .and_then(|c| c.entries())
        .map(|config| {
            config
                .into_iter()
                .filter_map(|(_, l)| l.items())
                .flat_map(|items| items.into_iter().filter_map(|i| Notification::read(&i)))
                .collect()
        })
        .unwrap_or_default();
    let bucket = bucket.resource_ref().logical_id().to_string();
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
/// invoke it, scoped to this bucket (by its computed ARN) and account. The function may
/// be imported (`Function::from_arn`) from this account: the permission is a resource of
/// this stack that names it, and the bucket waits for it either way (S3 checks it may
/// invoke the function when the configuration is written).
#[cfg(feature = "lambda")]
pub fn notify_function(
    stack: &mut Stack,
    bucket: &impl BucketEnd,
    events: &[S3Event],
    filter: NotificationFilter,
    function: &impl PushedFunction,
) {
    crate::constructs::wiring::require_pushed_home(
        stack,
        function,
        &format!(
            "the notification of bucket `{}` invoking function `{}`",
            bucket.resource_ref().logical_id(),
            function.pushed_name()
        ),
        Some(S3_REGION),
    );
    let Some(bucket_arn) = source_arn(stack, bucket) else {
        return;
    };
    let id = format!(
        "{}{}Permission",
        function.pushed_name(),
        bucket.resource_ref().logical_id()
    );
    let mut ends: Vec<&ResourceRef> = function.pushed_resource().into_iter().collect();
    ends.push(bucket.resource_ref());
    // A second notification of the same function (another suffix) shares it.
    let permission = place(
        stack,
        &id,
        invoke_permission(function, "s3.amazonaws.com", bucket_arn.clone())
            .source_account(aws::account_id()),
        &ends,
        "an invoke permission",
    );
    let items = configuration(
        events,
        &filter,
        "Function",
        function.pushed_arn().into_value(),
    );
    append_notifications(
        stack,
        bucket,
        "LambdaConfigurations",
        items,
        permission.resource_ref(),
    );
}

/// Why a notification's destination must be in the bucket's Region (Amazon S3 User
/// Guide, "Event notification destinations": the topic, queue or function must be in
/// the same Region as the bucket).
pub const S3_REGION: &str = "S3 notifies only destinations in the bucket's Region (Amazon S3 User Guide, \"Event notification destinations\")";

/// Publishes `events` to `topic`, with a statement in the topic's policy letting this
/// bucket (only) publish.
#[cfg(feature = "sns")]
pub fn notify_topic(
    stack: &mut Stack,
    bucket: &impl BucketEnd,
    events: &[S3Event],
    filter: NotificationFilter,
    topic: &impl TopicEnd,
) {
    if crate::constructs::wiring::fifo::refuse_fifo_topic(
        stack,
        topic.resource_ref(),
        &format!(
            "which S3 event notifications do not support as a destination, so bucket `{}` cannot notify it (Amazon S3 User Guide, \"Amazon S3 Event Notifications\": \"SNS FIFO is not allowed\")",
            bucket.resource_ref().logical_id()
        ),
        "notify a standard topic (or a standard queue, or EventBridge) instead",
    ) {
        return;
    }
    let Some(bucket_arn) = source_arn(stack, bucket) else {
        return;
    };
    let policy = add_statement(
        stack,
        topic,
        Statement::allow()
            .principal(Principal::service("s3.amazonaws.com"))
            .action("sns:Publish")
            .resource(topic.topic_arn())
            .condition("ArnLike", "aws:SourceArn", bucket_arn.clone())
            .condition("StringEquals", "aws:SourceAccount", aws::account_id()),
    );
    if let Some(key) = &topic.topic_key() {
        allow_service(
            stack,
            key,
            "s3.amazonaws.com",
            &format!("bucket `{}`", bucket.resource_ref().logical_id()),
            bucket_arn.clone(),
            &format!("topic `{}`", topic.resource_ref().logical_id()),
        );
    }
    let items = configuration(events, &filter, "Topic", topic.topic_arn().into_value());
    append_notifications(stack, bucket, "TopicConfigurations", items, &policy);
}

/// Sends `events` to `queue`, with a statement in the queue's policy letting this
/// bucket (only) send.
#[cfg(feature = "sqs")]
pub fn notify_queue(
    stack: &mut Stack,
    bucket: &impl BucketEnd,
    events: &[S3Event],
    filter: NotificationFilter,
    queue: &impl QueueEnd,
) {
    if crate::constructs::wiring::fifo::is_fifo(
        stack,
        queue.resource_ref(),
        "FifoQueue",
        "whether S3 may notify it",
    ) {
        crate::constructs::wiring::fifo::refuse(
            stack,
            queue.resource_ref(),
            "FifoQueue",
            format!(
                "bucket `{}` cannot notify queue `{}`: it is a FIFO queue, which S3 event notifications do not support as a destination (Amazon S3 User Guide, \"Amazon S3 Event Notifications\")",
                bucket.resource_ref().logical_id(),
                queue.resource_ref().logical_id()
            ),
            "notify a standard queue (or an SNS topic, or EventBridge) instead",
        );
        return;
    }
    let Some(bucket_arn) = source_arn(stack, bucket) else {
        return;
    };
    let sender = Sender {
        service: "s3.amazonaws.com",
        source: format!("bucket `{}`", bucket.resource_ref().logical_id()),
        arn: bucket_arn,
        scope: SourceScope::ArnInAccount,
    };
    let policy = allow_send(stack, queue, &sender);
    let items = configuration(events, &filter, "Queue", queue.queue_arn().into_value());
    append_notifications(stack, bucket, "QueueConfigurations", items, &policy);
}

/// One notification configuration as [`BucketRef`] writes it, read back to compare.
struct Notification {
    event: String,
    prefix: Option<String>,
    suffix: Option<String>,
    target: String,
}

impl Notification {
    fn read(e: &Value<Any>) -> Option<Notification> {
        let m = e.entries()?;
        let get = |key: &str| m.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let event = get("Event")?.literal_str()?.to_string();
        let target = ["Function", "Topic", "Queue"]
            .iter()
            .find_map(|k| get(k))
            .and_then(|t| t.resources_referenced().into_iter().next())
            .unwrap_or_else(|| "a destination".to_string());
        let rules = get("Filter").map(|f| f.to_json()).unwrap_or_default();
        let rule = |name: &str| {
            rules["S3Key"]["Rules"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["Name"] == name)
                .and_then(|r| r["Value"].as_str().map(str::to_string))
        };
        Some(Notification {
            event,
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

/// The bucket's ARN as the notification's permission or policy names it, without a
/// reference to the bucket resource (the bucket depends on them: a reference back would
/// be a cycle): from the construct's computed name, or from a generated bucket's
/// `BucketName` when it refers to no resource. Otherwise a synth error naming the
/// bucket, and `None`.
fn source_arn(stack: &mut Stack, bucket: &impl BucketEnd) -> Option<Value<crate::kind::Str>> {
    let name = match bucket.wiring_name() {
        Some(name) => Some(name),
        None => stack
            .property(bucket.resource_ref(), "BucketName")
            .map(Value::cast::<crate::kind::Str>)
            .filter(|name| !crate::constructs::names::refers_to_resources(name)),
    };
    if name.is_none() {
        let id = bucket.resource_ref().logical_id().to_string();
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&id, "BucketName"),
            format!(
                "bucket `{id}` has no name that refers to no resource, so its notifications would name it through the bucket itself: a dependency cycle"
            ),
            "give the bucket a `BucketName` built from literals, parameters and pseudo parameters, or use the `Bucket` construct (which computes one)",
        ));
    }
    name.map(|n| crate::constructs::names::bucket_arn(&n))
}
