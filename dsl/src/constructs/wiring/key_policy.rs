//! Deliveries by an AWS service into an encrypted queue or topic (S3 notifications, SNS
//! to SQS) need the service allowed on the target's customer-managed KMS key, in the
//! key's policy: a service principal cannot be given an identity policy. Without it the
//! messages are dropped at run time while everything deploys.
//!
//! When the key is an `AWS::KMS::Key` of this stack, a least-privilege statement is
//! appended to its `KeyPolicy` (the service, the data-key actions, only on behalf of the
//! source's ARN). A key from outside the stack cannot be changed here: synth fails,
//! naming the key, the target and the fix.

use std::collections::BTreeMap;

use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::actions;
use crate::constructs::wiring::merge_into;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::policy::{Principal, Statement};
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, TargetKind};
use crate::value::value::Value;

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
    let key = &key.value().expr;
    let Some(index) = key_of_stack(stack, key, true) else {
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
    let key_target = stack.resources[index].target.clone();
    let cyclic = reaches(stack, &source_arn, &key_target);
    let statement = Statement::allow()
        .principal(Principal::service(service))
        .actions(actions::KMS_SERVICE_DELIVERY.iter().copied())
        .resource("*");
    let statement = if cyclic {
        statement.condition(
            "StringEquals",
            "aws:SourceAccount",
            crate::aws::account_id(),
        )
    } else {
        statement.condition("ArnEquals", "aws:SourceArn", source_arn)
    }
    .into_expr();
    let key_id = stack.resources[index].target.id.clone();
    let entry = &mut stack.resources[index];
    let policy = entry
        .props
        .map
        .entry("KeyPolicy".to_string())
        .or_insert_with(default_key_policy);
    // Through the one checked merge: a computed policy or `Statement` (an `Fn::If`, typed
    // or written as JSON) is refused, never wrapped or merged into.
    let shown = merge_into::computed(policy);
    let Some(doc) = merge_into::object(policy) else {
        stack.problem(Diagnostic::error(
            Location::property(&key_id, "KeyPolicy"),
            format!(
                "the key policy is {shown}, so {service} cannot be allowed on it for {target}"
            ),
            "write the key policy as a literal document (an `Fn::If` may choose values inside it, not the document)",
        ));
        return;
    };
    let statements = doc
        .entry("Statement".to_string())
        .or_insert_with(|| Expr::Array(Vec::new()));
    let shown = merge_into::computed(statements);
    let Some(items) = merge_into::items(statements) else {
        stack.problem(Diagnostic::error(
            Location::property(&key_id, "KeyPolicy.Statement"),
            format!(
                "the key policy's `Statement` is {shown}, so {service} cannot be allowed on it for {target}"
            ),
            "write the key policy's `Statement` as a literal list (an `Fn::If` may choose inside a statement, not the list)",
        ));
        return;
    };
    if !items.contains(&statement) {
        items.push(statement);
        // The delivery statements wiring added (the trailing run of them) are put in a
        // canonical order, so the policy does not depend on the order of the wiring
        // calls; the statements before them stay as written.
        let ours = items.iter().rev().take_while(|s| is_delivery(s)).count();
        let start = items.len() - ours;
        items[start..].sort_by_cached_key(|e| e.to_json().to_string());
    }
}

/// The position among the stack's resources of the `AWS::KMS::Key` that `key` names: its
/// `Ref` (ID) or `Fn::GetAtt` `Arn`/`KeyId`, or (when `through_alias`) the `Ref` (name) of
/// an `AWS::KMS::Alias` of the stack whose `TargetKeyId` names one of those.
fn key_of_stack(stack: &Stack, key: &Expr, through_alias: bool) -> Option<usize> {
    let t = match key {
        Expr::GetAtt(t, a) if matches!(&**a, "Arn" | "KeyId") => t,
        Expr::Ref(t) => t,
        _ => return None,
    };
    if t.kind != TargetKind::Resource {
        return None;
    }
    let index = stack.resources.iter().position(|e| e.target == *t)?;
    match stack.resources[index].type_name.as_str() {
        "AWS::KMS::Key" => Some(index),
        "AWS::KMS::Alias" if through_alias && matches!(key, Expr::Ref(_)) => {
            let target = stack.resources[index].props.map.get("TargetKeyId")?;
            key_of_stack(stack, target, false)
        }
        _ => None,
    }
}

/// Whether `key` is a literal AWS managed key's alias (`alias/aws/...`, by name or ARN).
fn is_aws_managed(key: &Expr) -> bool {
    match key {
        Expr::Lit(serde_json::Value::String(s)) => {
            s.starts_with("alias/aws/") || (s.starts_with("arn:") && s.contains(":alias/aws/"))
        }
        _ => false,
    }
}

/// Whether a resource `value` refers to reaches `key` through the references of the
/// stack's resources (each resource visited once).
fn reaches(stack: &Stack, value: &Value<Str>, key: &crate::value::expr::Target) -> bool {
    let mut seen: Vec<&crate::value::expr::Target> = Vec::new();
    let mut todo: Vec<&crate::value::expr::Target> = value
        .expr
        .references()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    while let Some(t) = todo.pop() {
        if t == key {
            return true;
        }
        if seen.contains(&t) {
            continue;
        }
        seen.push(t);
        if let Some(e) = stack.resources.iter().find(|e| e.target == *t) {
            for v in e.props.map.values() {
                todo.extend(v.references().into_iter().map(|(r, _)| r));
            }
        }
    }
    false
}

/// Whether `statement` is a service-delivery statement as [`allow_service`] writes it.
fn is_delivery(statement: &Expr) -> bool {
    let json = statement.to_json();
    let actions: Vec<&str> = json["Action"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a.as_str()).collect())
        .unwrap_or_default();
    json["Principal"]["Service"].is_array()
        && json["Resource"] == serde_json::json!(["*"])
        && actions == actions::KMS_SERVICE_DELIVERY
}

/// The policy KMS gives a key created without one (AWS KMS Developer Guide, "Default key
/// policy"): the account may use and manage the key through IAM policies. A key whose
/// `KeyPolicy` is left out gets it from KMS; once nephos adds a service statement the
/// property is written, so the default must be written with it. Without it the key
/// could not be administered, CreateKey refuses the policy (its lockout safety check),
/// and the grants nephos puts in roles would not take effect.
fn default_key_policy() -> Expr {
    let root = crate::sub!("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    let statement = Statement::allow()
        .principal(Principal::aws(root))
        .action("kms:*")
        .resource("*")
        .into_expr();
    let mut doc = BTreeMap::new();
    doc.insert(
        "Version".to_string(),
        Expr::Lit(serde_json::Value::String("2012-10-17".into())),
    );
    doc.insert("Statement".to_string(), Expr::Array(vec![statement]));
    Expr::Object(doc)
}
