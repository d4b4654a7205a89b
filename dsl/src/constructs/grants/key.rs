//! Grants on a customer-managed KMS key: used directly by the grantee ([`encrypt`],
//! [`decrypt`], [`encrypt_decrypt`]), or only through the service whose resource it
//! encrypts ([`use_via`]).
//!
//! A grant on an encrypted queue, topic, table, stream or bucket also lets the grantee use
//! its key, only through that service (`kms:ViaService`), on the key's ARN: IAM matches a
//! statement's `Resource` against the key's ARN, never an alias or an ID. So the key, in
//! whichever form the resource names it ([`EncryptionKey`](super::EncryptionKey)), is read as:
//!
//! | the key given as | the grant's key statement |
//! |---|---|
//! | a key ARN (literal, `key.arn()`, or a value of kind `KmsKeyArn`) | on that ARN |
//! | a key ID (literal, `key.id()`, or a value of kind `KmsKeyId`) | on `arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/<id>`: a service resolves an ID in its own account and region |
//! | an `AWS::KMS::Alias` of the stack (`alias.name()`) | on the ARN of the key its `TargetKeyId` names |
//! | an AWS managed alias (`alias/aws/sqs`, by name or ARN) | none: the AWS managed key's policy lets the account's principals use it through the service |
//! | any other alias name or alias ARN, or a computed value that may be one | none: synth fails naming the target and the fix (give the key's ARN with [`Target::encrypted_with`](super::Target::encrypted_with)); granting on every key of the account instead would not be least privilege |

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

/// Lets `grantee` encrypt with `key` directly (`kms:Encrypt`, `kms:ReEncrypt*`,
/// `kms:GenerateDataKey*`, the list [`KMS_ENCRYPT`](super::actions::KMS_ENCRYPT)), on
/// the key's ARN only. The key is read as grants on encrypted targets read it: a key ID
/// becomes its ARN, and an alias (which IAM cannot authorize on) is a synth error.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants;
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Signer", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let key = nephos::Value::literal("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
/// assert!(grants::key::encrypt(&mut stack, &f, &key).is_some());
/// let t = stack.synth().unwrap();
/// let grants = &t.json()["Resources"]["SignerRole"]["Properties"]["Policies"][0]["PolicyDocument"];
/// assert_eq!(grants["Statement"][0]["Action"], serde_json::json!(["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]));
/// ```
pub fn encrypt(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &Value<KmsKeyArn>,
) -> Option<Granted> {
    direct(
        stack,
        grantee,
        key,
        super::actions::KMS_ENCRYPT,
        "encrypting with",
    )
}

/// Lets `grantee` decrypt with `key` directly (`kms:Decrypt`), on the key's ARN only;
/// the key is read as in [`encrypt`].
pub fn decrypt(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &Value<KmsKeyArn>,
) -> Option<Granted> {
    direct(
        stack,
        grantee,
        key,
        super::actions::KMS_DECRYPT,
        "decrypting with",
    )
}

/// Lets `grantee` encrypt and decrypt with `key` directly: [`encrypt`] and [`decrypt`]
/// in one statement.
pub fn encrypt_decrypt(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &Value<KmsKeyArn>,
) -> Option<Granted> {
    let actions: Vec<&str> = super::actions::KMS_ENCRYPT
        .iter()
        .chain(super::actions::KMS_DECRYPT)
        .copied()
        .collect();
    direct(
        stack,
        grantee,
        key,
        &actions,
        "encrypting and decrypting with",
    )
}

/// One direct grant on a key, after reading it as a key ARN.
fn direct(
    stack: &mut Stack,
    grantee: &impl Grantee,
    key: &Value<KmsKeyArn>,
    actions: &[&str],
    purpose: &str,
) -> Option<Granted> {
    let shown = || match key.literal_str() {
        Some(s) => format!("key `{}`", s.escape_debug()),
        None => "the key".to_string(),
    };
    match super::stack_key::given_key_arn(stack, &super::EncryptionKey::from(key)) {
        Ok(Some(arn)) => grant(
            stack,
            grantee,
            Grant::new(format!("{purpose} {}", shown()))
                .actions(actions)
                .on(&arn),
        ),
        Ok(None) => {
            stack.problem(crate::Diagnostic::error(
                crate::Location::stack(),
                format!(
                    "{} cannot be granted {purpose} {}: it is an AWS managed key, which only the service that owns it may use",
                    grantee.grantee_name(),
                    shown()
                ),
                "grant on a customer-managed key (a `KmsKey` of this stack, or the ARN of a key of your account)",
            ));
            None
        }
        Err(why) => {
            stack.problem(crate::Diagnostic::error(
                crate::Location::stack(),
                format!(
                    "{} cannot be granted {purpose} {}: {why}",
                    grantee.grantee_name(),
                    shown()
                ),
                "name the key by its key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`), its key ID or a `KmsKey` of this stack, not an alias",
            ));
            None
        }
    }
}

/// The key grant of a target, when it is encrypted with a customer-managed key: the key
/// it was given, or else the key its resource's properties name now. A key that cannot
/// be read as a key ARN is a synth error naming the target and the fix (a grant without
/// it would be refused by KMS at run time).
pub fn cover<F: super::on::Resource>(
    stack: &mut Stack,
    grantee: &impl Grantee,
    target: &super::Target<F>,
    actions: &[&str],
    service: &str,
) -> Option<Granted> {
    // One reading of a key, given or read from the stack: a key ID becomes its ARN, an
    // AWS managed alias needs no grant, any other alias is refused.
    let read = match (&target.key, &target.resource) {
        (Some(key), _) => super::stack_key::given_key_arn(stack, key),
        (None, Some(resource)) if !target.key_given => {
            // The grant is derived from the key the properties name now (or from none):
            // an override of it, applied at synth, would leave the grant behind.
            let type_name = stack.entry(&resource.target).map(|e| e.type_name.clone());
            if let Some(path) = type_name
                .as_deref()
                .and_then(super::stack_key::key_property)
            {
                stack.derived_from(
                    resource.logical_id(),
                    path,
                    &format!("the KMS key that grants on {} cover", target.what),
                    "set the key on the resource's builder (or the construct's `.kms_key()`) before granting, not with `override_property`",
                );
            }
            super::stack_key::key_of(stack, resource)
        }
        // Known by ARN, but the ARN is an attribute of a resource of this stack (an RDS
        // managed master secret's `MasterUserSecret.SecretArn`): that resource names the key.
        (None, None) if !target.key_given => {
            super::stack_key::attribute_key(stack, &target.arn.expr, service)?
        }
        _ => return None,
    };
    let key = match read {
        Ok(key) => key?,
        Err(why) => {
            let at = target
                .resource
                .as_ref()
                .map_or(crate::Location::stack(), |r| {
                    crate::Location::resource(r.logical_id())
                });
            stack.problem(crate::Diagnostic::error(
                        at,
                        format!(
                            "{} cannot be granted to {}: {} is encrypted with a KMS key, but {why}, so the grant cannot cover it",
                            target.what,
                            grantee.grantee_name(),
                            target.what
                        ),
                        "name the key by its key ID, its key ARN, or an `AWS::KMS::Key` or `AWS::KMS::Alias` of this stack (not an alias from outside it), or give its key ARN to the grant with `Target::encrypted_with(Some(key_arn.into()))`",
                    ));
            return None;
        }
    };
    use_via(stack, grantee, &key, actions, service, &target.what)
}
