//! What a value refers to, for constructs that name the other end of a wiring in a
//! message (the function an existing route integrates, say): public, so a construct
//! written outside nephos can do what the built-in ones do.

use crate::value::expr::TargetKind;
use crate::value::value::Value;

impl<K> Value<K> {
    /// The logical IDs of the resources this value refers to (by `Ref`, `Fn::GetAtt` or
    /// inside `Fn::Sub`), each once, in the order they appear.
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// let v = nephos::sub!("${arn}/x", arn = q.arn());
    /// assert_eq!(v.resources_referenced(), vec!["Jobs".to_string()]);
    /// assert!(Value::<nephos::kind::Str>::from("x").resources_referenced().is_empty());
    /// ```
    pub fn resources_referenced(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for (target, _) in self.expr.references() {
            if target.kind == TargetKind::Resource && !ids.iter().any(|i| **i == *target.id) {
                ids.push(target.id.to_string());
            }
        }
        ids
    }
}
