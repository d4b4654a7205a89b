//! The escape hatch: a resource of any type with raw properties.

use crate::stack::handle::ResourceRef;
use crate::stack::props::Props;
use crate::stack::resource::Resource;
use crate::value::kind::Any;
use crate::value::value::IntoValue;

/// A resource of any CloudFormation type, with untyped properties. Use it for what the
/// generated types do not cover; its handle reads attributes with a kind you choose.
///
/// ```
/// use nephos::{RawResource, Stack, Value, kind::Str};
/// let mut stack = Stack::new("App");
/// let queue = stack.add("Jobs", RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", 60));
/// let arn: Value<Str> = queue.get_att("Arn");
/// assert_eq!(arn.to_json(), serde_json::json!({"Fn::GetAtt": ["Jobs", "Arn"]}));
/// ```
#[derive(Clone, Debug)]
pub struct RawResource {
    type_name: String,
    props: Props,
}

impl RawResource {
    /// A resource of `type_name` (such as `AWS::SQS::Queue` or `Custom::Thing`).
    pub fn new(type_name: impl Into<String>) -> Self {
        RawResource {
            type_name: type_name.into(),
            props: Props::new(),
        }
    }

    /// Sets a property to any value: a literal, JSON, or any typed value.
    pub fn property(mut self, name: &str, value: impl IntoValue<Any>) -> Self {
        self.props.set::<Any>(name, value);
        self
    }
}

impl Resource for RawResource {
    type Handle = ResourceRef;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn into_props(self) -> Props {
        self.props
    }
}
