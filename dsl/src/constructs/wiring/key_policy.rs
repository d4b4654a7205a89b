//! Deliveries by an AWS service into an encrypted queue or topic (S3 notifications, SNS
//! to SQS) need the service allowed on the target's customer-managed KMS key, in the
//! key's policy: a service principal cannot be given an identity policy. Without it the
//! messages are dropped at run time while everything deploys.
//!
//! When the key is an `AWS::KMS::Key` of this stack, a least-privilege statement is
//! appended to its `KeyPolicy` (the service, the data-key actions, only on behalf of the
//! source's ARN). A key from outside the stack cannot be changed here: synth fails,
//! naming the key, the target and the fix.
//!
//! The pieces a key's own construct needs are public too, so a key construct written
//! outside nephos keeps the same guarantees: the statement of KMS's default key policy
//! ([`account_root_statement`]), the check that a statement would lock the account out
//! ([`locks_out`]), and appending a statement to the policy of a key of the stack
//! ([`add_key_statement`], checked and merged once).

use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::actions;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::extend::EditError;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The services whose KMS requests, when delivering into a customer-managed key's queue
/// or topic, carry no `aws:SourceArn` or `aws:SourceAccount`, so the key statement
/// allowing them has no condition (one would never hold and every delivery would be
/// dropped). EventBridge: Amazon SNS Developer Guide, "Key management"
/// (<https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html>, the key policy
/// for AWS services publishing to encrypted topics): "Adding the aws:SourceAccount and
/// aws:SourceArn to a AWS KMS policy is not supported for EventBridge-to-encrypted
/// topics" (the failure it prevents is reported in awslabs/landing-zone-accelerator-on-aws
/// issue 407). The same delivery path serves an encrypted SQS target, whose key statement
/// in the Amazon SQS Developer Guide, "Key management" ("Configure KMS permissions for AWS
/// services"), names the service with no source condition either; both are treated alike
/// until a real-AWS check says otherwise. The other services nephos wires (S3, SNS,
/// CloudWatch alarms) keep the scope to the source; the queue's or topic's own policy
/// still names the source for every service.
const NO_SOURCE_CONTEXT: &[&str] = &["events.amazonaws.com"];

/// Lets `service` (such as `s3.amazonaws.com`) use `key` for deliveries from `source`
/// (its ARN `source_arn`) into `target` (how messages name them, such as "bucket
/// `Uploads`" and "queue `Jobs`"). A key not of this stack is a synth error.
pub fn allow_service(
    stack: &mut Stack,
    key: &EncryptionKey,
    service: &str,
    source: &str,
    source_arn: Value<Str>,
    target: &str,
) {
    let key = key.value();
    let Some(key_ref) = key_of_stack(stack, key, true) else {
        let mut shown = key.to_json().to_string();
        if shown.len() > 120 {
            shown = shown.chars().take(120).collect::<String>() + "...";
        }
        if is_aws_managed(key) {
            // An AWS managed key's policy is AWS's: no statement can be added to it.
            stack.problem(Diagnostic::error(
                Location::stack(),
                format!(
                    "{target} is encrypted with the AWS managed KMS key {shown}, whose key policy cannot be changed, so {service} cannot be allowed to use it: deliveries from {source} would be dropped"
                ),
                format!(
                    "encrypt {target} with an `AWS::KMS::Key` of this stack (nephos then adds the statement), or with the service-managed encryption (no key)"
                ),
            ));
            return;
        }
        stack.problem(Diagnostic::error(
            Location::stack(),
            format!(
                "{target} is encrypted with KMS key {shown}, which is not a key of this stack, so {service} cannot be allowed to use it here: deliveries from {source} would be dropped"
            ),
            format!(
                "encrypt {target} with an `AWS::KMS::Key` of this stack (nephos then adds the statement), or with the service-managed key; a key shared with other stacks needs {service} allowed `kms:Decrypt` and `kms:GenerateDataKey*` in its own policy, with `aws:SourceArn` set to the source"
            ),
        ));
        return;
    };
    // Scoped to the source's ARN, unless the source reaches this key (it is encrypted
    // with it, or refers to a target that is, as a rule delivering to an encrypted
    // queue does): the key would then refer to the source and the source, through its
    // references, to the key, a cycle CloudFormation refuses; the account is the
    // narrowest scope left.
    let cyclic = stack.reaches(&source_arn, &key_ref);
    let statement = Statement::allow()
        .principal(Principal::service(service))
        .actions(actions::KMS_SERVICE_DELIVERY.iter().copied())
        .resource("*");
    let statement = if NO_SOURCE_CONTEXT.contains(&service) {
        // The service's KMS calls carry neither key: a condition on them never holds, and
        // every delivery would be dropped. The queue's or topic's own policy still names
        // the source.
        statement
    } else if cyclic {
        statement.condition(
            "StringEquals",
            "aws:SourceAccount",
            crate::aws::account_id(),
        )
    } else {
        statement.condition("ArnEquals", "aws:SourceArn", source_arn)
    };
    let statement: Value<Any> = statement.into_value();
    let key_id = key_ref.logical_id().to_string();
    let added = statements_of(stack, &key_ref, |items| {
        if !items.contains(&statement) {
            items.push(statement);
            // The delivery statements wiring added (the trailing run of them) are put in
            // a canonical order, so the policy does not depend on the order of the
            // wiring calls; the statements before them stay as written.
            let ours = items.iter().rev().take_while(|s| is_delivery(s)).count();
            let start = items.len() - ours;
            items[start..].sort_by_cached_key(|e| e.to_json().to_string());
        }
    });
    match added {
        // `key_of_stack` found the key in this stack.
        Ok(()) | Err(Refusal::NotInStack) => {}
        Err(Refusal::Policy(shown)) => {
            stack.problem(Diagnostic::error(
                Location::property(&key_id, "KeyPolicy"),
                format!(
                    "the key policy is {shown}, so {service} cannot be allowed on it for {target}"
                ),
                "write the key policy as a literal document (an `Fn::If` may choose values inside it, not the document)",
            ));
        }
        Err(Refusal::Statement(shown)) => {
            stack.problem(Diagnostic::error(
                Location::property(&key_id, "KeyPolicy.Statement"),
                format!(
                    "the key policy's `Statement` is {shown}, so {service} cannot be allowed on it for {target}"
                ),
                "write the key policy's `Statement` as a literal list (an `Fn::If` may choose inside a statement, not the list)",
            ));
        }
    }
}

/// The `AWS::KMS::Key` of the stack that `key` names: its `Ref` (ID) or `Fn::GetAtt`
/// `Arn`/`KeyId`, or (when `through_alias`) the `Ref` (name) of an `AWS::KMS::Alias` of
/// the stack whose `TargetKeyId` names one of those.
fn key_of_stack<K>(stack: &Stack, key: &Value<K>, through_alias: bool) -> Option<ResourceRef> {
    let (resource, attribute) = stack.resource_named_by(key)?;
    if !matches!(attribute.as_deref(), None | Some("Arn" | "KeyId")) {
        return None;
    }
    match resource.type_name() {
        "AWS::KMS::Key" => Some(resource),
        "AWS::KMS::Alias" if through_alias && attribute.is_none() => {
            let target = stack.property(&resource, "TargetKeyId")?;
            key_of_stack(stack, &target, false)
        }
        _ => None,
    }
}

/// Whether `key` is a literal AWS managed key's alias (`alias/aws/...`, by name or ARN).
fn is_aws_managed<K>(key: &Value<K>) -> bool {
    key.literal_str().is_some_and(|s| {
        s.starts_with("alias/aws/") || (s.starts_with("arn:") && s.contains(":alias/aws/"))
    })
}

/// Whether `statement` is a service-delivery statement as [`allow_service`] writes it.
fn is_delivery(statement: &Value<Any>) -> bool {
    let json = statement.to_json();
    let actions: Vec<&str> = json["Action"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a.as_str()).collect())
        .unwrap_or_default();
    json["Principal"]["Service"].is_array()
        && json["Resource"] == serde_json::json!(["*"])
        && actions == actions::KMS_SERVICE_DELIVERY
}

/// Why a key's policy cannot be added to: what is computed, as [`EditError::Computed`]
/// shows it, or that the key is not in the stack.
enum Refusal {
    /// The `KeyPolicy` document itself is computed.
    Policy(String),
    /// The document's `Statement` is computed.
    Statement(String),
    /// The key is not in the stack.
    NotInStack,
}

/// Edits the `Statement` list of the key policy of `key`, a key of the stack. A key
/// without a `KeyPolicy` gets KMS's default written out first. Through the one checked
/// merge: a computed policy or `Statement` (an `Fn::If`, typed or written as JSON) is
/// refused, never wrapped or merged into.
fn statements_of(
    stack: &mut Stack,
    key: &ResourceRef,
    edit: impl FnOnce(&mut Vec<Value<Any>>),
) -> Result<(), Refusal> {
    if stack
        .properties(key)
        .is_some_and(|p| !p.contains("KeyPolicy"))
    {
        stack.set_property(key, "KeyPolicy", Some(default_key_policy()));
    }
    match stack.edit_statements(key, "KeyPolicy", edit) {
        Ok(()) => Ok(()),
        Err(EditError::Computed { depth: 0, shown }) => Err(Refusal::Policy(shown)),
        Err(EditError::Computed { shown, .. }) => Err(Refusal::Statement(shown)),
        Err(EditError::NotInStack) => Err(Refusal::NotInStack),
    }
}

/// The statement KMS's default key policy holds (AWS KMS Developer Guide, "Default key
/// policy"): the account (its root) may administer and use the key, and IAM policies in
/// the account decide who else may. A key policy without it cannot be administered,
/// CreateKey refuses it (its lockout safety check), and grants in roles would not take
/// effect; the `KmsKey` construct writes it first.
///
/// ```
/// use nephos::constructs::wiring::key_policy::account_root_statement;
/// let shown = nephos::policy::check::shown(&account_root_statement());
/// assert!(shown.contains("kms:*"), "{shown}");
/// assert!(shown.contains(":iam::${AWS::AccountId}:root"), "{shown}");
/// ```
pub fn account_root_statement() -> Statement {
    Statement::allow()
        .principal(Principal::aws(crate::sub!(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
        )))
        .action("kms:*")
        .resource("*")
}

/// The policy KMS gives a key created without one: [`account_root_statement`] alone. A
/// key whose `KeyPolicy` is left out gets it from KMS; once nephos adds a statement the
/// property is written, so the default must be written with it.
fn default_key_policy() -> Value<Any> {
    let document: Value<PolicyDocument> = PolicyDocument::new()
        .statement(account_root_statement())
        .into_value();
    document.into_any()
}

/// Why `statement` would lock the account out of a key if its policy held it: a `Deny`
/// without a condition whose actions may cover `kms:PutKeyPolicy` (or that cannot be
/// read: `NotAction`, a computed action). `None` when it cannot. A conditioned `Deny`
/// (outside the organization, say) is the writer's to judge.
///
/// ```
/// use nephos::constructs::wiring::key_policy::locks_out;
/// use nephos::policy::{Principal, Statement};
/// let deny = Statement::deny().principal(Principal::any()).action("kms:Put*").resource("*");
/// assert!(locks_out(&deny).unwrap().contains("kms:Put*"));
/// assert!(locks_out(&deny.condition("StringNotEquals", "aws:PrincipalOrgID", "o-abc123")).is_none());
/// ```
pub fn locks_out(statement: &Statement) -> Option<String> {
    let json = IntoValue::<Any>::into_value(statement.clone()).to_json();
    if json["Effect"] != "Deny" || json.get("Condition").is_some() {
        return None;
    }
    if json.get("NotAction").is_some() {
        return Some("it is a `Deny` with `NotAction` and no condition".to_string());
    }
    let actions = json["Action"].as_array().cloned().unwrap_or_default();
    actions.iter().find_map(|a| match a.as_str() {
        Some(a) if glob_matches(&a.to_ascii_lowercase(), "kms:putkeypolicy") => Some(format!(
            "it denies `{}` without a condition",
            a.escape_debug()
        )),
        Some(_) => None,
        None => Some("it denies a computed action without a condition".to_string()),
    })
}

/// Whether IAM's action pattern `pattern` (`*` any run, `?` one character) matches `text`.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Classic two-pointer wildcard match with backtracking to the last `*`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// Appends `statement` to the key policy of `key`, an `AWS::KMS::Key` of this stack (the
/// generated handle, or `KmsKeyRef::handle()`), after what is there; the same statement
/// twice is added once. For a principal an IAM policy of this account cannot reach
/// (another account, a service). A key without a `KeyPolicy` gets KMS's default
/// ([`account_root_statement`]) written with it. Synth fails, naming the key, when the
/// statement is one a key policy cannot hold, when it [`locks_out`] the account, when the
/// policy or its `Statement` is computed, or when the key is not in `stack`.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::wiring::key_policy::add_key_statement;
/// use nephos::policy::{Principal, Statement};
/// let mut stack = Stack::new("App");
/// let key = stack.add("Data", nephos::kms::Key::new());
/// add_key_statement(&mut stack, &key, Statement::allow()
///     .principal(Principal::aws("arn:aws:iam::210987654321:root"))
///     .action("kms:Decrypt").resource("*"));
/// let t = stack.synth().unwrap();
/// let statements = &t.json()["Resources"]["Data"]["Properties"]["KeyPolicy"]["Statement"];
/// assert_eq!(statements[0]["Action"], serde_json::json!(["kms:*"]));
/// assert_eq!(statements[1]["Action"], serde_json::json!(["kms:Decrypt"]));
/// ```
#[cfg(feature = "kms")]
pub fn add_key_statement(stack: &mut Stack, key: &crate::kms::KeyHandle, statement: Statement) {
    use crate::stack::handle::Handle;
    let id = key.resource_ref().logical_id().to_string();
    let mut problems = crate::policy::check::resource_statement_problems(&statement);
    problems.extend(locks_out(&statement));
    if !problems.is_empty() {
        stack.problem(Diagnostic::error(
            Location::property(&id, "KeyPolicy"),
            format!(
                "the key policy of `{id}` cannot take the statement {}: {}",
                crate::policy::check::shown(&statement),
                problems.join("; ")
            ),
            "give the statement a principal, at least one `kms:` action and the resource `*`; a `Deny` of `kms:PutKeyPolicy` needs a condition",
        ));
        return;
    }
    let shown_statement = crate::policy::check::shown(&statement);
    let statement: Value<Any> = statement.into_value();
    let added = statements_of(stack, key.resource_ref(), |items| {
        if !items.contains(&statement) {
            items.push(statement);
        }
    });
    match added {
        Ok(()) => {}
        Err(Refusal::NotInStack) => stack.problem(Diagnostic::error(
            Location::stack(),
            format!(
                "key `{id}` is not in stack `{}`, so the statement {} cannot be added to its key policy",
                stack.name(),
                shown_statement
            ),
            "add the statement in the stack that holds the key",
        )),
        Err(Refusal::Policy(shown) | Refusal::Statement(shown)) => {
            stack.problem(Diagnostic::error(
                Location::property(&id, "KeyPolicy"),
                format!(
                    "the key policy of `{id}` is {shown}, so a statement cannot be added to it"
                ),
                "write the key policy as a literal document",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn action_patterns_match_as_iam_reads_them() {
        for p in [
            "kms:putkeypolicy",
            "kms:*",
            "*",
            "kms:put*",
            "kms:?utkeypolicy",
            "*policy",
        ] {
            assert!(glob_matches(p, "kms:putkeypolicy"), "{p}");
        }
        for p in [
            "kms:decrypt",
            "kms:get*",
            "s3:*",
            "kms:putkeypolicyx",
            "kms:put",
        ] {
            assert!(!glob_matches(p, "kms:putkeypolicy"), "{p}");
        }
    }
}
