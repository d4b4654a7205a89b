//! Grants on a customer-managed KMS key, scoped to the service that uses it.

use crate::constructs::grants::{Grant, Granted, Grantee, grant};
use crate::kinds::KmsKeyArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Lets `grantee` use `key` with `actions`, only through `service` (such as `sqs`: the
/// `kms:ViaService` condition): the key's use is scoped to what the grant on the target
/// it encrypts is for, not to anything else the key encrypts. `what` names that target.
pub fn use_via(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &Value<KmsKeyArn>,
    actions: &[&str],
    service: &str,
    what: &str,
) -> Option<Granted> {
    let via = crate::sub(&format!("{service}.${{AWS::Region}}.amazonaws.com"), []);
    grant(
        stack,
        grantee,
        Grant::new(format!("the key of {what}"))
            .actions(actions)
            .on(key)
            .condition("StringEquals", "kms:ViaService", via),
    )
}

/// The key grant of a target, when it is encrypted with a customer-managed key: the key
/// it was given, or else the key its resource's properties name now. A key that cannot
/// be read as a key ARN is a synth error naming the target and the fix (a grant without
/// it would be refused by KMS at run time).
pub(crate) fn cover(
    stack: &mut Stack,
    grantee: &impl Grantee,
    target: &super::Target,
    actions: &[&str],
    service: &str,
) -> Option<Granted> {
    let key = match (&target.key, &target.resource) {
        (Some(key), _) => key.clone(),
        (None, Some(resource)) if !target.key_given => {
            match super::stack_key::key_of(stack, resource) {
                Ok(key) => key?,
                Err(why) => {
                    stack.problem(crate::Diagnostic::error(
                        crate::Location::resource(resource.logical_id()),
                        format!(
                            "{} cannot be granted to {}: {} is encrypted with a KMS key, but {why}, so the grant cannot cover it",
                            target.what,
                            grantee.grantee_name(),
                            target.what
                        ),
                        "name the key by its key ID, its ARN or an `AWS::KMS::Key` of this stack, or give it to the grant with `Target::encrypted_with(Some(key_arn))`",
                    ));
                    return None;
                }
            }
        }
        _ => return None,
    };
    use_via(stack, grantee, &key, actions, service, &target.what)
}
