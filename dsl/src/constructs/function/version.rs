//! Published versions of a function and the aliases that point at them.
//!
//! A version (`AWS::Lambda::Version`) is published once, when CloudFormation creates
//! the resource, and is never updated: a new version needs a new resource. Its logical
//! ID is therefore derived from the function's properties as they are when the function
//! is added (`<Function>Version<16 hex>`, the hash covering the code's object key, which
//! is the SHA-256 of the code, and every setting): new code or configuration gives a new
//! ID, so CloudFormation publishes a new version, moves the aliases to it, then deletes
//! the old one; nothing changed, same ID, nothing published. (CDK's `currentVersion`
//! hashes the same way. A hash in the version's `Description`, the other way to force a
//! replacement, was not chosen: it puts a changing text in front of users in the console
//! and says nothing in the template diff about why a new version appears.) The ID is
//! known when the version is added, unlike a synth-time content ID such as the REST
//! deployment's, because an alias must refer to the version by it. An
//! `override_property` of a hashed property would not reach the hash, so it is refused
//! at synth once a version exists.

use crate::constructs::grants::{self, Granted, Grantee, GranteeRole, Target};
use crate::constructs::wiring::place;
use crate::diagnostic::{Diagnostic, Location};
use crate::kinds::{LambdaFunctionArn, LambdaVersionFunctionArn, LambdaVersionVersion};
use crate::lambda::alias::ProvisionedConcurrencyConfiguration;
use crate::lambda::{AliasHandle, UrlHandle, VersionHandle};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;

use super::FunctionRef;
use super::url::{self, FunctionUrlOptions};

/// A published version of a function ([`FunctionRef::version`]).
#[derive(Clone, Debug)]
pub struct VersionRef {
    version: VersionHandle,
    function: FunctionRef,
}

impl VersionRef {
    /// The version number Lambda assigned.
    pub fn version(&self) -> crate::value::value::Value<LambdaVersionVersion> {
        self.version.version()
    }

    /// The version's (qualified) ARN: its own kind, which goes wherever a function ARN is
    /// taken and, unlike a function's unqualified ARN, into a Lambda@Edge association.
    pub fn arn(&self) -> crate::value::value::Value<LambdaVersionFunctionArn> {
        self.version.function_arn()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &VersionHandle {
        &self.version
    }

    /// The function it is a version of.
    pub fn function(&self) -> &FunctionRef {
        &self.function
    }
}

impl Handle for VersionRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.version.resource_ref()
    }
}

/// An alias of a function: a stable name (`live`) pointing at a version, optionally
/// with provisioned concurrency (environments kept initialized).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Alias, Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let v = f.version(&mut stack);
/// let live = f.alias(&mut stack, Alias::new("live", &v).provisioned_concurrency(2));
/// let t = stack.synth().unwrap();
/// let a = &t.json()["Resources"]["ApiAliasLive"]["Properties"];
/// assert_eq!(a["Name"], "live");
/// assert_eq!(a["ProvisionedConcurrencyConfig"]["ProvisionedConcurrentExecutions"], 2);
/// # let _ = live;
/// ```
#[derive(Clone, Debug)]
pub struct Alias {
    name: String,
    version: VersionRef,
    description: Option<String>,
    provisioned: Option<u32>,
}

impl Alias {
    /// The alias `name` (letters, digits, `-` and `_`, not only digits; checked at synth)
    /// pointing at `version`.
    pub fn new(name: impl Into<String>, version: &VersionRef) -> Self {
        Alias {
            name: name.into(),
            version: version.clone(),
            description: None,
            provisioned: None,
        }
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Keeps `n` execution environments initialized for the alias (at least 1; not with
    /// SnapStart, which Lambda refuses with provisioned concurrency).
    pub fn provisioned_concurrency(mut self, n: u32) -> Self {
        self.provisioned = Some(n);
        self
    }
}

/// An alias added to a stack ([`FunctionRef::alias`]): invoked, granted, wired and given
/// a URL like its function (grants and event source mappings go to the function's role,
/// invocations to the alias's ARN).
#[derive(Clone, Debug)]
pub struct AliasRef {
    alias: AliasHandle,
    name: String,
    function: FunctionRef,
}

impl AliasRef {
    /// The alias's (qualified) ARN.
    pub fn arn(&self) -> crate::value::value::Value<LambdaFunctionArn> {
        self.alias.arn()
    }

    /// The alias's name.
    pub fn alias_name(&self) -> &str {
        &self.name
    }

    /// The function the alias belongs to.
    pub fn function(&self) -> &FunctionRef {
        &self.function
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &AliasHandle {
        &self.alias
    }

    /// What grants on the alias are on: its ARN.
    pub fn grant_target(&self) -> Target<grants::on::Function> {
        Target::of("function alias", &self.alias, self.alias.arn())
    }

    /// Lets `grantee` invoke the alias.
    pub fn grant_invoke(&self, stack: &mut Stack, grantee: &impl Grantee) -> Option<Granted> {
        grants::function::invoke(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` call the alias's IAM-authorized URL (the two statements of
    /// [`FunctionRef::grant_invoke_url`](crate::constructs::FunctionRef::grant_invoke_url)).
    pub fn grant_invoke_url(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::function::invoke_url(stack, grantee, &self.grant_target())
    }

    /// A URL of the alias (`<Alias>Url`, its `Qualifier` the alias's name), with the
    /// public permissions on the alias for [`UrlAuth::None`](super::UrlAuth::None).
    pub fn url(&self, stack: &mut Stack, options: FunctionUrlOptions) -> UrlHandle {
        url::add(
            stack,
            self.alias.resource_ref(),
            self.function.arn(),
            Some((&self.name, &self.alias)),
            &options,
        )
    }
}

impl Handle for AliasRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.alias.resource_ref()
    }
}

impl Grantee for AliasRef {
    fn grant_role(&self) -> Option<GranteeRole<'_>> {
        self.function.grant_role()
    }

    fn grantee_name(&self) -> String {
        format!(
            "alias `{}` of function `{}`",
            self.name.escape_debug(),
            self.function.resource_ref().logical_id()
        )
    }
}

/// What a version's ID is derived from, and the fix for an override of it.
const HASHED: &str =
    "the logical ID of its published version (a hash of the function's properties when added)";
const HASHED_FIX: &str =
    "set it with the construct's options or `configure`, so the version's hash covers it";

/// Publishes the version `<Function>Version<hash>` of `function` (the same function
/// twice gives one version).
pub(super) fn version(stack: &mut Stack, function: &FunctionRef) -> VersionRef {
    let fid = function.resource_ref().logical_id().to_string();
    let id = format!(
        "{fid}Version{}",
        super::version_hash::version_hash(stack, function)
    );
    let version = place(
        stack,
        &id,
        crate::lambda::Version::new(function.name()),
        &[function.resource_ref()],
        "a function version",
    );
    for property in function.hashed() {
        stack.derived_from(&fid, property, HASHED, HASHED_FIX);
    }
    VersionRef {
        version,
        function: function.clone(),
    }
}

/// Adds the alias `<Function>Alias<Name>`.
pub(super) fn alias(stack: &mut Stack, function: &FunctionRef, alias: Alias) -> AliasRef {
    let fid = function.resource_ref().logical_id().to_string();
    let id = format!("{fid}Alias{}", crate::constructs::ids::pascal(&alias.name));
    if alias.version.function.resource_ref() != function.resource_ref() {
        stack.problem(Diagnostic::error(
            Location::property(&id, "FunctionVersion"),
            format!(
                "alias `{}` of function `{fid}` points at a version of function `{}`",
                alias.name.escape_debug(),
                alias.version.function.resource_ref().logical_id()
            ),
            "give the alias a version of its own function (`function.version(&mut stack)`)",
        ));
    }
    // The schema's pattern refuses an all-digit name (it would read as a version);
    // its look-ahead is beyond synth's pattern engine, so it is checked here.
    if alias.name.is_empty() || alias.name.bytes().all(|b| b.is_ascii_digit()) {
        stack.problem(Diagnostic::error(
            Location::property(&id, "Name"),
            format!(
                "alias name `{}` of function `{fid}` is empty or only digits, which Lambda takes for a version",
                alias.name.escape_debug()
            ),
            "name the alias with a letter, `-` or `_` in it (`live`, `v2-canary`)",
        ));
    }
    let mut a =
        crate::lambda::Alias::new(function.name(), alias.version.version(), alias.name.clone());
    if let Some(d) = alias.description {
        a = a.description(d);
    }
    if let Some(n) = alias.provisioned {
        if n == 0 {
            stack.problem(Diagnostic::error(
                Location::property(&id, "ProvisionedConcurrencyConfig"),
                format!(
                    "alias `{}` asks for 0 provisioned environments",
                    alias.name.escape_debug()
                ),
                "give at least 1, or leave provisioned concurrency out",
            ));
        }
        if function.snap_start() {
            stack.problem(Diagnostic::error(
                Location::property(&id, "ProvisionedConcurrencyConfig"),
                format!(
                    "function `{fid}` uses SnapStart, which Lambda does not allow with provisioned concurrency (AWS Lambda Developer Guide, \"Lambda SnapStart\")"
                ),
                "drop `.snap_start()` or the alias's provisioned concurrency",
            ));
        }
        // Against the reserved concurrency the sum over all the function's aliases and
        // versions counts: checked on the final template
        // (`synth::provisioned_concurrency`).
        a = a
            .provisioned_concurrency_config(ProvisionedConcurrencyConfiguration::new(i64::from(n)));
    }
    let handle = place(
        stack,
        &id,
        a,
        &[function.resource_ref()],
        "a function alias",
    );
    // The function's asynchronous options reach events sent to the alias too (a bucket
    // notification or a topic wired to it): Lambda keeps them per qualifier.
    if let Some(config) = function.async_invoke.clone() {
        config.add(
            stack,
            &id,
            function,
            Some((&alias.name, handle.resource_ref())),
        );
    }
    AliasRef {
        alias: handle,
        name: alias.name,
        function: function.clone(),
    }
}
