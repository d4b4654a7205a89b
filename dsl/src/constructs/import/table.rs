//! [`ImportedTable`]: a DynamoDB table outside the stack (`Table::from_name`).

use crate::constructs::Table;
use crate::constructs::grants::table::TableTarget;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::DynamoDbTableArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// A DynamoDB table outside the stack, known by name or ARN: item grants on it and
    /// on its indexes (see the [module](crate::constructs::import) for what cannot be
    /// done with it).
    ImportedTable,
    DynamoDbTableArn,
    Table "table",
    keyed
);

/// DynamoDB's rule for a table name (Developer Guide, "Naming rules"): 3 to 255
/// letters, digits, `_`, `-` and `.`.
fn name_ok(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

impl Table {
    /// The table `name` of this stack's account and region (its ARN is built from the
    /// name); a name DynamoDB refuses is an [`ImportError`].
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Runtime, Table};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let users = Table::from_name("users").unwrap();
    /// users.grant_read(&mut stack, &f);
    /// let t = stack.synth().unwrap();
    /// let policy = t.json()["Resources"]["ApiRole"]["Properties"]["Policies"][0].to_string();
    /// assert!(policy.contains(":table/users/index/*"), "{policy}");
    /// assert!(Table::from_name("u").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<ImportedTable, ImportError> {
        if !name_ok(name) {
            return Err(ImportError::new(
                "table",
                name,
                "a table name is 3 to 255 letters, digits, `_`, `-` and `.`",
            ));
        }
        let mut table = ImportedTable::from_value(
            crate::sub!(
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${name}",
                name = name
            )
            .cast(),
        );
        table.name = Some(name.into());
        Ok(table)
    }

    /// The table `arn` (`arn:aws:dynamodb:<region>:<account>:table/<name>`), checked.
    pub fn from_arn(arn: &str) -> Result<ImportedTable, ImportError> {
        let parsed = Arn::parse("table", arn, "dynamodb")?;
        match parsed.resource().strip_prefix("table/") {
            Some(name) if name_ok(name) => {
                let mut table = ImportedTable::from_value(Value::literal(arn));
                table.name = Some(name.into());
                Ok(table)
            }
            _ => Err(ImportError::new(
                "table",
                arn,
                "its resource is not `table/<name>` with a name DynamoDB accepts",
            )),
        }
    }

    /// The table whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<DynamoDbTableArn>) -> ImportedTable {
        ImportedTable::from_value(arn)
    }
}

impl ImportedTable {
    /// Its name, when imported by name or by a literal ARN (`None`: an ARN known only
    /// at deploy, which names the table only through the ARN).
    ///
    /// ```
    /// use nephos::constructs::Table;
    /// let t = Table::from_name("users").unwrap();
    /// assert_eq!(t.known_name().and_then(|n| n.literal_str().map(str::to_string)).as_deref(), Some("users"));
    /// ```
    pub fn known_name(&self) -> Option<crate::Value<crate::kind::Str>> {
        self.name.clone()
    }

    /// The table's grant target: its indexes are assumed (grants cover
    /// `<arn>/index/*`), since the table's definition cannot be read here.
    pub fn table_target(&self) -> TableTarget {
        TableTarget::new(self.grant_target()).with_indexes(true)
    }

    /// Lets `grantee` read items, of the table and its indexes.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::table::read(stack, grantee, &self.table_target())
    }

    /// Lets `grantee` write items.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::table::write(stack, grantee, &self.table_target())
    }

    /// Lets `grantee` read and write items.
    pub fn grant_read_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        let mut out = self.grant_read(stack, grantee);
        out.extend(self.grant_write(stack, grantee));
        out
    }
}
