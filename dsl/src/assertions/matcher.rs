//! Partial matching of JSON: what a test expects against what a template has.

use serde_json::Value as J;

/// Whether `actual` has everything `expected` has: objects match when every expected
/// key matches (other keys are ignored, at every depth); arrays match item by item with
/// the same length; scalars match when equal.
pub(crate) fn matches(expected: &J, actual: &J) -> bool {
    match (expected, actual) {
        (J::Object(e), J::Object(a)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| matches(ev, av))),
        (J::Array(e), J::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| matches(ev, av))
        }
        (e, a) => e == a,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;
    use serde_json::json;

    #[test]
    fn objects_match_partially_at_every_depth() {
        let actual = json!({"A": 1, "B": {"C": 2, "D": 3}});
        assert!(matches(&json!({"B": {"C": 2}}), &actual));
        assert!(!matches(&json!({"B": {"C": 3}}), &actual));
        assert!(!matches(&json!({"E": 1}), &actual));
    }

    #[test]
    fn arrays_match_item_by_item() {
        let actual = json!([{"K": 1, "V": 2}, {"K": 3}]);
        assert!(matches(&json!([{"K": 1}, {"K": 3}]), &actual));
        assert!(!matches(&json!([{"K": 1}]), &actual));
        assert!(!matches(&json!([{"K": 3}, {"K": 1}]), &actual));
    }
}
