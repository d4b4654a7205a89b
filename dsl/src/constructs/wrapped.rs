//! [`Wrapped`]: what a construct around one generated resource holds and does, once.
//!
//! A construct that wraps one generated builder (a queue, a stream, a table) repeats the
//! same shape: it holds the builder and writes its options into it, records the
//! customer-managed KMS key it was given (grants on the resource cover that key), keeps a
//! [`RemovalPolicy`] and a [`Configure`] hatch, and when added it fills its defaults, runs
//! the hatch refusing changes to the properties it derives from ([`Owned`]), adds the
//! resource and applies the policy. `Wrapped` does that for the built-in constructs and
//! for a user's own.

use crate::constructs::RemovalPolicy;
use crate::constructs::configure::{Configure, Owned};
use crate::constructs::grants::EncryptionKey;
use crate::kinds::KmsAliasNameOrKeyArnOrId;
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Resource;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// A generated builder with the parts a construct keeps beside it: the KMS key grants
/// cover, the removal policy and the `configure` hatch.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::configure::Owned;
/// use nephos::constructs::{RemovalPolicy, Wrapped};
/// use nephos::kinds::KmsKeyArn;
/// use nephos::{PropsBuilder, Value};
///
/// const OWNED: &[Owned] = &[Owned::new("KmsMasterKeyId", "kms_key", "the grants' KMS key")];
/// let key = Value::<KmsKeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:key/k");
/// let jobs = Wrapped::stateful(nephos::sqs::Queue::new())
///     .set(|q| q.visibility_timeout(60))
///     .kms_key(key, |q, key| q.kms_master_key_id(key))
///     .configure(|q| q.delay_seconds(5));
/// let mut stack = Stack::new("App");
/// let ready = jobs.prepare(&mut stack, "Jobs", OWNED, |q| q);
/// assert!(ready.builder().props().contains("DelaySeconds"));
/// let added = ready.add_to(&mut stack);
/// assert!(added.kms_key.is_some());
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Jobs"]["DeletionPolicy"], "Retain");
/// ```
#[derive(Clone, Debug)]
pub struct Wrapped<T> {
    builder: T,
    kms_key: Option<EncryptionKey>,
    removal: Option<RemovalPolicy>,
    configure: Configure<T>,
}

impl<T> Wrapped<T> {
    /// A resource that holds data: kept when removed or replaced ([`RemovalPolicy::Retain`])
    /// unless [`removal_policy`](Wrapped::removal_policy) says otherwise.
    pub fn stateful(builder: T) -> Self {
        Wrapped {
            builder,
            kms_key: None,
            removal: Some(RemovalPolicy::Retain),
            configure: Configure::new(),
        }
    }

    /// A resource whose deletion policies are left to CloudFormation's defaults unless
    /// [`removal_policy`](Wrapped::removal_policy) is given.
    pub fn new(builder: T) -> Self {
        Wrapped {
            removal: None,
            ..Wrapped::stateful(builder)
        }
    }

    /// Writes an option into the builder.
    pub fn set(mut self, f: impl FnOnce(T) -> T) -> Self {
        self.builder = f(self.builder);
        self
    }

    /// The builder as the options left it (defaults and `configure` come when added).
    pub fn builder(&self) -> &T {
        &self.builder
    }

    /// Encrypts with the customer-managed key `key`: `write` puts it into the builder, and
    /// the key is recorded for the handle's grants (returned by [`Ready::add_to`]). List the
    /// property `write` sets as [`Owned`] so `configure` cannot change it behind the grants.
    pub fn kms_key(
        mut self,
        key: impl Into<EncryptionKey>,
        write: impl FnOnce(T, &Value<KmsAliasNameOrKeyArnOrId>) -> T,
    ) -> Self {
        let key = key.into();
        self.builder = write(self.builder, key.value());
        self.kms_key = Some(key);
        self
    }

    /// Encrypts without a customer-managed key (a key managed by the service): `write`
    /// puts that into the builder, and a key given before is forgotten.
    pub fn no_kms_key(mut self, write: impl FnOnce(T) -> T) -> Self {
        self.builder = write(self.builder);
        self.kms_key = None;
        self
    }

    /// The key given to [`kms_key`](Wrapped::kms_key), if any.
    pub fn key(&self) -> Option<&EncryptionKey> {
        self.kms_key.as_ref()
    }

    /// What happens to the resource when it leaves the stack or is replaced: `Some` sets
    /// both deletion policies when added, `None` leaves CloudFormation's defaults.
    pub fn removal_policy(mut self, policy: Option<RemovalPolicy>) -> Self {
        self.removal = policy;
        self
    }

    /// The removal policy applied when added (`None`: CloudFormation's defaults).
    pub fn removal(&self) -> Option<RemovalPolicy> {
        self.removal
    }

    /// Adds a `configure` closure: it sees the builder after the defaults and options.
    pub fn configure(mut self, f: impl Fn(T) -> T + Send + Sync + 'static) -> Self {
        self.configure.push(f);
        self
    }

    /// Whether a `configure` closure was given: a construct that ends up not adding the
    /// resource (a function given an existing role creates none) reports the closures
    /// that would be dropped.
    ///
    /// ```
    /// use nephos::constructs::Wrapped;
    /// let queue = Wrapped::new(nephos::sqs::Queue::new());
    /// assert!(!queue.is_configured());
    /// assert!(queue.configure(|q| q.delay_seconds(5)).is_configured());
    /// ```
    pub fn is_configured(&self) -> bool {
        !self.configure.is_empty()
    }
}

impl<T: PropsBuilder> Wrapped<T> {
    /// The builder as it will be added under `id`: `defaults` (which should fill only
    /// what is not set), then the `configure` closures, a change to an `owned` property
    /// being a synth error on `id` ([`Configure::apply_owning`]). Check the final builder
    /// with [`Ready::builder`], then [`Ready::add_to`] it.
    pub fn prepare(
        self,
        stack: &mut Stack,
        id: &str,
        owned: &[Owned],
        defaults: impl FnOnce(T) -> T,
    ) -> Ready<T> {
        let builder = self
            .configure
            .apply_owning(stack, id, defaults(self.builder), owned);
        Ready {
            id: id.to_owned(),
            builder,
            kms_key: self.kms_key,
            removal: self.removal,
        }
    }
}

/// A [`Wrapped`] builder with its defaults and `configure` closures applied, not yet in
/// the stack.
#[derive(Debug)]
pub struct Ready<T> {
    id: String,
    builder: T,
    kms_key: Option<EncryptionKey>,
    removal: Option<RemovalPolicy>,
}

impl<T> Ready<T> {
    /// The final builder, to check or derive from before it is added.
    pub fn builder(&self) -> &T {
        &self.builder
    }

    /// Writes into the final builder what the construct derives from it after the
    /// `configure` closures (such as a FIFO topic's computed name, needed only when
    /// `configure` left the topic FIFO and unnamed).
    pub fn set(mut self, f: impl FnOnce(T) -> T) -> Self {
        self.builder = f(self.builder);
        self
    }
}

impl<T: Resource> Ready<T> {
    /// Adds the resource under its ID and applies the removal policy.
    pub fn add_to(self, stack: &mut Stack) -> Added<T::Handle> {
        let handle = stack.add(&self.id, self.builder);
        if let Some(policy) = self.removal {
            policy.apply(stack, &handle);
        }
        Added {
            handle,
            kms_key: self.kms_key,
        }
    }
}

/// What [`Ready::add_to`] returns: the generated handle and the key grants on it cover.
#[derive(Clone, Debug)]
pub struct Added<H> {
    /// The handle of the added resource.
    pub handle: H,
    /// The customer-managed key given with [`Wrapped::kms_key`].
    pub kms_key: Option<EncryptionKey>,
}
