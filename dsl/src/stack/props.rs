//! [`Props`]: the property map of a resource or of a nested property type.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::kind::Kind;
use crate::value::value::{IntoValue, Value};

/// Properties by name. Generated resource types fill one; raw resources expose it.
/// Keys are kept sorted so the output does not depend on the order of builder calls.
///
/// ```
/// use nephos::{Props, kind::{Int, Str}};
/// let props = Props::new().with::<Str>("Handler", "index.handler").with::<Int>("Timeout", 30);
/// assert_eq!(props.to_json(), serde_json::json!({"Handler": "index.handler", "Timeout": 30}));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props {
    pub(crate) map: SharedMap,
}

/// A property map shared by the copies of a stack until one of them changes it (copy on
/// write): synth copies the stack to rename content-addressed IDs or fill in inherited
/// conditions, and reads each resource's properties where they are, so a template's
/// properties exist once in memory instead of once per copy. Reads go through `Deref`;
/// a write through `DerefMut` copies the map first only when another copy shares it.
#[derive(Clone, Default)]
pub(crate) struct SharedMap(Option<Arc<ExprMap>>);

/// What an empty [`SharedMap`] reads as, so an empty builder allocates nothing.
static EMPTY: ExprMap = ExprMap::new();

impl SharedMap {
    /// The map, moved out when no other copy shares it, copied otherwise.
    pub(crate) fn into_inner(self) -> ExprMap {
        match self.0 {
            None => ExprMap::new(),
            Some(shared) => Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone()),
        }
    }
}

impl From<ExprMap> for SharedMap {
    fn from(map: ExprMap) -> Self {
        SharedMap((!map.is_empty()).then(|| Arc::new(map)))
    }
}

impl Deref for SharedMap {
    type Target = ExprMap;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for SharedMap {
    fn deref_mut(&mut self) -> &mut Self::Target {
        Arc::make_mut(self.0.get_or_insert_with(Default::default))
    }
}

impl PartialEq for SharedMap {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for SharedMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Props {
    /// No properties.
    pub fn new() -> Self {
        Props::default()
    }

    /// Sets a property.
    pub fn set<K>(&mut self, name: &str, value: impl IntoValue<K>) -> &mut Self {
        self.map.insert(name.to_string(), value.into_value().expr);
        self
    }

    /// Sets a property, by value, for chaining.
    pub fn with<K>(mut self, name: &str, value: impl IntoValue<K>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets a property when it has a value.
    pub fn set_opt<K>(&mut self, name: &str, value: Option<Value<K>>) -> &mut Self {
        if let Some(v) = value {
            self.map.insert(name.to_string(), v.expr);
        }
        self
    }

    /// Appends one item to the list property `name` (creating the list). Appending to a
    /// property already set to a computed list cannot be expressed in CloudFormation, so
    /// the property then becomes an error reported at synth, naming the property.
    pub fn push<K>(&mut self, name: &str, item: impl IntoValue<K>) -> &mut Self {
        let item = item.into_value().expr;
        match self.map.get_mut(name) {
            None => {
                self.map.insert(name.to_string(), Expr::Array(vec![item]));
            }
            Some(Expr::Array(items)) => items.push(item),
            Some(other) => *other = appended_to_computed(name),
        }
        self
    }

    /// Sets the entry `key` of the map property `name` (creating the map); as with
    /// [`push`](Props::push), a map already set to a computed value becomes a synth error.
    pub fn insert<K>(&mut self, name: &str, key: &str, value: impl IntoValue<K>) -> &mut Self {
        let value = value.into_value().expr;
        match self.map.get_mut(name) {
            None => {
                let entry = ExprMap::from([(key.to_string(), value)]);
                self.map.insert(name.to_string(), Expr::Object(entry));
            }
            Some(Expr::Object(entries)) => {
                entries.insert(key.to_string(), value);
            }
            Some(other) => *other = appended_to_computed(name),
        }
        self
    }

    /// Removes a property; whether it was set.
    pub fn remove(&mut self, name: &str) -> bool {
        self.map.remove(name).is_some()
    }

    /// Whether the property `name` is set.
    ///
    /// ```
    /// use nephos::{Props, kind::Int};
    /// let mut props = Props::new().with::<Int>("Timeout", 30);
    /// assert!(props.contains("Timeout"));
    /// assert!(props.remove("Timeout") && !props.contains("Timeout"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The CloudFormation JSON of the property `name`, if set.
    pub fn get_json(&self, name: &str) -> Option<serde_json::Value> {
        self.map.get(name).map(Expr::to_json)
    }

    /// The keys of the JSON object found at `path` (keys of nested objects) inside the
    /// property `name`, as [`get_json`](Props::get_json) would show them; `None` if the
    /// property is unset or that value is not an object. Maps built from properties are
    /// read in place, without rendering the property to JSON (a construct's check of its
    /// keys, once per resource, would otherwise render it).
    ///
    /// ```
    /// use nephos::{Props, kind::Str};
    /// let mut props = Props::new();
    /// props.insert::<Str>("Variables", "TABLE", "users").insert::<Str>("Variables", "MODE", "fast");
    /// assert_eq!(props.object_keys("Variables", &[]), Some(vec!["MODE".to_string(), "TABLE".to_string()]));
    /// assert_eq!(props.object_keys("Variables", &["MODE"]), None); // a string, not an object
    /// assert_eq!(props.object_keys("Timeout", &[]), None);
    /// ```
    pub fn object_keys(&self, name: &str, path: &[&str]) -> Option<Vec<String>> {
        fn json_keys(mut json: &serde_json::Value, path: &[&str]) -> Option<Vec<String>> {
            for step in path {
                json = json.get(step)?;
            }
            Some(json.as_object()?.keys().cloned().collect())
        }
        let mut expr = self.map.get(name)?;
        for (i, step) in path.iter().enumerate() {
            match expr {
                Expr::Object(map) => expr = map.get(*step)?,
                Expr::Lit(json) => return json_keys(json, &path[i..]),
                // An intrinsic renders as an object too (`{"Fn::If": ...}`): read what
                // it renders, as `get_json` shows it.
                other => return json_keys(&other.to_json(), &path[i..]),
            }
        }
        match expr {
            Expr::Object(map) => Some(map.keys().cloned().collect()),
            Expr::Lit(json) => json_keys(json, &[]),
            other => json_keys(&other.to_json(), &[]),
        }
    }

    /// Whether no property is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Turns the map into a value of a nested property type `K`.
    pub fn into_value<K: Kind>(self) -> Value<K> {
        Value::from_expr(Expr::Object(self.map.into_inner()))
    }

    /// The CloudFormation JSON of the map.
    pub fn to_json(&self) -> serde_json::Value {
        Expr::Object((*self.map).clone()).to_json()
    }
}

/// A generated builder (a resource type such as `nephos::lambda::Function`, or one of its
/// property types): its property map, so code that holds a builder (a construct) can start
/// one without its required properties and see what is already set. Generated for every
/// builder; a trait, so no property's setter can collide with these names.
///
/// ```
/// use nephos::{Props, PropsBuilder};
/// let f = nephos::lambda::Function::from_props(Props::new()).set_memory_size(Some(256));
/// assert!(f.props().contains("MemorySize") && !f.props().contains("Role"));
/// assert!(!f.set_memory_size(None::<nephos::Value<nephos::kind::Int>>).props().contains("MemorySize"));
/// ```
/// A required property left unset is reported at synth, naming the resource and the
/// property.
pub trait PropsBuilder: Sized {
    /// A builder holding exactly `props` (required properties are not checked here).
    fn from_props(props: Props) -> Self;
    /// The properties set so far.
    fn props(&self) -> &Props;
}

fn appended_to_computed(name: &str) -> Expr {
    Expr::Invalid(
        format!("an item was added to `{name}` after it was set to a computed value"),
        format!("set `{name}` either item by item or as one value, not both"),
    )
}

#[cfg(test)]
mod tests {
    use crate::kind::Str;
    use crate::{RawResource, Stack};

    /// `object_keys` reads the keys in place and gives what the rendered JSON shows,
    /// whatever the property holds: a built map, a literal map, an intrinsic, a scalar.
    #[test]
    fn object_keys_agree_with_the_rendered_json() {
        use super::{Expr, Props};
        use crate::value::pseudo::Pseudo;
        use serde_json::json;
        let built = Props::new().with::<Str>("B", "b").with::<Str>("A", "a");
        let cases = [
            Expr::Object(
                [(
                    "Variables".to_string(),
                    Expr::Object(built.map.clone().into_inner()),
                )]
                .into(),
            ),
            Expr::Lit(json!({"Variables": {"X": "1", "Y": "2"}})),
            Expr::Object([("Variables".to_string(), Expr::Lit(json!({"Z": "3"})))].into()),
            Expr::Object([("Variables".to_string(), Expr::Pseudo(Pseudo::Region))].into()),
            Expr::Pseudo(Pseudo::Region),
            Expr::Lit(json!({"Variables": "text"})),
            Expr::Lit(json!(3)),
        ];
        for case in cases {
            let mut props = Props::new();
            props.map.insert("Environment".to_string(), case.clone());
            let rendered = props.get_json("Environment").unwrap();
            let want = rendered
                .get("Variables")
                .and_then(|v| v.as_object())
                .map(|m| m.keys().cloned().collect::<Vec<_>>());
            assert_eq!(
                props.object_keys("Environment", &["Variables"]),
                want,
                "{case:?}"
            );
            let want_top = rendered
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>());
            assert_eq!(props.object_keys("Environment", &[]), want_top, "{case:?}");
        }
        assert_eq!(Props::new().object_keys("Environment", &[]), None);
    }

    /// A copy of a stack shares its property maps until one side changes them: a change
    /// to either copy is never seen by the other, and an emptied map equals an empty one.
    #[test]
    fn copies_share_property_maps_until_one_changes() {
        let mut stack = Stack::new("App");
        stack.add(
            "Jobs",
            RawResource::new("AWS::SQS::Queue").property("QueueName", "jobs"),
        );
        let copy = stack.clone();
        stack.resources[0].props.set::<Str>("QueueName", "changed");
        stack.resources[0].props.set::<Str>("FifoQueue", "true");
        assert_eq!(
            copy.resources[0].props.get_json("QueueName"),
            Some(serde_json::json!("jobs"))
        );
        assert!(!copy.resources[0].props.contains("FifoQueue"));
        let mut changed_copy = copy.clone();
        changed_copy.resources[0].props.remove("QueueName");
        assert!(copy.resources[0].props.contains("QueueName"));
        assert_eq!(changed_copy.resources[0].props, super::Props::new());
        assert_eq!(
            stack.resources[0].props.get_json("QueueName"),
            Some(serde_json::json!("changed"))
        );
    }
}
