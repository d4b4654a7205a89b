//! Grants on a DynamoDB table: items (and indexes), and its stream.

use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::diagnostic::{Diagnostic, Location};
#[cfg(feature = "dynamodb")]
use crate::dynamodb::TableHandle;
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::sub;
use crate::value::value::{IntoValue, Value};

/// A table grants are on: a [`Target`], whether it has secondary indexes (grants then
/// cover `<arn>/index/*`), and its stream's ARN when it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct TableTarget {
    target: Target<on::Table>,
    /// Whether it has secondary indexes; `None`: read from the stack at grant time.
    indexes: Option<bool>,
    stream_arn: Option<Value<Str>>,
}

impl TableTarget {
    /// A table given by its target (ARN, key, name in messages).
    pub fn new(target: Target<on::Table>) -> Self {
        TableTarget {
            target,
            indexes: None,
            stream_arn: None,
        }
    }

    /// The table has secondary indexes, which item grants cover too. Without it, a
    /// table of a stack has its `GlobalSecondaryIndexes` and `LocalSecondaryIndexes`
    /// read at grant time (one given by ARN has none assumed).
    pub fn with_indexes(mut self, indexes: bool) -> Self {
        self.indexes = Some(indexes);
        self
    }

    /// Encrypted with `key`, a KMS key (see [`Target::encrypted_with`]): grants cover it.
    pub fn encrypted_with(mut self, key: Option<EncryptionKey>) -> Self {
        self.target = self.target.encrypted_with(key);
        self
    }

    /// The table's stream, which [`stream_read`] grants on. Without it, a table of a
    /// stack whose `StreamSpecification` is set at grant time has its `StreamArn` used.
    pub fn stream(mut self, arn: impl IntoValue<Str>) -> Self {
        self.stream_arn = Some(arn.into_value());
        self
    }

    /// The stream's ARN, when given.
    pub fn stream_arn(&self) -> Option<&Value<Str>> {
        self.stream_arn.as_ref()
    }

    /// The table's target.
    pub fn target(&self) -> &Target<on::Table> {
        &self.target
    }

    /// Whether item grants cover `<arn>/index/*`: as given, or else whether the table's
    /// properties declare indexes now (a computed list may hold some, so it counts).
    fn has_indexes(&self, stack: &Stack) -> bool {
        self.indexes.unwrap_or_else(|| {
            self.target.resource().is_some_and(|r| {
                ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
                    .iter()
                    .filter_map(|p| stack.property(r, p))
                    .any(|v| !matches!(v.literal_json(), Some(serde_json::Value::Array(a)) if a.is_empty()))
            })
        })
    }

    /// The stream's ARN: as given, or else the `StreamArn` of a table of the stack whose
    /// `StreamSpecification` is set now.
    fn stream_in(&self, stack: &Stack) -> Option<Value<Str>> {
        self.stream_arn.clone().or_else(|| {
            let r = self.target.resource()?;
            stack.property(r, "StreamSpecification")?;
            Some(Value::from_expr(crate::value::expr::Expr::GetAtt(
                r.target.clone(),
                "StreamArn".into(),
            )))
        })
    }

    /// Records that the grant reads `properties` of the table of the stack (when not
    /// given to the target): an override of one is then refused at synth.
    fn reads(&self, stack: &mut Stack, properties: &[&'static str]) {
        use crate::stack::derived::{Fix, Record};
        use std::borrow::Cow;
        if let Some(r) = self.target.resource() {
            let derives = format!("what grants on {} cover", self.target.what());
            for p in properties {
                stack.derived_record(Record {
                    id: r.logical_id().to_string(),
                    path: Cow::Borrowed(p),
                    derives: Cow::Owned(derives.clone()),
                    fix: Fix::Text(Cow::Borrowed(
                        "set it on the table's builder (or the construct's option) before granting, not with `override_property`",
                    )),
                });
            }
        }
    }

    fn items(&self, stack: &mut Stack, grant: Grant) -> Grant {
        if self.indexes.is_none() {
            self.reads(stack, &["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]);
        }
        let grant = grant.on(self.target.arn());
        if self.has_indexes(stack) {
            grant.on(sub!("${arn}/index/*", arn = self.target.arn().clone()))
        } else {
            grant
        }
    }
}

/// A generated table: its indexes, stream and KMS key are read from its properties when
/// a grant is made, so the grant covers what the table has then.
#[cfg(feature = "dynamodb")]
impl From<&TableHandle> for TableTarget {
    fn from(table: &TableHandle) -> Self {
        TableTarget::new(Target::from(table))
    }
}

/// [`Target::refuse_mismatch`] for `table`, naming the grantee only when it refuses.
fn refuses(stack: &mut Stack, grantee: &impl Grantee, table: &TableTarget, purpose: &str) -> bool {
    table.target.mismatch().is_some()
        && table
            .target
            .refuse_mismatch(stack, &grantee.grantee_name(), purpose)
}

/// Lets `grantee` read items.
pub fn read(stack: &mut Stack, grantee: &impl Grantee, table: &TableTarget) -> Vec<Granted> {
    if refuses(stack, grantee, table, "read access to the table") {
        return Vec::new();
    }
    let g = table.items(
        stack,
        Grant::new("read access to the table").actions(actions::DYNAMODB_READ),
    );
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, &table.target, actions::KMS_READ, "dynamodb"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` write items.
pub fn write(stack: &mut Stack, grantee: &impl Grantee, table: &TableTarget) -> Vec<Granted> {
    if refuses(stack, grantee, table, "write access to the table") {
        return Vec::new();
    }
    let g = table.items(
        stack,
        Grant::new("write access to the table").actions(actions::DYNAMODB_WRITE),
    );
    [
        grant(stack, grantee, g),
        key::cover(
            stack,
            grantee,
            &table.target,
            actions::KMS_READ_WRITE,
            "dynamodb",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` read the table's stream. A table without a stream is a synth error
/// naming it and the fix, and nothing is granted.
pub fn stream_read(stack: &mut Stack, grantee: &impl Grantee, table: &TableTarget) -> Vec<Granted> {
    if table
        .target
        .refuse_mismatch(stack, &grantee.grantee_name(), "read access to the stream")
    {
        return Vec::new();
    }
    if table.stream_arn.is_none() {
        table.reads(stack, &["StreamSpecification"]);
    }
    let Some(stream) = table.stream_in(stack) else {
        stack.problem(Diagnostic::error(
            Location::stack(),
            format!(
                "granting stream read needs a stream, but {} has none",
                table.target.what()
            ),
            "add `.stream(StreamView::NewAndOldImages)` (or another view) to the table, and give its stream ARN to the grant",
        ));
        return Vec::new();
    };
    let read = Grant::new("read access to the stream")
        .actions(actions::DYNAMODB_STREAM_READ)
        .on(&stream);
    let list = Grant::new("listing streams")
        .actions(actions::DYNAMODB_LIST_STREAMS)
        .on("*");
    [
        grant(stack, grantee, read),
        grant(stack, grantee, list),
        key::cover(stack, grantee, &table.target, actions::KMS_READ, "dynamodb"),
    ]
    .into_iter()
    .flatten()
    .collect()
}
