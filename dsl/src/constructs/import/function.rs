//! [`ImportedFunction`]: a Lambda function outside the stack (`Function::from_arn`).

use crate::constructs::Function;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::LambdaFunctionArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// A Lambda function outside the stack, known by ARN: grants to invoke it (see the
    /// [module](crate::constructs::import) for what cannot be done with it).
    ImportedFunction,
    LambdaFunctionArn,
    Function "function"
);

impl Function {
    /// The function `arn` (`arn:aws:lambda:<region>:<account>:function:<name>`, with
    /// an optional `:<version or alias>`), checked: another service's ARN, another
    /// Lambda resource (a layer) or a name Lambda refuses is an [`ImportError`].
    ///
    /// ```
    /// use nephos::constructs::Function;
    /// assert!(Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:function:resize:live").is_ok());
    /// assert!(Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:layer:deps:3").is_err());
    /// ```
    pub fn from_arn(arn: &str) -> Result<ImportedFunction, ImportError> {
        let parsed = Arn::parse("function", arn, "lambda")?;
        let Some(rest) = parsed.resource().strip_prefix("function:") else {
            return Err(ImportError::new(
                "function",
                arn,
                "its resource is not `function:<name>`",
            ));
        };
        let (name, qualifier) = match rest.split_once(':') {
            Some((n, q)) => (n, Some(q)),
            None => (rest, None),
        };
        // Lambda API Reference, `CreateFunction` `FunctionName` (1 to 64 characters of
        // letters, digits, `-` and `_`) and `Qualifier` (`$LATEST`, a version, an alias
        // of 1 to 128 characters of letters, digits, `-` and `_`).
        let word = |s: &str, max: usize| {
            (1..=max).contains(&s.len())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !word(name, 64) {
            return Err(ImportError::new(
                "function",
                arn,
                "its name is not 1 to 64 letters, digits, `-` and `_`",
            ));
        }
        if let Some(q) = qualifier
            && q != "$LATEST"
            && !word(q, 128)
        {
            return Err(ImportError::new(
                "function",
                arn,
                "its qualifier is not `$LATEST`, a version or an alias name",
            ));
        }
        Ok(ImportedFunction::from_value(Value::literal(arn)))
    }

    /// The function whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<LambdaFunctionArn>) -> ImportedFunction {
        ImportedFunction::from_value(arn)
    }
}

impl ImportedFunction {
    /// Lets `grantee` invoke the function (`lambda:InvokeFunction`), on it only.
    pub fn grant_invoke(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::function::invoke(stack, grantee, &self.grant_target())
    }
}
