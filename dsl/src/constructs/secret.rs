//! [`Secret`]: a Secrets Manager secret whose value Secrets Manager generates, so no
//! secret value is ever written into the template.

mod generator;

pub use generator::SecretGenerator;

use crate::constructs::Configure;
use crate::constructs::RemovalPolicy;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::{KmsKeyArn, SecretsManagerSecretArn};
use crate::secretsmanager::SecretHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A Secrets Manager secret with a generated value (32 characters of every class unless
/// [`generate`](Secret::generate) says otherwise), encrypted with the account's
/// `aws/secretsmanager` key unless a customer-managed key is given, and kept when
/// removed from the stack unless [`RemovalPolicy::Destroy`] is chosen.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime, Secret, SecretGenerator};
/// let mut stack = Stack::new("App");
/// let db = stack.add("DbCredentials", Secret::new()
///     .description("database login")
///     .generate(SecretGenerator::new().length(40).exclude_characters("\"@/\\")
///         .json_key(serde_json::json!({"username": "app"}), "password")));
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("..."))
///     .env("DB_SECRET", db.arn()));
/// db.grant_read(&mut stack, &f);
/// let t = stack.synth().unwrap();
/// let g = &t.json()["Resources"]["DbCredentials"]["Properties"]["GenerateSecretString"];
/// assert_eq!(g["PasswordLength"], 40);
/// assert_eq!(g["GenerateStringKey"], "password");
/// ```
///
/// The construct holds the generated `AWS::SecretsManager::Secret` builder: options
/// write into it, and [`configure`](Secret::configure) reaches every property it has.
#[derive(Clone, Debug)]
pub struct Secret {
    secret: crate::secretsmanager::Secret,
    generator: SecretGenerator,
    kms_key: Option<Value<KmsKeyArn>>,
    removal: RemovalPolicy,
    configure: Configure<crate::secretsmanager::Secret>,
}

impl Default for Secret {
    fn default() -> Self {
        Secret {
            secret: crate::secretsmanager::Secret::new(),
            generator: SecretGenerator::new(),
            kms_key: None,
            removal: RemovalPolicy::Retain,
            configure: Configure::new(),
        }
    }
}

impl Secret {
    /// A secret with a generated 32-character value.
    pub fn new() -> Self {
        Secret::default()
    }

    /// The secret's name (CloudFormation makes one when not given). Secrets Manager
    /// adds `-` and six random characters to form the ARN, so a name ending the same way
    /// is ambiguous when imported by name (a synth warning).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.secret = self.secret.name(name.into());
        self
    }

    /// What the secret is for.
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.secret = self.secret.description(text);
        self
    }

    /// How Secrets Manager generates the value (checked at synth against what its
    /// `GetRandomPassword` accepts).
    pub fn generate(mut self, generator: SecretGenerator) -> Self {
        self.generator = generator;
        self
    }

    /// Encrypts with a customer-managed KMS key (a [`KmsKey`](crate::constructs::KmsKey)
    /// of the stack or a key ARN): grants on the secret cover it, used only through
    /// Secrets Manager.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        let key = arn.into_value();
        self.secret = self.secret.kms_key_id(key.clone());
        self.kms_key = Some(key);
        self
    }

    /// What happens to the secret when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal = policy;
        self
    }

    /// Escape hatch to the generated `AWS::SecretsManager::Secret` builder: `f` sees it
    /// after the construct's defaults and options and may set any property but
    /// `KmsKeyId` (use [`kms_key`](Secret::kms_key), which grants cover); a later
    /// `override_property` still wins.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Secret;
    /// let mut stack = Stack::new("App");
    /// stack.add("Token", Secret::new().configure(|l1| l1.add_replica_regions(
    ///     nephos::secretsmanager::secret::ReplicaRegion::new("eu-west-1"))));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Token"]["Properties"]["ReplicaRegions"][0]["Region"], "eu-west-1");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::secretsmanager::Secret) -> crate::secretsmanager::Secret
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.configure.push(f);
        self
    }
}

/// The secret's properties the construct derives grants from when added.
const OWNED: &[Owned] = &[Owned::new(
    "KmsKeyId",
    "kms_key",
    "the KMS key that grants on the secret cover",
)];

impl Construct for Secret {
    type Handle = SecretRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> SecretRef {
        let problems = self.generator.problems();
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::property(id, "GenerateSecretString"),
                format!(
                    "the generated value of secret `{id}`: {} (AWS Secrets Manager API Reference, \"GetRandomPassword\")",
                    problems.join("; ")
                ),
                "keep the length from 1 to 4,096, leave at least one class of characters in, and give a JSON template as an object without the generated key",
            ));
        }
        let s = self
            .secret
            .generate_secret_string(self.generator.to_property());
        let s = self.configure.apply_owning(stack, id, s, OWNED);
        if s.props().contains("SecretString") && s.props().contains("GenerateSecretString") {
            stack.problem(Diagnostic::error(
                Location::property(id, "SecretString"),
                format!(
                    "secret `{id}` has both `SecretString` and `GenerateSecretString`, which CloudFormation refuses"
                ),
                "leave the value to the generator, or clear it with `configure(|l1| l1.set_generate_secret_string(None::<nephos::secretsmanager::secret::GenerateSecretString>))` when you must give the value yourself (it is then written into the template)",
            ));
        }
        if let Some(serde_json::Value::String(name)) = s.props().get_json("Name") {
            for problem in name_problems(&name) {
                stack.problem(Diagnostic::error(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of secret `{id}` {problem}",
                        name.escape_debug()
                    ),
                    "use 1 to 512 characters of letters, digits and `/_+=.@-`",
                ));
            }
            if ends_like_suffix(&name) {
                stack.problem(Diagnostic::warning(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of secret `{id}` ends with `-` and six characters, like the suffix Secrets Manager adds to a secret's ARN: a lookup by this name may be read as a partial ARN",
                        name.escape_debug()
                    ),
                    "end the name otherwise (AWS Secrets Manager User Guide, \"Find secrets\")",
                ));
            }
        }
        let handle = stack.add(id, s);
        self.removal.apply(stack, &handle);
        SecretRef {
            secret: handle,
            kms_key: self.kms_key,
        }
    }
}

/// What Secrets Manager refuses in a secret's name (AWS Secrets Manager API Reference,
/// `CreateSecret` `Name`: 1 to 512 characters, letters, digits and `/_+=.@-`).
pub(crate) fn name_problems(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let n = name.chars().count();
    if !(1..=512).contains(&n) {
        out.push(format!("is {n} characters long, not 1 to 512"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
    {
        out.push(format!(
            "holds `{}`, which a secret's name cannot",
            c.escape_debug()
        ));
    }
    out
}

/// Whether `name` ends with `-` and six letters or digits, as an ARN's random suffix.
pub(crate) fn ends_like_suffix(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 7 && b[b.len() - 7] == b'-' && b[b.len() - 6..].iter().all(u8::is_ascii_alphanumeric)
}

/// A secret added to a stack.
#[derive(Clone, Debug)]
pub struct SecretRef {
    secret: SecretHandle,
    kms_key: Option<Value<KmsKeyArn>>,
}

impl SecretRef {
    /// The secret's full ARN (its `Ref`).
    pub fn arn(&self) -> Value<SecretsManagerSecretArn> {
        self.secret.id()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &SecretHandle {
        &self.secret
    }

    /// What grants on the secret are on: its ARN and key.
    pub fn grant_target(&self) -> Target {
        Target::from(&self.secret).encrypted_with(
            self.kms_key
                .clone()
                .map(crate::constructs::grants::EncryptionKey::from),
        )
    }

    /// Lets `grantee` read the value (`secretsmanager:GetSecretValue`,
    /// `DescribeSecret`) and decrypt it with the secret's customer-managed key, if any
    /// (`kms:Decrypt`, only through Secrets Manager).
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::secret::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` put new values (`secretsmanager:PutSecretValue`, `UpdateSecret`)
    /// and encrypt them with the secret's key, if any.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::secret::write(stack, grantee, &self.grant_target())
    }
}

impl Handle for SecretRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.secret.resource_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_as_secrets_manager_does() {
        assert!(name_problems("prod/db-login_1+=.@").is_empty());
        assert_eq!(name_problems("").len(), 1);
        assert_eq!(name_problems(&"a".repeat(513)).len(), 1);
        assert!(name_problems("a b")[0].contains("` `"));
        assert!(ends_like_suffix("db-AbC123"));
        assert!(!ends_like_suffix("db-AbC12"));
        assert!(!ends_like_suffix("db-login"));
    }
}
