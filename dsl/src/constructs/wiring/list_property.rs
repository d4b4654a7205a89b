//! Appending to a list property of a resource already added (a rule's `Targets`, an
//! alarm's `AlarmActions`): the wirings that add to such a list after the resource
//! exists go through here, so the same item twice is added once and a computed list is
//! reported instead of overwritten.

use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Any;
use crate::stack::extend::EditError;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Appends `item` to the list `property` of `resource` (creating it; an item equal to
/// one there is not added again) and returns whether the list holds it. A list that is
/// computed (an `Fn::If`, a parameter) is a synth error naming the resource, the property
/// and `what` was being added; a resource not of this stack is one too.
pub fn append(
    stack: &mut Stack,
    resource: &ResourceRef,
    property: &str,
    item: Value<Any>,
    what: &str,
) -> bool {
    let id = resource.logical_id().to_string();
    let added = stack.edit_list(resource, property, &[], |items| {
        if !items.contains(&item) {
            items.push(item);
        }
    });
    match added {
        Ok(()) => true,
        Err(EditError::NotInStack) => {
            stack.problem(Diagnostic::error(
                Location::resource(&id),
                format!("`{id}` is not a resource of this stack, so {what} cannot be added to its `{property}`"),
                "wire resources of the stack being built; a resource of another stack is changed in that stack",
            ));
            false
        }
        Err(EditError::Computed { shown, .. }) => {
            stack.problem(Diagnostic::error(
                Location::property(&id, property),
                format!("`{property}` of `{id}` is {shown}, so {what} cannot be added to it"),
                format!("write `{property}` as a literal list (an `Fn::If` may choose an item, not the list)"),
            ));
            false
        }
    }
}

/// Sorts the list `property` of `resource` by the text of each item's `key` (a rule's
/// `Targets` by `Id`), so the order wirings were called in does not change the
/// template: only when every item is an object whose `key` is a literal text (the list
/// is left as it is otherwise, and when it is unset or not a literal list).
pub fn sort_by_key(stack: &mut Stack, resource: &ResourceRef, property: &str, key: &str) {
    // `edit_list` would create an unset list: there is nothing to sort.
    if !stack
        .properties(resource)
        .is_some_and(|p| p.contains(property))
    {
        return;
    }
    let text_of = |item: &Value<Any>| -> Option<String> {
        let (_, text) = item.entries()?.into_iter().find(|(k, _)| k == key)?;
        text.literal_str().map(str::to_string)
    };
    // A computed list is refused by `edit_list`, and left as it is.
    let _ = stack.edit_list(resource, property, &[], |items| {
        let Some(keys) = items.iter().map(text_of).collect::<Option<Vec<String>>>() else {
            return;
        };
        if keys.windows(2).all(|w| w[0] <= w[1]) {
            return;
        }
        let mut keyed: Vec<(String, Value<Any>)> = keys.into_iter().zip(items.drain(..)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        items.extend(keyed.into_iter().map(|(_, v)| v));
    });
}
