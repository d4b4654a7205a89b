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

#[cfg(test)]
mod tests {
    use super::*;

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
