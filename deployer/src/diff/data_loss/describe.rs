//! How a data-loss risk is worded (one line, shared by `nephos diff` and the deploy
//! refusal) and which `--allow-replace` IDs allow it.

use super::policy::keeps_data;
use super::{DataLoss, Evidence, Hazard};

impl DataLoss {
    /// The one-line explanation used by both `nephos diff` and the deploy refusal.
    pub fn describe(&self) -> String {
        let id = &self.logical_id;
        let ty = &self.resource_type;
        let evidence = match self.evidence {
            Evidence::ChangeSet => "from the change set",
            Evidence::Template => "predicted from the template",
        };
        let cause = self
            .cause
            .as_deref()
            .unwrap_or("a change CloudFormation did not detail");
        let attribute = match self.hazard {
            Hazard::Replaced | Hazard::MayBeReplaced | Hazard::ChangedInside => {
                "UpdateReplacePolicy"
            }
            Hazard::Removed | Hazard::MayBeRemoved | Hazard::Renamed => "DeletionPolicy",
        };
        let policy = match &self.policy {
            Some(p) if self.policy_is_default => format!("{attribute} {p} (the default for {ty})"),
            Some(p) if p == "Snapshot" && !nephos::facts::snapshots_on_delete(ty) => {
                format!(
                    "{attribute} Snapshot (not supported for {ty}, so CloudFormation deletes it)"
                )
            }
            Some(p) => format!("{attribute} {p}"),
            None => format!("{attribute} Delete (the default)"),
        };
        // A type in neither the stateful list nor the reviewed no-data list is gated the
        // same way, but the review does not claim it holds data.
        let unknown = format!(
            "nephos does not know whether {id} holds data ({ty} is not a type it can show holds none)"
        );
        let fate = match (
            keeps_data(self.policy.as_deref(), &self.resource_type),
            self.data_unknown,
        ) {
            (true, false) => {
                format!("{policy} keeps the old resource, but the stack would use a new, empty one")
            }
            (true, true) => format!(
                "{policy} keeps the old resource, but the stack would use a new one, and {unknown}"
            ),
            (false, false) => format!("{policy}: the resource and its data would be deleted"),
            (false, true) => format!("{policy}: the resource would be deleted, and {unknown}"),
        };
        match self.hazard {
            Hazard::Replaced => format!(
                "{id} ({ty}) would be replaced: {cause} forces a new resource ({evidence}); {fate}"
            ),
            Hazard::MayBeReplaced => format!(
                "{id} ({ty}) may be replaced: {cause} may force a new resource ({evidence}); {fate}"
            ),
            Hazard::Removed => format!("{id} ({ty}) would be removed ({evidence}); {fate}"),
            Hazard::MayBeRemoved => {
                format!("{id} ({ty}) may be removed: {cause} ({evidence}); {fate}")
            }
            Hazard::Renamed => format!(
                "{id} ({ty}) would be removed and {cause} added with the same properties, a probable rename of the logical ID; {fate}; keep the ID {id} in the app (constructs take explicit IDs)"
            ),
            // No policy applies to what happens inside: it is not named.
            Hazard::ChangedInside => {
                let changed = self
                    .cause
                    .as_deref()
                    .map_or_else(String::new, |c| format!(" (changing {c})"));
                format!(
                    "{id} ({ty}) is updated in place{changed} ({evidence}), but what the update does inside it is not judged: its own template may replace or remove stateful resources, which neither this review nor nephos's stack policy reaches"
                )
            }
        }
    }

    /// Whether `--allow-replace` with `ids` (or `--allow-data-loss`) allows this risk. A
    /// rename is allowed by either of its IDs.
    pub fn allowed(&self, ids: &[String], all: bool) -> bool {
        all || ids.iter().any(|i| {
            *i == self.logical_id
                || (self.hazard == Hazard::Renamed && self.cause.as_deref() == Some(i.as_str()))
        })
    }
}
