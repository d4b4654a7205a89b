//! [`ImportedParameter`]: an SSM parameter outside the stack
//! (`StringParameter::from_name`), `String`, `StringList` or `SecureString`.

use crate::constructs::StringParameter;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{ImportError, imported};
use crate::kinds::SsmParameterArn;
use crate::stack::stack::Stack;

imported!(
    /// An SSM parameter outside the stack, known by name: grants to read or write it; a
    /// `SecureString` under a customer-managed key takes the key with `encrypted_with`
    /// (see the [module](crate::constructs::import)).
    ImportedParameter,
    SsmParameterArn,
    Parameter "parameter",
    keyed
);

impl StringParameter {
    /// The parameter `name` of this stack's account and region, with or without a
    /// leading `/` (`/app/url` is `...:parameter/app/url`); a name SSM refuses is an
    /// [`ImportError`].
    ///
    /// AWS's public parameters (`/aws/service/...`: latest AMI IDs, Regions, service
    /// endpoints) are owned by AWS, not by this account: their ARN has no account
    /// (`arn:aws:ssm:<region>::parameter/aws/service/...`; AWS Systems Manager User
    /// Guide, "Calling AMI public parameters"), and grants name that ARN; they can be
    /// read, never written (`grant_write` is a synth error). Any other name beginning
    /// with `aws` or `ssm` cannot exist (SSM keeps those names for itself) and is an
    /// [`ImportError`]; a Secrets Manager secret read through Parameter Store
    /// (`/aws/reference/secretsmanager/<secret>`) is granted on the secret:
    /// [`Secret::from_name`](crate::constructs::Secret::from_name).
    ///
    /// ```
    /// use nephos::constructs::StringParameter;
    /// let p = StringParameter::from_name("/app/url").unwrap();
    /// assert!(p.arn().to_json().to_string().contains(":parameter/app/url\""));
    /// assert!(StringParameter::from_name("app/url").is_err());
    /// let ami = StringParameter::from_name("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64").unwrap();
    /// assert!(ami.arn().to_json().to_string().contains("${AWS::Region}::parameter/aws/service/"));
    /// assert!(StringParameter::from_name("/aws/reference/secretsmanager/db").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<ImportedParameter, ImportError> {
        let public = grants::parameter::is_public(name);
        let problems: Vec<String> = grants::parameter::name_problems(name)
            .into_iter()
            // A public parameter is read, not created: the reserved prefix is its own.
            .filter(|p| !(public && p.contains("`aws` or `ssm`")))
            .collect();
        if let Some(p) = problems.first() {
            let why = if name.starts_with("/aws/reference/secretsmanager/") {
                "it is a Secrets Manager secret read through Parameter Store: reading it needs `secretsmanager:GetSecretValue` on the secret, so import it with `Secret::from_name` and grant on that".to_string()
            } else if p.contains("`aws` or `ssm`") {
                format!(
                    "the name {p}: no parameter of this account can have it (AWS's public parameters are under `{}`)",
                    grants::parameter::PUBLIC_PREFIX
                )
            } else {
                format!("the name {p}")
            };
            return Err(ImportError::new("parameter", name, why));
        }
        Ok(ImportedParameter::from_value(
            grants::parameter::arn_of_name(name),
        ))
    }
}

impl ImportedParameter {
    /// Lets `grantee` read the parameter (and decrypt it with its key).
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write new versions (and encrypt with its key); on AWS's public
    /// parameters a synth error (nobody may write them).
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::write(stack, grantee, &self.grant_target())
    }
}
