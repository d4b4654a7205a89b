//! [`State`]: one of the states of a [`Definition`](super::Definition) (Task, Pass, Wait,
//! Choice, Parallel, Map (inline or distributed), Succeed, Fail, as the Amazon States Language defines them:
//! "States" in the Step Functions Developer Guide), and what the graph asks of any state:
//! its transitions, whether it ends its flow, its nested flows, its checks and its JSON.
//! Each state's own fields, checks and rendering live in its file.

use serde_json::{Map as JMap, Value as J, json};

use super::Definition;
use super::branching::{Choice, Map, Parallel};
use super::distributed_map::DistributedMap;
use super::plain::{Fail, Pass, Succeed, Wait};
use super::render::Render;
use super::task::Task;

impl From<DistributedMap> for State {
    fn from(s: DistributedMap) -> State {
        State::DistributedMap(Box::new(s))
    }
}

/// A state: build one with [`Task`], [`Pass`], [`Wait`], [`Choice`], [`Parallel`],
/// [`Map`], [`Succeed`] or [`Fail`] (each converts into it).
#[derive(Clone, Debug)]
pub enum State {
    /// Invokes a function.
    Task(Task),
    /// Passes its input on (or a fixed result).
    Pass(Pass),
    /// Waits for a time.
    Wait(Wait),
    /// Branches on conditions.
    Choice(Choice),
    /// Runs branches at the same time.
    Parallel(Parallel),
    /// Runs a flow for each item of an array.
    Map(Map),
    /// Runs a child workflow execution for each item (Map in Distributed mode; boxed, as
    /// it is several times the size of the others).
    DistributedMap(Box<DistributedMap>),
    /// Ends the execution (or a branch) successfully.
    Succeed(Succeed),
    /// Ends the execution with an error.
    Fail(Fail),
}

macro_rules! into_state {
    ($($t:ident),*) => {$(
        impl From<$t> for State {
            fn from(s: $t) -> State {
                State::$t(s)
            }
        }
    )*};
}
into_state!(Task, Pass, Wait, Choice, Parallel, Map, Succeed, Fail);

impl State {
    /// The states it may go to next (in its own flow).
    pub(super) fn transitions(&self) -> Vec<&str> {
        match self {
            State::Task(t) => t.flow.transitions().collect(),
            State::Parallel(p) => p.flow.transitions().collect(),
            State::Map(m) => m.flow.transitions().collect(),
            State::DistributedMap(m) => m.flow.transitions().collect(),
            State::Pass(p) => p.next.iter().map(String::as_str).collect(),
            State::Wait(w) => w.next.iter().map(String::as_str).collect(),
            State::Choice(c) => c
                .choices
                .iter()
                .map(|(_, n)| n.as_str())
                .chain(c.default.as_deref())
                .collect(),
            State::Succeed(_) | State::Fail(_) => Vec::new(),
        }
    }

    /// It ends its flow (`End: true`, Succeed, Fail).
    pub(super) fn is_terminal(&self) -> bool {
        match self {
            State::Task(t) => t.flow.next.is_none(),
            State::Parallel(p) => p.flow.next.is_none(),
            State::Map(m) => m.flow.next.is_none(),
            State::DistributedMap(m) => m.flow.next.is_none(),
            State::Pass(p) => p.next.is_none(),
            State::Wait(w) => w.next.is_none(),
            State::Choice(_) => false,
            State::Succeed(_) | State::Fail(_) => true,
        }
    }

    /// The flows nested in it (a Parallel's branches, a Map's processor), with how
    /// messages name each.
    pub(super) fn nested(&self) -> Vec<(String, &Definition)> {
        match self {
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| (format!("branch {}", i + 1), b))
                .collect(),
            State::Map(m) => vec![("item processor".to_string(), &m.processor)],
            State::DistributedMap(m) => vec![("item processor".to_string(), &m.processor)],
            _ => Vec::new(),
        }
    }

    /// What Step Functions would refuse in the state itself (not its transitions).
    pub(super) fn problems(&self, out: &mut Vec<String>) {
        match self {
            State::Task(t) => t.problems(out),
            State::Parallel(p) => p.problems(out),
            State::Map(m) => m.problems(out),
            State::DistributedMap(m) => m.problems(out),
            State::Pass(p) => p.problems(out),
            State::Wait(w) => w.problems(out),
            State::Choice(c) => c.problems(out),
            State::Succeed(_) | State::Fail(_) => {}
        }
    }

    /// The state as ASL JSON; its nested flows and its functions through `render`.
    pub(super) fn to_json(&self, render: &mut Render) -> J {
        let mut m = JMap::new();
        let kind = match self {
            State::Task(t) => {
                t.write(&mut m, render);
                "Task"
            }
            State::Pass(p) => {
                p.write(&mut m);
                "Pass"
            }
            State::Wait(w) => {
                w.write(&mut m);
                "Wait"
            }
            State::Choice(c) => {
                c.write(&mut m);
                "Choice"
            }
            State::Parallel(p) => {
                p.write(&mut m, render);
                "Parallel"
            }
            State::Map(mp) => {
                mp.write(&mut m, render);
                "Map"
            }
            State::DistributedMap(mp) => {
                mp.write(&mut m, render);
                "Map"
            }
            State::Succeed(_) => "Succeed",
            State::Fail(f) => {
                f.write(&mut m);
                "Fail"
            }
        };
        m.insert("Type".into(), json!(kind));
        J::Object(m)
    }

    /// Its tasks, named, nested flows included.
    pub(super) fn tasks<'a>(&'a self, name: &'a str, out: &mut Vec<(&'a str, &'a Task)>) {
        if let State::Task(t) = self {
            out.push((name, t));
        }
        for (_, d) in self.nested() {
            out.extend(d.tasks());
        }
    }

    /// Its Distributed Map states, nested flows included.
    pub(super) fn distributed_maps<'a>(&'a self, out: &mut Vec<&'a DistributedMap>) {
        if let State::DistributedMap(m) = self {
            out.push(m);
        }
        for (_, d) in self.nested() {
            out.extend(d.distributed_maps());
        }
    }
}
