//! [`Definition`]: a flow of named states and the one it starts at (a state machine's,
//! a Parallel branch's, a Map's item processor), rendered to ASL JSON and checked as a
//! graph: names unique in the whole machine and at most 80 characters, every
//! transition to a state of the same flow, every state reachable, a state that ends it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as J, json};

use super::integration::Integration;
use super::render::Render;
use super::states::State;
use super::task::{Task, TaskFunction};
use crate::constructs::grants::Grantee;
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The longest state name Step Functions takes: 80 characters (the Amazon States
/// Language specification, "States"; the Developer Guide's quotas).
pub const MAX_STATE_NAME: usize = 80;

/// A flow of named states, starting at one of them: the whole state machine's
/// definition, or a Parallel branch, or a Map's item processor.
///
/// ```
/// use nephos::constructs::state_machine::{Definition, Fail, Pass, Succeed};
/// let d = Definition::new("Hello")
///     .state("Hello", Pass::new().result(serde_json::json!({"greeting": "hi"})).next("Done"))
///     .state("Done", Succeed::new());
/// let (json, _) = d.render();
/// assert_eq!(json["StartAt"], "Hello");
/// assert_eq!(json["States"]["Hello"]["Next"], "Done");
/// assert!(d.problems().is_empty());
///
/// let broken = Definition::new("Hello").state("Hello", Pass::new().next("Nowhere"));
/// assert!(broken.problems()[0].contains("`Nowhere`"));
/// ```
#[derive(Clone, Debug)]
pub struct Definition {
    start: String,
    states: Vec<(String, State)>,
    comment: Option<String>,
}

impl Definition {
    /// A flow starting at the state named `start_at`.
    pub fn new(start_at: impl Into<String>) -> Self {
        Definition {
            start: start_at.into(),
            states: Vec::new(),
            comment: None,
        }
    }

    /// Adds the state `name` (unique in the whole state machine, 1 to 80 characters).
    pub fn state(mut self, name: impl Into<String>, state: impl Into<State>) -> Self {
        self.states.push((name.into(), state.into()));
        self
    }

    /// A comment for readers of the definition.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    /// The ASL JSON (keys sorted, so the same flow is always the same text), and the
    /// functions its tasks invoke with the `DefinitionSubstitutions` key each task's
    /// `Resource` names (`${Worker}`), in order of first use.
    pub fn render(&self) -> (J, Vec<(String, Value<Str>)>) {
        let mut render = Render::default();
        let json = self.to_json(&mut render);
        (json, render.into_substitutions())
    }

    pub(super) fn to_json(&self, render: &mut Render) -> J {
        let mut m = Map::new();
        if let Some(c) = &self.comment {
            m.insert("Comment".into(), json!(c));
        }
        m.insert("StartAt".into(), json!(self.start));
        let mut states = Map::new();
        for (name, state) in &self.states {
            // A duplicate name is reported by `problems`; the first one is kept here.
            if !states.contains_key(name) {
                let s = state.to_json(render);
                states.insert(name.clone(), s);
            }
        }
        m.insert("States".into(), J::Object(states));
        J::Object(m)
    }

    /// Its tasks with their state names, nested flows included, in order.
    pub fn tasks(&self) -> Vec<(&str, &Task)> {
        let mut out = Vec::new();
        for (name, s) in &self.states {
            s.tasks(name, &mut out);
        }
        out
    }

    /// Its Distributed Map states, nested flows included, in order.
    pub(super) fn distributed_maps(&self) -> Vec<&super::distributed_map::DistributedMap> {
        let mut out = Vec::new();
        for (_, s) in &self.states {
            s.distributed_maps(&mut out);
        }
        out
    }

    /// The functions its tasks invoke, nested flows included, in order.
    pub fn functions(&self) -> Vec<&TaskFunction> {
        self.tasks()
            .into_iter()
            .filter_map(|(_, t)| t.function())
            .collect()
    }

    /// Grants `grantee` (the role running the state machine) what its tasks call, each
    /// once: `lambda:InvokeFunction` on exactly the functions (versions, aliases) they
    /// invoke, each service call's own actions on its target, and what its Distributed
    /// Map states read and write in S3.
    pub fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        for map in self.distributed_maps() {
            map.grant(stack, grantee);
        }
        let mut done: Vec<&Integration> = Vec::new();
        for (_, task) in self.tasks() {
            let call = task.integration();
            let same = |d: &&Integration| match (d.function(), call.function()) {
                (Some(a), Some(b)) => a.target().arn() == b.target().arn(),
                _ => *d == call,
            };
            if !done.iter().any(same) {
                call.grant(stack, grantee);
                done.push(call);
            }
        }
    }

    /// What Step Functions would refuse, each message naming the state and the flow.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut names = BTreeMap::new();
        self.check("", &mut names, &mut out);
        for (name, count) in names {
            if count > 1 {
                out.push(format!(
                    "the state name `{}` is used {count} times; names are unique in the whole state machine, branches and item processors included",
                    name.escape_debug()
                ));
            }
        }
        out
    }

    fn check(&self, flow: &str, names: &mut BTreeMap<String, usize>, out: &mut Vec<String>) {
        let here: BTreeSet<&str> = self.states.iter().map(|(n, _)| n.as_str()).collect();
        if self.states.is_empty() {
            out.push(format!("{} has no states", flow_name(flow)));
            return;
        }
        if !here.contains(self.start.as_str()) {
            out.push(format!(
                "{} starts at `{}`, which is not one of its states",
                flow_name(flow),
                self.start.escape_debug()
            ));
        }
        for (name, state) in &self.states {
            *names.entry(name.clone()).or_default() += 1;
            let at = format!("state `{}`{flow}", name.escape_debug());
            let length = name.chars().count();
            if length == 0 || length > MAX_STATE_NAME {
                out.push(format!(
                    "the name of {at} is {length} characters; Step Functions takes 1 to {MAX_STATE_NAME}"
                ));
            }
            if name.chars().any(char::is_control) {
                out.push(format!("the name of {at} holds control characters"));
            }
            for next in state.transitions() {
                if !here.contains(next) {
                    out.push(format!(
                        "{at} goes to `{}`, which is not a state of {}",
                        next.escape_debug(),
                        flow_name(flow)
                    ));
                }
            }
            let mut problems = Vec::new();
            state.problems(&mut problems);
            out.extend(problems.into_iter().map(|p| format!("{at}: {p}")));
            for (what, nested) in state.nested() {
                let inner = format!(" in {what} of `{}`{flow}", name.escape_debug());
                nested.check(&inner, names, out);
            }
        }
        if !self.states.iter().any(|(_, s)| s.is_terminal()) {
            out.push(format!(
                "{} has no state that ends it (a Succeed or Fail state, or one without `next`)",
                flow_name(flow)
            ));
        }
        // Every state must be reachable from the start (Step Functions refuses others).
        let mut seen = BTreeSet::new();
        let mut todo = vec![self.start.as_str()];
        while let Some(n) = todo.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let Some((_, s)) = self.states.iter().find(|(name, _)| name == n) {
                todo.extend(s.transitions());
            }
        }
        for name in &here {
            if !seen.contains(name) {
                out.push(format!(
                    "state `{}`{flow} is not reachable from `{}`",
                    name.escape_debug(),
                    self.start.escape_debug()
                ));
            }
        }
    }
}

fn flow_name(flow: &str) -> String {
    if flow.is_empty() {
        "the state machine".to_string()
    } else {
        format!("the flow{flow}")
    }
}
