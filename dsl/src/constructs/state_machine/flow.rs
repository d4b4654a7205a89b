//! What several states share: where a result goes (`ResultPath`), the next state or the
//! end, the retriers and catchers of Task, Parallel and Map, and the checks of paths,
//! counts and timestamps the Amazon States Language sets.

use serde_json::{Map as JMap, Value as J, json};

use super::errors::{Catch, Retry};

/// The largest count or number of seconds ASL takes in `MaxAttempts`, `IntervalSeconds`,
/// `TimeoutSeconds`, `HeartbeatSeconds` and a Wait's `Seconds` (a positive integer
/// below 99,999,999: Step Functions Developer Guide, "Quotas" and the ASL fields).
pub(super) const MAX_COUNT: u32 = 99_999_999;
/// The longest a retrier's `MaxDelaySeconds` may be: 31,622,400 (366 days).
pub(super) const MAX_DELAY_SECONDS: u32 = 31_622_400;

/// Where a state's result goes in its input: replacing it (no `ResultPath`), at a path,
/// or nowhere (`ResultPath: null`, the input passes on unchanged).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) enum ResultPath {
    #[default]
    Replace,
    At(String),
    Discard,
}

impl ResultPath {
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        match self {
            ResultPath::Replace => {}
            ResultPath::At(p) => {
                m.insert("ResultPath".into(), json!(p));
            }
            ResultPath::Discard => {
                m.insert("ResultPath".into(), J::Null);
            }
        }
    }
}

/// Writes `Next`, or `End: true` for a state that has none.
pub(super) fn write_next(next: &Option<String>, m: &mut JMap<String, J>) {
    match next {
        Some(n) => m.insert("Next".into(), json!(n)),
        None => m.insert("End".into(), json!(true)),
    };
}

/// The options Task, Parallel and Map share: where the result goes, retriers,
/// catchers, the next state.
#[derive(Clone, Debug, Default)]
pub(super) struct Flow {
    pub(super) result_path: ResultPath,
    pub(super) retry: Vec<Retry>,
    pub(super) catch: Vec<Catch>,
    pub(super) next: Option<String>,
}

/// The setters of the options in [`Flow`], written once for every state that holds one
/// as its `flow` field (Task, Parallel and Map): each gets them as its own methods, so a
/// user needs no trait in scope and the three cannot drift apart.
macro_rules! flow_options {
    ($($state:ident),+) => {$(
        impl $state {
            /// Adds a retrier: the retriers are tried in the order given, before the
            /// catchers (`States.ALL` only in the last one).
            pub fn retry(mut self, retry: super::errors::Retry) -> Self {
                self.flow.retry.push(retry);
                self
            }
            /// Adds a catcher: tried in the order given once the retriers are spent
            /// (`States.ALL` only in the last one).
            pub fn catch(mut self, catch: super::errors::Catch) -> Self {
                self.flow.catch.push(catch);
                self
            }
            /// Puts the state's result (a Parallel's or Map's: the array of its
            /// results) at `path` of its input (`$.charge`) rather than replacing it.
            pub fn result_path(mut self, path: impl Into<String>) -> Self {
                self.flow.result_path = super::flow::ResultPath::At(path.into());
                self
            }
            /// Discards the state's result: its input passes on (`ResultPath: null`).
            pub fn discard_result(mut self) -> Self {
                self.flow.result_path = super::flow::ResultPath::Discard;
                self
            }
            /// Goes to `state` next (without: the end of its flow).
            pub fn next(mut self, state: impl Into<String>) -> Self {
                self.flow.next = Some(state.into());
                self
            }
        }
    )+};
}
pub(super) use flow_options;

impl Flow {
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        self.result_path.write(m);
        if !self.retry.is_empty() {
            m.insert(
                "Retry".into(),
                J::Array(self.retry.iter().map(Retry::to_json).collect()),
            );
        }
        if !self.catch.is_empty() {
            m.insert(
                "Catch".into(),
                J::Array(self.catch.iter().map(Catch::to_json).collect()),
            );
        }
        write_next(&self.next, m);
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        if let ResultPath::At(p) = &self.result_path {
            path_problem("ResultPath", p, out);
        }
        for (i, r) in self.retry.iter().enumerate() {
            r.problems(i + 1 == self.retry.len(), out);
        }
        for (i, c) in self.catch.iter().enumerate() {
            c.problems(i + 1 == self.catch.len(), out);
        }
    }

    pub(super) fn transitions(&self) -> impl Iterator<Item = &str> {
        self.next
            .iter()
            .map(String::as_str)
            .chain(self.catch.iter().map(Catch::next))
    }
}

pub(super) fn path_problem(field: &str, path: &str, out: &mut Vec<String>) {
    if !path.starts_with('$') {
        out.push(format!(
            "its `{field}` `{}` is not a path beginning with `$` (such as `$.result`)",
            path.escape_debug()
        ));
    }
}

/// `text` has the shape of an RFC 3339 timestamp with a time zone, as ASL's timestamps
/// must (`2030-01-31T09:00:00Z`, `2030-01-31T09:00:00.5+01:00`).
pub(super) fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    rest == "Z"
        || (rest.len() == 6
            && rest.is_ascii()
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest[1..3]
                .bytes()
                .chain(rest[4..].bytes())
                .all(|c| c.is_ascii_digit()))
}
