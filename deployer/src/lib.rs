//! The nephos deployer: synth, diff, deploy and destroy CloudFormation stacks through
//! change sets.
//!
//! The binary is a thin wrapper around [`main_with`]; tests drive [`commands::run`] with an
//! injected [`context::Context`] (writers, prompter, fakes of AWS).
//!
//! Layout: [`cfn`] is the seam to AWS, [`deploy`] the decisions, [`diff`] the offline diff,
//! [`progress`] and [`output`] the rendering, [`source`] where stacks come from,
//! [`commands`] one module per subcommand.

pub mod aws;
pub mod build;
pub mod cfn;
pub mod children;
pub mod cli;
pub mod commands;
pub mod context;
pub mod deploy;
pub mod diff;
pub mod error;
pub mod hotswap;
pub mod logs;
pub mod output;
pub mod progress;
pub mod scaffold;
pub mod source;
pub mod watch;

use std::io::IsTerminal;

use crate::aws::AwsSettings;
use crate::cfn::retry::RetryPolicy;
use crate::context::Context;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::poll::PollPolicy;
use crate::diff::facts::SchemaFacts;
use crate::output::escape::{EscapingWriter, MAX_LINE_CHARS};
use crate::output::prompt::TerminalPrompter;
use crate::output::style::Style;

/// The stack of the thread commands run on: templates are walked recursively, and a
/// template may nest up to `source::template::MAX_JSON_DEPTH` levels. Only what is used is
/// ever committed.
pub const COMMAND_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the command line of this process on a thread with [`COMMAND_STACK_BYTES`] of stack;
/// returns the exit code.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    match std::thread::Builder::new()
        .name("nephos".into())
        .stack_size(COMMAND_STACK_BYTES)
        .spawn(move || main_on_this_thread(args))
    {
        Ok(t) => t.join().unwrap_or(commands::EXIT_ERROR),
        Err(e) => {
            eprintln!("error: cannot start the command thread: {e}");
            commands::EXIT_ERROR
        }
    }
}

fn main_on_this_thread(args: Vec<std::ffi::OsString>) -> i32 {
    let cli = match cli::Cli::from_args(args) {
        Ok(c) => c,
        Err(e) => {
            let text = cli::clap_error_text(&e);
            let _ = if e.use_stderr() {
                std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes())
            } else {
                std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())
            };
            return if e.use_stderr() {
                commands::EXIT_ERROR
            } else {
                commands::EXIT_OK
            };
        }
    };
    // One worker thread: the Ctrl-C watcher must run while the main thread is blocked in a
    // prompt; the commands themselves run on the main thread.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return commands::EXIT_ERROR;
        }
    };
    output::logging::init(cli.verbosity());
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let env = output::terminal::process_env;
    let in_ci = output::terminal::in_ci(env);
    // Colour is decided per stream: `nephos deploy 2>log` keeps colour on the terminal's
    // stdout and writes plain text to the file.
    let colour = output::terminal::colour_for(cli.color, terminal, env);
    let err_terminal = std::io::stderr().is_terminal();
    let colour_err = output::terminal::colour_for(cli.color, err_terminal, env);
    tracing::debug!(terminal, in_ci, colour, colour_err, "terminal");
    // The one chokepoint for terminal safety: nothing reaches stdout or stderr unescaped.
    // Text lines are bounded (a megabyte value is cut, with its length); a JSON document
    // stays whole so it parses.
    let (mut out, mut err) = match cli.output {
        output::Format::Text => (
            EscapingWriter::bounded(stdout.lock(), colour, MAX_LINE_CHARS),
            EscapingWriter::bounded(std::io::stderr(), colour_err, MAX_LINE_CHARS),
        ),
        output::Format::Json => (
            EscapingWriter::new(stdout.lock(), colour),
            EscapingWriter::bounded(std::io::stderr(), colour_err, MAX_LINE_CHARS),
        ),
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let interrupt = Interrupt::new();
    let prompter = TerminalPrompter {
        interrupt: interrupt.clone(),
        question_visible: err_terminal,
    };
    runtime.block_on(async {
        interrupt.watch_ctrl_c();
        let mut ctx = Context {
            out: &mut out,
            err: &mut err,
            style: Style { color: colour },
            interactive: terminal && !in_ci,
            prompter: &prompter,
            // stdout redirected with a person at the terminal: the review goes there too.
            review_to_err: !terminal && err_terminal && std::io::stdin().is_terminal(),
            cwd,
            aws: AwsSettings::default(),
            backends: None,
            poll: PollPolicy::STANDARD,
            retry: RetryPolicy::SDK,
            interrupt: interrupt.clone(),
            facts: &SchemaFacts,
            change_set_name: None,
            invocation: Default::default(),
        };
        commands::run(cli, &mut ctx).await
    })
}
