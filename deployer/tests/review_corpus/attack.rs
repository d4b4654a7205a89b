//! Rows from the attack on the review.

use super::*;

/// Rows from the attack on the review: values of replaced resources followed, conditions
/// and intrinsics evaluated, NoEcho values unknown, types without facts.
pub(super) fn rows() -> Vec<Row> {
    let table = |name: Value| {
        json!({"Type": TABLE, "Properties": {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": key("pk")}})
    };
    let cas = |topic: &str| {
        json!({"Resources": {"Topic": {"Type": TOPIC, "Properties": {"TopicName": topic}},
            "Table": table(json!({"Fn::GetAtt": "Topic.TopicName"}))}})
    };
    let y = |queue: &str| {
        json!({"Resources": {"Q": {"Type": QUEUE, "Properties": {"QueueName": queue, "VisibilityTimeout": 30}},
            "L": {"Type": LOGS, "Properties": {"LogGroupName": {"Fn::Join": ["", [{"Fn::GetAtt": ["Q", "QueueName"]}, "-lg"]]}}}}})
    };
    let chain = |topic: &str| {
        json!({"Resources": {"Topic": {"Type": TOPIC, "Properties": {"TopicName": topic}},
            "Q": {"Type": QUEUE, "Properties": {"QueueName": {"Fn::Sub": "${Topic.TopicName}-q"}}},
            "L": {"Type": LOGS, "Properties": {"LogGroupName": {"Fn::Sub": "/q/${Q.QueueName}"}}},
            "Fn": {"Type": FN, "Properties": {"Environment": {"Variables": {"G": {"Ref": "L"}}}}}}})
    };
    let in_place = |display: &str| {
        json!({"Resources": {"Topic": {"Type": TOPIC, "Properties": {"TopicName": "t", "DisplayName": display}},
            "Table": table(json!({"Fn::GetAtt": "Topic.TopicName"}))}})
    };
    let cs0 = json!({
        "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "a,b"}, "Env": {"Type": "String", "Default": "dev"}},
        "Mappings": {"M": {"dev": {"keep": "yes"}, "prod": {"keep": "no"}}},
        "Conditions": {"SelC": {"Fn::Equals": [{"Fn::Select": [0, {"Ref": "Names"}]}, "a"]},
            "MapC": {"Fn::Equals": [{"Fn::FindInMap": ["M", {"Ref": "Env"}, "keep"]}, "yes"]}},
        "Resources": {"T1": table(json!("t1")), "T2": table(json!("t2"))}
    });
    let mut cs0 = cs0;
    cs0["Resources"]["T1"]["Condition"] = json!("SelC");
    cs0["Resources"]["T2"]["Condition"] = json!("MapC");
    let mut n1 = json!({
        "Parameters": {"Secret": {"Type": "String", "NoEcho": true}},
        "Conditions": {"C": {"Fn::Equals": [{"Ref": "Secret"}, "s3cr3t"]}},
        "Resources": {"T": table(json!("n1")),
            "Q": {"Type": QUEUE, "Properties": {"VisibilityTimeout": {"Fn::If": ["C", 10, 20]}}}}
    });
    n1["Resources"]["T"]["Condition"] = json!("C");
    let no_facts = |n: &str| {
        json!({"Resources": {
            "St": {"Type": "AWS::Serverless::SimpleTable", "Properties": {"TableName": format!("st{n}")}},
            "Cu": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x", "Name": format!("c{n}")}},
            "Mod": {"Type": "My::Org::Table::MODULE", "Properties": {"Name": format!("m{n}")}}}})
    };
    let ledger = |size: u32| json!({"Resources": {"Ledger": {"Type": "Custom::Ledger", "Metadata": {"nephos:stateful": true}, "Properties": {"Size": size}}}});
    let mut c1 = json!({
        "Parameters": {"Env": {"Type": "String", "Default": "prod"}, "Names": {"Type": "CommaDelimitedList", "Default": "a,b"}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Mappings": {"M": {"dev": {"Name": "same"}, "prod": {"Name": "same"}}},
        "Resources": {
            "ProdTable": table(json!("prod")),
            "SelTable": table(json!({"Fn::Select": [0, {"Ref": "Names"}]})),
            "SplitTable": table(json!({"Fn::Select": [1, {"Fn::Split": ["-", {"Fn::Sub": "x-${Env}"}]}]})),
            "MapTable": table(json!({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Name"]})),
            "Bucket": {"Type": BUCKET, "Properties": {"BucketName": {"Fn::Sub": "${AWS::StackName}-${Env}-bkt"}}}}
    });
    c1["Resources"]["ProdTable"]["Condition"] = json!("IsProd");
    let rf = |table_name: Value, queue_name: Value, timeout: Value, conditions: bool| {
        let mut t = json!({"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
            "Resources": {"T": table(table_name),
                "Q": {"Type": QUEUE, "Properties": {"QueueName": queue_name, "VisibilityTimeout": timeout}}}});
        if conditions {
            t["Conditions"] = json!({"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}});
        }
        t
    };
    let rds =
        |ty: &str, props: Value| json!({"Resources": {"Db": {"Type": ty, "Properties": props}}});
    let empty = json!({"Resources": {}});
    // Env is not in the deployed values: the key is unknown offline.
    let map_read = |name: &str| {
        json!({"Parameters": {"Env": {"Type": "String"}}, "Mappings": {"M": {"dev": {"Name": name}}},
            "Resources": {"R": table(json!({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Name"]}))}})
    };
    vec![
        pair(
            "a replaced topic's name read as a table name",
            cas("orders1"),
            cas("orders2"),
            vec![],
            vec![],
            vec![("Table", MayReplace), ("Topic", Replace)],
            vec![],
            // An SNS topic is not shown to hold no data (issue 12): its replacement is gated.
            vec!["Table", "Topic"],
        ),
        pair(
            "a replaced queue's name joined into a log group name",
            y("yq1"),
            y("yq2"),
            vec![],
            vec![],
            vec![("L", MayReplace), ("Q", Replace)],
            vec![],
            vec!["L", "Q"],
        ),
        pair(
            "replacement followed transitively to a fixed point",
            chain("a"),
            chain("b"),
            vec![],
            vec![],
            vec![
                ("Fn", Modify),
                ("L", MayReplace),
                ("Q", MayReplace),
                ("Topic", Replace),
            ],
            vec![],
            vec!["L", "Q", "Topic"],
        ),
        pair(
            "an in-place update does not touch its readers",
            in_place("a"),
            in_place("b"),
            vec![],
            vec![],
            vec![("Topic", Modify)],
            vec![],
            vec![],
        ),
        pair(
            "conditions on Fn::Select and Fn::FindInMap turn false",
            cs0.clone(),
            cs0.clone(),
            vec![("Env", "dev"), ("Names", "a,b")],
            vec![("Env", "prod"), ("Names", "z,b")],
            vec![("T1", Remove), ("T2", Remove)],
            vec!["Env", "Names"],
            vec!["T1", "T2"],
        ),
        pair(
            "conditions on Fn::Select and Fn::FindInMap stay true",
            cs0.clone(),
            cs0,
            vec![("Env", "dev"), ("Names", "a,b")],
            vec![("Names", "a,c")],
            vec![],
            vec!["Names"],
            vec![],
        ),
        pair(
            "a condition on a NoEcho value that may change",
            n1.clone(),
            n1.clone(),
            vec![("Secret", "****")],
            vec![("Secret", "zzz")],
            vec![("Q", Modify), ("T", MayRemove)],
            vec!["Secret"],
            vec!["T"],
        ),
        pair(
            "a condition on a NoEcho value kept",
            n1.clone(),
            n1,
            vec![("Secret", "****")],
            vec![],
            vec![],
            vec![],
            vec![],
        ),
        pair(
            "types without replacement facts may replace",
            no_facts("1"),
            no_facts("2"),
            vec![],
            vec![],
            vec![("Cu", MayReplace), ("Mod", MayReplace), ("St", MayReplace)],
            vec![],
            // Types nephos cannot show hold no data may hold some (issue 12): gated.
            vec!["Cu", "Mod", "St"],
        ),
        pair(
            "a stateful type without facts is a data-loss risk",
            ledger(1),
            ledger(2),
            vec![],
            vec![],
            vec![("Ledger", MayReplace)],
            vec![],
            vec!["Ledger"],
        ),
        pair(
            "Fn::Select of an unchanged list item",
            c1.clone(),
            c1.clone(),
            vec![("Env", "prod"), ("Names", "a,b")],
            vec![("Names", "a,c")],
            vec![],
            vec!["Names"],
            vec![],
        ),
        pair(
            "Fn::FindInMap giving the same value, Fn::Split giving another",
            c1.clone(),
            c1,
            vec![("Env", "prod"), ("Names", "a,b")],
            vec![("Env", "dev")],
            vec![
                ("Bucket", Replace),
                ("ProdTable", Remove),
                ("SplitTable", Replace),
            ],
            vec!["Env"],
            vec!["Bucket", "ProdTable", "SplitTable"],
        ),
        pair(
            "Fn::Join rewritten as the equivalent Fn::Sub, Fn::If as its value",
            rf(
                json!({"Fn::Sub": "rf-${Env}"}),
                json!({"Fn::Join": ["-", ["rfq", {"Ref": "Env"}]]}),
                json!({"Fn::If": ["IsProd", 300, 60]}),
                true,
            ),
            rf(
                json!("rf-dev"),
                json!({"Fn::Sub": "rfq-${Env}"}),
                json!("60"),
                false,
            ),
            vec![("Env", "dev")],
            vec![],
            vec![],
            vec![],
            vec![],
        ),
        pair(
            "a mapping read by a key known only at deploy changes",
            map_read("a"),
            map_read("b"),
            vec![],
            vec![],
            vec![("R", MayReplace)],
            vec![],
            vec!["R"],
        ),
        pair(
            "an RDS instance removed keeps a snapshot by default",
            rds(
                "AWS::RDS::DBInstance",
                json!({"DBInstanceClass": "db.t3.micro"}),
            ),
            empty.clone(),
            vec![],
            vec![],
            vec![("Db", Remove)],
            vec![],
            vec![],
        ),
        pair(
            "an RDS instance of a cluster removed is deleted by default",
            rds("AWS::RDS::DBInstance", json!({"DBClusterIdentifier": "c"})),
            empty,
            vec![],
            vec![],
            vec![("Db", Remove)],
            vec![],
            vec!["Db"],
        ),
    ]
}
