//! Where the diff learns which property changes replace a resource.
//!
//! Production reads the schema table in `nephos::facts`; tests inject their own answers
//! through [`ReplacementFacts`].

use super::model::Replacement;

/// Answers "does changing this property replace a resource of this type?".
pub trait ReplacementFacts {
    /// The prediction for a change at `path` (slash-separated below `Properties`).
    fn replacement(&self, resource_type: &str, path: &str) -> Replacement;

    /// Whether the list at `path` (list indices as `*`) compares without order
    /// (`insertionOrder: false`). Unknown types and paths keep their order.
    fn unordered(&self, resource_type: &str, path: &str) -> bool {
        let _ = (resource_type, path);
        false
    }
}

/// The facts bundled in the `nephos` crate: registry schemas and the AWS service spec,
/// merged by the generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct SchemaFacts;

impl ReplacementFacts for SchemaFacts {
    fn replacement(&self, resource_type: &str, path: &str) -> Replacement {
        use nephos::facts::ReplacementFact;
        match nephos::facts::resource(resource_type).map(|f| f.replacement(path)) {
            None => Replacement::Unknown,
            Some(ReplacementFact::Always) => Replacement::Always,
            Some(ReplacementFact::Maybe) => Replacement::Conditional,
            Some(ReplacementFact::Never) => Replacement::Never,
        }
    }

    fn unordered(&self, resource_type: &str, path: &str) -> bool {
        nephos::facts::resource(resource_type).is_some_and(|f| f.is_unordered(path))
    }
}

/// The prediction from a type's create-only paths: the changed path is create-only (or
/// inside one) → always; a create-only path lies inside the changed value (which was
/// compared as a whole) → conditional, since the create-only part may be unchanged.
pub fn classify(create_only: &[&str], path: &str) -> Replacement {
    let inside = |outer: &str, inner: &str| {
        inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    if create_only.iter().any(|p| inside(p, path)) {
        Replacement::Always
    } else if create_only.iter().any(|p| inside(path, p)) {
        Replacement::Conditional
    } else {
        Replacement::Never
    }
}

/// Facts from a fixed table, for tests and for callers that carry their own schemas.
#[derive(Clone, Debug, Default)]
pub struct TableFacts(pub Vec<(&'static str, Vec<&'static str>)>);

impl ReplacementFacts for TableFacts {
    fn replacement(&self, resource_type: &str, path: &str) -> Replacement {
        match self.0.iter().find(|(t, _)| *t == resource_type) {
            None => Replacement::Unknown,
            Some((_, create_only)) => classify(create_only, path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_enclosing_paths() {
        let co = ["TableName", "VpcConfig/SubnetIds"];
        assert_eq!(classify(&co, "TableName"), Replacement::Always);
        assert_eq!(classify(&co, "VpcConfig/SubnetIds/0"), Replacement::Always);
        assert_eq!(classify(&co, "VpcConfig"), Replacement::Conditional);
        assert_eq!(classify(&co, "TableNameSuffix"), Replacement::Never);
    }
}
