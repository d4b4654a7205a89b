//! The Cargo configuration that changes what a handler's build emits, as Cargo merges it.
//!
//! Cargo reads `.cargo/config.toml` (or `.cargo/config`) in the directory it runs in and
//! each one above, then `$CARGO_HOME/config.toml`; a deeper file wins over a shallower one,
//! tables merge key by key and arrays are joined, lower precedence first (Cargo Book,
//! "Configuration: Hierarchical structure"). The key of a build hashes the *merged* value
//! of the settings that reach the compiler, never which file or level set them, so copies
//! of one project at two depths, or a `[term]`/`[alias]` in `~/.cargo/config.toml`, give
//! one key (attack report atk15b, finding 5).

use std::path::{Path, PathBuf};

use toml::{Table, Value};

/// The top-level tables whose settings change the compiler's output: profiles, the
/// target's linker and flags, `[env]` (seen by build scripts and `env!`), `-Z` flags and
/// patched dependencies. `[build]` counts only for [`BUILD_KEYS`]. Everything else
/// (`[term]`, `[alias]`, `[net]`, `[http]`, registries, credentials, `target-dir`) does not
/// reach the binary.
const TABLES: [&str; 4] = ["profile", "env", "unstable", "patch"];

/// The `[build]` keys that change the compiler's output; a wrapper counts unless it is a
/// cache that promises rustc's output ([`build_inputs::output_preserving_wrapper`]).
const BUILD_KEYS: [&str; 4] = [
    "rustflags",
    "rustc",
    "rustc-wrapper",
    "rustc-workspace-wrapper",
];

/// The configuration files Cargo reads for a run in `dir`, lowest precedence first:
/// `$CARGO_HOME`'s, then from the filesystem root down to `dir`. Where a directory has
/// both `config` and `config.toml`, Cargo reads `config`.
fn files(dir: &Path, cargo_home: Option<&Path>) -> Vec<PathBuf> {
    let pick = |d: &Path| {
        ["config", "config.toml"]
            .into_iter()
            .map(|f| d.join(f))
            .find(|p| p.is_file())
    };
    let mut out: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = dir.ancestors().map(|d| d.join(".cargo")).collect();
    dirs.reverse();
    for d in cargo_home.map(Path::to_path_buf).into_iter().chain(dirs) {
        if let Some(p) = pick(&d) {
            let same =
                |q: &PathBuf| std::fs::canonicalize(q).ok() == std::fs::canonicalize(&p).ok();
            // `$CARGO_HOME` under a directory the walk reaches is read once, at its level.
            out.retain(|q| !same(q));
            out.push(p);
        }
    }
    out
}

/// The configuration files Cargo reads for a run in `dir`, lowest precedence first.
pub(crate) fn config_files(dir: &Path) -> Vec<PathBuf> {
    files(dir, cargo_home().as_deref())
}

/// `$CARGO_HOME`, else `$HOME/.cargo` (Cargo's default).
pub(crate) fn cargo_home() -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home)),
        _ => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")),
    }
}

/// The build-relevant settings of the configuration a build in `workspace` for `target`
/// reads, merged as Cargo merges them.
///
/// # Errors
/// A configuration file that cannot be read or is not TOML (Cargo refuses it too), named.
pub(crate) fn effective(workspace: &Path, target: &str) -> Result<Table, String> {
    effective_in(workspace, cargo_home().as_deref(), target)
}

/// One configuration file, parsed; a file that cannot be read or parsed is an error
/// (never skipped: its settings may reach the compiler).
fn read_file(path: &Path) -> Result<Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.parse().map_err(|e: toml::de::Error| {
        format!("{} is not valid TOML: {}", path.display(), e.message())
    })
}

fn effective_in(
    workspace: &Path,
    cargo_home: Option<&Path>,
    target: &str,
) -> Result<Table, String> {
    let mut merged = Table::new();
    for path in files(workspace, cargo_home) {
        let table = read_file(&path)?;
        merge(&mut merged, relevant(table, target));
    }
    Ok(merged)
}

/// The part of one file's table that changes the build for `target`.
fn relevant(mut table: Table, target: &str) -> Table {
    let mut out = Table::new();
    for name in TABLES {
        if let Some(v) = table.remove(name) {
            out.insert(name.into(), v);
        }
    }
    if let Some(Value::Table(mut build)) = table.remove("build") {
        let kept: Table = BUILD_KEYS
            .into_iter()
            .filter_map(|k| build.remove(k).map(|v| (k.to_owned(), v)))
            .filter(|(k, v)| {
                !(k.ends_with("wrapper")
                    && v.as_str().is_some_and(|w| {
                        super::build_inputs::output_preserving_wrapper(w.as_bytes())
                    }))
            })
            .collect();
        if !kept.is_empty() {
            out.insert("build".into(), Value::Table(kept));
        }
    }
    if let Some(Value::Table(targets)) = table.remove("target") {
        // This triple's table, and every `cfg(...)` one (whether it applies is not
        // evaluated here: counting it is the safe side).
        let kept: Table = targets
            .into_iter()
            .filter(|(k, _)| k == target || k.starts_with("cfg("))
            .collect();
        if !kept.is_empty() {
            out.insert("target".into(), Value::Table(kept));
        }
    }
    out
}

/// Merges `higher` (a file of higher precedence) into `acc` as Cargo does: tables key by
/// key, arrays joined with `higher`'s last, anything else replaced.
fn merge(acc: &mut Table, higher: Table) {
    for (k, v) in higher {
        match (acc.get_mut(&k), v) {
            (Some(Value::Table(a)), Value::Table(h)) => merge(a, h),
            (Some(Value::Array(a)), Value::Array(h)) => a.extend(h),
            (_, v) => {
                acc.insert(k, v);
            }
        }
    }
}

/// A canonical text of `table` (keys sorted at every level, values typed), whatever order
/// the TOML map keeps: the bytes the key hashes.
pub(crate) fn canonical(table: &Table) -> String {
    let mut out = String::new();
    encode_table(table, &mut out);
    out
}

fn encode_table(table: &Table, out: &mut String) {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort();
    out.push('{');
    for k in keys {
        out.push_str(&format!("{k:?}="));
        encode(&table[k.as_str()], out);
        out.push(';');
    }
    out.push('}');
}

fn encode(v: &Value, out: &mut String) {
    match v {
        Value::Table(t) => encode_table(t, out),
        Value::Array(a) => {
            out.push('[');
            for x in a {
                encode(x, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::String(s) => out.push_str(&format!("s{s:?}")),
        Value::Integer(i) => out.push_str(&format!("i{i}")),
        Value::Float(f) => out.push_str(&format!("f{f:?}")),
        Value::Boolean(b) => out.push_str(&format!("b{b}")),
        Value::Datetime(d) => out.push_str(&format!("d{d}")),
    }
}

/// The value Cargo gives the environment variable `name` in the builds (and `cargo run`)
/// of a workspace at `workspace`, when this process sees `process` for it: Cargo's `[env]`
/// table sets a variable that the environment does not already hold, or any with
/// `force = true`; `relative = true` makes the value a path relative to the directory
/// holding the `.cargo` directory of the file that set it (Cargo Book, "Configuration:
/// [env]"). The highest-precedence file that names `name` decides, as Cargo merges them.
///
/// This is why an app run by `cargo run` (which applies `[env]`) and the deployer (which
/// does not) compute one key for a variable the handler declares with `input_env`.
///
/// # Errors
/// A configuration file cannot be read or is not TOML, or its `env.<name>` is neither a
/// string nor a table with a string `value`.
pub(crate) fn env_value(
    workspace: &Path,
    name: &str,
    process: Option<std::ffi::OsString>,
) -> Result<Option<std::ffi::OsString>, String> {
    env_value_in(workspace, cargo_home().as_deref(), name, process)
}

fn env_value_in(
    workspace: &Path,
    cargo_home: Option<&Path>,
    name: &str,
    process: Option<std::ffi::OsString>,
) -> Result<Option<std::ffi::OsString>, String> {
    let mut setting: Option<(String, bool, bool, PathBuf)> = None;
    for path in files(workspace, cargo_home) {
        let table = read_file(&path)?;
        let Some(v) = table.get("env").and_then(|e| e.get(name)) else {
            continue;
        };
        let bad = || {
            format!(
                "{}: `env.{name}` is neither a string nor a table with a string `value`",
                path.display()
            )
        };
        let (value, force, relative) = match v {
            Value::String(s) => (s.clone(), false, false),
            Value::Table(t) => {
                let value = t.get("value").and_then(Value::as_str).ok_or_else(bad)?;
                let flag = |k: &str| t.get(k).and_then(Value::as_bool).unwrap_or(false);
                (value.to_owned(), flag("force"), flag("relative"))
            }
            _ => return Err(bad()),
        };
        setting = Some((value, force, relative, path));
    }
    let Some((value, force, relative, path)) = setting else {
        return Ok(process);
    };
    if process.is_some() && !force {
        return Ok(process);
    }
    if relative {
        // `<dir>/.cargo/config.toml`: relative to `<dir>`.
        let base = path
            .parent()
            .and_then(Path::parent)
            .unwrap_or_else(|| Path::new("/"));
        return Ok(Some(base.join(value).into_os_string()));
    }
    Ok(Some(value.into()))
}

/// The flags Cargo gives rustc for `target` artifacts when nothing overrides them, from
/// the merged configuration and the environment, in Cargo's order (Cargo Book,
/// "Configuration: build.rustflags"): `CARGO_ENCODED_RUSTFLAGS`, else `RUSTFLAGS`, else
/// `target.<triple>.rustflags` (with `CARGO_TARGET_<TRIPLE>_RUSTFLAGS`), else
/// `build.rustflags` (with `CARGO_BUILD_RUSTFLAGS`). A string value is split at
/// whitespace, as Cargo does.
///
/// # Errors
/// A `target.'cfg(...)'` table sets `rustflags`: whether it applies is Cargo's cfg
/// evaluation, which is not repeated here, so the flags are not known.
pub(crate) fn user_rustflags(
    config: &Table,
    target: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, String> {
    if let Some(v) = env("CARGO_ENCODED_RUSTFLAGS") {
        return Ok(if v.is_empty() {
            Vec::new()
        } else {
            v.split('\x1f').map(str::to_owned).collect()
        });
    }
    if let Some(v) = env("RUSTFLAGS") {
        return Ok(v.split_whitespace().map(str::to_owned).collect());
    }
    let targets = config.get("target").and_then(Value::as_table);
    if let Some(cfg) = targets.and_then(|t| {
        t.iter()
            .find(|(k, v)| k.starts_with("cfg(") && v.get("rustflags").is_some())
    }) {
        return Err(format!(
            "the Cargo configuration sets `target.'{}'.rustflags`, which nephos cannot evaluate: set the flags in `target.{target}.rustflags` or `build.rustflags`",
            cfg.0
        ));
    }
    let upper = target.to_ascii_uppercase().replace(['-', '.'], "_");
    let from = |v: Option<&Value>, var: String| -> Option<Vec<String>> {
        let mut flags = v.map(flag_list);
        if let Some(e) = env(&var) {
            flags
                .get_or_insert_with(Vec::new)
                .extend(e.split_whitespace().map(str::to_owned));
        }
        flags
    };
    let triple = targets
        .and_then(|t| t.get(target))
        .and_then(|t| t.get("rustflags"));
    if let Some(flags) = from(triple, format!("CARGO_TARGET_{upper}_RUSTFLAGS")) {
        return Ok(flags);
    }
    let build = config.get("build").and_then(|b| b.get("rustflags"));
    Ok(from(build, "CARGO_BUILD_RUSTFLAGS".into()).unwrap_or_default())
}

/// A `rustflags` value: an array of strings, or one string split at whitespace.
fn flag_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "x86_64-unknown-linux-gnu";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn env_values_follow_cargos_env_table() {
        let root = std::env::temp_dir().join(format!("nephos-cargo-env-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let ws = root.join("ws");
        write(
            &root.join(".cargo/config.toml"),
            "[env]\nGREETING = \"outer\"\nFORCED = \"outer\"\n",
        );
        write(
            &ws.join(".cargo/config.toml"),
            "[env]\nGREETING = \"hi-one\"\nFORCED = { value = \"inner\", force = true }\nDIR = { value = \"data\", relative = true }\n",
        );
        let home = root.join("home");
        let get = |name: &str, process: Option<&str>| {
            env_value_in(&ws, Some(&home), name, process.map(Into::into))
                .unwrap()
                .map(|v| v.into_string().unwrap())
        };
        // The deeper file wins; a variable the environment holds is kept unless forced.
        assert_eq!(get("GREETING", None).as_deref(), Some("hi-one"));
        assert_eq!(get("GREETING", Some("shell")).as_deref(), Some("shell"));
        assert_eq!(get("FORCED", Some("shell")).as_deref(), Some("inner"));
        let dir = ws.join("data").into_os_string().into_string().unwrap();
        assert_eq!(get("DIR", None), Some(dir));
        assert_eq!(get("OTHER", None), None);
        assert_eq!(get("OTHER", Some("x")).as_deref(), Some("x"));
        write(&ws.join(".cargo/config.toml"), "[env]\nGREETING = 3\n");
        let e = env_value_in(&ws, Some(&home), "GREETING", None).unwrap_err();
        assert!(e.contains("env.GREETING"), "{e}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn settings_merge_by_precedence_and_unrelated_ones_are_dropped() {
        let root = std::env::temp_dir().join(format!("nephos-cargo-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let ws = root.join("a/ws");
        write(
            &root.join(".cargo/config.toml"),
            "[term]\nverbose = false\n[build]\nrustc-wrapper = \"sccache\"\nrustflags = [\"-Cone\"]\ntarget-dir = \"/t\"\n[profile.release]\nopt-level = 1\nlto = true\n",
        );
        write(
            &ws.join(".cargo/config.toml"),
            "[build]\nrustc-workspace-wrapper = \"w\"\nrustflags = [\"-Ctwo\"]\n[profile.release]\nopt-level = 3\n[target.aarch64-unknown-linux-gnu]\nlinker = \"x\"\n",
        );
        let home = root.join("home");
        write(
            &home.join("config.toml"),
            "[alias]\nb = \"build\"\n[env]\nK = \"v\"\n",
        );
        let merged = effective_in(&ws, Some(&home), T).unwrap();
        assert_eq!(
            canonical(&merged),
            r#"{"build"={"rustc-workspace-wrapper"=s"w";"rustflags"=[s"-Cone",s"-Ctwo",];};"env"={"K"=s"v";};"profile"={"release"={"lto"=btrue;"opt-level"=i3;};};}"#
        );
        let flags = user_rustflags(&merged, T, &|_| None).unwrap();
        assert_eq!(flags, ["-Cone", "-Ctwo"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn rustflags_follow_cargos_order_of_sources() {
        let config: Table = "[build]\nrustflags = \"-Cb1 -Cb2\"\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-Ct\"]\n"
            .parse()
            .unwrap();
        let none = |_: &str| None;
        assert_eq!(user_rustflags(&config, T, &none).unwrap(), ["-Ct"]);
        let only_build: Table = "[build]\nrustflags = \"-Cb1 -Cb2\"\n".parse().unwrap();
        assert_eq!(
            user_rustflags(&only_build, T, &none).unwrap(),
            ["-Cb1", "-Cb2"]
        );
        let rustflags = |k: &str| (k == "RUSTFLAGS").then(|| "-Ce1  -Ce2".to_owned());
        assert_eq!(
            user_rustflags(&config, T, &rustflags).unwrap(),
            ["-Ce1", "-Ce2"]
        );
        let encoded = |k: &str| (k == "CARGO_ENCODED_RUSTFLAGS").then(|| "-C\x1fa b".to_owned());
        assert_eq!(user_rustflags(&config, T, &encoded).unwrap(), ["-C", "a b"]);
        let cfg: Table = "[target.'cfg(unix)']\nrustflags = [\"-Cx\"]\n"
            .parse()
            .unwrap();
        let e = user_rustflags(&cfg, T, &none).unwrap_err();
        assert!(e.contains("cfg(unix)"), "{e}");
    }
}
