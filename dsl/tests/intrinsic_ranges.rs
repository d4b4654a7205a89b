//! The literal arguments of `Fn::Select` and `Fn::Cidr` are range-checked at synth (negative
//! literals already do not compile, `tests/compile_fail/`), and the kinds `Fn::ImportValue`
//! and a typed `Fn::Split` give.

use nephos::kind::{List, Str};
use nephos::kinds::Ec2SubnetId;
use nephos::{RawResource, Stack, Value, cidr, import_value, select, split_as};
use serde_json::json;

/// The error messages of synthesizing one queue whose `QueueName` is `value`.
fn errors_for(value: Value<Str>) -> Vec<String> {
    let mut stack = Stack::new("T");
    stack.add(
        "Queue",
        RawResource::new("AWS::SQS::Queue").property("QueueName", value),
    );
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn a_select_index_past_a_literal_list_is_named_with_the_fix() {
    let errors = errors_for(select(2, vec!["a", "b"]));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("resource `Queue` property `QueueName`")
            && errors[0].contains("index 2, past the end of its list of 2 items")
            && errors[0].contains("select an index from 0 to the list's length minus 1"),
        "{errors:?}"
    );
    assert!(errors_for(select(1, vec!["a", "b"])).is_empty());
    // A list known only at deploy time is not judged.
    assert!(errors_for(select(7, nephos::get_azs(""))).is_empty());
}

#[test]
fn a_literal_index_written_as_a_negative_int_value_is_still_refused() {
    let index: Value<nephos::kind::Int> = nephos::IntoValue::into_value(-1i64);
    let errors = errors_for(select(index, vec!["a"]));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("index -1; indexes start at 0")),
        "{errors:?}"
    );
}

/// The errors of `Fn::Cidr` as the source of a `Fn::Select`.
fn cidr_errors(block: &str, count: u32, bits: u32) -> Vec<String> {
    errors_for(select(0, cidr(block, count, bits)))
}

#[test]
fn cidr_counts_and_bits_outside_cloudformation_s_ranges_are_refused() {
    assert!(cidr_errors("10.0.0.0/16", 4, 8).is_empty());
    assert!(cidr_errors("10.0.0.0/16", 256, 8).is_empty());
    let zero = cidr_errors("10.0.0.0/16", 0, 8);
    assert!(
        zero.iter()
            .any(|e| e.contains("asks for 0 CIDR blocks; it makes 1 to 256")),
        "{zero:?}"
    );
    let many = cidr_errors("10.0.0.0/8", 257, 8);
    assert!(
        many.iter().any(|e| e.contains("257 CIDR blocks")),
        "{many:?}"
    );
    let no_bits = cidr_errors("10.0.0.0/16", 4, 0);
    assert!(
        no_bits
            .iter()
            .any(|e| e.contains("0 subnet bits; the block leaves 1 to 16")),
        "{no_bits:?}"
    );
    // A /24 leaves 8 host bits: 9 subnet bits do not fit, nor do 4 blocks of 7 bits.
    let wide = cidr_errors("10.0.0.0/24", 1, 9);
    assert!(
        wide.iter()
            .any(|e| e.contains("9 subnet bits; the block leaves 1 to 8")),
        "{wide:?}"
    );
    let crowded = cidr_errors("10.0.0.0/24", 4, 7);
    assert!(
        crowded
            .iter()
            .any(|e| e.contains("4 blocks of 7 subnet bits, but the block holds only 2")),
        "{crowded:?}"
    );
    // IPv6 blocks leave up to 128 bits.
    assert!(cidr_errors("2001:db8::/56", 256, 64).is_empty());
    let v6 = cidr_errors("2001:db8::/56", 1, 73);
    assert!(
        v6.iter().any(|e| e.contains("the block leaves 1 to 72")),
        "{v6:?}"
    );
}

#[test]
fn an_imported_list_comes_back_typed_through_split_as() {
    let joined: Value<Str> = import_value("network-private-subnets");
    let subnets: Value<List<Ec2SubnetId>> = split_as(",", joined);
    assert_eq!(
        subnets.to_json(),
        json!({"Fn::Split": [",", {"Fn::ImportValue": "network-private-subnets"}]})
    );
    let one: Value<Ec2SubnetId> = import_value("network-subnet-a");
    assert_eq!(
        one.to_json(),
        json!({"Fn::ImportValue": "network-subnet-a"})
    );
}

#[test]
fn a_select_index_past_the_blocks_of_a_literal_count_cidr_is_refused() {
    let errors = errors_for(select(7, cidr("10.0.0.0/16", 4, 8)));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("resource `Queue` property `QueueName`")
            && errors[0].contains("index 7, past the end of its list of 4 items"),
        "{errors:?}"
    );
    assert!(errors_for(select(3, cidr("10.0.0.0/16", 4, 8))).is_empty());
}
