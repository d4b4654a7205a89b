//! `nephos init`: the files of a new project, rendered from the templates under
//! `deployer/templates/init/` (compiled in with `include_str!`).

pub mod name;
pub mod render;
pub mod source;
pub mod toolchain;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use source::NephosSource;

/// One file of the scaffold: where it goes (relative to the project) and its template.
struct TemplateFile {
    path: &'static str,
    text: &'static str,
}

macro_rules! template {
    ($path:literal, $file:literal) => {
        TemplateFile {
            path: $path,
            text: include_str!(concat!("../../templates/init/", $file)),
        }
    };
}

/// Every file a new project gets, in the order they are written.
const FILES: &[TemplateFile] = &[
    template!("Cargo.toml", "Cargo.toml.tmpl"),
    template!("rust-toolchain.toml", "rust-toolchain.toml"),
    template!("src/lib.rs", "src/lib.rs"),
    template!("src/main.rs", "src/main.rs"),
    template!("handler/Cargo.toml", "handler/Cargo.toml.tmpl"),
    template!("handler/src/lib.rs", "handler/src/lib.rs"),
    template!("handler/src/main.rs", "handler/src/main.rs"),
    template!("tests/template.rs", "tests/template.rs"),
    template!("tests/fixtures/bootstrap", "tests/fixtures/bootstrap"),
    template!(
        "tests/snapshots/template__stack.snap",
        "tests/snapshots/template__stack.snap"
    ),
    template!("nephos.json", "nephos.json"),
    template!(".gitignore", "gitignore"),
    template!(".github/workflows/ci.yml", "ci.yml"),
    template!("README.md", "README.md.tmpl"),
];

/// How many of a non-empty directory's entries the refusal names.
const NAMED_ENTRIES: usize = 5;

/// What to scaffold.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The project directory (created when missing; must be empty).
    pub dir: PathBuf,
    /// The package name (already checked with [`name::crate_name`]).
    pub name: String,
    /// Where the `nephos` crate comes from.
    pub nephos: NephosSource,
    /// The Rust toolchain `rust-toolchain.toml` pins (a stable `MAJOR.MINOR.PATCH`, from
    /// [`toolchain::detect`]).
    pub rust_version: String,
}

/// The rendered files of `plan`: (path relative to the project, content).
///
/// # Errors
/// When the name is not a package name, or a template names an unknown placeholder.
pub fn render_files(plan: &Plan) -> Result<Vec<(&'static str, String)>> {
    let krate = name::crate_name(&plan.name).map_err(|why| {
        Error::new(format!(
            "the project name `{}` {why}",
            escape_line(&plan.name)
        ))
    })?;
    let handler_crate = format!("{krate}_handler");
    // The package name may hold `_`, which no CloudFormation stack name may.
    let stack_name = name::stack_name(&plan.name);
    let dependency = plan.nephos.dependency();
    let install = plan.nephos.install_step();
    let ci_note = plan.nephos.ci_note();
    // The versions the key was tested with: the same list `scripts/venv.sh` installs.
    let build_tools = nephos::assembly::pinned_requirements().join(" ");
    let values = [
        ("name", plan.name.as_str()),
        ("crate", krate.as_str()),
        ("handler_crate", handler_crate.as_str()),
        ("stack_name", stack_name.as_str()),
        ("nephos_dependency", dependency.as_str()),
        ("install_cli", install.as_str()),
        ("ci_note", ci_note.as_str()),
        ("rust_version", plan.rust_version.as_str()),
        ("build_tools", build_tools.as_str()),
    ];
    let files: Vec<(&'static str, String)> = FILES
        .iter()
        .map(|f| {
            render::render(f.text, &values)
                .map(|text| (f.path, text))
                .map_err(|e| Error::new(format!("template {}: {e}", f.path)))
        })
        .collect::<Result<_>>()?;
    // A package named like one of its own dependencies (`nephos`, `tokio`, ...) makes two
    // crates of one name: Cargo refuses the lockfile, and `nephos::` would be ambiguous.
    // The dependencies are read from the rendered manifests, so the list stays true.
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with("Cargo.toml")) {
        for dep in dependency_names(text) {
            let dep_crate = dep.replace('-', "_");
            if dep_crate == krate || dep_crate == handler_crate {
                return Err(Error::new(format!(
                    "the project name `{}` collides with the crate `{}` the project depends on ({path}): Cargo cannot tell the two apart; choose another name",
                    escape_line(&plan.name),
                    escape_line(&dep)
                )));
            }
        }
    }
    Ok(files)
}

/// The keys of a manifest's `[dependencies]`, `[dev-dependencies]` and
/// `[build-dependencies]` tables (the scaffold's own manifests: one `name = ...` a line).
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = matches!(
                line,
                "[dependencies]" | "[dev-dependencies]" | "[build-dependencies]"
            );
        } else if let Some((key, _)) = line.split_once('=')
            && in_deps
            && !line.starts_with('#')
        {
            out.push(key.trim().trim_matches('"').to_owned());
        }
    }
    out
}

/// Writes the project; returns the paths written. Refuses a directory that is not empty
/// (naming what is there) and never overwrites a file (each is created exclusively).
///
/// # Errors
/// A non-empty directory, a bad name, or an I/O error (naming the path).
pub fn write(plan: &Plan) -> Result<Vec<&'static str>> {
    let files = render_files(plan)?;
    check_empty(&plan.dir)?;
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = plan.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_error(&path, &e))?;
        file.write_all(text.as_bytes())
            .map_err(|e| io_error(&path, &e))?;
        written.push(rel);
    }
    Ok(written)
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(format!(
        "cannot write {}: {e}",
        escape_line(&path.to_string_lossy())
    ))
}

/// Creates `dir` when missing; refuses it when it holds anything but a `.git` (a fresh
/// `git init`, or a clone of an empty repository: atk s25 11). Every file is created
/// exclusively and none is named `.git`, so the repository is never written over.
fn check_empty(dir: &Path) -> Result<()> {
    let shown = escape_line(&dir.to_string_lossy()).into_owned();
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::create_dir_all(dir)
                .map_err(|e| Error::new(format!("cannot create {shown}: {e}")));
        }
        Err(e) => return Err(Error::new(format!("cannot read {shown}: {e}"))),
        Ok(m) if !m.is_dir() => {
            return Err(Error::new(format!("{shown} exists and is not a directory")));
        }
        Ok(_) => {}
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::new(format!("cannot read {shown}: {e}")))?;
    let mut names = Vec::new();
    let mut count = 0usize;
    for entry in entries {
        let entry = entry.map_err(|e| Error::new(format!("cannot read {shown}: {e}")))?;
        if entry.file_name() == ".git" {
            continue;
        }
        count += 1;
        if names.len() < NAMED_ENTRIES {
            names.push(escape_line(&entry.file_name().to_string_lossy()).into_owned());
        }
    }
    if count == 0 {
        return Ok(());
    }
    names.sort();
    let more = if count > names.len() {
        format!(" and {} more", count - names.len())
    } else {
        String::new()
    };
    Err(Error::new(format!(
        "{shown} is not empty (it holds {}{more}): `nephos init` writes only into an empty directory; pass a new one, e.g. `nephos init my-app`",
        names.join(", ")
    )))
}

#[cfg(test)]
mod tests_tools;

#[cfg(test)]
mod tests {
    use super::*;

    /// atk (s25) 11: `git init && nephos init` was refused for the `.git` it holds;
    /// anything else is still refused, by name.
    #[test]
    fn a_directory_holding_only_git_is_empty_enough() {
        let dir = std::env::temp_dir().join(format!("nephos-init-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).unwrap_or_default();
        assert!(check_empty(&dir).is_ok());
        std::fs::write(dir.join("notes.txt"), "x").unwrap_or_default();
        let e = check_empty(&dir).expect_err("not empty");
        assert!(
            e.0.contains("notes.txt") && !e.0.contains(".git"),
            "{}",
            e.0
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_name_that_is_one_of_its_dependencies_is_refused_with_the_reason() {
        for taken in ["nephos", "tokio", "serde-json", "insta", "lambda_runtime"] {
            let plan = Plan {
                dir: PathBuf::from("/nowhere"),
                name: taken.into(),
                nephos: NephosSource::Path(PathBuf::from("/dsl")),
                rust_version: "1.95.0".into(),
            };
            let e = render_files(&plan)
                .map(|_| "accepted".to_owned())
                .unwrap_or_else(|e| e.to_string());
            assert!(e.contains("collides with the crate"), "{taken}: {e}");
        }
    }

    fn plan(dir: &Path, name: &str) -> Plan {
        Plan {
            dir: dir.to_path_buf(),
            name: name.into(),
            nephos: NephosSource::Version("0.1.0".into()),
            rust_version: "1.95.0".into(),
        }
    }

    /// Every name `init` accepts gives a stack name CloudFormation accepts, as synth will
    /// check it (atk15 A: `my_app` gave `my_app-dev`, refused at the first synth).
    #[test]
    fn every_accepted_name_gives_a_valid_stack_name_in_every_file() {
        for n in ["my_app", "a_", "a-", "x1_2_3", "_a", "a__b", "orders-api"] {
            match render_files(&plan(Path::new("/x"), n)) {
                Ok(files) => {
                    let main = &files.iter().find(|(p, _)| *p == "src/main.rs").unwrap().1;
                    let stack = main
                        .split("const STACK_NAME: &str = \"")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .unwrap_or_else(|| panic!("{main}"));
                    assert!(
                        nephos::assembly::check_stack_name(stack).is_ok(),
                        "{n} -> {stack}"
                    );
                    for (path, text) in &files {
                        assert!(
                            !text.contains(&format!("{n}-dev")) || !n.contains('_'),
                            "{path}"
                        );
                    }
                }
                Err(e) => {
                    assert!(
                        name::crate_name(n).is_err() || e.0.contains("stack name"),
                        "{n}: {e}"
                    );
                    assert!(
                        e.next_step().is_some() || name::crate_name(n).is_err(),
                        "{e}"
                    );
                }
            }
        }
        let files = render_files(&plan(Path::new("/x"), "my_app")).unwrap();
        let main = &files.iter().find(|(p, _)| *p == "src/main.rs").unwrap().1;
        assert!(main.contains("\"my-app-dev\""), "{main}");
    }

    #[test]
    fn every_placeholder_of_every_template_is_filled() {
        let files = render_files(&plan(Path::new("/x"), "orders-api")).unwrap();
        assert_eq!(files.len(), FILES.len());
        let main = &files.iter().find(|(p, _)| *p == "src/main.rs").unwrap().1;
        assert!(main.contains("use orders_api::{new_app, stack};"), "{main}");
        assert!(main.contains("let mut app = new_app();"), "{main}");
        // The app records its crate where the stack is compiled, so `nephos` refuses a
        // binary or a library another checkout built (attack finding 5).
        let lib = &files.iter().find(|(p, _)| *p == "src/lib.rs").unwrap().1;
        assert!(lib.contains("nephos::app!()"), "{lib}");
        assert!(
            main.contains(r#"concat!(env!("CARGO_PKG_NAME"), "-handler")"#),
            "{main}"
        );
        let handler = &files
            .iter()
            .find(|(p, _)| *p == "handler/Cargo.toml")
            .unwrap()
            .1;
        assert!(
            handler.contains("name = \"orders-api-handler\"\n"),
            "{handler}"
        );
        let cargo = &files.iter().find(|(p, _)| *p == "Cargo.toml").unwrap().1;
        assert!(cargo.contains("name = \"orders-api\"\n") && cargo.contains("nephos = \"0.1.0\""));
        // atk15 G: the project's README deploys only after bootstrapping.
        let readme = &files.iter().find(|(p, _)| *p == "README.md").unwrap().1;
        let at = |needle: &str| {
            readme
                .find(needle)
                .unwrap_or_else(|| panic!("{needle}: {readme}"))
        };
        assert!(at("nephos bootstrap") < at("nephos deploy"), "{readme}");
    }

    /// atk15 A: the scaffold of `my_app` named its stack `my_app-dev`, which synth refuses.
    /// Every file that names the deployed stack uses the derived, valid name.
    #[test]
    fn an_underscored_name_gives_a_stack_name_cloudformation_accepts() {
        let files = render_files(&plan(Path::new("/x"), "my_app")).unwrap();
        let mentions: Vec<&str> = files
            .iter()
            .filter(|(_, text)| text.contains("-dev"))
            .map(|(p, _)| *p)
            .collect();
        assert!(mentions.contains(&"src/main.rs"), "{mentions:?}");
        assert!(mentions.contains(&"README.md"), "{mentions:?}");
        for (path, text) in &files {
            assert!(!text.contains("my_app-dev"), "{path}: {text}");
        }
        let main = &files.iter().find(|(p, _)| *p == "src/main.rs").unwrap().1;
        assert!(
            main.contains(r#"const STACK_NAME: &str = "my-app-dev";"#),
            "{main}"
        );
    }

    #[test]
    fn a_non_empty_directory_is_refused_naming_what_is_there() {
        let dir = std::env::temp_dir().join(format!("nephos-init-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes\u{1b}[31m.txt"), "x").unwrap();
        let err = write(&plan(&dir, "app")).unwrap_err().0;
        assert!(
            err.contains("is not empty") && err.contains("notes"),
            "{err}"
        );
        assert!(!err.contains('\u{1b}'), "{err}");
        assert!(!dir.join("Cargo.toml").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
