//! Resource policies that several wirings add to: a queue, topic or bucket has exactly
//! one policy resource, `<Target>Policy`, so statements accumulate in it rather than in
//! competing ones (SQS, SNS and S3 each keep one policy per target: a second policy
//! resource would replace the first).

use crate::policy::{PolicyDocument, Statement};
use crate::stack::extend::EditError;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::kind::{Any, Str};
use crate::value::value::{IntoValue, Value};

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

    /// The resource type whose policy it is.
    fn target_type(self) -> &'static str {
        match self {
            #[cfg(feature = "sqs")]
            PolicyKind::Queue => "AWS::SQS::Queue",
            #[cfg(feature = "sns")]
            PolicyKind::Topic => "AWS::SNS::Topic",
            #[cfg(feature = "s3")]
            PolicyKind::Bucket => "AWS::S3::Bucket",
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
    // `PolicyTarget` can be implemented outside nephos: the kind it claims is checked
    // against the resource it is, as grants check a grantee's role.
    if target.type_name() != kind.target_type() {
        stack.problem(crate::Diagnostic::error(
            crate::Location::resource(target.logical_id()),
            format!(
                "a resource policy statement for `{}` would make an `{}`, but `{}` is an `{}`, not an `{}`",
                target.logical_id(),
                kind.type_name(),
                target.logical_id(),
                target.type_name(),
                kind.target_type()
            ),
            format!(
                "return the `PolicyKind` of `{}` from `policy_kind()` (a queue, topic or bucket), or give the resource's own policy resource the statement",
                target.type_name()
            ),
        ));
        return target.clone();
    }
    // An existing resource under the ID is reused only when it is the policy wiring made
    // for this target; anything else (a user's policy for another queue, a resource of
    // another type) would receive statements meant for `target`.
    let existing = stack.resource_with_id(&id).map(|e| {
        let ours = e.type_name() == kind.type_name() && stack.is_owned_by(&e, &[target]);
        let holder = match stack.owners_of(&e) {
            Some(o) => format!(
                "the {} `{id}` made for {}",
                e.type_name(),
                o.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            None => format!("the {} `{id}` added by the stack's code", e.type_name()),
        };
        (e, ours, holder)
    });
    let policy = match existing {
        Some((existing, true, _)) => existing,
        Some((existing, false, holder)) => {
            stack.problem(crate::Diagnostic::error(
                crate::Location::resource(&id),
                format!(
                    "the resource policy of `{}` would be `{id}`, but that ID is taken by {holder}: its statement {} would go into a policy that is not the one wiring made for `{}`",
                    target.logical_id(),
                    crate::policy::check::shown(&statement),
                    target.logical_id()
                ),
                format!(
                    "rename the resource `{id}` (nephos keeps the resource policy of `{}` under that ID), or add the statement to it yourself",
                    target.logical_id()
                ),
            ));
            return existing;
        }
        None => {
            let doc = PolicyDocument::new();
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
    let problems = crate::policy::check::resource_statement_problems(&statement);
    if !problems.is_empty() {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&id, "PolicyDocument"),
            format!(
                "the resource policy of `{}` cannot take the statement {}: {}",
                target.logical_id(),
                crate::policy::check::shown(&statement),
                problems.join("; ")
            ),
            "give the statement a principal (`Principal::service(\"sns.amazonaws.com\")`, `Principal::aws(\"123456789012\")` or an IAM ARN), at least one action of the form `service:Action`, at least one resource (`*` or an ARN), and conditions with IAM's operators and `service:key` keys",
        ));
        return policy;
    }
    let statement: Value<Any> = statement.into_value();
    let added = stack.edit_statements(&policy, "PolicyDocument", |items| {
        if !items.contains(&statement) {
            items.push(statement);
            // Statements accumulate from wiring calls in any order: a canonical order
            // keeps the template independent of it.
            items.sort_by_cached_key(|e| e.to_json().to_string());
        }
    });
    let refused = match added {
        Err(EditError::Computed { depth: 0, shown }) => Some(("`PolicyDocument`", shown)),
        Err(EditError::Computed { shown, .. }) => {
            Some(("`Statement` of its `PolicyDocument`", shown))
        }
        // The policy was found or added above, in this stack.
        Ok(()) | Err(_) => None,
    };
    if let Some((what, shown)) = refused {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&id, "PolicyDocument"),
            format!(
                "the resource policy `{id}` of `{}` cannot take a statement: its {what} is {shown}, so it cannot be merged into (the policy would deploy without the statement)",
                target.logical_id()
            ),
            "give the policy's document as a literal (conditions go inside statements), or add the statement to it yourself",
        ));
    }
    policy
}

/// Appends `statement` to the policy document held inline in `property` of `resource`
/// (a REST API's `Policy`): the document is created when the property is unset, the
/// same statement twice is added once, and the statements are kept in a canonical
/// order, so the template does not depend on the order of the calls. A statement API
/// Gateway or IAM would refuse ([`check::api_statement_problems`] for a REST API,
/// [`check::resource_statement_problems`] otherwise), a computed document or
/// `Statement`, and a resource not of this stack are synth errors naming the resource
/// and property; the statement is then not added. Returns whether the policy holds it.
///
/// [`check::api_statement_problems`]: crate::policy::check::api_statement_problems
/// [`check::resource_statement_problems`]: crate::policy::check::resource_statement_problems
///
/// ```
/// use nephos::{Handle, Stack};
/// use nephos::constructs::wiring::resource_policy::add_inline_statement;
/// use nephos::policy::{Principal, Statement};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Api", nephos::apigateway::RestApi::new().name("internal"));
/// let allow = Statement::allow()
///     .principal(Principal::aws("123456789012"))
///     .action("execute-api:Invoke")
///     .resource("execute-api:/*");
/// assert!(add_inline_statement(&mut stack, api.resource_ref(), "Policy", allow));
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["Policy"]["Statement"][0]["Resource"], serde_json::json!(["execute-api:/*"]));
/// ```
pub fn add_inline_statement(
    stack: &mut Stack,
    resource: &ResourceRef,
    property: &str,
    statement: Statement,
) -> bool {
    let id = resource.logical_id().to_string();
    let problems = if resource.type_name() == "AWS::ApiGateway::RestApi" {
        crate::policy::check::api_statement_problems(&statement)
    } else {
        crate::policy::check::resource_statement_problems(&statement)
    };
    if !problems.is_empty() {
        stack.problem(crate::Diagnostic::error(
            crate::Location::property(&id, property),
            format!(
                "the resource policy of `{id}` cannot take the statement {}: {}",
                crate::policy::check::shown(&statement),
                problems.join("; ")
            ),
            "give the statement a principal, at least one action of the form `service:Action`, at least one resource (`*`, an ARN, or for a REST API `execute-api:/<stage>/<METHOD>/<path>`), and conditions with IAM's operators and `service:key` keys",
        ));
        return false;
    }
    let Some(has_document) = stack.properties(resource).map(|p| p.contains(property)) else {
        stack.problem(crate::Diagnostic::error(
            crate::Location::resource(&id),
            format!("`{id}` is not a resource of this stack, so its `{property}` cannot take a statement"),
            "add the statement in the stack that defines the resource",
        ));
        return false;
    };
    if !has_document {
        let empty: Value<PolicyDocument> = PolicyDocument::new().into_value();
        stack.set_property(resource, property, Some(empty.into_any()));
    }
    let statement: Value<Any> = statement.into_value();
    let added = stack.edit_statements(resource, property, |items| {
        if !items.contains(&statement) {
            items.push(statement);
            items.sort_by_cached_key(|e| e.to_json().to_string());
        }
    });
    let refused = match added {
        Ok(()) => None,
        Err(EditError::Computed { depth: 0, shown }) => Some(("", shown)),
        Err(EditError::Computed { shown, .. }) => Some(("'s `Statement`", shown)),
        Err(e) => Some(("", e.to_string())),
    };
    match refused {
        None => true,
        Some((what, shown)) => {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(&id, property),
                format!(
                    "`{property}`{what} of `{id}` is {shown}, so it cannot take a statement (the policy would deploy without it)"
                ),
                format!("give `{property}` as a literal policy document, or add the statement to it yourself"),
            ));
            false
        }
    }
}
