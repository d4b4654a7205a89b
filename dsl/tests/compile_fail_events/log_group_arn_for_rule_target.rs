// A log group's `Arn` ends with `:*` (all its streams): an EventBridge target needs the
// plain ARN, so `arn()` does not compile there. It still goes into an IAM policy statement's
// resource and where Step Functions' logging takes that form.
use nephos::Stack;
use nephos::events::rule::{Rule, Target};
use nephos::logs::LogGroup;
use nephos::policy::Statement;
use nephos::stepfunctions::state_machine::CloudWatchLogsLogGroup;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Audit", LogGroup::new());
    let _ = Statement::allow().action("logs:PutLogEvents").resource(group.arn());
    let _ = CloudWatchLogsLogGroup::new().log_group_arn(group.arn());
    let _ = Rule::new().add_targets(Target::new(group.arn(), "Audit"));
}
