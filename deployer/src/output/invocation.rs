//! The next steps nephos prints are commands that work as printed: each backticked
//! `nephos ...` or `aws cloudformation ...` command is completed with the arguments of the
//! run that prints it (its source, its stacks, its region and profile), shell-quoted.
//!
//! The messages themselves name only what they are about (`nephos deploy api --change-set
//! cs1`); [`Invocation::complete`] adds the rest where text is written
//! ([`CompletingWriter`]), so no message can forget it.
//!
//! Quoting: a word of printable characters is quoted for a POSIX shell by the `shlex`
//! crate; a word holding a control character (a newline in a path, an escape in a profile
//! name) is written as a dollar-single-quoted string (`$'a\nb'`, POSIX.1-2024 "Dollar-Single-
//! Quotes", also bash, zsh and ksh), so the printed text holds no control character and
//! the shell still gets the exact value back.

use std::io::{self, Write};

use serde_json::Value;

use super::escape::is_unsafe;
use crate::cli::{Cli, SourceArgs};

/// The arguments of this run that a printed next step must repeat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    /// `--region`, `--profile` as given.
    global: Vec<(&'static str, String)>,
    /// The environment of nephos.json the run selected (`--env` or NEPHOS_ENV), repeated on
    /// `nephos` steps: it also gives the app NEPHOS_ENV and the environment's parameters,
    /// which its region alone would not.
    environment: Option<String>,
    /// The region and profile the environment supplied: repeated on AWS CLI steps only
    /// (a `nephos` step gets them back through `--env`).
    from_environment: Vec<(&'static str, String)>,
    /// The source flags (`--app`, `--assembly`, `--template`, `--stack-name`, `--outdir`).
    source: Vec<(&'static str, String)>,
    /// The stacks the run was given by name or id.
    stacks: Vec<String>,
    /// The run's subcommand (`deploy`, `diff`, ...) when its flags are known.
    sub: Option<String>,
    /// The run's other subcommand flags as given on its command line (`--parameter`,
    /// `--tag`, `--allow-replace`, `--method`, ...): a long flag and its raw value (`None`
    /// for a switch). Repeated on next steps of the same subcommand.
    flags: Vec<Flag>,
}

/// A long flag as given (`--parameter`) and its raw value (`None` for a switch).
type Flag = (String, Option<String>);

/// Flags a printed next step never repeats: approval is given to one review, by a person
/// or a CI job that saw it, never carried to a command pasted later; a `--timeout` bounded
/// this run's wait, and the step that follows the stack after it ran out would stop again
/// at once.
const NEVER_CARRIED: &[&str] = &["yes", "timeout"];

/// The source flags, completed by [`source_flags`] on the steps that want a source.
const SOURCE_LONGS: &[&str] = &["app", "assembly", "template", "stack-name", "outdir"];

/// The subcommand flags given on `argv`'s command line, read through clap's own definition
/// of the command, so a flag added there is carried without a change here.
fn run_flags(argv: &[std::ffi::OsString]) -> Option<(String, Vec<Flag>)> {
    use clap::{ArgAction, parser::ValueSource};
    let cmd = crate::cli::command();
    let matches = cmd.clone().try_get_matches_from(argv).ok()?;
    let (name, sub_m) = matches.subcommand()?;
    let sub_cmd = cmd.find_subcommand(name)?;
    let mut out = Vec::new();
    for arg in sub_cmd.get_arguments() {
        let id = arg.get_id().as_str();
        let Some(long) = arg.get_long() else { continue };
        if arg.is_positional()
            || arg.is_global_set()
            || NEVER_CARRIED.contains(&long)
            || SOURCE_LONGS.contains(&long)
            || sub_m.value_source(id) != Some(ValueSource::CommandLine)
        {
            continue;
        }
        match arg.get_action() {
            ArgAction::SetTrue | ArgAction::SetFalse => out.push((format!("--{long}"), None)),
            ArgAction::Count => {
                for _ in 0..sub_m.get_count(id) {
                    out.push((format!("--{long}"), None));
                }
            }
            _ => {
                for v in sub_m.get_raw(id).into_iter().flatten() {
                    out.push((format!("--{long}"), Some(v.to_string_lossy().into_owned())));
                }
            }
        }
    }
    Some((name.to_owned(), out))
}

impl Invocation {
    /// The arguments of `cli` that next steps repeat.
    pub fn of(cli: &Cli) -> Self {
        let mut global = Vec::new();
        let mut from_environment = Vec::new();
        if let Some(r) = &cli.region {
            let to = if cli.region_from_environment {
                &mut from_environment
            } else {
                &mut global
            };
            to.push(("--region", r.clone()));
        }
        if let Some(p) = &cli.profile {
            let to = if cli.profile_from_environment {
                &mut from_environment
            } else {
                &mut global
            };
            to.push(("--profile", p.clone()));
        }
        let (sub, flags) = match run_flags(&cli.argv) {
            Some((s, f)) => (Some(s), f),
            None => (None, Vec::new()),
        };
        let (source, stacks) = match cli.command.target() {
            Some((source, stacks)) => (Some(source), stacks.to_vec()),
            None => (None, Vec::new()),
        };
        Self {
            global,
            environment: cli.environment.clone().filter(|e| !e.is_empty()),
            from_environment,
            source: source.map(source_flags).unwrap_or_default(),
            stacks,
            sub,
            flags,
        }
    }

    /// Stops carrying `--parameter NAME=VALUE` for each NoEcho parameter in `names`: a
    /// next step is printed, logged, kept in CI output and pasted, and a NoEcho value must
    /// appear in none of them. A step then leaves the parameter out, so a pasted deploy
    /// keeps its deployed value (`UsePreviousValue`) unless it is given again.
    ///
    /// # Example
    /// ```
    /// use nephos_cli::cli::Cli;
    /// use nephos_cli::output::invocation::Invocation;
    /// let cli = Cli::from_args(&["nephos", "deploy", "--parameter", "Pw=hunter2"]).unwrap();
    /// let mut inv = Invocation::of(&cli);
    /// assert!(inv.complete("`nephos deploy api`").contains("hunter2"));
    /// inv.withhold_parameters(&["Pw".to_owned()]);
    /// assert!(!inv.complete("`nephos deploy api`").contains("hunter2"));
    /// ```
    pub fn withhold_parameters(&mut self, names: &[String]) {
        self.flags.retain(|(flag, v)| {
            let key = v
                .as_deref()
                .map(|kv| kv.split_once('=').map_or(kv, |(k, _)| k));
            flag != "--parameter" || !key.is_some_and(|k| names.iter().any(|n| n == k))
        });
    }

    /// `text` with each backticked nephos or AWS CLI command completed with this run's
    /// arguments (those the command does not give itself).
    pub fn complete(&self, text: &str) -> String {
        if self == &Self::default() || !text.contains('`') {
            return text.to_owned();
        }
        text.split('`')
            .enumerate()
            .map(|(i, part)| match i % 2 {
                1 => self.command(part).unwrap_or_else(|| part.to_owned()),
                _ => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("`")
    }

    /// The completed command, or `None` when `cmd` is no command nephos completes.
    fn command(&self, cmd: &str) -> Option<String> {
        let words = shlex::split(cmd)?;
        let takes = |flag: &str| {
            !words
                .iter()
                .any(|w| w == flag || w.starts_with(&format!("{flag}=")))
        };
        let mut out = words.clone();
        match (
            words.first().map(String::as_str),
            words.get(1).map(String::as_str),
        ) {
            (Some("nephos"), Some(sub)) => {
                // A run from `--template T --stack-name S` names its one stack by the flag;
                // a step that names it again (`nephos deploy S`) would say it twice.
                let named = self.source.iter().find(|(f, _)| *f == "--stack-name");
                if matches!(sub, "deploy" | "diff" | "destroy")
                    && let Some((_, name)) = named
                    && words.get(2) == Some(name)
                    && takes("--stack-name")
                {
                    out.remove(2);
                }
                let words = out.clone();
                // The source selects the stacks of deploy and diff; destroy needs it only
                // when it names no stack.
                let positional = words.iter().skip(2).any(|w| !w.starts_with('-'));
                let wants_source = matches!(sub, "deploy" | "diff")
                    || (sub == "destroy" && !positional && !self.stacks.is_empty());
                if matches!(sub, "deploy" | "diff" | "destroy") && !positional {
                    let by_flag = |s: &String| named.is_some_and(|(_, n)| n == s);
                    out.splice(2..2, self.stacks.iter().filter(|s| !by_flag(s)).cloned());
                }
                if wants_source || (sub == "destroy" && !positional) {
                    for (flag, v) in &self.source {
                        if takes(flag) {
                            out.extend([(*flag).to_owned(), v.clone()]);
                        }
                    }
                }
                if self.sub.as_deref() == Some(sub) {
                    self.carry_flags(&mut out, &words);
                }
                if let Some(env) = &self.environment
                    && takes("--env")
                {
                    out.extend(["--env".to_owned(), env.clone()]);
                }
            }
            // The AWS CLI commands nephos prints: each needs the run's region and profile.
            (Some("aws"), Some("cloudformation" | "lambda" | "logs")) => {
                for (flag, v) in &self.from_environment {
                    if takes(flag) {
                        out.extend([(*flag).to_owned(), v.clone()]);
                    }
                }
            }
            _ => return None,
        }
        for (flag, v) in &self.global {
            if takes(flag) {
                out.extend([(*flag).to_owned(), v.clone()]);
            }
        }
        Some(out.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "))
    }

    /// Adds the run's own flags to a next step of the same subcommand: each one the step
    /// does not give itself, and (when the step parses) only those clap still accepts with
    /// it (`--no-execute` is not added to a step that names `--change-set`).
    fn carry_flags(&self, out: &mut Vec<String>, step: &[String]) {
        let given = |flag: &str| {
            step.iter()
                .any(|w| w == flag || w.starts_with(&format!("{flag}=")))
        };
        let parses = |words: &[String]| Cli::from_args(words).is_ok();
        let checked = parses(out);
        for (flag, v) in &self.flags {
            // A repeatable flag the step gives itself (`--allow-replace T`) is its own choice.
            // `--hotswap` is never carried: nephos's next steps go through CloudFormation
            // (the reconcile after a hotswap, the way back after a failed one).
            if given(flag) || flag == "--hotswap" {
                continue;
            }
            let mut next = out.clone();
            next.push(flag.clone());
            next.extend(v.clone());
            if !checked || parses(&next) {
                *out = next;
            }
        }
    }

    /// Every string in a JSON line completed (the line as it was when it is not JSON).
    fn complete_json(&self, line: &str) -> Option<String> {
        let mut v: Value = serde_json::from_str(line).ok()?;
        self.complete_value(&mut v);
        serde_json::to_string(&v).ok()
    }

    fn complete_value(&self, v: &mut Value) {
        match v {
            Value::String(s) if s.contains('`') => *s = self.complete(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.complete_value(x)),
            Value::Object(o) => o.values_mut().for_each(|x| self.complete_value(x)),
            _ => {}
        }
    }
}

fn source_flags(s: &SourceArgs) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    if let Some(a) = &s.app {
        out.push(("--app", a.clone()));
    }
    if let Some(a) = &s.assembly {
        out.push(("--assembly", path(a)));
    }
    if let Some(t) = &s.template {
        out.push(("--template", path(t)));
    }
    if let Some(n) = &s.stack_name {
        out.push(("--stack-name", n.clone()));
    }
    if s.outdir != std::path::Path::new("nephos.out") {
        out.push(("--outdir", path(&s.outdir)));
    }
    out
}

/// `word` quoted for a shell: as is when it needs no quoting, single-quoted by `shlex`,
/// or dollar-single-quoted when it holds a control character (or a NUL, which no shell
/// word can hold and is written as `\x00` so it is at least visible).
pub fn quote(word: &str) -> String {
    // A backtick would end the command in the message that quotes it.
    let control = word.chars().any(|c| is_unsafe(c) || c == '`');
    if !control && let Ok(q) = shlex::try_quote(word) {
        return q.into_owned();
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) || c == '`' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A writer that completes the next steps in what passes through it, line by line (a
/// JSON line's strings one by one, so the JSON stays valid).
pub struct CompletingWriter<'w> {
    inner: &'w mut dyn Write,
    invocation: Invocation,
    line: Vec<u8>,
}

impl<'w> CompletingWriter<'w> {
    /// Completes what is written to `inner` with `invocation`.
    pub fn new(inner: &'w mut dyn Write, invocation: Invocation) -> Self {
        Self {
            inner,
            invocation,
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.line).into_owned();
        self.line.clear();
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let done = if body.contains('`') {
            self.invocation
                .complete_json(body)
                .unwrap_or_else(|| self.invocation.complete(body))
        } else {
            body.to_owned()
        };
        self.inner.write_all(done.as_bytes())?;
        if text.ends_with('\n') {
            self.inner.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Write for CompletingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for chunk in buf.split_inclusive(|b| *b == b'\n') {
            self.line.extend_from_slice(chunk);
            if chunk.ends_with(b"\n") {
                self.emit()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.emit()?;
        self.inner.flush()
    }
}

impl Drop for CompletingWriter<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn of(argv: &[&str]) -> Invocation {
        Invocation::of(&Cli::try_parse_from(argv).expect("a command line"))
    }

    #[test]
    fn a_next_step_gets_the_runs_source_and_profile_quoted() {
        let inv = of(&[
            "nephos",
            "--profile",
            "dev ops",
            "deploy",
            "--template",
            "my dir/t.json",
            "--stack-name",
            "api",
        ]);
        assert_eq!(
            inv.complete("run `nephos deploy` again; see `nephos status api`"),
            "run `nephos deploy --template 'my dir/t.json' --stack-name api --profile 'dev ops'` again; see `nephos status api --profile 'dev ops'`"
        );
        assert_eq!(
            inv.complete(
                "`aws cloudformation delete-change-set --stack-name api --change-set-name c`"
            ),
            "`aws cloudformation delete-change-set --stack-name api --change-set-name c --profile 'dev ops'`"
        );
        // Text without commands, and a run without arguments to repeat, are left alone.
        assert_eq!(inv.complete("no command here"), "no command here");
        let plain = of(&["nephos", "list"]);
        assert_eq!(plain.complete("run `nephos deploy`"), "run `nephos deploy`");
    }

    #[test]
    fn a_step_under_an_environment_repeats_env_and_not_the_region_it_supplied() {
        let dir = std::env::temp_dir().join(format!("nephos-inv-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("nephos.json"),
            r#"{"app": "cargo run -q", "environments": {"prod": {"region": "us-west-2", "profile": "prod-admin"}}}"#,
        )
        .unwrap();
        let mut cli = Cli::from_args(["nephos", "deploy", "--env", "prod", "--hotswap", "--yes"])
            .expect("a command line");
        crate::commands::environment::select_in(&mut cli, &dir).unwrap();
        assert_eq!(cli.region.as_deref(), Some("us-west-2"));
        let inv = Invocation::of(&cli);
        assert_eq!(
            inv.complete("run `nephos deploy p1-prod` (without --hotswap)"),
            "run `nephos deploy p1-prod --env prod` (without --hotswap)"
        );
        // The AWS CLI has no environments: it gets the region and profile themselves.
        assert_eq!(
            inv.complete("`aws lambda get-function --function-name f`"),
            "`aws lambda get-function --function-name f --region us-west-2 --profile prod-admin`"
        );
        // A region given on the command line is the run's own: repeated as given.
        let mut cli =
            Cli::from_args(["nephos", "--region", "eu-west-1", "deploy", "--env", "prod"])
                .expect("a command line");
        crate::commands::environment::select_in(&mut cli, &dir).unwrap();
        assert_eq!(
            Invocation::of(&cli).complete("`nephos status api`"),
            "`nephos status api --env prod --region eu-west-1`"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_step_after_a_hotswap_drops_hotswap() {
        let inv = of(&[
            "nephos",
            "deploy",
            "--template",
            "t-B.json",
            "--stack-name",
            "hs1",
            "--hotswap",
            "--yes",
        ]);
        assert_eq!(
            inv.complete("run `nephos deploy hs1` (without --hotswap)"),
            // The stack once, by the flag the run named it with (F5).
            "run `nephos deploy --template t-B.json --stack-name hs1` (without --hotswap)"
        );
        let app = of(&["nephos", "deploy", "--app", "./app", "--hotswap"]);
        assert_eq!(
            app.complete("run `nephos deploy api`"),
            "run `nephos deploy api --app ./app`"
        );
    }

    #[test]
    fn a_no_echo_value_is_never_carried_into_a_next_step_text_or_json() {
        let cli = Cli::from_args([
            "nephos",
            "deploy",
            "api",
            "--parameter",
            "Pw=hunter2",
            "--parameter",
            "Env=prod",
        ])
        .expect("a command line");
        // `from_args` keeps the command line, which is where carried flags are read.
        let mut inv = Invocation::of(&cli);
        inv.withhold_parameters(&["Pw".to_owned()]);
        let mut out = Vec::new();
        {
            let mut w = CompletingWriter::new(&mut out, inv);
            let _ = w.write_all(b"run `nephos deploy api`\n");
            let _ = w.write_all(b"{\"next\": \"run `nephos deploy api`\"}\n");
            let _ = w.flush();
        }
        let out = String::from_utf8_lossy(&out);
        assert!(!out.contains("hunter2") && !out.contains("Pw="), "{out}");
        assert_eq!(out.matches("Env=prod").count(), 2, "{out}");
    }

    #[test]
    fn control_characters_and_backticks_are_dollar_quoted() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("a\nb'\u{1b}`"), "$'a\\nb\\'\\x1b\\x60'");
    }

    #[test]
    fn a_json_line_stays_json_with_its_strings_completed() {
        let inv = of(&["nephos", "--profile", "p\"q", "status", "api"]);
        let mut out = Vec::new();
        {
            let mut w = CompletingWriter::new(&mut out, inv);
            w.write_all(b"{\"next\":\"run `nephos status api`\"}\nplain line\n")
                .expect("written");
        }
        let text = String::from_utf8(out).expect("utf-8");
        let mut lines = text.lines();
        let v: Value = serde_json::from_str(lines.next().unwrap_or_default()).expect("JSON");
        assert_eq!(v["next"], "run `nephos status api --profile 'p\"q'`");
        assert_eq!(lines.next(), Some("plain line"));
    }
}
