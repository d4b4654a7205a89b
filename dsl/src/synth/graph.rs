//! Dependency cycles, printed as the cycle itself with what made each edge.

use std::collections::BTreeMap;

/// A directed graph of named nodes whose edges carry why they exist. Node names are
/// borrowed from the stack: building the graph copies no logical ID.
#[derive(Default)]
pub(crate) struct Graph<'a> {
    edges: BTreeMap<&'a str, BTreeMap<&'a str, String>>,
}

impl<'a> Graph<'a> {
    pub(crate) fn node(&mut self, id: &'a str) {
        self.edges.entry(id).or_default();
    }

    /// Records that `from` depends on `to` because of `why` (the first reason is kept).
    pub(crate) fn edge(&mut self, from: &'a str, to: &'a str, why: String) {
        self.node(to);
        self.edges.entry(from).or_default().entry(to).or_insert(why);
    }

    pub(crate) fn depends_on(&self, id: &str) -> impl Iterator<Item = &'a str> + '_ {
        self.edges
            .get(id)
            .into_iter()
            .flat_map(|m| m.keys().copied())
    }

    /// Every elementary cycle found by a depth-first search, one per back edge, each as
    /// the list of nodes from its smallest member, in a deterministic order.
    pub(crate) fn cycles(&self) -> Vec<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let mut mark: BTreeMap<&str, Mark> = self.edges.keys().map(|k| (*k, Mark::New)).collect();
        let mut found: Vec<Vec<String>> = Vec::new();
        for start in self.edges.keys() {
            if mark[start] != Mark::New {
                continue;
            }
            // Iterative DFS so a long chain of resources cannot overflow the stack.
            let mut path: Vec<&str> = vec![start];
            let mut iters: Vec<Box<dyn Iterator<Item = &str> + '_>> =
                vec![Box::new(self.depends_on(start))];
            mark.insert(start, Mark::OnPath);
            while let Some(it) = iters.last_mut() {
                match it.next() {
                    Some(next) => match mark[next] {
                        Mark::New => {
                            mark.insert(next, Mark::OnPath);
                            path.push(next);
                            iters.push(Box::new(self.depends_on(next)));
                        }
                        Mark::OnPath => {
                            let from = path.iter().position(|n| *n == next).unwrap_or(0);
                            let mut cycle: Vec<String> =
                                path[from..].iter().map(|s| s.to_string()).collect();
                            let min = (0..cycle.len()).min_by_key(|i| &cycle[*i]).unwrap_or(0);
                            cycle.rotate_left(min);
                            if !found.contains(&cycle) {
                                found.push(cycle);
                            }
                        }
                        Mark::Done => {}
                    },
                    None => {
                        iters.pop();
                        if let Some(done) = path.pop() {
                            mark.insert(done, Mark::Done);
                        }
                    }
                }
            }
        }
        found.sort();
        found
    }

    /// Why `from` depends on `to`, when it does.
    pub(crate) fn why(&self, from: &str, to: &str) -> Option<&str> {
        self.edges
            .get(from)
            .and_then(|m| m.get(to))
            .map(String::as_str)
    }

    /// `A -> B -> A`, then each edge's reason on its own line.
    pub(crate) fn describe(&self, cycle: &[String]) -> String {
        let mut line: Vec<&str> = cycle.iter().map(String::as_str).collect();
        line.push(&cycle[0]);
        let mut text = line.join(" -> ");
        for pair in line.windows(2) {
            let why = self.why(pair[0], pair[1]).unwrap_or("");
            text.push_str(&format!("\n    {} -> {}: {why}", pair[0], pair[1]));
        }
        text
    }
}
