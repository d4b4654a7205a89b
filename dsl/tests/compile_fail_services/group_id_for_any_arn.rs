//! A Lambda permission's `SourceArn` takes any resource's ARN (`AnyArn`): every ARN kind
//! converts into it, a security group's ID does not.
use nephos::Stack;
use nephos::ec2::SecurityGroup;
use nephos::lambda::Permission;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("web"));
    let _ = Permission::new(
        "lambda:InvokeFunction",
        nephos::Value::<nephos::kinds::LambdaFunctionName>::literal("fn"),
        "events.amazonaws.com",
    )
    .source_arn(group.group_id());
}
