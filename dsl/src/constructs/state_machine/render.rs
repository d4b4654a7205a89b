//! [`Render`]: what rendering a definition collects, the values its states name through
//! `DefinitionSubstitutions` (`"Resource": "${Worker}"`): the ARNs of invoked functions,
//! the topics, queues, tables and state machines service tasks call, and the ARN of a
//! service task's resource. Keys are stable: a resource of the stack is keyed by its
//! logical ID, a service call by its name (`SnsPublish`), a value given by ARN by its
//! noun and a number (`Function1`); a key already taken gets the next number.

use crate::kind::Str;
use crate::stack::handle::ResourceRef;
use crate::value::value::Value;

/// The substitutions collected so far, in order of first use.
#[derive(Default)]
pub(super) struct Render {
    values: Vec<(String, Value<Str>)>,
    /// Written before each key the states see (not before the keys of the
    /// substitutions), so that `text` can tell a placeholder from user text.
    marker: String,
}

impl Render {
    /// A render whose placeholders read `${<marker><Key>}` (see `text`).
    pub(super) fn marked(marker: &str) -> Self {
        Render {
            values: Vec::new(),
            marker: marker.to_string(),
        }
    }

    /// The key for `value`: the same for the same value; `resource`'s logical ID when it
    /// is one of the stack (`${Worker}`), else `<noun>1`, `<noun>2`...
    pub(super) fn value(
        &mut self,
        resource: Option<&ResourceRef>,
        noun: &str,
        value: &Value<Str>,
    ) -> String {
        if let Some((key, _)) = self.values.iter().find(|(_, v)| v == value) {
            return format!("{}{key}", self.marker);
        }
        let base = resource
            .map(|r| r.logical_id().to_string())
            .unwrap_or_else(|| noun.to_string());
        self.key(&base, resource.is_some(), value)
    }

    /// The key for `value` named `base` when that is free (`SnsPublish`), else numbered.
    pub(super) fn named(&mut self, base: &str, value: &Value<Str>) -> String {
        if let Some((key, _)) = self.values.iter().find(|(_, v)| v == value) {
            return format!("{}{key}", self.marker);
        }
        self.key(base, true, value)
    }

    fn key(&mut self, base: &str, bare: bool, value: &Value<Str>) -> String {
        let taken = |k: &str| self.values.iter().any(|(key, _)| key == k);
        let key = if bare && !taken(base) {
            base.to_string()
        } else {
            (1..)
                .map(|i| format!("{base}{i}"))
                .find(|k| !taken(k))
                .expect("an unbounded range has a free key")
        };
        self.values.push((key.clone(), value.clone()));
        format!("{}{key}", self.marker)
    }

    /// The `DefinitionSubstitutions` entries.
    pub(super) fn into_substitutions(self) -> Vec<(String, Value<Str>)> {
        self.values
    }
}
