//! What SSM refuses in an `AWS::SSM::Parameter`, on every parameter of the template (the
//! `StringParameter` construct writes them and checks none of this itself, so its
//! parameters and the generated `ssm::Parameter` are checked alike):
//!
//! - a `Name` SSM refuses ([`name_problems`]: letters, digits and `_.-/` only, fully
//!   qualified when in a hierarchy, at most 15 levels, no empty level, and not beginning
//!   with `aws` or `ssm` in any case, "Parameter names can't be prefixed with aws or ssm
//!   (case-insensitive)": AWS Systems Manager User Guide, "Parameter naming requirements
//!   and constraints"; PutParameter refuses it with a ValidationException);
//! - a `Value` empty or longer than its tier holds (4 KB `Standard`, 8 KB `Advanced` or
//!   `Intelligent-Tiering`: "Managing parameter tiers");
//! - a `Value` its own `AllowedPattern` does not match (PutParameter refuses it).
//!
//! Literal values only (each literal branch of an `Fn::If` for the name); a computed one,
//! or a name holding a dynamic reference, is left to SSM.

use crate::constructs::grants::parameter::name_problems;
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;

use super::paths::literal;
use super::schedules::literal_texts;

/// Bytes a `Standard` parameter's value may hold; an `Advanced` one holds 8 KB (AWS
/// Systems Manager User Guide, "Managing parameter tiers").
const STANDARD_MAX_BYTES: usize = 4 * 1024;
/// Bytes an `Advanced` parameter's value may hold.
const ADVANCED_MAX_BYTES: usize = 8 * 1024;

/// Checks every `AWS::SSM::Parameter`.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::SSM::Parameter") {
        let id = &*r.entry.target.id;
        for name in r.field("Name").map(literal_texts).unwrap_or_default() {
            let problems = name_problems(name);
            if !problems.is_empty() {
                diags.push(Diagnostic::error(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of parameter `{id}` {}, so PutParameter refuses it",
                        name.escape_debug(),
                        problems.join("; ")
                    ),
                    "name it with letters, digits and `_.-/`, beginning with `/` when it has one (`/app/api/url`), not beginning with `aws` or `ssm`",
                ));
            }
        }
        let Some(value) = r.field("Value").and_then(literal) else {
            continue;
        };
        if value.contains("{{resolve:") {
            continue;
        }
        let advanced = matches!(
            r.field("Tier").and_then(literal),
            Some("Advanced" | "Intelligent-Tiering")
        );
        let max = if advanced {
            ADVANCED_MAX_BYTES
        } else {
            STANDARD_MAX_BYTES
        };
        if value.is_empty() || value.len() > max {
            diags.push(Diagnostic::error(
                Location::property(id, "Value"),
                format!(
                    "the value of parameter `{id}` is {} bytes long, but its tier holds 1 to {max}",
                    value.len()
                ),
                "give a value of at least one byte; above 4 KB set the tier to `Advanced` (up to 8 KB); larger belongs in S3",
            ));
        }
        if let Some(pattern) = r.field("AllowedPattern").and_then(literal)
            && !matches_pattern(pattern, value)
        {
            diags.push(Diagnostic::error(
                Location::property(id, "Value"),
                format!(
                    "the value of parameter `{id}` does not match its own allowed pattern `{}`, so SSM would refuse it",
                    pattern.escape_debug()
                ),
                "give a value the pattern matches, or widen the allowed pattern",
            ));
        }
    }
}

/// Whether `value` may match the Java `pattern`: `false` only when it surely does not.
/// SSM's patterns are Java regexes, read here with their Java meaning
/// ([`java_pattern`]): one this crate's matcher cannot compile, or that runs past its
/// backtracking limit, is left to SSM (no false error).
fn matches_pattern(pattern: &str, value: &str) -> bool {
    let Some(rust) = java_pattern(pattern, value) else {
        return true;
    };
    let Ok(re) = fancy_regex::Regex::new(&rust) else {
        return true;
    };
    !matches!(re.is_match(value), Ok(false))
}

/// The Java `pattern` in fancy-regex syntax with Java's meaning, for matching `value`;
/// `None` where this cannot be told (the check is then left to SSM).
///
/// Java's classes are ASCII unless the pattern asks otherwise (`java.util.regex.Pattern`:
/// `\d` is `[0-9]`, `\s` is `[ \t\n\x0B\f\r]`, `\w` is `[a-zA-Z_0-9]`, the POSIX
/// `\p{Alpha}` and the like are US-ASCII only; `(?i)` folds ASCII letters only), where
/// fancy-regex's are Unicode: each is written as its ASCII class. What has no exact
/// translation makes this `None`: a negated class escape inside a class (`[^\D]`), the
/// `U` flag (Java's Unicode classes, fancy-regex's swapped greed), and, for a value or
/// pattern with characters outside ASCII, `\b`, `\B` and `(?i)`; and for a value holding
/// a line terminator `.` does not take in Java but does in fancy-regex (`\r`, U+0085,
/// U+2028, U+2029), any pattern; and `[:` (Java's `[[:digit:]]` is a class of five
/// characters, fancy-regex's a POSIX class).
///
/// Java's `$` (without `MULTILINE`) and `\Z` match at the end of the input and also
/// before a final line terminator (`java.util.regex.Pattern`, "Line terminators"), where
/// fancy-regex's `$` matches only at the end and its `\Z` before any number of final
/// newlines: both are written `(?=\n?\z)` (the other terminators make this `None`
/// above). A pattern turning `MULTILINE` on (`(?m)`) and using `$` is left to SSM.
fn java_pattern(pattern: &str, value: &str) -> Option<String> {
    if value.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    let ascii = value.is_ascii() && pattern.is_ascii();
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    // Java's end of input or before a final line terminator (`\n`, the others refused).
    const JAVA_END: &str = r"(?=\n?\z)";
    let (mut multiline, mut dollar) = (false, false);
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let e = *chars.get(i)?;
                i += 1;
                let class = |set: &str, negated: bool| -> Option<String> {
                    match (depth > 0, negated) {
                        (true, true) => None,
                        (true, false) => Some(set.to_string()),
                        (false, true) => Some(format!("[^{set}]")),
                        (false, false) => Some(format!("[{set}]")),
                    }
                };
                let set = match e.to_ascii_lowercase() {
                    'd' => Some("0-9"),
                    's' => Some(r" \t\n\x0B\f\r"),
                    'w' => Some("a-zA-Z_0-9"),
                    _ => None,
                };
                if let Some(set) = set {
                    out.push_str(&class(set, e.is_ascii_uppercase())?);
                } else if e == 'p' || e == 'P' {
                    // `\p{Name}`: the POSIX names are ASCII; others (`\p{L}`) pass as they are.
                    let posix = if chars.get(i) == Some(&'{') {
                        let end = chars[i..].iter().position(|&c| c == '}')? + i;
                        let name: String = chars[i + 1..end].iter().collect();
                        posix_class(&name).map(|set| (set, end + 1))
                    } else {
                        None
                    };
                    match posix {
                        Some((set, next)) => {
                            out.push_str(&class(set, e == 'P')?);
                            i = next;
                        }
                        None => {
                            out.push('\\');
                            out.push(e);
                        }
                    }
                } else if (e == 'b' || e == 'B') && !ascii {
                    return None;
                } else if e == 'Z' && depth == 0 {
                    out.push_str(JAVA_END);
                } else {
                    out.push('\\');
                    out.push(e);
                }
            }
            '[' => {
                // Java reads `[[:digit:]]` as a class of five characters, fancy-regex as
                // a POSIX class.
                if chars[i..].starts_with(&[':']) || chars[i..].starts_with(&['^', ':']) {
                    return None;
                }
                depth += 1;
                out.push(c);
                // A `]` first in a class (after `^`) is a literal in Java.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str(r"\]");
                    i += 1;
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            '(' if depth == 0 && chars.get(i) == Some(&'?') => {
                let flags: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic() || **c == '-')
                    .collect();
                if flags.contains('U') || (flags.contains('i') && !ascii) {
                    return None;
                }
                multiline |= flags.split('-').next().is_some_and(|on| on.contains('m'));
                out.push(c);
            }
            '$' if depth == 0 => {
                dollar = true;
                out.push_str(JAVA_END);
            }
            _ => out.push(c),
        }
    }
    if multiline && dollar {
        return None;
    }
    Some(out)
}

/// The US-ASCII set of Java's POSIX class `\p{name}` (`java.util.regex.Pattern`, "POSIX
/// character classes (US-ASCII only)"), written for a character class.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => r"!-/\x3A-@\[-`{-~",
        "Graph" => r"!-~",
        "Print" => r" -~",
        "Blank" => r" \t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => r" \t\n\x0B\f\r",
        _ => return None,
    })
}
