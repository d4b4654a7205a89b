//! Pseudo parameters: values CloudFormation predefines for every stack.

use crate::value::expr::Expr;
use crate::value::kind::{List, Str};
use crate::value::value::Value;

/// A pseudo parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pseudo {
    AccountId,
    Region,
    StackName,
    StackId,
    Partition,
    UrlSuffix,
    NotificationArns,
}

impl Pseudo {
    pub(crate) const ALL: [Pseudo; 7] = [
        Pseudo::AccountId,
        Pseudo::Region,
        Pseudo::StackName,
        Pseudo::StackId,
        Pseudo::Partition,
        Pseudo::UrlSuffix,
        Pseudo::NotificationArns,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Pseudo> {
        Pseudo::ALL.into_iter().find(|p| p.name() == name)
    }
}

fn pseudo<K>(p: Pseudo) -> Value<K> {
    Value::from_expr(Expr::Pseudo(p))
}

/// `AWS::AccountId`: the account the stack is deployed in.
///
/// ```
/// assert_eq!(nephos::aws::account_id().to_json(), serde_json::json!({"Ref": "AWS::AccountId"}));
/// ```
pub fn account_id() -> Value<Str> {
    pseudo(Pseudo::AccountId)
}

/// `AWS::Region`: the region the stack is deployed in.
///
/// ```
/// assert_eq!(nephos::aws::region().to_json(), serde_json::json!({"Ref": "AWS::Region"}));
/// ```
pub fn region() -> Value<Str> {
    pseudo(Pseudo::Region)
}

/// `AWS::StackName`: the name of the stack.
///
/// ```
/// assert_eq!(nephos::aws::stack_name().to_json(), serde_json::json!({"Ref": "AWS::StackName"}));
/// ```
pub fn stack_name() -> Value<Str> {
    pseudo(Pseudo::StackName)
}

/// `AWS::StackId`: the ARN of the stack.
///
/// ```
/// assert_eq!(nephos::aws::stack_id().to_json(), serde_json::json!({"Ref": "AWS::StackId"}));
/// ```
pub fn stack_id() -> Value<Str> {
    pseudo(Pseudo::StackId)
}

/// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`...
///
/// ```
/// assert_eq!(nephos::aws::partition().to_json(), serde_json::json!({"Ref": "AWS::Partition"}));
/// ```
pub fn partition() -> Value<Str> {
    pseudo(Pseudo::Partition)
}

/// `AWS::URLSuffix`: `amazonaws.com` in most partitions.
///
/// ```
/// assert_eq!(nephos::aws::url_suffix().to_json(), serde_json::json!({"Ref": "AWS::URLSuffix"}));
/// ```
pub fn url_suffix() -> Value<Str> {
    pseudo(Pseudo::UrlSuffix)
}

/// `AWS::NotificationARNs`: the SNS topics the stack notifies.
///
/// ```
/// assert_eq!(
///     nephos::aws::notification_arns().to_json(),
///     serde_json::json!({"Ref": "AWS::NotificationARNs"})
/// );
/// ```
pub fn notification_arns() -> Value<List<Str>> {
    pseudo(Pseudo::NotificationArns)
}
