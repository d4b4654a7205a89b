//! Per-stream decisions about the terminal: colour (`--color`, `NO_COLOR`, `TERM=dumb`) and
//! whether this is a CI run (`CI`, where `CI=false` is not CI).

use clap::ValueEnum;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal, `NO_COLOR` is unset or empty, and `TERM` is
    /// not `dumb`.
    #[default]
    Auto,
    /// Colour always (wins over `NO_COLOR`: a flag given for this run overrides the
    /// user's standing preference, as no-color.org asks).
    Always,
    /// No colour.
    Never,
}

/// Whether to colour one stream.
///
/// `env` reads an environment variable (tests pass a map).
///
/// # Example
/// ```
/// use nephos_cli::output::terminal::{ColorChoice, colour_for};
/// let env = |k: &str| (k == "NO_COLOR").then(|| "1".to_owned());
/// assert!(!colour_for(ColorChoice::Auto, true, env));
/// assert!(colour_for(ColorChoice::Always, false, env));
/// ```
pub fn colour_for(
    choice: ColorChoice,
    is_terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && env("NO_COLOR").is_none_or(|v| v.is_empty())
                && env("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Whether this run is in CI: `CI` set to anything but empty, `false` or `0` (so a user's
/// `CI=false` keeps the interactive view and prompts).
///
/// # Example
/// ```
/// use nephos_cli::output::terminal::in_ci;
/// assert!(in_ci(|_| Some("true".to_owned())));
/// assert!(!in_ci(|_| Some("false".to_owned())));
/// assert!(!in_ci(|_| None));
/// ```
pub fn in_ci(env: impl Fn(&str) -> Option<String>) -> bool {
    env("CI").is_some_and(|v| {
        let v = v.trim();
        !(v.is_empty() || v.eq_ignore_ascii_case("false") || v == "0")
    })
}

/// Reads a variable of this process's environment (a value that is not UTF-8 counts as
/// set, to a value no rule above treats as off).
pub fn process_env(key: &str) -> Option<String> {
    std::env::var_os(key).map(|v| v.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn auto_colours_a_terminal_only_without_no_color_or_a_dumb_term() {
        assert!(colour_for(ColorChoice::Auto, true, env(&[])));
        assert!(!colour_for(ColorChoice::Auto, false, env(&[])));
        assert!(!colour_for(
            ColorChoice::Auto,
            true,
            env(&[("NO_COLOR", "1")])
        ));
        // An empty NO_COLOR is unset (no-color.org).
        assert!(colour_for(
            ColorChoice::Auto,
            true,
            env(&[("NO_COLOR", "")])
        ));
        assert!(!colour_for(
            ColorChoice::Auto,
            true,
            env(&[("TERM", "dumb")])
        ));
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        assert!(colour_for(
            ColorChoice::Always,
            false,
            env(&[("NO_COLOR", "1")])
        ));
        assert!(!colour_for(ColorChoice::Never, true, env(&[])));
    }

    #[test]
    fn ci_false_is_not_ci() {
        for off in ["false", "FALSE", "0", ""] {
            assert!(!in_ci(env(&[("CI", off)])), "CI={off:?}");
        }
        for on in ["true", "1", "yes", "woodpecker"] {
            assert!(in_ci(env(&[("CI", on)])), "CI={on:?}");
        }
    }
}
