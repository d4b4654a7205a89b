//! How many of an object's fixed properties are set, checked at synth: the registry
//! schemas' `minProperties`/`maxProperties` on objects with `properties` (generated
//! structs), on real generated types of the default features.
//!
//! - `AWS::Logs::Transformer`'s `Processor` (`minProperties: 1`, `maxProperties: 1`):
//!   each item of `TransformerConfig` is exactly one of 23 processors.
//! - `AWS::S3::StorageLensGroup`'s `And` (`minProperties: 2`): a conjunction of at least
//!   two filters.

use nephos::logs::transformer::{Grok, LowerCaseString, Processor, Transformer};
use nephos::s3::storage_lens_group::{And, Filter, StorageLensGroup};
use nephos::{Diagnostic, Parameter, Stack, Value, equals, fn_if};

/// The properties of `Processor` that count, as the schema lists them.
const PROCESSORS: &str = "AddKeys, CopyValue, Csv, DateTimeConverter, DeleteKeys, Grok, \
    ListToMap, LowerCaseString, MoveKeys, ParseCloudfront, ParseJSON, ParseKeyValue, \
    ParsePostgres, ParseRoute53, ParseToOCSF, ParseVPC, ParseWAF, RenameKeys, SplitString, \
    SubstituteString, TrimString, TypeConverter, UpperCaseString";

/// The errors synth reports (warnings left out).
fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics
            .iter()
            .map(Diagnostic::to_string)
            .filter(|d| d.starts_with("error:"))
            .collect(),
    }
}

fn transformer(processor: Processor) -> Transformer {
    Transformer::new("app-logs", vec![processor])
}

fn grok() -> Grok {
    Grok::new("%{COMMONAPACHELOG}")
}

fn lower() -> LowerCaseString {
    LowerCaseString::new(vec!["method"])
}

/// An item that sets no processor is refused, naming the resource, the item's path, the
/// bound and the processors that count; one processor is accepted.
#[test]
fn a_processor_sets_at_least_one_of_its_properties() {
    let mut stack = Stack::new("App");
    stack.add("Empty", transformer(Processor::new()));
    stack.add("One", transformer(Processor::new().grok(grok())));
    assert_eq!(
        errors(&stack),
        [format!(
            "error: resource `Empty` property `TransformerConfig.0`: sets 0 of its properties, \
             not at least 1 of {PROCESSORS} set\n  fix: set at least 1 of {PROCESSORS}"
        )],
    );
}

/// Two processors in one item are refused with the two named, also when one of them is an
/// `Fn::If` whose both branches set it (an intrinsic counts as set); one that `Fn::If` may
/// remove is not (CloudFormation may get one).
#[test]
fn a_processor_sets_at_most_one_of_its_properties() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    stack.add(
        "Two",
        transformer(Processor::new().grok(grok()).lower_case_string(lower())),
    );
    stack.add(
        "EitherWay",
        transformer(
            Processor::new()
                .grok(grok())
                .lower_case_string(fn_if::<LowerCaseString>(&prod, lower(), lower())),
        ),
    );
    stack.add(
        "Maybe",
        transformer(
            Processor::new()
                .grok(grok())
                .lower_case_string(fn_if::<LowerCaseString>(&prod, lower(), Value::no_value())),
        ),
    );
    let refused = |id: &str| {
        format!(
            "error: resource `{id}` property `TransformerConfig.0`: sets 2 of its properties \
             (Grok, LowerCaseString), not at most 1 of {PROCESSORS} set\n  fix: set at most 1 \
             of {PROCESSORS} (remove the others, or make them conditional with Fn::If)"
        )
    };
    assert_eq!(errors(&stack), [refused("EitherWay"), refused("Two")]);
}

/// An explicit `null` (through `override_property`) is no value: it does not count.
#[test]
fn a_null_property_is_not_set() {
    let mut stack = Stack::new("App");
    let t = stack.add("Nulled", transformer(Processor::new()));
    stack
        .resource(&t)
        .override_property("TransformerConfig.0.Csv", serde_json::Value::Null);
    let e = errors(&stack);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(
            "error: resource `Nulled` property `TransformerConfig.0`: sets 0 of its properties,"
        ),
        "{e:#?}"
    );
}

/// A Storage Lens group's `And` joins at least two filters: one is refused, two are not.
#[test]
fn an_and_filter_sets_at_least_two_of_its_properties() {
    let group = |and: And| StorageLensGroup::new(Filter::new().and(and), "group");
    let mut stack = Stack::new("App");
    stack.add("Lone", group(And::new().match_any_prefix(vec!["logs/"])));
    stack.add(
        "Pair",
        group(
            And::new()
                .match_any_prefix(vec!["logs/"])
                .match_any_suffix(vec![".gz"]),
        ),
    );
    let of = "MatchAnyPrefix, MatchAnySuffix, MatchAnyTag, MatchObjectAge, MatchObjectSize";
    assert_eq!(
        errors(&stack),
        [format!(
            "error: resource `Lone` property `Filter.And`: sets 1 of its properties \
             (MatchAnyPrefix), not at least 2 of {of} set\n  fix: set at least 2 of {of}"
        )],
    );
}
