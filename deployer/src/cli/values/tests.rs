//! Every option and argument of every command that takes a value refuses an empty and a
//! blank one at parse time, naming itself: walked from the clap definition, so an option
//! added later without a check fails here.

use clap::Arg;

use crate::cli::Cli;

/// A valid stand-in for a positional argument that is not the one under test.
fn filler(arg: &Arg) -> String {
    match arg.get_id().as_str() {
        "shell" => "bash".into(),
        _ => "api".into(),
    }
}

/// How clap names `arg` in its message: `--long` or the positional's `<NAME>`.
fn named(arg: &Arg) -> String {
    arg.get_long().map_or_else(
        || {
            arg.get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string)
        },
        |l| format!("--{l}"),
    )
}

/// The command line giving `value` to `arg` of the subcommand `sub`, with the positionals
/// before it (and the required ones after it) filled in.
fn argv(sub: &clap::Command, arg: &Arg, value: &str) -> Vec<String> {
    let mut out = vec!["nephos".to_owned(), sub.get_name().to_owned()];
    let mut positionals: Vec<&Arg> = sub.get_positionals().collect();
    positionals.sort_by_key(|p| p.get_index());
    let at = if arg.is_positional() {
        arg.get_index()
    } else {
        None
    };
    for p in positionals {
        match (p.get_index(), at) {
            (i, Some(a)) if i == Some(a) => out.push(value.to_owned()),
            (i, Some(a)) if i < Some(a) => out.push(filler(p)),
            _ if p.is_required_set() => out.push(filler(p)),
            _ => {}
        }
    }
    if let Some(long) = arg.get_long() {
        out.push(format!("--{long}"));
        out.push(value.to_owned());
    }
    out
}

#[test]
fn every_value_of_every_command_refuses_empty_and_blank_by_name() {
    // Built: positionals get their indices, and each subcommand its copy of the globals.
    let mut root = crate::cli::command();
    root.build();
    let globals: Vec<&Arg> = root.get_arguments().filter(|a| a.is_global_set()).collect();
    let mut checked = Vec::new();
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        let own = sub.get_arguments().filter(|a| !a.is_global_set());
        for arg in own.chain(globals.iter().copied()) {
            if !arg.get_action().takes_values() {
                continue;
            }
            for value in ["", "  "] {
                let line = argv(sub, arg, value);
                let e = match Cli::from_args(&line) {
                    Ok(_) => panic!("{line:?} was accepted"),
                    Err(e) => e,
                };
                let text = e.render().to_string();
                assert!(
                    matches!(
                        e.kind(),
                        clap::error::ErrorKind::InvalidValue
                            | clap::error::ErrorKind::ValueValidation
                    ),
                    "{line:?}: {:?}: {text}",
                    e.kind()
                );
                assert!(text.contains(&named(arg)), "{line:?}: {text}");
            }
            checked.push(format!("{} {}", sub.get_name(), named(arg)));
        }
    }
    // The walk reached the options the issue names (it is not vacuous).
    for expected in [
        "deploy --app",
        "deploy --env",
        "deploy --profile",
        "deploy --region",
        "deploy --outdir",
        "deploy --stack-name",
        "deploy --parameter",
        "logs FUNCTION",
        "logs --filter",
        "logs --since",
        "init DIR",
        "man COMMAND",
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "{expected}: {checked:?}"
        );
    }
}

#[test]
fn an_empty_exported_nephos_env_keeps_its_meaning_and_an_empty_flag_is_refused() {
    // From the command line: refused at parse time, naming the flag.
    let e = Cli::from_args(["nephos", "--env", "", "synth"]).unwrap_err();
    assert!(e.render().to_string().contains("--env"), "{}", e.render());
    let e = Cli::from_args(["nephos", "synth", "--env="]).unwrap_err();
    assert!(e.render().to_string().contains("--env"), "{}", e.render());
    // `KEY=` keeps an empty value; the key is what is needed.
    assert!(Cli::from_args(["nephos", "deploy", "--parameter", "Stage="]).is_ok());
    assert!(Cli::from_args(["nephos", "deploy", "--parameter", "=prod"]).is_err());
    assert!(Cli::from_args(["nephos", "deploy", "--tag", "novalue"]).is_err());
}
