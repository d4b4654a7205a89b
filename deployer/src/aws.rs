//! Loading the standard AWS configuration (profiles, environment, `--region`, `--profile`,
//! `AWS_ENDPOINT_URL`) and turning a missing region or credential into one clear line.

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;

use crate::cfn::sdk::{SdkCloudFormation, SdkIam, SdkStaging};
use crate::error::{Error, Result};

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
}

/// The clients the commands use.
#[derive(Clone, Debug)]
pub struct Clients {
    /// CloudFormation.
    pub cfn: SdkCloudFormation,
    /// S3 and STS.
    pub staging: SdkStaging,
    /// IAM.
    pub iam: SdkIam,
    /// The region in use.
    pub region: String,
}

/// Loads the configuration and checks that a region and credentials exist.
pub async fn connect(settings: &AwsSettings) -> Result<Clients> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(r) = &settings.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(p) = &settings.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &settings.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    if let Some(n) = settings.max_attempts {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(n.max(1)));
    }
    if let Some((id, secret)) = &settings.static_credentials {
        loader =
            loader.credentials_provider(Credentials::new(id, secret, None, None, "nephos-static"));
    }
    let config = loader.load().await;
    let region = check(&config, settings).await?;
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        // A custom endpoint (an emulator) has no per-bucket host names.
        .force_path_style(config.endpoint_url().is_some())
        .build();
    Ok(Clients {
        cfn: SdkCloudFormation(aws_sdk_cloudformation::Client::new(&config)),
        staging: SdkStaging {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sts: aws_sdk_sts::Client::new(&config),
            region: region.clone(),
        },
        iam: SdkIam(aws_sdk_iam::Client::new(&config)),
        region,
    })
}

async fn check(config: &SdkConfig, settings: &AwsSettings) -> Result<String> {
    let profile = settings
        .profile
        .as_deref()
        .map(|p| format!(" (profile {p})"))
        .unwrap_or_default();
    let Some(region) = config.region() else {
        return Err(Error::new(format!(
            "no AWS region configured{profile}: pass --region, set AWS_REGION, or set `region` in your AWS profile"
        )));
    };
    let Some(provider) = config.credentials_provider() else {
        return Err(Error::new(format!(
            "no AWS credentials provider configured{profile}"
        )));
    };
    if let Err(e) = provider.provide_credentials().await {
        let cause = e.to_string();
        return Err(Error::new(format!(
            "no AWS credentials found{profile}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or log in (`aws sso login`) [{cause}]"
        )));
    }
    Ok(region.to_string())
}
