//! What an attached managed policy grants: the security delta shows an attachment as one
//! line, so the review reads the policy's default version from IAM and lists its
//! statements; when IAM cannot be read, the delta says so instead of guessing.

use serde_json::Value;

use super::TemplateDiff;
pub use super::model::Expansion;
use super::security::SecurityChange;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::{Iam, Staging};

/// Where the review reads what attached managed policies grant: IAM, and STS for the
/// caller's account, which customer-managed ARNs written with `${AWS::AccountId}` name
/// (`None`: such ARNs stay unknown, with the reason).
#[derive(Clone, Copy)]
pub struct PolicyReader<'a> {
    /// IAM (`GetPolicy`, `GetPolicyVersion`).
    pub iam: &'a dyn Iam,
    /// STS, for the account id.
    pub account: Option<&'a dyn Staging>,
    /// Retries of throttled and transient calls.
    pub retry: RetryPolicy,
}

impl PolicyReader<'_> {
    /// Expands every managed-policy change of `diff`; no call is made when it has none.
    /// Best effort: without IAM or STS access the attachment is marked unknown with the
    /// reason.
    pub async fn expand(&self, diff: &mut TemplateDiff) {
        if !diff.security.iter().any(|c| c.policy == "managed") {
            return;
        }
        let account = match self.account {
            Some(s) => self.retry.run(|| s.account_id()).await.ok(),
            None => None,
        };
        expand(&mut diff.security, self.iam, account.as_deref()).await;
    }
}

/// Fills in the expansion of every managed-policy change. `account` resolves
/// `${AWS::AccountId}` in customer-managed ARNs; without it they stay unknown.
pub async fn expand(changes: &mut [SecurityChange], iam: &dyn Iam, account: Option<&str>) {
    for change in changes.iter_mut().filter(|c| c.policy == "managed") {
        change.expansion = Some(match resolve(&change.resource, account) {
            Err(reason) => Expansion::Unknown { reason },
            Ok(arn) => match iam.managed_policy_document(&arn).await {
                Ok(Some(doc)) => match crate::source::unique_json::from_str_unique(&doc) {
                    Ok(doc) => Expansion::Known {
                        statements: summarize(&doc),
                    },
                    Err(e) => Expansion::Unknown {
                        reason: format!("could not read policy: its document is not JSON ({e})"),
                    },
                },
                Ok(None) => Expansion::Unknown {
                    reason: format!("could not read policy: {arn} does not exist"),
                },
                Err(e) => Expansion::Unknown {
                    reason: format!("could not read policy: {e}"),
                },
            },
        });
    }
}

/// The ARN as IAM knows it: pseudo parameters resolved, nothing else computed.
fn resolve(shown: &str, account: Option<&str>) -> Result<String, String> {
    let mut arn = shown.replace("${AWS::Partition}", "aws");
    if let Some(a) = account {
        arn = arn.replace("${AWS::AccountId}", a);
    }
    if arn.contains("${") {
        return Err(format!(
            "could not read policy: its ARN `{shown}` is only known at deploy"
        ));
    }
    Ok(arn)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect(),
        Some(other) => vec![other.to_string()],
        None => Vec::new(),
    }
}

fn summarize(doc: &Value) -> Vec<String> {
    let statements = match doc.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    statements
        .iter()
        .map(|s| {
            let effect = s.get("Effect").and_then(Value::as_str).unwrap_or("?");
            let (actions, not_actions) = (strings(s.get("Action")), strings(s.get("NotAction")));
            let what = if actions.is_empty() {
                format!("all but {}", not_actions.join(", "))
            } else {
                actions.join(", ")
            };
            let resources = strings(s.get("Resource"));
            let condition = s
                .get("Condition")
                .map(|c| format!(" when {c}"))
                .unwrap_or_default();
            format!("{effect} {what} on {}{condition}", resources.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::error::CfnError;
    use crate::diff::security::diff;
    use serde_json::json;

    /// IAM with one readable policy; anything else is an access-denied error.
    struct OnePolicy;

    #[async_trait::async_trait]
    impl Iam for OnePolicy {
        async fn role_trust_policy(&self, _: &str) -> Result<Option<String>, CfnError> {
            Ok(None)
        }
        async fn managed_policy_document(&self, arn: &str) -> Result<Option<String>, CfnError> {
            match arn {
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" => Ok(Some(
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": "*"}]})
                    .to_string(),
                )),
                "arn:aws:iam::123456789012:policy/gone" => Ok(None),
                _ => Err(CfnError::new(
                    crate::cfn::error::ErrorKind::AccessDenied,
                    "not authorized to perform: iam:GetPolicy",
                )),
            }
        }
    }

    fn role(arns: Value) -> Value {
        json!({"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {}, "ManagedPolicyArns": arns}}}})
    }

    async fn expanded(arns: Value) -> Vec<Option<Expansion>> {
        let mut changes = diff(&role(json!([])), &role(arns));
        expand(&mut changes, &OnePolicy, Some("123456789012")).await;
        changes.into_iter().map(|c| c.expansion).collect()
    }

    #[tokio::test]
    async fn an_aws_managed_policy_is_expanded_to_its_statements() {
        let arn = json!({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"});
        assert_eq!(
            expanded(json!([arn])).await,
            vec![Some(Expansion::Known {
                statements: vec![
                    "Allow logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on *"
                        .into()
                ]
            })]
        );
    }

    #[tokio::test]
    async fn unreadable_missing_and_computed_policies_are_marked_unknown() {
        let got = expanded(json!([
            "arn:aws:iam::123456789012:policy/gone",
            "arn:aws:iam::123456789012:policy/secret",
            {"Ref": "SomePolicy"}
        ]))
        .await;
        let reasons: Vec<String> = got
            .into_iter()
            .map(|e| match e {
                Some(Expansion::Unknown { reason }) => reason,
                other => panic!("expected unknown, got {other:?}"),
            })
            .collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(
            reasons.iter().any(|r| r
                == "could not read policy: arn:aws:iam::123456789012:policy/gone does not exist"),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("could not read policy: ") && r.contains("iam:GetPolicy")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("is only known at deploy")),
            "{reasons:?}"
        );
    }
}
