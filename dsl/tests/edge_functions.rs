//! A Lambda version's ARN is its own kind (`LambdaVersionFunctionArn`): CloudFront's
//! Lambda@Edge association takes it (and a function's unversioned ARN does not compile
//! there: `tests/compile_fail_edge/`), and it still goes wherever a function's ARN does.
#![cfg(all(feature = "cloudfront", feature = "lambda", feature = "iam"))]

use nephos::Stack;
use nephos::cloudfront::distribution::LambdaFunctionAssociation;
use nephos::iam::Role;
use nephos::kinds::{LambdaFunctionArn, LambdaVersionFunctionArn};
use nephos::lambda::function::Code;
use nephos::lambda::{Function, Url, Version};
use nephos::policy::PolicyDocument;
use nephos::{IntoValue, Value};

#[test]
fn a_version_arn_goes_to_an_edge_association_and_where_a_function_arn_does() {
    let mut stack = Stack::new("App");
    let role = stack.add("Role", Role::new(PolicyDocument::new()));
    let f = stack.add("Fn", Function::new(Code::new().zip_file("x"), role.arn()));
    let v = stack.add("V1", Version::new(f.name()));
    let version: Value<LambdaVersionFunctionArn> = v.function_arn();
    let association = LambdaFunctionAssociation::new()
        .event_type("viewer-request")
        .lambda_function_arn(&version);
    assert_eq!(
        association.into_value().to_json()["LambdaFunctionARN"],
        serde_json::json!({"Ref": "V1"})
    );
    let wide: Value<LambdaFunctionArn> = version.into_value();
    stack.add("Url", Url::new(nephos::lambda::url::AuthType::None, wide));
    let template = stack.synth().expect("synthesizes");
    assert_eq!(
        template.json()["Resources"]["Url"]["Properties"]["TargetFunctionArn"],
        serde_json::json!({"Ref": "V1"})
    );
}
