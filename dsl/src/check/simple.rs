//! Schema patterns matched without a regex engine.
//!
//! Compiling a pattern with fancy-regex (and the regex crate under it) costs tens of
//! thousands of instructions; an app process checks each pattern its literals meet once, so
//! a small stack's process spent more compiling its few patterns (`^[^\s]+$`, a Lambda
//! handler; `^[a-zA-Z0-9_.-]+$`, a DynamoDB attribute name) than checking everything
//! else. Most schema patterns are classes, literals and quantifiers with anchors, in
//! groups and alternatives: [`Simple::parse`] reads exactly that ECMA-262 subset (with
//! ECMA's `\s`, `\w`, `\d` and `.`, as [`super::ecma`] translates them) into a Thompson
//! automaton, which [`Simple::is_match`] runs over the text in one pass. Anything else
//! (lookaround, backreferences, `\b`, `\p{…}`, surrogate escapes, large counts) is not
//! read, and the caller uses the regex engine; so is a text with a character outside the
//! Basic Multilingual Plane, which ECMA (without the `u` flag) matches as two UTF-16 code
//! units. The tests check the verdicts against the engine's for every schema pattern
//! this reads.

/// The most automaton nodes a pattern may make (counted repetitions are unrolled).
const MAX_NODES: usize = 512;

/// A set of code points: sorted, disjoint ranges.
#[derive(Clone, Debug)]
struct Set(Vec<(u32, u32)>);

impl Set {
    fn contains(&self, c: u32) -> bool {
        self.0.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    /// The ranges sorted and merged.
    fn normalized(mut ranges: Vec<(u32, u32)>) -> Set {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Set(out)
    }

    /// Every code point not in `self`.
    fn complement(&self) -> Set {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi + 1;
        }
        if next <= 0x10FFFF {
            out.push((next, 0x10FFFF));
        }
        Set(out)
    }
}

/// ECMA's `\d`.
const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
/// ECMA's `\w`.
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
/// ECMA's `\s`: white space and line terminators (the same set as `ecma::SPACE`).
const SPACE: &[(u32, u32)] = &[
    (0x9, 0xD),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];
/// What ECMA's `.` does not match: the line terminators.
const LINE_TERMINATORS: &[(u32, u32)] = &[(0xA, 0xA), (0xD, 0xD), (0x2028, 0x2029)];

/// One node of the automaton.
#[derive(Clone, Debug)]
enum Node {
    /// Consumes one character of the set, then goes on to `next`.
    Char(Set, usize),
    /// Goes on to every one of these, consuming nothing.
    Split(Vec<usize>),
    /// At the start of the text only (`^`), then `next`.
    Start(usize),
    /// At the end of the text only (`$`), then `next`.
    End(usize),
    /// The pattern matched.
    Match,
}

/// The parsed pattern, before it is built into nodes.
#[derive(Clone, Debug)]
enum Ast {
    Set(Set),
    Start,
    End,
    Seq(Vec<Ast>),
    Alt(Vec<Ast>),
    /// `item{min,max}` (`max` `None`: unbounded).
    Repeat(Box<Ast>, u32, Option<u32>),
}

/// A pattern of the subset, built; see the module documentation.
#[derive(Clone, Debug)]
pub(crate) struct Simple {
    nodes: Vec<Node>,
    start: usize,
}

impl Simple {
    /// The pattern, when it is in the subset this reads; `None` otherwise (the caller
    /// then uses the regex engine).
    pub(crate) fn parse(pattern: &str) -> Option<Simple> {
        // A character past the BMP is two code units to ECMA, in a class two members.
        if pattern.chars().any(|c| u32::from(c) > 0xFFFF) {
            return None;
        }
        let mut p = Parser {
            p: pattern.chars().collect(),
            i: 0,
        };
        let ast = p.alt()?;
        if p.i != p.p.len() {
            return None;
        }
        let mut nodes = vec![Node::Match];
        let start = build(&ast, 0, &mut nodes)?;
        Some(Simple { nodes, start })
    }

    /// Whether the pattern matches somewhere in `text` (a search, as the regex engine's
    /// `is_match`: anchors say where); `None` for a text with a character outside the
    /// Basic Multilingual Plane (see the module documentation).
    pub(crate) fn is_match(&self, text: &str) -> Option<bool> {
        if text.chars().any(|c| u32::from(c) > 0xFFFF) {
            return None;
        }
        let len = text.chars().count();
        let n = self.nodes.len();
        let mut seen = vec![usize::MAX; n];
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut chars = text.chars();
        for pos in 0..=len {
            // A search: the pattern may start at every position.
            stack.clear();
            stack.append(&mut next);
            stack.push(self.start);
            current.clear();
            while let Some(s) = stack.pop() {
                if seen[s] == pos {
                    continue;
                }
                seen[s] = pos;
                match &self.nodes[s] {
                    Node::Match => return Some(true),
                    Node::Char(..) => current.push(s),
                    Node::Split(outs) => stack.extend(outs.iter().rev()),
                    Node::Start(to) => {
                        if pos == 0 {
                            stack.push(*to)
                        }
                    }
                    Node::End(to) => {
                        if pos == len {
                            stack.push(*to)
                        }
                    }
                }
            }
            let Some(c) = chars.next() else { break };
            let c = u32::from(c);
            for &s in &current {
                if let Node::Char(set, to) = &self.nodes[s]
                    && set.contains(c)
                {
                    next.push(*to);
                }
            }
        }
        Some(false)
    }
}

/// Builds `ast` into nodes ending in `next`; the node to start at, or `None` past
/// [`MAX_NODES`].
fn build(ast: &Ast, next: usize, nodes: &mut Vec<Node>) -> Option<usize> {
    if nodes.len() > MAX_NODES {
        return None;
    }
    let push = |nodes: &mut Vec<Node>, node| {
        nodes.push(node);
        nodes.len() - 1
    };
    Some(match ast {
        Ast::Set(set) => push(nodes, Node::Char(set.clone(), next)),
        Ast::Start => push(nodes, Node::Start(next)),
        Ast::End => push(nodes, Node::End(next)),
        Ast::Seq(items) => {
            let mut at = next;
            for item in items.iter().rev() {
                at = build(item, at, nodes)?;
            }
            at
        }
        Ast::Alt(alts) => {
            let mut outs = Vec::with_capacity(alts.len());
            for a in alts {
                outs.push(build(a, next, nodes)?);
            }
            push(nodes, Node::Split(outs))
        }
        Ast::Repeat(item, min, max) => {
            // The optional or looping tail first, then the required copies before it.
            let mut at = match max {
                None => {
                    // A loop: a split to one more `item` (which comes back) or on.
                    let split = push(nodes, Node::Split(Vec::new()));
                    let body = build(item, split, nodes)?;
                    nodes[split] = Node::Split(vec![body, next]);
                    split
                }
                Some(max) => {
                    let mut at = next;
                    for _ in *min..*max {
                        let body = build(item, at, nodes)?;
                        at = push(nodes, Node::Split(vec![body, at]));
                        if nodes.len() > MAX_NODES {
                            return None;
                        }
                    }
                    at
                }
            };
            for _ in 0..*min {
                at = build(item, at, nodes)?;
                if nodes.len() > MAX_NODES {
                    return None;
                }
            }
            at
        }
    })
}

struct Parser {
    p: Vec<char>,
    i: usize,
}

/// What an escape stands for.
enum Escape {
    Unit(u32),
    Set(Set),
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.p.get(self.i).copied()
    }

    /// Alternatives, up to an unmatched `)` or the end.
    fn alt(&mut self) -> Option<Ast> {
        let mut alts = vec![self.seq()?];
        while self.peek() == Some('|') {
            self.i += 1;
            alts.push(self.seq()?);
        }
        Some(if alts.len() == 1 {
            alts.pop()?
        } else {
            Ast::Alt(alts)
        })
    }

    /// Items, up to `|`, `)` or the end.
    fn seq(&mut self) -> Option<Ast> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            let atom = match c {
                '|' | ')' => break,
                '^' => {
                    self.i += 1;
                    items.push(Ast::Start);
                    continue;
                }
                '$' => {
                    self.i += 1;
                    items.push(Ast::End);
                    continue;
                }
                '(' => {
                    self.i += 1;
                    if self.peek() == Some('?') {
                        // Only a group that captures nothing: `(?:…)`.
                        if self.p.get(self.i + 1) != Some(&':') {
                            return None;
                        }
                        self.i += 2;
                    }
                    let inner = self.alt()?;
                    if self.peek() != Some(')') {
                        return None;
                    }
                    self.i += 1;
                    inner
                }
                '[' => {
                    self.i += 1;
                    Ast::Set(self.class()?)
                }
                '.' => {
                    self.i += 1;
                    Ast::Set(Set::normalized(LINE_TERMINATORS.to_vec()).complement())
                }
                '\\' => {
                    self.i += 1;
                    match self.peek()? {
                        'Z' | 'z' => {
                            self.i += 1;
                            items.push(Ast::End);
                            continue;
                        }
                        'A' => {
                            self.i += 1;
                            items.push(Ast::Start);
                            continue;
                        }
                        _ => match self.escape()? {
                            Escape::Unit(u) => Ast::Set(Set(vec![(u, u)])),
                            Escape::Set(s) => Ast::Set(s),
                        },
                    }
                }
                // A quantifier with nothing to repeat, or a brace or bracket ECMA reads
                // as a literal (Annex B): left to the engine.
                '*' | '+' | '?' | '{' | '}' | ']' => return None,
                c => {
                    self.i += 1;
                    Ast::Set(Set(vec![(u32::from(c), u32::from(c))]))
                }
            };
            let item = match self.quantifier()? {
                Some((min, max)) => Ast::Repeat(Box::new(atom), min, max),
                None => atom,
            };
            items.push(item);
        }
        Some(Ast::Seq(items))
    }

    /// A quantifier after an atom: `Some(None)` when there is none, `None` for one this
    /// does not read (a repeated quantifier, a brace that is no quantifier).
    #[allow(clippy::option_option)]
    fn quantifier(&mut self) -> Option<Option<(u32, Option<u32>)>> {
        let q = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let close = self.p[self.i..].iter().position(|c| *c == '}')?;
                let body: String = self.p[self.i + 1..self.i + close].iter().collect();
                let (min, max) = match body.split_once(',') {
                    None => {
                        let n = number(&body)?;
                        (n, Some(n))
                    }
                    Some((min, "")) => (number(min)?, None),
                    Some((min, max)) => (number(min)?, Some(number(max)?)),
                };
                if max.is_some_and(|m| m < min) {
                    return None;
                }
                self.i += close;
                (min, max)
            }
            _ => return Some(None),
        };
        self.i += 1;
        // A lazy quantifier (`+?`) matches where the greedy one does.
        if self.peek() == Some('?') {
            self.i += 1;
        }
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return None;
        }
        Some(Some(q))
    }

    /// After `[`: the class, up to its `]`.
    fn class(&mut self) -> Option<Set> {
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut empty = true;
        loop {
            let c = self.peek()?;
            if c == ']' {
                self.i += 1;
                break;
            }
            empty = false;
            let low = self.class_atom()?;
            // A range: `a-z`, not at the end (`[a-]`) and between single characters.
            if self.peek() == Some('-')
                && self.p.get(self.i + 1).is_some_and(|c| *c != ']')
                && let Escape::Unit(lo) = low
            {
                let save = self.i;
                self.i += 1;
                match self.class_atom()? {
                    Escape::Unit(hi) if lo <= hi => {
                        ranges.push((lo, hi));
                        continue;
                    }
                    Escape::Unit(_) => return None,
                    Escape::Set(_) => {
                        // `[a-\w]`: a literal `-` beside the set; read it again so.
                        self.i = save;
                    }
                }
            }
            match low {
                Escape::Unit(u) => ranges.push((u, u)),
                Escape::Set(s) => ranges.extend(s.0),
            }
        }
        if empty {
            return None;
        }
        let set = Set::normalized(ranges);
        Some(if negated { set.complement() } else { set })
    }

    /// One character or escape in a class.
    fn class_atom(&mut self) -> Option<Escape> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\\' {
            return self.escape();
        }
        Some(Escape::Unit(u32::from(c)))
    }

    /// After a `\`: what it stands for, in a class or out of one.
    fn escape(&mut self) -> Option<Escape> {
        let c = self.peek()?;
        self.i += 1;
        let set = |ranges: &[(u32, u32)], negated: bool| {
            let s = Set::normalized(ranges.to_vec());
            Some(Escape::Set(if negated { s.complement() } else { s }))
        };
        match c {
            'd' => set(DIGIT, false),
            'D' => set(DIGIT, true),
            'w' => set(WORD, false),
            'W' => set(WORD, true),
            's' => set(SPACE, false),
            'S' => set(SPACE, true),
            'n' => Some(Escape::Unit(0xA)),
            'r' => Some(Escape::Unit(0xD)),
            't' => Some(Escape::Unit(0x9)),
            'f' => Some(Escape::Unit(0xC)),
            'v' => Some(Escape::Unit(0xB)),
            'u' => self.hex(4),
            'x' => self.hex(2),
            // Punctuation stands for itself; letters and digits other than the above
            // (`\b`, `\p{…}`, backreferences, `\c`) are left to the engine.
            c if c.is_ascii_punctuation() => Some(Escape::Unit(u32::from(c))),
            _ => None,
        }
    }

    /// `n` hex digits: a code unit, not a surrogate (a pair written as two escapes is left
    /// to the engine).
    fn hex(&mut self, n: usize) -> Option<Escape> {
        let digits: String = self.p.get(self.i..self.i + n)?.iter().collect();
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let u = u32::from_str_radix(&digits, 16).ok()?;
        if (0xD800..=0xDFFF).contains(&u) {
            return None;
        }
        self.i += n;
        Some(Escape::Unit(u))
    }
}

/// A count in a quantifier: decimal digits, small enough to unroll.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n <= MAX_NODES as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        Simple::parse(pattern)
            .unwrap_or_else(|| panic!("{pattern} is read"))
            .is_match(text)
            .expect("a BMP text")
    }

    #[test]
    fn the_patterns_a_users_api_meets_are_read_and_match_as_ecma_says() {
        assert!(matches(r"^[^\s]+$", "index.lambda_handler"));
        assert!(!matches(r"^[^\s]+$", "index lambda"));
        assert!(!matches(r"^[^\s]+$", "index\u{2028}x"));
        assert!(!matches(r"^[^\s]+$", ""));
        assert!(matches(r"^[a-zA-Z0-9_.-]+$", "user_id"));
        assert!(!matches(r"^[a-zA-Z0-9_.-]+$", "user id"));
        assert!(matches(r"[a-zA-Z][a-zA-Z0-9_]+", "  TABLE_NAME"));
        assert!(!matches(r"[a-zA-Z][a-zA-Z0-9_]+", "1_"));
        assert!(matches(
            r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$",
            "lambda:InvokeFunction"
        ));
        assert!(matches(r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$", "*"));
        assert!(!matches(r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$", "lambda:"));
        assert!(matches(r"^[\w+=,.@-]+$", "Function0RolePolicy"));
        assert!(!matches(r"^[\w+=,.@-]+$", "é"));
        assert!(matches(r"^.*$", "apigateway.amazonaws.com"));
        assert!(!matches(r"^.*$", "a\nb"));
        assert!(matches(r"^\d{12}$", "123456789012"));
        assert!(!matches(r"^\d{12}$", "12345678901"));
        assert!(matches(r"^o-[a-z0-9]{10,32}$", "o-abcdefghij"));
        assert!(!matches(r"^o-[a-z0-9]{10,32}$", "o-abcdefghi"));
        // `^a|b$` is `(^a)|(b$)`.
        assert!(matches(r"^a|b$", "ax"));
        assert!(matches(r"^a|b$", "xb"));
        assert!(!matches(r"^a|b$", "xa"));
    }

    /// Every `Check::Pattern` and `Check::KeyPattern` of the generated resource types.
    fn schema_patterns() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for needle in ["Check::Pattern(", "Check::KeyPattern("] {
                        for (at, _) in text.match_indices(needle) {
                            out.push(rust_string(text[at + needle.len()..].trim_start()));
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated"),
            &mut out,
        );
        out.sort();
        out.dedup();
        out
    }

    /// The value of the Rust string literal `text` starts with.
    fn rust_string(text: &str) -> String {
        let mut chars = text.strip_prefix('"').expect("a string literal").chars();
        let mut out = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => return out,
                '\\' => match chars.next().unwrap() {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'u' => {
                        let hex: String =
                            chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        panic!("unterminated string literal")
    }

    /// A small deterministic generator (no dependency, same texts on every run).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// A text the automaton accepts (a random path from start to match), if the walk
    /// finds one.
    fn walk_to_match(simple: &Simple, alphabet: &[char], rng: &mut Lcg) -> Option<String> {
        let mut out = String::new();
        let mut at = simple.start;
        let mut ended = false;
        for _ in 0..400 {
            match &simple.nodes[at] {
                Node::Match => return Some(out),
                Node::Split(outs) => at = outs[rng.below(outs.len())],
                Node::Start(to) => {
                    if !out.is_empty() {
                        return None;
                    }
                    at = *to;
                }
                Node::End(to) => {
                    ended = true;
                    at = *to;
                }
                Node::Char(set, to) => {
                    if ended {
                        return None;
                    }
                    let fitting: Vec<char> = alphabet
                        .iter()
                        .copied()
                        .filter(|c| set.contains(u32::from(*c)))
                        .collect();
                    let c = if fitting.is_empty() || rng.below(4) == 0 {
                        let (lo, hi) = set.0[rng.below(set.0.len())];
                        let hi = hi.min(0xFFFF).max(lo);
                        char::from_u32(lo + rng.below((hi - lo + 1) as usize) as u32)?
                    } else {
                        fitting[rng.below(fitting.len())]
                    };
                    out.push(c);
                    at = *to;
                }
            }
        }
        None
    }

    /// The verdicts agree with the regex engine's (fancy-regex through `ecma::compile`) for
    /// every schema pattern this reads, on texts the automaton accepts, each with one
    /// character changed, dropped or added, and on random texts of the pattern's own
    /// characters and the ones ECMA treats specially. A pattern read here also compiles.
    #[test]
    fn verdicts_are_the_engines_on_every_schema_pattern_read() {
        let specials = [
            ' ', '\t', '\n', '\r', '\u{B}', '\u{C}', '\u{A0}', '\u{1680}', '\u{2028}', '\u{2029}',
            '\u{202F}', '\u{3000}', '\u{FEFF}', '\u{85}', 'é', 'ß', '中', 'a', 'Z', '0', '9', '_',
            '-', '.', '/', ':', '*', '@', '\\', '[', ']', '$', '^',
        ];
        let patterns = schema_patterns();
        assert!(patterns.len() > 1000, "{} patterns found", patterns.len());
        let mut read = 0;
        let mut rng = Lcg(12);
        for pattern in &patterns {
            let Some(simple) = Simple::parse(pattern) else {
                continue;
            };
            read += 1;
            let engine = crate::check::ecma::compile(pattern)
                .unwrap_or_else(|e| panic!("{pattern} is read here but does not compile: {e}"));
            let mut alphabet: Vec<char> = pattern.chars().chain(specials).collect();
            alphabet.retain(|c| u32::from(*c) <= 0xFFFF);
            alphabet.sort_unstable();
            alphabet.dedup();
            let mut texts: Vec<String> = vec![String::new()];
            texts.extend(alphabet.iter().map(|c| c.to_string()));
            for _ in 0..12 {
                if let Some(t) = walk_to_match(&simple, &alphabet, &mut rng) {
                    let chars: Vec<char> = t.chars().collect();
                    for _ in 0..4 {
                        let mut changed = chars.clone();
                        let at = rng.below(changed.len() + 1);
                        let c = alphabet[rng.below(alphabet.len())];
                        match rng.below(3) {
                            0 if at < changed.len() => changed[at] = c,
                            1 if at < changed.len() => {
                                changed.remove(at);
                            }
                            _ => changed.insert(at, c),
                        }
                        texts.push(changed.into_iter().collect());
                    }
                    texts.push(t);
                }
            }
            for _ in 0..24 {
                let len = rng.below(12);
                texts.push(
                    (0..len)
                        .map(|_| alphabet[rng.below(alphabet.len())])
                        .collect(),
                );
            }
            for text in &texts {
                let ours = simple.is_match(text).expect("BMP texts only");
                let theirs = engine.is_match(text).expect("no backtracking limit here");
                assert_eq!(ours, theirs, "pattern {pattern:?}, text {text:?}");
            }
        }
        // Most schema patterns are in the subset (and so are checked without the engine).
        assert!(
            read * 2 > patterns.len(),
            "{read} of {} read",
            patterns.len()
        );
    }

    #[test]
    fn what_the_subset_does_not_hold_is_left_to_the_engine() {
        for pattern in [
            r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
            r"^(?!aws)[a-z]+$",
            r"\bword\b",
            r"^[\p{L}\p{N}]+$",
            r"^(a)\1$",
            r"^[\uD800-\uDBFF][\uDC00-\uDFFF]$",
            r"a{2,1}",
            r"*a",
            r"a{1,100000}",
            r"[]",
            r"(a",
            r"a)",
            "^[😀a]$",
        ] {
            assert!(Simple::parse(pattern).is_none(), "{pattern}");
        }
        // A character outside the BMP is two code units to ECMA: left to the engine.
        let simple = Simple::parse(r"^.$").unwrap();
        assert_eq!(simple.is_match("😀"), None);
    }
}
