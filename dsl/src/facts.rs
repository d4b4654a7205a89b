//! Facts about CloudFormation resource types: what a resource's identity is, which property
//! changes replace it (or may), and which lists CloudFormation compares without order. The
//! diff uses them to predict replacement offline; the table itself is generated (see
//! `facts_data.rs`) from the registry schemas and the AWS service spec, merged. The AWS
//! partitions (which region belongs to which, and its DNS suffix) are facts too, from the
//! AWS SDKs' endpoint data.

pub use crate::identity_facts::{attaches, attaching_types, identity_types};
pub use crate::partition::{Partition, partition, partition_of_region, partitions};

/// What changing a property does to its resource, by the merged facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReplacementFact {
    /// Updated in place.
    Never,
    /// May replace it, depending on the values: a source says `maybe`
    /// (`causesReplacement: maybe`, `conditionalCreateOnlyProperties`), or a replacing
    /// property lies inside the changed value, whose replacing part may be unchanged.
    Maybe,
    /// Replaces it: the property, or one it is nested in, is create-only in the registry
    /// schema or `causesReplacement: yes` in the AWS service spec.
    Always,
}

/// Schema facts about one resource type. Each list is a [`Names`] iterator; paths are
/// slash-separated below `Properties` (`*` for any list element or map key), such as
/// `TableName` or `VpcConfig/SubnetIds`, except [`attributes`](Self::attributes), which
/// are dotted as `Fn::GetAtt` names them.
///
/// ```
/// use nephos::facts::ReplacementFact;
/// let table = nephos::facts::resource("AWS::DynamoDB::Table").unwrap();
/// assert_eq!(table.type_name(), "AWS::DynamoDB::Table");
/// assert!(table.replaces_on_change("TableName"));
/// assert_eq!(table.replacement("KeySchema"), ReplacementFact::Always);
/// assert_eq!(table.replacement("BillingMode"), ReplacementFact::Never);
/// assert!(table.attributes().any(|a| a == "StreamArn"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ResourceFacts {
    /// The type name, as a byte range (start, length) of `facts_data::TEXT`.
    type_name: (u32, u32),
    /// Each list, in the order of [`List`], as a run (start, count) of `facts_data::NAMES`.
    lists: [(u32, u32); 9],
    attributes_complete: bool,
}

/// The lists of a [`ResourceFacts`] row, in the generated order.
#[derive(Clone, Copy)]
enum List {
    Replaces,
    MayReplace,
    Unordered,
    PrimaryIdentifier,
    ReadOnly,
    WriteOnly,
    Required,
    Attributes,
    Properties,
}

/// A name of the generated text, by its byte range. The generator writes the ranges
/// from the text (its tests read them back), so one that does not fall on the text's
/// boundaries cannot occur; it would read as empty rather than panic.
fn text(&(start, len): &(u32, u32)) -> &'static str {
    let start = start as usize;
    crate::facts_data::TEXT
        .get(start..start + len as usize)
        .unwrap_or_default()
}

/// The names of one list of a [`ResourceFacts`], in the schema's order.
///
/// ```
/// let function = nephos::facts::resource("AWS::Lambda::Function").unwrap();
/// let required: Vec<&str> = function.required().collect();
/// assert!(required.contains(&"Role"));
/// assert_eq!(function.primary_identifier().len(), 1);
/// ```
#[derive(Clone)]
pub struct Names(std::slice::Iter<'static, (u32, u32)>);

impl Iterator for Names {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        self.0.next().map(text)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Names {}

impl DoubleEndedIterator for Names {
    fn next_back(&mut self) -> Option<&'static str> {
        self.0.next_back().map(text)
    }
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl std::fmt::Debug for ResourceFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceFacts")
            .field("type_name", &self.type_name())
            .field("replaces", &self.replaces())
            .field("may_replace", &self.may_replace())
            .field("unordered", &self.unordered())
            .field("primary_identifier", &self.primary_identifier())
            .field("read_only", &self.read_only())
            .field("write_only", &self.write_only())
            .field("required", &self.required())
            .field("attributes", &self.attributes())
            .field("attributes_complete", &self.attributes_complete)
            .finish()
    }
}

impl ResourceFacts {
    /// A row of the generated table (`facts_data.rs`).
    pub(crate) const fn row(
        type_name: (u32, u32),
        lists: [(u32, u32); 9],
        attributes_complete: bool,
    ) -> Self {
        ResourceFacts {
            type_name,
            lists,
            attributes_complete,
        }
    }

    fn list(&self, list: List) -> Names {
        let (start, count) = self.lists[list as usize];
        let start = start as usize;
        let names = crate::facts_data::NAMES
            .get(start..start + count as usize)
            .unwrap_or_default();
        Names(names.iter())
    }

    /// The CloudFormation type name, such as `AWS::S3::Bucket`.
    pub fn type_name(&self) -> &'static str {
        text(&self.type_name)
    }

    /// Properties whose change replaces the resource: the registry's
    /// `createOnlyProperties` and the service spec's `causesReplacement: yes`.
    pub fn replaces(&self) -> Names {
        self.list(List::Replaces)
    }

    /// Properties whose change may replace the resource: the registry's
    /// `conditionalCreateOnlyProperties` and the service spec's `causesReplacement: maybe`.
    pub fn may_replace(&self) -> Names {
        self.list(List::MayReplace)
    }

    /// Lists whose order CloudFormation ignores (`insertionOrder: false`).
    pub fn unordered(&self) -> Names {
        self.list(List::Unordered)
    }

    /// The properties that identify a live resource (`primaryIdentifier`).
    pub fn primary_identifier(&self) -> Names {
        self.list(List::PrimaryIdentifier)
    }

    /// The read-only properties (`readOnlyProperties`), slash-separated.
    pub fn read_only(&self) -> Names {
        self.list(List::ReadOnly)
    }

    /// Properties that are only ever written, never read back (`writeOnlyProperties`).
    pub fn write_only(&self) -> Names {
        self.list(List::WriteOnly)
    }

    /// Top-level properties every resource of the type must set (the schema's `required`).
    pub fn required(&self) -> Names {
        self.list(List::Required)
    }

    /// The attributes `Fn::GetAtt` reads, dotted (`Endpoint.Address`): the read-only
    /// properties plus those the project's supplement adds (from the AWS service spec).
    pub fn attributes(&self) -> Names {
        self.list(List::Attributes)
    }

    /// Every top-level property the registry schema declares (its `properties`), sorted
    /// by bytes: a template may set no other.
    pub fn properties(&self) -> Names {
        self.list(List::Properties)
    }

    /// Whether the registry schema declares the top-level property `name` (by bisection
    /// of [`properties`](Self::properties)).
    ///
    /// ```
    /// let queue = nephos::facts::resource("AWS::SQS::Queue").unwrap();
    /// assert!(queue.has_property("DelaySeconds"));
    /// assert!(!queue.has_property("DelaySecond"));
    /// ```
    pub fn has_property(&self, name: &str) -> bool {
        let (start, count) = self.lists[List::Properties as usize];
        let start = start as usize;
        crate::facts_data::NAMES
            .get(start..start + count as usize)
            .unwrap_or_default()
            .binary_search_by(|span| text(span).cmp(name))
            .is_ok()
    }

    /// Whether [`attributes`](Self::attributes) is complete: the type is one nephos
    /// generates code for, so the supplement filled the schema's gaps. Otherwise an
    /// attribute not listed may still exist.
    pub fn attributes_complete(&self) -> bool {
        self.attributes_complete
    }
}

/// Whether `inner` is `outer` or lies below it; a `*` segment on either side matches any
/// one segment (a list index or a map key).
fn covers(outer: &str, inner: &str) -> bool {
    let mut o = outer.split('/');
    let mut i = inner.split('/');
    loop {
        match (o.next(), i.next()) {
            (None, _) => return true,
            (Some(_), None) => return false,
            (Some(a), Some(b)) if a == b || a == "*" || b == "*" => {}
            _ => return false,
        }
    }
}

impl ResourceFacts {
    /// Whether changing the property at `path` (slash-separated, below `Properties`)
    /// always replaces the resource: it, or a property it is nested in, replaces.
    pub fn replaces_on_change(&self, path: &str) -> bool {
        self.replaces().any(|p| covers(p, path))
    }

    /// What changing the value at `path` does: [`ReplacementFact::Always`] when it (or an
    /// enclosing property) replaces; [`ReplacementFact::Maybe`] when a source says it may,
    /// or when a replacing or may-replace path lies inside the changed value.
    pub fn replacement(&self, path: &str) -> ReplacementFact {
        if self.replaces_on_change(path) {
            ReplacementFact::Always
        } else if self
            .may_replace()
            .any(|p| covers(p, path) || covers(path, p))
            || self.replaces().any(|p| covers(path, p))
        {
            ReplacementFact::Maybe
        } else {
            ReplacementFact::Never
        }
    }

    /// Whether the list at `path` is compared without regard to order.
    pub fn is_unordered(&self, path: &str) -> bool {
        self.unordered()
            .any(|p| p.split('/').count() == path.split('/').count() && covers(p, path))
    }
}

/// The facts of a resource type, or `None` for a type the registry bundle does not know
/// (third-party or private types, custom resources).
pub fn resource(type_name: &str) -> Option<&'static ResourceFacts> {
    crate::facts_data::ALL
        .binary_search_by(|f| f.type_name().cmp(type_name))
        .ok()
        .map(|i| &crate::facts_data::ALL[i])
}

/// The top-level properties of `type_name` that hold an IAM policy document (or a single
/// statement, as `AWS::Events::EventBusPolicy.Statement`), read from the registry schemas
/// by the generator (names ending in `Policy`, `PolicyDocument`, `PolicyText` or
/// `AccessPolicies` whose value is JSON). Empty for a type without one or not in the bundle.
///
/// ```
/// assert_eq!(nephos::facts::policy_documents("AWS::ECR::Repository"), ["RepositoryPolicyText"]);
/// assert!(nephos::facts::policy_documents("AWS::Lambda::Function").is_empty());
/// ```
pub fn policy_documents(type_name: &str) -> &'static [&'static str] {
    let all = crate::facts_data::POLICY_DOCUMENTS;
    all.binary_search_by(|(t, _)| (*t).cmp(type_name))
        .map(|i| all[i].1)
        .unwrap_or(&[])
}

/// The properties of `type_name` that name an IAM identity: the role it assumes or passes
/// (`AWS::Lambda::Function`'s `Role`, an ECS task definition's `TaskRoleArn`, an EventBridge
/// target's `RoleArn`), an instance profile, the roles, users or groups a policy attaches to.
/// Paths are slash-separated below `Properties`, `*` for any list item or map value. Read by
/// the generator from the kinds it gives properties (registry schema formats, the AWS
/// service spec's references to `AWS::IAM::Role` and the other identity types, the reviewed
/// corrections); empty for a type without one or not in the bundle.
///
/// ```
/// assert_eq!(nephos::facts::identity_properties("AWS::Lambda::Function"), ["Role"]);
/// assert!(nephos::facts::identity_properties("AWS::Events::Rule").contains(&"Targets/*/RoleArn"));
/// assert!(nephos::facts::identity_properties("AWS::SQS::Queue").is_empty());
/// ```
pub fn identity_properties(type_name: &str) -> &'static [&'static str] {
    let all = crate::facts_data::IDENTITY_PROPERTIES;
    all.binary_search_by(|(t, _)| (*t).cmp(type_name))
        .map(|i| all[i].1)
        .unwrap_or(&[])
}

/// How a required combination's property sets constrain an object (see [`combinations`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The schema's `oneOf` of `required` sets: exactly one of the sets is set in full.
    OneOf,
    /// The schema's `anyOf` of `required` sets: at least one set is set in full.
    AnyOf,
    /// The registry's `requiredXor`: exactly one of the properties (each set holds one)
    /// is set.
    Xor,
    /// `dependentRequired` (or `dependencies` with a list): when the first set's one
    /// property is set, every property of the second is too.
    Dependent,
    /// `dependentExcluded` (cfn-lint's extension, patched into the vendored schemas): when
    /// the first set's one property is set, no property of the second is.
    Excluded,
}

/// One required combination: the path from the resource's `Properties` to the object it
/// applies to (property names, `*` for a list's items), the rule, and its property sets.
pub type Combination = (
    &'static [&'static str],
    Rule,
    &'static [&'static [&'static str]],
);

/// The required combinations the registry schema of `type_name` states beside `required`
/// (`oneOf`/`anyOf` of `required` sets, `requiredXor`, `dependentRequired`,
/// `dependentExcluded`), at the root
/// and in the property objects reachable from it, read by the generator
/// (`nephos-codegen`'s `combinations`). Empty for a type without one or not in the bundle.
///
/// ```
/// use nephos::facts::{combinations, Rule};
/// let zone = combinations("AWS::Route53::RecordSet")
///     .find(|(path, rule, _)| path.is_empty() && *rule == Rule::OneOf)
///     .unwrap();
/// assert_eq!(zone.2, [&["HostedZoneId"][..], &["HostedZoneName"][..]]);
/// ```
pub fn combinations(type_name: &str) -> impl Iterator<Item = Combination> + '_ {
    let all = crate::facts_data::COMBINATIONS;
    let start = all.partition_point(|(t, _)| *t < type_name);
    all[start..]
        .iter()
        .take_while(move |(t, _)| *t == type_name)
        .map(|(_, c)| *c)
}

/// The stateful resource types, as data: cfn-lint's `StatefulResources.json` (the data of
/// its rule I3011, vendored by `scripts/refresh_schemas.py` from the pinned cfn-lint), which
/// lists the same 29 types that `@aws-cdk/aws-service-spec` marks `isStateful`.
const STATEFUL_DATA: &str = include_str!("../data/stateful-resources.json");

/// Resource types that hold data: **the rule** is "deleting the resource destroys data that
/// the template cannot recreate" (items, objects, messages, log events, keys, secrets,
/// volumes, databases, nested stacks). The list is not kept by hand: it is read from
/// cfn-lint's `StatefulResources.json` (see [`STATEFUL_DATA`] for the source), sorted.
/// Replacing or deleting such a resource loses that data unless its deletion policy keeps
/// it, so `nephos deploy` refuses such changes unless allowed.
///
/// ```
/// let types = nephos::facts::stateful_types();
/// assert!(types.iter().any(|t| t == "AWS::DynamoDB::Table"));
/// assert!(types.iter().any(|t| t == "AWS::RDS::DBInstance"));
/// ```
pub fn stateful_types() -> &'static [String] {
    static TYPES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        // The vendored file is part of the crate; a malformed one is a build defect that
        // the tests over every registry type catch, never user input.
        let data: serde_json::Value = serde_json::from_str(STATEFUL_DATA).unwrap_or_default();
        let mut types: Vec<String> = data
            .get("ResourceTypes")
            .and_then(serde_json::Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        types.sort_unstable();
        types
    })
}

/// Whether resources of this type hold data (see [`stateful_types`]). Used where only the
/// type is known, such as a change set's `ResourceType`.
pub fn is_stateful_type(type_name: &str) -> bool {
    stateful_types()
        .binary_search_by(|t| t.as_str().cmp(type_name))
        .is_ok()
}

/// The reviewed list of types that hold no data, by family, each with its reason and source
/// (no data source marks a type as holding none: cfn-lint's `StatefulResources.json` and
/// the AWS service spec's `isStateful` mark only some types that do).
const NO_DATA: &str = include_str!("../data/holds-no-data.json");

/// Whether a resource holds data, as far as nephos can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataHolding {
    /// It holds data ([`stateful_types`], or marked with [`STATEFUL_METADATA`]).
    Holds,
    /// nephos cannot show either way: a type in neither list (custom resources, modules,
    /// third-party types, and most registry types). Replacing or removing it is gated like
    /// a stateful resource (fail closed).
    Unknown,
    /// Its type is in the reviewed list of [`holds_no_data_types`].
    None,
}

impl DataHolding {
    /// Whether a replacement or removal of the resource may lose data: anything but
    /// [`DataHolding::None`].
    pub fn may_hold_data(self) -> bool {
        self != DataHolding::None
    }
}

/// The types nephos shows hold no data, sorted: deleting or replacing one destroys nothing
/// the template cannot create again (roles, policies, functions, API definitions,
/// subscriptions, alarms...). Read from the reviewed `dsl/data/holds-no-data.json`, where
/// each family gives its reason and source.
///
/// ```
/// let types = nephos::facts::holds_no_data_types();
/// assert!(types.iter().any(|t| t == "AWS::Lambda::Function"));
/// assert!(!types.iter().any(|t| t == "AWS::Logs::LogGroup"));
/// ```
pub fn holds_no_data_types() -> &'static [String] {
    static TYPES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        // Part of the crate, checked by the tests over every registry type: never user input.
        let data: serde_json::Value = serde_json::from_str(NO_DATA).unwrap_or_default();
        let mut types: Vec<String> = data
            .get("Families")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("types").and_then(serde_json::Value::as_array))
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        types.sort_unstable();
        types.dedup();
        types
    })
}

/// Whether resources of `type_name` hold data, by type alone (a change set's
/// `ResourceType`): [`DataHolding::Holds`] for [`stateful_types`], [`DataHolding::None`]
/// for [`holds_no_data_types`], else [`DataHolding::Unknown`].
///
/// ```
/// use nephos::facts::{DataHolding, data_holding_type};
/// assert_eq!(data_holding_type("AWS::DynamoDB::Table"), DataHolding::Holds);
/// assert_eq!(data_holding_type("AWS::IAM::Role"), DataHolding::None);
/// assert_eq!(data_holding_type("AWS::Timestream::Table"), DataHolding::Unknown);
/// ```
pub fn data_holding_type(type_name: &str) -> DataHolding {
    if is_stateful_type(type_name) {
        DataHolding::Holds
    } else if holds_no_data_types()
        .binary_search_by(|t| t.as_str().cmp(type_name))
        .is_ok()
    {
        DataHolding::None
    } else {
        DataHolding::Unknown
    }
}

/// Whether a resource in a template holds data: [`DataHolding::Holds`] when
/// [`is_stateful`], else by its type ([`data_holding_type`]).
///
/// ```
/// use serde_json::json;
/// use nephos::facts::{DataHolding, data_holding};
/// assert_eq!(data_holding(&json!({"Type": "Custom::Ledger", "Metadata": {"nephos:stateful": true}})), DataHolding::Holds);
/// assert_eq!(data_holding(&json!({"Type": "Custom::Ledger"})), DataHolding::Unknown);
/// assert_eq!(data_holding(&json!({"Type": "AWS::Lambda::Permission"})), DataHolding::None);
/// ```
pub fn data_holding(resource: &serde_json::Value) -> DataHolding {
    if is_stateful(resource) {
        return DataHolding::Holds;
    }
    data_holding_type(resource.get("Type").and_then(|t| t.as_str()).unwrap_or(""))
}

/// The vendored list of types that support the `Snapshot` deletion and replacement policy:
/// cfn-lint 1.58's `valid_snapshot_types` (rule E3035), after the AWS CloudFormation User
/// Guide's `DeletionPolicy` attribute page; written by `scripts/refresh_schemas.py`.
const SNAPSHOT_DATA: &str = include_str!("../data/snapshot-types.json");

/// Whether CloudFormation takes a snapshot of a resource of `type_name` before deleting it
/// when its `DeletionPolicy` (or `UpdateReplacePolicy`) is `Snapshot`. On every other type
/// the policy is accepted by some tools but the resource is deleted outright, so a
/// `Snapshot` policy keeps nothing there.
///
/// ```
/// assert!(nephos::facts::snapshots_on_delete("AWS::RDS::DBInstance"));
/// assert!(!nephos::facts::snapshots_on_delete("AWS::DynamoDB::Table"));
/// ```
pub fn snapshots_on_delete(type_name: &str) -> bool {
    static TYPES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TYPES
        .get_or_init(|| {
            // Part of the crate, checked by the tests: never user input.
            let data: serde_json::Value = serde_json::from_str(SNAPSHOT_DATA).unwrap_or_default();
            let mut types: Vec<String> = data
                .get("SnapshotTypes")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            types.sort_unstable();
            types
        })
        .binary_search_by(|t| t.as_str().cmp(type_name))
        .is_ok()
}

/// The template metadata key by which a resource of any type is marked stateful
/// (see [`ResourceOptions::stateful`](crate::ResourceOptions::stateful)).
pub const STATEFUL_METADATA: &str = "nephos:stateful";

/// Whether a resource in a template holds data: its type is one of
/// [`stateful_types`], or its `Metadata` marks it with [`STATEFUL_METADATA`].
///
/// ```
/// use serde_json::json;
/// assert!(nephos::facts::is_stateful(&json!({"Type": "AWS::DynamoDB::Table"})));
/// assert!(!nephos::facts::is_stateful(&json!({"Type": "AWS::Lambda::Function"})));
/// assert!(nephos::facts::is_stateful(&json!({"Type": "Custom::Ledger", "Metadata": {"nephos:stateful": true}})));
/// ```
pub fn is_stateful(resource: &serde_json::Value) -> bool {
    let type_name = resource.get("Type").and_then(|t| t.as_str()).unwrap_or("");
    is_stateful_type(type_name)
        || resource
            .get("Metadata")
            .and_then(|m| m.get(STATEFUL_METADATA))
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated ranges fall on the text's names: every type name reads back as a
    /// `Vendor::Service::Resource` name in sorted order (the lookup's binary search needs
    /// it), and every list entry reads back non-empty.
    #[test]
    fn every_generated_range_reads_back_a_name() {
        let all = crate::facts_data::ALL;
        let names: Vec<&str> = all.iter().map(ResourceFacts::type_name).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
        for f in all {
            assert_eq!(f.type_name().split("::").count(), 3, "{f:?}");
            let lists = [
                f.replaces(),
                f.may_replace(),
                f.unordered(),
                f.primary_identifier(),
                f.read_only(),
                f.write_only(),
                f.required(),
                f.attributes(),
            ];
            for name in lists.into_iter().flatten() {
                assert!(!name.is_empty(), "{f:?}");
            }
        }
        let bucket = resource("AWS::S3::Bucket").expect("in the bundle");
        assert!(bucket.replaces().eq([
            "BucketName",
            "BucketNamePrefix",
            "BucketNamespace",
            "ObjectLockEnabled"
        ]));
        assert!(bucket.primary_identifier().eq(["BucketName"]));
        assert!(bucket.attributes().any(|a| a == "Arn") && bucket.attributes_complete());
    }

    /// The reviewed no-data list names only registry types, none of them stateful, and
    /// covers every type the built-in constructs create except those that hold data; a type
    /// in neither list is unknown, never taken as holding none.
    #[test]
    fn the_no_data_set_is_reviewed_data_and_everything_else_is_unknown() {
        let data: serde_json::Value = serde_json::from_str(NO_DATA).unwrap();
        for f in data["Families"].as_array().unwrap() {
            for key in ["family", "reason", "source"] {
                assert!(f[key].as_str().is_some_and(|s| !s.is_empty()), "{f}: {key}");
            }
        }
        let types = holds_no_data_types();
        assert!(types.len() > 40, "{}", types.len());
        for t in types {
            assert!(resource(t).is_some(), "{t} is not a registry type");
            assert!(!is_stateful_type(t), "{t} is in both lists");
        }
        for t in [
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Url",
            "AWS::IAM::Role",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Method",
            "AWS::ApiGateway::Deployment",
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Stage",
            "AWS::SNS::Subscription",
            "AWS::SNS::TopicPolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::S3::BucketPolicy",
            "AWS::Events::Rule",
            "AWS::Logs::SubscriptionFilter",
            "AWS::CloudWatch::Alarm",
        ] {
            assert_eq!(data_holding_type(t), DataHolding::None, "{t}");
        }
        // The attack's types, and types no list covers, are not shown to hold no data.
        for t in [
            "AWS::Timestream::Table",
            "AWS::ECR::Repository",
            "AWS::Cassandra::Table",
            "AWS::SNS::Topic",
            "AWS::IAM::User",
            "AWS::IAM::AccessKey",
            "Custom::Anything",
            "AWS::Serverless::Function",
            "",
        ] {
            assert_eq!(data_holding_type(t), DataHolding::Unknown, "{t}");
        }
        assert_eq!(data_holding_type("AWS::Logs::LogGroup"), DataHolding::Holds);
        assert!(!DataHolding::None.may_hold_data());
        assert!(DataHolding::Unknown.may_hold_data() && DataHolding::Holds.may_hold_data());
    }

    /// Every registry type is classified by the data, and the data names only registry
    /// types: a misspelt or retired type in the list would protect nothing.
    #[test]
    fn the_stateful_set_is_read_from_the_data_and_judged_over_every_registry_type() {
        let types = stateful_types();
        assert_eq!(types.len(), 29, "cfn-lint 1.58's StatefulResources.json");
        for t in types {
            assert!(resource(t).is_some(), "{t} is not a registry type");
        }
        let all = &crate::facts_data::ALL;
        assert!(all.len() > 1800, "the registry bundle: {}", all.len());
        let stateful: Vec<&str> = all
            .iter()
            .map(ResourceFacts::type_name)
            .filter(|t| is_stateful_type(t))
            .collect();
        assert_eq!(stateful.len(), types.len());
        // The types the constructs create and the ones that hold a database's data.
        for t in [
            "AWS::DynamoDB::Table",
            "AWS::S3::Bucket",
            "AWS::SQS::Queue",
            "AWS::Logs::LogGroup",
            "AWS::KMS::Key",
            "AWS::SecretsManager::Secret",
            "AWS::RDS::DBInstance",
            "AWS::Cognito::UserPool",
            "AWS::CloudFormation::Stack",
        ] {
            assert!(is_stateful_type(t), "{t}");
        }
        for t in [
            "AWS::Lambda::Function",
            "AWS::IAM::Role",
            "AWS::SNS::Topic",
            "",
        ] {
            assert!(!is_stateful_type(t), "{t}");
        }
    }
}
