//! What the commands' tests share: an IAM with nothing in it and a context over the
//! scripted fakes.

use async_trait::async_trait;

use crate::cfn::error::CfnError;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::Iam;
use crate::context::{Backends, Context};
use crate::deploy::interrupt::Interrupt;
use crate::deploy::poll::PollPolicy;
use crate::diff::facts::SchemaFacts;
use crate::output::prompt::FixedAnswer;
use crate::output::style::Style;

/// IAM with no roles or policies.
pub struct NoIam;

#[async_trait]
impl Iam for NoIam {
    async fn role_trust_policy(&self, _: &str) -> Result<Option<String>, CfnError> {
        Ok(None)
    }
    async fn managed_policy_document(&self, _: &str) -> Result<Option<String>, CfnError> {
        Ok(None)
    }
}

/// A context over `backends`, writing to `out` and `err`: no terminal, no answer to a
/// question, immediate polls and retries, the schema's replacement facts.
pub fn context<'a>(
    out: &'a mut Vec<u8>,
    err: &'a mut Vec<u8>,
    backends: Backends<'a>,
) -> Context<'a> {
    Context {
        out,
        err,
        style: Style::plain(),
        interactive: false,
        prompter: &FixedAnswer(None),
        review_to_err: false,
        cwd: std::env::temp_dir(),
        aws: Default::default(),
        backends: Some(backends),
        poll: PollPolicy::IMMEDIATE,
        retry: RetryPolicy::IMMEDIATE,
        interrupt: Interrupt::new(),
        facts: &SchemaFacts,
        change_set_name: None,
        invocation: Default::default(),
    }
}
