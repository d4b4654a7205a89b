//! [`EncryptionKey`]: the customer-managed KMS key a queue, topic, table, stream or bucket is
//! encrypted with, as its property names it, remembering which form it was given in.
//!
//! SQS and SNS (`KmsMasterKeyId`), DynamoDB (`SSESpecification.KMSMasterKeyId`), Kinesis
//! (`StreamEncryption.KeyId`) and S3 (`ServerSideEncryptionByDefault.KMSMasterKeyID`) take
//! a key's ARN, its ID, an alias name or an alias ARN (each service's API reference for the
//! property; the generated setters take the union kind
//! [`KmsAliasNameOrKeyArnOrId`]). A grant on the resource needs the key's ARN (IAM matches
//! a statement's `Resource` against it), which only some forms give; the form is kept so a
//! value computed at deploy time (a parameter, an import) is granted on when its kind says
//! what it is, and refused when it may be an alias ([`key`](super::key) says what each form
//! grants).

use crate::kinds::{
    KmsAliasAliasName, KmsAliasNameOrKeyArnOrId, KmsKeyArn, KmsKeyArnOrId, KmsKeyId,
};
use crate::value::value::Value;

/// Which identifier of a key a value is, as far as its kind says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// A key's ARN (`KmsKeyArn`).
    Arn,
    /// A key's ID (`KmsKeyId`), which a service resolves in its own account and region.
    Id,
    /// An alias's name (`KmsAliasAliasName`).
    AliasName,
    /// A union kind: a literal's text tells, a computed value's does not.
    Unknown,
}

/// A customer-managed KMS key as an encrypted resource names it: a key's ARN or ID, an
/// alias name or an alias ARN. Made from the value with `.into()` (constructs'
/// `kms_key` take `impl Into<EncryptionKey>`): a key's handle (`key.arn()`, `key.id()`), an
/// alias's handle (`alias.name()`), or a literal
/// (`Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sqs")`).
///
/// ```
/// use nephos::Value;
/// use nephos::constructs::grants::EncryptionKey;
/// use nephos::kinds::{KmsAliasNameOrKeyArnOrId, KmsKeyArn};
/// let by_arn: EncryptionKey =
///     Value::<KmsKeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab").into();
/// let managed: EncryptionKey = Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sqs").into();
/// assert_eq!(managed.value().to_json(), "alias/aws/sqs");
/// assert_ne!(by_arn, managed);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EncryptionKey {
    value: Value<KmsAliasNameOrKeyArnOrId>,
    form: Form,
}

impl EncryptionKey {
    /// The key as the resource's property takes it.
    pub fn value(&self) -> &Value<KmsAliasNameOrKeyArnOrId> {
        &self.value
    }

    pub(crate) fn form(&self) -> Form {
        self.form
    }
}

/// `From` each kind that names a key (owned and borrowed), with the form it stands for.
macro_rules! key_from {
    ($($kind:ty => $form:expr),* $(,)?) => {$(
        impl From<Value<$kind>> for EncryptionKey {
            fn from(value: Value<$kind>) -> Self {
                EncryptionKey { value: value.cast(), form: $form }
            }
        }
        impl From<&Value<$kind>> for EncryptionKey {
            fn from(value: &Value<$kind>) -> Self {
                EncryptionKey { value: value.clone().cast(), form: $form }
            }
        }
    )*};
}

key_from! {
    KmsKeyArn => Form::Arn,
    KmsKeyId => Form::Id,
    KmsAliasAliasName => Form::AliasName,
    KmsKeyArnOrId => Form::Unknown,
    KmsAliasNameOrKeyArnOrId => Form::Unknown,
}
