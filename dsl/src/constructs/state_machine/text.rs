//! The definition as the state machine's property, with every user string reaching
//! Step Functions as written.
//!
//! CloudFormation replaces each `${Key}` of the definition whose key is one of
//! `DefinitionSubstitutions` (AWS CloudFormation Template Reference,
//! `AWS::StepFunctions::StateMachine`, "DefinitionSubstitutions"), and documents no
//! escape for it. A Choice constant, Pass result, Fail cause or comment holding
//! `${Worker}` would so become the ARN of `Worker`. When a user string holds `${`, the
//! definition is therefore written as `DefinitionString` through `Fn::Sub` instead,
//! whose `${!` escape is documented (Template Reference, `Fn::Sub`: "`${!Literal}`"):
//! the placeholders are `Fn::Sub` variables, the user's `${` become `${!`. Otherwise
//! it is the `Definition` object with `DefinitionSubstitutions`, as before.
//!
//! To tell a placeholder from user text that reads the same, the definition is
//! rendered with placeholders `${<marker><Key>}`, where the marker occurs in no string
//! of the definition rendered plainly (user text is the same in both renders).

use serde_json::{Map, Value as J};

use super::graph::Definition;
use super::render::Render;
use crate::kind::Str;
use crate::value::value::Value;

/// The definition as a property of `AWS::StepFunctions::StateMachine`.
pub(super) enum Property {
    /// `Definition` (the ASL object) and `DefinitionSubstitutions` (key, value).
    Object(J, Vec<(String, Value<Str>)>),
    /// `DefinitionString` as `Fn::Sub` of the ASL text (no `DefinitionSubstitutions`).
    Sub(Value<Str>),
}

impl Property {
    /// The definition property and the size of its ASL JSON in bytes (placeholders
    /// unresolved; what Step Functions' limit is checked against).
    pub(super) fn of(definition: &Definition) -> (Property, usize) {
        let (plain, _) = definition.render();
        let marker = free_marker(&plain);
        let mut render = Render::marked(&marker);
        let marked = definition.to_json(&mut render);
        let substitutions = render.into_substitutions();
        let keys: Vec<String> = substitutions
            .iter()
            .map(|(k, _)| format!("${{{marker}{k}}}"))
            .collect();
        let placeholder = |s: &str| {
            keys.iter()
                .position(|k| k == s)
                .map(|i| substitutions[i].0.as_str())
        };
        let user_dollar = has_user_dollar(&marked, &placeholder);
        let escape = user_dollar && !substitutions.is_empty();
        let json = rewrite(&marked, &placeholder, escape);
        let text = json.to_string();
        let bytes = text.len();
        if escape {
            let vars = substitutions
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone().into_any()));
            (Property::Sub(crate::sub(&text, vars)), bytes)
        } else {
            (Property::Object(json, substitutions), bytes)
        }
    }
}

/// A marker found in no string or key of `json`.
fn free_marker(json: &J) -> String {
    let mut strings = Vec::new();
    collect(json, &mut strings);
    (0u64..)
        .map(|i| format!("nephos{i}~"))
        .find(|m| !strings.iter().any(|s| s.contains(m.as_str())))
        .expect("finitely many strings leave a free marker")
}

fn collect<'a>(json: &'a J, out: &mut Vec<&'a str>) {
    match json {
        J::String(s) => out.push(s),
        J::Array(a) => a.iter().for_each(|v| collect(v, out)),
        J::Object(m) => {
            for (k, v) in m {
                out.push(k);
                collect(v, out);
            }
        }
        _ => {}
    }
}

/// Whether a string or key of `json` that is not a placeholder holds `${`.
fn has_user_dollar<'a>(json: &J, placeholder: &impl Fn(&str) -> Option<&'a str>) -> bool {
    match json {
        J::String(s) => placeholder(s).is_none() && s.contains("${"),
        J::Array(a) => a.iter().any(|v| has_user_dollar(v, placeholder)),
        J::Object(m) => m
            .iter()
            .any(|(k, v)| k.contains("${") || has_user_dollar(v, placeholder)),
        _ => false,
    }
}

/// `json` with each placeholder as `${Key}` and, when `escape`, each user `${` as `${!`.
fn rewrite<'a>(json: &J, placeholder: &impl Fn(&str) -> Option<&'a str>, escape: bool) -> J {
    let user = |s: &str| {
        if escape {
            s.replace("${", "${!")
        } else {
            s.to_string()
        }
    };
    match json {
        J::String(s) => match placeholder(s) {
            Some(key) => J::String(format!("${{{key}}}")),
            None => J::String(user(s)),
        },
        J::Array(a) => J::Array(a.iter().map(|v| rewrite(v, placeholder, escape)).collect()),
        J::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(user(k), rewrite(v, placeholder, escape));
            }
            J::Object(out)
        }
        other => other.clone(),
    }
}
