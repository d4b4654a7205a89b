//! Parameters: bounds consistent, numbers finite, defaults within their constraints.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;

/// Every parameter definition.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    use crate::stack::parameter::Shape;
    for (t, def) in &stack.parameters {
        let loc = Location::of(Section::Parameter, &t.id);
        let mut err = |msg: String, fix: &str| diags.push(Diagnostic::error(loc.clone(), msg, fix));
        if let (Some(a), Some(b)) = (def.min_length, def.max_length)
            && a > b
        {
            err(
                format!("MinLength {a} is greater than MaxLength {b}"),
                "swap or correct the bounds",
            );
        }
        // A NaN or infinite number reaches the definition as `null` (JSON has neither).
        let non_finite = [def.min_value, def.max_value]
            .iter()
            .flatten()
            .any(|n| !n.is_finite())
            || def.default.as_ref().is_some_and(serde_json::Value::is_null)
            || def.allowed_values.iter().any(serde_json::Value::is_null);
        if non_finite {
            err(
                "a number of the definition (Default, AllowedValues, MinValue or MaxValue) is NaN or infinite; CloudFormation numbers must be finite".to_string(),
                "give finite numbers",
            );
        }
        if let (Some(a), Some(b)) = (def.min_value, def.max_value)
            && a > b
        {
            err(
                format!("MinValue {a} is greater than MaxValue {b}"),
                "swap or correct the bounds",
            );
        }
        if def.shape == Some(Shape::Other)
            && (def.allowed_pattern.is_some()
                || def.min_length.is_some()
                || def.max_length.is_some())
        {
            err(
                format!(
                    "AllowedPattern, MinLength and MaxLength do not apply to type {}",
                    def.type_name
                ),
                "remove them; CloudFormation checks AWS-specific values itself",
            );
        }
        let pattern = def
            .allowed_pattern
            .as_ref()
            .map(|p| (p, regex_lite::Regex::new(&format!("^(?:{p})$"))));
        if let Some((p, Err(_))) = &pattern {
            diags.push(Diagnostic::warning(
                loc.clone(),
                format!("AllowedPattern `{p}` cannot be checked offline"),
                "CloudFormation checks it at deploy; make sure it is a valid Java regular expression",
            ));
        }
        if def.description.as_ref().is_some_and(|d| d.len() > 4000) {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the description is over 4000 characters".to_string(),
                "shorten it",
            ));
        }
        if def.no_echo && def.default.is_some() {
            diags.push(Diagnostic::warning(
                loc.clone(),
                "NoEcho hides the value, but the default is written in the template for anyone to read".to_string(),
                "remove the default and pass the value at deploy, or read it from Secrets Manager",
            ));
        }
        let Some(default) = &def.default else {
            continue;
        };
        // A default holding a dynamic reference is resolved before CloudFormation checks
        // the constraints (the User Guide's "dynamic references" page): its text is not
        // the value.
        if default
            .as_str()
            .is_some_and(crate::value::dynamic_reference::contains)
        {
            continue;
        }
        let text = match default {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut bad = |why: String| {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!("the default `{text}` {why}"),
                "change the default or the constraint",
            ))
        };
        if !def.allowed_values.is_empty() && !def.allowed_values.contains(default) {
            bad("is not one of the AllowedValues".into());
        }
        if let Some((p, Ok(re))) = &pattern
            && !re.is_match(&text)
        {
            bad(format!("does not match AllowedPattern `{p}`"));
        }
        let len = text.chars().count() as u64;
        if def.min_length.is_some_and(|n| len < n) || def.max_length.is_some_and(|n| len > n) {
            bad("breaks MinLength/MaxLength".into());
        }
        if let Some(n) = default.as_f64()
            && (def.min_value.is_some_and(|m| n < m) || def.max_value.is_some_and(|m| n > m))
        {
            bad("breaks MinValue/MaxValue".into());
        }
    }
}
