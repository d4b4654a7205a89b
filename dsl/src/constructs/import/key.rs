//! [`ImportedKey`]: a KMS key outside the stack (`KmsKey::from_arn`).

use crate::constructs::KmsKey;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::KmsKeyArn;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

imported!(
    /// A KMS key outside the stack, known by its key ARN: grants on it, and a key the
    /// constructs encrypt with (`Queue::new().kms_key(&key)`). Its key policy cannot be
    /// changed here, so a service delivering into a target it encrypts is a synth
    /// error (see the [module](crate::constructs::import)).
    ImportedKey,
    KmsKeyArn,
    Key "key"
);

/// A construct's `kms_key(&key)` names the imported key by its (checked) key ARN.
impl From<&ImportedKey> for crate::constructs::grants::EncryptionKey {
    fn from(key: &ImportedKey) -> Self {
        key.arn().into()
    }
}

impl KmsKey {
    /// The key `arn` (`arn:aws:kms:<region>:<account>:key/<key id>`), checked: an
    /// alias ARN is refused, since IAM authorizes a key's use on the key's own ARN.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{KmsKey, Queue};
    /// let key = KmsKey::from_arn("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab").unwrap();
    /// let mut stack = Stack::new("App");
    /// stack.add("Jobs", Queue::new().kms_key(&key));
    /// assert!(stack.synth().is_ok());
    /// let e = KmsKey::from_arn("arn:aws:kms:eu-west-1:123456789012:alias/app").unwrap_err();
    /// assert!(e.to_string().contains("alias"));
    /// ```
    pub fn from_arn(arn: &str) -> Result<ImportedKey, ImportError> {
        let parsed = Arn::parse("key", arn, "kms")?;
        match parsed.resource().strip_prefix("key/") {
            Some(id)
                if !id.is_empty()
                    && id.len() <= 128
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                Ok(ImportedKey::from_value(Value::literal(arn)))
            }
            _ if parsed.resource().starts_with("alias/") => Err(ImportError::new(
                "key",
                arn,
                "it is an alias's ARN; grants need the key's own ARN (`key/<key id>`), which IAM authorizes on",
            )),
            _ => Err(ImportError::new(
                "key",
                arn,
                "its resource is not `key/<key id>`",
            )),
        }
    }

    /// The key whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<KmsKeyArn>) -> ImportedKey {
        ImportedKey::from_value(arn)
    }
}

impl ImportedKey {
    /// Lets `grantee` encrypt with the key directly.
    pub fn grant_encrypt(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::key::encrypt(stack, grantee, &self.arn)
    }

    /// Lets `grantee` decrypt with the key directly.
    pub fn grant_decrypt(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::key::decrypt(stack, grantee, &self.arn)
    }

    /// Lets `grantee` encrypt and decrypt with the key directly.
    pub fn grant_encrypt_decrypt(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::key::encrypt_decrypt(stack, grantee, &self.arn)
    }
}

impl IntoValue<KmsKeyArn> for &ImportedKey {
    fn into_value(self) -> Value<KmsKeyArn> {
        self.arn()
    }
}
