//! Lambda pulling a container image from an `AWS::ECR::Repository` of the stack.
//!
//! Lambda pulls a function's image with its service principal, not the execution role,
//! so the repository's policy must allow `lambda.amazonaws.com` `ecr:BatchGetImage` and
//! `ecr:GetDownloadUrlForLayer` (AWS Knowledge Center, "lambda-ecr-image"). The
//! statement is limited to functions of this account and Region through
//! `aws:sourceArn`: the function's own ARN would make the repository and the function
//! refer to each other, a cycle CloudFormation refuses.

use crate::constructs::wiring::merge_into;
use crate::diagnostic::{Diagnostic, Location};
use crate::policy::{Principal, Statement};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

/// The actions Lambda's service principal needs on the repository to pull an image.
pub const PULL_ACTIONS: [&str; 2] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/// Lets Lambda pull the image of function `id` from `repository`, an
/// `AWS::ECR::Repository` of the stack: appends the statement to its
/// `RepositoryPolicyText` once (a computed policy is a synth error). A repository not of
/// the stack is left alone.
pub fn allow_lambda_pull(stack: &mut Stack, id: &str, repository: &ResourceRef) {
    let target = &repository.target;
    let Some(index) = stack.position(target) else {
        return;
    };
    let statement = Statement::allow()
        .principal(Principal::service("lambda.amazonaws.com"))
        .actions(PULL_ACTIONS)
        .condition(
            "StringLike",
            "aws:sourceArn",
            crate::sub!("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"),
        )
        .into_expr();
    let repo = target.id.clone();
    let policy = stack.resources[index]
        .props
        .map
        .entry("RepositoryPolicyText".to_string())
        .or_insert_with(|| {
            let mut doc = ExprMap::new();
            doc.insert(
                "Version".to_string(),
                Expr::Lit(serde_json::Value::String("2012-10-17".into())),
            );
            Expr::Object(doc)
        });
    let shown = merge_into::computed(policy);
    let statements = merge_into::object(policy).and_then(|doc| {
        let s = doc
            .entry("Statement".to_string())
            .or_insert_with(|| Expr::Array(Vec::new()));
        merge_into::items(s)
    });
    match statements {
        Some(items) => {
            if !items.contains(&statement) {
                items.push(statement);
            }
        }
        None => stack.problem(Diagnostic::error(
            Location::property(&repo, "RepositoryPolicyText"),
            format!("the policy of repository `{repo}` is {shown}, so Lambda cannot be allowed to pull the image of function `{id}` from it"),
            "write the repository policy as a literal document (an `Fn::If` may choose values inside it, not the document or its `Statement`)",
        )),
    }
}
