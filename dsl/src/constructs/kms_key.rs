//! [`KmsKey`]: a customer-managed KMS key, with an optional alias, that the other
//! constructs encrypt with (`Queue::kms_key(&key)`) and grants use.

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::wiring::key_policy::{self, account_root_statement, locks_out};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Int, Str};
use crate::kinds::{KmsAliasAliasName, KmsKeyArn, KmsKeyId};
use crate::kms::{AliasHandle, KeyHandle};
use crate::policy::{PolicyDocument, Statement};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A symmetric encryption KMS key that KMS rotates every year (or every
/// [`rotation_period_days`](KmsKey::rotation_period_days)), kept when removed from the
/// stack unless [`RemovalPolicy::Destroy`] is chosen (what it encrypted cannot be read
/// without it). Its key policy always holds the statement KMS writes for a key created
/// without one (AWS KMS Developer Guide, "Default key policy"): the account (its root)
/// may administer and use the key, and IAM policies in the account decide who else may,
/// so the key can never be orphaned and the `grant_*` methods (identity-policy
/// statements) take effect. Statements for principals an IAM policy cannot reach (AWS
/// services delivering into an encrypted queue, another account) go into the key
/// policy ([`KmsKey::policy_statement`], [`KmsKeyRef::add_to_key_policy`]).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, KmsKey, Queue, Runtime};
/// let mut stack = Stack::new("App");
/// let key = stack.add("Data", KmsKey::new().alias("app/data").description("queue data"));
/// let jobs = stack.add("Jobs", Queue::new().kms_key(&key));
/// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// jobs.grant_consume(&mut stack, &f);
/// key.grant_decrypt(&mut stack, &f);
/// let t = stack.synth().unwrap();
/// let k = &t.json()["Resources"]["Data"];
/// assert_eq!(k["Properties"]["EnableKeyRotation"], true);
/// assert_eq!(k["DeletionPolicy"], "Retain");
/// assert_eq!(t.json()["Resources"]["DataAlias"]["Properties"]["AliasName"], "alias/app/data");
/// ```
///
/// The construct holds the generated `AWS::KMS::Key` builder: options write into it, and
/// [`configure`](KmsKey::configure) reaches every property but the key policy.
#[derive(Clone, Debug)]
pub struct KmsKey {
    /// The builder, the removal policy and the hatch (a key has no key of its own).
    key: Wrapped<crate::kms::Key>,
    alias: Option<String>,
    statements: Vec<Statement>,
}

impl Default for KmsKey {
    fn default() -> Self {
        KmsKey {
            key: Wrapped::stateful(crate::kms::Key::new().enable_key_rotation(true)),
            alias: None,
            statements: Vec::new(),
        }
    }
}

impl KmsKey {
    /// A symmetric encryption key with yearly rotation.
    pub fn new() -> Self {
        KmsKey::default()
    }

    /// What the key is for (shown in the console).
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.key = self.key.set(|k| k.description(text));
        self
    }

    /// An alias for the key, such as `app/orders` (`alias/` is added when missing):
    /// an `AWS::KMS::Alias` `<Id>Alias`. Names under `alias/aws/` are AWS's own and are
    /// refused at synth.
    pub fn alias(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.alias = Some(if name.starts_with("alias/") {
            name
        } else {
            format!("alias/{name}")
        });
        self
    }

    /// Automatic rotation of the key material: on unless turned off (KMS rotates only
    /// symmetric encryption keys whose material it made; another `KeySpec` or `Origin`
    /// given with `configure` needs `rotation(false)`).
    pub fn rotation(mut self, on: bool) -> Self {
        self.key = self.key.set(|k| k.enable_key_rotation(on));
        self
    }

    /// Days between automatic rotations (90 to 2,560; KMS's default is 365).
    pub fn rotation_period_days(mut self, days: impl IntoValue<Int>) -> Self {
        self.key = self.key.set(|k| k.rotation_period_in_days(days));
        self
    }

    /// Days KMS waits before deleting the key once the stack deletes it (7 to 30; only
    /// with [`RemovalPolicy::Destroy`]).
    pub fn pending_window_days(mut self, days: impl IntoValue<Int>) -> Self {
        self.key = self.key.set(|k| k.pending_window_in_days(days));
        self
    }

    /// Adds a statement to the key policy, after the account's own. A `Deny` that could
    /// cover `kms:PutKeyPolicy` without a condition would lock the account out of the
    /// key and is refused at synth.
    pub fn policy_statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// What happens to the key when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.key = self.key.removal_policy(Some(policy));
        self
    }

    /// Escape hatch to the generated `AWS::KMS::Key` builder: `f` sees it after the
    /// construct's defaults and options and may set any property but `KeyPolicy` (owned:
    /// use [`policy_statement`](KmsKey::policy_statement)); a later `override_property`
    /// still wins, except on `KeyPolicy`.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::KmsKey;
    /// let mut stack = Stack::new("App");
    /// stack.add("Data", KmsKey::new().configure(|l1| l1.multi_region(true)));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Data"]["Properties"]["MultiRegion"], true);
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::kms::Key) -> crate::kms::Key + Send + Sync + 'static,
    ) -> Self {
        self.key = self.key.configure(f);
        self
    }
}

/// The key's properties the construct derives from when added.
const OWNED: &[Owned] = &[Owned::new(
    "KeyPolicy",
    "policy_statement",
    "the key policy that keeps the account the key's administrator",
)];

impl Construct for KmsKey {
    type Handle = KmsKeyRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> KmsKeyRef {
        for s in &self.statements {
            if let Some(why) = locks_out(s) {
                stack.problem(Diagnostic::error(
                    Location::property(id, "KeyPolicy"),
                    format!(
                        "the key policy of `{id}` cannot take the statement {}: {why}, so the account could no longer change the key's policy",
                        crate::policy::check::shown(s)
                    ),
                    "give the `Deny` a condition, or leave `kms:PutKeyPolicy` out of its actions",
                ));
            }
            let problems = crate::policy::check::resource_statement_problems(s);
            if !problems.is_empty() {
                stack.problem(Diagnostic::error(
                    Location::property(id, "KeyPolicy"),
                    format!(
                        "the key policy of `{id}` cannot take the statement {}: {}",
                        crate::policy::check::shown(s),
                        problems.join("; ")
                    ),
                    "give the statement a principal, at least one `kms:` action and the resource `*` (a key policy's resource is the key itself)",
                ));
            }
        }
        let doc = self.statements.into_iter().fold(
            PolicyDocument::new().statement(account_root_statement()),
            |d, s| d.statement(s),
        );
        let ready = self.key.prepare(stack, id, OWNED, |k| k.key_policy(doc));
        let handle = ready.add_to(stack).handle;
        // A reserved or repeated alias name, and rotation on a key KMS does not rotate,
        // are refused at synth on the template's alias and key (synth/checks/kms.rs), as
        // on the generated `kms::Alias` and `kms::Key`.
        let alias = self.alias.map(|name| {
            let alias_id = crate::constructs::ids::child(id, &["Alias"]);
            stack.add(&alias_id, crate::kms::Alias::new(name, handle.id()))
        });
        KmsKeyRef { key: handle, alias }
    }
}

/// A KMS key added to a stack.
#[derive(Clone, Debug)]
pub struct KmsKeyRef {
    key: KeyHandle,
    alias: Option<AliasHandle>,
}

/// A construct's `kms_key(&key)` and a grant's target name the key by its ARN: grants
/// cover it, and deliveries through it reach this key's policy.
impl From<&KmsKeyRef> for crate::constructs::grants::EncryptionKey {
    fn from(key: &KmsKeyRef) -> Self {
        key.arn().into()
    }
}

impl KmsKeyRef {
    /// The key's ARN: what constructs' `kms_key` and grants take.
    pub fn arn(&self) -> Value<KmsKeyArn> {
        self.key.arn()
    }

    /// The key's ID (its `Ref`).
    pub fn key_id(&self) -> Value<KmsKeyId> {
        self.key.id()
    }

    /// The alias's name (`alias/...`), when the key has one.
    pub fn alias_name(&self) -> Option<Value<KmsAliasAliasName>> {
        self.alias.as_ref().map(AliasHandle::name)
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &KeyHandle {
        &self.key
    }

    /// What grants on the key are on: its ARN.
    pub fn grant_target(&self) -> Target<grants::on::Key> {
        Target::of("key", &self.key, self.key.arn())
    }

    /// Lets `grantee` encrypt with the key directly (`kms:Encrypt`, `kms:ReEncrypt*`,
    /// `kms:GenerateDataKey*`), on this key only.
    pub fn grant_encrypt(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::key::encrypt(stack, grantee, &self.arn())
    }

    /// Lets `grantee` decrypt with the key directly (`kms:Decrypt`), on this key only.
    pub fn grant_decrypt(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::key::decrypt(stack, grantee, &self.arn())
    }

    /// Lets `grantee` encrypt and decrypt with the key directly.
    pub fn grant_encrypt_decrypt(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::key::encrypt_decrypt(stack, grantee, &self.arn())
    }

    /// Appends `statement` to the key policy (the same statement twice is added once),
    /// for a principal an IAM policy of this account cannot reach. A statement a key
    /// policy cannot hold, or a `Deny` that would lock the account out, is a synth error.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::KmsKey;
    /// use nephos::policy::{Principal, Statement};
    /// let mut stack = Stack::new("App");
    /// let key = stack.add("Data", KmsKey::new());
    /// key.add_to_key_policy(&mut stack, Statement::allow()
    ///     .principal(Principal::aws("arn:aws:iam::210987654321:root"))
    ///     .action("kms:Decrypt").resource("*"));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Data"]["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap().len(), 2);
    /// ```
    pub fn add_to_key_policy(&self, stack: &mut Stack, statement: Statement) {
        key_policy::add_key_statement(stack, &self.key, statement);
    }
}

impl IntoValue<KmsKeyArn> for &KmsKeyRef {
    fn into_value(self) -> Value<KmsKeyArn> {
        self.arn()
    }
}

impl Handle for KmsKeyRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.key.resource_ref()
    }
}
