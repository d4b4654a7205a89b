//! Logical-ID derivation for constructs: how the resources a construct or a wiring adds
//! are named, from the IDs the user gave and from the values they connect. IDs are
//! derived, never numbered, so reordering calls renames nothing (a renamed resource is
//! replaced by CloudFormation).
//!
//! ```
//! use nephos::constructs::ids::{child, pascal};
//! assert_eq!(pascal("/users/{id}"), "UsersId");
//! assert_eq!(pascal("GLACIER"), "GLACIER");
//! assert_eq!(child("Worker", &["Dlq"]), "WorkerDlq");
//! ```

use crate::value::expr::Expr;
use crate::value::value::Value;

/// A text (a path, a route, an address) as a logical-ID fragment: its runs of ASCII
/// letters and digits, each with its first letter upper-cased; everything else dropped.
/// `/users/{id}` gives `UsersId`; an empty string, or one without letters and digits,
/// gives an empty fragment.
pub fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The logical ID of a construct's part: the construct's ID followed by each part's
/// fragment ([`pascal`] of it), such as `WorkerDlq` for the part `Dlq` of `Worker`.
pub fn child(parent: &str, parts: &[&str]) -> String {
    parts
        .iter()
        .fold(parent.to_string(), |id, part| id + &pascal(part))
}

/// A logical-ID fragment naming a wiring's far end when it is a value rather than a
/// resource (an email address, a URL): the literal in PascalCase (at most 64
/// characters), the logical ID of the parameter or resource referred to (with the
/// attribute for `Fn::GetAtt`), or else `H` and a short hash of the value's JSON, so a
/// computed value still gives the same fragment on every synth.
///
/// ```
/// use nephos::{Value, kind::Str};
/// use nephos::constructs::ids::value_fragment;
/// let email: Value<Str> = "ops@example.com".into();
/// assert_eq!(value_fragment(&email), "OpsExampleCom");
/// ```
pub fn value_fragment<K>(value: &Value<K>) -> String {
    match &value.expr {
        Expr::Lit(serde_json::Value::String(s)) if !pascal(s).is_empty() => {
            let mut p = pascal(s);
            p.truncate(64);
            p
        }
        Expr::Ref(t) => t.id.to_string(),
        Expr::GetAtt(t, a) => format!("{}{}", t.id, pascal(a)),
        other => {
            let text = crate::synth::canonical::to_pretty(&other.to_json());
            let hash = crate::asset::source::sha256_hex(text.as_bytes());
            format!("H{}", &hash[..8])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_keep_letters_and_digits_only() {
        assert_eq!(pascal("/users/{id}/orders"), "UsersIdOrders");
        assert_eq!(pascal("--"), "");
        assert_eq!(child("Api", &["/users", "post"]), "ApiUsersPost");
    }

    #[test]
    fn computed_values_give_a_stable_hash_fragment() {
        let v = crate::sub!("${AWS::StackName}-x");
        let f = value_fragment(&v);
        assert!(f.starts_with('H') && f.len() == 9, "{f}");
        assert_eq!(f, value_fragment(&v.clone()));
    }
}
