//! Uploading assets and large templates to the staging bucket that `nephos bootstrap`
//! creates.

use std::path::Path;

use nephos::assembly::{Asset, STAGING_BUCKET};
use sha2::{Digest, Sha256};

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::seam::Staging;
use crate::output::escape::escape_line;

/// CloudFormation's limit for an inline `TemplateBody`; larger templates go by URL.
pub const MAX_INLINE_TEMPLATE: usize = 51_200;

/// The staging bucket's name for an account and region (`STAGING_BUCKET` resolved).
pub fn bucket_name(account: &str, region: &str) -> String {
    STAGING_BUCKET
        .replace("${AWS::AccountId}", account)
        .replace("${AWS::Region}", region)
}

/// Resolves the bucket through STS and checks that it exists, with the fix if it does not.
pub async fn resolve_bucket(staging: &dyn Staging) -> Result<String, CfnError> {
    let account = staging.account_id().await?;
    let bucket = bucket_name(&account, &staging.region());
    if !staging.bucket_exists(&bucket).await? {
        return Err(CfnError::new(
            ErrorKind::NotFound,
            format!("the staging bucket {bucket} does not exist: run `nephos bootstrap` first"),
        ));
    }
    Ok(bucket)
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` in lower-case hex (a digest as manifests and S3 keys name it).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Uploads each asset not already in the bucket; returns how many were uploaded.
///
/// Each file is read and hashed first: a file asset must have the manifest's SHA-256 (a
/// built one is named by its sources' hash, checked when it was built, so its zip's own
/// hash is what the bucket must hold). Keys are content hashes, but an object already
/// under the key is not trusted for it: its SHA-256 ([`Staging::object_sha256`]) must be
/// the file's, or the deploy stops, naming the asset and both hashes.
///
/// # Errors
/// An asset that cannot be read, a file changed since synth, an object in the bucket
/// that holds other bytes than the asset, or a failed S3 call.
pub async fn upload_assets(
    staging: &dyn Staging,
    bucket: &str,
    dir: &Path,
    assets: &[Asset],
) -> Result<usize, CfnError> {
    let mut uploaded = 0;
    for a in assets {
        let path = dir.join(&a.path);
        // A regular file only, bounded: a FIFO or device named by the manifest must not
        // hang the deploy (after STS and DescribeStacks have run).
        let bytes = crate::source::bounded::read_bounded_bytes(
            &path,
            crate::source::bounded::MAX_ASSET_BYTES,
        )
        .map_err(|e| {
            CfnError::new(
                ErrorKind::Other,
                format!(
                    "cannot read asset {} (the manifest names it): {e}; next: run `nephos synth` to write the assembly anew",
                    path.display()
                ),
            )
        })?;
        let actual = sha256_hex(&bytes);
        if a.build.is_none() && actual != a.sha256 {
            return Err(CfnError::new(
                ErrorKind::Other,
                format!(
                    "asset {} has changed since synth (sha256 {actual}, manifest {}); next: run `nephos synth` again",
                    escape_line(&a.path),
                    escape_line(&a.sha256)
                ),
            ));
        }
        // Checked again as the bytes are read for upload: the zip must still be the one
        // the deployer built and recorded ([`crate::build::ensure_built`]).
        if a.build.is_some() && a.zip_sha256.as_deref() != Some(actual.as_str()) {
            return Err(CfnError::new(
                ErrorKind::Other,
                format!(
                    "asset {} is not the zip nephos built for it (sha256 {actual}, the manifest records {}); nothing was deployed; next: run `nephos synth` again where the handler's sources are",
                    escape_line(&a.path),
                    a.zip_sha256.as_deref().map_or("none".into(), escape_line)
                ),
            ));
        }
        match staging.object_sha256(bucket, &a.object_key).await? {
            None => {
                staging.put_object(bucket, &a.object_key, bytes).await?;
                uploaded += 1;
            }
            Some(held) if held == actual => {}
            Some(held) => {
                return Err(CfnError::new(
                    ErrorKind::Other,
                    format!(
                        "asset {}: the staging bucket already holds other bytes under its key s3://{bucket}/{} (sha256 {}, the asset's {actual}); nothing was deployed. The object was changed after upload{}; next: look at who wrote it (CloudTrail), delete it (`aws s3 rm s3://{bucket}/{}`) and deploy again",
                        escape_line(&a.path),
                        escape_line(&a.object_key),
                        escape_line(&held),
                        if a.build.is_some() {
                            " or built elsewhere from the same sources into other bytes"
                        } else {
                            ""
                        },
                        escape_line(&a.object_key),
                    ),
                ));
            }
        }
    }
    Ok(uploaded)
}

/// Uploads a template body and returns its URL.
pub async fn upload_template(
    staging: &dyn Staging,
    bucket: &str,
    stack: &str,
    body: &str,
) -> Result<String, CfnError> {
    let sha = sha256_hex(body.as_bytes());
    let key = format!("templates/{stack}/{sha}.json");
    // CloudFormation reads the template from the bucket: an object already under its key
    // must hold these bytes, like an asset's.
    match staging.object_sha256(bucket, &key).await? {
        None => {
            staging
                .put_object(bucket, &key, body.as_bytes().to_vec())
                .await?;
        }
        Some(held) if held == sha => {}
        Some(held) => {
            return Err(CfnError::new(
                ErrorKind::Other,
                format!(
                    "the staging bucket already holds other bytes under the template's key s3://{bucket}/{} (sha256 {}, the template's {sha}); nothing was deployed; next: delete it (`aws s3 rm s3://{bucket}/{}`) and deploy again",
                    escape_line(&key),
                    escape_line(&held),
                    escape_line(&key)
                ),
            ));
        }
    }
    Ok(staging.object_url(bucket, &key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_asset_that_is_a_fifo_is_refused_at_once() {
        let dir = std::env::temp_dir().join(format!("nephos-fifo-asset-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the test directory");
        crate::source::bounded::make_fifo(&dir, "code.zip");
        let asset = Asset {
            sha256: sha256_hex(b""),
            path: "code.zip".into(),
            object_key: "assets/x.zip".into(),
            build: None,
            zip_sha256: None,
        };
        let at = dir.clone();
        let r = crate::source::bounded::promptly(move || {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime")
                .block_on(upload_assets(
                    &crate::deploy::fake::FakeStaging::default(),
                    "b",
                    &at,
                    &[asset],
                ))
        });
        let e = r.expect_err("refused");
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn run<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn an_asset_is_checked_against_the_manifest_and_the_object_already_in_the_bucket() {
        let dir = std::env::temp_dir().join(format!("nephos-asset-sha-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the test directory");
        std::fs::write(dir.join("code.zip"), b"the code").expect("the asset file");
        let good = sha256_hex(b"the code");
        let asset = |sha: &str| Asset {
            sha256: sha.into(),
            path: "code.zip".into(),
            object_key: format!("assets/{good}.zip"),
            build: None,
            zip_sha256: None,
        };
        // Not in the bucket: uploaded, and the next deploy finds it as it is.
        let staging = crate::deploy::fake::FakeStaging::default();
        assert_eq!(
            run(upload_assets(&staging, "b", &dir, &[asset(&good)])).ok(),
            Some(1)
        );
        assert_eq!(
            run(upload_assets(&staging, "b", &dir, &[asset(&good)])).ok(),
            Some(0)
        );

        // The file changed after synth: nothing uploaded.
        let staging = crate::deploy::fake::FakeStaging::default();
        let other = sha256_hex(b"other");
        let e =
            run(upload_assets(&staging, "b", &dir, &[asset(&other)])).expect_err("tampered file");
        let e = e.to_string();
        assert!(
            e.contains("code.zip has changed since synth")
                && e.contains(&good)
                && e.contains(&other),
            "{e}"
        );
        assert!(staging.objects().is_empty());

        // Another body under the content-addressed key: stopped, both hashes named, the
        // object left as it is.
        let staging = crate::deploy::fake::FakeStaging::default();
        staging.hold("b", &format!("assets/{good}.zip"), b"tampered");
        let e =
            run(upload_assets(&staging, "b", &dir, &[asset(&good)])).expect_err("tampered object");
        let e = e.to_string();
        let held = sha256_hex(b"tampered");
        assert!(
            e.contains("asset code.zip")
                && e.contains(&held)
                && e.contains(&good)
                && e.contains("aws s3 rm"),
            "{e}"
        );
        assert!(staging.puts.lock().map(|p| p.is_empty()).unwrap_or(false));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A built zip is uploaded only with the hash the deployer recorded when it wrote it:
    /// one swapped in after the build (or never recorded) is refused as its bytes are read.
    #[test]
    fn a_built_zip_is_uploaded_only_with_the_hash_recorded_when_it_was_written() {
        let dir = std::env::temp_dir().join(format!("nephos-asset-zip-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the test directory");
        std::fs::write(dir.join("h.zip"), b"PLANTED").expect("the zip");
        let key = "0".repeat(64);
        let built = |recorded: Option<String>| Asset {
            sha256: key.clone(),
            path: "h.zip".into(),
            object_key: format!("assets/{key}.zip"),
            build: Some(nephos::assembly::RustBuild::new("/w", "/w/h", "h", "h")),
            zip_sha256: recorded,
        };
        let planted = sha256_hex(b"PLANTED");
        for recorded in [None, Some(sha256_hex(b"the built zip"))] {
            let staging = crate::deploy::fake::FakeStaging::default();
            let e = run(upload_assets(&staging, "b", &dir, &[built(recorded)]))
                .expect_err("not the zip nephos built");
            let e = e.to_string();
            assert!(
                e.contains("h.zip is not the zip nephos built") && e.contains(&planted),
                "{e}"
            );
            assert!(staging.objects().is_empty());
        }
        let staging = crate::deploy::fake::FakeStaging::default();
        let uploaded = run(upload_assets(&staging, "b", &dir, &[built(Some(planted))]));
        assert_eq!(uploaded.ok(), Some(1), "the recorded zip");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_template_object_with_other_bytes_under_its_key_stops_the_deploy() {
        let staging = crate::deploy::fake::FakeStaging::default();
        let key = format!("templates/api/{}.json", sha256_hex(b"{}"));
        staging.hold("b", &key, b"{\"Resources\": {}}");
        let e = run(upload_template(&staging, "b", "api", "{}")).expect_err("tampered");
        assert!(
            e.to_string()
                .contains("other bytes under the template's key"),
            "{e}"
        );
        let fresh = crate::deploy::fake::FakeStaging::default();
        let url = run(upload_template(&fresh, "b", "api", "{}")).unwrap_or_else(|e| panic!("{e}"));
        assert!(url.ends_with(&key), "{url}");
    }

    #[test]
    fn the_bucket_name_resolves_the_pseudo_parameters() {
        assert_eq!(
            bucket_name("123456789012", "eu-west-1"),
            "nephos-staging-123456789012-eu-west-1"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
