//! Deferred notes as synth collects them, before they are shown.

use std::sync::Arc;

use crate::diagnostic::Deferred;

/// A [`Deferred`] note with its names shared rather than copied: the resource's logical
/// ID and the check's description are the model's own (`Arc`s), the intrinsic's name a
/// constant. A large stack collects a thousand notes that most callers never read; each
/// public [`Deferred`] took four allocations. [`Template::deferred`] makes the public
/// notes on first use.
///
/// The fields are in [`Deferred`]'s order and compare as its strings do, so sorting notes
/// gives the order of the public notes.
///
/// [`Template::deferred`]: crate::Template::deferred
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Note {
    pub(crate) resource: Arc<str>,
    pub(crate) path: String,
    pub(crate) computed_by: &'static str,
    pub(crate) check: Arc<str>,
}

impl Note {
    /// The public note.
    pub(crate) fn to_deferred(&self) -> Deferred {
        Deferred {
            resource: self.resource.to_string(),
            path: self.path.clone(),
            computed_by: self.computed_by.to_string(),
            check: self.check.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Notes sort as the public notes they stand for: by resource, path, intrinsic and
    /// check, each compared as text.
    #[test]
    fn notes_sort_as_their_public_notes() {
        let note = |resource: &str, path: &str, by: &'static str, check: &str| Note {
            resource: Arc::from(resource),
            path: path.to_string(),
            computed_by: by,
            check: Arc::from(check),
        };
        let mut notes = [
            note("B", "X", "Ref", "a"),
            note("A", "Y", "Ref", "a"),
            note("A", "X", "Ref", "b"),
            note("A", "X", "Fn::GetAtt", "c"),
            note("A", "X", "Ref", "a"),
            note("A", "X.0", "Ref", "a"),
        ];
        let mut public: Vec<Deferred> = notes.iter().map(Note::to_deferred).collect();
        notes.sort();
        public.sort();
        let shown: Vec<Deferred> = notes.iter().map(Note::to_deferred).collect();
        assert_eq!(shown, public);
    }
}
