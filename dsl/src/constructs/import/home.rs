//! Where a wiring to a resource known by a literal ARN requires the stack to deploy: the
//! mechanism lives with the stack ([`Stack::require_home`], [`Reach`], [`literal_home`]);
//! this module keeps the names it had here.

pub use crate::stack::home::{Reach, literal_home};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// [`Stack::require_home`], under the name it had here.
///
/// ```
/// # #![allow(deprecated)]
/// use nephos::Stack;
/// use nephos::constructs::import::{Reach, require_home};
/// let mut stack = Stack::new("App");
/// let arn: nephos::Value<nephos::kind::Str> = "arn:aws:sqs:us-west-2:123456789012:jobs".into();
/// require_home(&mut stack, &arn, "my mapping from queue `jobs`", Reach::Region, "Lambda maps only a queue of its Region");
/// assert!(stack.synth().unwrap().json()["Rules"]["ImportsRegionUsWest2"].is_object());
/// ```
#[deprecated(note = "use `Stack::require_home(arn, wiring, reach, why)`")]
pub fn require_home<K>(stack: &mut Stack, arn: &Value<K>, wiring: &str, reach: Reach, why: &str) {
    stack.require_home(arn, wiring, reach, why);
}
