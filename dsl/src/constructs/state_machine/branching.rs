//! The states that branch: Choice (on conditions), Parallel (branches at the same
//! time) and Map (a flow for each item of an array).

use serde_json::{Map as JMap, Value as J, json};

use super::Definition;
use super::condition::Condition;
use super::flow::{Flow, flow_options, path_problem};
use super::render::Render;

/// Goes to the state of the first condition that holds, else to its default (without
/// one, no match fails the execution with `States.NoChoiceMatched`).
///
/// ```
/// use nephos::constructs::state_machine::{Choice, Condition};
/// let c = Choice::new()
///     .when(Condition::string("$.status").equals("paid"), "Ship")
///     .when(Condition::number("$.attempts").at_least(3.0), "GiveUp")
///     .otherwise("Wait");
/// # let _ = c;
/// ```
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub(super) choices: Vec<(Condition, String)>,
    pub(super) default: Option<String>,
}

impl Choice {
    /// A choice of no rules yet (at least one is needed).
    pub fn new() -> Self {
        Choice::default()
    }
    /// When `condition` holds, goes to `next`.
    pub fn when(mut self, condition: Condition, next: impl Into<String>) -> Self {
        self.choices.push((condition, next.into()));
        self
    }
    /// When no condition holds, goes to `next` (`Default`).
    pub fn otherwise(mut self, next: impl Into<String>) -> Self {
        self.default = Some(next.into());
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        if self.choices.is_empty() {
            out.push("it is a Choice state of no rules".to_string());
        }
        for (cond, _) in &self.choices {
            cond.problems(out);
        }
    }

    /// Writes its fields but `Type`.
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        let rules = self
            .choices
            .iter()
            .map(|(cond, next)| {
                let mut rule = cond.to_json();
                rule["Next"] = json!(next);
                rule
            })
            .collect();
        m.insert("Choices".into(), J::Array(rules));
        if let Some(d) = &self.default {
            m.insert("Default".into(), json!(d));
        }
    }
}

/// Runs its branches at the same time on the same input; its result is the array of
/// their results. A branch's states go only to states of that branch.
#[derive(Clone, Debug, Default)]
pub struct Parallel {
    pub(super) branches: Vec<Definition>,
    pub(super) flow: Flow,
}

flow_options!(Parallel, Map);

impl Parallel {
    /// No branches yet (at least one is needed).
    pub fn new() -> Self {
        Parallel::default()
    }
    /// Adds a branch.
    pub fn branch(mut self, branch: Definition) -> Self {
        self.branches.push(branch);
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.flow.problems(out);
        if self.branches.is_empty() {
            out.push("it is a Parallel state of no branches".to_string());
        }
    }

    /// Writes its fields but `Type`; its branches through `render`.
    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let branches = self.branches.iter().map(|b| b.to_json(render)).collect();
        m.insert("Branches".into(), J::Array(branches));
        self.flow.write(m);
    }
}

/// Runs `processor` for each item of an array of the input (inline, at most
/// `max_concurrency` at a time); its result is the array of their results.
#[derive(Clone, Debug)]
pub struct Map {
    pub(super) processor: Definition,
    items_path: Option<String>,
    max_concurrency: Option<u32>,
    pub(super) flow: Flow,
}

impl Map {
    /// Runs `processor` for each item of the input (an array, or the one at
    /// [`items_path`](Map::items_path)).
    pub fn new(processor: Definition) -> Self {
        Map {
            processor,
            items_path: None,
            max_concurrency: None,
            flow: Flow::default(),
        }
    }
    /// The array is at `path` of the input (`$.orders`).
    pub fn items_path(mut self, path: impl Into<String>) -> Self {
        self.items_path = Some(path.into());
        self
    }
    /// At most `n` items at a time (0: as many as Step Functions allows).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.flow.problems(out);
        if let Some(p) = &self.items_path {
            path_problem("ItemsPath", p, out);
        }
    }

    /// Writes its fields but `Type`; its item processor through `render`.
    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let mut processor = self.processor.to_json(render);
        processor["ProcessorConfig"] = json!({"Mode": "INLINE"});
        m.insert("ItemProcessor".into(), processor);
        if let Some(p) = &self.items_path {
            m.insert("ItemsPath".into(), json!(p));
        }
        if let Some(n) = self.max_concurrency {
            m.insert("MaxConcurrency".into(), json!(n));
        }
        self.flow.write(m);
    }
}
