//! Container-image functions (`Function::image`): `PackageType: Image` with the image's
//! URI and config and no runtime, handler or layers; an image in an `AWS::ECR::Repository`
//! of the stack, whose policy lets Lambda pull it; what Lambda refuses is a synth error;
//! cfn-lint over a stack using them. Run with `--features ecr`.
#![cfg(feature = "ecr")]

use nephos::assertions::Assertions;
use nephos::constructs::{Architecture, ContainerImage, Function, Runtime};
use nephos::kinds::LambdaLayerVersionArn;
use nephos::{Param, Stack, Value, kind::Str};
use serde_json::{Value as J, json};

mod roundtrip_support;

const URI: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.0";

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn errors(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

fn images(stack: &mut Stack, _: &Param<Str>) {
    build(stack);
}

fn build(stack: &mut Stack) {
    stack.add(
        "ByUri",
        Function::image(
            ContainerImage::uri(URI)
                .command(["app.handler"])
                .entry_point(["/lambda-entrypoint.sh"])
                .working_directory("/var/task"),
        )
        .architecture(Architecture::Arm64),
    );
    let repo = stack.add("Repo", nephos::ecr::Repository::new());
    stack.add(
        "ByTag",
        Function::image(ContainerImage::repository(&repo, "v1")),
    );
    stack.add(
        "ByDigest",
        Function::image(ContainerImage::repository_digest(
            &repo,
            format!("sha256:{}", "0".repeat(64)),
        )),
    );
}

#[test]
fn an_image_function_has_the_image_and_no_runtime_handler_or_layers() {
    let mut stack = Stack::new("App");
    build(&mut stack);
    let t = synth(&stack);
    let p = &t["Resources"]["ByUri"]["Properties"];
    assert_eq!(p["PackageType"], "Image");
    assert_eq!(p["Code"], json!({"ImageUri": URI}));
    assert_eq!(
        p["ImageConfig"],
        json!({"Command": ["app.handler"], "EntryPoint": ["/lambda-entrypoint.sh"], "WorkingDirectory": "/var/task"})
    );
    assert_eq!(p["Architectures"], json!(["arm64"]));
    for absent in ["Runtime", "Handler", "Layers"] {
        assert!(p.get(absent).is_none(), "{absent}: {p}");
    }
}

#[test]
fn an_image_of_a_repository_of_the_stack_is_pulled_by_lambda_through_its_policy() {
    let mut stack = Stack::new("App");
    build(&mut stack);
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["ByTag"]["Properties"]["Code"]["ImageUri"],
        json!({"Fn::Sub": "${Repo.RepositoryUri}:v1"})
    );
    assert_eq!(
        t["Resources"]["ByDigest"]["Properties"]["Code"]["ImageUri"],
        json!({"Fn::Sub": format!("${{Repo.RepositoryUri}}@sha256:{}", "0".repeat(64))})
    );
    let statements = t["Resources"]["Repo"]["Properties"]["RepositoryPolicyText"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Two functions, one statement.
    assert_eq!(statements.len(), 1, "{statements:?}");
    let s = &statements[0];
    assert_eq!(s["Principal"]["Service"], json!(["lambda.amazonaws.com"]));
    let actions = s["Action"].to_string();
    assert!(
        actions.contains("ecr:BatchGetImage") && actions.contains("ecr:GetDownloadUrlForLayer"),
        "{s}"
    );
    assert!(
        s["Condition"]["StringLike"]["aws:sourceArn"].is_object(),
        "{s}"
    );
}

#[test]
fn what_lambda_refuses_beside_an_image_is_a_synth_error() {
    let layer = Value::<LambdaLayerVersionArn>::literal(
        "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53",
    );
    let mut stack = Stack::new("App");
    stack.add(
        "F",
        Function::image(ContainerImage::uri(URI))
            .layer(&layer)
            .configure(|f| f.runtime(Runtime::Python312).handler("index.handler")),
    );
    let e = errors(&stack);
    for what in ["a runtime", "a handler", "layers"] {
        assert!(e.contains(&format!("is given {what}")), "{what}: {e}");
    }

    for (uri, why) in [
        (
            "docker.io/library/python:3.12",
            "not a private Amazon ECR image",
        ),
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api",
            "no tag or digest",
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add("F", Function::image(ContainerImage::uri(uri)));
        let e = errors(&stack);
        assert!(e.contains(why), "{uri}: {e}");
    }

    let mut stack = Stack::new("App");
    let repo = stack.add("Repo", nephos::ecr::Repository::new());
    stack.add(
        "F",
        Function::image(ContainerImage::repository(&repo, "-bad")),
    );
    assert!(errors(&stack).contains("tag `-bad`"));
}

#[test]
fn image_functions_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::ImageFunctions", images)]);
}
