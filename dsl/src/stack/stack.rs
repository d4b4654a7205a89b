//! [`Stack`]: one CloudFormation template, built from typed handles.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::asset::source::sha256_hex;
use crate::asset::{Asset, AssetRef, RustBin};
use crate::diagnostic::{Diagnostic, Location};
use crate::stack::condition::Condition;
use crate::stack::handle::{FromRef, Handle, ResourceRef};
use crate::stack::mapping::{Mapping, MappingRef};
use crate::stack::output::{Output, OutputKind, OutputRef};
use crate::stack::parameter::{Param, Parameter, ParameterDef};
use crate::stack::props::Props;
use crate::stack::resource::{Construct, Resource, ResourceEntry, ResourceOptions};
use crate::stack::rule::Rule;
use crate::value::condition::CondExpr;
use crate::value::expr::{Expr, StackKey, Target, TargetKind};
use crate::value::value::Value;

/// A template transform (macro) CloudFormation runs on the template before deploying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transform {
    /// `AWS::LanguageExtensions`: `Fn::Length`, `Fn::ToJsonString`, `Fn::FindInMap` defaults.
    LanguageExtensions,
    /// `AWS::Serverless-2016-10-31`: the SAM resource types.
    Serverless,
    /// Any other macro, by name.
    Other(String),
}

impl Transform {
    pub(crate) fn name(&self) -> &str {
        match self {
            Transform::LanguageExtensions => "AWS::LanguageExtensions",
            Transform::Serverless => "AWS::Serverless-2016-10-31",
            Transform::Other(name) => name,
        }
    }
}

/// An output as the stack holds it.
#[derive(Clone, Debug)]
pub(crate) struct OutputEntry {
    pub(crate) id: String,
    pub(crate) value: Expr,
    pub(crate) description: Option<String>,
    pub(crate) condition: Option<Target>,
    pub(crate) export: Option<Expr>,
}

static NEXT_STACK_UID: AtomicU64 = AtomicU64::new(1);

/// One CloudFormation stack: every template section, filled through typed handles.
///
/// ```
/// use nephos::{Output, Parameter, RawResource, Stack, Value, kind::Str};
/// let mut stack = Stack::new("Queues");
/// stack.description("Work queues");
/// let env = stack.parameter("Environment", Parameter::string().default("dev"));
/// let queue = stack.add("Jobs", RawResource::new("AWS::SQS::Queue").property("QueueName", nephos::sub!("jobs-${env}", env = &env)));
/// let url: Value<Str> = queue.ref_value();
/// stack.output("JobsUrl", Output::new(url));
/// let template = stack.synth().unwrap();
/// assert!(template.to_json_pretty().starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\""));
/// ```
#[derive(Clone, Debug)]
pub struct Stack {
    pub(crate) key: StackKey,
    pub(crate) description: Option<String>,
    pub(crate) metadata: BTreeMap<String, serde_json::Value>,
    pub(crate) transforms: Vec<Transform>,
    pub(crate) parameters: Vec<(Target, ParameterDef)>,
    pub(crate) mappings: Vec<(Target, Mapping)>,
    pub(crate) conditions: Vec<(Target, Expr)>,
    pub(crate) rules: Vec<(String, Rule)>,
    /// The wirings to resources outside the stack that reach only a resource of the
    /// stack's Region: synth adds the rules asserting it, `App::synth` checks them
    /// against the stack's settings ([`Stack::require_home`], `stack/home.rs`). `rules`
    /// holds the user's rules only.
    pub(crate) wired_homes: Vec<crate::stack::home::WiredHome>,
    pub(crate) resources: Vec<ResourceEntry>,
    /// The position in `resources` of the first resource with each logical ID: every
    /// grant, wiring and option looks its resource up, and a scan of the list made
    /// building a stack quadratic in its resources. Kept by [`Stack::add_resource`] (the
    /// one place resources are added) and [`Stack::reindex_ids`] (after a rename).
    pub(super) ids: crate::fast_hash::FastMap<Arc<str>, usize>,
    pub(crate) outputs: Vec<OutputEntry>,
    pub(crate) imports: Vec<(StackKey, String)>,
    pub(crate) problems: Vec<Diagnostic>,
    /// Packaged assets by SHA-256, shared when the same content is added twice.
    pub(crate) assets: BTreeMap<String, Arc<Vec<u8>>>,
    /// Assets the deployer builds, by the hash of their sources and recipe.
    pub(crate) builds: BTreeMap<String, crate::app::assembly::RustBuild>,
    /// Resources whose logical IDs end in a hash of what they cover, decided at synth.
    pub(crate) content_ids: Vec<crate::stack::content_id::ContentId>,
    /// Roles whose grant statements on resources depending on the role move, at synth,
    /// to a separate policy, by the role's logical ID (`stack/split_policy.rs`).
    pub(crate) split_policies: BTreeMap<Arc<str>, crate::stack::split_policy::SplitPolicy>,
    /// For each resource a construct or a wiring created, the resources whose `Condition`
    /// it takes when it has none of its own: the construct's main resource, or both ends
    /// of a wiring. Resolved at synth, so a condition set after wiring still reaches it.
    /// Shared with the copies synth makes (copy on write): it holds an entry per part of
    /// every construct.
    /// Looked up by logical ID only (never iterated), so hashed rather than sorted: a
    /// construct's every part and a wiring's every resource add an entry.
    pub(crate) owners: Arc<crate::fast_hash::FastMap<Arc<str>, Vec<Target>>>,
    /// Properties something was derived from: an override changing one is refused.
    /// Shared with the copies synth makes (copy on write): every grant records what it
    /// read, so it holds thousands of records in a large stack.
    pub(crate) derived: Arc<Vec<crate::stack::derived::Record>>,
    /// Checks left for synth by grants and constructs whose premise can still change
    /// after the call (see [`Stack::check_at_synth`]).
    pub(crate) late_checks: Arc<Vec<crate::stack::late_check::LateCheck>>,
    scratch: Option<Box<ResourceEntry>>,
}

impl Stack {
    /// An empty stack. `name` identifies it in the app and in messages (letters, digits
    /// and hyphens; the deployed stack name is set separately).
    pub fn new(name: &str) -> Stack {
        Stack {
            key: StackKey::new(NEXT_STACK_UID.fetch_add(1, Ordering::Relaxed), name),
            description: None,
            metadata: BTreeMap::new(),
            transforms: Vec::new(),
            parameters: Vec::new(),
            mappings: Vec::new(),
            conditions: Vec::new(),
            rules: Vec::new(),
            wired_homes: Vec::new(),
            resources: Vec::new(),
            ids: Default::default(),
            outputs: Vec::new(),
            imports: Vec::new(),
            problems: Vec::new(),
            assets: BTreeMap::new(),
            builds: BTreeMap::new(),
            content_ids: Vec::new(),
            split_policies: BTreeMap::new(),
            owners: Arc::default(),
            derived: Arc::default(),
            late_checks: Arc::default(),
            scratch: None,
        }
    }

    /// Records that `what` reaches the resource of `arn` through the AWS endpoint of the
    /// stack's own region: [`Stack::require_home`] with [`Reach::Region`](crate::Reach)
    /// and that reason, which also asserts the Region in the template's `Rules`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use nephos::{Stack, Value};
    /// let mut stack = Stack::new("Api");
    /// let bus: Value<nephos::kind::Str> =
    ///     "arn:aws:events:eu-west-1:123456789012:event-bus/orders".into();
    /// stack.pin_region(&bus, "the PutEvents integration of route `POST /orders`".into());
    /// assert!(stack.synth().unwrap().json()["Rules"]["ImportsRegionEuWest1"].is_object());
    /// ```
    #[deprecated(
        note = "use `Stack::require_home(arn, what, Reach::Region, why)`, which names why the resource must be in the stack's Region"
    )]
    pub fn pin_region(&mut self, arn: &crate::Value<crate::kind::Str>, what: String) {
        self.require_home(
            arn,
            &what,
            crate::stack::home::Reach::Region,
            "it is reached through the AWS endpoint of the stack's own Region",
        );
    }

    /// The stack's name in the app.
    pub fn name(&self) -> &str {
        &self.key.name
    }

    fn target(&self, kind: TargetKind, id: &str) -> Target {
        Target {
            stack: self.key.clone(),
            kind,
            id: Arc::from(id),
        }
    }

    /// Sets the template's description (at most 1,024 bytes).
    pub fn description(&mut self, text: impl Into<String>) -> &mut Self {
        self.description = Some(text.into());
        self
    }

    /// Adds a template `Metadata` entry.
    pub fn metadata(&mut self, key: &str, value: serde_json::Value) -> &mut Self {
        self.metadata.insert(key.to_string(), value);
        self
    }

    /// Adds a transform.
    pub fn transform(&mut self, transform: Transform) -> &mut Self {
        if !self.transforms.contains(&transform) {
            self.transforms.push(transform);
        }
        self
    }

    /// Declares a parameter and returns its handle.
    pub fn parameter<K>(&mut self, id: &str, parameter: Parameter<K>) -> Param<K> {
        let target = self.target(TargetKind::Parameter, id);
        self.parameters.push((target.clone(), parameter.def));
        Param::new(target)
    }

    /// Declares a mapping and returns its handle.
    pub fn mapping(&mut self, id: &str, mapping: Mapping) -> MappingRef {
        let target = self.target(TargetKind::Mapping, id);
        self.mappings.push((target.clone(), mapping));
        MappingRef { target }
    }

    /// Declares a condition and returns its handle.
    pub fn condition(&mut self, id: &str, expr: impl Into<CondExpr>) -> Condition {
        let target = self.target(TargetKind::Condition, id);
        self.conditions.push((target.clone(), expr.into().expr));
        Condition { target }
    }

    /// Declares a rule. An ID taken by a rule asserting where the stack deploys
    /// (`ImportsRegion...`, `ImportsAccount...`: [`Stack::require_home`]) is refused at
    /// synth, naming the wiring that needs it.
    pub fn rule(&mut self, id: &str, rule: Rule) -> &mut Self {
        self.rules.push((id.to_string(), rule));
        self
    }

    /// Adds a resource or a construct under the logical ID `id` and returns its handle.
    /// A construct adds several resources, with logical IDs derived from `id`.
    pub fn add<C: Construct>(&mut self, id: &str, construct: C) -> C::Handle {
        let before = self.resources.len();
        let handle = construct.add_to(self, id);
        // Every other resource the construct created (role, log group, deployment...)
        // belongs to its main one, the resource under `id`, and shares its condition.
        if let Some(main) = self.resources[before..]
            .iter()
            .find(|e| &*e.target.id == id)
            .map(|e| e.target.clone())
        {
            let members: Vec<Arc<str>> = self.resources[before..]
                .iter()
                .filter(|e| e.target != main)
                .map(|e| e.target.id.clone())
                .collect();
            for m in members {
                Arc::make_mut(&mut self.owners)
                    .entry(m)
                    .or_insert_with(|| vec![main.clone()]);
            }
        }
        handle
    }

    /// Records that `member` takes its condition from `owners` (a wiring's two ends, or the
    /// resource a construct's part belongs to): at synth it gets the owners' `Condition`,
    /// or a synth error when they have different ones. Constructs call it for each
    /// resource they add besides their main one.
    pub fn own(&mut self, member: &ResourceRef, owners: &[&ResourceRef]) {
        Arc::make_mut(&mut self.owners).insert(
            member.target.id.clone(),
            owners.iter().map(|o| o.target.clone()).collect(),
        );
    }

    /// Adds one resource; what [`Stack::add`] does for every [`Resource`].
    pub(crate) fn add_resource<R: Resource>(&mut self, id: &str, resource: R) -> R::Handle {
        let target = self.target(TargetKind::Resource, id);
        let type_name = resource.type_name().to_string();
        let handle_type: Arc<str> = Arc::from(type_name.as_str());
        let constraints = resource.constraints();
        let ref_assumption = resource.ref_assumption();
        let props = resource.into_props();
        self.ids
            .entry(target.id.clone())
            .or_insert(self.resources.len());
        self.resources.push(ResourceEntry {
            target: target.clone(),
            type_name,
            props,
            constraints,
            ref_assumption,
            depends_on: Vec::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            metadata: BTreeMap::new(),
            overrides: Vec::new(),
            suppressions: Vec::new(),
        });
        R::Handle::from_ref(ResourceRef {
            target,
            type_name: handle_type,
        })
    }

    /// The entry of a resource of this stack, for constructs that wire resources after
    /// adding them (appending a notification, merging a grant into a policy).
    pub(crate) fn entry_mut(&mut self, r: &ResourceRef) -> Option<&mut ResourceEntry> {
        let i = self.position(&r.target)?;
        Some(&mut self.resources[i])
    }

    /// The handle of the resource with logical ID `id` and type `type_name`, if present:
    /// how a construct finds a resource it (or an earlier call) added under a derived ID.
    pub fn find_resource(&self, id: &str, type_name: &str) -> Option<ResourceRef> {
        // No resource before the first with the ID can match.
        let first = self.position_of_id(id)?;
        self.resources[first..]
            .iter()
            .find(|e| &*e.target.id == id && e.type_name == type_name)
            .map(|e| ResourceRef {
                target: e.target.clone(),
                type_name: Arc::from(e.type_name.as_str()),
            })
    }

    /// Records a problem found while building, reported at synth (an error fails synth):
    /// how a construct refuses a setting, naming the resource, the property and the fix.
    pub fn problem(&mut self, d: Diagnostic) {
        self.problems.push(d);
    }

    /// Records that something was derived from the property at `path` (dotted, below
    /// `Properties`) of the resource `id` when it was added or granted on: an
    /// [`override_property`](crate::ResourceOptions::override_property) or
    /// `remove_property` at, inside or around that path is then a synth error naming the
    /// property, what was derived and `fix` (the hatch to set it with instead), since the
    /// override is applied only at synth, after the derived parts were computed. A
    /// construct written outside nephos records what it derives the same way.
    ///
    /// ```
    /// use nephos::Stack;
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// stack.derived_from("Jobs", "KmsMasterKeyId", "the grants' KMS key", "set the key on the builder");
    /// stack.resource(&q).override_property("KmsMasterKeyId", "alias/other");
    /// let err = stack.synth().unwrap_err().to_string();
    /// assert!(err.contains("KmsMasterKeyId") && err.contains("set the key on the builder"), "{err}");
    /// ```
    pub fn derived_from(&mut self, id: &str, path: &str, derives: &str, fix: &str) {
        self.derived_record(crate::stack::derived::Record {
            id: id.to_string(),
            path: path.to_string().into(),
            derives: derives.to_string().into(),
            fix: crate::stack::derived::Fix::Text(fix.to_string().into()),
        });
    }

    /// [`Stack::derived_from`] for texts fixed when the code is compiled (a construct's
    /// constants): they are kept borrowed, so a record costs one allocation (the ID)
    /// rather than four. A construct that records the same paths for every resource it
    /// adds (a table records three) uses this form.
    ///
    /// ```
    /// use nephos::Stack;
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", nephos::sqs::Queue::new());
    /// stack.derived_from_static("Jobs", "KmsMasterKeyId", "the grants' KMS key", "set the key on the builder");
    /// stack.resource(&q).remove_property("KmsMasterKeyId");
    /// assert!(stack.synth().is_err());
    /// ```
    pub fn derived_from_static(
        &mut self,
        id: &str,
        path: &'static str,
        derives: &'static str,
        fix: &'static str,
    ) {
        self.derived_record(crate::stack::derived::Record {
            id: id.to_string(),
            path: path.into(),
            derives: derives.into(),
            fix: crate::stack::derived::Fix::Text(fix.into()),
        });
    }

    /// Keeps `record` (see [`Stack::derived_from`]), its texts as they come: the
    /// constructs' own, borrowed.
    pub(crate) fn derived_record(&mut self, record: crate::stack::derived::Record) {
        // Not deduplicated here: a search per call made building a stack quadratic in its
        // grants; the check reports each distinct record once.
        Arc::make_mut(&mut self.derived).push(record);
    }

    /// Leaves `check` for synth, where it reads the final resources (their properties
    /// after overrides, [`Resolved`](crate::Resolved)): for what a grant or a wiring
    /// assumed that a later call can still change, such as a route's authorization. Its
    /// diagnostics are synth's own: an error fails synth, a warning is listed in
    /// [`Template::warnings`](crate::Template::warnings). Identical diagnostics of several
    /// checks are reported once. The library's grants leave theirs this way; a grant or a
    /// construct written outside nephos does the same.
    ///
    /// ```
    /// use nephos::{Diagnostic, Handle, Location, Stack, sqs};
    /// let mut stack = Stack::new("App");
    /// let queue = stack.add("Jobs", sqs::Queue::new());
    /// // A grant that assumed the queue is encrypted with a key checks it on the final template.
    /// let id = queue.resource_ref().logical_id().to_string();
    /// stack.check_at_synth(move |resources| {
    ///     let encrypted = resources
    ///         .iter()
    ///         .any(|r| r.logical_id() == id && r.property("KmsMasterKeyId").is_some());
    ///     if encrypted {
    ///         return Vec::new();
    ///     }
    ///     vec![Diagnostic::warning(
    ///         Location::property(&id, "KmsMasterKeyId"),
    ///         format!("`{id}` has no KMS key, so the grant's kms:Decrypt does nothing"),
    ///         "give the queue a KMS key",
    ///     )]
    /// });
    /// let warnings = stack.synth().unwrap().warnings().to_vec();
    /// assert_eq!(warnings.len(), 1);
    /// // Set after the check was left: the check sees it.
    /// stack.resource(&queue).override_property("KmsMasterKeyId", "alias/jobs");
    /// assert!(stack.synth().unwrap().warnings().is_empty());
    /// ```
    pub fn check_at_synth(
        &mut self,
        check: impl Fn(&[crate::synth::template::Resolved<'_>]) -> Vec<Diagnostic>
        + Send
        + Sync
        + 'static,
    ) {
        Arc::make_mut(&mut self.late_checks)
            .push(crate::stack::late_check::LateCheck(Arc::new(check)));
    }

    /// The resource attributes (DependsOn, DeletionPolicy, overrides, ...) of a resource
    /// of this stack. A handle of another stack is reported at synth.
    pub fn resource(&mut self, handle: &impl Handle) -> ResourceOptions<'_> {
        let r = handle.resource_ref();
        match self.position(&r.target) {
            Some(i) => ResourceOptions {
                entry: &mut self.resources[i],
            },
            None => {
                self.problems.push(Diagnostic::error(
                    Location::resource(r.logical_id()),
                    format!(
                        "options were set on resource `{}` of stack `{}` through stack `{}`, which does not hold it",
                        r.logical_id(),
                        r.stack_name(),
                        self.name()
                    ),
                    format!("call `resource(...)` on stack `{}`", r.stack_name()),
                ));
                let scratch = self.scratch.insert(Box::new(ResourceEntry {
                    target: r.target.clone(),
                    type_name: r.type_name().to_string(),
                    props: Props::new(),
                    constraints: &[],
                    ref_assumption: None,
                    depends_on: Vec::new(),
                    condition: None,
                    deletion_policy: None,
                    update_replace_policy: None,
                    update_policy: None,
                    creation_policy: None,
                    metadata: BTreeMap::new(),
                    overrides: Vec::new(),
                    suppressions: Vec::new(),
                }));
                ResourceOptions { entry: scratch }
            }
        }
    }

    /// Packages a local asset into the stack (read and zipped now, reproducibly) and
    /// returns where the deployer will put it. A file that cannot be read is reported
    /// at synth.
    pub fn asset(&mut self, asset: Asset) -> AssetRef {
        match asset.package() {
            Ok(bytes) => {
                let sha256 = sha256_hex(&bytes);
                self.assets
                    .entry(sha256.clone())
                    .or_insert_with(|| Arc::new(bytes));
                AssetRef { sha256 }
            }
            Err(problem) => {
                self.problems.push(Diagnostic::error(
                    Location::stack(),
                    format!("asset {}: {problem}", asset.path().display()),
                    "build the asset before synthesizing (for a Rust handler: `cargo build` it first), or fix the path",
                ));
                AssetRef {
                    sha256: sha256_hex(&[]),
                }
            }
        }
    }

    /// Records a Rust binary to be built by the deployer (nothing is compiled now) and
    /// returns where the deployer will put its zip, named by the hash of its sources and
    /// recipe. A workspace or package that cannot be found or read is reported at synth.
    pub fn rust_bin(&mut self, bin: RustBin) -> AssetRef {
        match bin.recipe() {
            Ok((recipe, sha256)) => {
                self.builds.entry(sha256.clone()).or_insert(recipe);
                AssetRef { sha256 }
            }
            Err(problem) => {
                self.problems.push(Diagnostic::error(
                    Location::stack(),
                    format!("{}: {problem}", bin.describe()),
                    "check the package and binary names and that the app runs inside the workspace (or set `.workspace(dir)`)",
                ));
                AssetRef {
                    sha256: sha256_hex(&[]),
                }
            }
        }
    }

    /// Declares an output and returns its handle, which other stacks can import.
    pub fn output<K: OutputKind>(&mut self, id: &str, output: Output<K>) -> OutputRef<K> {
        self.outputs.push(OutputEntry {
            id: id.to_string(),
            value: output.value,
            description: output.description,
            condition: output.condition,
            export: output.export.clone(),
        });
        OutputRef::new(self.key.clone(), id.to_string(), output.export)
    }

    /// Imports an output of another stack of the app: `Fn::ImportValue` of its export
    /// name. The app deploys the exporting stack first. The output needs a literal export
    /// name; anything else is reported at synth with the fix.
    ///
    /// ```
    /// use nephos::{Output, Stack, Value, kind::Str};
    /// let mut network = Stack::new("Network");
    /// let region = network.output("Region", Output::new(nephos::aws::region()).export("net-region"));
    /// let mut api = Stack::new("Api");
    /// let imported: Value<Str> = api.import(&region);
    /// assert_eq!(imported.to_json(), serde_json::json!({"Fn::ImportValue": "net-region"}));
    /// ```
    pub fn import<K>(&mut self, output: &OutputRef<K>) -> Value<K> {
        if output.stack == self.key {
            self.problems.push(Diagnostic::error(
                Location::output(&output.id),
                format!(
                    "stack `{}` imports its own output `{}`",
                    self.name(),
                    output.id
                ),
                "use the output's value directly instead of importing it",
            ));
        }
        let export = match &output.export {
            Some(e @ Expr::Lit(serde_json::Value::String(_))) => e.clone(),
            Some(_) => Expr::Invalid(
                format!(
                    "imports output `{}` of stack `{}`, whose export name is computed; Fn::ImportValue would compute it in stack `{}`",
                    output.id,
                    output.stack.name,
                    self.name()
                ),
                "give the output a literal export name, such as `.export(\"users-table-name\")`"
                    .into(),
            ),
            None => Expr::Invalid(
                format!(
                    "imports output `{}` of stack `{}`, which is not exported",
                    output.id, output.stack.name
                ),
                format!(
                    "add `.export(\"{}-{}\")` to the output",
                    output.stack.name, output.id
                ),
            ),
        };
        if !self.imports.iter().any(|(k, _)| *k == output.stack) {
            self.imports.push((output.stack.clone(), output.id.clone()));
        }
        Value::from_expr(Expr::ImportValue(Box::new(export)))
    }
}
