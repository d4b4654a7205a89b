//! Loading the standard AWS configuration (profiles, environment, `--region`, `--profile`,
//! `AWS_ENDPOINT_URL`), bounding every call in time, and turning a missing or wrong region,
//! profile or credential into one clear line.

use std::time::Duration;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use nephos::assembly::check_region;

use crate::cfn::answers::Checked;
use crate::cfn::sdk::{CallInfo, Endpoints, SdkCloudFormation, SdkIam, SdkStaging};
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// How long a TCP connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one call may take, retries included (and how long a response may stall):
/// an endpoint that accepts connections and never answers fails after this, naming itself.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long an upload to the staging bucket may take in all (assets can be large; a stall
/// is still cut by [`CALL_TIMEOUT`] as a read timeout).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Attempts per call, the first included. The SDK's standard retry (exponential backoff with
/// jitter, throttling and transient errors only, idempotency tokens kept) is the only retry
/// policy of real calls; nephos adds none on top (see `RetryPolicy::SDK`).
pub const MAX_ATTEMPTS: u32 = 3;

/// Overrides of the standard configuration.
#[derive(Clone, Debug, Default)]
pub struct AwsSettings {
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// An endpoint for every service (tests; users set `AWS_ENDPOINT_URL`).
    pub endpoint_url: Option<String>,
    /// SDK attempts per call (1 disables the SDK's retries, as tests against moto need).
    pub max_attempts: Option<u32>,
    /// Static credentials (tests), instead of the credential chain.
    pub static_credentials: Option<(String, String)>,
    /// The bound of one call instead of [`CALL_TIMEOUT`] (tests).
    pub call_timeout: Option<Duration>,
}

/// The clients the commands use.
#[derive(Clone, Debug)]
pub struct Clients {
    /// CloudFormation as the SDK answers it, unchecked: only for tests' own set-up calls.
    /// Commands go through [`Clients::cloudformation`].
    pub cfn: SdkCloudFormation,
    /// The same client with every answer checked like local input ([`Checked`]).
    checked: Checked<SdkCloudFormation>,
    /// S3 and STS, every answer checked (`cfn/answers_services.rs`); the SDK clients are
    /// `.0`, for tests' own set-up calls.
    pub staging: Checked<SdkStaging>,
    /// IAM, every answer checked.
    pub iam: Checked<SdkIam>,
    /// CloudWatch Logs (`nephos logs`), every answer checked.
    pub logs: Checked<crate::cfn::logs::SdkLogs>,
    /// Lambda (`deploy --hotswap`), every answer checked.
    pub lambda: Checked<crate::cfn::lambda::SdkLambda>,
    /// The region in use.
    pub region: String,
}

impl Clients {
    /// CloudFormation with every answer bounded and validated before a decision reads it
    /// (`cfn/answers.rs`): what every command uses.
    pub fn cloudformation(&self) -> &Checked<SdkCloudFormation> {
        &self.checked
    }
}

/// Loads the configuration and checks that a valid region, the named profile and
/// credentials exist, before any call is made.
pub async fn connect(settings: &AwsSettings) -> Result<Clients> {
    check_profile_files(&profile_files(|k| std::env::var_os(k)))?;
    if let Some(r) = &settings.region {
        check_region(r)
            .map_err(|why| Error::new(format!("--region `{}` {why}", escape_line(r))))?;
    }
    let call = settings.call_timeout.unwrap_or(CALL_TIMEOUT);
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(call))
            .read_timeout(call)
            .operation_timeout(call)
            .build(),
    );
    // Without an override the SDK's default is the standard mode with MAX_ATTEMPTS
    // attempts, and AWS_MAX_ATTEMPTS / AWS_RETRY_MODE keep working.
    if let Some(n) = settings.max_attempts {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(n.max(1)));
    }
    if let Some(r) = &settings.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(p) = &settings.profile {
        check_profile_exists(p).await?;
        loader = loader.profile_name(p);
        // As in the AWS CLI, an explicit profile wins over credentials in the environment:
        // the default chain would read AWS_ACCESS_KEY_ID first and sign with another account.
        if settings.static_credentials.is_none() {
            loader = loader.credentials_provider(
                ProfileFileCredentialsProvider::builder()
                    .profile_name(p)
                    .build(),
            );
        }
    }
    if let Some(e) = &settings.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    if let Some((id, secret)) = &settings.static_credentials {
        loader =
            loader.credentials_provider(Credentials::new(id, secret, None, None, "nephos-static"));
    }
    let config = loader.load().await;
    let region = check(&config, settings).await?;
    tracing::info!(region = %region, endpoint = ?config.endpoint_url(), profile = ?settings.profile, "AWS configuration loaded");
    let endpoints = Endpoints::new(config.endpoint_url(), &region);
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        // A custom endpoint (an emulator) has no per-bucket host names.
        .force_path_style(config.endpoint_url().is_some())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(call))
                .read_timeout(call)
                .operation_timeout(UPLOAD_TIMEOUT)
                .build(),
        )
        .build();
    let cfn = SdkCloudFormation(
        aws_sdk_cloudformation::Client::new(&config),
        CallInfo {
            endpoint: endpoints.cloudformation.clone(),
            call_timeout: call,
        },
    );
    Ok(Clients {
        checked: Checked(cfn.clone()),
        cfn,
        staging: Checked(SdkStaging {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sts: aws_sdk_sts::Client::new(&config),
            region: region.clone(),
            endpoints: endpoints.clone(),
            call_timeout: call,
            owner: tokio::sync::OnceCell::new(),
        }),
        iam: Checked(SdkIam(
            aws_sdk_iam::Client::new(&config),
            CallInfo {
                endpoint: endpoints.iam.clone(),
                call_timeout: call,
            },
        )),
        logs: Checked(crate::cfn::logs::SdkLogs(
            aws_sdk_cloudwatchlogs::Client::new(&config),
            CallInfo {
                endpoint: config.endpoint_url().map_or_else(
                    || format!("https://logs.{region}.amazonaws.com"),
                    str::to_owned,
                ),
                call_timeout: call,
            },
        )),
        lambda: Checked(crate::cfn::lambda::SdkLambda(
            aws_sdk_lambda::Client::new(&config),
            CallInfo {
                endpoint: config.endpoint_url().map_or_else(
                    || format!("https://lambda.{region}.amazonaws.com"),
                    str::to_owned,
                ),
                call_timeout: call,
            },
        )),
        region,
    })
}

/// The shared config and credentials files the SDK reads: `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials` ("Location
/// of the shared files", AWS SDKs and Tools Reference Guide). `var` reads the environment.
fn profile_files(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Vec<std::path::PathBuf> {
    let home = var("HOME").map(std::path::PathBuf::from);
    [
        ("AWS_CONFIG_FILE", "config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
    .into_iter()
    .filter_map(|(key, name)| {
        var(key)
            .map(Into::into)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    })
    .collect()
}

/// Fails when one of `files` exists and is not a regular file: the SDK would read a FIFO
/// without bound (waiting for a writer), so it is refused here first. A missing file is
/// fine (the SDK reads it as empty).
fn check_profile_files(files: &[std::path::PathBuf]) -> Result<()> {
    for f in files {
        // Other errors (missing, unreadable) are the SDK's to report as it does.
        if let Err(e) = crate::source::bounded::open_regular(f)
            && e.kind() == std::io::ErrorKind::InvalidInput
        {
            return Err(Error::new(format!(
                "cannot read the AWS profile file {}: {e}",
                escape_line(&f.display().to_string())
            )));
        }
    }
    Ok(())
}

/// Fails unless `profile` is a section of the shared config or credentials file (the files
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name, else `~/.aws/`).
async fn check_profile_exists(profile: &str) -> Result<()> {
    let shown = escape_line(profile);
    let set = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &EnvConfigFiles::default(),
        Some(profile.to_owned().into()),
    )
    .await
    .map_err(|e| {
        Error::new(format!(
            "cannot read the AWS profile files for profile {shown}: {}",
            escape_line(&e.to_string())
        ))
    })?;
    if set.get_profile(profile).is_none() {
        return Err(Error::new(format!(
            "profile {shown} not found in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): check its name with `aws configure list-profiles`"
        )));
    }
    Ok(())
}

async fn check(config: &SdkConfig, settings: &AwsSettings) -> Result<String> {
    let profile = settings
        .profile
        .as_deref()
        .map(|p| format!(" (profile {})", escape_line(p)))
        .unwrap_or_default();
    let Some(region) = config.region() else {
        return Err(Error::new(format!(
            "no AWS region configured{profile}: pass --region, set AWS_REGION, or set `region` in your AWS profile"
        )));
    };
    check_region(region.as_ref()).map_err(|why| {
        Error::new(format!(
            "the configured region `{}`{profile} {why}: fix AWS_REGION or the profile's `region`, or pass --region",
            escape_line(region.as_ref())
        ))
    })?;
    let Some(provider) = config.credentials_provider() else {
        return Err(Error::new(format!(
            "no AWS credentials provider configured{profile}"
        )));
    };
    if let Err(e) = provider.provide_credentials().await {
        let cause = escape_line(&e.to_string()).into_owned();
        return Err(Error::new(format!(
            "no AWS credentials found{profile}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or log in (`aws sso login`) [{cause}]"
        )));
    }
    Ok(region.to_string())
}

#[cfg(test)]
mod profile_file_tests {
    use super::*;

    #[test]
    fn the_environment_names_the_profile_files_else_home() {
        let env = |k: &str| match k {
            "HOME" => Some("/h".into()),
            "AWS_CONFIG_FILE" => Some("/etc/aws.conf".into()),
            _ => None,
        };
        let files = profile_files(env);
        assert_eq!(
            files,
            [
                std::path::PathBuf::from("/etc/aws.conf"),
                std::path::PathBuf::from("/h/.aws/credentials")
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_a_profile_file_is_refused_at_once_and_a_missing_one_is_not() {
        let dir = std::env::temp_dir().join(format!("nephos-fifo-aws-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let fifo = crate::source::bounded::make_fifo(&dir, "config");
        let missing = dir.join("credentials");
        assert!(check_profile_files(std::slice::from_ref(&missing)).is_ok());
        let e = crate::source::bounded::promptly(move || check_profile_files(&[missing, fifo]))
            .expect_err("refused");
        assert!(e.0.contains("not a regular file"), "{}", e.0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
