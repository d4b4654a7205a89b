//! Plain data exchanged over the seam: what the deployer needs from CloudFormation's
//! answers, and nothing of the SDK's types, so fakes are easy to script.

use serde::Serialize;

use super::status::{
    ChangeAction, ChangeSetStatus, ExecutionStatus, PolicyAction, Replacement, ResourceStatus,
    StackStatus,
};

/// A stack as `DescribeStacks` reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stack {
    /// The stack's name.
    pub name: String,
    /// The stack's ARN (`StackId`).
    pub id: String,
    /// The current status.
    pub status: StackStatus,
    /// Why it is in that status, when CloudFormation says.
    pub status_reason: Option<String>,
    /// Outputs, in the order CloudFormation returns them.
    pub outputs: Vec<Output>,
    /// Current parameter values (`NoEcho` ones are masked by AWS).
    pub parameters: Vec<(String, String)>,
    /// Stack-level tags.
    pub tags: Vec<(String, String)>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// When the stack was last updated (`LastUpdatedTime`, RFC 3339; `None`: never, or not
    /// said): a change by anyone moves it.
    pub last_updated: Option<String>,
}

/// One stack output.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The output's logical name.
    pub key: String,
    /// Its value.
    pub value: String,
    /// The export name, if exported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_name: Option<String>,
    /// The output's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One row of `ListStacks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackSummary {
    /// The stack's name.
    pub name: String,
    /// Its status.
    pub status: StackStatus,
    /// Last update (or creation) time, RFC 3339.
    pub updated: String,
}

/// One stack event (`DescribeStackEvents`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackEvent {
    /// The event's unique id.
    pub id: String,
    /// When it happened, RFC 3339 (sorts chronologically as text).
    pub timestamp: String,
    /// The resource's logical id (the stack's name for stack-level events).
    pub logical_id: String,
    /// The resource type (`AWS::CloudFormation::Stack` for stack-level events).
    pub resource_type: String,
    /// The resource status, such as `CREATE_FAILED`.
    pub status: ResourceStatus,
    /// CloudFormation's reason, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl StackEvent {
    /// Whether the event is about the stack itself rather than one of its resources.
    pub fn is_stack_event(&self) -> bool {
        self.resource_type == "AWS::CloudFormation::Stack"
    }
}

/// One resource of a live stack (`ListStackResources`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackResource {
    /// Logical id in the template.
    pub logical_id: String,
    /// Physical id, once created.
    pub physical_id: Option<String>,
    /// Resource type.
    pub resource_type: String,
    /// Resource status.
    pub status: ResourceStatus,
}

/// Whether a change set creates a stack or updates one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ChangeSetType {
    /// The stack does not exist yet (it will sit in `REVIEW_IN_PROGRESS` until executed).
    Create,
    /// The stack exists.
    Update,
}

/// Where the new template comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// Inline, up to 51,200 bytes.
    Body(String),
    /// An S3 URL, for larger templates.
    Url(String),
}

/// A parameter of a change set: a new value, or "keep the previous one".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParameterValue {
    /// Set this value.
    Value(String),
    /// `UsePreviousValue`.
    Previous,
}

/// Everything `CreateChangeSet` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeSetRequest {
    /// The stack.
    pub stack_name: String,
    /// The change set's name.
    pub change_set_name: String,
    /// Create or update.
    pub kind: ChangeSetType,
    /// The template.
    pub template: TemplateSource,
    /// Parameters by name.
    pub parameters: Vec<(String, ParameterValue)>,
    /// Capabilities computed from the template, such as `CAPABILITY_IAM`.
    pub capabilities: Vec<String>,
    /// Stack tags.
    pub tags: Vec<(String, String)>,
    /// The service role CloudFormation assumes, if any.
    pub role_arn: Option<String>,
    /// A description shown in the console.
    pub description: Option<String>,
    /// CreateChangeSet's `ClientToken`, made once per logical request
    /// ([`crate::cfn::token::request_token`]): every retry of it, the SDK's and nephos's,
    /// carries the same token, so CloudFormation takes a retry for the same request, and an
    /// `AlreadyExistsException` says the name is held by another request's change set.
    pub client_token: String,
}

/// A change set as `DescribeChangeSet` reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ...
    pub status: ChangeSetStatus,
    /// Why it failed, if it did.
    pub status_reason: Option<String>,
    /// `AVAILABLE`, `UNAVAILABLE`, `EXECUTE_IN_PROGRESS`, ...
    pub execution_status: ExecutionStatus,
    /// The resource changes, across all pages.
    pub changes: Vec<ResourceChange>,
    /// The `Type` of each change nephos could not read as a resource change (it carried
    /// no `ResourceChange`): a change set holding one is not judged or executed.
    pub unread: Vec<String>,
    /// `ChangeSetId`: the change set's ARN, unique to one creation. A change set deleted and
    /// created again under the same name has another id, so comparing ids tells the
    /// reviewed change set from a look-alike.
    pub id: String,
    /// The parameter values it was created with (`Parameters`), by key; `None`: the
    /// parameter keeps its previous value (`UsePreviousValue`).
    pub parameters: std::collections::BTreeMap<String, Option<String>>,
}

impl ChangeSet {
    /// The values it sets explicitly, by key; the others keep their previous values.
    pub fn requested_parameters(&self) -> std::collections::BTreeMap<String, String> {
        self.parameters
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
            .collect()
    }

    /// Whether waiting for the change set is over: CloudFormation finished computing it
    /// (either way), or it is being (or failed to be) deleted, which no wait ends. A status
    /// nephos does not know also ends the wait: waiting on it could last forever, and a
    /// deploy stops on anything but `CREATE_COMPLETE`. Exhaustive, so a status added to
    /// [`ChangeSetStatus`] must be placed here.
    pub fn is_settled(&self) -> bool {
        use ChangeSetStatus::*;
        match self.status {
            CreatePending | CreateInProgress => false,
            CreateComplete | Failed | DeletePending | DeleteInProgress | DeleteComplete
            | DeleteFailed | Unknown(_) => true,
        }
    }

    /// Whether the change set failed only because there is nothing to change, which is
    /// success for a deploy. CloudFormation says so in prose; these are its two phrasings.
    pub fn is_empty_failure(&self) -> bool {
        self.status == ChangeSetStatus::Failed
            && self.status_reason.as_deref().is_some_and(|r| {
                r.contains("didn't contain changes") || r.contains("No updates are to be performed")
            })
    }
}

/// Whether an error from `CreateChangeSet` only says there is nothing to change (some
/// implementations refuse the request instead of creating a change set that fails).
pub fn is_no_changes_error(e: &super::error::CfnError) -> bool {
    e.kind == super::error::ErrorKind::Validation
        && (e.message.contains("No updates are to be performed")
            || e.message.contains("didn't contain changes"))
}

/// One resource change of a change set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceChange {
    /// `Add`, `Modify`, `Remove`, `Import` or `Dynamic`.
    pub action: ChangeAction,
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// `True`, `False` or `Conditional` for modifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<Replacement>,
    /// What executing does to the physical resource (`ReplaceAndDelete`, `Retain`, ...):
    /// a `ReplaceAnd*` action replaces it whatever `replacement` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_action: Option<PolicyAction>,
    /// What is changed: `Properties`, `Metadata`, `Tags`, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// Per-attribute details.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ChangeDetail>,
}

/// One detail of a resource change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeDetail {
    /// The property name (for `Properties` changes) or attribute.
    pub target: String,
    /// `Never`, `Conditionally` or `Always`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_recreation: Option<String>,
    /// `DirectModification`, `ResourceReference`, `ParameterReference`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_source: Option<String>,
    /// The entity that caused it, such as a logical id or parameter name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub causing_entity: Option<String>,
}
