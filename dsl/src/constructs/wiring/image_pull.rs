//! Lambda pulling a container image from an `AWS::ECR::Repository` of the stack.
//!
//! Lambda pulls a function's image with its service principal, not the execution role,
//! so the repository's policy must allow `lambda.amazonaws.com` `ecr:BatchGetImage` and
//! `ecr:GetDownloadUrlForLayer` (AWS Knowledge Center, "lambda-ecr-image"). The
//! statement is limited to functions of this account and Region through
//! `aws:sourceArn`: the function's own ARN would make the repository and the function
//! refer to each other, a cycle CloudFormation refuses.

use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Any;
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::extend::EditError;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The actions Lambda's service principal needs on the repository to pull an image.
pub const PULL_ACTIONS: [&str; 2] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/// Lets Lambda pull the image of function `id` from `repository`, an
/// `AWS::ECR::Repository` of the stack: appends the statement to its
/// `RepositoryPolicyText` once (a computed policy is a synth error). A repository not of
/// the stack is left alone.
pub fn allow_lambda_pull(stack: &mut Stack, id: &str, repository: &ResourceRef) {
    let Some(has_policy) = stack
        .properties(repository)
        .map(|p| p.contains("RepositoryPolicyText"))
    else {
        return;
    };
    // An unset policy becomes a document of this statement alone.
    if !has_policy {
        let empty: Value<PolicyDocument> = PolicyDocument::new().into_value();
        stack.set_property(repository, "RepositoryPolicyText", Some(empty.into_any()));
    }
    let statement: Value<Any> = Statement::allow()
        .principal(Principal::service("lambda.amazonaws.com"))
        .actions(PULL_ACTIONS)
        .condition(
            "StringLike",
            "aws:sourceArn",
            crate::sub!("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"),
        )
        .into_value();
    let added = stack.edit_statements(repository, "RepositoryPolicyText", |items| {
        if !items.contains(&statement) {
            items.push(statement);
        }
    });
    if let Err(EditError::Computed { shown, .. }) = added {
        let repo = repository.logical_id();
        stack.problem(Diagnostic::error(
            Location::property(repo, "RepositoryPolicyText"),
            format!("the policy of repository `{repo}` is {shown}, so Lambda cannot be allowed to pull the image of function `{id}` from it"),
            "write the repository policy as a literal document (an `Fn::If` may choose values inside it, not the document or its `Statement`)",
        ));
    }
}
