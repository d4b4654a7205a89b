//! Where a resource known by a literal ARN lives (its Region and account), and what a
//! wiring to it requires of where the stack deploys: the one mechanism for every
//! wiring that reaches only a resource of the stack's own Region (and account).
//!
//! Some wirings reach only a resource of the stack's own Region (and account), which
//! nothing in the template can change: Lambda maps only a queue of its own Region, an S3
//! bucket notifies only destinations of its Region, an EventBridge rule targets only
//! resources of its Region, an API Gateway service integration calls the service's
//! endpoint in the API's Region, a Step Functions task reaches only its Region, and the
//! `AWS::Lambda::Permission` of a push wiring is added to a function of the stack's
//! own Region and account. [`Stack::require_home`] records such a wiring. Synth checks
//! find the others, on the template itself (`synth/checks/certificate_region.rs`,
//! `synth/checks/waf_scope.rs`: a certificate the stack makes for CloudFront needs the
//! stack in `us-east-1`, a literal certificate ARN given to a load balancer the ARN's
//! Region). Both kinds are [`WiredHome`]s and go the same way:
//!
//! - when the stack's Region is given (`StackSettings::region`), `App::synth` refuses a
//!   home of another Region, naming it (one loop, one message);
//! - the template gets a rule (`ImportsRegion<Region>`, `ImportsAccount<account>`,
//!   [`home_rules`]) asserting `AWS::Region` (and `AWS::AccountId`), so CloudFormation
//!   refuses the stack before it creates anything when the deploy's Region or account is
//!   another. Its description names the wirings that need it, sorted, so the order of
//!   the calls does not change the template;
//! - two homes needing two Regions (or accounts) are refused at synth, naming both;
//! - a rule of the user's with the ID of such a rule is refused at synth, naming both
//!   (one would silently replace the other).
//!
//! An ARN known only at deploy (another stack's output, a parameter, a dynamic
//! reference) proves nothing and records nothing.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::rule::Rule;
use crate::stack::stack::Stack;
use crate::value::condition::CondExpr;
use crate::value::value::Value;

/// What a wiring to a resource outside the stack requires of where the stack deploys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The resource must be in the stack's Region (an event source mapping, an S3
    /// notification, an API Gateway service integration, a Step Functions task).
    Region,
    /// The resource must be in the stack's Region and account (a `Lambda::Permission`
    /// this stack adds to the function's own policy, an EventBridge rule target).
    RegionAndAccount,
}

/// Where the stack must deploy for one of its parts to work: a wiring to a resource known
/// by a literal ARN that works only from a stack in that resource's Region
/// ([`Stack::require_home`]), or a need a synth check found (a certificate the stack
/// makes for CloudFront: `us-east-1`; a literal certificate ARN where the service takes
/// one of its own Region only: that ARN's Region). Both go through [`home_rules`] at
/// synth and through the one check of `App::synth`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WiredHome {
    /// How messages name the wiring, fitting "… needs the stack in us-east-1".
    pub(crate) wiring: String,
    /// The Region the stack must deploy to.
    pub(crate) region: String,
    /// The account the stack must deploy to, when the wiring needs that too.
    pub(crate) account: Option<String>,
    /// Why the wiring needs it there (the rule, with its document).
    pub(crate) why: String,
    /// What else fixes it than deploying the stack there, for the message ("wire a
    /// resource of the stack's Region instead").
    pub(crate) instead: String,
}

/// The parts of an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`),
/// split and checked only for what every ARN has: six parts, a partition of the AWS
/// SDKs' endpoint data ([`crate::facts::partition`]), a resource part without control
/// characters. Region and account may be empty (an S3 bucket's ARN has neither). `Err`
/// says what is wrong. The imports' [`Arn`](crate::constructs::import::Arn) reader is
/// built on it.
pub(crate) fn split_arn(text: &str) -> Result<[&str; 5], String> {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(
            "an ARN has six parts, `arn:<partition>:<service>:<region>:<account>:<resource>`"
                .to_string(),
        );
    };
    if crate::facts::partition(partition).is_none() {
        let ids: Vec<&str> = crate::facts::partitions().iter().map(|p| p.id).collect();
        return Err(format!(
            "`{}` is not an AWS partition (one of {})",
            partition.escape_debug(),
            ids.join(", ")
        ));
    }
    if resource.is_empty() || resource.chars().any(char::is_control) {
        return Err("its resource part is empty or holds control characters".to_string());
    }
    Ok([partition, service, region, account, resource])
}

/// The Region and account of the literal ARN `arn` (`arn:<partition>:<service>:<region>:<account>:...`),
/// when it is a literal ARN that names both (an S3 bucket's names neither): `None`
/// otherwise.
///
/// ```
/// use nephos::Value;
/// use nephos::constructs::import::literal_home;
/// let arn: Value<nephos::kind::Str> = "arn:aws:sqs:us-west-2:123456789012:jobs".into();
/// assert_eq!(literal_home(&arn), Some(("us-west-2", "123456789012")));
/// let bucket: Value<nephos::kind::Str> = "arn:aws:s3:::assets".into();
/// assert_eq!(literal_home(&bucket), None);
/// assert_eq!(literal_home(&nephos::aws::stack_name()), None);
/// let resolved: Value<nephos::kind::Str> = "arn:aws:sqs:{{resolve:ssm:/r}}:1:q".into();
/// assert_eq!(literal_home(&resolved), None);
/// ```
pub fn literal_home<K>(arn: &Value<K>) -> Option<(&str, &str)> {
    let text = arn.literal_str()?;
    // A dynamic reference is resolved only at deploy: its text says no region.
    if crate::value::dynamic_reference::contains(text) {
        return None;
    }
    let [_, _, region, account, _] = split_arn(text).ok()?;
    (plain_region(region) && plain_region(account)).then_some((region, account))
}

/// Whether `t` is only what a Region (or an account) can be, letters, digits and `-`,
/// and not empty: the rule IDs and assertions of [`home_rules`] are built from it.
pub(crate) fn plain_region(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The ID of the rule asserting the stack deploys to `region`: `ImportsRegion` and the
/// region in PascalCase (`ImportsRegionUsWest2`). `region` is letters, digits and `-`
/// ([`literal_home`]).
fn region_rule_id(region: &str) -> String {
    let mut id = String::from("ImportsRegion");
    for word in region.split('-').filter(|w| !w.is_empty()) {
        let mut c = word.chars();
        if let Some(first) = c.next() {
            id.push(first.to_ascii_uppercase());
            id.push_str(c.as_str());
        }
    }
    id
}

/// The ID of the rule asserting the stack deploys to `account`.
fn account_rule_id(account: &str) -> String {
    format!("ImportsAccount{account}")
}

/// The refusal of the user's rule `id` that has the ID of the rule `wiring` adds.
fn collision(id: &str, wiring: &str) -> Diagnostic {
    Diagnostic::error(
        Location::of(Section::Rule, id),
        format!(
            "rule `{id}` has the ID of the rule {wiring} adds (asserting where the stack deploys): one would replace the other"
        ),
        "give your rule another ID (IDs starting with `ImportsRegion` or `ImportsAccount` are taken by the rules asserting where the stack deploys)",
    )
}

/// The description of a rule asserting the stack deploys to `place` ("Region
/// us-west-2"), naming the wirings (and needs synth found) that need it (`needs`: wiring and why), sorted, the
/// first three and how many more: the same text whatever order they were wired in.
fn description(place: &str, deploy_to: &str, mut needs: Vec<(&str, &str)>) -> String {
    needs.sort_unstable();
    needs.dedup();
    const SHOWN: usize = 3;
    let mut listed: Vec<String> = needs
        .iter()
        .take(SHOWN)
        .map(|(wiring, why)| format!("{wiring}: {why}"))
        .collect();
    if needs.len() > SHOWN {
        listed.push(format!("and {} more", needs.len() - SHOWN));
    }
    let count = match needs.len() {
        1 => String::new(),
        n => format!("{n} wirings: "),
    };
    format!(
        "This stack needs {place} ({count}{}); deploy it to {deploy_to}.",
        listed.join("; ")
    )
}

/// The rules asserting where the stack deploys, for `homes` (the wirings
/// [`Stack::require_home`] recorded, then what synth checks found), one per Region
/// (`ImportsRegion<Region>`, asserting `AWS::Region`) and one per account
/// (`ImportsAccount<account>`, asserting `AWS::AccountId`), sorted by ID, each
/// description naming every home that needs it, sorted: the same template whatever the
/// order of the calls. Refuses, into `diags`, two homes the stack cannot both be in (the
/// rules could never both hold: the stack would never deploy), naming both, and a rule of
/// the user's (`user_rules`) with the ID of one of these (one would silently replace the
/// other), naming the home.
pub(crate) fn home_rules(
    homes: &[WiredHome],
    user_rules: &[(String, Rule)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Rule)> {
    for (i, home) in homes.iter().enumerate() {
        let conflict = homes[..i].iter().find_map(|h| {
            if h.region != home.region {
                Some((
                    &h.wiring,
                    format!("Region {}", h.region),
                    format!("Region {}", home.region),
                ))
            } else {
                match (&h.account, &home.account) {
                    (Some(a), Some(b)) if a != b => {
                        Some((&h.wiring, format!("account {a}"), format!("account {b}")))
                    }
                    _ => None,
                }
            }
        });
        if let Some((first, theirs, ours)) = conflict {
            diags.push(Diagnostic::error(
                Location::stack(),
                format!(
                    "{first} needs the stack in {theirs} and {} in {ours}: a stack deploys to one Region and account, so one of the two always fails",
                    home.wiring
                ),
                "wire resources of one Region (and account) per stack: move one wiring to a stack deployed where its resource is",
            ));
        }
    }
    // Each rule: its ID, what it asserts, where, and the homes needing it (in their
    // order, the first naming a collision).
    let mut rules: std::collections::BTreeMap<String, (CondExpr, String, String, Vec<&WiredHome>)> =
        std::collections::BTreeMap::new();
    for h in homes {
        rules
            .entry(region_rule_id(&h.region))
            .or_insert_with(|| {
                (
                    crate::value::condition::equals(crate::aws::region(), h.region.as_str()),
                    format!("Region {}", h.region),
                    h.region.clone(),
                    Vec::new(),
                )
            })
            .3
            .push(h);
        if let Some(account) = &h.account {
            rules
                .entry(account_rule_id(account))
                .or_insert_with(|| {
                    (
                        crate::value::condition::equals(crate::aws::account_id(), account.as_str()),
                        format!("account {account}"),
                        format!("account {account}"),
                        Vec::new(),
                    )
                })
                .3
                .push(h);
        }
    }
    let mut out = Vec::with_capacity(rules.len());
    for (id, (condition, place, deploy_to, needs)) in rules {
        if user_rules.iter().any(|(r, _)| *r == id) {
            diags.push(collision(&id, &needs[0].wiring));
            continue;
        }
        let pairs = needs
            .iter()
            .map(|h| (h.wiring.as_str(), h.why.as_str()))
            .collect();
        let rule = Rule::new().assert(condition, description(&place, &deploy_to, pairs));
        out.push((id, rule));
    }
    out
}

impl Stack {
    /// Records that `wiring` (how messages name it, such as "the event source mapping
    /// from queue `arn:...` to function `Worker`") reaches the resource `arn` only when
    /// it is in the stack's Region (and, for [`Reach::RegionAndAccount`], account),
    /// because `why` (the rule, with the document that states it). At synth, a literal
    /// ARN adds a template rule asserting `AWS::Region` (and `AWS::AccountId`) equals its
    /// own, and `App::synth` checks it against the stack's Region when
    /// `StackSettings::region` gives it; a computed ARN records nothing. Two wirings
    /// needing two Regions (or accounts), or a rule of yours with the ID of such a rule,
    /// are refused at synth, naming both.
    ///
    /// For a construct of your own whose wiring works only in the resource's Region.
    ///
    /// ```
    /// use nephos::{App, Reach, Stack, StackSettings};
    /// let mut stack = Stack::new("App");
    /// let arn: nephos::Value<nephos::kind::Str> = "arn:aws:sqs:us-west-2:123456789012:jobs".into();
    /// stack.require_home(&arn, "my mapping from queue `jobs`", Reach::Region, "Lambda maps only a queue of its Region");
    /// let t = stack.clone().synth().unwrap();
    /// assert_eq!(t.json()["Rules"]["ImportsRegionUsWest2"]["Assertions"][0]["Assert"]["Fn::Equals"][1], "us-west-2");
    /// let mut app = App::new();
    /// app.stack(stack, StackSettings::new("app").region("eu-west-1"));
    /// assert!(app.synth().unwrap_err().to_string().contains("my mapping from queue `jobs`"));
    /// ```
    pub fn require_home<K>(&mut self, arn: &Value<K>, wiring: &str, reach: Reach, why: &str) {
        let Some((region, account)) = literal_home(arn) else {
            return;
        };
        let home = WiredHome {
            wiring: wiring.to_string(),
            region: region.to_string(),
            account: (reach == Reach::RegionAndAccount).then(|| account.to_string()),
            why: why.to_string(),
            instead: "wire a resource of the stack's Region instead".to_string(),
        };
        if !self.wired_homes.contains(&home) {
            self.wired_homes.push(home);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_the_regions_in_pascal_case() {
        assert_eq!(region_rule_id("us-west-2"), "ImportsRegionUsWest2");
        assert_eq!(region_rule_id("eusc-de-east-1"), "ImportsRegionEuscDeEast1");
        assert_eq!(
            account_rule_id("123456789012"),
            "ImportsAccount123456789012"
        );
    }

    #[test]
    fn arns_split_into_their_parts() {
        assert_eq!(
            split_arn("arn:aws:sqs:eu-west-1:123456789012:jobs:x"),
            Ok(["aws", "sqs", "eu-west-1", "123456789012", "jobs:x"])
        );
        assert_eq!(split_arn("arn:aws:s3:::b").unwrap()[2], "");
        for bad in [
            "jobs",
            "arn:nope:sqs:r:a:q",
            "arn:aws:sqs:r:a:",
            "arn:aws:sqs:r:a:\u{7}",
        ] {
            assert!(split_arn(bad).is_err(), "{bad}");
        }
    }
}
