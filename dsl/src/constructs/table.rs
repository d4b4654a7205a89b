//! [`Table`]: a DynamoDB table whose attribute definitions come from its keys.

use std::collections::BTreeMap;

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::table::TableTarget;
use crate::constructs::grants::{self, Granted, Grantee};
#[cfg(feature = "lambda")]
use crate::constructs::wiring::{FunctionEnd, dynamodb};
use crate::diagnostic::{Diagnostic, Location};
use crate::dynamodb::TableHandle;
use crate::dynamodb::table as generated;
use crate::kind::Str;
use crate::kinds::{DynamoDbTableArn, DynamoDbTableName, DynamoDbTableStreamArn};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::{Props, PropsBuilder};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

pub use crate::dynamodb::table::AttributeType;

/// A key attribute: its name and type. Its attribute definition is derived from it, so a
/// key can never lack one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    name: String,
    kind: AttributeType,
}

impl Key {
    /// A string key.
    pub fn string(name: impl Into<String>) -> Self {
        Key {
            name: name.into(),
            kind: AttributeType::S,
        }
    }

    /// A number key.
    pub fn number(name: impl Into<String>) -> Self {
        Key {
            name: name.into(),
            kind: AttributeType::N,
        }
    }

    /// A binary key.
    pub fn binary(name: impl Into<String>) -> Self {
        Key {
            name: name.into(),
            kind: AttributeType::B,
        }
    }
}

/// How the table is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Billing {
    /// Pay per request (on demand).
    #[default]
    OnDemand,
    /// Provisioned read and write capacity units.
    Provisioned {
        /// Read capacity units.
        read: i64,
        /// Write capacity units.
        write: i64,
    },
}

/// What a stream record carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamView {
    /// Only the key attributes.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

/// Which attributes an index holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Projection {
    /// Every attribute.
    #[default]
    All,
    /// Only the keys.
    KeysOnly,
    /// The keys and these attributes.
    Include(Vec<String>),
}

#[derive(Clone, Debug)]
struct Index {
    name: String,
    partition: Option<Key>,
    sort: Option<Key>,
    projection: Projection,
}

/// A DynamoDB table. On-demand billing unless set; kept when removed from the stack
/// unless [`RemovalPolicy::Destroy`] is chosen.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Key, StreamView, Table};
/// let mut stack = Stack::new("App");
/// stack.add("Users", Table::new(Key::string("user_id")).stream(StreamView::NewAndOldImages));
/// let t = stack.synth().unwrap();
/// let props = &t.json()["Resources"]["Users"]["Properties"];
/// assert_eq!(props["AttributeDefinitions"], serde_json::json!([{"AttributeName": "user_id", "AttributeType": "S"}]));
/// assert_eq!(t.json()["Resources"]["Users"]["DeletionPolicy"], "Retain");
/// ```
///
/// The construct holds the generated `AWS::DynamoDB::Table` builder: options write into
/// it, and [`configure`](Table::configure) reaches every property it has. The keys and
/// indexes are kept apart because the key schema and attribute definitions are computed
/// from all of them when the table is added.
#[derive(Clone, Debug)]
pub struct Table {
    /// The builder, the key every grant covers, the removal policy and the hatch.
    table: Wrapped<generated::Table>,
    partition: Key,
    sort: Option<Key>,
    /// Also gives each global index its throughput.
    billing: Billing,
    globals: Vec<Index>,
    locals: Vec<Index>,
}

impl Table {
    /// A table keyed by `partition`.
    pub fn new(partition: Key) -> Self {
        Table {
            // `KeySchema` is computed when added, from the keys and indexes.
            table: Wrapped::stateful(generated::Table::from_props(Props::new())),
            partition,
            sort: None,
            billing: Billing::default(),
            globals: Vec::new(),
            locals: Vec::new(),
        }
    }

    /// Adds a sort key.
    pub fn sort_key(mut self, key: Key) -> Self {
        self.sort = Some(key);
        self
    }

    /// Sets the billing mode.
    pub fn billing(mut self, billing: Billing) -> Self {
        self.billing = billing;
        self
    }

    /// Adds a global secondary index.
    pub fn global_index(
        mut self,
        name: impl Into<String>,
        partition: Key,
        sort: Option<Key>,
        projection: Projection,
    ) -> Self {
        self.globals.push(Index {
            name: name.into(),
            partition: Some(partition),
            sort,
            projection,
        });
        self
    }

    /// Adds a local secondary index (same partition key, another sort key).
    pub fn local_index(
        mut self,
        name: impl Into<String>,
        sort: Key,
        projection: Projection,
    ) -> Self {
        self.locals.push(Index {
            name: name.into(),
            partition: None,
            sort: Some(sort),
            projection,
        });
        self
    }

    /// Turns on the change stream.
    pub fn stream(mut self, view: StreamView) -> Self {
        let v = match view {
            StreamView::KeysOnly => generated::StreamViewType::KeysOnly,
            StreamView::NewImage => generated::StreamViewType::NewImage,
            StreamView::OldImage => generated::StreamViewType::OldImage,
            StreamView::NewAndOldImages => generated::StreamViewType::NewAndOldImages,
        };
        self.table = self
            .table
            .set(|t| t.stream_specification(generated::StreamSpecification::new(v)));
        self
    }

    /// Expires items by the epoch-seconds attribute `attribute`.
    pub fn time_to_live(mut self, attribute: impl Into<String>) -> Self {
        let ttl = generated::TimeToLiveSpecification::new(true).attribute_name(attribute.into());
        self.table = self.table.set(|t| t.time_to_live_specification(ttl));
        self
    }

    /// Turns on point-in-time recovery.
    pub fn point_in_time_recovery(mut self) -> Self {
        let recovery =
            generated::PointInTimeRecoverySpecification::new().point_in_time_recovery_enabled(true);
        self.table = self
            .table
            .set(|t| t.point_in_time_recovery_specification(recovery));
        self
    }

    /// Encrypts with a KMS key (else an AWS-owned key).
    /// `key` is a key's ARN or ID (`key.arn()`, `key.id()` of an `AWS::KMS::Key`), an
    /// alias name (`alias.name()`, or `Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/dynamodb")`
    /// for the AWS managed key) or an alias ARN, as DynamoDB takes it (Amazon DynamoDB API Reference, `SSESpecification.KMSMasterKeyId`). Grants on
    /// the table cover the key by its ARN; an alias other than an AWS managed one is refused
    /// when a grant is made (see [`grants::key`](crate::constructs::grants::key)).
    pub fn kms_key(mut self, key: impl Into<EncryptionKey>) -> Self {
        self.table = self.table.kms_key(key, |t, key| {
            t.sse_specification(
                generated::SseSpecification::new(true)
                    .sse_type(generated::SseType::Kms)
                    .kms_master_key_id(key),
            )
        });
        self
    }

    /// The physical table name (else CloudFormation makes one up).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.table = self.table.set(|t| t.table_name(name));
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl IntoValue<Str>) -> Self {
        let tag = generated::Tag::new(key.into(), value);
        self.table = self.table.set(|t| t.add_tags(tag));
        self
    }

    /// What happens to the table's data when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.table = self.table.removal_policy(Some(policy));
        self
    }

    /// Escape hatch to the generated `AWS::DynamoDB::Table` builder: `f` sees it after
    /// the construct's defaults and options (keys, indexes, billing included) and may set
    /// or clear any property; a later `override_property` still wins. A key or key
    /// encryption set here is not known to the table's grants: use the options for those.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Key, Table};
    /// use nephos::dynamodb::table::TableClass;
    /// let mut stack = Stack::new("App");
    /// stack.add("Users", Table::new(Key::string("id")).configure(|l1| l1.table_class(TableClass::StandardInfrequentAccess)));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Users"]["Properties"]["TableClass"], "STANDARD_INFREQUENT_ACCESS");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(generated::Table) -> generated::Table + Send + Sync + 'static,
    ) -> Self {
        self.table = self.table.configure(f);
        self
    }
}

/// The table's properties the construct derives grants from when added.
/// The table's properties grants on it derive what they cover from, each with the way
/// to set it (an `override_property` changing one is refused at synth).
const DERIVED_FOR_GRANTS: [(&str, &str); 3] = [
    (
        "GlobalSecondaryIndexes",
        "set GlobalSecondaryIndexes with the construct's `.global_index()` or `configure`, not `override_property`",
    ),
    (
        "LocalSecondaryIndexes",
        "set LocalSecondaryIndexes with the construct's `.local_index()` or `configure`, not `override_property`",
    ),
    (
        "StreamSpecification",
        "set StreamSpecification with the construct's `.stream()` or `configure`, not `override_property`",
    ),
];

const OWNED: &[Owned] = &[Owned::new(
    "SSESpecification",
    "kms_key",
    "the KMS key that grants on the table cover",
)
.at("/KMSMasterKeyId")];

fn key_schema(partition: &Key, sort: Option<&Key>) -> Vec<generated::KeySchema> {
    let mut keys = vec![generated::KeySchema::new(partition.name.clone(), "HASH")];
    if let Some(s) = sort {
        keys.push(generated::KeySchema::new(s.name.clone(), "RANGE"));
    }
    keys
}

fn projection(p: &Projection) -> generated::Projection {
    match p {
        Projection::All => {
            generated::Projection::new().projection_type(generated::ProjectionType::All)
        }
        Projection::KeysOnly => {
            generated::Projection::new().projection_type(generated::ProjectionType::KeysOnly)
        }
        Projection::Include(attrs) => generated::Projection::new()
            .projection_type(generated::ProjectionType::Include)
            .non_key_attributes(attrs.clone()),
    }
}

impl Construct for Table {
    type Handle = TableRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> TableRef {
        // Every key of the table and its indexes, defined once; a name used with two
        // types is a mistake DynamoDB would reject at deploy.
        let mut defs: BTreeMap<String, AttributeType> = BTreeMap::new();
        let keys = std::iter::once(&self.partition)
            .chain(self.sort.iter())
            .chain(
                self.globals
                    .iter()
                    .chain(&self.locals)
                    .flat_map(|i| i.partition.iter().chain(i.sort.iter())),
            );
        for k in keys {
            if let Some(previous) = defs.insert(k.name.clone(), k.kind)
                && previous != k.kind
            {
                stack.problem(Diagnostic::error(
                    Location::property(id, "AttributeDefinitions"),
                    format!(
                        "key attribute `{}` is used as {} and as {}",
                        k.name,
                        previous.as_str(),
                        k.kind.as_str()
                    ),
                    "give the attribute one type everywhere it is a key",
                ));
            }
        }
        let (partition, sort, billing) = (&self.partition, self.sort.as_ref(), self.billing);
        let (globals, locals) = (&self.globals, &self.locals);
        let ready = self.table.prepare(stack, id, OWNED, |t| {
            let mut t = t
                .key_schema(key_schema(partition, sort))
                .attribute_definitions(
                    defs.iter()
                        .map(|(name, kind)| {
                            generated::AttributeDefinition::new(name.clone(), *kind)
                        })
                        .collect::<Vec<_>>(),
                );
            t = match billing {
                Billing::OnDemand => t.billing_mode(generated::BillingMode::PayPerRequest),
                Billing::Provisioned { read, write } => t
                    .billing_mode(generated::BillingMode::Provisioned)
                    .provisioned_throughput(generated::ProvisionedThroughput::new(read, write)),
            };
            for g in globals {
                let mut schema = vec![generated::KeySchema::new(
                    g.partition.as_ref().map_or("", |k| &k.name),
                    "HASH",
                )];
                if let Some(s) = &g.sort {
                    schema.push(generated::KeySchema::new(s.name.clone(), "RANGE"));
                }
                let mut index = generated::GlobalSecondaryIndex::new(
                    g.name.clone(),
                    schema,
                    projection(&g.projection),
                );
                if let Billing::Provisioned { read, write } = billing {
                    index = index
                        .provisioned_throughput(generated::ProvisionedThroughput::new(read, write));
                }
                t = t.add_global_secondary_indexes(index);
            }
            for l in locals {
                let schema = vec![
                    generated::KeySchema::new(partition.name.clone(), "HASH"),
                    generated::KeySchema::new(l.sort.as_ref().map_or("", |k| &k.name), "RANGE"),
                ];
                t = t.add_local_secondary_indexes(generated::LocalSecondaryIndex::new(
                    l.name.clone(),
                    schema,
                    projection(&l.projection),
                ));
            }
            t
        });
        let t = ready.builder();
        // Read from the final builder: indexes and a stream added by `configure` are
        // covered by grants like the construct's own.
        let has_indexes = ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
            .iter()
            .any(|p| {
                t.props()
                    .get_json(p)
                    .is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty()))
            });
        let stream = t.props().contains("StreamSpecification");
        // The records' texts are constants, kept borrowed: every table makes three.
        for (p, fix) in DERIVED_FOR_GRANTS {
            stack.derived_from_static(
                id,
                p,
                "what grants on the table cover (its indexes, its stream)",
                fix,
            );
        }
        let added = ready.add_to(stack);
        TableRef {
            table: added.handle,
            stream,
            has_indexes,
            kms_key: added.kms_key,
        }
    }
}

/// A table added to a stack.
#[derive(Clone, Debug)]
pub struct TableRef {
    table: TableHandle,
    /// Whether the final table has a stream.
    stream: bool,
    /// Whether the final table has indexes (grants then cover `<arn>/index/*`).
    has_indexes: bool,
    /// The customer-managed key, which every grant on the table covers.
    kms_key: Option<EncryptionKey>,
}

impl TableRef {
    /// The table's name.
    pub fn name(&self) -> Value<DynamoDbTableName> {
        self.table.name()
    }

    /// The table's ARN.
    pub fn arn(&self) -> Value<DynamoDbTableArn> {
        self.table.arn()
    }

    /// The stream's ARN (the table needs [`Table::stream`]).
    pub fn stream_arn(&self) -> Value<DynamoDbTableStreamArn> {
        self.table.stream_arn()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &TableHandle {
        &self.table
    }

    /// What grants on the table are on: its ARN, indexes, stream and key.
    pub fn grant_target(&self) -> TableTarget {
        let target = TableTarget::from(&self.table)
            .with_indexes(self.has_indexes)
            .encrypted_with(self.kms_key.clone());
        if self.stream {
            target.stream(self.stream_arn())
        } else {
            target
        }
    }

    /// Lets `grantee` read items.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::table::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write items.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::table::write(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` read and write items.
    pub fn grant_read_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        // One target for both grants: it is read from the table's handle alone.
        let target = self.grant_target();
        let mut granted = grants::table::read(stack, grantee, &target);
        granted.extend(grants::table::write(stack, grantee, &target));
        granted
    }

    /// Lets `grantee` read the table's stream.
    pub fn grant_stream_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        if !self.require_stream(stack, "granting stream read") {
            return Vec::new();
        }
        grants::table::stream_read(stack, grantee, &self.grant_target())
    }

    fn require_stream(&self, stack: &mut Stack, doing: &str) -> bool {
        if !self.stream {
            let id = self.table.resource_ref().logical_id().to_string();
            stack.problem(Diagnostic::error(
                Location::resource(&id),
                format!("{doing} needs a stream, but table `{id}` has none"),
                "add `.stream(StreamView::NewAndOldImages)` (or another view) to the table",
            ));
        }
        self.stream
    }

    /// Invokes `function` with batches of stream records: an event source mapping, plus
    /// the stream-read grant it needs (the mapping fails to create without it).
    #[cfg(feature = "lambda")]
    pub fn stream_to(
        &self,
        stack: &mut Stack,
        function: &impl FunctionEnd,
        trigger: crate::constructs::wiring::stream::StreamTrigger,
    ) -> crate::lambda::EventSourceMappingHandle {
        self.grant_stream_read(stack, function);
        dynamodb::map_stream(stack, self.handle(), self.stream_arn(), function, trigger)
    }
}

/// The table's CloudWatch metrics (namespace `AWS/DynamoDB`, dimension `TableName`;
/// Amazon DynamoDB Developer Guide, "DynamoDB Metrics and dimensions").
#[cfg(feature = "cloudwatch")]
impl TableRef {
    /// Read requests that exceeded the table's provisioned (or on-demand) throughput,
    /// summed over five minutes.
    pub fn metric_read_throttle_events(&self) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/DynamoDB", "ReadThrottleEvents")
            .dimension("TableName", self.name())
    }

    /// Write requests that exceeded the table's throughput, summed over five minutes.
    pub fn metric_write_throttle_events(&self) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/DynamoDB", "WriteThrottleEvents")
            .dimension("TableName", self.name())
    }
}

impl Handle for TableRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.table.resource_ref()
    }
}
