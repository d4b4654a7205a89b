use super::*;
use crate::cfn::model::ResourceChange;
use crate::diff::diff_templates;
use crate::diff::facts::TableFacts;
use crate::diff::reconcile::reconcile;
use serde_json::json;

fn stack(table: &str, actions: Value, memory: u32, extra: bool) -> Value {
    let mut t = json!({
        "Description": "users",
        "Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": table,
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": memory,
                "Environment": {"Variables": {"TABLE": {"Ref": "Table"}}}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Table", "Arn"]}}]}}]}}
        },
        "Outputs": {"TableName": {"Value": {"Ref": "Table"}, "Export": {"Name": "users-table"}}}
    });
    if extra {
        t["Resources"]["Dlq"] = json!({"Type": "AWS::SQS::Queue"});
    } else {
        t["Resources"]["Old"] = json!({"Type": "AWS::SNS::Topic"});
    }
    t
}

#[test]
fn the_text_diff_reads_like_a_plan() {
    let old = stack("users", json!(["dynamodb:GetItem"]), 128, false);
    let new = stack(
        "users-v2",
        json!(["dynamodb:GetItem", "dynamodb:PutItem"]),
        256,
        true,
    );
    let facts = TableFacts(vec![
        ("AWS::DynamoDB::Table", vec!["TableName", "KeySchema"]),
        ("AWS::Lambda::Function", vec!["FunctionName"]),
        ("AWS::IAM::Role", vec!["RoleName", "Path"]),
    ]);
    let mut diff = diff_templates(&old, &new, &facts);
    reconcile(
        &mut diff,
        vec![ResourceChange {
            action: "Modify".into(),
            logical_id: "Fn".into(),
            resource_type: "AWS::Lambda::Function".into(),
            replacement: Some("False".into()),
            policy_action: None,
            scope: vec!["Properties".into()],
            details: vec![crate::cfn::model::ChangeDetail {
                target: "Properties.Environment".into(),
                requires_recreation: Some("Never".into()),
                change_source: Some("ResourceReference".into()),
                causing_entity: Some("Table".into()),
            }],
        }],
    );
    let mut out = Vec::new();
    render(&mut out, "users-api", &diff, Style::plain()).unwrap_or_default();
    insta::assert_snapshot!(String::from_utf8_lossy(&out));
    insta::assert_json_snapshot!(diff.counts(), @r#"
    {
      "added": 1,
      "updated": 2,
      "replaced": 1,
      "mayBeReplaced": 0,
      "removed": 1,
      "mayBeRemoved": 0,
      "orderingOnly": 0,
      "parameters": 0,
      "outputs": 0
    }
    "#);
}

/// The text and JSON of a diff of `old` → `new` with deployed and requested values.
fn reviewed(
    old: &Value,
    new: &Value,
    deployed: Option<&[(&str, &str)]>,
    requested: &[(&str, &str)],
) -> (String, String, TemplateDiff) {
    use crate::cfn::model::Stack;
    use crate::diff::diff_stack;
    use crate::diff::facts::SchemaFacts;
    use crate::diff::parameters::ParameterValues;
    let stack = deployed.map(|d| Stack {
        name: "s".into(),
        id: "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1".into(),
        parameters: d
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    });
    let req = requested
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let values = ParameterValues::of(stack.as_ref(), &req);
    let diff = diff_stack(old, new, &values, &SchemaFacts);
    let mut out = Vec::new();
    render(&mut out, "s", &diff, Style::plain()).unwrap_or_default();
    let json = serde_json::to_string(&diff).unwrap_or_default();
    (String::from_utf8_lossy(&out).into_owned(), json, diff)
}

fn with_secret(default: &str) -> Value {
    json!({"Parameters": {"Secret": {"Type": "String", "NoEcho": true, "Default": default}},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "q-${Secret}"}}}},
        "Outputs": {"O": {"Value": {"Ref": "Secret"}}}})
}

/// Every line break a terminal honours: LF, CR LF, VT, FF, NEL, LS, PS.
const BREAKS: [&str; 7] = [
    "\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
];

#[test]
fn untrusted_text_never_starts_a_review_line() {
    // atk12b finding 3: a Description, an output value or a parameter value holding a
    // line break wrote review lines nephos did not write.
    for br in BREAKS {
        let forged = format!("x{br}[-] AWS::DynamoDB::Table Table{br}Summary: 0 to add");
        let t = |d: &str, out: &str| {
            json!({"Description": d,
                "Parameters": {"Env": {"Type": "String"}},
                "Resources": {"Q": {"Type": "AWS::SQS::Queue"}},
                "Outputs": {"O": {"Value": out}, "E": {"Value": {"Ref": "Env"}}}})
        };
        let (old, new) = (t("d", "o"), t(&forged, &forged));
        let (text, _, _) = reviewed(&old, &new, Some(&[("Env", "dev")]), &[("Env", &forged)]);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("Summary:")).count(),
            1,
            "{br:?}: {text}"
        );
        assert!(
            !lines.iter().any(|l| l.starts_with("[-]")),
            "{br:?}: {text}"
        );
        assert!(
            !BREAKS.iter().any(|b| *b != "\n" && text.contains(b)),
            "{br:?}: a raw line break in {text:?}"
        );
        assert!(text.contains("Env: dev → x"), "{text}");
    }
}

#[test]
fn a_no_echo_default_or_value_is_never_shown() {
    let (old, new) = (with_secret("hunter2"), with_secret("hunter3"));
    type Values<'a> = &'a [(&'a str, &'a str)];
    let cases: [(&Value, Option<Values>, Values); 4] = [
        (&old, Some(&[("Secret", "****")]), &[]),
        (&old, Some(&[("Secret", "****")]), &[("Secret", "hunter4")]),
        (&Value::Null, None, &[]),
        (&old, None, &[]),
    ];
    for (before, deployed, requested) in cases {
        let (text, json, _) = reviewed(before, &new, deployed, requested);
        for leak in ["hunter2", "hunter3", "hunter4"] {
            assert!(
                !text.contains(leak) && !json.contains(leak),
                "{text}\n{json}"
            );
        }
    }
    // A changed hidden default is still a change, and says so.
    let (text, ..) = reviewed(&old, &new, Some(&[("Secret", "****")]), &[]);
    assert!(
        text.contains("[~] Secret: String, NoEcho, default (hidden: NoEcho) → String, NoEcho, default (hidden: NoEcho), changed"),
        "{text}"
    );
    // Dropping NoEcho is named.
    let mut plain = with_secret("x");
    plain["Parameters"]["Secret"] = json!({"Type": "String"});
    let mut masked = plain.clone();
    masked["Parameters"]["Secret"]["NoEcho"] = json!(true);
    let (text, ..) = reviewed(&masked, &plain, Some(&[("Secret", "****")]), &[]);
    assert!(
        text.contains("[~] Secret: String, NoEcho → String (NoEcho removed"),
        "{text}"
    );
}

#[test]
fn joined_strings_and_outputs_read_with_the_new_values() {
    let t = json!({"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
            "DisplayName": {"Fn::Join": ["-", [{"Ref": "Env"}, "x"]]}}}},
        "Outputs": {"E": {"Value": {"Ref": "Env"}}}});
    let (text, ..) = reviewed(&t, &t, Some(&[("Env", "dev")]), &[("Env", "prod")]);
    assert!(text.contains("DisplayName: dev-x → prod-x"), "{text}");
    assert!(text.contains("[~] E: dev → prod"), "{text}");
    // Unknown values read as `${...}` tokens in the joined string.
    let mut other = t.clone();
    other["Resources"]["T"]["Properties"]["DisplayName"] =
        json!({"Fn::Join": ["-", [{"Ref": "Env"}, "y"]]});
    let (text, ..) = reviewed(&t, &other, None, &[]);
    assert!(text.contains("DisplayName: ${Env}-x → ${Env}-y"), "{text}");
}

#[test]
fn a_new_stack_names_the_resources_its_false_conditions_leave_out() {
    let t = json!({"Parameters": {"Env": {"Type": "String", "Default": "prod"}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Resources": {"ProdTable": {"Type": "AWS::DynamoDB::Table", "Condition": "IsProd"},
            "Q": {"Type": "AWS::SQS::Queue"}}});
    let (text, _, diff) = reviewed(&Value::Null, &t, None, &[("Env", "dev")]);
    assert_eq!(diff.counts().added, 1, "{text}");
    assert!(
        text.contains(
            "[ ] AWS::DynamoDB::Table ProdTable: not created (condition IsProd is false)"
        ),
        "{text}"
    );
    let (_, _, diff) = reviewed(&Value::Null, &t, None, &[]);
    assert_eq!(diff.counts().added, 2, "the default prod creates it");
}

#[test]
fn a_transform_and_types_without_facts_are_said_plainly() {
    let t = |name: &str| {
        json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"St": {
            "Type": "AWS::Serverless::SimpleTable", "Properties": {"TableName": name}}}})
    };
    let (text, json, diff) = reviewed(&t("a"), &t("b"), None, &[]);
    assert!(
        text.contains("[!] Transform AWS::Serverless-2016-10-31: CloudFormation expands this template at deploy time"),
        "{text}"
    );
    assert!(
        json.contains(r#""transform":"AWS::Serverless-2016-10-31""#),
        "{json}"
    );
    assert!(
        text.contains("[~] AWS::Serverless::SimpleTable St (may replace: no replacement facts for AWS::Serverless::SimpleTable)"),
        "{text}"
    );
    assert_eq!(
        (diff.counts().may_be_replaced, diff.counts().updated),
        (1, 0)
    );
}

#[test]
fn a_reader_of_a_replaced_resource_says_why_it_may_change() {
    let t = |topic: &str| {
        json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": topic}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Fn::GetAtt": "Topic.TopicName"}}}}})
    };
    let (text, ..) = reviewed(&t("a"), &t("b"), None, &[]);
    assert!(
        text.contains("TableName: ${Topic.TopicName} (may replace: reads Topic, which is replaced, so its new value is unknown until deploy)"),
        "{text}"
    );
    assert!(
        text.contains("⚠ data loss: Table (AWS::DynamoDB::Table) may be replaced"),
        "{text}"
    );
}

/// The heading each line of `text` falls under (`None`: the stack's title only). A heading
/// is a line that starts with neither a marker nor indentation.
fn headings(text: &str) -> Vec<(Option<String>, String)> {
    let mut heading = None;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        if line.starts_with('[') || line.starts_with(' ') {
            out.push((heading.clone(), line.to_owned()));
        } else {
            heading = Some(line.to_owned());
        }
    }
    out
}

/// atk (s25) 5: the diff of a stack that does not exist yet listed
/// `[+] AWSTemplateFormatVersion: 2010-09-09` under "Resources". Every template section
/// lands under its own heading (keyed ones) or under none (scalar ones), whatever comes
/// before it.
#[test]
fn each_template_section_of_a_new_stack_lands_under_its_own_heading_or_none() {
    let new = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "orders",
        "Transform": "AWS::LanguageExtensions",
        "Metadata": {"Team": "core"},
        "Parameters": {"Stage": {"Type": "String"}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        "Mappings": {"Sizes": {"prod": {"Memory": 512}}},
        "Rules": {"StageSet": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Stage"}, ""]}]}}]}},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {"QueueUrl": {"Value": {"Ref": "Q"}}}
    });
    let diff = diff_templates(&Value::Null, &new, &TableFacts(Vec::new()));
    let mut out = Vec::new();
    render(&mut out, "orders", &diff, Style::plain()).unwrap_or_default();
    let text = String::from_utf8_lossy(&out).into_owned();
    let lines = headings(&text);
    let under = |needle: &str| {
        let found: Vec<_> = lines.iter().filter(|(_, l)| l.contains(needle)).collect();
        assert_eq!(found.len(), 1, "{needle}:\n{text}");
        found[0].0.clone()
    };
    for scalar in ["AWSTemplateFormatVersion", "Description", "Transform"] {
        assert_eq!(under(&format!("[+] {scalar}: ")), None, "{scalar}:\n{text}");
    }
    for (section, key) in [
        ("Metadata", "Team"),
        ("Parameters", "Stage"),
        ("Conditions", "IsProd"),
        ("Mappings", "Sizes"),
        ("Rules", "StageSet"),
        ("Outputs", "QueueUrl"),
    ] {
        assert_eq!(
            under(&format!("[+] {key}: ")).as_deref(),
            Some(section),
            "{key}:\n{text}"
        );
    }
    assert_eq!(
        under("AWS::SQS::Queue Q").as_deref(),
        Some("Resources"),
        "{text}"
    );
    // The resources' heading holds resources only.
    for (h, l) in &lines {
        if h.as_deref() == Some("Resources") {
            assert!(l.contains("AWS::"), "{l}:\n{text}");
        }
    }
}
