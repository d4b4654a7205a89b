//! A scripted CloudFormation for the engine's tests.
//!
//! Each API answers from its own script, in order; the last answer repeats once the script
//! runs out (a settled stack keeps describing the same). Every call is logged, so tests
//! assert on what the engine asked as well as on what it said.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::{
    ChangeSet, ChangeSetRequest, ChangeSetType, Stack, StackEvent, StackResource, StackSummary,
};
use crate::cfn::seam::{CloudFormation, Staging};
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, ResourceStatus, StackStatus};

type Answer<T> = Result<T, CfnError>;

/// Every call of the seam that changes something in CloudFormation.
pub const WRITE_CALLS: &[&str] = &[
    "CreateChangeSet",
    "ExecuteChangeSet",
    "CreateStack",
    "UpdateStack",
    "SetStackPolicy",
    "DeleteChangeSet",
    "DeleteStack",
    "ContinueUpdateRollback",
    "CancelUpdateStack",
    "UpdateTerminationProtection",
];

/// A script: answers in order, the last one repeating.
#[derive(Debug)]
pub struct Script<T: Clone>(Mutex<VecDeque<Answer<T>>>);

impl<T: Clone> Script<T> {
    pub fn new(items: Vec<Answer<T>>) -> Self {
        Self(Mutex::new(items.into()))
    }

    fn next(&self, what: &str) -> Answer<T> {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match q.len() {
            0 => Err(CfnError::new(
                ErrorKind::Other,
                format!("fake: no answer scripted for {what}"),
            )),
            1 => q[0].clone(),
            _ => q
                .pop_front()
                .unwrap_or_else(|| Err(CfnError::new(ErrorKind::Other, "fake: empty"))),
        }
    }
}

/// The fake.
pub struct FakeCfn {
    pub describe: Script<Option<Stack>>,
    pub events: Script<Vec<StackEvent>>,
    pub change_set: Script<ChangeSet>,
    /// `GetTemplate` answers in order (the last repeating).
    pub template: Script<String>,
    /// `GetTemplate` with `ChangeSetName` answers in order (the last repeating).
    pub change_set_template: Script<String>,
    /// How many events one `DescribeStackEvents` page holds.
    pub event_page: usize,
    /// `ListStackResources` answers in order (the last repeating).
    pub resources: Script<Vec<StackResource>>,
    /// What `ListChangeSets` answers.
    pub change_set_names: Vec<String>,
    /// `ListChangeSets` answers in order (the last repeating), when set: a listing that
    /// changes during the run (attack12).
    pub change_set_listings: Mutex<VecDeque<Vec<String>>>,
    /// The stack policy `GetStackPolicy` answers; `SetStackPolicy` replaces it.
    pub stack_policy: Mutex<Option<String>>,
    /// Every policy document sent with `SetStackPolicy`, in order.
    pub policies_sent: Mutex<Vec<String>>,
    /// Errors to return from a named call before it succeeds, in order.
    pub failures: Mutex<HashMap<&'static str, VecDeque<CfnError>>>,
    /// Calls whose scripted failures come after the call took effect (a lost answer).
    pub lost: Mutex<Vec<&'static str>>,
    pub calls: Mutex<Vec<String>>,
    /// The change set (name or id) each `ExecuteChangeSet` named.
    pub executed: Mutex<Vec<String>>,
    /// Ctrl-C pressed while this call is made (it still answers): see
    /// [`FakeCfn::interrupting`].
    pub interrupt_on: Option<(&'static str, crate::deploy::interrupt::Interrupt)>,
}

impl FakeCfn {
    pub fn new(describe: Vec<Option<Stack>>) -> Self {
        Self {
            describe: Script::new(describe.into_iter().map(Ok).collect()),
            events: Script::new(vec![Ok(Vec::new())]),
            change_set: Script::new(vec![Ok(complete(vec![]))]),
            template: Script::new(vec![Ok(String::new())]),
            change_set_template: Script::new(Vec::new()),
            event_page: 100,
            resources: Script::new(vec![Ok(Vec::new())]),
            change_set_names: Vec::new(),
            change_set_listings: Mutex::new(VecDeque::new()),
            stack_policy: Mutex::new(None),
            policies_sent: Mutex::new(Vec::new()),
            failures: Mutex::new(HashMap::new()),
            lost: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
            executed: Mutex::new(Vec::new()),
            interrupt_on: None,
        }
    }

    /// Fires `interrupt` (Ctrl-C) inside every `call` (such as `CreateChangeSet`), which
    /// still answers as scripted: the user pressed Ctrl-C while it was in flight.
    pub fn interrupting(
        mut self,
        call: &'static str,
        interrupt: &crate::deploy::interrupt::Interrupt,
    ) -> Self {
        self.interrupt_on = Some((call, interrupt.clone()));
        self
    }

    pub fn with_events(mut self, events: Vec<Vec<StackEvent>>) -> Self {
        self.events = Script::new(events.into_iter().map(Ok).collect());
        self
    }

    pub fn with_change_sets(mut self, cs: Vec<ChangeSet>) -> Self {
        self.change_set = Script::new(cs.into_iter().map(Ok).collect());
        self
    }

    pub fn with_template(self, t: &str) -> Self {
        self.with_templates(&[t])
    }

    /// `GetTemplate` answers these in order, the last repeating (a stack that changes).
    pub fn with_templates(mut self, ts: &[&str]) -> Self {
        self.template = Script::new(ts.iter().map(|t| Ok((*t).to_owned())).collect());
        self
    }

    /// `GetTemplate` of a change set answers this body.
    pub fn with_change_set_template(mut self, t: &str) -> Self {
        self.change_set_template = Script::new(vec![Ok(t.to_owned())]);
        self
    }

    /// `DescribeStackEvents` answers in pages of `n` events.
    pub fn with_event_page(mut self, n: usize) -> Self {
        self.event_page = n.max(1);
        self
    }

    /// `ListStackResources` answers this listing.
    pub fn with_resources(mut self, rs: Vec<StackResource>) -> Self {
        self.resources = Script::new(vec![Ok(rs)]);
        self
    }

    pub fn with_change_set_names(mut self, names: &[&str]) -> Self {
        self.change_set_names = names.iter().map(|n| (*n).to_owned()).collect();
        self
    }

    pub fn with_stack_policy(self, body: &str) -> Self {
        *self.stack_policy.lock().unwrap_or_else(|e| e.into_inner()) = Some(body.to_owned());
        self
    }

    /// The policy documents sent, parsed.
    pub fn policies(&self) -> Vec<serde_json::Value> {
        self.policies_sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|p| serde_json::from_str(p).unwrap_or(serde_json::Value::Null))
            .collect()
    }

    pub fn failing(self, call: &'static str, errors: Vec<CfnError>) -> Self {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(call, errors.into());
        self
    }

    /// The calls made, except the polling reads (DescribeStacks, DescribeStackEvents,
    /// DescribeChangeSet), which depend on timing, and the listings (ListChangeSets).
    /// `call`'s scripted failures ([`FakeCfn::failing`]) come after it took effect, as when
    /// the answer is lost on the way back.
    pub fn losing_answers(self, call: &'static str) -> Self {
        self.lost
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(call);
        self
    }

    fn loses(&self, call: &str) -> bool {
        self.lost
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&call)
    }

    pub fn writes(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|c| !c.starts_with("Describe") && !c.starts_with("List"))
            .cloned()
            .collect()
    }

    /// The calls made that change something in CloudFormation (every write of the seam),
    /// in order, without their details: what a refused run must not have made.
    pub fn write_calls(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter_map(|c| c.split(' ').next())
            .filter(|c| WRITE_CALLS.contains(c))
            .map(str::to_owned)
            .collect()
    }

    pub fn count(&self, call: &str) -> usize {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|c| c.starts_with(call))
            .count()
    }

    fn log(&self, call: &'static str, detail: String) -> Result<(), CfnError> {
        let text = if detail.is_empty() {
            call.to_owned()
        } else {
            format!("{call} {detail}")
        };
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(text);
        if let Some((on, interrupt)) = &self.interrupt_on
            && *on == call
        {
            interrupt.trigger();
        }
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match f.get_mut(call).and_then(VecDeque::pop_front) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

#[async_trait]
impl CloudFormation for FakeCfn {
    async fn describe_stack(&self, _name: &str) -> Result<Option<Stack>, CfnError> {
        self.log("DescribeStacks", String::new())?;
        self.describe.next("DescribeStacks")
    }
    async fn list_stacks(&self) -> Result<Vec<StackSummary>, CfnError> {
        self.log("ListStacks", String::new())?;
        Ok(Vec::new())
    }
    async fn get_template(&self, _name: &str) -> Result<String, CfnError> {
        self.log("GetTemplate", String::new())?;
        self.template.next("GetTemplate")
    }
    async fn stack_resources(&self, _name: &str) -> Result<Vec<StackResource>, CfnError> {
        self.log("ListStackResources", String::new())?;
        self.resources.next("ListStackResources")
    }
    async fn change_set_template(&self, _stack: &str, _cs: &str) -> Result<String, CfnError> {
        self.log("GetTemplate", "change set".into())?;
        self.change_set_template.next("GetTemplate of a change set")
    }
    async fn stack_events(
        &self,
        _name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, CfnError> {
        // One scripted answer is the stack's events at one moment, served page by page
        // through the same loop the SDK uses.
        self.log("DescribeStackEvents", String::new())?;
        let all = self.events.next("DescribeStackEvents")?;
        let mut out = crate::cfn::pages::Listing::new("DescribeStackEvents");
        let mut pages = all.chunks(self.event_page);
        let mut n = 1;
        loop {
            let page = pages.next().map(<[StackEvent]>::to_vec).unwrap_or_default();
            let next = (all.len() > n * self.event_page).then(|| format!("page {}", n + 1));
            match out.page_until(page, next, enough)? {
                Some(token) => self.log("DescribeStackEvents", token)?,
                None => return Ok(out.done()),
            }
            n += 1;
        }
    }
    async fn create_change_set(&self, req: &ChangeSetRequest) -> Result<(), CfnError> {
        let kind = match req.kind {
            ChangeSetType::Create => "CREATE",
            ChangeSetType::Update => "UPDATE",
        };
        self.log(
            "CreateChangeSet",
            format!("{kind} {}", req.capabilities.join(","))
                .trim_end()
                .to_owned(),
        )
    }
    async fn describe_change_set(&self, _stack: &str, _name: &str) -> Result<ChangeSet, CfnError> {
        self.log("DescribeChangeSet", String::new())?;
        self.change_set.next("DescribeChangeSet")
    }
    async fn execute_change_set(
        &self,
        _stack: &str,
        name: &str,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        self.executed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(name.to_owned());
        self.log(
            "ExecuteChangeSet",
            if disable_rollback {
                "no-rollback".into()
            } else {
                String::new()
            },
        )
    }
    async fn deploy_direct(
        &self,
        req: &ChangeSetRequest,
        _disable_rollback: bool,
    ) -> Result<(), CfnError> {
        match req.kind {
            ChangeSetType::Create => self.log("CreateStack", String::new()),
            ChangeSetType::Update => self.log("UpdateStack", String::new()),
        }
    }
    async fn list_change_sets(&self, _stack: &str) -> Result<Vec<String>, CfnError> {
        self.log("ListChangeSets", String::new())?;
        let mut listings = self
            .change_set_listings
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match listings.len() {
            0 => Ok(self.change_set_names.clone()),
            1 => Ok(listings[0].clone()),
            _ => Ok(listings.pop_front().unwrap_or_default()),
        }
    }
    async fn get_stack_policy(&self, _stack: &str) -> Result<Option<String>, CfnError> {
        self.log("GetStackPolicy", String::new())?;
        Ok(self
            .stack_policy
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone())
    }
    async fn set_stack_policy(&self, _stack: &str, body: &str) -> Result<(), CfnError> {
        let answer = self.log("SetStackPolicy", String::new());
        if answer.is_ok() || self.loses("SetStackPolicy") {
            self.policies_sent
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(body.to_owned());
            *self.stack_policy.lock().unwrap_or_else(|e| e.into_inner()) = Some(body.to_owned());
        }
        answer
    }
    async fn delete_change_set(&self, _stack: &str, _name: &str) -> Result<(), CfnError> {
        self.log("DeleteChangeSet", String::new())
    }
    async fn delete_stack(&self, _name: &str, _role: Option<&str>) -> Result<(), CfnError> {
        self.log("DeleteStack", String::new())
    }
    async fn continue_update_rollback(
        &self,
        _name: &str,
        _role: Option<&str>,
    ) -> Result<(), CfnError> {
        self.log("ContinueUpdateRollback", String::new())
    }
    async fn cancel_update_stack(&self, _name: &str) -> Result<(), CfnError> {
        self.log("CancelUpdateStack", String::new())
    }
    async fn set_termination_protection(&self, _name: &str, enabled: bool) -> Result<(), CfnError> {
        self.log("UpdateTerminationProtection", enabled.to_string())
    }
}

/// A stack in `status`.
pub fn stack(status: StackStatus) -> Option<Stack> {
    Some(Stack {
        name: "api".into(),
        id: "arn:stack/api".into(),
        status,
        ..Default::default()
    })
}

/// A computed change set with these changes.
pub fn complete(changes: Vec<crate::cfn::model::ResourceChange>) -> ChangeSet {
    ChangeSet {
        status: ChangeSetStatus::CreateComplete,
        execution_status: ExecutionStatus::Available,
        changes,
        ..Default::default()
    }
}

/// A change set still being computed.
pub fn pending() -> ChangeSet {
    ChangeSet {
        status: ChangeSetStatus::CreatePending,
        execution_status: ExecutionStatus::Unavailable,
        ..Default::default()
    }
}

/// An event; `n` orders it (and makes its id and timestamp).
pub fn ev(
    n: u32,
    logical: &str,
    ty: &str,
    status: ResourceStatus,
    reason: Option<&str>,
) -> StackEvent {
    StackEvent {
        id: format!("e{n}"),
        timestamp: format!("2026-11-27T10:00:{n:02}Z"),
        logical_id: logical.into(),
        resource_type: ty.into(),
        status,
        reason: reason.map(str::to_owned),
    }
}

/// A stack-level event.
pub fn stack_ev(n: u32, status: ResourceStatus) -> StackEvent {
    ev(n, "api", "AWS::CloudFormation::Stack", status, None)
}

/// A staging bucket that exists and holds nothing at first; uploads are logged and kept.
#[derive(Default)]
pub struct FakeStaging {
    pub puts: Mutex<Vec<String>>,
    /// The objects, by `bucket/key`.
    pub held: Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
    /// The account STS answers; `123456789012` when `None`.
    pub account: Option<String>,
    /// What `HeadBucket` answers instead of "exists" (e.g. S3's 403 for a bucket of that
    /// name owned by another account).
    pub bucket: Option<Result<bool, CfnError>>,
}

impl FakeStaging {
    /// Puts an object in the bucket without logging an upload (what someone else wrote).
    pub fn hold(&self, bucket: &str, key: &str, body: &[u8]) {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(format!("{bucket}/{key}"), body.to_vec());
    }

    /// The objects' `bucket/key`s.
    pub fn objects(&self) -> Vec<String> {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }
}

#[async_trait]
impl Staging for FakeStaging {
    async fn account_id(&self) -> Result<String, CfnError> {
        Ok(self
            .account
            .clone()
            .unwrap_or_else(|| "123456789012".into()))
    }
    fn region(&self) -> String {
        "eu-west-1".into()
    }
    async fn bucket_exists(&self, _: &str) -> Result<bool, CfnError> {
        self.bucket.clone().unwrap_or(Ok(true))
    }
    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError> {
        Ok(self.objects().contains(&format!("{bucket}/{key}")))
    }
    async fn object_sha256(&self, bucket: &str, key: &str) -> Result<Option<String>, CfnError> {
        Ok(self
            .held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&format!("{bucket}/{key}"))
            .map(|b| crate::deploy::staging::sha256_hex(b)))
    }
    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), CfnError> {
        self.puts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{bucket}/{key}"));
        self.hold(bucket, key, &body);
        Ok(())
    }
    fn object_url(&self, bucket: &str, key: &str) -> String {
        format!("https://s3/{bucket}/{key}")
    }
}
