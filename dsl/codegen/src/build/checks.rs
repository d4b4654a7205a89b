//! The literal checks a schema states ([`checks_of`]), and where they apply in a type
//! (the constraint paths the generated `CONSTRAINTS` table lists).

use super::*;

/// The literal checks a schema node states about its own value.
pub fn checks_of(node: &Value) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    let u = |k: &str| node.get(k).and_then(Value::as_u64);
    let f = |k: &str| node.get(k).and_then(Value::as_f64);
    if let Some(n) = u("minLength").filter(|n| *n > 0) {
        out.push(CheckSpec::MinLength(n));
    }
    if let Some(n) = u("maxLength") {
        out.push(CheckSpec::MaxLength(n));
    }
    if let Some(n) = f("minimum") {
        out.push(CheckSpec::Minimum(n));
    }
    if let Some(n) = f("maximum") {
        out.push(CheckSpec::Maximum(n));
    }
    if let Some(n) = f("multipleOf").filter(|n| *n > 0.0) {
        out.push(CheckSpec::MultipleOf(n));
    }
    if let Some(n) = f("exclusiveMinimum") {
        out.push(CheckSpec::ExclusiveMinimum(n));
    }
    if let Some(n) = f("exclusiveMaximum") {
        out.push(CheckSpec::ExclusiveMaximum(n));
    }
    if let Some(values) = node.pointer("/not/enum").and_then(Value::as_array) {
        let strings: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if !strings.is_empty() && strings.len() == values.len() {
            out.push(CheckSpec::NoneOf(strings));
        }
    }
    // A map's size: `minProperties`/`maxProperties`, or the `minItems`/`maxItems` a schema
    // puts on a map instead (`AWS::SSM::Parameter.Tags`: `maxItems: 1000`), which JSON
    // Schema would ignore there but which states the service's limit. On an object with
    // fixed properties they say how many of them are set (`crate::object_counts`).
    let map = crate::map_checks::is_map(node);
    let entries = |k: &str, items: &str| u(k).or(u(items)).filter(|_| map);
    let min_entries = entries("minProperties", "minItems");
    let max_entries = entries("maxProperties", "maxItems");
    if let Some(n) = min_entries.filter(|n| *n > 0) {
        out.push(CheckSpec::MinEntries(n));
    }
    if let Some(n) = max_entries {
        out.push(CheckSpec::MaxEntries(n));
    }
    if let Some(n) = u("minItems").filter(|n| *n > 0 && !map) {
        out.push(CheckSpec::MinItems(n));
    }
    if let Some(n) = u("maxItems").filter(|_| !map) {
        out.push(CheckSpec::MaxItems(n));
    }
    // On a list only: S3 `StorageLensGroup`'s `And`/`Or` objects carry the keyword too,
    // where JSON Schema ignores it.
    if node.get("uniqueItems").and_then(Value::as_bool) == Some(true) && is_list(node) {
        out.push(CheckSpec::UniqueItems);
    }
    out.extend(crate::object_counts::checks(node, node));
    if let Some(p) = crate::map_checks::key_pattern(node) {
        out.push(CheckSpec::KeyPattern(p.to_string()));
    }
    // `enum`, and `const` (an enum of one value: S3 `ObjectLockEnabled` is `Enabled`), of
    // strings or of numbers (Logs' `RetentionInDays` takes 22 day counts, not any integer).
    let listed = match (node.get("enum"), node.get("const")) {
        (Some(Value::Array(values)), _) => Some(values.as_slice()),
        (None, Some(value)) => Some(std::slice::from_ref(value)),
        _ => None,
    };
    if let Some(check) = listed.and_then(listed_values) {
        out.push(check);
    }
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        out.push(CheckSpec::Pattern(p.to_string()));
    }
    if let Some(f) = crate::string_formats::checked(node) {
        out.push(CheckSpec::Format(f.to_string()));
    }
    out
}

impl<'a> Builder<'a> {
    pub(super) fn constraints(
        &self,
        node: &'a Value,
        path: String,
        defs: &mut Vec<&'a str>,
        out: &mut Vec<(String, CheckSpec)>,
    ) {
        if defs.len() > MAX_DEPTH {
            return;
        }
        let mut pushed = false;
        let mut node = node;
        for check in checks_of(node) {
            out.push((path.clone(), check));
        }
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            if defs.contains(&r) {
                return;
            }
            match self.pointer(r) {
                Some(target) => {
                    defs.push(r);
                    pushed = true;
                    let bounds = node;
                    node = self.deref(target);
                    let beside = crate::object_counts::checks(bounds, node);
                    for check in checks_of(node).into_iter().chain(beside) {
                        if !out.iter().any(|(p, c)| *p == path && *c == check) {
                            out.push((path.clone(), check));
                        }
                    }
                }
                None => return,
            }
        }
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                self.constraints(sub, format!("{path}/{name}"), defs, out);
            }
        }
        if let Some(items) = node.get("items").filter(|v| v.is_object()) {
            self.constraints(items, format!("{path}/*"), defs, out);
        }
        // `prefixItems`: the schema of the list's first items, one by one (DynamoDB's key
        // schema: the first key is `HASH`, the second `RANGE`); the path names the index.
        if let Some(prefix) = node.get("prefixItems").and_then(Value::as_array) {
            for (i, sub) in prefix.iter().enumerate() {
                self.constraints(sub, format!("{path}/{i}"), defs, out);
            }
        }
        // Several patterns mean several value shapes: which applies depends on the key.
        if let Some(pp) = non_empty_object(node, "patternProperties")
            && pp.len() == 1
        {
            for sub in pp.values() {
                self.constraints(sub, format!("{path}/*"), defs, out);
            }
        }
        if pushed {
            defs.pop();
        }
    }
}

/// The check of an `enum` (or `const`) list: [`CheckSpec::OneOf`] when every value is a
/// string, [`CheckSpec::OneOfNumbers`] when every value is a number; `None` for an empty or
/// mixed list (none in the vendored schemas: `every_enum_and_const_is_checked` in the
/// generator's tests fails on one, so a refresh that brings one cannot be dropped unseen).
pub fn listed_values(values: &[Value]) -> Option<CheckSpec> {
    if values.is_empty() {
        return None;
    }
    if let Some(strings) = values
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<Vec<_>>>()
    {
        return Some(CheckSpec::OneOf(strings));
    }
    values
        .iter()
        .map(Value::as_f64)
        .collect::<Option<Vec<_>>>()
        .map(CheckSpec::OneOfNumbers)
}

/// Whether a schema node is a list (`type: array`, alone or among others).
fn is_list(node: &Value) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t == "array",
        Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
        _ => false,
    }
}
