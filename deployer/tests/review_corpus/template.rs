//! Rows about the template rather than one service: resource attributes, type changes,
//! added and removed resources, conditions and parameters.

use super::*;

/// Attributes, type changes, additions and removals, conditions, parameter values.
pub(super) fn rows() -> Vec<Row> {
    vec![
        // Resource attributes: ordering only, or nothing.
        res(
            "depends on added",
            json!({"Type": QUEUE}),
            json!({"Type": QUEUE, "DependsOn": "T"}),
            Some(OrderingOnly),
        ),
        res(
            "depends on string vs list",
            json!({"Type": QUEUE, "DependsOn": "T"}),
            json!({"Type": QUEUE, "DependsOn": ["T"]}),
            None,
        ),
        res(
            "depends on reordered",
            json!({"Type": QUEUE, "DependsOn": ["T", "U"]}),
            json!({"Type": QUEUE, "DependsOn": ["U", "T"]}),
            None,
        ),
        res(
            "metadata changed",
            json!({"Type": FN, "Metadata": {"a": 1}}),
            json!({"Type": FN, "Metadata": {"a": 2}}),
            Some(OrderingOnly),
        ),
        res(
            "metadata and property",
            json!({"Type": FN, "Metadata": {"a": 1}, "Properties": {"Timeout": 3}}),
            json!({"Type": FN, "Metadata": {"a": 2}, "Properties": {"Timeout": 4}}),
            Some(Modify),
        ),
        res(
            "depends on and a name",
            json!({"Type": QUEUE, "Properties": {"QueueName": "a"}}),
            json!({"Type": QUEUE, "DependsOn": "T", "Properties": {"QueueName": "b"}}),
            Some(Replace),
        ),
        // CloudFormation fails the change set ("Update of resource type is not permitted"):
        // a type change, not a replacement.
        res(
            "type changed",
            json!({"Type": TOPIC}),
            json!({"Type": QUEUE}),
            Some(TypeChange),
        ),
        // Added and removed resources.
        Row {
            name: "topic added, queue removed",
            before: json!({"Resources": {"Q": {"Type": QUEUE}}}),
            after: json!({"Resources": {"T": {"Type": TOPIC}}}),
            deployed: Vec::new(),
            requested: Vec::new(),
            resources: vec![("Q", Remove), ("T", Add)],
            parameters: Vec::new(),
            data_loss: None,
        },
        // Conditions known offline: a false one removes the resource.
        Row {
            name: "table given a false condition",
            before: json!({"Resources": {"R": {"Type": TABLE, "Properties": {"TableName": "t"}}}}),
            after: json!({"Conditions": {"Never": {"Fn::Equals": ["a", "b"]}},
                "Resources": {"R": {"Type": TABLE, "Condition": "Never", "Properties": {"TableName": "t"}}}}),
            deployed: Vec::new(),
            requested: Vec::new(),
            resources: vec![("R", Remove)],
            parameters: Vec::new(),
            data_loss: None,
        },
        Row {
            name: "table given a true condition",
            before: json!({"Resources": {"R": {"Type": TABLE, "Properties": {"TableName": "t"}}}}),
            after: json!({"Conditions": {"Always": {"Fn::Equals": ["a", "a"]}},
                "Resources": {"R": {"Type": TABLE, "Condition": "Always", "Properties": {"TableName": "t"}}}}),
            deployed: Vec::new(),
            requested: Vec::new(),
            resources: vec![("R", Modify)],
            parameters: Vec::new(),
            // Known true: the table stays, and no risk says it may be removed while the
            // review counts an update in place.
            data_loss: Some(Vec::new()),
        },
        Row {
            name: "queue whose condition turns false with a parameter",
            before: json!({"Parameters": {"Env": {"Type": "String"}},
                "Conditions": {"IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]}},
                "Resources": {"R": {"Type": QUEUE, "Condition": "IsDev"}}}),
            after: json!({"Parameters": {"Env": {"Type": "String"}},
                "Conditions": {"IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]}},
                "Resources": {"R": {"Type": QUEUE, "Condition": "IsDev"}}}),
            deployed: vec![("Env", "dev")],
            requested: vec![("Env", "prod")],
            resources: vec![("R", Remove)],
            parameters: vec!["Env"],
            data_loss: None,
        },
        Row {
            name: "parameter flips a condition chosen in a queue name",
            before: json!({"Parameters": {"Env": {"Type": "String"}},
                "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
                "Resources": {"R": {"Type": QUEUE, "Properties": {
                    "QueueName": {"Fn::If": ["IsProd", "jobs", "jobs-test"]},
                    "VisibilityTimeout": {"Fn::If": ["IsProd", 300, {"Ref": "AWS::NoValue"}]}}}}}),
            after: json!({"Parameters": {"Env": {"Type": "String"}},
                "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
                "Resources": {"R": {"Type": QUEUE, "Properties": {
                    "QueueName": {"Fn::If": ["IsProd", "jobs", "jobs-test"]},
                    "VisibilityTimeout": {"Fn::If": ["IsProd", 300, {"Ref": "AWS::NoValue"}]}}}}}),
            deployed: vec![("Env", "dev")],
            requested: vec![("Env", "prod")],
            resources: vec![("R", Replace)],
            parameters: vec!["Env"],
            data_loss: None,
        },
        // Parameters: value changes, resolved into properties.
        with_params(
            "parameter into a queue name",
            QUEUE,
            json!({"QueueName": {"Fn::Sub": "q-${Env}"}}),
            vec![("Env", "prod")],
            Some(Replace),
            vec!["Env"],
        ),
        with_params(
            "parameter into a table name",
            TABLE,
            json!({"TableName": {"Ref": "Env"}}),
            vec![("Env", "prod")],
            Some(Replace),
            vec!["Env"],
        ),
        with_params(
            "parameter into a display name",
            TOPIC,
            json!({"DisplayName": {"Fn::Join": ["-", ["t", {"Ref": "Env"}]]}}),
            vec![("Env", "prod")],
            Some(Modify),
            vec!["Env"],
        ),
        with_params(
            "parameter used nowhere",
            TOPIC,
            json!({"DisplayName": "t"}),
            vec![("Env", "prod")],
            None,
            vec!["Env"],
        ),
        with_params(
            "parameter unchanged",
            QUEUE,
            json!({"QueueName": {"Fn::Sub": "q-${Env}"}}),
            vec![("Env", "dev")],
            None,
            vec![],
        ),
        with_params(
            "parameter kept by default",
            QUEUE,
            json!({"QueueName": {"Fn::Sub": "q-${Env}"}}),
            vec![],
            None,
            vec![],
        ),
        with_params(
            "no-echo parameter into a tag",
            TOPIC,
            json!({"Tags": [{"Key": "s", "Value": {"Ref": "Secret"}}]}),
            vec![("Secret", "x")],
            Some(Modify),
            vec!["Secret"],
        ),
        with_params(
            "no-echo parameter into a queue name",
            QUEUE,
            json!({"QueueName": {"Ref": "Secret"}}),
            vec![("Secret", "x")],
            Some(MayReplace),
            vec!["Secret"],
        ),
        with_params(
            "no-echo parameter not given",
            QUEUE,
            json!({"QueueName": {"Ref": "Secret"}}),
            vec![],
            None,
            vec![],
        ),
        with_params(
            "pseudo parameter vs literal",
            LOGS,
            json!({"LogGroupName": {"Fn::Sub": "/app/${AWS::Region}"}}),
            vec![],
            None,
            vec![],
        ),
    ]
}
