//! Container-image code: [`Function::image`] and the [`ContainerImage`] it runs.
//!
//! A function packaged as an image (`PackageType: Image`) takes its runtime, handler and
//! libraries from the image: Lambda refuses `Runtime`, `Handler` and `Layers` beside it
//! (AWS Lambda Developer Guide, "Create a Lambda function using a container image").
//! [`Function::image`] therefore sets none of them, and synth refuses them when an option
//! or `configure` adds one. The image is a private Amazon ECR image of the function's
//! Region, named by tag or digest.
//!
//! Lambda pulls the image with its service principal, not the execution role: the
//! repository's policy must allow `lambda.amazonaws.com` `ecr:BatchGetImage` and
//! `ecr:GetDownloadUrlForLayer` (AWS Knowledge Center, "lambda-ecr-image"; when the
//! deployer may `ecr:SetRepositoryPolicy`, Lambda adds that statement itself at create).
//! For an `AWS::ECR::Repository` of this stack nephos writes the statement into its
//! `RepositoryPolicyText`, limited to functions of this account and Region (the
//! function's own ARN would make the repository and the function refer to each other);
//! for an image given by URI, the repository is not this stack's to change.

use super::Function;
use super::code::Source;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::lambda::function as generated;
use crate::stack::handle::ResourceRef;
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The longest image tag ECR takes (characters).
const MAX_TAG: usize = 128;

/// The image a container-image function runs, with the image's settings it overrides.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{ContainerImage, Function};
/// let mut stack = Stack::new("App");
/// stack.add("Api", Function::image(
///     ContainerImage::uri("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.0")
///         .command(["app.handler"]),
/// ));
/// let t = stack.synth().unwrap();
/// let p = &t.json()["Resources"]["Api"]["Properties"];
/// assert_eq!(p["PackageType"], "Image");
/// assert!(p.get("Runtime").is_none() && p.get("Handler").is_none());
/// ```
#[derive(Clone, Debug)]
pub struct ContainerImage {
    uri: Value<Str>,
    /// The `AWS::ECR::Repository` of the stack the image is in, if it is one.
    repository: Option<ResourceRef>,
    /// A tag or digest given beside a repository, checked when added.
    reference: Option<String>,
    command: Option<Vec<String>>,
    entry_point: Option<Vec<String>>,
    working_directory: Option<String>,
}

impl ContainerImage {
    /// The image at `uri`: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`
    /// or `...@sha256:<digest>`. A literal URI of another shape (no tag or digest, not
    /// ECR) is a synth error; a computed one (a parameter, `Fn::Sub`) is taken as given.
    pub fn uri(uri: impl IntoValue<Str>) -> Self {
        ContainerImage {
            uri: uri.into_value(),
            repository: None,
            reference: None,
            command: None,
            entry_point: None,
            working_directory: None,
        }
    }

    /// The image tagged `tag` (1 to 128 letters, digits, `_`, `.`, `-`, not starting
    /// with `.` or `-`) in `repository`, an `AWS::ECR::Repository` of the stack; its
    /// policy is given the statement that lets Lambda pull it (see the module docs).
    /// Lambda checks the image when the function is created or its code updated, so the
    /// image must be pushed by then: a repository created in the same deploy as the
    /// function is empty and the function's creation fails (deploy the repository
    /// first, push, then add the function; nephos builds and pushes no images).
    #[cfg(feature = "ecr")]
    pub fn repository(repository: &crate::ecr::RepositoryHandle, tag: impl Into<String>) -> Self {
        Self::in_repository(repository, ":", tag.into())
    }

    /// The image of digest `digest` (`sha256:` and 64 lowercase hex digits) in
    /// `repository`, as [`repository`](Self::repository) does for a tag.
    #[cfg(feature = "ecr")]
    pub fn repository_digest(
        repository: &crate::ecr::RepositoryHandle,
        digest: impl Into<String>,
    ) -> Self {
        Self::in_repository(repository, "@", digest.into())
    }

    #[cfg(feature = "ecr")]
    fn in_repository(
        repository: &crate::ecr::RepositoryHandle,
        separator: &str,
        reference: String,
    ) -> Self {
        use crate::stack::handle::Handle;
        let uri = crate::sub(
            &format!("${{uri}}{separator}{}", reference.replace("${", "${!")),
            [("uri", repository.uri().into_any())],
        );
        ContainerImage {
            repository: Some(repository.resource_ref().clone()),
            reference: Some(format!("{separator}{reference}")),
            ..Self::uri(uri)
        }
    }

    /// Overrides the image's `CMD` (for AWS base images, the handler: `["app.handler"]`).
    pub fn command<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides the image's `ENTRYPOINT`.
    pub fn entry_point<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.entry_point = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides the image's `WORKDIR` (an absolute path).
    pub fn working_directory(mut self, dir: impl Into<String>) -> Self {
        self.working_directory = Some(dir.into());
        self
    }

    /// The problems of the image's reference and settings, for function `id`.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match (&self.reference, self.uri.literal_str()) {
            (Some(r), _) => {
                if let Some(p) = reference_problem(r) {
                    out.push(p);
                }
            }
            (None, Some(uri)) => {
                if let Some(p) = uri_problem(uri) {
                    out.push(format!("image URI `{}` {p}", uri.escape_debug()));
                }
            }
            (None, None) => {}
        }
        if let Some(dir) = &self.working_directory
            && !dir.starts_with('/')
        {
            out.push(format!(
                "working directory `{}` is not an absolute path",
                dir.escape_debug()
            ));
        }
        out
    }
}

/// Why a literal image URI is not one Lambda runs, if it is not.
fn uri_problem(uri: &str) -> Option<String> {
    let not_ecr = "is not a private Amazon ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`), the only registry Lambda pulls from";
    let Some((registry, rest)) = uri.split_once('/') else {
        return Some(not_ecr.into());
    };
    let mut parts = registry.split('.');
    let account = parts.next().unwrap_or_default();
    let shape: Vec<&str> = parts.collect();
    let ecr = account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && matches!(
            shape.as_slice(),
            ["dkr", "ecr", region, "amazonaws", "com"] | ["dkr", "ecr", region, "amazonaws", "com", "cn"]
                if !region.is_empty()
        );
    if !ecr {
        return Some(not_ecr.into());
    }
    // A digest holds a `:` (`@sha256:...`), a repository path neither.
    let (repository, reference) = match rest.find('@').or_else(|| rest.rfind(':')) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => return Some("names no tag or digest (`:<tag>` or `@sha256:<digest>`)".into()),
    };
    if repository.is_empty() {
        return Some("names no repository".into());
    }
    reference_problem(reference)
}

/// Why `reference` (`:<tag>` or `@<digest>`) is not one ECR takes, if it is not.
fn reference_problem(reference: &str) -> Option<String> {
    if let Some(tag) = reference.strip_prefix(':') {
        let ok = (1..=MAX_TAG).contains(&tag.len())
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && !tag.starts_with(['.', '-']);
        return (!ok).then(|| format!("tag `{}` is not 1 to {MAX_TAG} letters, digits, `_`, `.` or `-` (not starting with `.` or `-`)", tag.escape_debug()));
    }
    let digest = reference.strip_prefix('@').unwrap_or(reference);
    let ok = digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    (!ok).then(|| {
        format!(
            "digest `{}` is not `sha256:` and 64 lowercase hex digits",
            digest.escape_debug()
        )
    })
}

impl Function {
    /// A function packaged as the container image `image` (`PackageType: Image`): the
    /// runtime and handler are the image's, so none is set, and a runtime, handler or
    /// layer added later (by `configure` or [`layer`](Function::layer)) is a synth
    /// error. The architecture is x86_64 unless [`architecture`](Function::architecture)
    /// says otherwise; it must be the one the image is built for (Lambda cannot tell
    /// before the first invocation fails). The rest of the options are as for
    /// [`new`](Function::new).
    pub fn image(image: ContainerImage) -> Self {
        Function::with_source(
            crate::lambda::Function::from_props(crate::stack::props::Props::new())
                .package_type(generated::PackageType::Image),
            Source::Image(image),
        )
    }
}

/// The `Code` property of image function `id` and its `ImageConfig`, after reporting the
/// image's problems and allowing Lambda to pull from a repository of the stack.
pub(super) fn resolve(
    stack: &mut Stack,
    id: &str,
    image: ContainerImage,
) -> (generated::Code, Option<generated::ImageConfig>) {
    for p in image.problems() {
        stack.problem(Diagnostic::error(
            Location::property(id, "Code.ImageUri"),
            format!("function `{id}`: {p}"),
            "name a private Amazon ECR image of the function's Region by tag or digest",
        ));
    }
    if let Some(repository) = &image.repository {
        crate::constructs::wiring::image_pull::allow_lambda_pull(stack, id, repository);
    }
    let mut config = None;
    if image.command.is_some() || image.entry_point.is_some() || image.working_directory.is_some() {
        let mut c = generated::ImageConfig::new();
        if let Some(args) = image.command {
            c = c.command(args);
        }
        if let Some(args) = image.entry_point {
            c = c.entry_point(args);
        }
        if let Some(dir) = image.working_directory {
            c = c.working_directory(dir);
        }
        config = Some(c);
    }
    (generated::Code::new().image_uri(image.uri), config)
}

/// Reports what Lambda refuses beside `PackageType: Image` on the final function `f`.
pub(super) fn check(stack: &mut Stack, id: &str, f: &crate::lambda::Function) {
    let props = f.props();
    if props.get_json("PackageType").is_none_or(|p| p != "Image") {
        return;
    }
    for (property, what) in [
        ("Runtime", "a runtime"),
        ("Handler", "a handler"),
        ("Layers", "layers"),
    ] {
        if props.contains(property) {
            stack.problem(Diagnostic::error(
                Location::property(id, property),
                format!("function `{id}` is a container image and is given {what}, which Lambda refuses with `PackageType: Image` (the image holds its runtime, handler and libraries)"),
                "build them into the image (the handler may be the image config's `command`), or make the function a zip (`Function::new`)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_lambda_runs_are_accepted_and_others_say_why() {
        let ok = [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.0",
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/api:latest",
            &format!(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:{}",
                "a".repeat(64)
            ),
        ];
        for uri in ok {
            assert_eq!(uri_problem(uri), None, "{uri}");
        }
        let bad = [
            ("docker.io/library/python:3.12", "not a private Amazon ECR"),
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api",
                "no tag or digest",
            ),
            (
                "12345.dkr.ecr.eu-west-1.amazonaws.com/api:1",
                "not a private Amazon ECR",
            ),
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:xyz",
                "digest",
            ),
            ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:-x", "tag"),
            ("no-slash", "not a private Amazon ECR"),
        ];
        for (uri, why) in bad {
            let p = uri_problem(uri).unwrap_or_default();
            assert!(p.contains(why), "{uri}: {p}");
        }
    }
}
