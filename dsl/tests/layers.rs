//! Layers: the construct's resource from a directory asset, functions taking it (by
//! handle, generated handle or imported ARN) and the compatibility checks.

use nephos::assertions::Assertions;
use nephos::constructs::{Architecture, Code, Function, LayerVersion, RemovalPolicy, Runtime};
use nephos::kinds::LambdaLayerVersionArn;
use nephos::{Stack, Value};
use serde_json::json;

/// A directory with one file of `content`, unique to this test.
fn dir(name: &str, content: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("nephos-layers-{}-{name}", std::process::id()));
    std::fs::create_dir_all(d.join("python")).unwrap();
    std::fs::write(d.join("python/dep.py"), content).unwrap();
    d
}

fn python(id: &str) -> Function {
    let _ = id;
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn errors(stack: &Stack) -> String {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_layer_from_a_directory_is_shared_by_functions() {
    let mut stack = Stack::new("App");
    let deps = stack.add(
        "Deps",
        LayerVersion::from_dir(dir("shared", "A = 1"))
            .compatible_runtimes([Runtime::Python312, Runtime::Python313])
            .compatible_architectures([Architecture::Arm64])
            .description("shared deps"),
    );
    for id in ["A", "B"] {
        stack.add(
            id,
            python(id).architecture(Architecture::Arm64).layer(&deps),
        );
    }
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let t = a.json();
    let layer = &t["Resources"]["Deps"];
    assert_eq!(layer["Type"], "AWS::Lambda::LayerVersion");
    assert_eq!(
        layer["Properties"]["CompatibleRuntimes"],
        json!(["python3.12", "python3.13"])
    );
    assert_eq!(
        layer["Properties"]["CompatibleArchitectures"],
        json!(["arm64"])
    );
    let key = layer["Properties"]["Content"]["S3Key"].as_str().unwrap();
    assert!(key.starts_with("assets/") && key.ends_with(".zip"), "{key}");
    for id in ["A", "B"] {
        assert_eq!(
            t["Resources"][id]["Properties"]["Layers"],
            json!([{"Ref": "Deps"}])
        );
    }
    // Deleted when replaced unless kept.
    assert!(layer.get("DeletionPolicy").is_none());
}

#[test]
fn new_content_is_a_new_object_key() {
    let key = |content: &str, name: &str| {
        let mut stack = Stack::new("App");
        stack.add("Deps", LayerVersion::from_dir(dir(name, content)));
        stack.synth().unwrap().json()["Resources"]["Deps"]["Properties"]["Content"]["S3Key"].clone()
    };
    assert_ne!(key("A = 1", "v1"), key("A = 2", "v2"));
}

#[test]
fn retain_keeps_old_versions_and_snapshot_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Deps",
        LayerVersion::from_dir(dir("retain", "x")).removal_policy(RemovalPolicy::Retain),
    );
    let t = stack.synth().unwrap();
    assert_eq!(t.json()["Resources"]["Deps"]["DeletionPolicy"], "Retain");
    let mut stack = Stack::new("App");
    stack.add(
        "Deps",
        LayerVersion::from_dir(dir("snap", "x")).removal_policy(RemovalPolicy::Snapshot),
    );
    assert!(errors(&stack).contains("cannot be snapshotted"));
}

#[test]
fn a_function_of_another_runtime_or_architecture_is_refused() {
    let mut stack = Stack::new("App");
    let deps = stack.add(
        "Deps",
        LayerVersion::from_dir(dir("compat", "x"))
            .compatible_runtimes([Runtime::Python311])
            .compatible_architectures([Architecture::Arm64]),
    );
    stack.add("Api", python("Api").layer(&deps));
    let e = errors(&stack);
    assert!(
        e.contains("runtime `python3.12`, which layer `Deps` does not declare"),
        "{e}"
    );
    assert!(e.contains("architecture `x86_64`"), "{e}");
}

#[test]
fn more_runtimes_than_lambda_takes_are_refused_by_the_schema() {
    use Runtime::*;
    let sixteen = [
        Python38, Python39, Python310, Python311, Python312, Python313, Python314, Nodejs18X,
        Nodejs20X, Nodejs22X, Java11, Java17, Java21, Dotnet8, Ruby32, Ruby33,
    ];
    let mut stack = Stack::new("App");
    stack.add(
        "Deps",
        LayerVersion::from_dir(dir("schema", "x")).compatible_runtimes(sixteen),
    );
    let e = errors(&stack);
    assert!(
        e.contains("Deps") && e.contains("CompatibleRuntimes"),
        "{e}"
    );
}

#[test]
fn imported_layers_by_arn_and_the_five_layer_limit() {
    let arn = |n: u32| {
        Value::<LambdaLayerVersionArn>::literal(format!(
            "arn:aws:lambda:eu-west-1:123456789012:layer:l{n}:1"
        ))
    };
    let mut stack = Stack::new("App");
    stack.add("Api", python("Api").layer(&arn(1)));
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["Api"]["Properties"]["Layers"],
        json!(["arn:aws:lambda:eu-west-1:123456789012:layer:l1:1"])
    );
    let mut stack = Stack::new("App");
    let f = (1..=6).fold(python("Api"), |f, n| f.layer(&arn(n)));
    stack.add("Api", f);
    let e = errors(&stack);
    assert!(e.contains("Layers"), "{e}");
}

/// A literal layer version ARN joins the stack's Region reasoning like an import: a
/// template rule for its Region, the "two Regions" refusal beside an import of another
/// Region, and the check against the Region `StackSettings` gives.
#[test]
fn a_literal_layers_region_is_the_stacks_region() {
    let insights = Value::<LambdaLayerVersionArn>::literal(
        "arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53",
    );
    // Alone: a rule pinning the stack to eu-west-1.
    let mut stack = Stack::new("App");
    stack.add("W", python("W").layer(&insights));
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Rules"]["ImportsRegionEuWest1"]["Assertions"][0]["Assert"]["Fn::Equals"][1],
        "eu-west-1"
    );

    // Beside an imported queue of us-east-1: refused, naming both.
    let mut stack = Stack::new("App");
    let w = stack.add("W", python("W").layer(&insights));
    nephos::constructs::Queue::from_arn("arn:aws:sqs:us-east-1:123456789012:jobs")
        .unwrap()
        .trigger_with(
            &mut stack,
            &w,
            nephos::constructs::wiring::sqs::SqsTrigger::new(10),
        );
    let e = errors(&stack);
    assert!(
        e.contains("layer `arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53` of function `W`")
            && e.contains("us-east-1"),
        "{e}"
    );

    // Given by `configure` too (the final function's layers are read).
    let mut stack = Stack::new("App");
    stack.add(
        "W",
        python("W").configure(|f| {
            f.add_layers(Value::<LambdaLayerVersionArn>::literal(
                "arn:aws:lambda:ap-south-1:123456789012:layer:deps:1",
            ))
        }),
    );
    let t = stack.synth().unwrap();
    assert!(t.json()["Rules"]["ImportsRegionApSouth1"].is_object());

    // The stack's Region given: a layer of another Region is refused.
    let mut stack = Stack::new("App");
    stack.add("W", python("W").layer(&insights));
    let mut app = nephos::App::new();
    app.stack(stack, nephos::StackSettings::new("app").region("us-east-1"));
    let e = app.synth().unwrap_err().to_string();
    assert!(e.contains("layer `arn:aws:lambda:eu-west-1"), "{e}");

    // A layer of the stack (a reference) says nothing of a Region.
    let mut stack = Stack::new("App");
    let layer = stack.add("Deps", LayerVersion::from_dir(dir("region", "x = 1")));
    stack.add("W", python("W").layer(&layer));
    let t = stack.synth().unwrap();
    assert!(t.json().get("Rules").is_none(), "{}", t.json());
}
