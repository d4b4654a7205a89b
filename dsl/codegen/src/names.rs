//! Rust names for schema names: types in PascalCase, methods and modules in snake_case,
//! never a keyword, never empty, never starting with a digit.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps letters and digits, turning everything else into word breaks.
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type name: `DynamoDB` -> `DynamoDb`, `nodejs20.x` -> `Nodejs20X`.
pub fn pascal(name: &str) -> String {
    let s = words(name).to_upper_camel_case();
    if s.is_empty() {
        "Unnamed".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// A method, argument or module name: `StreamArn` -> `stream_arn`, `type` -> `type_`.
pub fn snake(name: &str) -> String {
    let s = words(name).to_snake_case();
    let s = if s.is_empty() {
        "unnamed".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{s}")
    } else {
        s
    };
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Picks `base`, or `base2`, `base3`... until `taken` does not hold it, and records it.
pub fn unique(base: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|n| taken.insert(n.clone()))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers() {
        assert_eq!(pascal("DynamoDB"), "DynamoDb");
        assert_eq!(pascal("nodejs20.x"), "Nodejs20X");
        assert_eq!(pascal("3DES"), "V3des");
        assert_eq!(pascal("*"), "Unnamed");
        assert_eq!(snake("StreamArn"), "stream_arn");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("deadLetterTargetArn"), "dead_letter_target_arn");
        assert_eq!(snake("SSEEnabled"), "sse_enabled");
    }

    #[test]
    fn unique_appends_a_number() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a2");
        assert_eq!(unique("a".into(), &mut taken), "a3");
    }
}
