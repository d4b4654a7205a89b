//! [`Secret`]: a Secrets Manager secret whose value Secrets Manager generates, so no
//! secret value is ever written into the template.

mod generator;

pub use generator::SecretGenerator;

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, EncryptionKey, Granted, Grantee, Target};
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
    /// The builder, the key every grant covers, the removal policy and the hatch.
    secret: Wrapped<crate::secretsmanager::Secret>,
    generator: SecretGenerator,
}

impl Default for Secret {
    fn default() -> Self {
        Secret {
            secret: Wrapped::stateful(crate::secretsmanager::Secret::new()),
            generator: SecretGenerator::new(),
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
        let name = name.into();
        self.secret = self.secret.set(|s| s.name(name));
        self
    }

    /// What the secret is for.
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.secret = self.secret.set(|s| s.description(text));
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
        self.secret = self
            .secret
            .kms_key(arn.into_value(), |s, key| s.kms_key_id(key));
        self
    }

    /// What happens to the secret when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.secret = self.secret.removal_policy(Some(policy));
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
        self.secret = self.secret.configure(f);
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
        let generated = self.generator.to_property();
        let ready = self
            .secret
            .prepare(stack, id, OWNED, |s| s.generate_secret_string(generated));
        let s = ready.builder();
        if s.props().contains("SecretString") && s.props().contains("GenerateSecretString") {
            stack.problem(Diagnostic::error(
                Location::property(id, "SecretString"),
                format!(
                    "secret `{id}` has both `SecretString` and `GenerateSecretString`, which CloudFormation refuses"
                ),
                "leave the value to the generator, or clear it with `configure(|l1| l1.set_generate_secret_string(None::<nephos::secretsmanager::secret::GenerateSecretString>))` when you must give the value yourself (it is then written into the template)",
            ));
        }
        // The name is checked at synth, on every secret of the template
        // (`synth/checks/secret_names.rs`).
        let added = ready.add_to(stack);
        SecretRef {
            secret: added.handle,
            kms_key: added.kms_key,
        }
    }
}

/// A secret added to a stack.
#[derive(Clone, Debug)]
pub struct SecretRef {
    secret: SecretHandle,
    kms_key: Option<EncryptionKey>,
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
    pub fn grant_target(&self) -> Target<grants::on::Secret> {
        Target::from(&self.secret).encrypted_with(self.kms_key.clone())
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
