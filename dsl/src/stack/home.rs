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
//! own Region and account. [`Stack::require_home`] records such a wiring:
//!
//! - when the stack's Region is given (`StackSettings::region`), `App::synth` refuses a
//!   wiring to another Region's resource, naming it;
//! - the template gets a rule (`ImportsRegion<Region>`, `ImportsAccount<account>`)
//!   asserting `AWS::Region` (and `AWS::AccountId`), so CloudFormation refuses the stack
//!   before it creates anything when the deploy's Region or account is another. Its
//!   description names the wirings that need it, sorted, so the order of the calls does
//!   not change the template;
//! - two wirings needing two Regions (or accounts) are refused at once, naming both;
//! - a rule of the user's with the ID of such a rule is refused, naming both (one would
//!   silently replace the other).
//!
//! An ARN known only at deploy (another stack's output, a parameter, a dynamic
//! reference) proves nothing and records nothing.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::rule::Rule;
use crate::stack::stack::Stack;
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

/// A wiring to a resource known by a literal ARN that works only from a stack in that
/// resource's Region ([`Stack::require_home`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WiredHome {
    /// How messages name the wiring.
    pub(crate) wiring: String,
    /// The resource's Region.
    pub(crate) region: String,
    /// The resource's account, when the wiring needs the stack in it too.
    pub(crate) account: Option<String>,
    /// Why the wiring needs it there (the rule, with its document).
    pub(crate) why: String,
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
    // Only what a region and an account can be (letters, digits, `-`): the rule IDs and
    // assertions are built from them.
    let plain =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (plain(region) && plain(account)).then_some((region, account))
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

/// The wiring whose rule has the ID `id`, if a wiring recorded by
/// [`Stack::require_home`] adds one with it.
pub(crate) fn rule_owner<'a>(stack: &'a Stack, id: &str) -> Option<&'a WiredHome> {
    stack.wired_homes.iter().find(|h| {
        region_rule_id(&h.region) == id
            || h.account.as_deref().map(account_rule_id).as_deref() == Some(id)
    })
}

/// The refusal of the user's rule `id` that has the ID of the rule `wiring` adds.
pub(crate) fn collision(id: &str, wiring: &str) -> Diagnostic {
    Diagnostic::error(
        Location::of(Section::Rule, id),
        format!(
            "rule `{id}` has the ID of the rule {wiring} adds (asserting where the stack deploys): one would replace the other"
        ),
        "give your rule another ID (IDs starting with `ImportsRegion` or `ImportsAccount` are taken by the wirings to imports)",
    )
}

/// The description of a rule asserting the stack deploys to `place` ("Region
/// us-west-2"), naming the wirings that need it (`needs`: wiring and why), sorted, the
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
        "This stack wires resources of {place} ({count}{}); deploy it to {deploy_to}.",
        listed.join("; ")
    )
}

impl Stack {
    /// Records that `wiring` (how messages name it, such as "the event source mapping
    /// from queue `arn:...` to function `Worker`") reaches the resource `arn` only when
    /// it is in the stack's Region (and, for [`Reach::RegionAndAccount`], account),
    /// because `why` (the rule, with the document that states it). A literal ARN adds a
    /// template rule asserting `AWS::Region` (and `AWS::AccountId`) equals its own, and
    /// is checked against the stack's Region by `App::synth` when
    /// `StackSettings::region` gives it; a computed ARN records nothing.
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
        let (region, account) = (region.to_string(), account.to_string());
        let needs_account = reach == Reach::RegionAndAccount;
        // Two homes the stack cannot both be in make rules that can never both hold:
        // the stack would never deploy, so it is refused now, naming both wirings.
        let conflict = self.wired_homes.iter().find_map(|h| {
            if h.region != region {
                Some((
                    &h.wiring,
                    format!("Region {}", h.region),
                    format!("Region {region}"),
                ))
            } else {
                match (&h.account, needs_account) {
                    (Some(a), true) if *a != account => Some((
                        &h.wiring,
                        format!("account {a}"),
                        format!("account {account}"),
                    )),
                    _ => None,
                }
            }
        });
        if let Some((first, theirs, ours)) = conflict {
            let message = format!(
                "{first} needs the stack in {theirs} and {wiring} in {ours}: a stack deploys to one Region and account, so one of the two always fails"
            );
            self.problem(Diagnostic::error(
                Location::stack(),
                message,
                "wire resources of one Region (and account) per stack: move one wiring to a stack deployed where its resource is",
            ));
        }
        let home = WiredHome {
            wiring: wiring.to_string(),
            region: region.clone(),
            account: needs_account.then(|| account.clone()),
            why: why.to_string(),
        };
        if self.wired_homes.contains(&home) {
            return;
        }
        self.wired_homes.push(home);
        let needs = |homes: &[WiredHome], keep: &dyn Fn(&WiredHome) -> bool| {
            homes
                .iter()
                .filter(|h| keep(h))
                .map(|h| (h.wiring.clone(), h.why.clone()))
                .collect::<Vec<(String, String)>>()
        };
        let by_region = needs(&self.wired_homes, &|h| h.region == region);
        self.home_rule(
            &region_rule_id(&region),
            crate::value::condition::equals(crate::aws::region(), region.as_str()),
            description(&format!("Region {region}"), &region, pairs(&by_region)),
            wiring,
        );
        if needs_account {
            let by_account = needs(&self.wired_homes, &|h| {
                h.account.as_deref() == Some(account.as_str())
            });
            self.home_rule(
                &account_rule_id(&account),
                crate::value::condition::equals(crate::aws::account_id(), account.as_str()),
                description(
                    &format!("account {account}"),
                    &format!("account {account}"),
                    pairs(&by_account),
                ),
                wiring,
            );
        }
    }

    /// Sets the rule `id` a wiring adds to assert `condition` (replacing the one an
    /// earlier wiring to the same home set, to name them all), unless the user's rule
    /// has the ID: that is refused, naming both.
    fn home_rule(
        &mut self,
        id: &str,
        condition: crate::value::condition::CondExpr,
        description: String,
        wiring: &str,
    ) {
        let rule = Rule::new().assert(condition, description);
        match self.home_rules.iter().any(|r| r == id) {
            true => {
                if let Some(slot) = self.rules.iter_mut().find(|(r, _)| r == id) {
                    slot.1 = rule;
                }
            }
            false if self.rules.iter().any(|(r, _)| r == id) => {
                self.problem(collision(id, wiring));
            }
            false => {
                self.home_rules.push(id.to_string());
                self.rules.push((id.to_string(), rule));
            }
        }
    }
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
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
