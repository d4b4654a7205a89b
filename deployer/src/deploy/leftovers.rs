//! Change sets earlier nephos runs left on a stack.
//!
//! nephos names its change sets `nephos-<milliseconds>` ([`change_set_name`]) and deletes
//! the one it made on every way out of a run, except when the change set is left for
//! review (`--no-execute`) or the process is killed (`kill -9`, a lost machine) before its
//! cleanup runs. Those stay on the stack until someone deletes them.
//!
//! nephos never deletes them on its own: from a name alone it cannot tell a dead run's
//! change set from one a colleague's run is reviewing right now or left for review on
//! purpose, and deleting that would silently end their review. The AWS CDK instead reuses
//! one fixed name (`cdk-deploy-change-set`) and overwrites a previous change set of that
//! name (AWS CDK CLI reference, `cdk deploy --method`), which deletes another run's change
//! set without a word. The safe equivalent here: `diff` and `deploy` list the leftovers by
//! the name pattern (never the current run's own) and say how to execute or delete one.

/// The prefix of the change sets nephos names.
pub const CHANGE_SET_PREFIX: &str = "nephos-";

/// How many leftover names a notice spells out; the rest are counted.
const NAMED: usize = 5;

/// The name of a new change set made at `millis` since the Unix epoch.
pub fn change_set_name(millis: u128) -> String {
    format!("{CHANGE_SET_PREFIX}{millis}")
}

/// Whether `name` follows nephos's pattern for the change sets it names.
pub fn is_nephos_change_set(name: &str) -> bool {
    name.strip_prefix(CHANGE_SET_PREFIX)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// The change sets among `names` that earlier nephos runs made: by the name pattern, never
/// `current` (this run's), sorted.
pub fn leftovers(names: &[String], current: &str) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .filter(|n| is_nephos_change_set(n) && n.as_str() != current)
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The notice about `leftovers` on `stack` (`None`: there are none): what they are, that
/// nephos leaves them alone, and the commands to review, execute or delete one.
pub fn notice(stack: &str, leftovers: &[String]) -> Option<String> {
    let first = leftovers.first()?;
    let mut names = leftovers[..leftovers.len().min(NAMED)].join(", ");
    if leftovers.len() > NAMED {
        names.push_str(&format!(" and {} more", leftovers.len() - NAMED));
    }
    Some(format!(
        "{} change set(s) of earlier nephos runs are on the stack: {names} (left for review with --no-execute, or by a run that was stopped before it cleaned up); nephos leaves them alone, as one may be someone's review in progress: inspect one with `aws cloudformation describe-change-set --stack-name {stack} --change-set-name {first}`, execute it with `nephos deploy {stack} --change-set {first}`, or delete it with `aws cloudformation delete-change-set --stack-name {stack} --change-set-name {first}`",
        leftovers.len()
    ))
}

impl crate::deploy::engine::Engine<'_> {
    /// Tells about the change sets earlier nephos runs left on `stack` (not `current`,
    /// this run's). Only a notice, deciding nothing: a failed listing is noticed too.
    pub async fn note_leftovers(&mut self, stack: &str, current: &str) {
        let text = match self.retry.run(|| self.cfn.list_change_sets(stack)).await {
            Ok(names) => notice(stack, &leftovers(&names, current)),
            Err(e) => Some(format!(
                "could not list the stack's change sets to find ones earlier nephos runs left ({e})"
            )),
        };
        if let Some(text) = text {
            self.reporter.notice(stack, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ns: &[&str]) -> Vec<String> {
        ns.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn only_nephos_named_change_sets_of_other_runs_are_leftovers() {
        let made = change_set_name(1_764_570_000_000);
        assert!(is_nephos_change_set(&made), "{made}");
        for other in [
            "nephos-",
            "nephos-12a",
            "cdk-deploy-change-set",
            "Nephos-1",
            "mine",
        ] {
            assert!(!is_nephos_change_set(other), "{other}");
        }
        let on_stack = names(&["nephos-3", "theirs", "nephos-1", &made, "nephos-x"]);
        assert_eq!(
            leftovers(&on_stack, &made),
            names(&["nephos-1", "nephos-3"])
        );
        assert_eq!(notice("api", &[]), None);
    }

    #[test]
    fn the_notice_names_a_bounded_list_and_commands_for_the_first() {
        let many: Vec<String> = (1..=8).map(|n| format!("nephos-{n}")).collect();
        let n = notice("api", &many).expect("a notice");
        assert!(n.starts_with("8 change set(s)"), "{n}");
        assert!(n.contains("nephos-5 and 3 more"), "{n}");
        assert!(!n.contains("nephos-6"), "{n}");
        assert!(
            n.contains(
                "`aws cloudformation delete-change-set --stack-name api --change-set-name nephos-1`"
            ),
            "{n}"
        );
        assert!(
            n.contains("`nephos deploy api --change-set nephos-1`"),
            "{n}"
        );
    }
}
