//! [`StringParameter`]: an SSM Parameter Store `String` parameter (configuration, not
//! secrets: CloudFormation cannot create a `SecureString`; use a
//! [`Secret`](crate::constructs::Secret) for those).

use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::kind::Str;
use crate::kinds::{SsmParameterArn, SsmParameterName};
use crate::ssm::ParameterHandle;
use crate::ssm::parameter::{DataType, Tier, Type};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// An SSM `String` parameter with a literal name (or one CloudFormation makes), whose
/// ARN is built from the name, so grants name exactly this parameter.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime, StringParameter};
/// let mut stack = Stack::new("App");
/// let url = stack.add("ApiUrl", StringParameter::new("https://api.example.com").name("/app/api/url"));
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("..."))
///     .env("URL_PARAMETER", url.name()));
/// url.grant_read(&mut stack, &f);
/// let t = stack.synth().unwrap();
/// let grants = t.json()["Resources"]["ApiRole"]["Properties"]["Policies"][0].to_string();
/// assert!(grants.contains(":parameter/app/api/url"), "{grants}");
///
/// let mut stack = Stack::new("App");
/// stack.add("Bad", StringParameter::new("x").name("app/url"));
/// assert!(stack.synth().unwrap_err().to_string().contains("does not begin with one"));
/// ```
///
/// The construct holds the generated `AWS::SSM::Parameter` builder: options write into
/// it, and [`configure`](StringParameter::configure) reaches every property but `Name`
/// and `Type`.
#[derive(Clone, Debug)]
pub struct StringParameter {
    /// The builder and the hatch (no removal policy: CloudFormation's defaults apply).
    parameter: Wrapped<crate::ssm::Parameter>,
    name: Option<String>,
}

impl StringParameter {
    /// A `String` parameter holding `value` (1 byte to 4 KB; 8 KB with the
    /// `Advanced` tier).
    pub fn new(value: impl IntoValue<Str>) -> Self {
        StringParameter {
            parameter: Wrapped::new(crate::ssm::Parameter::new(Type::String, value)),
            name: None,
        }
    }

    /// The parameter's name: `url`, or `/app/api/url` in a hierarchy (a name with a
    /// `/` begins with one). Without a name CloudFormation makes one.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.parameter = self.parameter.set(|p| p.name(name.clone()));
        self.name = Some(name);
        self
    }

    /// What the parameter is for.
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.parameter = self.parameter.set(|p| p.description(text));
        self
    }

    /// The storage tier (`Standard` unless set).
    pub fn tier(mut self, tier: Tier) -> Self {
        self.parameter = self.parameter.set(|p| p.tier(tier));
        self
    }

    /// A regular expression every value must match (SSM checks it on each write); a
    /// literal value it does not match is a synth error.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        let pattern = pattern.into();
        self.parameter = self.parameter.set(|p| p.allowed_pattern(pattern));
        self
    }

    /// What the value is: `text` unless set, or an AMI ID that SSM validates.
    pub fn data_type(mut self, data_type: DataType) -> Self {
        self.parameter = self.parameter.set(|p| p.data_type(data_type));
        self
    }

    /// Escape hatch to the generated `AWS::SSM::Parameter` builder: `f` sees it after
    /// the construct's options and may set any property but `Name` (the ARN grants use
    /// is built from it: use [`name`](StringParameter::name)) and `Type`.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::StringParameter;
    /// let mut stack = Stack::new("App");
    /// stack.add("Flag", StringParameter::new("on").configure(|l1| l1.insert_tags("team", "core")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Flag"]["Properties"]["Tags"]["team"], "core");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::ssm::Parameter) -> crate::ssm::Parameter + Send + Sync + 'static,
    ) -> Self {
        self.parameter = self.parameter.configure(f);
        self
    }
}

/// The parameter's properties the construct derives from when added.
const OWNED: &[Owned] = &[
    Owned::new("Name", "name", "the parameter's ARN, which grants name"),
    Owned::fixed(
        "Type",
        "a `String` parameter (CloudFormation cannot create a `SecureString`)",
        "use a generated `nephos::ssm::Parameter` for a `StringList`",
    ),
];

impl Construct for StringParameter {
    type Handle = StringParameterRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> StringParameterRef {
        let ready = self.parameter.prepare(stack, id, OWNED, |p| p);
        // The name (reserved prefixes, characters, levels), the value's length for its
        // tier and the value against its `AllowedPattern` are checked at synth on the
        // template's parameter (synth/checks/ssm.rs), as on a generated `ssm::Parameter`.
        let handle = ready.add_to(stack).handle;
        let arn = match &self.name {
            Some(name) => grants::parameter::arn_of_name(name),
            // CloudFormation's own names (`CFN-<id>-<random>`) have no leading `/`.
            None => crate::sub!(
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${name}",
                name = handle.name()
            )
            .cast(),
        };
        StringParameterRef {
            parameter: handle,
            arn,
        }
    }
}

/// A parameter added to a stack.
#[derive(Clone, Debug)]
pub struct StringParameterRef {
    parameter: ParameterHandle,
    arn: Value<SsmParameterArn>,
}

impl StringParameterRef {
    /// The parameter's name (its `Ref`).
    pub fn name(&self) -> Value<SsmParameterName> {
        self.parameter.name()
    }

    /// The parameter's ARN, built from its name.
    pub fn arn(&self) -> Value<SsmParameterArn> {
        self.arn.clone()
    }

    /// The value, read when the stack is deployed (`Fn::GetAtt Value`).
    pub fn value(&self) -> Value<crate::kinds::SsmParameterValue> {
        self.parameter.value()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &ParameterHandle {
        &self.parameter
    }

    /// What grants on the parameter are on: its ARN.
    pub fn grant_target(&self) -> Target<grants::on::Parameter> {
        Target::of("parameter", &self.parameter, self.arn.clone()).encrypted_with(None)
    }

    /// Lets `grantee` read the parameter (`ssm:GetParameter`, `GetParameters`,
    /// `GetParameterHistory`), on this parameter only.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write new values (`ssm:PutParameter`), on this parameter only.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::write(stack, grantee, &self.grant_target())
    }
}

impl Handle for StringParameterRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.parameter.resource_ref()
    }
}
