//! Literal checks from the resource schemas, run at synth on literal values; computed
//! values are recorded as [`Deferred`](crate::Deferred).

use crate::fast_hash::FastMap;
use std::sync::{Mutex, OnceLock};

mod ecma;
mod format;
mod simple;

pub use format::StringFormat;

/// One constraint from a resource schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// At least this value.
    Minimum(f64),
    /// At most this value.
    Maximum(f64),
    /// At least this many items.
    MinItems(u64),
    /// At most this many items.
    MaxItems(u64),
    /// No two items of a list are equal (`uniqueItems: true`): the items synth can compare
    /// are the literal ones (see `synth::unique`); an item computed at deploy is let through.
    UniqueItems,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// One of these numbers (an `enum` or `const` of numbers: Logs' `RetentionInDays` takes
    /// 22 day counts, CloudFront's `ErrorCode` the HTTP codes it serves pages for). A number
    /// written as a string is read as CloudFormation reads it.
    OneOfNumbers(&'static [f64]),
    /// Matches this regular expression (ECMA syntax, as the schemas write them).
    Pattern(&'static str),
    /// Is a value of this string format (the schema's `format`).
    Format(StringFormat),
    /// A map has at least this many entries (`minProperties`).
    MinEntries(u64),
    /// A map has at most this many entries (`maxProperties`, or `maxItems` where a schema
    /// puts it on a map, as `AWS::SSM::Parameter.Tags` does).
    MaxEntries(u64),
    /// Every key of a map matches this regular expression: the map's one
    /// `patternProperties` key where `additionalProperties` is false, so no other key is
    /// valid. Matched as JSON Schema matches it: anywhere in the key unless anchored.
    KeyPattern(&'static str),
    /// A whole multiple of this step (`multipleOf`: CloudFront's TTLs are whole seconds).
    MultipleOf(f64),
    /// Greater than this value (`exclusiveMinimum`).
    ExclusiveMinimum(f64),
    /// Less than this value (`exclusiveMaximum`).
    ExclusiveMaximum(f64),
    /// None of these strings (`not: {enum: [...]}`, such as RDS's reserved user name
    /// `rdsadmin`).
    NoneOf(&'static [&'static str]),
    /// At least `n` of an object's fixed properties `of` are set (`minProperties` on an
    /// object with `properties`, as CloudWatch Logs' transformer `Processor` states).
    ///
    /// Set means present with a value: a literal or an intrinsic (CloudFormation resolves
    /// it to a value, so the key stays); `AWS::NoValue` and JSON `null` are not set (the
    /// former removes the key, the latter is no value). An `Fn::If` member may be either.
    MinSet {
        /// The bound.
        n: u64,
        /// The properties that count, by CloudFormation name.
        of: &'static [&'static str],
    },
    /// At most `n` of an object's fixed properties `of` are set (`maxProperties` on an
    /// object with `properties`); "set" as for [`Check::MinSet`].
    MaxSet {
        /// The bound.
        n: u64,
        /// The properties that count, by CloudFormation name.
        of: &'static [&'static str],
    },
}

/// A constraint on the property at `path`: property names joined by `/`, with `*` for
/// every item of a list or every value of a map (such as `Tags/*/Key`), or an index for
/// one item of a list (a schema's `prefixItems`: `KeySchema/0/KeyType`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constraint {
    /// Where the constraint applies.
    pub path: &'static str,
    /// What it requires.
    pub check: Check,
}

impl Check {
    /// How the check reads in messages.
    pub fn describe(&self) -> String {
        match self {
            Check::MinLength(n) => format!("length at least {n}"),
            Check::MaxLength(n) => format!("length at most {n}"),
            Check::Minimum(n) => format!("value at least {n}"),
            Check::Maximum(n) => format!("value at most {n}"),
            Check::MinItems(n) => format!("at least {n} items"),
            Check::MaxItems(n) => format!("at most {n} items"),
            Check::UniqueItems => "no repeated items".to_string(),
            Check::OneOf(values) => format!("one of {}", values.join(", ")),
            Check::OneOfNumbers(values) => {
                let values: Vec<String> = values.iter().map(f64::to_string).collect();
                format!("one of {}", values.join(", "))
            }
            Check::Pattern(p) => format!("matching `{p}`"),
            Check::Format(f) => format!("format {} (such as {})", f.name(), f.example()),
            Check::MinEntries(n) => format!("at least {n} entries"),
            Check::MaxEntries(n) => format!("at most {n} entries"),
            Check::KeyPattern(p) => format!("keys matching `{p}`"),
            Check::MultipleOf(n) => format!("a multiple of {n}"),
            Check::ExclusiveMinimum(n) => format!("value greater than {n}"),
            Check::ExclusiveMaximum(n) => format!("value less than {n}"),
            Check::NoneOf(values) => format!("none of {}", values.join(", ")),
            Check::MinSet { n, of } => format!("at least {n} of {} set", of.join(", ")),
            Check::MaxSet { n, of } => format!("at most {n} of {} set", of.join(", ")),
        }
    }

    /// Whether a literal passes; `None` when this check does not apply to it or cannot be
    /// evaluated offline (a pattern the regex engine does not support).
    pub(crate) fn passes(&self, value: &serde_json::Value) -> Option<bool> {
        use serde_json::Value as J;
        match (self, value) {
            (Check::MinLength(n), J::String(s)) => Some(s.chars().count() as u64 >= *n),
            (Check::MaxLength(n), J::String(s)) => Some(s.chars().count() as u64 <= *n),
            (Check::Minimum(n), v) => number(v).map(|x| x >= *n),
            (Check::Maximum(n), v) => number(v).map(|x| x <= *n),
            (Check::MinItems(n), J::Array(a)) => Some(a.len() as u64 >= *n),
            (Check::MaxItems(n), J::Array(a)) => Some(a.len() as u64 <= *n),
            (Check::OneOf(values), J::String(s)) => Some(values.contains(&s.as_str())),
            (Check::OneOfNumbers(values), v) => number(v).map(|x| values.contains(&x)),
            (Check::Pattern(p), J::String(s)) => pattern_matches(p, s),
            (Check::Format(f), J::String(s)) => Some(f.admits(s)),
            (Check::MultipleOf(n), v) => number(v).map(|x| multiple_of(x, *n)),
            (Check::ExclusiveMinimum(n), v) => number(v).map(|x| x > *n),
            (Check::ExclusiveMaximum(n), v) => number(v).map(|x| x < *n),
            (Check::NoneOf(values), J::String(s)) => Some(!values.contains(&s.as_str())),
            (Check::MinEntries(n), J::Object(m)) => Some(m.len() as u64 >= *n),
            (Check::MaxEntries(n), J::Object(m)) => Some(m.len() as u64 <= *n),
            (Check::MinSet { .. } | Check::MaxSet { .. }, J::Object(m)) => {
                let set = m.iter().filter(|(k, v)| self.counts_key(k) && !v.is_null());
                let n = set.count();
                self.set_passes(n, n)
            }
            _ => None,
        }
    }

    /// Whether a map's key passes a [`Check::KeyPattern`]; `None` for any other check, or a
    /// pattern the regex engine does not support.
    pub(crate) fn key_passes(&self, key: &str) -> Option<bool> {
        match self {
            Check::KeyPattern(p) => pattern_matches(p, key),
            _ => None,
        }
    }

    /// Why synth cannot evaluate this check on any value: a pattern that is not valid
    /// ECMA-262 (the generator lists the few the schemas have, with their reasons, in
    /// `dsl/codegen/data/unexpressible_patterns.json`). `None` for every other check.
    pub(crate) fn unchecked(&self) -> Option<String> {
        match self {
            Check::Pattern(p) | Check::KeyPattern(p) => pattern_error(p),
            _ => None,
        }
    }

    /// Whether the check counts a list's items or a map's entries (so a message gives the
    /// count, not the whole value, and a list built item by item is counted too).
    pub(crate) fn counts(&self) -> bool {
        matches!(
            self,
            Check::MinItems(_) | Check::MaxItems(_) | Check::MinEntries(_) | Check::MaxEntries(_)
        )
    }

    /// Whether an object with between `least` and `most` of the properties a
    /// [`Check::MinSet`] or [`Check::MaxSet`] counts passes it: fails only when every
    /// outcome fails (an `Fn::If` member may resolve to `AWS::NoValue`). `None` for other
    /// checks.
    pub(crate) fn set_passes(&self, least: usize, most: usize) -> Option<bool> {
        let (least, most) = (least as u64, most as u64);
        match self {
            Check::MinSet { n, .. } => Some(most >= *n),
            Check::MaxSet { n, .. } => Some(least <= *n),
            _ => None,
        }
    }

    /// Whether property `key` is one a [`Check::MinSet`] or [`Check::MaxSet`] counts
    /// (`false` for other checks).
    pub(crate) fn counts_key(&self, key: &str) -> bool {
        match self {
            Check::MinSet { of, .. } | Check::MaxSet { of, .. } => of.contains(&key),
            _ => false,
        }
    }

    /// Whether `n` items or entries pass a counting check, knowing only that the value
    /// has between `least` and `most` of them (an `Fn::If` item may resolve to
    /// `AWS::NoValue`): fails only when every outcome fails. `None` for other checks.
    pub(crate) fn count_passes(&self, least: usize, most: usize, map: bool) -> Option<bool> {
        let (least, most) = (least as u64, most as u64);
        match (self, map) {
            (Check::MinItems(n), false) | (Check::MinEntries(n), true) => Some(most >= *n),
            (Check::MaxItems(n), false) | (Check::MaxEntries(n), true) => Some(least <= *n),
            _ => None,
        }
    }
}

/// Whether `x` is a whole multiple of `step`, up to the rounding of decimal steps in
/// binary (`3 / 0.1` is 29.999999999999996); a step that is not positive passes all.
fn multiple_of(x: f64, step: f64) -> bool {
    if step <= 0.0 || !step.is_finite() || !x.is_finite() {
        return step <= 0.0 || !step.is_finite();
    }
    let q = x / step;
    (q - q.round()).abs() <= 1e-9 * q.abs().max(1.0)
}

/// Numbers may be written as strings in CloudFormation.
fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A pattern's matcher (or why it does not compile) and its verdicts on the texts already
/// checked: a stack repeats the same literal in many resources (a runtime, a
/// handler, a method), and the regex engine costs far more than a lookup.
///
/// A pattern in the subset [`simple`] reads is matched by it, without the regex engine
/// (which an app process would compile for it on first use, at tens of thousands of
/// instructions a pattern). The engine is fancy-regex: the schemas' patterns are ECMA-262
/// (JSON Schema), and lookaround (`^(?!^[0-9]+$)...`, a Lambda alias name) and Unicode
/// property classes (`\p{L}`, IAM tag values) are common in them; [`ecma::translate`]
/// writes them in its syntax. A match that exceeds its backtracking limit gives no verdict.
struct Compiled {
    /// The pattern as [`simple`] reads it, when it is in that subset.
    simple: Option<simple::Simple>,
    /// The engine's program (or why it does not compile), built on first need.
    engine: Option<Result<fancy_regex::Regex, String>>,
    /// The verdicts so far.
    verdicts: FastMap<Box<str>, bool>,
}

impl Compiled {
    fn new(pattern: &str) -> Compiled {
        Compiled {
            simple: simple::Simple::parse(pattern),
            engine: None,
            verdicts: FastMap::default(),
        }
    }

    fn engine(&mut self, pattern: &str) -> &Result<fancy_regex::Regex, String> {
        self.engine.get_or_insert_with(|| ecma::compile(pattern))
    }
}

type RegexCache = Mutex<FastMap<&'static str, Compiled>>;

/// Verdicts kept per pattern, so a stack of many distinct values cannot grow the cache
/// without bound; past it, texts are matched without being remembered.
const VERDICTS_PER_PATTERN: usize = 1024;

/// Runs `f` on the pattern's cache entry, made on first use.
fn compiled<T>(pattern: &'static str, f: impl FnOnce(&mut Compiled) -> T) -> T {
    static CACHE: OnceLock<RegexCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(FastMap::default()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    f(cache
        .entry(pattern)
        .or_insert_with(|| Compiled::new(pattern)))
}

/// Why `pattern` cannot be checked, if it cannot: one [`simple`] reads is valid ECMA-262
/// (its tests compile every schema pattern it reads with the engine too).
fn pattern_error(pattern: &'static str) -> Option<String> {
    compiled(pattern, |c| {
        if c.simple.is_some() {
            return None;
        }
        c.engine(pattern).as_ref().err().cloned()
    })
}

fn pattern_matches(pattern: &'static str, text: &str) -> Option<bool> {
    compiled(pattern, |c| {
        if let Some(&verdict) = c.verdicts.get(text) {
            return Some(verdict);
        }
        // `None` for a text outside what the subset matches exactly: the engine decides.
        let verdict = match c.simple.as_ref().and_then(|s| s.is_match(text)) {
            Some(verdict) => verdict,
            None => c.engine(pattern).as_ref().ok()?.is_match(text).ok()?,
        };
        if c.verdicts.len() < VERDICTS_PER_PATTERN {
            c.verdicts.insert(text.into(), verdict);
        }
        Some(verdict)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A remembered verdict is the engine's own, on the first and on later checks of a
    /// text, and past the bound of remembered texts too.
    #[test]
    fn pattern_verdicts_are_the_engines_whether_remembered_or_not() {
        // Lookahead: outside the subset `simple` reads, so the engine's.
        const PATTERN: &str = "^(?=[a-z])[a-z]+[0-9]*$";
        assert!(simple::Simple::parse(PATTERN).is_none());
        let re = fancy_regex::Regex::new(PATTERN).unwrap();
        let texts: Vec<String> = (0..VERDICTS_PER_PATTERN + 50)
            .map(|i| {
                if i % 3 == 0 {
                    format!("Bad {i}")
                } else {
                    format!("ok{i}")
                }
            })
            .collect();
        for _ in 0..2 {
            for t in &texts {
                assert_eq!(pattern_matches(PATTERN, t), re.is_match(t).ok(), "{t}");
            }
        }
        // A pattern the engine does not support is not evaluated.
        assert_eq!(pattern_matches("(unclosed", "("), None);
    }

    /// A pattern in the subset `simple` reads is matched without compiling the engine,
    /// with the engine's verdicts; a text outside what the subset matches exactly (a
    /// character outside the BMP) goes to the engine.
    #[test]
    fn simple_patterns_are_matched_without_the_engine() {
        const PATTERN: &str = "^[^\\s]+x$";
        for (text, verdict) in [("ab-x", true), ("a bx", false), ("x", false)] {
            assert_eq!(pattern_matches(PATTERN, text), Some(verdict), "{text}");
        }
        assert!(compiled(PATTERN, |c| c.simple.is_some() && c.engine.is_none()));
        assert_eq!(Check::Pattern(PATTERN).unchecked(), None);
        assert_eq!(pattern_matches(PATTERN, "😀x"), Some(true));
        assert!(compiled(PATTERN, |c| c
            .engine
            .as_ref()
            .is_some_and(|e| e.is_ok())));
    }

    /// A literal object passes a set-count check by the listed properties it gives a
    /// value: `null` and keys the object does not define do not count.
    #[test]
    fn set_counts_read_listed_properties_with_a_value() {
        let one = Check::MaxSet {
            n: 1,
            of: &["A", "B"],
        };
        let two = Check::MinSet {
            n: 2,
            of: &["A", "B"],
        };
        let value = serde_json::json!({"A": 1, "B": null, "C": 3});
        assert_eq!(one.passes(&value), Some(true));
        assert_eq!(two.passes(&value), Some(false));
        let both = serde_json::json!({"A": 1, "B": 2});
        assert_eq!(one.passes(&both), Some(false));
        assert_eq!(two.passes(&both), Some(true));
        assert_eq!(one.passes(&serde_json::json!("A")), None);
        assert_eq!(
            two.describe(),
            "at least 2 of A, B set",
            "the message names the bound and the properties that count"
        );
    }

    /// CloudFront's whole-second TTLs, a decimal step, exclusive bounds and reserved names.
    #[test]
    fn multiples_exclusive_bounds_and_excluded_values() {
        use serde_json::json;
        let whole = Check::MultipleOf(1.0);
        assert_eq!(whole.passes(&json!(1.5)), Some(false));
        assert_eq!(whole.passes(&json!(86400)), Some(true));
        assert_eq!(whole.passes(&json!("10.25")), Some(false));
        let tenth = Check::MultipleOf(0.1);
        assert_eq!(tenth.passes(&json!(3)), Some(true));
        assert_eq!(tenth.passes(&json!(0.3)), Some(true));
        assert_eq!(tenth.passes(&json!(0.35)), Some(false));
        assert_eq!(
            Check::ExclusiveMaximum(100.0).passes(&json!(100)),
            Some(false)
        );
        assert_eq!(
            Check::ExclusiveMaximum(100.0).passes(&json!(99.5)),
            Some(true)
        );
        assert_eq!(Check::ExclusiveMinimum(0.0).passes(&json!(0)), Some(false));
        let reserved = Check::NoneOf(&["rdsadmin"]);
        assert_eq!(reserved.passes(&json!("rdsadmin")), Some(false));
        assert_eq!(reserved.passes(&json!("app")), Some(true));
    }

    /// A number the schema lists passes, written as a number or a string; another fails
    /// (Logs' retention of 42 days, which CloudFormation refuses); a value that is no
    /// number is not this check's.
    #[test]
    fn listed_numbers_admit_only_themselves() {
        use serde_json::json;
        let retention = Check::OneOfNumbers(&[1.0, 3.0, 5.0, 7.0, 14.0]);
        assert_eq!(retention.passes(&json!(14)), Some(true));
        assert_eq!(retention.passes(&json!("7")), Some(true));
        assert_eq!(retention.passes(&json!(42)), Some(false));
        assert_eq!(retention.passes(&json!("42")), Some(false));
        assert_eq!(retention.passes(&json!(true)), None);
        assert_eq!(retention.describe(), "one of 1, 3, 5, 7, 14");
    }

    /// The schema features regex-lite lacked are evaluated: lookahead (Lambda's alias
    /// name), lookbehind, Unicode property classes (IAM's tag values), a backreference.
    #[test]
    fn lookaround_unicode_classes_and_backreferences_are_evaluated() {
        const ALIAS: &str = "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$";
        assert_eq!(pattern_matches(ALIAS, "live"), Some(true));
        assert_eq!(pattern_matches(ALIAS, "42"), Some(false));
        const TAG: &str = "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$";
        assert_eq!(pattern_matches(TAG, "équipe 7"), Some(true));
        assert_eq!(pattern_matches(TAG, "a#b"), Some(false));
        assert_eq!(pattern_matches("(?<=x)y", "xy"), Some(true));
        assert_eq!(pattern_matches("^(a)\\1$", "ab"), Some(false));
    }
}
