//! An imported topic's resource policy cannot be changed here: no statement goes to it.
use nephos::Stack;
use nephos::constructs::Topic;
use nephos::constructs::wiring::resource_policy::add_statement;
use nephos::policy::Statement;

fn main() {
    let mut stack = Stack::new("App");
    let alerts = Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:alerts").unwrap();
    add_statement(&mut stack, &alerts, Statement::allow().action("sns:Publish").resource("*"));
}
