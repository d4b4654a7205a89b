//! `nephos-codegen [--check] [ROOT]`: regenerates nephos's resource types from
//! `ROOT/dsl/schemas` (ROOT defaults to the workspace root). With `--check`, writes nothing
//! and exits 1 if the checked-in files differ from what it would write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nephos_codegen::{GENERATED_DIR, MANIFEST_FILE, generate, output, schemas};

fn run(root: &Path, check: bool) -> Result<bool, String> {
    let schemas = schemas::load(&root.join("dsl/schemas"))?;
    let extras = schemas::load_all_extras(root)?;
    let manifest_path = root.join(MANIFEST_FILE);
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let files = generate(&schemas, &extras, &manifest)?;
    let formatted = output::rustfmt_all(root, files)?;
    for (path, text) in &formatted {
        // Fail closed: a control character (a schema text's NUL or DEL) in generated source
        // is invisible in review; the emitters escape them (`emit::escape_controls`).
        if let Some((line, c)) = nephos_codegen::emit::control_character(text) {
            return Err(format!(
                "{}:{line}: control character U+{:04X} in generated source",
                path.display(),
                u32::from(c)
            ));
        }
    }
    let report = output::write_all(root, Path::new(GENERATED_DIR), &formatted, check)?;
    let verb = if check { "differs" } else { "wrote" };
    for p in &report.changed {
        eprintln!("{verb}: {}", p.display());
    }
    let verb = if check { "stale" } else { "removed" };
    for p in &report.removed {
        eprintln!("{verb}: {}", p.display());
    }
    eprintln!(
        "nephos-codegen: {} types, {} files, {} changed, {} removed",
        schemas.len(),
        formatted.len(),
        report.changed.len(),
        report.removed.len()
    );
    Ok(report.changed.is_empty() && report.removed.is_empty())
}

fn main() -> ExitCode {
    let mut check = false;
    let mut root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                eprintln!("usage: nephos-codegen [--check] [ROOT]");
                return ExitCode::SUCCESS;
            }
            other => root = PathBuf::from(other),
        }
    }
    match run(&root, check) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) if check => {
            eprintln!("generated code is out of date: run scripts/regenerate.sh");
            ExitCode::FAILURE
        }
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nephos-codegen: {e}");
            ExitCode::from(2)
        }
    }
}
