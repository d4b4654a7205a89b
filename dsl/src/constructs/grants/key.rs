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

/// The key grant of a target, when it is encrypted with a customer-managed key.
pub(crate) fn cover(
    stack: &mut Stack,
    grantee: &impl Grantee,
    target: &super::Target,
    actions: &[&str],
    service: &str,
) -> Option<Granted> {
    let key = target.key.as_ref()?;
    use_via(stack, grantee, key, actions, service, &target.what)
}
