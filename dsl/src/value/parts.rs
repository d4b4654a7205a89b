//! Reading into a JSON-shaped value (an object's entries, a list's items) and making a
//! value that fails synth wherever it is used: public, so a wiring written outside
//! nephos can read back what a resource holds and refuse a setting the way the built-in
//! ones do.

use crate::kind::Any;
use crate::value::expr::Expr;
use crate::value::merge_into;
use crate::value::value::Value;

impl Value<Any> {
    /// The entries of the object this value is, in key order, whether it was built
    /// ([`Value::object`], a builder, `value!`) or given whole as literal JSON; `None`
    /// when it is computed (an intrinsic, typed or written as JSON such as
    /// `{"Fn::If": [...]}`) or not an object. What [`Stack::edit_list`] merges into,
    /// read without changing it.
    ///
    /// [`Stack::edit_list`]: crate::Stack::edit_list
    ///
    /// ```
    /// use nephos::{IntoValue, Value, kind::Any};
    /// let v: Value<Any> = nephos::value!({ "Rules": ["a"], "Name": "n" });
    /// let keys: Vec<String> = v.entries().unwrap().into_iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["Name", "Rules"]);
    /// assert!(nephos::aws::stack_name().into_any().entries().is_none());
    /// ```
    pub fn entries(&self) -> Option<Vec<(String, Value<Any>)>> {
        let mut opened = self.expr.clone();
        let map = merge_into::object(&mut opened)?;
        Some(
            std::mem::take(map)
                .into_iter()
                .map(|(k, e)| (k, Value::from_expr(e)))
                .collect(),
        )
    }

    /// The items of the list this value is, whether built or given as literal JSON;
    /// `None` when it is computed or not a list.
    ///
    /// ```
    /// use nephos::{IntoValue, Value, kind::Any};
    /// let v: Value<Any> = serde_json::json!([1, 2]).into_value();
    /// let items = v.items().unwrap();
    /// assert_eq!(items.iter().map(|i| i.to_json()).collect::<Vec<_>>(), [serde_json::json!(1), serde_json::json!(2)]);
    /// ```
    pub fn items(&self) -> Option<Vec<Value<Any>>> {
        let mut opened = self.expr.clone();
        let items = merge_into::array(&mut opened)?;
        Some(
            std::mem::take(items)
                .into_iter()
                .map(Value::from_expr)
                .collect(),
        )
    }
}

impl<K> Value<K> {
    /// A value that cannot be used: synth fails wherever it ends up in the template,
    /// naming the resource and property it was given to, with `why` and `fix`. For an
    /// accessor of a construct whose answer does not exist in the construct's current
    /// configuration (a URL of an endpoint that is turned off), so a misuse is reported
    /// where it happens instead of deploying something broken.
    ///
    /// ```
    /// use nephos::{Output, Stack, Value, kind::Str};
    /// let mut stack = Stack::new("App");
    /// let url: Value<Str> = Value::invalid("the endpoint is turned off", "turn it on");
    /// stack.output("Url", Output::new(url));
    /// let err = stack.synth().unwrap_err().to_string();
    /// assert!(err.contains("the endpoint is turned off"), "{err}");
    /// ```
    pub fn invalid(why: impl Into<String>, fix: impl Into<String>) -> Self {
        Value::from_expr(Expr::Invalid(why.into(), fix.into()))
    }
}
