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
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Uploads each asset not already in the bucket (keys are content hashes, so an existing
/// key holds the same bytes); returns how many were uploaded.
pub async fn upload_assets(
    staging: &dyn Staging,
    bucket: &str,
    dir: &Path,
    assets: &[Asset],
) -> Result<usize, CfnError> {
    let mut uploaded = 0;
    for a in assets {
        if staging.object_exists(bucket, &a.object_key).await? {
            continue;
        }
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
        // A built asset is named by its sources' hash, checked when it was built.
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
        staging.put_object(bucket, &a.object_key, bytes).await?;
        uploaded += 1;
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
    let key = format!("templates/{stack}/{}.json", sha256_hex(body.as_bytes()));
    if !staging.object_exists(bucket, &key).await? {
        staging
            .put_object(bucket, &key, body.as_bytes().to_vec())
            .await?;
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
        std::fs::create_dir_all(&dir).unwrap_or_default();
        crate::source::bounded::make_fifo(&dir, "code.zip");
        let asset = Asset {
            sha256: sha256_hex(b""),
            path: "code.zip".into(),
            object_key: "assets/x.zip".into(),
            build: None,
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
