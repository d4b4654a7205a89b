//! Facts about CloudFormation resource types: what a resource's identity is, which property
//! changes replace it (or may), and which lists CloudFormation compares without order. The
//! diff uses them to predict replacement offline; the table itself is generated (see
//! `facts_data.rs`) from the registry schemas and the AWS service spec, merged.

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

/// Schema facts about one resource type.
///
/// ```
/// use nephos::facts::ReplacementFact;
/// let table = nephos::facts::resource("AWS::DynamoDB::Table").unwrap();
/// assert!(table.replaces_on_change("TableName"));
/// assert_eq!(table.replacement("KeySchema"), ReplacementFact::Always);
/// assert_eq!(table.replacement("BillingMode"), ReplacementFact::Never);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceFacts {
    /// The CloudFormation type name, such as `AWS::S3::Bucket`.
    pub type_name: &'static str,
    /// Properties whose change replaces the resource, as slash-separated paths below
    /// `Properties` (`*` for any list element), such as `TableName` or `VpcConfig/SubnetIds`:
    /// the registry's `createOnlyProperties` and the service spec's `causesReplacement: yes`.
    pub replaces: &'static [&'static str],
    /// Properties whose change may replace the resource: the registry's
    /// `conditionalCreateOnlyProperties` and the service spec's `causesReplacement: maybe`.
    pub may_replace: &'static [&'static str],
    /// Lists whose order CloudFormation ignores (`insertionOrder: false`).
    pub unordered: &'static [&'static str],
    /// The properties that identify a live resource (`primaryIdentifier`).
    pub primary_identifier: &'static [&'static str],
    /// Attributes that `Fn::GetAtt` can read (`readOnlyProperties`), slash-separated.
    pub read_only: &'static [&'static str],
    /// Properties that are only ever written, never read back (`writeOnlyProperties`).
    pub write_only: &'static [&'static str],
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
        self.replaces.iter().any(|p| covers(p, path))
    }

    /// What changing the value at `path` does: [`ReplacementFact::Always`] when it (or an
    /// enclosing property) replaces; [`ReplacementFact::Maybe`] when a source says it may,
    /// or when a replacing or may-replace path lies inside the changed value.
    pub fn replacement(&self, path: &str) -> ReplacementFact {
        if self.replaces_on_change(path) {
            ReplacementFact::Always
        } else if self
            .may_replace
            .iter()
            .any(|p| covers(p, path) || covers(path, p))
            || self.replaces.iter().any(|p| covers(path, p))
        {
            ReplacementFact::Maybe
        } else {
            ReplacementFact::Never
        }
    }

    /// Whether the list at `path` is compared without regard to order.
    pub fn is_unordered(&self, path: &str) -> bool {
        self.unordered
            .iter()
            .any(|p| p.split('/').count() == path.split('/').count() && covers(p, path))
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
