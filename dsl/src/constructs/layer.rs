//! [`LayerVersion`]: a Lambda layer built from a local directory, shared by functions.

use std::path::Path;

use crate::asset::Asset;
use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::kind::Str;
use crate::kinds::{LambdaLayerVersionArn, S3BucketName};
use crate::lambda::LayerVersionHandle;
use crate::lambda::function::{Architectures as Architecture, Runtime};
use crate::lambda::layer_version::{CompatibleArchitectures, CompatibleRuntimes, Content};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::{Props, PropsBuilder};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A layer version from a local directory (zipped into the assembly and uploaded by
/// `nephos deploy`; put files under the paths the runtime reads, such as `python/` or
/// `nodejs/node_modules/`), with the runtimes and instruction sets it is built for.
/// Functions take it with [`Function::layer`](crate::constructs::Function::layer),
/// which refuses at synth a function whose runtime or architecture the layer does not
/// declare. New content publishes a new version (the asset's hash is its object key),
/// and the functions move to it; the old version is deleted unless
/// [`removal_policy`](LayerVersion::removal_policy) keeps it.
///
/// ```no_run
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, LayerVersion, Runtime};
/// let mut stack = Stack::new("App");
/// let deps = stack.add("Deps", LayerVersion::from_dir("layers/deps").compatible_runtimes([Runtime::Python312]));
/// stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")).layer(&deps));
/// ```
#[derive(Clone, Debug)]
pub struct LayerVersion {
    /// The builder, its removal policy (none by default: a replaced version is deleted)
    /// and the hatch.
    layer: Wrapped<crate::lambda::LayerVersion>,
    asset: Asset,
}

impl LayerVersion {
    /// A layer of every file below `dir`.
    pub fn from_dir(dir: impl AsRef<Path>) -> Self {
        LayerVersion::from_asset(Asset::directory(dir))
    }

    /// A layer of any local asset (a directory, or a zip made elsewhere).
    pub fn from_asset(asset: Asset) -> Self {
        LayerVersion {
            // `Content` is set when added (the asset is placed in the assembly).
            layer: Wrapped::new(crate::lambda::LayerVersion::from_props(Props::new())),
            asset,
        }
    }

    /// The runtimes the layer works with (up to 15; a function of another runtime is
    /// refused at synth, and a runtime Lambda does not accept for layers too).
    pub fn compatible_runtimes(mut self, runtimes: impl IntoIterator<Item = Runtime>) -> Self {
        let runtimes: Vec<Value<CompatibleRuntimes>> = runtimes
            .into_iter()
            // The two enums are the schema's lists of the same runtimes; a value the
            // layer's list lacks is reported by its schema check at synth.
            .map(|r| Value::<CompatibleRuntimes>::literal(r.as_str()))
            .collect();
        self.layer = self.layer.set(|l| l.compatible_runtimes(runtimes));
        self
    }

    /// The instruction sets the layer is built for (a function on another is refused).
    pub fn compatible_architectures(
        mut self,
        architectures: impl IntoIterator<Item = Architecture>,
    ) -> Self {
        let list: Vec<Value<CompatibleArchitectures>> = architectures
            .into_iter()
            .map(|a| match a {
                Architecture::Arm64 => CompatibleArchitectures::Arm64.into_value(),
                Architecture::X8664 => CompatibleArchitectures::X8664.into_value(),
            })
            .collect();
        self.layer = self.layer.set(|l| l.compatible_architectures(list));
        self
    }

    /// The layer's name (else CloudFormation derives one).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.layer = self.layer.set(|l| l.layer_name(name));
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.layer = self.layer.set(|l| l.description(text));
        self
    }

    /// The licence (an SPDX identifier, a URL or text).
    pub fn license(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.layer = self.layer.set(|l| l.license_info(text));
        self
    }

    /// Whether a replaced or removed version is deleted (the default: functions have
    /// moved to the new one) or kept ([`RemovalPolicy::Retain`], for functions of other
    /// stacks still using it).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        // Deleting is CloudFormation's default for a layer version: no attribute for it.
        let applied = (policy != RemovalPolicy::Destroy).then_some(policy);
        self.layer = self.layer.removal_policy(applied);
        self
    }

    /// Escape hatch to the generated `AWS::Lambda::LayerVersion` builder, after the
    /// construct's options.
    pub fn configure(
        mut self,
        f: impl Fn(crate::lambda::LayerVersion) -> crate::lambda::LayerVersion + Send + Sync + 'static,
    ) -> Self {
        self.layer = self.layer.configure(f);
        self
    }
}

/// The most compatible runtimes a layer version declares (registry schema).
const MAX_RUNTIMES: usize = 15;

/// What functions check the layer against when they take it.
const OWNED: &[Owned] = &[
    Owned::new(
        "CompatibleRuntimes",
        "compatible_runtimes",
        "the runtime check of the functions that take the layer",
    ),
    Owned::new(
        "CompatibleArchitectures",
        "compatible_architectures",
        "the architecture check of the functions that take the layer",
    ),
];

/// A JSON list of strings as texts (`None` when absent or computed).
fn texts(json: Option<serde_json::Value>) -> Option<Vec<String>> {
    json?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl Construct for LayerVersion {
    type Handle = LayerVersionRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> LayerVersionRef {
        let a = stack.asset(self.asset);
        let content = Content::new(a.bucket().cast::<S3BucketName>(), a.key());
        // A snapshot is refused below (after the resource's own checks, in their order);
        // the version is added with no policy then.
        let snapshot = self.layer.removal() == Some(RemovalPolicy::Snapshot);
        let mut layer = self.layer;
        if snapshot {
            layer = layer.removal_policy(None);
        }
        let ready = layer.prepare(stack, id, OWNED, |l| l.content(content));
        let runtimes = texts(ready.builder().props().get_json("CompatibleRuntimes"));
        // The schema's `maxItems` (15), which synth's literal checks leave to lists.
        if runtimes.as_ref().is_some_and(|r| r.len() > MAX_RUNTIMES) {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "CompatibleRuntimes"),
                format!("layer `{id}` declares more than {MAX_RUNTIMES} compatible runtimes"),
                "declare at most 15 runtimes (publish one layer per runtime family)",
            ));
        }
        let architectures = texts(ready.builder().props().get_json("CompatibleArchitectures"));
        let handle = ready.add_to(stack).handle;
        if snapshot {
            stack.problem(crate::Diagnostic::error(
                crate::Location::resource(id),
                format!("layer `{id}`: a layer version cannot be snapshotted"),
                "keep it (`RemovalPolicy::Retain`) or let it be deleted (`RemovalPolicy::Destroy`)",
            ));
        }
        LayerVersionRef {
            layer: handle,
            runtimes,
            architectures,
        }
    }
}

/// A layer version added to a stack.
#[derive(Clone, Debug)]
pub struct LayerVersionRef {
    layer: LayerVersionHandle,
    runtimes: Option<Vec<String>>,
    architectures: Option<Vec<String>>,
}

impl LayerVersionRef {
    /// The layer version's ARN.
    pub fn arn(&self) -> Value<LambdaLayerVersionArn> {
        self.layer.arn()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &LayerVersionHandle {
        &self.layer
    }

    /// The runtimes it declares (`None`: any).
    pub fn compatible_runtimes(&self) -> Option<&[String]> {
        self.runtimes.as_deref()
    }

    /// The instruction sets it declares (`None`: any).
    pub fn compatible_architectures(&self) -> Option<&[String]> {
        self.architectures.as_deref()
    }
}

impl Handle for LayerVersionRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.layer.resource_ref()
    }
}
