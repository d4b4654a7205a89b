//! Appending to a list property of a resource already added (a rule's `Targets`, an
//! alarm's `AlarmActions`): the wirings that add to such a list after the resource
//! exists go through here, so the same item twice is added once and a computed list is
//! reported instead of overwritten.

use crate::constructs::wiring::merge_into;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Any;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
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
    let Some(entry) = stack
        .position(&resource.target)
        .map(|i| &mut stack.resources[i])
    else {
        stack.problem(Diagnostic::error(
            Location::resource(&id),
            format!("`{id}` is not a resource of this stack, so {what} cannot be added to its `{property}`"),
            "wire resources of the stack being built; a resource of another stack is changed in that stack",
        ));
        return false;
    };
    let list = entry
        .props
        .map
        .entry(property.to_string())
        .or_insert_with(|| Expr::Array(Vec::new()));
    let shown = merge_into::computed(list);
    let Some(items) = merge_into::array(list) else {
        stack.problem(Diagnostic::error(
            Location::property(&id, property),
            format!("`{property}` of `{id}` is {shown}, so {what} cannot be added to it"),
            format!("write `{property}` as a literal list (an `Fn::If` may choose an item, not the list)"),
        ));
        return false;
    };
    if !items.contains(&item.expr) {
        items.push(item.expr);
    }
    true
}

/// Sorts the list `property` of `resource` by the text of each item's `key` (a rule's
/// `Targets` by `Id`), so the order wirings were called in does not change the
/// template: only when every item is an object whose `key` is a literal text (the list
/// is left as it is otherwise, and when it is not a literal list).
pub fn sort_by_key(stack: &mut Stack, resource: &ResourceRef, property: &str, key: &str) {
    let Some(entry) = stack
        .position(&resource.target)
        .map(|i| &mut stack.resources[i])
    else {
        return;
    };
    let Some(Expr::Array(items)) = entry.props.map.get(property) else {
        return;
    };
    let text_of = |item: &Expr| -> Option<String> {
        match item {
            Expr::Lit(serde_json::Value::Object(m)) => m.get(key)?.as_str().map(str::to_string),
            Expr::Object(m) => match m.get(key)? {
                Expr::Lit(serde_json::Value::String(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let Some(keys) = items.iter().map(text_of).collect::<Option<Vec<String>>>() else {
        return;
    };
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let mut keyed: Vec<(String, Expr)> = keys.into_iter().zip(items.iter().cloned()).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    entry.props.map.insert(
        property.to_string(),
        Expr::Array(keyed.into_iter().map(|(_, e)| e).collect()),
    );
}
