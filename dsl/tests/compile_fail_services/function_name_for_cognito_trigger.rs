//! A Cognito trigger (`LambdaConfig.PreSignUp`) takes the function's ARN: the registry
//! schema's pattern admits ARNs only (`^arn:...`), so the generator types it `AnyArn`. A
//! function's `Ref` (its name) does not compile there, as it would fail at deploy
//! ("failed to satisfy constraint: Member must satisfy regular expression pattern: arn:...").
use nephos::Stack;
use nephos::cognito::user_pool::LambdaConfig;
use nephos::lambda::Function;
use nephos::lambda::function::Code;

fn main() {
    let mut stack = Stack::new("App");
    let role = nephos::Value::<nephos::kinds::IamRoleArn>::literal(
        "arn:aws:iam::123456789012:role/trigger",
    );
    let func = stack.add("Trigger", Function::new(Code::new().zip_file("x"), role));
    let _ = LambdaConfig::new().pre_sign_up(func.arn());
    let _ = LambdaConfig::new().pre_sign_up(func.name());
}
