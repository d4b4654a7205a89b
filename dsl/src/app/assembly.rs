//! The cloud assembly: the directory an app writes and the deployer reads.
//!
//! It is the only contract between the two halves of nephos, so it is versioned and kept
//! small: a `manifest.json` listing the stacks (with their deploy settings and the order
//! they must deploy in) and one CloudFormation template file per stack, plus content-named
//! assets. Paths inside the manifest are relative to the assembly directory.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::install::{install, path_inside};
pub use crate::asset::build_tools::{BuildTools, PINNED_TOOLS, ToolVersions, pinned_requirements};
pub use crate::asset::child::{ChildOutput, RunError, run_bounded};

/// The manifest format version this crate writes and reads.
pub const MANIFEST_VERSION: u32 = 1;

/// The file name of the manifest inside an assembly directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The bucket that holds assets and large templates, as a `Fn::Sub` string: the deployer's
/// `bootstrap` creates it and resolves the pseudo parameters to upload into it.
pub const STAGING_BUCKET: &str = "nephos-staging-${AWS::AccountId}-${AWS::Region}";

/// `manifest.json`: every stack of an app, in dependency order.
///
/// ```
/// use nephos::assembly::Manifest;
/// let json = r#"{"version":1,"stacks":[{"id":"Api","stackName":"api-dev",
///   "templateFile":"Api.template.json"}]}"#;
/// let manifest: Manifest = serde_json::from_str(json).unwrap();
/// assert_eq!(manifest.stacks[0].stack_name, "api-dev");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    /// Always [`MANIFEST_VERSION`] for what this crate writes.
    pub version: u32,
    /// The stacks, ordered so that each comes after the stacks it depends on.
    pub stacks: Vec<StackArtifact>,
    /// The crate the app binary was compiled from, when the app was made with
    /// [`app!`](crate::app!): the deployer refuses the assembly of an app run whose crate is
    /// not in the project nephos runs in (another checkout's binary, run through a shared
    /// target directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_crate: Option<AppCrate>,
    /// The app binary that wrote the assembly (`std::env::current_exe()` when
    /// [`App::run`](crate::App::run) wrote it): for an app without [`app_crate`](Self::app_crate),
    /// the deployer reads cargo's dep-info beside it (`<exe>.d`) to check the binary was
    /// built from the project nephos runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_exe: Option<String>,
}

/// The package an app binary was compiled from, as Cargo described it to the compiler
/// (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`). Fixed when the binary is compiled, so it names
/// the checkout that built the binary even when `cargo run` in another checkout runs it.
/// [`app!`](crate::app!) records it.
///
/// ```
/// use nephos::assembly::AppCrate;
/// let json = r#"{"manifestDir":"/src/orders-api","package":"orders-api"}"#;
/// let krate: AppCrate = serde_json::from_str(json).unwrap();
/// assert_eq!(krate.package, "orders-api");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppCrate {
    /// The package's directory (the one holding its `Cargo.toml`), absolute, on the machine
    /// that compiled it.
    pub manifest_dir: String,
    /// The package name.
    pub package: String,
}

/// One stack of the assembly and how to deploy it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StackArtifact {
    /// The stack's id in the app (unique in the assembly; also the template's file stem).
    pub id: String,
    /// The CloudFormation stack name to deploy to.
    pub stack_name: String,
    /// The template file, relative to the assembly directory.
    pub template_file: String,
    /// The region to deploy to; `None` means the deployer's configured region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Stack-level tags, applied by CloudFormation to every taggable resource.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection must be on (synced both ways on deploy).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub termination_protection: bool,
    /// Parameter values to pass on deploy; parameters left out keep their previous value
    /// (or their default on create).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    /// Ids of the stacks (in this assembly) that must be deployed first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Files the deployer uploads to the staging bucket before deploying this stack.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
}

/// A file to upload to the staging bucket, named by the SHA-256 of its content so an
/// unchanged asset is never uploaded twice and the template changes only when it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Asset {
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The file, relative to the assembly directory.
    pub path: String,
    /// The object key in the staging bucket the template refers to.
    pub object_key: String,
    /// How the deployer makes the file when the app only recorded a recipe (a Rust
    /// binary): then `sha256` is the hash of the sources and the recipe, not of the
    /// file, and `path` is where the deployer writes the zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<RustBuild>,
    /// For a built asset, the lower-case hex SHA-256 of the zip's own bytes, recorded in
    /// the manifest by the deployer when it writes the zip to `path` (absent until then,
    /// and for a file asset, whose `sha256` already names its bytes). Where the recipe's
    /// workspace is not on the machine (an assembly carried from the one that built it),
    /// the zip at `path` is used only when it has this hash: a zip put there by other
    /// means is refused, not deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_sha256: Option<String>,
}

/// A recipe for a Lambda `bootstrap` built from a package of the app's Cargo workspace:
/// `cargo zigbuild --locked -p <package> --bin <bin> --target <target>.<glibc>
/// --profile <profile>`, the binary zipped as `bootstrap`.
///
/// The paths are absolute, for the machine that synthesized; nothing machine-specific
/// goes into the hash ([`RustBuild::source_hash`]).
///
/// Build one with [`RustBuild::new`] and set the fields that differ: the struct is
/// `#[non_exhaustive]`, so a field added later does not break code outside nephos.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RustBuild {
    /// The workspace root (where `Cargo.lock` is).
    pub workspace: String,
    /// The package's directory.
    pub package_dir: String,
    /// The package name.
    pub package: String,
    /// The binary target's name.
    pub bin: String,
    /// The target triple, `x86_64-unknown-linux-gnu` or `aarch64-unknown-linux-gnu`.
    pub target: String,
    /// The glibc version the binary is linked against (Lambda's `provided.al2023`: 2.34).
    pub glibc: String,
    /// The Cargo profile.
    pub profile: String,
    /// Files the build reads beyond its packages' sources, relative to `package_dir`
    /// ([`RustBin::input_file`](crate::RustBin::input_file)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_files: Vec<String>,
    /// Directories the build reads, relative to `package_dir`
    /// ([`RustBin::input_dir`](crate::RustBin::input_dir)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_dirs: Vec<String>,
    /// Environment variables the build reads
    /// ([`RustBin::input_env`](crate::RustBin::input_env)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_env: Vec<String>,
}

impl RustBuild {
    /// The recipe for the binary `bin` of the package `package` in `package_dir`, in the
    /// workspace `workspace` (absolute paths, as the manifest holds them): for
    /// `x86_64-unknown-linux-gnu`, glibc [`LAMBDA_GLIBC`](crate::LAMBDA_GLIBC), the
    /// `release` profile, nothing declared.
    ///
    /// ```
    /// let mut recipe = nephos::assembly::RustBuild::new(
    ///     "/src/orders",
    ///     "/src/orders/handler",
    ///     "orders-handler",
    ///     "bootstrap",
    /// );
    /// recipe.profile = "dev".into();
    /// assert_eq!(recipe.target, "x86_64-unknown-linux-gnu");
    /// assert_eq!(recipe.glibc, nephos::LAMBDA_GLIBC);
    /// ```
    pub fn new(
        workspace: impl Into<String>,
        package_dir: impl Into<String>,
        package: impl Into<String>,
        bin: impl Into<String>,
    ) -> Self {
        RustBuild {
            workspace: workspace.into(),
            package_dir: package_dir.into(),
            package: package.into(),
            bin: bin.into(),
            target: "x86_64-unknown-linux-gnu".into(),
            glibc: crate::LAMBDA_GLIBC.into(),
            profile: "release".into(),
            input_files: Vec::new(),
            input_dirs: Vec::new(),
            input_env: Vec::new(),
        }
    }

    /// The hash of the recipe and of the sources it builds, as they are now: the asset's
    /// `sha256` at synth. The deployer compares the two to refuse building sources that
    /// changed since synth. Errors name the file that could not be read.
    ///
    /// ```no_run
    /// let mut recipe = nephos::assembly::RustBuild::new(
    ///     "/src/orders",
    ///     "/src/orders/handler",
    ///     "orders-handler",
    ///     "bootstrap",
    /// );
    /// recipe.input_files = vec!["../shared/schema.json".into()];
    /// recipe.input_env = vec!["GIT_SHA".into()];
    /// let hash = recipe.source_hash().expect("the sources are readable");
    /// assert_eq!(hash.len(), 64);
    /// ```
    pub fn source_hash(&self) -> Result<String, String> {
        crate::asset::rust_bin::source_hash(self)
    }

    /// [`source_hash`](RustBuild::source_hash) and what the key covers: the deployer checks
    /// every file and environment variable the compiler says the build read against it
    /// ([`KeyCoverage::covers_file`](crate::KeyCoverage::covers_file)). Errors as
    /// `source_hash`'s.
    ///
    /// ```no_run
    /// let mut recipe = nephos::assembly::RustBuild::new(
    ///     "/src/orders",
    ///     "/src/orders/handler",
    ///     "orders-handler",
    ///     "bootstrap",
    /// );
    /// recipe.input_env = vec!["GIT_SHA".into()];
    /// let (hash, coverage) = recipe.source_key().expect("the sources are readable");
    /// assert_eq!(hash, recipe.source_hash().unwrap());
    /// assert!(coverage.covers_env("GIT_SHA") && !coverage.covers_env("HOME"));
    /// ```
    pub fn source_key(&self) -> Result<(String, crate::KeyCoverage), String> {
        crate::asset::rust_bin::source_key(self)
    }

    /// The rustc flags the build is given (as `CARGO_ENCODED_RUSTFLAGS`): the user's, as
    /// Cargo would pick them from the environment and the configuration, then
    /// `--remap-path-prefix` for Cargo's home, the toolchain's sysroot, the workspace and
    /// path dependencies outside it, so that the binary names no path of this machine and
    /// the key names its bytes on any machine. Errors say why the flags are not known
    /// (for example a `target.'cfg(..)'.rustflags`, which nephos does not evaluate).
    ///
    /// ```no_run
    /// let mut recipe = nephos::assembly::RustBuild::new(
    ///     "/src/orders",
    ///     "/src/orders/handler",
    ///     "orders-handler",
    ///     "bootstrap",
    /// );
    /// recipe.input_files = vec!["../shared/schema.json".into()];
    /// recipe.input_env = vec!["GIT_SHA".into()];
    /// let flags = recipe.build_rustflags().expect("known flags");
    /// assert!(flags.iter().any(|f| f.starts_with("--remap-path-prefix=")));
    /// ```
    pub fn build_rustflags(&self) -> Result<Vec<String>, String> {
        crate::asset::remap::build_rustflags(self)
    }
}

/// The longest stack name CloudFormation accepts (`CreateStack`'s `StackName`).
pub const MAX_STACK_NAME_LEN: usize = 128;

/// Checks a CloudFormation stack name: 1 to 128 characters matching
/// `[a-zA-Z][-a-zA-Z0-9]*` (the `StackName` constraint of the CloudFormation API reference).
/// The error says what is wrong and is fit to follow "stack name `x` ".
///
/// ```
/// use nephos::assembly::check_stack_name;
/// assert!(check_stack_name("users-api-dev").is_ok());
/// assert!(check_stack_name("1leading").is_err());
/// ```
pub fn check_stack_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("is empty".into());
    }
    if name.len() > MAX_STACK_NAME_LEN {
        return Err(format!(
            "is {} characters long; CloudFormation accepts at most {MAX_STACK_NAME_LEN}",
            name.chars().count()
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("does not start with a letter".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("has characters other than letters, digits and hyphens".into());
    }
    Ok(())
}

/// Checks the shape of an AWS region name: lower-case partition and area words and a number,
/// such as `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1` (the form of every `regionRegex` in
/// the SDKs' `partitions.json`: `^[a-z]{2}(-[a-z]+)+-\d+$`). It does not check that the
/// region exists, which only the endpoint can say.
///
/// ```
/// use nephos::assembly::check_region;
/// assert!(check_region("eu-west-1").is_ok());
/// assert!(check_region("not a region!").is_err());
/// ```
pub fn check_region(region: &str) -> Result<(), String> {
    let mut parts = region.split('-');
    let ok = region.len() <= 64
        && parts
            .next()
            .is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase()))
        && {
            let rest: Vec<&str> = parts.collect();
            rest.len() >= 2
                && rest[..rest.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && rest[rest.len() - 1].bytes().all(|b| b.is_ascii_digit())
                && !rest[rest.len() - 1].is_empty()
        };
    if ok {
        Ok(())
    } else {
        Err("is not a region name (like us-east-1)".into())
    }
}
