//! Extending what a stack already holds: adding to a list inside a resource's property
//! (a rule's `Targets`, a bucket's notifications, a policy document's `Statement`), and
//! the reads a wiring needs to decide what to add (the resource a value names, whether
//! a value reaches a resource, who a wiring resource was made for). Public, so a wiring
//! written outside nephos merges exactly as the built-in ones do: through the one
//! checked merge, which opens a literal and refuses a computed value instead of
//! overwriting it or skipping the addition (either would deploy something other than
//! what was written).

use std::sync::Arc;

use crate::kind::Any;
use crate::stack::derived::{Fix, Record};
use crate::stack::handle::ResourceRef;
use crate::stack::props::Props;
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, How, TargetKind};
use crate::value::merge_into;
use crate::value::value::Value;

/// Why [`Stack::edit_list`] or [`Stack::edit_statements`] could not reach the list:
/// nothing was added, and the caller reports it (naming the resource, the property and
/// what it was adding) so the stack does not deploy without the addition.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditError {
    /// The resource is not one of this stack (a handle of another stack): a resource is
    /// changed in the stack that defines it.
    NotInStack,
    /// A value on the way to the list, or the list itself, is computed (an `Fn::If`, a
    /// parameter, an intrinsic written as JSON such as `{"Fn::If": [...]}`) or is not an
    /// object (a list, for the last step), so it cannot be merged into. `depth` is the
    /// step of the path it was found at: 0 for the property itself, 1 for the first key
    /// inside it, and so on. `shown` is how a message names it: "computed by `Fn::If`",
    /// or "not of the expected shape".
    Computed {
        /// The step of the path: 0 is the property.
        depth: usize,
        /// "computed by `Fn::If`", or "not of the expected shape".
        shown: String,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NotInStack => f.write_str("the resource is not one of this stack"),
            EditError::Computed { depth, shown } => {
                write!(f, "the value at step {depth} of the path is {shown}")
            }
        }
    }
}

impl std::error::Error for EditError {}

/// What a list edited by [`Stack::edit_list`] or [`Stack::edit_statements`] had derived
/// from it, for synth's refusal of an override or removal that would drop it.
const EDITED: &str =
    "the items a wiring added to it (`Stack::edit_list`, `Stack::edit_statements`)";

/// The way on that refusal.
const EDIT_INSTEAD: &str = "add further items with `Stack::edit_list` too, or set the whole value before the wiring, on the builder or with `Stack::set_property`";

/// Removes the step at the end of `steps` below `property` (the property itself when
/// `steps` is empty), which the edit created and left empty.
fn unmake(props: &mut Props, property: &str, steps: &[&str]) {
    let Some((last, above)) = steps.split_last() else {
        props.map.remove(property);
        return;
    };
    let mut slot = props.map.get_mut(property);
    for key in above {
        slot = slot
            .and_then(merge_into::object)
            .and_then(|object| object.get_mut(*key));
    }
    if let Some(object) = slot.and_then(merge_into::object) {
        object.remove(*last);
    }
}

impl Stack {
    /// Edits the list at `property` of `resource` (or, with `within`, at the keys
    /// `within` inside it: `("NotificationConfiguration", &["QueueConfigurations"])`):
    /// `edit` gets the list's items and may add, remove or reorder them; what it returns
    /// is returned. A step that is unset is created (an empty object on the way, an empty
    /// list at the end), so the list exists after the call even if `edit` adds nothing.
    /// A literal given whole (a cast JSON document) is opened up, so items are added
    /// beside what is there.
    ///
    /// # Errors
    ///
    /// [`EditError::NotInStack`] when `resource` is not a resource of this stack;
    /// [`EditError::Computed`] when a step is computed or not an object (not a list, for
    /// the last step), which cannot be merged into. `edit` is then not called, and the
    /// caller reports the problem ([`Stack::problem`]): skipping the addition silently
    /// would deploy without it. Steps before the refused one may have been opened up (a
    /// literal JSON object held as entries), which leaves the template's JSON as it was.
    ///
    /// ```
    /// use nephos::{Handle, IntoValue, Parameter, Stack, Value, kind::Any};
    /// use nephos::policy::PolicyDocument;
    /// let mut stack = Stack::new("App");
    /// let role = stack.add("Worker", nephos::iam::Role::new(PolicyDocument::new()));
    /// let managed: Value<Any> = "arn:aws:iam::aws:policy/ReadOnlyAccess".into_value();
    /// // Adding the same item twice keeps one.
    /// for _ in 0..2 {
    ///     let added = stack.edit_list(role.resource_ref(), "ManagedPolicyArns", &[], |items| {
    ///         if !items.contains(&managed) {
    ///             items.push(managed.clone());
    ///         }
    ///     });
    ///     assert_eq!(added, Ok(()));
    /// }
    /// let arns = stack.property(role.resource_ref(), "ManagedPolicyArns").unwrap();
    /// assert_eq!(arns.to_json(), serde_json::json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]));
    ///
    /// // A list given by a parameter is known at deploy only: it cannot be merged into.
    /// let given = stack.parameter("Managed", Parameter::comma_delimited_list());
    /// stack.set_property(role.resource_ref(), "ManagedPolicyArns", Some(given.value().into_any()));
    /// let refused = stack.edit_list(role.resource_ref(), "ManagedPolicyArns", &[], |items| items.push(managed.clone()));
    /// assert_eq!(refused, Err(nephos::EditError::Computed { depth: 0, shown: "computed by `Ref`".into() }));
    /// ```
    pub fn edit_list<R>(
        &mut self,
        resource: &ResourceRef,
        property: &str,
        within: &[&str],
        edit: impl FnOnce(&mut Vec<Value<Any>>) -> R,
    ) -> Result<R, EditError> {
        self.edit_at(resource, property, within, false, edit)
    }

    /// Edits the `Statement` list of the policy document held in `property` of
    /// `resource` (a key's `KeyPolicy`, a bucket policy's `PolicyDocument`, a REST API's
    /// `Policy`), as [`Stack::edit_list`] does: a single statement written without a list
    /// is read as a list of it (as IAM reads it), an unset document is created as an
    /// empty object (set `property` first, with [`Stack::set_property`], when the
    /// document needs more, such as a key policy's default statement). Keep the
    /// statements in a canonical order when several wirings add to one document, so the
    /// template does not depend on the order of the calls.
    ///
    /// # Errors
    ///
    /// As [`Stack::edit_list`]: [`EditError::Computed`] with `depth` 0 when the document
    /// is computed, 1 when its `Statement` is.
    ///
    /// ```
    /// use nephos::{Handle, IntoValue, Stack, Value, kind::Any};
    /// use nephos::policy::{Principal, Statement};
    /// let mut stack = Stack::new("App");
    /// let api = stack.add("Api", nephos::apigateway::RestApi::new().name("internal"));
    /// let invoke: Value<Any> = Statement::allow()
    ///     .principal(Principal::aws("123456789012"))
    ///     .action("execute-api:Invoke")
    ///     .resource("execute-api:/*")
    ///     .into_value();
    /// let edited = stack.edit_statements(api.resource_ref(), "Policy", |statements| {
    ///     statements.push(invoke.clone());
    ///     statements.len()
    /// });
    /// assert_eq!(edited, Ok(1));
    /// let policy = stack.property(api.resource_ref(), "Policy").unwrap().to_json();
    /// assert_eq!(policy["Statement"][0]["Action"], serde_json::json!(["execute-api:Invoke"]));
    /// ```
    pub fn edit_statements<R>(
        &mut self,
        resource: &ResourceRef,
        property: &str,
        edit: impl FnOnce(&mut Vec<Value<Any>>) -> R,
    ) -> Result<R, EditError> {
        self.edit_at(resource, property, &["Statement"], true, edit)
    }

    /// The one walk [`Stack::edit_list`] and [`Stack::edit_statements`] share;
    /// `one_is_list` reads a single object at the end as a list of it.
    fn edit_at<R>(
        &mut self,
        resource: &ResourceRef,
        property: &str,
        within: &[&str],
        one_is_list: bool,
        edit: impl FnOnce(&mut Vec<Value<Any>>) -> R,
    ) -> Result<R, EditError> {
        let entry = self.entry_mut(resource).ok_or(EditError::NotInStack)?;
        let missing = |last: bool| {
            if last {
                Expr::Array(Vec::new())
            } else {
                Expr::Object(Default::default())
            }
        };
        // The first step this call creates (0: the property itself, n: `within[n - 1]`),
        // taken away again when the edit leaves the list empty: an edit that adds
        // nothing leaves the template as it was.
        let mut created = (!entry.props.map.contains_key(property)).then_some(0);
        let mut slot = entry
            .props
            .map
            .entry(property.to_string())
            .or_insert_with(|| missing(within.is_empty()));
        for (depth, key) in within.iter().enumerate() {
            let shown = merge_into::computed(slot);
            let object = merge_into::object(slot).ok_or(EditError::Computed { depth, shown })?;
            if created.is_none() && !object.contains_key(*key) {
                created = Some(depth + 1);
            }
            slot = object
                .entry(key.to_string())
                .or_insert_with(|| missing(depth + 1 == within.len()));
        }
        let shown = merge_into::computed(slot);
        let opened = if one_is_list {
            merge_into::items(slot)
        } else {
            merge_into::array(slot)
        };
        let items = opened.ok_or(EditError::Computed {
            depth: within.len(),
            shown,
        })?;
        let mut values: Vec<Value<Any>> = std::mem::take(items)
            .into_iter()
            .map(Value::from_expr)
            .collect();
        let out = edit(&mut values);
        let empty = values.is_empty();
        *items = values.into_iter().map(|v| v.expr).collect();
        match created {
            Some(step) if empty => unmake(&mut entry.props, property, &within[..step]),
            _ => {}
        }
        if !empty {
            // An override or removal at this path, applied at synth after every edit, would
            // drop what was added here without a word: synth refuses it instead.
            let mut path = property.to_string();
            for key in within {
                path.push('.');
                path.push_str(key);
            }
            self.derived_record(Record {
                id: resource.target.id.to_string(),
                path: path.into(),
                derives: EDITED.into(),
                fix: Fix::Text(EDIT_INSTEAD.into()),
            });
        }
        Ok(out)
    }

    /// All the properties of a resource of this stack, as set when it was added (or by
    /// wiring since); `None` when the resource is not in this stack. Cheap: the copy
    /// shares the map until one side changes it. How a wiring compares a resource it is
    /// about to add with one already under the ID.
    ///
    /// ```
    /// use nephos::{Handle, Props, Stack};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new().delay_seconds(5));
    /// let props = stack.properties(q.resource_ref()).unwrap();
    /// assert_eq!(props.to_json(), serde_json::json!({"DelaySeconds": 5}));
    /// ```
    pub fn properties(&self, resource: &ResourceRef) -> Option<Props> {
        self.entry(&resource.target).map(|e| e.props.clone())
    }

    /// The resource of this stack with logical ID `id`, of whatever type (the first, if
    /// a mistake added two): how a wiring finds what already holds the ID it derived.
    /// [`Stack::find_resource`] also asks for the type.
    ///
    /// ```
    /// use nephos::Stack;
    /// let mut stack = Stack::new("App");
    /// stack.add("Jobs", nephos::sqs::Queue::new());
    /// assert_eq!(stack.resource_with_id("Jobs").map(|r| r.type_name().to_string()), Some("AWS::SQS::Queue".into()));
    /// assert!(stack.resource_with_id("Other").is_none());
    /// ```
    pub fn resource_with_id(&self, id: &str) -> Option<ResourceRef> {
        let e = &self.resources[self.position_of_id(id)?];
        Some(ResourceRef {
            target: e.target.clone(),
            type_name: Arc::from(e.type_name.as_str()),
        })
    }

    /// The logical IDs of the resources `member` was recorded as belonging to by
    /// [`Stack::own`], in that order; `None` when it was not recorded (a resource the
    /// stack's code added itself). For messages that name who holds an ID;
    /// [`Stack::is_owned_by`] tests a given set.
    ///
    /// ```
    /// use nephos::{Handle, Stack};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// let dlq = stack.add("JobsDlq", nephos::sqs::Queue::new());
    /// assert_eq!(stack.owners_of(dlq.resource_ref()), None);
    /// stack.own(dlq.resource_ref(), &[q.resource_ref()]);
    /// assert_eq!(stack.owners_of(dlq.resource_ref()), Some(vec!["Jobs".to_string()]));
    /// ```
    pub fn owners_of(&self, member: &ResourceRef) -> Option<Vec<String>> {
        self.owners
            .get(&member.target.id)
            .map(|o| o.iter().map(|t| t.id.to_string()).collect())
    }

    /// The resource of this stack `value` is by itself (not a value built from it, such
    /// as an `Fn::Sub`): a `Ref` to it (`None` attribute) or an `Fn::GetAtt` of it (the
    /// attribute's name). `None` for anything else, and for a resource of another stack.
    /// How a wiring finds the key a queue is encrypted with, to add to its policy.
    ///
    /// ```
    /// use nephos::{Handle, Stack};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// let (queue, attribute) = stack.resource_named_by(&q.arn()).unwrap();
    /// assert_eq!((queue.logical_id(), attribute.as_deref()), ("Jobs", Some("Arn")));
    /// assert!(stack.resource_named_by(&nephos::sub!("${a}/x", a = q.arn())).is_none());
    /// ```
    pub fn resource_named_by<K>(&self, value: &Value<K>) -> Option<(ResourceRef, Option<String>)> {
        let (target, attribute) = match value.expr.own_reference()? {
            (t, How::Ref) => (t, None),
            (t, How::GetAtt(a)) => (t, Some(a.to_string())),
            _ => return None,
        };
        if target.kind != TargetKind::Resource {
            return None;
        }
        let e = self.entry(target)?;
        Some((
            ResourceRef {
                target: e.target.clone(),
                type_name: Arc::from(e.type_name.as_str()),
            },
            attribute,
        ))
    }

    /// Whether `value` refers to `resource`, directly or through the resources of this
    /// stack it refers to (their properties with overrides applied, and their
    /// `DependsOn`; each visited once): whether a resource that `resource` would refer
    /// to, given `value`, closes a cycle CloudFormation refuses. A reference written
    /// inside a literal JSON document (`{"Ref": "X"}` given through a cast) is text to
    /// nephos and is not followed.
    ///
    /// ```
    /// use nephos::{Handle, Stack, kind::Str};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// let other = stack.add("Other", nephos::sqs::Queue::new());
    /// let doc = nephos::policy::PolicyDocument::new();
    /// let p = stack.add("JobsPolicy", nephos::sqs::QueuePolicy::new(doc, vec![q.url().cast::<Str>()]));
    /// let policy = p.resource_ref().ref_value::<Str>();
    /// assert!(stack.reaches(&policy, q.resource_ref()));
    /// assert!(!stack.reaches(&policy, other.resource_ref()));
    /// ```
    pub fn reaches<K>(&self, value: &Value<K>, resource: &ResourceRef) -> bool {
        let Some(goal) = self.position(&resource.target) else {
            return false;
        };
        // The synth's own edges: references at any depth, `DependsOn`, and each
        // resource's properties with its overrides applied, as the template will have them.
        let mut starts = Vec::new();
        crate::synth::reach::for_each_dependency(self, [&value.expr], &[], &mut |to| {
            starts.push(to)
        });
        starts.contains(&goal) || crate::synth::reach::Reach::from(self, starts).contains(goal)
    }
}
