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
    "parameter",
    keyed
);

impl StringParameter {
    /// The parameter `name` of this stack's account and region, with or without a
    /// leading `/` (`/app/url` is `...:parameter/app/url`); a name SSM refuses is an
    /// [`ImportError`].
    ///
    /// ```
    /// use nephos::constructs::StringParameter;
    /// let p = StringParameter::from_name("/app/url").unwrap();
    /// assert!(p.arn().to_json().to_string().contains(":parameter/app/url\""));
    /// assert!(StringParameter::from_name("app/url").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<ImportedParameter, ImportError> {
        // Reading AWS's public parameters (`/aws/service/...`) is allowed; only
        // creating one under `aws` or `ssm` is refused.
        let problems: Vec<String> = grants::parameter::name_problems(name)
            .into_iter()
            .filter(|p| !p.contains("`aws` or `ssm`"))
            .collect();
        if let Some(p) = problems.first() {
            return Err(ImportError::new("parameter", name, format!("the name {p}")));
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

    /// Lets `grantee` write new versions (and encrypt with its key).
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::write(stack, grantee, &self.grant_target())
    }
}
