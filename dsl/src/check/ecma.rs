//! The registry schemas' `pattern`s are ECMA-262 regular expressions (JSON Schema's
//! dialect); synth matches them with fancy-regex, whose syntax differs. [`translate`] writes
//! an ECMA pattern in fancy-regex syntax with ECMA's meaning, [`compile`] builds it.
//!
//! What differs, and how it is translated:
//! - `\d`, `\w`, `\s`, `\b` are ASCII in ECMA (`\s`: ECMA's white space and line
//!   terminators), Unicode-aware in fancy-regex: written as explicit classes.
//! - `.` excludes ECMA's four line terminators, not only `\n`.
//! - In a class, `[` is a literal and a `-` next to a class escape (`[\w-.]`) or at either
//!   end is a literal; fancy-regex reads `[` as a nested class and `\w-.` as an error.
//! - `\uD83D\uDE00` is one character written as UTF-16 surrogates; ECMA (without the `u`
//!   flag) matches code units, so a class with high surrogates H and low surrogates L
//!   matches the characters whose two halves are in H and L. Rust strings hold no lone
//!   surrogates, so a surrogate no pair completes matches nothing.
//! - A `{` or `}` that is no quantifier is a literal (ECMA Annex B).
//!
//! Every literal is written as `\x{…}` (or as itself when alphanumeric), so no character
//! means something else in the target syntax. The schemas' `\Z`, `\A` and `\p{…}` (Python
//! and Java spellings their authors use) keep those languages' meanings. This file is
//! included by the generator too (`dsl/codegen`), which refuses to generate while any
//! schema pattern does not compile through it.

/// The compiled-program size limit: counted repetitions of classes (`^.{1,65535}$`,
/// `[\p{L}\p{N}]{0,1024}`) exceed fancy-regex's default of 10 MB.
pub const SIZE_LIMIT: usize = 1 << 30;

/// Compiles an ECMA-262 `pattern` with fancy-regex.
///
/// # Errors
/// The reason, when the pattern is not valid ECMA-262 or its translation does not
/// compile.
pub fn compile(pattern: &str) -> Result<fancy_regex::Regex, String> {
    let rust = translate(pattern)?;
    fancy_regex::RegexBuilder::new(&rust)
        .delegate_size_limit(SIZE_LIMIT)
        .delegate_dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| format!("{e}"))
}

/// `pattern` in fancy-regex syntax, such as `^[0-9]*$` for `^\d*$`.
///
/// # Errors
/// A pattern ECMA-262 refuses (a class range out of order, a dangling `\`) or one this
/// translation does not handle (a negated class of surrogates).
pub fn translate(pattern: &str) -> Result<String, String> {
    let mut t = Translator {
        p: pattern.chars().collect(),
        i: 0,
        out: String::with_capacity(pattern.len() * 2),
        groups: Vec::new(),
    };
    t.run()?;
    Ok(t.out)
}

/// A count above which a repeated character is looped over rather than unrolled.
const UNROLLED: u64 = 64;

/// Whether a quantifier (`{n}`, `{n,}`, `{n,m}`) counts past [`UNROLLED`].
fn large(quantifier: &str) -> bool {
    quantifier
        .trim_matches(['{', '}'])
        .split(',')
        .filter_map(|n| n.parse::<u64>().ok())
        .any(|n| n > UNROLLED)
}

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
/// ECMA-262's WhiteSpace and LineTerminator code points.
const SPACE: &str = r"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
/// Matches nothing (a class with no member).
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";
/// Ranges of code units, inclusive.
type Units = Vec<(u32, u32)>;
const HIGH: (u32, u32) = (0xD800, 0xDBFF);
const LOW: (u32, u32) = (0xDC00, 0xDFFF);

struct Translator {
    p: Vec<char>,
    i: usize,
    out: String,
    /// The open groups: where each starts in `out`, and whether it is a lookaround.
    groups: Vec<(usize, bool)>,
}

/// One member of a class: a code unit or code point, or a set written in the target
/// syntax (`0-9`, `\p{L}`, `[^0-9]`).
enum Atom {
    Unit(u32),
    Set(String),
}

fn literal(out: &mut String, c: u32) {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii_alphanumeric() => out.push(ch),
        _ => out.push_str(&format!("\\x{{{c:X}}}")),
    }
}

fn is_surrogate(c: u32) -> bool {
    (0xD800..=0xDFFF).contains(&c)
}

fn pair(high: u32, low: u32) -> u32 {
    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
}

impl Translator {
    fn peek(&self, k: usize) -> Option<char> {
        self.p.get(self.i + k).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        // Where the last single-character atom starts in `out`, for a large count on it.
        let mut atom = None;
        while let Some(c) = self.peek(0) {
            self.i += 1;
            let start = self.out.len();
            let previous = atom;
            atom = matches!(c, '\\' | '[' | '.').then_some(start);
            match c {
                '\\' => self.escape()?,
                '[' => self.class()?,
                '.' => self.out.push_str(r"[^\x{A}\x{D}\x{2028}\x{2029}]"),
                '(' => {
                    let look = self.p[self.i..].starts_with(&['?', '='])
                        || self.p[self.i..].starts_with(&['?', '!'])
                        || self.p[self.i..].starts_with(&['?', '<', '='])
                        || self.p[self.i..].starts_with(&['?', '<', '!']);
                    self.groups.push((self.out.len(), look));
                    self.group();
                }
                ')' => {
                    self.out.push(')');
                    if let Some((start, true)) = self.groups.pop() {
                        self.quantified_assertion(start);
                    }
                }
                '{' => match self.quantifier() {
                    Some(q) => {
                        if let Some(from) = previous.filter(|_| large(&q)) {
                            // The engine would compile the atom once per count (over its
                            // size limit, slowly); as an atomic group, which means the
                            // same for one character, fancy-regex loops over it instead.
                            self.out.insert_str(from, "(?>");
                            self.out.push(')');
                        }
                        self.out.push_str(&q);
                    }
                    None => literal(&mut self.out, '{' as u32),
                },
                '^' | '$' | '*' | '+' | '?' | '|' => self.out.push(c),
                other => {
                    atom = Some(start);
                    literal(&mut self.out, other as u32);
                }
            }
        }
        Ok(())
    }

    /// After `(`: a group's opening as written (`(?:`, `(?=`, `(?<!`, `(?<name>`, `(?i)`).
    fn group(&mut self) {
        self.out.push('(');
        if self.peek(0) != Some('?') {
            return;
        }
        let stop = |c: char| matches!(c, ':' | '=' | '!' | '>' | ')');
        while let Some(c) = self.peek(0) {
            self.out.push(c);
            self.i += 1;
            // `(?<=` and `(?<!` end at their second sign, `(?<name>` at `>`.
            if stop(c) || !(c.is_ascii_alphanumeric() || matches!(c, '?' | '<' | '-' | '_')) {
                return;
            }
        }
    }

    /// After a lookaround's `)`: ECMA (Annex B) lets a lookahead take a quantifier, which
    /// fancy-regex refuses. An assertion repeated at least once is the assertion; one that
    /// may be repeated zero times always holds, so it is dropped (from `start` in `out`).
    fn quantified_assertion(&mut self, start: usize) {
        let min = match self.peek(0) {
            Some('*' | '?') => {
                self.i += 1;
                0
            }
            Some('+') => {
                self.i += 1;
                1
            }
            Some('{') => {
                self.i += 1;
                match self.quantifier() {
                    Some(q) => q[1..]
                        .split([',', '}'])
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(1),
                    None => {
                        self.i -= 1;
                        return;
                    }
                }
            }
            _ => return,
        };
        if self.peek(0) == Some('?') {
            self.i += 1;
        }
        if min == 0 {
            self.out.truncate(start);
        }
    }

    /// After `{`: `{n}`, `{n,}` or `{n,m}` (and a lazy `?` is copied by the caller), or
    /// `None` when the brace is a literal.
    fn quantifier(&mut self) -> Option<String> {
        let end = self.p[self.i..].iter().take(24).position(|c| *c == '}')?;
        let body: String = self.p[self.i..self.i + end].iter().collect();
        let body = body.as_str();
        let (lo, hi) = match body.split_once(',') {
            Some((lo, hi)) => (lo, Some(hi)),
            None => (body, None),
        };
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(lo) || hi.is_some_and(|h| !h.is_empty() && !digits(h)) {
            return None;
        }
        self.i += end + 1;
        Some(format!("{{{body}}}"))
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let s: String = self.p.get(self.i..self.i + n)?.iter().collect();
        if s.len() != n || !s.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += n;
        u32::from_str_radix(&s, 16).ok()
    }

    /// `\u{…}` is not ECMA without the `u` flag, but `\uXXXX` is; a bad one is `u`.
    fn unit_escape(&mut self) -> u32 {
        self.hex(4).unwrap_or('u' as u32)
    }

    /// A `\p{…}` or `\P{…}` (after the letter), as written.
    fn property(&mut self, letter: char) -> Result<String, String> {
        if self.peek(0) != Some('{') {
            return Err(format!("`\\{letter}` without a `{{name}}`"));
        }
        let close = self.p[self.i..]
            .iter()
            .position(|c| *c == '}')
            .ok_or_else(|| format!("unclosed `\\{letter}{{`"))?;
        let name: String = self.p[self.i + 1..self.i + close].iter().collect();
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '=')
        {
            return Err(format!("property name `{name}`"));
        }
        self.i += close + 1;
        Ok(format!("\\{letter}{{{name}}}"))
    }

    /// An escape read in a class or out of one: a code unit, or a set.
    fn escape_atom(&mut self, in_class: bool) -> Result<Atom, String> {
        let c = self.peek(0).ok_or("a `\\` at the end")?;
        self.i += 1;
        Ok(match c {
            'd' => Atom::Set(DIGIT.into()),
            'w' => Atom::Set(WORD.into()),
            's' => Atom::Set(SPACE.into()),
            'D' => Atom::Set(format!("[^{DIGIT}]")),
            'W' => Atom::Set(format!("[^{WORD}]")),
            'S' => Atom::Set(format!("[^{SPACE}]")),
            'p' | 'P' => Atom::Set(self.property(c)?),
            'u' => Atom::Unit(self.unit_escape()),
            'x' => Atom::Unit(self.hex(2).unwrap_or('x' as u32)),
            'n' => Atom::Unit(0xA),
            'r' => Atom::Unit(0xD),
            't' => Atom::Unit(0x9),
            'f' => Atom::Unit(0xC),
            'v' => Atom::Unit(0xB),
            '0' if !self.peek(0).is_some_and(|d| d.is_ascii_digit()) => Atom::Unit(0),
            'b' if in_class => Atom::Unit(0x8),
            'c' => match self.peek(0) {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.i += 1;
                    Atom::Unit(l as u32 % 32)
                }
                _ => {
                    self.i -= 1;
                    Atom::Unit('\\' as u32)
                }
            },
            d if d.is_ascii_digit() => return Err(format!("`\\{d}` (octal or backreference)")),
            other => Atom::Unit(other as u32),
        })
    }

    /// After a `\` outside a class.
    fn escape(&mut self) -> Result<(), String> {
        let c = self.peek(0).ok_or("a `\\` at the end")?;
        let word = format!("[{WORD}]");
        let simple = match c {
            'b' => Some(format!("(?:(?<={word})(?!{word})|(?<!{word})(?={word}))")),
            'B' => Some(format!("(?:(?<={word})(?={word})|(?<!{word})(?!{word}))")),
            'Z' | 'z' => Some(r"\z".into()),
            'A' => Some(r"\A".into()),
            '1'..='9' => {
                let mut n = String::new();
                while let Some(d) = self.peek(n.len()).filter(char::is_ascii_digit) {
                    n.push(d);
                }
                self.i += n.len() - 1;
                Some(format!("\\{n}"))
            }
            _ => None,
        };
        if let Some(s) = simple {
            self.i += 1;
            self.out.push_str(&s);
            return Ok(());
        }
        match self.escape_atom(false)? {
            Atom::Set(s) if s.starts_with('[') || s.starts_with("\\p") || s.starts_with("\\P") => {
                self.out.push_str(&s)
            }
            Atom::Set(s) => self.out.push_str(&format!("[{s}]")),
            Atom::Unit(u) if (HIGH.0..=HIGH.1).contains(&u) => {
                // A pair written as two escapes is one character.
                let save = self.i;
                let low = (self.peek(0) == Some('\\') && self.peek(1) == Some('u'))
                    .then(|| {
                        self.i += 2;
                        self.hex(4)
                    })
                    .flatten()
                    .filter(|l| (LOW.0..=LOW.1).contains(l));
                match low {
                    Some(l) => literal(&mut self.out, pair(u, l)),
                    None => {
                        self.i = save;
                        self.out.push_str(NOTHING);
                    }
                }
            }
            Atom::Unit(u) if is_surrogate(u) => self.out.push_str(NOTHING),
            Atom::Unit(u) => literal(&mut self.out, u),
        }
        Ok(())
    }

    /// After `[`: the class, up to its `]`.
    fn class(&mut self) -> Result<(), String> {
        let negated = self.peek(0) == Some('^');
        if negated {
            self.i += 1;
        }
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut sets: Vec<String> = Vec::new();
        loop {
            let first = match self.class_atom()? {
                None => break,
                Some(a) => a,
            };
            let dash = self.peek(0) == Some('-') && !matches!(self.peek(1), Some(']') | None);
            if !dash {
                push(first, &mut ranges, &mut sets);
                continue;
            }
            self.i += 1;
            let second = self.class_atom()?.ok_or("unclosed class")?;
            match (first, second) {
                (Atom::Unit(a), Atom::Unit(b)) if a > b => {
                    return Err(format!("class range out of order (`{a:X}-{b:X}`)"));
                }
                (Atom::Unit(a), Atom::Unit(b)) => ranges.push((a, b)),
                (a, b) => {
                    push(a, &mut ranges, &mut sets);
                    ranges.push(('-' as u32, '-' as u32));
                    push(b, &mut ranges, &mut sets);
                }
            }
        }
        let mut items = String::new();
        let (mut highs, mut lows): (Units, Units) = (Vec::new(), Vec::new());
        for &(a, b) in &ranges {
            let mut emit = |lo: u32, hi: u32| {
                if lo > hi {
                    return;
                }
                literal(&mut items, lo);
                if hi > lo {
                    items.push('-');
                    literal(&mut items, hi);
                }
            };
            emit(a, b.min(0xD7FF));
            emit(a.max(0xE000), b);
            let clip = |(lo, hi): (u32, u32)| (a.max(lo), b.min(hi));
            let (h, l) = (clip(HIGH), clip(LOW));
            if h.0 <= h.1 {
                highs.push(h);
            }
            if l.0 <= l.1 {
                lows.push(l);
            }
        }
        if negated && !(highs.is_empty() && lows.is_empty()) {
            // A character beyond U+FFFF is two code units, matched only when neither is
            // in the class: when every high or every low surrogate is, none is matched.
            if highs != [HIGH] && lows != [LOW] {
                return Err("a negated class of some surrogates".into());
            }
            highs = vec![HIGH];
            lows = vec![LOW];
        }
        for &(h1, h2) in &highs {
            for &(l1, l2) in &lows {
                if (l1, l2) == LOW {
                    literal(&mut items, pair(h1, l1));
                    items.push('-');
                    literal(&mut items, pair(h2, l2));
                    continue;
                }
                for h in h1..=h2 {
                    literal(&mut items, pair(h, l1));
                    items.push('-');
                    literal(&mut items, pair(h, l2));
                }
            }
        }
        for s in &sets {
            items.push_str(s);
        }
        match (items.is_empty(), negated) {
            (true, false) => self.out.push_str(NOTHING),
            (true, true) => self.out.push_str(r"[\x{0}-\x{10FFFF}]"),
            (false, n) => {
                self.out.push('[');
                if n {
                    self.out.push('^');
                }
                self.out.push_str(&items);
                self.out.push(']');
            }
        }
        Ok(())
    }

    /// The next member of a class, or `None` at its `]`.
    fn class_atom(&mut self) -> Result<Option<Atom>, String> {
        let c = self.peek(0).ok_or("unclosed class")?;
        self.i += 1;
        Ok(match c {
            ']' => None,
            '\\' => Some(self.escape_atom(true)?),
            other => Some(Atom::Unit(other as u32)),
        })
    }
}

fn push(atom: Atom, ranges: &mut Vec<(u32, u32)>, sets: &mut Vec<String>) {
    match atom {
        Atom::Unit(u) => ranges.push((u, u)),
        Atom::Set(s) => sets.push(s),
    }
}
