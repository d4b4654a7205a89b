//! Typestate markers for resource types whose `Ref` depends on whether a property is set.
//!
//! CloudFormation's `Ref` of an `AWS::EC2::SecurityGroup` is the group's ID when `VpcId` is
//! set and its name otherwise (AWS documentation, `AWS::EC2::SecurityGroup`, "Return
//! values"). So the generated builder carries one of these markers, changed by the property's
//! setters, and the handle [`Stack::add`](crate::Stack::add) returns carries it on: each state
//! offers the `Ref` getter of its own kind, and a getter of the wrong kind does not compile.
//! The types that have a typestate are listed in the generator's reviewed table
//! (`dsl/codegen/data/conditional_refs.json`).
//!
//! ```
//! # #[cfg(all(feature = "ec2", feature = "lambda"))] {
//! use nephos::Stack;
//! use nephos::ec2::{SecurityGroup, Vpc};
//! use nephos::lambda::function::VpcConfig;
//!
//! let mut stack = Stack::new("App");
//! let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
//! // `vpc_id` makes a `SecurityGroup<ref_state::Set>`: its `Ref` is the group ID.
//! let group = stack.add("Group", SecurityGroup::new("web").vpc_id(vpc.id()));
//! let config = VpcConfig::new().add_security_group_ids(group.id());
//! // Without a VPC, `Ref` is the group's name, and the handle says so.
//! let default_vpc = stack.add("Named", SecurityGroup::new("legacy"));
//! let _name: nephos::Value<nephos::kinds::Ec2SecurityGroupName> = default_vpc.name();
//! # let _ = config;
//! # }
//! ```

mod sealed {
    pub trait Sealed {}
}

/// One state of a builder or handle whose `Ref` depends on a property: [`Set`], [`Unset`] or
/// [`Unknown`]. Sealed: the generated types define a getter for exactly these three.
pub trait RefState:
    sealed::Sealed + Clone + Copy + std::fmt::Debug + Default + PartialEq + Eq
{
    /// Whether the state says the property is set (`Some(true)`), absent (`Some(false)`),
    /// or does not say (`None`).
    const SET: Option<bool>;
}

/// What a typestate resource's handle assumes about the property its `Ref` depends on,
/// checked at synth against the properties as written (after overrides): the property is
/// set to a value that is never `AWS::NoValue` (`set`), or absent (`!set`). A value that
/// breaks the assumption would make the handle's `Ref` getter return the other attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefAssumption {
    /// The property, such as `VpcId`.
    pub property: &'static str,
    /// Whether the handle assumes it set.
    pub set: bool,
}

impl RefAssumption {
    /// The assumption of state `S` about `property`, if the state makes one.
    pub fn of<S: RefState>(property: &'static str) -> Option<Self> {
        S::SET.map(|set| RefAssumption { property, set })
    }
}

/// The property `Ref` depends on was set: `Ref` returns the attribute of that case (a
/// security group's ID).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Set;

/// The property was never set (a new builder's state): `Ref` returns the other attribute
/// (a security group's name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unset;

/// The property was set from an `Option` (or the builder was made from raw properties):
/// which attribute `Ref` returns is not known until synth, so the getter returns the union
/// of both kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unknown;

impl sealed::Sealed for Set {}
impl sealed::Sealed for Unset {}
impl sealed::Sealed for Unknown {}
impl RefState for Set {
    const SET: Option<bool> = Some(true);
}
impl RefState for Unset {
    const SET: Option<bool> = Some(false);
}
impl RefState for Unknown {
    const SET: Option<bool> = None;
}
