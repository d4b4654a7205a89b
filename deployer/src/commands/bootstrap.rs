//! `nephos bootstrap`: the staging bucket (and an optional CloudFormation service role) as
//! a small stack of its own, deployed like any other stack, so it is idempotent.

use clap::Args;
use nephos::assembly::STAGING_BUCKET;
use serde_json::{Value, json};

use super::EXIT_OK;
use crate::cfn::error::ErrorKind;
use crate::cli::Cli;
use crate::cli::stack_name;
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::deploy::approval::ApprovalPolicy;
use crate::deploy::engine::{DeployOptions, StackRequest};
use crate::deploy::outcome::Outcome;
use crate::deploy::staging::bucket_name;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::progress::Mode;
use crate::progress::mirror::command_reporter;

/// Create the staging bucket (and optionally a CloudFormation service role) as a stack.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// The bootstrap stack's name.
    #[arg(long, default_value = "nephos-bootstrap", value_parser = stack_name)]
    pub stack_name: String,
    /// Also create a service role for CloudFormation (pass it to deploy with --role-arn).
    #[arg(long)]
    pub role: bool,
    /// Managed policies for the service role (repeatable).
    #[arg(
        long = "role-policy",
        value_name = "ARN",
        default_value = "arn:aws:iam::aws:policy/AdministratorAccess",
        value_parser = crate::cli::values::non_blank
    )]
    pub role_policies: Vec<String>,
    /// Approve without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// The bootstrap template: an encrypted, private, TLS-only bucket whose objects expire
/// (assets are content-addressed, re-uploaded when missing), and the optional role.
pub fn template(role: bool, policies: &[String]) -> Value {
    let mut resources = json!({
        "StagingBucket": {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketName": {"Fn::Sub": STAGING_BUCKET},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true, "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
                "LifecycleConfiguration": {"Rules": [
                    {"Id": "ExpireOldStagingObjects", "Status": "Enabled", "ExpirationInDays": 365}]}
            }
        },
        "StagingBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "StagingBucket"},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                    "Resource": [{"Fn::GetAtt": ["StagingBucket", "Arn"]},
                                 {"Fn::Sub": "${StagingBucket.Arn}/*"}],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            }
        }
    });
    let mut outputs = json!({"BucketName": {"Value": {"Ref": "StagingBucket"}}});
    if role {
        resources["ExecutionRole"] = json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]},
                "ManagedPolicyArns": policies,
                "Description": "Assumed by CloudFormation for nephos deploys (--role-arn)"
            }
        });
        outputs["RoleArn"] = json!({"Value": {"Fn::GetAtt": ["ExecutionRole", "Arn"]}});
    }
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "nephos bootstrap: staging bucket for assets and large templates",
        "Resources": resources,
        "Outputs": outputs
    })
}

/// Refuses to bootstrap when the staging bucket's name is taken where this account cannot
/// see it: S3 bucket names are global, and S3 answers `HeadBucket` with 403 when the
/// bucket of that name belongs to another account (every call names this account as the
/// expected owner). CloudFormation would otherwise fail the stack only after creating it,
/// with "already exists".
///
/// # Errors
/// The 403, said as the name being owned elsewhere (or not readable by this identity), and
/// what to do; any other failed read, as it is.
async fn check_bucket_name(b: Backends<'_>, ctx: &Context<'_>) -> Result<()> {
    let account = ctx
        .settings()
        .retry
        .call(None, "GetCallerIdentity", || b.staging.account_id())
        .await?;
    let region = b.staging.region();
    let bucket = bucket_name(&account, &region);
    match ctx
        .settings()
        .retry
        .run(|| b.staging.bucket_exists(&bucket))
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::AccessDenied => Err(Error::with_next(
            format!(
                "the staging bucket name {bucket} is taken: S3 refuses this account ({account}) as its owner, so another account owns a bucket of that name (S3 bucket names are global), or this identity may not read it (s3:ListBucket); nothing was created"
            ),
            format!(
                "nephos names its staging bucket nephos-staging-ACCOUNT-REGION and has no option for another name yet (choosing one would need the name in the DSL's templates and in every deploy's staging); if your identity lacks s3:ListBucket, grant it and run `nephos bootstrap` again; otherwise bootstrap and deploy in another region (`--region`), or have the bucket's owner delete {bucket}"
            ),
        )),
        Err(e) => Err(e.in_call(None, "HeadBucket")),
    }
}

/// Runs `bootstrap`.
pub async fn run(
    args: &BootstrapArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    check_bucket_name(b, ctx).await?;
    let t = template(args.role, &args.role_policies);
    let body = serde_json::to_string_pretty(&t).map_err(|e| Error::new(e.to_string()))?;
    let req = StackRequest {
        stack_name: args.stack_name.clone(),
        template_body: body,
        template: t,
        ..Default::default()
    };
    let opts = DeployOptions {
        approval: ApprovalPolicy::Broadening,
        yes: args.yes,
        execute: true,
        change_set_name: ctx.new_change_set_name(),
        ..Default::default()
    };
    let settings = ctx.settings();
    let mode = Mode::choose(format, ctx.interactive);
    let outcome = {
        let mut completing =
            crate::output::invocation::CompletingWriter::new(ctx.out, ctx.invocation.clone());
        let mut rep = command_reporter(
            mode,
            &mut completing,
            &mut *ctx.err,
            ctx.review_to_err,
            ctx.style,
        );
        let mut engine = settings.engine(b, &mut *rep);
        engine.deploy(&req, &opts).await?
    };
    if !outcome.is_success() {
        return Ok(outcome.exit_code(&settings.interrupt));
    }
    if args.role && format == Format::Text {
        let stack = settings
            .retry
            .call(Some(&args.stack_name), "DescribeStacks", || {
                b.cfn.describe_stack(&args.stack_name)
            })
            .await?;
        let arn = stack
            .and_then(|s| s.outputs.into_iter().find(|o| o.key == "RoleArn"))
            .map(|o| o.value);
        if let Some(arn) = arn {
            let name = arn.rsplit('/').next().unwrap_or(&arn);
            let trusted = matches!(b.iam.role_trust_policy(name).await, Ok(Some(doc)) if doc.contains("cloudformation.amazonaws.com"));
            writeln!(
                ctx.out,
                "service role: {arn}{}",
                if trusted {
                    " (trusted by CloudFormation; pass it with --role-arn)"
                } else {
                    ""
                }
            )?;
        }
    }
    if matches!(outcome, Outcome::NoChanges { .. }) && format == Format::Text {
        writeln!(ctx.out, "already bootstrapped")?;
    }
    Ok(EXIT_OK)
}

impl Spec for BootstrapArgs {
    const NAME: &'static str = "bootstrap";
    const TARGET_HEADER: bool = true;
}

impl Run for BootstrapArgs {
    type Prepared = ();

    async fn start(&self, _cli: &Cli, _ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        Ok(Next::Connect(()))
    }

    async fn run(
        &self,
        (): (),
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(self, cli.output, ctx, aws.backends).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_role_is_optional_and_trusts_cloudformation() {
        let without = super::template(false, &[]);
        assert!(without["Resources"].get("ExecutionRole").is_none());
        let with = super::template(true, &["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]);
        let trust = &with["Resources"]["ExecutionRole"]["Properties"]["AssumeRolePolicyDocument"];
        assert_eq!(
            trust["Statement"][0]["Principal"]["Service"],
            "cloudformation.amazonaws.com"
        );
    }
}
