//! Hostile corpus, the target: the profile asked for is the one used (or an error), regions
//! and stack names are checked before any call, each stack is acted on in its manifest's
//! region, and every command that reviews or changes states the account.

mod common;
mod hostile;

use hostile::*;
use nephos_cli::cfn::model::Stack;
use nephos_cli::cfn::seam::CloudFormation;

/// Profile files with a `prod` profile (case 02): region eu-west-1, key AKIAPRODPROFILE.
fn profile_files() -> (String, String) {
    let dir = scratch("profiles");
    let config = dir.join("config");
    let creds = dir.join("credentials");
    std::fs::write(&config, "[profile prod]\nregion = eu-west-1\n").expect("config");
    std::fs::write(
        &creds,
        "[prod]\naws_access_key_id = AKIAPRODPROFILE\naws_secret_access_key = prodsecret\n",
    )
    .expect("credentials");
    (
        config.to_string_lossy().into_owned(),
        creds.to_string_lossy().into_owned(),
    )
}

fn signing_keys(s: &Scripted) -> Vec<String> {
    s.requests()
        .iter()
        .filter_map(|r| {
            let auth = r
                .headers
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))?;
            let cred = auth.split("Credential=").nth(1)?;
            Some(cred.split('/').next()?.to_owned())
        })
        .collect()
}

#[test]
fn an_explicit_profile_wins_over_environment_credentials() {
    let (config, creds) = profile_files();
    let s = Scripted::start(vec![(
        "ListStacks",
        ok_xml("ListStacks", "<StackSummaries></StackSummaries>"),
    )]);
    let mut c = nephos(&s.endpoint);
    c.env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds);
    let r = run(c, &["list", "--profile", "prod"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    let keys = signing_keys(&s);
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| k == "AKIAPRODPROFILE"), "{keys:?}");
}

#[test]
fn without_a_profile_the_environment_credentials_are_used() {
    let s = Scripted::start(vec![(
        "ListStacks",
        ok_xml("ListStacks", "<StackSummaries></StackSummaries>"),
    )]);
    let r = run(nephos(&s.endpoint), &["list"]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    assert!(signing_keys(&s).iter().all(|k| k == "AKIAENVTEST"));
}

#[test]
fn an_unknown_profile_is_an_error_naming_it_before_any_call() {
    let (config, creds) = profile_files();
    let s = Scripted::start(vec![]);
    let mut c = nephos(&s.endpoint);
    c.env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds);
    let r = run(c, &["list", "--profile", "prdo"]);
    assert_refused(&r, &["profile prdo not found"]);
    assert!(s.actions().is_empty(), "{:?}", s.actions());
}

#[test]
fn an_invalid_region_flag_is_refused_before_any_call() {
    let s = Scripted::start(vec![]);
    let r = run(nephos(&s.endpoint), &["list", "--region", "not a region!"]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("is not a region name"), "{}", r.err);
    assert!(!r.err.contains("ConstructionFailure"), "{}", r.err);
    assert!(s.actions().is_empty());
}

#[test]
fn an_invalid_region_in_the_environment_is_refused_before_any_call() {
    let s = Scripted::start(vec![]);
    let mut c = nephos(&s.endpoint);
    c.env("AWS_REGION", "us-east-1/../x");
    let r = run(c, &["list"]);
    assert_refused(&r, &["configured region", "is not a region name"]);
    assert!(s.actions().is_empty());
}

#[test]
fn invalid_stack_names_are_refused_before_any_call() {
    let s = Scripted::start(vec![]);
    let long = "a".repeat(129);
    for (args, why) in [
        (vec!["status", ""], "is empty"),
        (vec!["status", long.as_str()], "129 characters long"),
        (vec!["outputs", "1leading"], "does not start with a letter"),
        (vec!["destroy", "bad_name", "--yes"], "other than letters"),
        (
            vec![
                "diff",
                "--template",
                "deployer/tests/fixtures/users-api.json",
                "--stack-name",
                "ünï",
            ],
            "does not start with a letter",
        ),
        (
            vec!["bootstrap", "--stack-name", "a/../b", "--yes"],
            "other than letters",
        ),
    ] {
        let r = run(nephos(&s.endpoint), &args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.err);
        assert!(r.err.contains(why), "{args:?}: {}", r.err);
    }
    assert!(s.actions().is_empty(), "{:?}", s.actions());
}

/// The stack `name` as DescribeStacks in `region` of `moto` sees it.
async fn stack_in(moto: &common::Moto, region: &str, name: &str) -> Option<Stack> {
    let c = moto.clients_in(region).await;
    c.cfn.describe_stack(name).await.expect("DescribeStacks")
}

#[tokio::test]
async fn each_stack_is_deployed_in_its_own_region_and_one_name_in_two_regions_is_two_stacks() {
    let moto = common::Moto::start();
    // "twin" twice (eu-west-1 and ap-south-1), "east" without a region (the command's).
    let dir = assembly(
        "two-regions",
        r#"{"version":1,"stacks":[
            {"id":"West","stackName":"twin","templateFile":"A.template.json","region":"eu-west-1"},
            {"id":"South","stackName":"twin","templateFile":"A.template.json","region":"ap-south-1"},
            {"id":"East","stackName":"east","templateFile":"A.template.json"}]}"#,
    );
    let dir = dir.to_string_lossy().into_owned();
    let r = run(
        nephos(&moto.endpoint),
        &["deploy", "--assembly", &dir, "--yes"],
    );
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    // The account and region of each region acted in are stated.
    for region in ["us-east-1", "eu-west-1", "ap-south-1"] {
        assert!(
            r.out.contains(&format!("region {region}")),
            "{region}: {}",
            r.out
        );
    }
    let west_id = stack_in(&moto, "eu-west-1", "twin")
        .await
        .map(|s| s.id)
        .unwrap_or_default();
    let south_id = stack_in(&moto, "ap-south-1", "twin")
        .await
        .map(|s| s.id)
        .unwrap_or_default();
    assert!(west_id.contains(":eu-west-1:"), "{west_id}");
    assert!(south_id.contains(":ap-south-1:"), "{south_id}");
    assert!(stack_in(&moto, "us-east-1", "east").await.is_some());
    // Nothing landed in the command's region but the stack placed there.
    assert!(stack_in(&moto, "us-east-1", "twin").await.is_none());
    assert!(stack_in(&moto, "eu-west-1", "east").await.is_none());
    // diff reads each stack where it is: all three deployed, no changes.
    let r = run(nephos(&moto.endpoint), &["diff", "--assembly", &dir]);
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    // destroy of the app removes each twin in its own region.
    let r = run(
        nephos(&moto.endpoint),
        &["destroy", "--assembly", &dir, "--yes"],
    );
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    for region in ["eu-west-1", "ap-south-1"] {
        assert!(stack_in(&moto, region, "twin").await.is_none(), "{region}");
    }
}

#[test]
fn a_stack_in_the_region_of_the_command_is_read_there() {
    let s = Scripted::start(vec![identity()]);
    let dir = assembly(
        "same-region",
        r#"{"version":1,"stacks":[{"id":"A","stackName":"app-region","templateFile":"A.template.json","region":"eu-west-1"}]}"#,
    );
    let r = run(
        nephos(&s.endpoint),
        &[
            "diff",
            "--assembly",
            &dir.to_string_lossy(),
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(r.code, 2, "{} {}", r.out, r.err);
    assert!(r.out.contains("region eu-west-1"), "{}", r.out);
}

#[test]
fn diff_states_the_account_and_region_it_reads() {
    let s = Scripted::start(vec![identity()]);
    let r = run(
        nephos(&s.endpoint),
        &[
            "diff",
            "--template",
            "deployer/tests/fixtures/users-api.json",
            "--stack-name",
            "users-api",
        ],
    );
    assert_eq!(r.code, 2, "{} {}", r.out, r.err);
    assert!(
        r.out
            .starts_with("Target: account 111122223333, region us-east-1\n"),
        "{}",
        r.out
    );
}

#[test]
fn deploy_stops_when_the_account_cannot_be_told() {
    let s = Scripted::start(vec![(
        "GetCallerIdentity",
        error_xml("AccessDenied", "not allowed"),
    )]);
    let r = run(
        nephos(&s.endpoint),
        &[
            "deploy",
            "--template",
            "deployer/tests/fixtures/users-api.json",
            "--stack-name",
            "users-api",
            "--yes",
        ],
    );
    assert_refused(&r, &["GetCallerIdentity failed", "not allowed"]);
    assert_eq!(s.actions(), ["GetCallerIdentity"]);
}

#[test]
fn a_manifest_region_or_stack_name_that_aws_would_reject_is_refused_offline() {
    for (name, manifest, words) in [
        (
            "bad-region",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"a","templateFile":"A.template.json","region":"not a region/../"}]}"#,
            ["stack A: region", "is not a region name"],
        ),
        (
            "bad-name",
            r#"{"version":1,"stacks":[{"id":"A","stackName":"bad_name","templateFile":"A.template.json"}]}"#,
            ["stack A: stackName `bad_name`", "other than letters"],
        ),
    ] {
        let dir = assembly(name, manifest);
        let r = run(
            nephos("http://127.0.0.1:9"),
            &["synth", "--assembly", &dir.to_string_lossy()],
        );
        assert_refused(&r, &words);
    }
}
