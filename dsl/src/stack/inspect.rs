//! Reading back what a stack holds, for constructs that check or extend what earlier
//! calls added (a route's parent resource, a sibling with a path parameter): public, so
//! a construct written outside nephos can do what the built-in ones do.

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::kind::Any;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

impl Stack {
    /// The property `name` of a resource of this stack, as set when it was added (or by
    /// wiring since); `None` when it is not set or the resource is not in this stack.
    ///
    /// ```
    /// use nephos::Stack;
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new().delay_seconds(5));
    /// let delay = stack.property(nephos::Handle::resource_ref(&q), "DelaySeconds");
    /// assert_eq!(delay.map(|v| v.to_json()), Some(serde_json::json!(5)));
    /// ```
    pub fn property(&self, resource: &ResourceRef, name: &str) -> Option<Value<Any>> {
        self.entry(&resource.target)
            .and_then(|e| e.props.map.get(name))
            .map(|e| Value::from_expr(e.clone()))
    }

    /// Sets (`Some`) or clears (`None`) the property `name` of a resource of this stack
    /// that an earlier call added: how a construct's handle applies an option given after
    /// the resource exists (a route's authorizer, a stage's per-route settings). Unlike
    /// `override_property`, later reads ([`Stack::property`]) see it, and synth checks it
    /// as it checks every property: the name against the names the type's registry
    /// schema declares (a misspelling is an error naming the closest one), the schema's
    /// constraints (lengths, patterns, ranges, allowed values), required properties,
    /// references. The JSON type of the value is not checked against the schema (the
    /// generated builder's setters are what type a property): a text for a number
    /// reaches the template, and CloudFormation (or cfn-lint on the snapshot) refuses it.
    /// Returns whether the resource is in this stack.
    ///
    /// ```
    /// use nephos::{Handle, Stack};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// assert!(stack.set_property(q.resource_ref(), "DelaySeconds", Some(nephos::value!(5))));
    /// let delay = stack.property(q.resource_ref(), "DelaySeconds");
    /// assert_eq!(delay.map(|v| v.to_json()), Some(serde_json::json!(5)));
    /// ```
    pub fn set_property(
        &mut self,
        resource: &ResourceRef,
        name: &str,
        value: Option<Value<Any>>,
    ) -> bool {
        let Some(entry) = self.entry_mut(resource) else {
            return false;
        };
        match value {
            Some(v) => {
                entry.props.map.insert(name.to_string(), v.expr);
            }
            None => {
                entry.props.map.remove(name);
            }
        }
        true
    }

    /// The resources of this stack of type `type_name`, in the order they were added.
    pub fn resources_of_type(&self, type_name: &str) -> Vec<ResourceRef> {
        self.resources
            .iter()
            .filter(|e| e.type_name == type_name)
            .map(|e| ResourceRef {
                target: e.target.clone(),
                type_name: Arc::from(e.type_name.as_str()),
            })
            .collect()
    }

    /// The problems recorded so far (see [`Stack::problem`]): a construct compares their
    /// number before and after a check to know whether it refused something.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }
}

impl Stack {
    /// Whether `member` was recorded by [`Stack::own`] as belonging to exactly `owners`
    /// (in that order): how wiring knows a resource under its derived ID is the one it
    /// made for the same ends, and not a user's resource that happens to have the ID.
    ///
    /// ```
    /// use nephos::{Handle, Stack};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// let other = stack.add("Other", nephos::sqs::Queue::new());
    /// let doc = nephos::policy::PolicyDocument::new();
    /// let p = stack.add("JobsPolicy", nephos::sqs::QueuePolicy::new(doc, vec![q.url().cast::<nephos::kind::Str>()]));
    /// assert!(!stack.is_owned_by(p.resource_ref(), &[q.resource_ref()]));
    /// stack.own(p.resource_ref(), &[q.resource_ref()]);
    /// assert!(stack.is_owned_by(p.resource_ref(), &[q.resource_ref()]));
    /// assert!(!stack.is_owned_by(p.resource_ref(), &[other.resource_ref()]));
    /// ```
    pub fn is_owned_by(&self, member: &ResourceRef, owners: &[&ResourceRef]) -> bool {
        self.owners.get(&member.target.id).is_some_and(|o| {
            o.len() == owners.len() && o.iter().zip(owners).all(|(a, b)| *a == b.target)
        })
    }
}
