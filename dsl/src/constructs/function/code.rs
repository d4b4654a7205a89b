//! Where a [`Function`](super::Function)'s code comes from, and the `Code` property it
//! becomes when the function is added.

use crate::asset::{Asset, RustBin};
use crate::kind::Str;
use crate::kinds::S3BucketName;
use crate::lambda::function as generated;
use crate::lambda::function::Architectures as Architecture;
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Where a function's code comes from.
#[derive(Clone, Debug)]
pub enum Code {
    /// Source written into the template (`ZipFile`), for small scripts in interpreted
    /// runtimes.
    Inline(String),
    /// An object already in S3.
    S3 {
        /// The bucket.
        bucket: Value<S3BucketName>,
        /// The object key.
        key: Value<Str>,
    },
    /// A local file or directory, zipped into the assembly and uploaded by `nephos deploy`.
    Asset(Asset),
    /// A binary of a package in the app's Cargo workspace, built by `nephos synth` or
    /// `deploy` for Lambda and zipped as `bootstrap` (see [`RustBin`]).
    Rust(RustBin),
}

/// A function's code as the construct holds it: a zip package ([`Code`]) or a container
/// image ([`Function::image`](super::Function::image)), kept apart so that the image's
/// constructor alone decides that no runtime or handler is set.
#[derive(Clone, Debug)]
pub(super) enum Source {
    Zip(Code),
    Image(super::image::ContainerImage),
}

impl From<RustBin> for Code {
    fn from(bin: RustBin) -> Self {
        Code::Rust(bin)
    }
}

impl Code {
    /// Inline source.
    pub fn inline(source: impl Into<String>) -> Self {
        Code::Inline(source.into())
    }

    /// A local asset, such as `Asset::bootstrap("target/lambda/api/bootstrap")`.
    pub fn asset(asset: Asset) -> Self {
        Code::Asset(asset)
    }

    /// The binary `bin` of the workspace package `package`, for `provided.al2023`:
    /// `Code::rust_bin("users-api-handlers", "create-user")`, with options
    /// ([`RustBin::arm64`], [`RustBin::profile`]). Synth records the recipe and a hash of
    /// the sources; `nephos synth`/`deploy` build it with cargo-zigbuild.
    pub fn rust_bin(package: impl Into<String>, bin: impl Into<String>) -> RustBin {
        RustBin::new(package, bin)
    }
}

/// The `Code` property of function `id` for `code`: inline source, an S3 object, or an
/// asset or Rust binary placed in the stack's assembly, read against the function's
/// builder `f`. A Rust binary also returns the architecture it is built for, to set on
/// the function when `f` has none; another one given is a synth error (the binary would
/// not run).
pub(super) fn resolve(
    stack: &mut Stack,
    id: &str,
    code: Code,
    f: &crate::lambda::Function,
) -> (generated::Code, Option<Architecture>) {
    let mut architecture = None;
    let code = match code {
        Code::Inline(src) => generated::Code::new().zip_file(src),
        Code::S3 { bucket, key } => generated::Code::new().s3_bucket(bucket).s3_key(key),
        Code::Asset(asset) => {
            let a = stack.asset(asset);
            generated::Code::new()
                .s3_bucket(a.bucket().cast::<S3BucketName>())
                .s3_key(a.key())
        }
        Code::Rust(bin) => {
            // The function runs on the instruction set the binary is built for.
            let built = if bin.is_arm64() {
                Architecture::Arm64
            } else {
                Architecture::X8664
            };
            match f.props().get_json("Architectures") {
                None => architecture = Some(built),
                Some(set) if set != serde_json::json!([built.as_str()]) => {
                    stack.problem(crate::diagnostic::Diagnostic::error(
                        crate::diagnostic::Location::stack(),
                        format!(
                            "function {id}: architecture {set} differs from the {}'s build ({})",
                            bin.describe(),
                            built.as_str()
                        ),
                        "leave the function's architecture unset (it follows the build), or call `.arm64()` on the binary",
                    ));
                }
                Some(_) => {}
            }
            let a = stack.rust_bin(bin);
            generated::Code::new()
                .s3_bucket(a.bucket().cast::<S3BucketName>())
                .s3_key(a.key())
        }
    };
    (code, architecture)
}
