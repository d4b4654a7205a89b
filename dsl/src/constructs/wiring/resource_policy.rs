//! Resource policies that several wirings add to: a queue, topic or bucket has exactly
//! one policy resource, `<Target>Policy`, so statements accumulate in it rather than in
//! competing ones (SQS, SNS and S3 each keep one policy per target: a second policy
//! resource would replace the first).

use crate::policy::Statement;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::kind::{Any, Str};
use crate::value::value::Value;

/// Which resource policy type, and the property naming its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// `AWS::SQS::QueuePolicy`, naming the queue by URL.
    #[cfg(feature = "sqs")]
    Queue,
    /// `AWS::SNS::TopicPolicy`, naming the topic by ARN.
    #[cfg(feature = "sns")]
    Topic,
    /// `AWS::S3::BucketPolicy`, naming the bucket by name.
    #[cfg(feature = "s3")]
    Bucket,
}

impl PolicyKind {
    fn type_name(self) -> &'static str {
        match self {
            #[cfg(feature = "sqs")]
            PolicyKind::Queue => "AWS::SQS::QueuePolicy",
            #[cfg(feature = "sns")]
            PolicyKind::Topic => "AWS::SNS::TopicPolicy",
            #[cfg(feature = "s3")]
            PolicyKind::Bucket => "AWS::S3::BucketPolicy",
        }
    }
}

/// A resource that has a resource policy nephos can accumulate statements in: a queue,
/// a topic or a bucket, as a construct or as a generated handle. Only these implement
/// it, so a statement for another resource does not compile.
pub trait PolicyTarget: Handle {
    /// Which policy resource type holds its statements.
    fn policy_kind(&self) -> PolicyKind;
    /// How the policy resource names it: the queue's URL, the topic's ARN, the bucket's
    /// name.
    fn policy_target(&self) -> Value<Str>;
}

/// `PolicyTarget` for the construct handle and the generated handle of one kind of
/// target: the same policy kind and the same naming accessor.
macro_rules! policy_target {
    ($feature:literal, $kind:ident, $accessor:ident, $($handle:ty),+) => {$(
        #[cfg(feature = $feature)]
        impl PolicyTarget for $handle {
            fn policy_kind(&self) -> PolicyKind {
                PolicyKind::$kind
            }

            fn policy_target(&self) -> Value<Str> {
                self.$accessor().cast()
            }
        }
    )+};
}

policy_target!(
    "sqs",
    Queue,
    url,
    crate::sqs::QueueHandle,
    crate::constructs::QueueRef
);
policy_target!(
    "sns",
    Topic,
    arn,
    crate::sns::TopicHandle,
    crate::constructs::TopicRef
);
// The bucket construct's `name()` is the name it computed, not a `Ref`, so notifications
// stay cycle-free.
policy_target!(
    "s3",
    Bucket,
    name,
    crate::s3::BucketHandle,
    crate::constructs::BucketRef
);

/// Appends `statement` to the policy of `target` (creating `<target>Policy` on first
/// use; the same statement twice is added once) and returns the policy resource, which
/// wiring can depend on. A statement IAM would refuse (no action or resource, an empty
/// or malformed one) is not added: synth fails naming the policy, the statement and
/// the fix.
pub fn add_statement(
    stack: &mut Stack,
    target: &impl PolicyTarget,
    statement: Statement,
) -> ResourceRef {
    let kind = target.policy_kind();
    let target_value = target.policy_target();
    let target = target.resource_ref();
    let id = format!("{}Policy", target.logical_id());
    let policy = match stack.find_resource(&id, kind.type_name()) {
        Some(existing) => existing,
        None => {
            let doc = crate::policy::PolicyDocument::new();
            let created = match kind {
                #[cfg(feature = "sqs")]
                PolicyKind::Queue => stack
                    .add(&id, crate::sqs::QueuePolicy::new(doc, vec![target_value]))
                    .resource_ref()
                    .clone(),
                #[cfg(feature = "sns")]
                PolicyKind::Topic => stack
                    .add(&id, crate::sns::TopicPolicy::new(doc, vec![target_value]))
                    .resource_ref()
                    .clone(),
                #[cfg(feature = "s3")]
                PolicyKind::Bucket => {
                    let handle =
                        stack.add(&id, crate::s3::BucketPolicy::new(target_value.cast(), doc));
                    // A computed bucket name does not refer to the bucket; the policy
                    // still needs the bucket to exist.
                    stack.resource(&handle).depends_on(target);
                    handle.resource_ref().clone()
                }
            };
            // The policy exists for its target, and shares its condition.
            stack.own(&created, &[target]);
            created
        }
    };
    let problems = crate::policy::check::statement_problems(&statement, true);
    if !problems.is_empty() {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&id, "PolicyDocument"),
            format!(
                "the resource policy of `{}` cannot take the statement {}: {}",
                target.logical_id(),
                crate::policy::check::shown(&statement),
                problems.join("; ")
            ),
            "give the statement at least one action of the form `service:Action` and at least one resource, `*` or an ARN",
        ));
        return policy;
    }
    let statement: Value<Any> = Value::from_expr(statement.into_expr());
    if let Some(entry) = stack.entry_mut(&policy)
        && let Some(Expr::Object(doc)) = entry.props.map.get_mut("PolicyDocument")
    {
        match doc.get_mut("Statement") {
            Some(Expr::Array(items)) => {
                if !items.contains(&statement.expr) {
                    items.push(statement.expr);
                }
            }
            _ => {
                doc.insert("Statement".to_string(), Expr::Array(vec![statement.expr]));
            }
        }
    }
    policy
}
