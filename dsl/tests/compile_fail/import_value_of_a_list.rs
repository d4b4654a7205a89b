//! CloudFormation exports are strings, so `Fn::ImportValue` returns a string kind: a list
//! does not compile (import the joined text and `split_as` it).
use nephos::Value;
use nephos::kind::{List, Str};

fn main() {
    let _: Value<List<Str>> = nephos::import_value("shared-subnets");
}
