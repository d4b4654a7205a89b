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
    // Byte by byte into one string: the kept characters are ASCII, and a word starts
    // at a kept byte after a dropped one (or at the start).
    let mut out = String::with_capacity(text.len());
    let mut word_start = true;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(if word_start {
                b.to_ascii_uppercase()
            } else {
                b
            } as char);
            word_start = false;
        } else {
            word_start = true;
        }
    }
    out
}

/// The logical ID of a construct's part: the construct's ID followed by each part's
/// fragment ([`fragment`] of it), such as `WorkerDlq` for the part `Dlq` of `Worker`. A
/// part with no letters or digits (`--`, ``) would add nothing, so the part would get
/// its parent's ID: it gives `H` and a short hash of it instead, distinct and stable.
///
/// ```
/// use nephos::constructs::ids::child;
/// assert_ne!(child("Jobs", &["--"]), "Jobs");
/// assert_ne!(child("Jobs", &["--"]), child("Jobs", &[""]));
/// assert!(child("Jobs", &["--"]).starts_with("JobsH"));
/// ```
pub fn child(parent: &str, parts: &[&str]) -> String {
    parts.iter().fold(parent.to_string(), |id, part| {
        let f = fragment(part, usize::MAX);
        if f.is_empty() {
            let hash = crate::asset::source::sha256_hex(part.as_bytes());
            id + "H" + &hash[..8]
        } else {
            id + &f
        }
    })
}

/// A text as a logical-ID fragment that tells texts apart: [`pascal`] of it, at most
/// `max` characters, and `H` with a short hash of the text whenever that dropped
/// something two texts could differ in: characters beyond `max`, or non-ASCII
/// characters (`pascal` keeps ASCII letters and digits only, so `Café` and `Cafè`, or
/// `日本` and `中国`, would otherwise give the same fragment). ASCII texts of at most
/// `max` letters and digits give [`pascal`] of them, as before.
///
/// ```
/// use nephos::constructs::ids::fragment;
/// assert_eq!(fragment("/orders", 64), "Orders");
/// assert_ne!(fragment("日本", 64), fragment("中国", 64));
/// assert!(fragment("日本", 64).starts_with('H'));
/// let long = |c: &str| format!("{}{c}", "a".repeat(80));
/// assert_ne!(fragment(&long("x"), 64), fragment(&long("y"), 64));
/// ```
pub fn fragment(text: &str, max: usize) -> String {
    let mut p = pascal(text);
    let truncated = p.len() > max;
    if truncated {
        p.truncate(max);
    }
    if truncated || !text.is_ascii() {
        let hash = crate::asset::source::sha256_hex(text.as_bytes());
        p.push('H');
        p.push_str(&hash[..8]);
    }
    p
}

/// [`fragment`] of `text` that is itself at most `max` characters (`max` at least 9), for
/// names with a hard limit such as an EventBridge target's `Id` (64): the same text as
/// [`fragment`] whenever that fits, else its letters cut to leave room for `H` and the
/// hash, so a long logical ID still gives a distinct name that the service takes.
///
/// ```
/// use nephos::constructs::ids::{fragment, fragment_within};
/// assert_eq!(fragment_within("Worker", 64), fragment("Worker", 64));
/// let long = |c: &str| format!("W{}{c}", "x".repeat(80));
/// assert_eq!(fragment_within(&long("a"), 64).len(), 64);
/// assert_ne!(fragment_within(&long("a"), 64), fragment_within(&long("b"), 64));
/// ```
pub fn fragment_within(text: &str, max: usize) -> String {
    let f = fragment(text, max);
    if f.len() <= max {
        return f;
    }
    // `fragment` adds `H` and 8 hex digits past its `max`: give them room.
    fragment(text, max.saturating_sub(9))
}

/// A logical-ID fragment naming a wiring's far end when it is a value rather than a
/// resource (an email address, a URL): the literal in PascalCase (at most 64
/// characters, with a hash when it was longer or not ASCII: [`fragment`]), the logical ID of the parameter or resource referred to (with the
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
        Expr::Lit(serde_json::Value::String(s)) if !pascal(s).is_empty() => fragment(s, 64),
        Expr::Ref(t) => t.id.to_string(),
        Expr::GetAtt(t, a) => format!("{}{}", t.id, pascal(a)),
        other => {
            let text = crate::synth::canonical::to_pretty(&other.to_json());
            let hash = crate::asset::source::sha256_hex(text.as_bytes());
            format!("H{}", &hash[..8])
        }
    }
}

/// Sixteen hex digits (64 bits) of the SHA-256 of `json` written canonically (object
/// keys sorted, whatever the map's order), for an ID that must change exactly when a
/// definition does (a function version's ID, from the function's properties).
///
/// ```
/// use nephos::constructs::ids::content_hash;
/// let a = content_hash(&serde_json::json!({"b": 1, "a": [2]}));
/// assert_eq!(a.len(), 16);
/// assert_eq!(a, content_hash(&serde_json::json!({"a": [2], "b": 1})));
/// assert_ne!(a, content_hash(&serde_json::json!({"a": [3], "b": 1})));
/// ```
pub fn content_hash(json: &serde_json::Value) -> String {
    let text = crate::synth::canonical::to_pretty(json);
    crate::asset::source::sha256_hex(text.as_bytes())[..16].to_string()
}

/// The resources of `stack` that `props` (the properties of resource `own`) refer to,
/// and those they refer to in turn, by logical ID, each as `{"Type", "Properties"}`:
/// what a hash must cover when a reference's text stays the same while the resource
/// behind it changes (a function version's ID, whose layer is replaced with new
/// content). Properties named in `skip` are not followed at the first level; at most
/// `max_depth` references deep and `max_resources` resources. Parameters and resources
/// of other stacks are not included: their values are not known at synth.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::ids::referred_resources;
/// let mut stack = Stack::new("App");
/// let q = stack.add("Jobs", nephos::sqs::Queue::new().delay_seconds(5));
/// let mut props = nephos::Props::new();
/// props.set::<nephos::kinds::SqsQueueArn>("QueueArn", q.arn());
/// let r = referred_resources(&stack, &props, "Other", &[], 4, 64);
/// assert_eq!(r["Jobs"]["Properties"]["DelaySeconds"], 5);
/// ```
pub fn referred_resources(
    stack: &crate::Stack,
    props: &crate::stack::props::Props,
    own: &str,
    skip: &[&str],
    max_depth: usize,
    max_resources: usize,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    use crate::value::expr::{Target, TargetKind};
    fn push(e: &Expr, depth: usize, pending: &mut Vec<(Target, usize)>) {
        e.for_each_reference(&mut |t, _| {
            if t.kind == TargetKind::Resource {
                pending.push((t.clone(), depth));
            }
        });
    }
    let mut pending: Vec<(Target, usize)> = Vec::new();
    for (name, e) in props.map.iter() {
        if !skip.contains(&name.as_str()) {
            push(e, 1, &mut pending);
        }
    }
    let mut referred = std::collections::BTreeMap::new();
    while let Some((t, depth)) = pending.pop() {
        if referred.len() >= max_resources || *t.id == *own || referred.contains_key(&*t.id) {
            continue;
        }
        // A resource of another stack is not found here.
        let Some(i) = stack.position(&t) else {
            continue;
        };
        let entry = &stack.resources[i];
        if depth < max_depth {
            for e in entry.props.map.values() {
                push(e, depth + 1, &mut pending);
            }
        }
        referred.insert(
            t.id.to_string(),
            serde_json::json!({"Type": entry.type_name, "Properties": entry.props.to_json()}),
        );
    }
    referred
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

    /// `pascal` gives what splitting on characters and upper-casing each word's first
    /// gave, for paths, verbs, non-ASCII text and separators at either end.
    #[test]
    fn pascal_is_the_words_capitalized() {
        let by_words = |text: &str| -> String {
            text.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect()
        };
        for text in [
            "",
            "/",
            "/users/{id}",
            "post",
            "GLACIER",
            "a-b_c d9e",
            "--x--",
            "caf\u{e9}-bar",
            "\u{65e5}\u{672c}x",
            "x\u{1f600}y",
            "/{proxy+}",
            "9lives",
        ] {
            assert_eq!(pascal(text), by_words(text), "{text:?}");
        }
    }
}
