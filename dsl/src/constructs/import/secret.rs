//! [`ImportedSecret`]: a Secrets Manager secret outside the stack
//! (`Secret::from_name`, `Secret::from_arn`).

use crate::constructs::Secret;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::SecretsManagerSecretArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// A Secrets Manager secret outside the stack, known by name or ARN: grants to read
    /// or write it (see the [module](crate::constructs::import)).
    ImportedSecret,
    SecretsManagerSecretArn,
    Secret "secret",
    keyed
);

impl Secret {
    /// The secret `name` of this stack's account and region: any name Secrets Manager
    /// takes (1 to 512 letters, digits and `/_+=.@-`, so `prod/db-master` too). Its ARN
    /// ends with `-` and six random characters, unknown here, so grants name
    /// `...:secret:<name>-??????` (six characters, exactly: a secret named
    /// `<name>-other` is not matched). A name Secrets Manager refuses is an
    /// [`ImportError`].
    ///
    /// A name that itself ends with `-` and six letters or digits (`db-AbC123`) is
    /// taken, and its grant is right; Secrets Manager advises against such names only
    /// because a lookup by *partial ARN* (`...:secret:db-AbC123`) may be read as the
    /// secret `db` (AWS Secrets Manager User Guide, "Find secrets"): look it up at run
    /// time by its name or full ARN.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Runtime, Secret};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// Secret::from_name("prod/db-master").unwrap().grant_read(&mut stack, &f);
    /// let t = stack.synth().unwrap();
    /// let policy = t.json()["Resources"]["ApiRole"]["Properties"]["Policies"][0].to_string();
    /// assert!(policy.contains(":secret:prod/db-master-??????"), "{policy}");
    /// ```
    pub fn from_name(name: &str) -> Result<ImportedSecret, ImportError> {
        let problems = crate::constructs::names::secret_name_problems(name);
        if let Some(p) = problems.first() {
            return Err(ImportError::new("secret", name, format!("the name {p}")));
        }
        Ok(ImportedSecret::from_value(
            crate::sub!(
                "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${name}-??????",
                name = name
            )
            .cast(),
        ))
    }

    /// The secret's full `arn` (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`), checked.
    pub fn from_arn(arn: &str) -> Result<ImportedSecret, ImportError> {
        let parsed = Arn::parse("secret", arn, "secretsmanager")?;
        match parsed.resource().strip_prefix("secret:") {
            Some(full)
                if crate::constructs::names::secret_name_ends_like_suffix(full)
                    && crate::constructs::names::secret_name_problems(full).is_empty() =>
            {
                Ok(ImportedSecret::from_value(Value::literal(arn)))
            }
            _ => Err(ImportError::new(
                "secret",
                arn,
                "its resource is not `secret:<name>-<6 characters>` (a full secret ARN; for a name, use `Secret::from_name`)",
            )),
        }
    }

    /// The secret whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<SecretsManagerSecretArn>) -> ImportedSecret {
        ImportedSecret::from_value(arn)
    }
}

impl ImportedSecret {
    /// Lets `grantee` read the value and metadata (and decrypt with its key).
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::secret::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` put new values (and encrypt with its key).
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::secret::write(stack, grantee, &self.grant_target())
    }
}
