//! The [`Resource`] trait every resource type implements, and the resource attributes
//! (DependsOn, Condition, DeletionPolicy, ...) set through [`ResourceOptions`].

use std::collections::BTreeMap;

use crate::check::Constraint;
use crate::stack::condition::Condition;
use crate::stack::handle::{FromRef, Handle};
use crate::stack::props::Props;
use crate::value::expr::{Expr, Target};
use crate::value::kind::Any;
use crate::value::value::IntoValue;

/// A CloudFormation resource type: generated for every registry type, implemented by
/// [`RawResource`](crate::RawResource) for anything else.
pub trait Resource {
    /// The handle [`Stack::add`](crate::Stack::add) returns for it.
    type Handle: FromRef + Handle;

    /// The CloudFormation type name, such as `AWS::SQS::Queue`.
    fn type_name(&self) -> &str;

    /// The properties, consumed when the resource is added to a stack.
    fn into_props(self) -> Props;

    /// The schema's literal constraints, checked at synth on literal values.
    fn constraints(&self) -> &'static [Constraint] {
        &[]
    }

    /// What the handle's `Ref` getter assumes about a property (types whose `Ref` depends on
    /// one, [`ref_state`](crate::ref_state)), checked at synth; `None` for most types.
    fn ref_assumption(&self) -> Option<crate::stack::ref_state::RefAssumption> {
        None
    }
}

/// Anything [`Stack::add`](crate::Stack::add) takes: every [`Resource`] (one resource)
/// and the constructs (several resources wired together, such as a function with its
/// role and log group).
pub trait Construct {
    /// What adding it returns.
    type Handle;

    /// Adds it to `stack` under `id` (resources of a construct get IDs derived from it).
    fn add_to(self, stack: &mut crate::Stack, id: &str) -> Self::Handle;
}

impl<R: Resource> Construct for R {
    type Handle = R::Handle;

    fn add_to(self, stack: &mut crate::Stack, id: &str) -> R::Handle {
        stack.add_resource(id, self)
    }
}

/// What happens to a resource when it is deleted from the stack or the stack is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeletionPolicy {
    /// Delete it (CloudFormation's default for most types).
    Delete,
    /// Keep it, outside the stack.
    Retain,
    /// Keep it unless the stack's creation failed (nothing worth keeping yet).
    RetainExceptOnCreate,
    /// Take a snapshot, then delete it (volumes, databases, clusters).
    Snapshot,
}

impl DeletionPolicy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::Retain => "Retain",
            DeletionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            DeletionPolicy::Snapshot => "Snapshot",
        }
    }
}

/// What happens to the old physical resource when an update replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateReplacePolicy {
    /// Delete the old resource.
    Delete,
    /// Keep the old resource, outside the stack.
    Retain,
    /// Snapshot the old resource, then delete it.
    Snapshot,
}

impl UpdateReplacePolicy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UpdateReplacePolicy::Delete => "Delete",
            UpdateReplacePolicy::Retain => "Retain",
            UpdateReplacePolicy::Snapshot => "Snapshot",
        }
    }
}

/// One property override: a dotted path below `Properties`, and its new value or removal.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Override {
    pub(crate) path: String,
    pub(crate) value: Option<Expr>,
}

/// A resource as the stack holds it.
#[derive(Clone, Debug)]
pub(crate) struct ResourceEntry {
    pub(crate) target: Target,
    pub(crate) type_name: String,
    pub(crate) props: Props,
    pub(crate) constraints: &'static [Constraint],
    /// What the handle's `Ref` getter assumes (see [`Resource::ref_assumption`]).
    pub(crate) ref_assumption: Option<crate::stack::ref_state::RefAssumption>,
    pub(crate) depends_on: Vec<Target>,
    pub(crate) condition: Option<Target>,
    pub(crate) deletion_policy: Option<DeletionPolicy>,
    pub(crate) update_replace_policy: Option<UpdateReplacePolicy>,
    pub(crate) update_policy: Option<serde_json::Value>,
    pub(crate) creation_policy: Option<serde_json::Value>,
    pub(crate) metadata: BTreeMap<String, serde_json::Value>,
    pub(crate) overrides: Vec<Override>,
    /// Security checks opted out of, with the reason.
    pub(crate) suppressions: Vec<(String, String)>,
}

/// The resource attributes of one resource, from [`Stack::resource`](crate::Stack::resource).
///
/// ```
/// use nephos::{DeletionPolicy, RawResource, Stack};
/// let mut stack = Stack::new("App");
/// let queue = stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
/// let topic = stack.add("Events", RawResource::new("AWS::SNS::Topic"));
/// stack.resource(&queue).deletion_policy(DeletionPolicy::Retain).depends_on(&topic);
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Jobs"]["DependsOn"], serde_json::json!(["Events"]));
/// ```
pub struct ResourceOptions<'a> {
    pub(crate) entry: &'a mut ResourceEntry,
}

impl ResourceOptions<'_> {
    /// Creates this resource only after `other` (beyond what references already imply).
    pub fn depends_on(&mut self, other: &impl Handle) -> &mut Self {
        let t = other.resource_ref().target.clone();
        if !self.entry.depends_on.contains(&t) {
            self.entry.depends_on.push(t);
        }
        self
    }

    /// Creates this resource only when `condition` holds.
    pub fn condition(&mut self, condition: &Condition) -> &mut Self {
        self.entry.condition = Some(condition.target.clone());
        self
    }

    /// Sets the `DeletionPolicy`.
    pub fn deletion_policy(&mut self, policy: DeletionPolicy) -> &mut Self {
        self.entry.deletion_policy = Some(policy);
        self
    }

    /// Sets the `UpdateReplacePolicy`.
    pub fn update_replace_policy(&mut self, policy: UpdateReplacePolicy) -> &mut Self {
        self.entry.update_replace_policy = Some(policy);
        self
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` to `Retain`: the data outlives both
    /// a removal from the stack and a replacement.
    pub fn retain(&mut self) -> &mut Self {
        self.deletion_policy(DeletionPolicy::Retain)
            .update_replace_policy(UpdateReplacePolicy::Retain)
    }

    /// Sets the `UpdatePolicy` document (checked at synth for known keys).
    pub fn update_policy(&mut self, policy: serde_json::Value) -> &mut Self {
        self.entry.update_policy = Some(policy);
        self
    }

    /// Sets the `CreationPolicy` document (checked at synth for known keys).
    pub fn creation_policy(&mut self, policy: serde_json::Value) -> &mut Self {
        self.entry.creation_policy = Some(policy);
        self
    }

    /// Adds a `Metadata` entry.
    pub fn metadata(&mut self, key: &str, value: serde_json::Value) -> &mut Self {
        self.entry.metadata.insert(key.to_string(), value);
        self
    }

    /// Escape hatch: sets the property at a dotted path below `Properties` (such as
    /// `VpcConfig.SubnetIds`), creating objects on the way, whatever the typed API says.
    pub fn override_property(&mut self, path: &str, value: impl IntoValue<Any>) -> &mut Self {
        self.entry.overrides.push(Override {
            path: path.to_string(),
            value: Some(value.into_value().expr),
        });
        self
    }

    /// Marks the resource as holding data (a custom resource, a type nephos does not know
    /// as stateful), so `nephos deploy` protects it from replacement and deletion.
    pub fn stateful(&mut self) -> &mut Self {
        self.entry.metadata.insert(
            crate::facts::STATEFUL_METADATA.to_string(),
            serde_json::Value::Bool(true),
        );
        self
    }

    /// Opts this resource out of a security check (an id from
    /// [`security::ALL`](crate::security::ALL)), with the reason reviewers will read.
    pub fn suppress(&mut self, check: &str, reason: &str) -> &mut Self {
        self.entry
            .suppressions
            .push((check.to_string(), reason.to_string()));
        self
    }

    /// Escape hatch: removes the property at a dotted path below `Properties`.
    pub fn remove_property(&mut self, path: &str) -> &mut Self {
        self.entry.overrides.push(Override {
            path: path.to_string(),
            value: None,
        });
        self
    }
}
