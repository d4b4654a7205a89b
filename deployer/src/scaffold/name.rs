//! The project's name: a Cargo package name that is also usable as a Rust crate name.
//!
//! Rules from Cargo's `cargo new` checks (`restricted_names` in cargo's source) and the
//! Rust Reference's keyword list (strict and reserved keywords, 2024 edition).

/// The longest name crates.io accepts (its documented limit).
pub const MAX_NAME_LEN: usize = 64;

/// Rust keywords (The Rust Reference, "Keywords": strict, reserved and the 2024 `gen`):
/// a package with such a name has a library crate that cannot be named in code.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names Cargo refuses or warns about: the sysroot crates, `test`, and the device names
/// Windows reserves (a directory of that name cannot be created there).
const RESERVED: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "std",
    "test",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// Checks `name` as the project's package name; returns the crate name (`-` as `_`).
///
/// # Errors
/// Why the name cannot be a package name, in words (the name itself is not repeated:
/// the caller quotes it, escaped).
///
/// # Example
/// ```
/// use nephos_cli::scaffold::name::crate_name;
/// assert_eq!(crate_name("orders-api").unwrap(), "orders_api");
/// assert!(crate_name("1st").is_err());
/// ```
pub fn crate_name(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("is empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!("is longer than {MAX_NAME_LEN} characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "has {c:?}: a package name has only ASCII letters, digits, `-` and `_`"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("does not start with a letter".into());
    }
    let krate = name.replace('-', "_");
    if KEYWORDS.contains(&krate.as_str()) {
        return Err("is a Rust keyword".into());
    }
    if RESERVED.contains(&krate.to_ascii_lowercase().as_str()) {
        return Err("is reserved (a Rust sysroot crate or a Windows device name)".into());
    }
    Ok(krate)
}

/// The environment suffix of the scaffold's stack name (`<project>-dev`).
pub const STACK_SUFFIX: &str = "-dev";

/// The CloudFormation stack name of the scaffold's stack, derived from a package name that
/// [`crate_name`] accepted: CloudFormation takes only letters, digits and hyphens
/// (`[a-zA-Z][-a-zA-Z0-9]*`, at most 128), while Cargo also takes `_` (and recommends
/// snake_case), so `_` becomes `-`; runs of separators become one `-` and a trailing one is
/// dropped, so `my__app_` gives `my-app-dev` rather than `my--app--dev`.
///
/// # Example
/// ```
/// use nephos_cli::scaffold::name::stack_name;
/// assert_eq!(stack_name("my_app"), "my-app-dev");
/// assert_eq!(stack_name("a-"), "a-dev");
/// ```
pub fn stack_name(package: &str) -> String {
    let mut out = String::with_capacity(package.len() + STACK_SUFFIX.len());
    for c in package.chars() {
        let c = if c == '_' { '-' } else { c };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.push_str(STACK_SUFFIX);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// atk15 A: `my_app` was accepted and its scaffold failed at `nephos synth`
        /// (`my_app-dev` is not a stack name). Every accepted name gives a valid one.
        #[test]
        fn every_accepted_name_gives_a_valid_stack_name(name in "[a-zA-Z][a-zA-Z0-9_-]{0,63}") {
            prop_assume!(crate_name(&name).is_ok());
            let stack = stack_name(&name);
            prop_assert!(nephos::assembly::check_stack_name(&stack).is_ok(), "{} -> {}", name, stack);
            prop_assert!(!stack.contains("--"), "{} -> {}", name, stack);
        }
    }

    #[test]
    fn snake_case_and_odd_separators_give_hyphenated_stack_names() {
        assert_eq!(stack_name("my_app"), "my-app-dev");
        assert_eq!(stack_name("orders-api"), "orders-api-dev");
        assert_eq!(stack_name("a__b--c_"), "a-b-c-dev");
        assert_eq!(stack_name("a-"), "a-dev");
    }

    #[test]
    fn names_that_cannot_be_packages_are_refused() {
        for bad in [
            "",
            "9lives",
            "-x",
            "my app",
            "caf\u{e9}",
            "a/b",
            "a\"b",
            "fn",
            "std",
            "Con",
        ] {
            assert!(crate_name(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(crate_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn package_names_map_to_crate_names() {
        assert_eq!(crate_name("my-app_2").unwrap(), "my_app_2");
        assert_eq!(crate_name(&"a".repeat(64)).unwrap().len(), 64);
    }
}
