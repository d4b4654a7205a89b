// A DynamoDB task is request-response only: Step Functions has no `.sync` or
// `.waitForTaskToken` for `dynamodb:getItem` and the others, so asking one to wait does
// not compile.
use nephos::Stack;
use nephos::constructs::{Key, Table};
use nephos::constructs::state_machine::{AttributeValue, DynamoItem, Task};

fn main() {
    let mut stack = Stack::new("App");
    let table = stack.add("Orders", Table::new(Key::string("id")));
    let get = DynamoItem::get(&table).key("id", AttributeValue::string_at("$.id"));
    let _ = Task::call(get.clone().wait_for_task_token());
    let _ = Task::call(get.sync());
}
