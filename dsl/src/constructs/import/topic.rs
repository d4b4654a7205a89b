//! [`ImportedTopic`]: an SNS topic outside the stack (`Topic::from_arn`).

use crate::constructs::Topic;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::SnsTopicArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// An SNS topic outside the stack, known by ARN: grants on it (see the
    /// [module](crate::constructs::import) for what cannot be done with it).
    ImportedTopic,
    SnsTopicArn,
    Topic "topic",
    keyed
);

impl Topic {
    /// The topic `arn` (`arn:aws:sns:<region>:<account>:<name>`), checked: an ARN of
    /// another service, a malformed one or a name SNS refuses is an [`ImportError`].
    ///
    /// ```
    /// use nephos::constructs::Topic;
    /// assert!(Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:alerts").is_ok());
    /// assert!(Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:al/erts").is_err());
    /// ```
    pub fn from_arn(arn: &str) -> Result<ImportedTopic, ImportError> {
        let parsed = Arn::parse("topic", arn, "sns")?;
        let name = parsed.resource();
        let fifo = name.ends_with(".fifo");
        if let Some((problem, _)) =
            crate::constructs::names::message_name_problem("topic", name, 256, fifo)
        {
            return Err(ImportError::new("topic", arn, problem));
        }
        Ok(ImportedTopic::from_value(Value::literal(arn)))
    }

    /// The topic whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<SnsTopicArn>) -> ImportedTopic {
        ImportedTopic::from_value(arn)
    }
}

impl ImportedTopic {
    /// Lets `grantee` publish (and produce with its key).
    pub fn grant_publish(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::topic::publish(stack, grantee, &self.grant_target())
    }
}
