//! Template parameters: every CloudFormation parameter type and constraint, typed by the
//! kind of value a `Ref` to them gives.

use std::marker::PhantomData;

use crate::value::expr::{Expr, Target};
use crate::value::kind::{Any, Kind, List, Num, Str, TypedString};
use crate::value::value::{IntoValue, Value};

/// The AWS-specific parameter types, whose values CloudFormation checks against the
/// account at deploy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwsParameterType {
    /// `AWS::EC2::AvailabilityZone::Name`
    AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`
    ImageId,
    /// `AWS::EC2::Instance::Id`
    InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`
    KeyPairName,
    /// `AWS::EC2::SecurityGroup::GroupName`
    SecurityGroupName,
    /// `AWS::EC2::SecurityGroup::Id`
    SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`
    SubnetId,
    /// `AWS::EC2::Volume::Id`
    VolumeId,
    /// `AWS::EC2::VPC::Id`
    VpcId,
    /// `AWS::Route53::HostedZone::Id`
    HostedZoneId,
}

impl AwsParameterType {
    fn type_name(self) -> &'static str {
        match self {
            AwsParameterType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsParameterType::ImageId => "AWS::EC2::Image::Id",
            AwsParameterType::InstanceId => "AWS::EC2::Instance::Id",
            AwsParameterType::KeyPairName => "AWS::EC2::KeyPair::KeyName",
            AwsParameterType::SecurityGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            AwsParameterType::VolumeId => "AWS::EC2::Volume::Id",
            AwsParameterType::VpcId => "AWS::EC2::VPC::Id",
            AwsParameterType::HostedZoneId => "AWS::Route53::HostedZone::Id",
        }
    }
}

/// The kind of value an AWS-specific parameter type holds, so a reference to the parameter
/// goes only where that kind of value does: a parameter declared `AWS::EC2::VPC::Id` is an
/// [`Ec2VpcId`](crate::kinds::Ec2VpcId), refused where a subnet ID is needed.
///
/// The parameter types are CloudFormation's "supported AWS-specific parameter types"
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html>);
/// each kind is the generated kind of the attribute the type names. The one type no resource
/// attribute describes, an availability zone name, is [`Parameter::availability_zone`].
///
/// ```
/// use nephos::kinds::Ec2VpcId;
/// use nephos::{Parameter, Stack};
/// let mut stack = Stack::new("App");
/// let vpc = stack.parameter("Vpc", Parameter::<Ec2VpcId>::aws());
/// assert_eq!(vpc.value().to_json(), serde_json::json!({"Ref": "Vpc"}));
/// ```
pub trait AwsParameterKind: TypedString {
    /// The parameter type whose values are of this kind.
    const PARAMETER_TYPE: AwsParameterType;
}

macro_rules! aws_parameter_kinds {
    ($($kind:ident => $variant:ident),* $(,)?) => {
        $(impl AwsParameterKind for crate::kinds::$kind {
            const PARAMETER_TYPE: AwsParameterType = AwsParameterType::$variant;
        })*
    };
}

aws_parameter_kinds! {
    Ec2ImageId => ImageId,
    Ec2InstanceId => InstanceId,
    Ec2KeyPairKeyName => KeyPairName,
    Ec2SecurityGroupName => SecurityGroupName,
    Ec2SecurityGroupId => SecurityGroupId,
    Ec2SubnetId => SubnetId,
    Ec2VolumeId => VolumeId,
    Ec2VpcId => VpcId,
    Route53HostedZoneId => HostedZoneId,
}

/// What a parameter's type is built from, for the checks that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    String,
    Number,
    List,
    Other,
}

/// A parameter definition. Its kind `K` is what a reference to it gives.
///
/// ```
/// use nephos::{Parameter, Stack};
/// let mut stack = Stack::new("App");
/// let env = stack.parameter(
///     "Environment",
///     Parameter::string().allowed_values(["dev", "staging", "prod"]).default("dev"),
/// );
/// assert_eq!(env.value().to_json(), serde_json::json!({"Ref": "Environment"}));
/// ```
#[derive(Clone, Debug)]
pub struct Parameter<K> {
    pub(crate) def: ParameterDef,
    kind: PhantomData<fn() -> K>,
}

/// The untyped definition behind a [`Parameter`].
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ParameterDef {
    pub(crate) type_name: String,
    pub(crate) shape: Option<Shape>,
    pub(crate) description: Option<String>,
    pub(crate) default: Option<serde_json::Value>,
    pub(crate) allowed_values: Vec<serde_json::Value>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_value: Option<f64>,
    pub(crate) max_value: Option<f64>,
    pub(crate) no_echo: bool,
    pub(crate) constraint_description: Option<String>,
}

impl<K> Parameter<K> {
    fn of(type_name: impl Into<String>, shape: Shape) -> Self {
        Parameter {
            def: ParameterDef {
                type_name: type_name.into(),
                shape: Some(shape),
                ..ParameterDef::default()
            },
            kind: PhantomData,
        }
    }

    /// The parameter's description, shown in the console.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.def.description = Some(text.into());
        self
    }

    /// Hides the value in the console, API responses and events (for secrets).
    pub fn no_echo(mut self) -> Self {
        self.def.no_echo = true;
        self
    }

    /// The message shown when a value breaks a constraint.
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.def.constraint_description = Some(text.into());
        self
    }
}

impl Parameter<Str> {
    /// A `String` parameter.
    pub fn string() -> Self {
        Parameter::of("String", Shape::String)
    }

    /// The default value (checked at synth against the other constraints).
    pub fn default(mut self, value: impl Into<String>) -> Self {
        self.def.default = Some(serde_json::Value::String(value.into()));
        self
    }

    /// The only values accepted.
    pub fn allowed_values<S: Into<String>>(mut self, values: impl IntoIterator<Item = S>) -> Self {
        self.def.allowed_values = values
            .into_iter()
            .map(|v| serde_json::Value::String(v.into()))
            .collect();
        self
    }

    /// A regular expression (Java syntax) the whole value must match.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.def.allowed_pattern = Some(pattern.into());
        self
    }

    /// The shortest value accepted, in characters.
    pub fn min_length(mut self, n: u64) -> Self {
        self.def.min_length = Some(n);
        self
    }

    /// The longest value accepted, in characters.
    pub fn max_length(mut self, n: u64) -> Self {
        self.def.max_length = Some(n);
        self
    }

    /// `AWS::EC2::AvailabilityZone::Name`: an availability zone of the region, checked by
    /// CloudFormation. No resource attribute describes it, so its values are plain strings.
    pub fn availability_zone() -> Self {
        Parameter::of(
            AwsParameterType::AvailabilityZoneName.type_name(),
            Shape::Other,
        )
    }

    /// `AWS::SSM::Parameter::Name`: the name of a Systems Manager parameter.
    pub fn ssm_name() -> Self {
        Parameter::of("AWS::SSM::Parameter::Name", Shape::String)
    }

    /// `AWS::SSM::Parameter::Value<String>`: the value of the named Systems Manager parameter.
    pub fn ssm_string() -> Self {
        Parameter::of("AWS::SSM::Parameter::Value<String>", Shape::Other)
    }
}

impl<K: AwsParameterKind> Parameter<K> {
    /// An AWS-specific parameter (see [`AwsParameterKind`]): CloudFormation checks the value
    /// exists in the account, and a reference to it is a value of kind `K`.
    pub fn aws() -> Self {
        Parameter::of(K::PARAMETER_TYPE.type_name(), Shape::Other)
    }

    /// `AWS::SSM::Parameter::Value<AWS-specific type>`: the value of the named Systems
    /// Manager parameter, of kind `K`.
    pub fn ssm_aws() -> Self {
        Parameter::of(
            format!(
                "AWS::SSM::Parameter::Value<{}>",
                K::PARAMETER_TYPE.type_name()
            ),
            Shape::Other,
        )
    }
}

impl<K: AwsParameterKind> Parameter<List<K>> {
    /// A list of an AWS-specific type, such as `List<AWS::EC2::Subnet::Id>`
    /// (`Parameter::<List<Ec2SubnetId>>::aws_list()`).
    pub fn aws_list() -> Self {
        Parameter::of(
            format!("List<{}>", K::PARAMETER_TYPE.type_name()),
            Shape::Other,
        )
    }

    /// `AWS::SSM::Parameter::Value<List<AWS-specific type>>`.
    pub fn ssm_aws_list() -> Self {
        Parameter::of(
            format!(
                "AWS::SSM::Parameter::Value<List<{}>>",
                K::PARAMETER_TYPE.type_name()
            ),
            Shape::Other,
        )
    }
}

impl Parameter<Num> {
    /// A `Number` parameter.
    pub fn number() -> Self {
        Parameter::of("Number", Shape::Number)
    }

    /// The default value.
    pub fn default(mut self, value: f64) -> Self {
        self.def.default = Some(number_json(value));
        self
    }

    /// The only values accepted.
    pub fn allowed_values(mut self, values: impl IntoIterator<Item = f64>) -> Self {
        self.def.allowed_values = values.into_iter().map(number_json).collect();
        self
    }

    /// The smallest value accepted.
    pub fn min_value(mut self, n: f64) -> Self {
        self.def.min_value = Some(n);
        self
    }

    /// The largest value accepted.
    pub fn max_value(mut self, n: f64) -> Self {
        self.def.max_value = Some(n);
        self
    }
}

/// Whole numbers are written without a fraction, as a person would.
fn number_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Value::from(n)
    }
}

impl Parameter<List<Num>> {
    /// A `List<Number>` parameter: comma-separated numbers.
    pub fn number_list() -> Self {
        Parameter::of("List<Number>", Shape::List)
    }
}

impl Parameter<List<Str>> {
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Self {
        Parameter::of("CommaDelimitedList", Shape::List)
    }

    /// `List<AWS::EC2::AvailabilityZone::Name>`: availability zones of the region.
    pub fn availability_zones() -> Self {
        Parameter::of(
            format!(
                "List<{}>",
                AwsParameterType::AvailabilityZoneName.type_name()
            ),
            Shape::Other,
        )
    }

    /// `AWS::SSM::Parameter::Value<List<String>>`.
    pub fn ssm_string_list() -> Self {
        Parameter::of("AWS::SSM::Parameter::Value<List<String>>", Shape::Other)
    }

    /// `AWS::SSM::Parameter::Value<CommaDelimitedList>`.
    pub fn ssm_comma_delimited_list() -> Self {
        Parameter::of(
            "AWS::SSM::Parameter::Value<CommaDelimitedList>",
            Shape::Other,
        )
    }

    /// The default value, as a list.
    pub fn default<S: AsRef<str>>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        let joined: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
        self.def.default = Some(serde_json::Value::String(joined.join(",")));
        self
    }
}

/// A handle to a declared parameter; `Ref` to it is a value of kind `K`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param<K> {
    pub(crate) target: Target,
    kind: PhantomData<fn() -> K>,
}

impl<K> Param<K> {
    pub(crate) fn new(target: Target) -> Self {
        Param {
            target,
            kind: PhantomData,
        }
    }

    /// The parameter's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.target.id
    }

    /// `Ref` to the parameter: its value at deploy.
    pub fn value(&self) -> Value<K> {
        Value::from_expr(Expr::Ref(self.target.clone()))
    }
}

impl<K: Kind> IntoValue<K> for &Param<K> {
    fn into_value(self) -> Value<K> {
        self.value()
    }
}

/// A string parameter may supply any typed string (an ARN, a name...): the user chose to
/// take it from outside the app.
impl<K: TypedString> IntoValue<K> for &Param<Str> {
    fn into_value(self) -> Value<K> {
        Value::from_expr(Expr::Ref(self.target.clone()))
    }
}

impl<K: Kind> IntoValue<Any> for &Param<K> {
    fn into_value(self) -> Value<Any> {
        Value::from_expr(Expr::Ref(self.target.clone()))
    }
}
