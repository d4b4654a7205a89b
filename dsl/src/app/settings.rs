//! How one stack of an app is deployed.

use std::collections::BTreeMap;

/// Deploy settings of a stack: its CloudFormation name, region, tags, termination
/// protection, parameter values, and the stacks it must follow.
///
/// ```
/// use nephos::StackSettings;
/// let settings = StackSettings::new("users-api-dev")
///     .region("eu-west-1")
///     .tag("team", "identity")
///     .parameter("Environment", "dev")
///     .termination_protection(true);
/// assert_eq!(settings.stack_name(), "users-api-dev");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackSettings {
    pub(crate) stack_name: String,
    pub(crate) region: Option<String>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) termination_protection: bool,
    pub(crate) parameters: BTreeMap<String, String>,
    pub(crate) depends_on: Vec<String>,
}

impl StackSettings {
    /// Deploys to the CloudFormation stack `stack_name`.
    pub fn new(stack_name: impl Into<String>) -> Self {
        StackSettings {
            stack_name: stack_name.into(),
            ..StackSettings::default()
        }
    }

    /// The CloudFormation stack name.
    pub fn stack_name(&self) -> &str {
        &self.stack_name
    }

    /// Deploys to `region` instead of the deployer's configured region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Adds a stack tag (CloudFormation copies it to every taggable resource).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Turns termination protection on or off.
    pub fn termination_protection(mut self, on: bool) -> Self {
        self.termination_protection = on;
        self
    }

    /// Passes a value for a template parameter on deploy.
    pub fn parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(key.into(), value.into());
        self
    }

    /// Deploys this stack after the stack of the app named `stack` (imports add this
    /// order by themselves).
    pub fn depends_on(mut self, stack: impl Into<String>) -> Self {
        self.depends_on.push(stack.into());
        self
    }
}
