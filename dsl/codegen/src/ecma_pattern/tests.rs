use super::*;
use crate::ecma::compile;

fn load() -> BTreeMap<String, Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    crate::schemas::load(&root).expect("vendored schemas")
}

#[test]
fn every_schema_pattern_compiles_or_is_listed_with_its_reason() {
    let schemas = load();
    let all = schema_patterns(&schemas);
    let failing = failing(&schemas);
    let listed = unexpressible().unwrap();
    let compiled = all.len() - failing.len();
    eprintln!(
        "{} patterns, {compiled} compile, {} listed",
        all.len(),
        listed.len()
    );
    for (p, e) in &failing {
        eprintln!("FAIL {p:?}: {e}");
    }
    assert!(all.len() > 3000, "{}", all.len());
    assert_eq!(
        failing.keys().collect::<Vec<_>>(),
        listed.keys().collect::<Vec<_>>()
    );
    assert_eq!(compiled + listed.len(), all.len());
    verify(&schemas).unwrap();
}

fn matches(pattern: &str, text: &str) -> bool {
    compile(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .is_match(text)
        .unwrap()
}

/// `AWS::EC2::SecurityGroup.GroupDescription`: `[` inside a class is a literal in ECMA.
#[test]
fn a_bracket_in_a_class_is_a_literal() {
    const P: &str = r"^([a-z,A-Z,0-9,. _\-:/()#,@[\]+=&;\{\}!$*])*$";
    assert!(matches(P, "web [80] {tls}: a-b/c (d) #1 @x +=&;!$*"));
    assert!(!matches(P, "Zugriff für Lambda"));
    assert!(!matches(P, "tab\there"));
    assert!(!matches(P, "a|b"));
}

/// `\d`, `\w`, `\s` are ASCII (and ECMA's white space) in and out of classes.
#[test]
fn class_escapes_are_ascii() {
    assert!(matches(r"^\d*$", "0123456789"));
    assert!(!matches(r"^\d*$", "٥٤٣٢"));
    assert!(!matches(r"^[\d]+$", "٥"));
    assert!(!matches(r"^\w+$", "für"));
    assert!(matches(r"^\W$", "ü"));
    assert!(matches(r"^[^\w]$", "ü"));
    assert!(matches(r"^\s$", "\u{feff}"));
    assert!(!matches(r"^\s$", "\u{85}"));
    assert!(matches(r"^[\S]+$", "a\u{85}"));
    assert!(matches(r"\bab\b", "x ab y"));
    assert!(!matches(r"\bab\b", "xab"));
    assert!(matches(r"\bab\b", "éab"));
}

/// A `-` next to a class escape or at an end is a literal; other ranges stay ranges.
#[test]
fn dashes_in_classes() {
    assert!(matches(r"^[\w-.~]+$", "a-b.c~d"));
    assert!(!matches(r"^[\w-.~]+$", "a,b"));
    assert!(matches(r"^[a-zA-Z0-9\s-_()\[\]]+$", "A [b] (c)-_"));
    assert!(!matches(r"^[a-zA-Z0-9\s-_()\[\]]+$", "a*b"));
    assert!(matches(r"^[\p{L}\p{N}\p{Z}-_]*$", "Équipe 7-_"));
    assert!(!matches(r"^[a-c]$", "-"));
    assert!(matches(r"^[-a]$", "-"));
    assert!(matches(r"^[a-]$", "-"));
}

/// Surrogate escapes: a pair is one character; a class of high and low surrogates
/// matches the characters whose halves it holds; a lone surrogate matches nothing.
#[test]
fn surrogates_are_utf16_halves() {
    const XML: &str = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF\r\n\t]*$";
    assert!(matches(XML, "emoji 😀 ok\t"));
    assert!(!matches(XML, "bell \u{7}"));
    const ODD: &str = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
    assert!(matches(ODD, "plain text"));
    assert!(matches(ODD, "\u{10000}"));
    assert!(!matches(ODD, "😀"));
    assert!(matches(r"^\uD83D\uDE00$", "😀"));
    assert!(!matches(r"^a\uD83D$", "a"));
    assert!(matches(r"^[\x00-\x20\x7f-\uffff]+$", "\u{80}😀"));
    assert!(matches(r"^[^\x00-\x20\x7f-\uffff]+$", "abc"));
    assert!(!matches(r"^[^\x00-\x20\x7f-\uffff]+$", "a😀"));
}

/// Counted classes past fancy-regex's default size limit compile.
#[test]
fn large_counted_classes_compile() {
    assert!(matches(r"^[\w]{1,2048}$", "abc"));
    assert!(matches(r"^[^\p{C}]{1,2048}$", "Grüße"));
    assert!(!matches(r"^[^\p{C}]{1,2048}$", "a\u{0}"));
    assert!(!matches(r"^[^\p{C}]{1,2048}$", &"a".repeat(2049)));
    assert!(matches(r"^[^\p{C}]{1,2048}$", &"a".repeat(2048)));
    assert!(matches(r"^.{1,65535}$", "x"));
    assert!(!matches(r"^a{100}$", &"a".repeat(99)));
}

/// ECMA's `.` stops at its four line terminators; a brace that is no quantifier is a
/// literal; a quantified lookahead is the lookahead.
#[test]
fn dots_braces_and_quantified_assertions() {
    assert!(!matches(r"^.+$", "a\u{2028}b"));
    assert!(!matches(r"^.+$", "a\rb"));
    assert!(matches(r"^a{$", "a{"));
    assert!(matches(r"^a{2}$", "aa"));
    assert!(matches(r"^x}$", "x}"));
    const P: &str = r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$";
    assert!(matches(P, "/a/b"));
    assert!(!matches(P, "/.a"));
    assert!(matches(r"^(?=a)*b$", "b"));
    assert!(matches(r"(?<name>x)(?:y)(?<=y)(?<!z)", "xy"));
}

/// The patterns ECMA refuses are reported, not compiled into something else.
#[test]
fn invalid_ecma_is_an_error() {
    assert!(
        compile(r"[\uDC00-\uDBFF]")
            .unwrap_err()
            .contains("out of order")
    );
    assert!(compile(r"[z-a]").is_err());
    assert!(compile(r"ab\").is_err());
}
