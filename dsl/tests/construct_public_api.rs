//! The built-in constructs use only what a construct written outside nephos can use.
//!
//! The construct files (`src/constructs/*.rs`, one construct each) and the wiring they
//! share (`src/constructs/wiring/*.rs`) are scanned for the crate-private ways into the
//! stack and the values that constructs used to take, and which a user's crate cannot
//! name: building a value from a raw expression (`from_expr`, `Expr`, `.expr`,
//! `crate::value::expr`), editing or reading a resource's entry (`entry_mut`, the
//! `.props` field, `ResourceEntry`, `stack.resources`, `owners`, `add_resource`,
//! `content_ids`), and items they share as `pub(crate)`. The public replacements are
//! `Value::cast`, `Value::literal_str`, `Value::entries`, `Value::items`,
//! `Value::invalid`, `Stack::property`, `Stack::properties`, `Stack::set_property`,
//! `Stack::edit_list` and `Stack::edit_statements` (adding to a list inside a resource's
//! property, a policy's `Statement`, through the checked merge), `Stack::resources_of_type`,
//! `Stack::resource_with_id`, `Stack::resource_named_by`, `Stack::reaches`, `Stack::own`,
//! `Stack::is_owned_by`, `Stack::owners_of`, `Stack::problem`, the generated builders'
//! `PropsBuilder::props()` (a public trait method, unlike the field), and the modules
//! `constructs::{grants, wiring, ids, names}`, which are public and where code shared
//! between constructs lives. A construct file also may not import another construct
//! file: cross-construct code goes to `grants/` or `wiring/`. (`grants/` is the
//! implementation of the public grant API and still merges into roles' policies through
//! the core's internals; only `grants/api` is scanned.)
//!
//! This is a text check, not a type check: it catches the known ways in, and the
//! example `examples/queue_worker.rs` and the test `wiring_public.rs` (compiled outside
//! the crate) show that the public API suffices. An exception would be listed with its
//! reason, and the test fails when an exception is no longer needed, so the list only
//! shrinks.

use std::path::Path;

/// Crate-private ways in, as they appear in source.
const FORBIDDEN: &[&str] = &[
    "from_expr",
    "crate::value::expr",
    "Expr::",
    ".expr",
    "entry_mut",
    ".props",
    "ResourceEntry",
    "stack.resources",
    ".owners",
    "add_resource",
    "content_ids",
    "crate::stack::content_id",
    "crate::value::object",
    "pub(crate)",
    // The stack's own records and checks: `Stack::derived_from` (or `derived_from_static`)
    // records a derived property, `MAX_LOGICAL_ID_LEN` is public.
    "derived_record",
    "crate::stack::derived",
    "crate::stack::logical_id",
    "crate::stack::home",
    // A resource's position in the stack's list: `Stack::properties(r).is_some()` says
    // whether the stack holds it.
    "stack.position",
    // A resolved resource's entry: a check left with `Stack::check_at_synth` reads the
    // public `Resolved::{logical_id, type_name, property, properties}` instead.
    ".entry.",
];

/// The construct files, by module name.
const CONSTRUCTS: &[&str] = &[
    "api_domain",
    "api_domain/mutual_tls",
    "api_integration",
    "api_integration/http_proxy",
    "api_integration/put_events",
    "api_integration/request_value",
    "api_integration/start_execution",
    "api_stage",
    "bucket",
    "cors",
    "function",
    "function/add",
    "function/async_invoke",
    "function/checks",
    "function/code",
    "function/image",
    "function/log_group",
    "function/options",
    "function/role",
    "function/url",
    "function/version",
    "function/version_hash",
    "http_api",
    "http_api/auth",
    "http_api/domain",
    "http_api/integration",
    "http_api/route",
    "kinesis_stream",
    "kms_key",
    "layer",
    "queue",
    "rest_api",
    "rest_api/account",
    "rest_api/auth",
    "rest_api/domain",
    "rest_api/integration",
    "rest_api/integration/aws",
    "rest_api/integration/dynamodb",
    "rest_api/integration/http",
    "rest_api/integration/mock",
    "rest_api/method",
    "rest_api/paths",
    "rest_api/private",
    "rest_api/stage",
    "rest_api/stages",
    "rest_api/usage_plan",
    "rule",
    "rule/pattern",
    "scheduled_job",
    "secret",
    "secret/generator",
    "state_machine",
    "state_machine/branching",
    "state_machine/condition",
    "state_machine/distributed_map",
    "state_machine/dynamodb",
    "state_machine/errors",
    "state_machine/flow",
    "state_machine/graph",
    "state_machine/integration",
    "state_machine/messaging",
    "state_machine/nested",
    "state_machine/plain",
    "state_machine/render",
    "state_machine/service",
    "state_machine/states",
    "state_machine/task",
    "state_machine/text",
    "string_parameter",
    "table",
    "topic",
];

/// Modules the constructs share that use only the public API too (so a user's construct
/// can hold a builder the way the built-in ones do, or leave a check for synth the way
/// the API grant does): checked for the ways in like the construct files. (`configure`
/// builds merged values from expressions: it is not.)
const SHARED: &[&str] = &["wrapped", "grants/api"];

/// The wiring files, by module name under `wiring/`: what a user's wiring would be
/// written like, so they are held to the construct files' rule.
const WIRING: &[&str] = &[
    "alarm_action",
    "api_domain",
    "api_route",
    "api_service_role",
    "dynamodb",
    "ends",
    "event_source",
    "events",
    "events_state_machine",
    "fifo",
    "image_pull",
    "key_policy",
    "kinesis",
    "list_property",
    "mod",
    "permission",
    "queue_send",
    "record_filter",
    "resource_policy",
    "s3",
    "sns",
    "sns_filter",
    "sqs",
    "stream",
];

/// The library's own machinery under `src/constructs`, behind public API that a user's
/// construct calls rather than rewrites: not scanned, each with why (a path ending in `/`
/// is a folder). Every other file there is scanned, a new one included.
const CORE: &[(&str, &str)] = &[
    ("mod", "the module facade: re-exports and the handle types"),
    (
        "configure",
        "builds the merged values `.configure` and overrides apply, from expressions",
    ),
    (
        "ids",
        "public ID derivation (`constructs::ids`): it hashes values by their expressions",
    ),
    (
        "names",
        "public name derivation (`constructs::names`): it reads values' expressions",
    ),
    (
        "import/mod",
        "the facade of the imports and the `imported!` macro declaring their handle types, whose constructors are their own modules' (as any construct's own items)",
    ),
    (
        "grants/",
        "the grant machinery behind the public grant API (`constructs::grants`): it merges statements into roles and resource policies; `grants/api`, a grant as a user would write it, is scanned (SHARED)",
    ),
];

/// Every `.rs` file below `src/constructs`, by module path without `.rs`.
fn all_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/constructs");
    let mut out = Vec::new();
    let mut pending = vec![(root, String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            if e.file_type().unwrap().is_dir() {
                pending.push((e.path(), format!("{prefix}{name}/")));
            } else if let Some(module) = name.strip_suffix(".rs") {
                out.push(format!("{prefix}{module}"));
            }
        }
    }
    out.sort();
    out
}

/// The files scanned for the ways in: every file below `src/constructs` but the
/// [`CORE`] machinery, and the [`SHARED`] modules.
fn scanned() -> Vec<String> {
    let core = |f: &str| {
        CORE.iter().any(|(c, _)| match c.strip_suffix('/') {
            Some(folder) => f.starts_with(&format!("{folder}/")),
            None => f == *c,
        })
    };
    all_files()
        .into_iter()
        .filter(|f| !core(f) || SHARED.contains(&f.as_str()))
        .collect()
}

#[test]
fn the_scan_covers_the_lists_and_the_folders_without_a_construct_beside_them() {
    let scanned = scanned();
    for listed in CONSTRUCTS
        .iter()
        .chain(SHARED)
        .map(|n| n.to_string())
        .chain(WIRING.iter().map(|n| format!("wiring/{n}")))
    {
        assert!(scanned.contains(&listed), "{listed} is not scanned");
    }
    for folder in ["import/", "metrics/", "timing/"] {
        assert!(
            scanned.iter().any(|f| f.starts_with(folder)),
            "nothing in {folder} is scanned"
        );
    }
}

/// Known exceptions: (file, token, why). Each is debt with its reason, to be removed by
/// moving the construct onto the public API (issue 12); a new one needs a reason too.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "import/arn",
        "crate::stack::home",
        "the public ARN reader (`constructs::import::Arn::split`) is itself the public way to split an ARN; it uses the stack's splitter, so the two cannot disagree",
    ),
    (
        "import/home",
        "crate::stack::home",
        "the public path of `Reach` and `literal_home`: it re-exports them",
    ),
];

/// A construct file that names another construct's handle, with why (as [`EXCEPTIONS`]).
const NAMES_ALLOWED: &[(&str, &str, &str)] = &[];

fn source(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/constructs")
        .join(format!("{name}.rs"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The code of a file without its comments (doc examples may mention anything), with the
/// whitespace before a `.` or `::` removed: rustfmt breaks a chain across lines
/// (`stack\n    .resources`), which must still read as `stack.resources`.
fn code(text: &str) -> String {
    let joined = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(joined.len());
    let mut pending = String::new();
    for c in joined.chars() {
        if c.is_whitespace() {
            pending.push(c);
            continue;
        }
        if !(c == '.' || c == ':') {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
    }
    out
}

#[test]
fn a_chain_broken_across_lines_is_read_whole() {
    assert!(uses(
        &code("if stack\n    .resources\n    .iter()"),
        "stack.resources"
    ));
    assert!(uses(
        &code("crate::constructs\n    ::grants::x"),
        "crate::constructs::grants"
    ));
    assert!(!uses(
        &code("let a = stack;\nlet b = x.resources;"),
        "stack.resources"
    ));
}

/// Whether `code` contains `token` as a whole: a token ending in an identifier character
/// must not continue into a longer identifier (`stack.resources` is not
/// `stack.resources_of_type`, the public method), nor into a call (the `.props` field is
/// crate-private; `.props()` is the public `PropsBuilder` method).
fn uses(code: &str, token: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(token).any(|(i, _)| {
        let rest = &code[i + token.len()..];
        !token.ends_with(ident)
            || !(rest.starts_with(ident) || (token == ".props" && rest.starts_with('(')))
    })
}

#[test]
fn the_token_match_is_whole() {
    assert!(uses("for e in &stack.resources {", "stack.resources"));
    assert!(!uses("stack.resources_of_type(x)", "stack.resources"));
    assert!(uses("Value::from_expr(e)", "from_expr"));
    assert!(uses("x.props.map", ".props"));
    assert!(!uses("f.props().contains(\"Name\")", ".props"));
}

#[test]
fn every_construct_file_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/constructs");
    let rs_files = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix(".rs").map(str::to_string)
            })
            .collect()
    };
    let mut files: Vec<String> = rs_files(&dir)
        .into_iter()
        // The facade and the public modules constructs share.
        .filter(|n| !["mod", "ids", "names", "configure"].contains(&n.as_str()))
        .filter(|n| !SHARED.contains(&n.as_str()))
        .collect();
    // A construct's own submodules (`http_api/auth.rs` beside `http_api.rs`), and theirs
    // in turn (`rest_api/integration/mock.rs`), are checked like the construct; `grants/`
    // and `wiring/` have no such file beside them.
    let mut pending = files.clone();
    while let Some(module) = pending.pop() {
        let sub = dir.join(&module);
        if sub.is_dir() {
            let children: Vec<String> = rs_files(&sub)
                .into_iter()
                .map(|f| format!("{module}/{f}"))
                .collect();
            files.extend(children.iter().cloned());
            pending.extend(children);
        }
    }
    files.sort();
    assert_eq!(
        files, CONSTRUCTS,
        "a new construct file must be checked too"
    );
}

#[test]
fn every_wiring_file_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/constructs/wiring");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
        .collect();
    files.sort();
    assert_eq!(files, WIRING, "a new wiring file must be checked too");
    // Submodules of a wiring file would escape the scan.
    let dirs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.file_type()
                .unwrap()
                .is_dir()
                .then(|| e.file_name().into_string().unwrap())
        })
        .collect();
    assert!(
        dirs.is_empty(),
        "wiring submodules are not scanned: {dirs:?}"
    );
}

#[test]
fn construct_files_use_no_crate_private_way_in() {
    let mut found = Vec::new();
    for name in scanned() {
        let name = name.as_str();
        let code = code(&source(name));
        for token in FORBIDDEN {
            let excepted = EXCEPTIONS.iter().any(|(f, t, _)| *f == name && t == token);
            match (uses(&code, token), excepted) {
                (true, false) => found.push(format!("{name}.rs uses `{token}`")),
                (false, true) => found.push(format!(
                    "{name}.rs no longer uses `{token}`: remove its exception"
                )),
                _ => {}
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn construct_files_do_not_import_each_other() {
    let mut found = Vec::new();
    for name in CONSTRUCTS {
        let code = code(&source(name));
        for other in CONSTRUCTS.iter().filter(|o| *o != name) {
            for path in [
                format!("crate::constructs::{other}::"),
                format!("super::{other}::"),
            ] {
                if code.contains(&path) {
                    found.push(format!("{name}.rs imports `{path}`"));
                }
            }
        }
        // A construct's handle type named in another construct's file is an import by
        // the facade's re-export.
        for handle in [
            "BucketRef",
            "FunctionRef",
            "HttpApiRef",
            "QueueRef",
            "RestApiRef",
            "TableRef",
            "TopicRef",
        ] {
            let own = handle
                .to_ascii_lowercase()
                .replace("ref", "")
                .replace('_', "");
            // A construct's own submodules (`function/url`) may name its handle.
            let construct = name.split('/').next().unwrap_or(name);
            let allowed = NAMES_ALLOWED
                .iter()
                .any(|(f, h, _)| f == name && h == &handle);
            if construct.replace('_', "") != own && code.contains(handle) && !allowed {
                found.push(format!("{name}.rs names `{handle}`"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
