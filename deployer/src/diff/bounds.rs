//! The review's work, bounded before it starts: each value the review evaluates
//! ([`super::evaluate`]) visits each node once, and a template whose values would still
//! take more than [`MAX_WORK`] steps (mapping entries looked up again and again) is
//! refused with the resource and property named, instead of a review that never ends.

use serde_json::Value;

use super::evaluate::{Exceeded, MAX_WORK, work};
use crate::output::escape::escape_line;

/// `Ok` when every resource property and output value of `template` evaluates within
/// [`MAX_WORK`] steps; else the first that does not, named, with the way on.
pub fn check(template: &Value) -> Result<(), String> {
    let too_much = |place: String| {
        format!(
            "{place}: evaluating its intrinsic functions takes more than {MAX_WORK} steps, so nephos cannot review it; \
             simplify the expression (fewer nested or repeated Fn::FindInMap, Fn::If, Fn::Join) or compute the value in the app"
        )
    };
    let entries = |section: &str| {
        template
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    };
    for (id, r) in entries("Resources") {
        for (prop, v) in r
            .get("Properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if work(v, template) == Err(Exceeded) {
                return Err(too_much(format!(
                    "resource {} property {}",
                    escape_line(id),
                    escape_line(prop)
                )));
            }
        }
    }
    for (id, o) in entries("Outputs") {
        if let Some(v) = o.get("Value")
            && work(v, template) == Err(Exceeded)
        {
            return Err(too_much(format!("output {}", escape_line(id))));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_past_the_bound_is_refused_with_its_resource_and_property() {
        // 1,000 lookups of a 1,000-item mapping entry: 1,000,000 nodes evaluated.
        let big: Vec<Value> = (0..1000).map(|i| json!(format!("v{i}"))).collect();
        let lookups: Vec<Value> = (0..1001)
            .map(|_| json!({"Fn::FindInMap": ["M", "k", "big"]}))
            .collect();
        let t = json!({
            "Mappings": {"M": {"k": {"big": big}}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": "q", "Tags": lookups}}}});
        let e = check(&t).unwrap_err();
        assert!(e.starts_with("resource Q property Tags: "), "{e}");
        assert!(e.contains("simplify the expression"), "{e}");
        let mut small = t.clone();
        small["Resources"]["Q"]["Properties"]["Tags"] =
            json!([{"Fn::FindInMap": ["M", "k", "big"]}]);
        assert_eq!(check(&small), Ok(()));
    }
}
