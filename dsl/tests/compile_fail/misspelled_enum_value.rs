//! Enum values are Rust enums: a misspelled billing mode does not exist.
use nephos::dynamodb::Table;
use nephos::dynamodb::table::{BillingMode, KeySchema};

fn main() {
    let _ = Table::new(vec![KeySchema::new("id", "HASH")]).billing_mode(BillingMode::PayPerRequset);
}
