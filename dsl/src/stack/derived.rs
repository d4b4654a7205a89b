//! [`Derived`]: a property of a resource that a construct or a grant computed something
//! else from, so that an `override_property` changing it later (applied only at synth)
//! is refused instead of leaving the derived parts on the old value.

use std::borrow::Cow;

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
        touched(&self.path, path)
    }
}

/// Whether an override at `path` changes the property at `derived` (both dotted).
fn touched(derived: &str, path: &str) -> bool {
    let mut a = derived.split('.');
    let mut b = path.split('.');
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, _) | (_, None) => return true,
            _ => return false,
        }
    }
}

/// A [`Derived`] as the stack keeps it: the texts a construct gives from its constants
/// are borrowed, and the usual fix ("set it with the construct's option") is rendered
/// only for a message, so a record costs one allocation (the resource's ID) rather than
/// four. Every part of every construct makes one, so a large stack holds thousands.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) path: Cow<'static, str>,
    pub(crate) derives: Cow<'static, str>,
    pub(crate) fix: Fix,
}

impl Record {
    /// As [`Derived::touched_by`].
    pub(crate) fn touched_by(&self, path: &str) -> bool {
        touched(&self.path, path)
    }
}

/// Records are equal when their texts are, however they are held.
impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.path == other.path
            && self.derives == other.derives
            && String::from(self.fix.clone()) == String::from(other.fix.clone())
    }
}

/// The way on an error about changing a derived property.
#[derive(Clone, Debug)]
pub(crate) enum Fix {
    /// As given.
    Text(Cow<'static, str>),
    /// "set `property` with the construct's `.option()` instead of `configure` or
    /// `override_property`", rendered when read.
    Option {
        property: &'static str,
        option: &'static str,
    },
}

impl From<Fix> for String {
    fn from(fix: Fix) -> String {
        match fix {
            Fix::Text(text) => text.into_owned(),
            Fix::Option { property, option } => format!(
                "set {property} with the construct's `.{option}()` instead of `configure` or `override_property`"
            ),
        }
    }
}
