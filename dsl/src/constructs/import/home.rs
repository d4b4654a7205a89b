//! Where a resource known by a literal ARN lives (its Region and account), and what a
//! wiring to it requires of where the stack deploys.
//!
//! Some wirings reach only a resource of the stack's own Region (and account), which
//! nothing in the template can change: Lambda maps only a queue of its own Region, an S3
//! bucket notifies only destinations of its Region, an EventBridge rule targets only
//! resources of its Region (another Region's through an event bus), and the
//! `AWS::Lambda::Permission` of a push wiring is added to a function of the stack's
//! own Region and account. [`require_home`] records such a wiring: when the stack's
//! Region is given (`StackSettings::region`), `App::synth` refuses a wiring to another
//! Region's resource, naming it; and the template gets a rule
//! (`ImportsRegion<region>`, `ImportsAccount<account>`) asserting `AWS::Region` (and
//! `AWS::AccountId`), so CloudFormation refuses the stack before it creates anything
//! when the deploy's Region or account is another. An ARN known only at deploy
//! (another stack's output, a parameter) proves nothing and records nothing.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::rule::Rule;
use crate::stack::stack::{Stack, WiredHome};
use crate::value::value::Value;

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
    // The import's own ARN reader (no region or account check: S3 ARNs have neither).
    let parsed = super::arn::Arn::split("a wired import", text).ok()?;
    let (region, account) = (parsed.region(), parsed.account());
    // Only what a region and an account can be (letters, digits, `-`): the rule IDs and
    // assertions are built from them.
    let plain =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (plain(region) && plain(account)).then_some((region, account))
}

/// What a wiring to a resource outside the stack requires of where the stack deploys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The resource must be in the stack's Region (an event source mapping, an S3
    /// notification, an EventBridge rule target).
    Region,
    /// The resource must be in the stack's Region and account (a `Lambda::Permission`
    /// this stack adds to the function's own policy, an EventBridge rule target).
    RegionAndAccount,
}

/// Records that `wiring` (how messages name it, such as "the event source mapping from
/// queue `arn:...` to function `Worker`") reaches the resource `arn` only when it is in
/// the stack's Region (and, for [`Reach::RegionAndAccount`], account), because `why`
/// (the rule, with the document that states it). A literal ARN adds a template rule
/// asserting `AWS::Region` (and `AWS::AccountId`) equals its own, and is checked
/// against the stack's Region by `App::synth` when `StackSettings::region` gives it; a
/// computed ARN records nothing.
///
/// ```
/// use nephos::{App, Stack, StackSettings};
/// use nephos::constructs::import::{Reach, require_home};
/// let mut stack = Stack::new("App");
/// let arn: nephos::Value<nephos::kind::Str> = "arn:aws:sqs:us-west-2:123456789012:jobs".into();
/// require_home(&mut stack, &arn, "my mapping from queue `jobs`", Reach::Region, "Lambda maps only a queue of its Region");
/// let t = stack.clone().synth().unwrap();
/// assert_eq!(t.json()["Rules"]["ImportsRegionUsWest2"]["Assertions"][0]["Assert"]["Fn::Equals"][1], "us-west-2");
/// let mut app = App::new();
/// app.stack(stack, StackSettings::new("app").region("eu-west-1"));
/// assert!(app.synth().unwrap_err().to_string().contains("my mapping from queue `jobs`"));
/// ```
pub fn require_home<K>(stack: &mut Stack, arn: &Value<K>, wiring: &str, reach: Reach, why: &str) {
    let Some((region, account)) = literal_home(arn) else {
        return;
    };
    let (region, account) = (region.to_string(), account.to_string());
    // Two homes the stack cannot both be in make rules that can never both hold: the
    // stack would never deploy, so it is refused now, naming both wirings.
    let needs_account = reach == Reach::RegionAndAccount;
    let conflict = stack.wired_homes.iter().find_map(|h| {
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
            "{} needs the stack in {theirs} and {} in {ours}: a stack deploys to one Region and account, so one of the two always fails",
            first, wiring
        );
        stack.problem(Diagnostic::error(
            Location::stack(),
            message,
            "wire resources of one Region (and account) per stack: move one wiring to a stack deployed where its resource is",
        ));
    }
    stack.wired_homes.push(WiredHome {
        wiring: wiring.to_string(),
        region: region.clone(),
        account: needs_account.then(|| account.clone()),
        why: why.to_string(),
    });
    let id = format!(
        "ImportsRegion{}",
        crate::constructs::ids::fragment(&region, 64)
    );
    assert_rule(
        stack,
        &id,
        crate::value::condition::equals(crate::aws::region(), region.as_str()),
        format!(
            "This stack wires resources of Region {region} ({wiring}: {why}); deploy it to {region}."
        ),
    );
    if reach == Reach::RegionAndAccount {
        let id = format!("ImportsAccount{account}");
        assert_rule(
            stack,
            &id,
            crate::value::condition::equals(crate::aws::account_id(), account.as_str()),
            format!(
                "This stack wires resources of account {account} ({wiring}: {why}); deploy it to account {account}."
            ),
        );
    }
}

/// Adds the rule `id` asserting `condition`, unless an earlier wiring added it.
fn assert_rule(
    stack: &mut Stack,
    id: &str,
    condition: crate::value::condition::CondExpr,
    description: String,
) {
    if stack.rules.iter().any(|(r, _)| r == id) {
        return;
    }
    stack.rule(id, Rule::new().assert(condition, description));
}
