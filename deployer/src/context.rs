//! Everything a command runs with, injected so tests can run commands in memory.

use std::io::Write;
use std::path::PathBuf;

use crate::aws::AwsSettings;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::{CloudFormation, Iam, Staging};
use crate::deploy::engine::Engine;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::poll::PollPolicy;
use crate::deploy::report::Reporter;
use crate::diff::facts::ReplacementFacts;
use crate::output::prompt::Prompter;
use crate::output::style::Style;

/// The AWS side of a command: real clients or fakes.
#[derive(Clone, Copy)]
pub struct Backends<'a> {
    /// CloudFormation.
    pub cfn: &'a dyn CloudFormation,
    /// S3 and STS.
    pub staging: &'a dyn Staging,
    /// IAM.
    pub iam: &'a dyn Iam,
}

/// A command's environment.
pub struct Context<'a> {
    /// Where results go (stdout).
    pub out: &'a mut dyn Write,
    /// Where errors and the app's own output go (stderr).
    pub err: &'a mut dyn Write,
    /// Colours.
    pub style: Style,
    /// Whether stdout is a terminal outside CI (live progress).
    pub interactive: bool,
    /// Who answers approval questions.
    pub prompter: &'a dyn Prompter,
    /// Whether reviews and notices are also written to `err`: stdout is redirected while a
    /// person answers on the terminal (stdin and stderr), so what they approve is in front
    /// of them ([`crate::progress::mirror`]).
    pub review_to_err: bool,
    /// The directory relative paths and `nephos.json` are resolved against.
    pub cwd: PathBuf,
    /// AWS settings (merged with --region and --profile).
    pub aws: AwsSettings,
    /// Fakes instead of AWS, for tests.
    pub backends: Option<Backends<'a>>,
    /// Polling schedule.
    pub poll: PollPolicy,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Ctrl-C.
    pub interrupt: Interrupt,
    /// Replacement facts for diffs.
    pub facts: &'a dyn ReplacementFacts,
    /// A fixed change set name (tests); otherwise one is made from the clock.
    pub change_set_name: Option<String>,
    /// The arguments next steps repeat (set from the command line by `commands::run`).
    pub invocation: crate::output::invocation::Invocation,
}

/// The parts of a context an engine needs, copied out so the output writer stays free.
#[derive(Clone)]
pub struct EngineSettings<'a> {
    /// Who approves.
    pub prompter: &'a dyn Prompter,
    /// Replacement facts.
    pub facts: &'a dyn ReplacementFacts,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Polling schedule.
    pub poll: PollPolicy,
    /// Ctrl-C.
    pub interrupt: Interrupt,
}

impl<'a> EngineSettings<'a> {
    /// An engine over `backends` reporting to `reporter`.
    pub fn engine<'r>(&self, backends: Backends<'r>, reporter: &'r mut dyn Reporter) -> Engine<'r>
    where
        'a: 'r,
    {
        Engine {
            cfn: backends.cfn,
            staging: Some(backends.staging),
            iam: Some(backends.iam),
            prompter: self.prompter,
            reporter,
            facts: self.facts,
            retry: self.retry,
            poll: self.poll,
            interrupt: self.interrupt.clone(),
        }
    }
}

impl<'a> Context<'a> {
    /// The engine settings of this context.
    pub fn settings(&self) -> EngineSettings<'a> {
        EngineSettings {
            prompter: self.prompter,
            facts: self.facts,
            retry: self.retry,
            poll: self.poll,
            interrupt: self.interrupt.clone(),
        }
    }

    /// The name for a new change set.
    pub fn new_change_set_name(&self) -> String {
        self.change_set_name.clone().unwrap_or_else(|| {
            let ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            crate::deploy::leftovers::change_set_name(ms)
        })
    }
}
