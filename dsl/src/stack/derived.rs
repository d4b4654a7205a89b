//! [`Derived`]: a property of a resource that a construct or a grant computed something
//! else from, so that an `override_property` changing it later (applied only at synth)
//! is refused instead of leaving the derived parts on the old value.

/// A property of a resource something else was derived from (a log group's name, a
/// grant's ARN or KMS key, a permission's source), recorded with
/// [`Stack::derived_from`](crate::Stack::derived_from).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    /// The resource's logical ID.
    pub id: String,
    /// The property, as a dotted path below `Properties` like `override_property` takes
    /// (`SSESpecification.KMSMasterKeyId`).
    pub path: String,
    /// What was derived from it, such as "the KMS key that grants on the queue cover".
    pub derives: String,
    /// The hatch to set it with instead, such as "set it with the construct's `.kms_key()`".
    pub fix: String,
}

impl Derived {
    /// Whether an override at `path` (dotted) changes this property: one path is the
    /// other or lies inside it.
    pub fn touched_by(&self, path: &str) -> bool {
        let mut a = self.path.split('.');
        let mut b = path.split('.');
        loop {
            match (a.next(), b.next()) {
                (Some(x), Some(y)) if x == y => continue,
                (None, _) | (_, None) => return true,
                _ => return false,
            }
        }
    }
}
