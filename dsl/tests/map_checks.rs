//! The counting and key checks the generator reads from the registry schemas, applied at
//! synth: a list's `maxItems` on a list built item by item, a map's `maxProperties` (or the
//! `maxItems` a schema puts on a map), and the key pattern of a closed map
//! (`patternProperties` with `additionalProperties: false`). The map-shaped `Tags` cases
//! need their services: run with `--features fis,ssm,greengrassv2`.

use nephos::iam::role::Tag;
use nephos::kinds::IamRoleArn;
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Diagnostic, Parameter, Stack, Value, equals, fn_if};

/// The errors synth reports (warnings, such as a large template's, left out).
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

fn role() -> nephos::iam::Role {
    nephos::iam::Role::new(
        PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("lambda.amazonaws.com"))
                .action("sts:AssumeRole"),
        ),
    )
}

/// IAM takes at most 50 tags on a role (`AWS::IAM::Role.Tags` `maxItems: 50`): 51 tags
/// added one by one are refused, 50 are not, and a 51st that `Fn::If` may remove is not
/// refused (CloudFormation may get 50).
#[test]
fn a_list_built_item_by_item_is_counted() {
    let tagged = |n: usize| (0..n).fold(role(), |r, i| r.add_tags(Tag::new(format!("k{i}"), "v")));
    let mut stack = Stack::new("App");
    stack.add("TooMany", tagged(51));
    stack.add("Enough", tagged(50));
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    stack.add(
        "Maybe",
        tagged(50).add_tags(fn_if::<Tag>(
            &prod,
            Tag::new("extra", "v"),
            Value::no_value(),
        )),
    );
    let e = errors(&stack);
    assert_eq!(
        e,
        [
            "error: resource `TooMany` property `Tags`: has 51 items, not at most 50 items\n  fix: give it at most 50 items"
        ],
    );
}

/// A Lambda environment variable's name matches `[a-zA-Z][a-zA-Z0-9_]+` (the schema's key
/// pattern of `Environment.Variables`): a one-letter name is refused, with the key named.
#[test]
fn a_closed_maps_keys_are_checked() {
    let function = |key: &str| {
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new().zip_file("exports.handler = async () => 1;"),
            Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/app"),
        )
        .runtime(nephos::lambda::function::Runtime::Nodejs22X)
        .handler("index.handler")
        .environment(
            nephos::lambda::function::Environment::new()
                .insert_variables(key, serde_json::json!("1")),
        )
    };
    let mut stack = Stack::new("App");
    stack.add("Short", function("A"));
    stack.add("Fine", function("TABLE_NAME"));
    assert_eq!(
        errors(&stack),
        [
            "error: resource `Short` property `Environment.Variables`: key \"A\" does not satisfy keys matching `[a-zA-Z][a-zA-Z0-9_]+`\n  fix: rename the key: every key needs keys matching `[a-zA-Z][a-zA-Z0-9_]+`"
        ],
    );
}

#[cfg(all(feature = "fis", feature = "ssm", feature = "greengrassv2"))]
mod tag_maps {
    use super::errors;
    use nephos::kinds::IamRoleArn;
    use nephos::{Stack, Value};
    use std::collections::BTreeMap;

    fn tags(n: usize) -> BTreeMap<String, String> {
        (0..n).map(|i| (format!("k{i}"), "v".to_string())).collect()
    }

    /// SSM's schema puts `maxItems: 1000` on its map-shaped `Tags`: read as the map's
    /// entry limit, given whole or entry by entry.
    #[test]
    fn ssm_parameter_tags_count_as_entries() {
        let parameter = || nephos::ssm::Parameter::new(nephos::ssm::parameter::Type::String, "v");
        let mut stack = Stack::new("App");
        stack.add("Whole", parameter().tags(tags(1001)));
        stack.add(
            "Built",
            (0..1001).fold(parameter(), |p, i| p.insert_tags(&format!("k{i}"), "v")),
        );
        stack.add("Enough", parameter().tags(tags(1000)));
        let e = errors(&stack);
        assert_eq!(
            e,
            [
                "error: resource `Built` property `Tags`: has 1001 entries, not at most 1000 entries\n  fix: give it at most 1000 entries",
                "error: resource `Whole` property `Tags`: has 1001 entries, not at most 1000 entries\n  fix: give it at most 1000 entries",
            ],
        );
    }

    /// GreengrassV2's component tags: `maxProperties: 50`, values of at most 256 characters.
    #[test]
    fn greengrass_tags_take_at_most_50_entries_of_short_values() {
        let mut stack = Stack::new("App");
        stack.add(
            "TooMany",
            nephos::greengrassv2::ComponentVersion::new().tags(tags(51)),
        );
        stack.add(
            "Long",
            nephos::greengrassv2::ComponentVersion::new().insert_tags("team", "x".repeat(257)),
        );
        stack.add(
            "Fine",
            nephos::greengrassv2::ComponentVersion::new().tags(tags(50)),
        );
        let e = errors(&stack);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert!(
            e[0].starts_with("error: resource `Long` property `Tags.team`: \"xxx"),
            "{e:#?}"
        );
        assert!(e[0].ends_with("does not satisfy length at most 256\n  fix: change the value to one with length at most 256"));
        assert_eq!(
            e[1],
            "error: resource `TooMany` property `Tags`: has 51 entries, not at most 50 entries\n  fix: give it at most 50 entries",
        );
    }

    /// FIS experiment template tags: keys match `.{1,128}`, so the empty key is refused.
    #[test]
    fn fis_tag_keys_match_the_schemas_pattern() {
        let template = |key: &str| {
            nephos::fis::ExperimentTemplate::new(
                "chaos",
                Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/fis"),
                vec![
                    nephos::fis::experiment_template::ExperimentTemplateStopCondition::new("none"),
                ],
                BTreeMap::<String, nephos::fis::experiment_template::ExperimentTemplateTarget>::new(
                ),
            )
            .insert_tags(key, "v")
        };
        let mut stack = Stack::new("App");
        stack.add("Empty", template(""));
        stack.add("Fine", template("team"));
        assert_eq!(
            errors(&stack),
            [
                "error: resource `Empty` property `Tags`: key \"\" does not satisfy keys matching `.{1,128}`\n  fix: rename the key: every key needs keys matching `.{1,128}`"
            ],
        );
    }
}
