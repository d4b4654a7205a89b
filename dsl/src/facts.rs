//! Facts about CloudFormation resource types, taken from the registry schemas: what a
//! resource's identity is and which property changes replace it. The diff uses them to
//! predict replacement offline; the table itself is generated (see `facts_data.rs`).

/// Schema facts about one resource type.
///
/// ```
/// let table = nephos::facts::resource("AWS::DynamoDB::Table").unwrap();
/// assert!(table.replaces_on_change("TableName"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceFacts {
    /// The CloudFormation type name, such as `AWS::S3::Bucket`.
    pub type_name: &'static str,
    /// Properties whose change replaces the resource (`createOnlyProperties`), as
    /// slash-separated paths below `Properties`, such as `TableName` or `VpcConfig/SubnetIds`.
    pub create_only: &'static [&'static str],
    /// The properties that identify a live resource (`primaryIdentifier`).
    pub primary_identifier: &'static [&'static str],
    /// Attributes that `Fn::GetAtt` can read (`readOnlyProperties`), slash-separated.
    pub read_only: &'static [&'static str],
    /// Properties that are only ever written, never read back (`writeOnlyProperties`).
    pub write_only: &'static [&'static str],
    /// Top-level properties every resource of the type must set (the schema's `required`).
    pub required: &'static [&'static str],
    /// The attributes `Fn::GetAtt` reads, dotted (`Endpoint.Address`): the read-only
    /// properties plus those the project's supplement adds (from the AWS service spec).
    pub attributes: &'static [&'static str],
    /// Whether `attributes` is complete: the type is one nephos generates code for, so
    /// the supplement filled the schema's gaps. Otherwise an attribute not listed may
    /// still exist.
    pub attributes_complete: bool,
}

impl ResourceFacts {
    /// Whether changing the property at `path` (slash-separated, below `Properties`)
    /// replaces the resource: it, or a property it is nested in, is create-only.
    pub fn replaces_on_change(&self, path: &str) -> bool {
        self.create_only.iter().any(|p| {
            path == *p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// The facts of a resource type, or `None` for a type the registry bundle does not know
/// (third-party or private types, custom resources).
pub fn resource(type_name: &str) -> Option<&'static ResourceFacts> {
    crate::facts_data::ALL
        .binary_search_by(|f| f.type_name.cmp(type_name))
        .ok()
        .map(|i| &crate::facts_data::ALL[i])
}

/// Resource types that hold data: replacing or deleting one loses that data unless its
/// deletion policy keeps it. `nephos deploy` refuses such changes unless allowed.
pub const STATEFUL_TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Kinesis::Stream",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SecretsManager::Secret",
    "AWS::SQS::Queue",
];

/// The template metadata key by which a resource of any type is marked stateful
/// (see [`ResourceOptions::stateful`](crate::ResourceOptions::stateful)).
pub const STATEFUL_METADATA: &str = "nephos:stateful";

/// Whether a resource in a template holds data: its type is one of
/// [`STATEFUL_TYPES`], or its `Metadata` marks it with [`STATEFUL_METADATA`].
///
/// ```
/// use serde_json::json;
/// assert!(nephos::facts::is_stateful(&json!({"Type": "AWS::DynamoDB::Table"})));
/// assert!(!nephos::facts::is_stateful(&json!({"Type": "AWS::Lambda::Function"})));
/// assert!(nephos::facts::is_stateful(&json!({"Type": "Custom::Ledger", "Metadata": {"nephos:stateful": true}})));
/// ```
pub fn is_stateful(resource: &serde_json::Value) -> bool {
    let type_name = resource.get("Type").and_then(|t| t.as_str()).unwrap_or("");
    STATEFUL_TYPES.contains(&type_name)
        || resource
            .get("Metadata")
            .and_then(|m| m.get(STATEFUL_METADATA))
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
}
