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

/// Appends `statement` to the policy of `target` (creating `<target>Policy` on first
/// use; the same statement twice is added once) and returns the policy resource, which
/// wiring can depend on. `target_value` is how the policy names the target: the queue's
/// URL, the topic's ARN, the bucket's name.
pub fn add_statement(
    stack: &mut Stack,
    kind: PolicyKind,
    target: &ResourceRef,
    target_value: Value<Str>,
    statement: Statement,
) -> ResourceRef {
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
