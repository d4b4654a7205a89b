//! Handles to resources: the only way to refer to a resource, so a reference to something
//! that is not in the stack cannot be written.

use std::sync::Arc;

use crate::value::expr::{Expr, Target};
use crate::value::kind::Kind;
use crate::value::value::Value;

/// A reference to one resource of one stack. Generated handle types wrap it and add typed
/// getters for the resource's `Ref` value and attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceRef {
    pub(crate) target: Target,
    pub(crate) type_name: Arc<str>,
}

impl ResourceRef {
    /// The resource's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.target.id
    }

    /// The resource's CloudFormation type, such as `AWS::S3::Bucket`.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The name of the stack the resource belongs to.
    pub fn stack_name(&self) -> &str {
        &self.target.stack.name
    }

    /// `Ref` to this resource, of the kind the resource type returns.
    pub fn ref_value<K: Kind>(&self) -> Value<K> {
        Value::from_expr(Expr::Ref(self.target.clone()))
    }

    /// `Fn::GetAtt` of an attribute, of the kind the attribute has.
    pub fn get_att<K: Kind>(&self, attribute: &str) -> Value<K> {
        Value::from_expr(Expr::GetAtt(self.target.clone(), Arc::from(attribute)))
    }
}

/// Anything that stands for a resource of a stack: every generated handle, raw handles
/// and constructs. `DependsOn` and resource options take it.
pub trait Handle {
    /// The resource behind this handle.
    fn resource_ref(&self) -> &ResourceRef;
}

impl Handle for ResourceRef {
    fn resource_ref(&self) -> &ResourceRef {
        self
    }
}

/// Builds a handle type from the reference [`Stack::add`](crate::Stack::add) creates.
pub trait FromRef {
    /// Wraps the reference.
    fn from_ref(r: ResourceRef) -> Self;
}

impl FromRef for ResourceRef {
    fn from_ref(r: ResourceRef) -> Self {
        r
    }
}
