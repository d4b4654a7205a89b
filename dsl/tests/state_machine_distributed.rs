//! The Distributed Map state: the ASL it renders (`ProcessorConfig` in Distributed mode,
//! the S3 item reader and result writer naming their bucket through
//! `DefinitionSubstitutions`), the permissions the role gets (the S3 reads and writes in
//! the role, the child executions in a policy of its own so nothing forms a cycle), the
//! synth errors for what Step Functions refuses, and cfn-lint over a stack using it. Run
//! with `--features stepfunctions`.
#![cfg(feature = "stepfunctions")]

use nephos::Param;
use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{
    ChildExecution, CsvHeader, Definition, DistributedMap, ItemReader, Map, Succeed, Task,
};
use nephos::constructs::{Bucket, BucketRef, Code, Function, Runtime, StateMachine};
use nephos::kind::Str;
use serde_json::{Value as J, json};

mod roundtrip_support;

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn statements(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn with_action(s: &[J], action: &str) -> Vec<J> {
    s.iter()
        .filter(|st| match &st["Action"] {
            J::Array(a) => a.contains(&json!(action)),
            other => other == &json!(action),
        })
        .cloned()
        .collect()
}

fn each_item(stack: &mut Stack) -> Definition {
    let work = stack.add(
        "Work",
        Function::new(Runtime::Python312, "index.handler", Code::inline("...")),
    );
    Definition::new("Work").state("Work", Task::invoke(&work))
}

fn thumbnails(stack: &mut Stack) -> BucketRef {
    let data = stack.add("Data", Bucket::new());
    let flow = Definition::new("All")
        .state(
            "All",
            DistributedMap::new(each_item(stack))
                .items_from(ItemReader::objects(&data).prefix("incoming/"))
                .results_to(&data, "results/")
                .max_concurrency(100)
                .tolerated_failure_percentage(5.0)
                .tolerated_failure_count(10)
                .label("thumbs")
                .batch_items(20)
                .batch_bytes(65_536)
                .children(ChildExecution::Express)
                .next("Done"),
        )
        .state("Done", Succeed::new());
    stack.add("Thumbnails", StateMachine::new(flow));
    data
}

#[test]
fn a_distributed_map_renders_its_reader_writer_and_limits() {
    let mut stack = Stack::new("App");
    thumbnails(&mut stack);
    let t = synth(&stack);
    let props = &t["Resources"]["Thumbnails"]["Properties"];
    let state = &props["Definition"]["States"]["All"];
    assert_eq!(state["Type"], "Map");
    assert_eq!(
        state["ItemProcessor"]["ProcessorConfig"],
        json!({"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"})
    );
    assert_eq!(state["ItemProcessor"]["StartAt"], "Work");
    let reader = &state["ItemReader"];
    let reader_key = reader["Resource"].as_str().unwrap();
    let bucket_key = reader["Parameters"]["Bucket"].as_str().unwrap();
    assert_eq!(reader["Parameters"]["Prefix"], "incoming/");
    assert_eq!(
        reader.get("ReaderConfig"),
        None,
        "a listing has no reader config"
    );
    let subs = &props["DefinitionSubstitutions"];
    let sub = |k: &str| subs[k.trim_start_matches("${").trim_end_matches('}')].clone();
    assert_eq!(
        sub(reader_key),
        json!({"Fn::Sub": "arn:${AWS::Partition}:states:::s3:listObjectsV2"})
    );
    // The bucket's name, computed without referring to the bucket (the construct's name).
    assert!(sub(bucket_key).is_object(), "{}", sub(bucket_key));
    let writer = &state["ResultWriter"];
    assert_eq!(
        sub(writer["Resource"].as_str().unwrap()),
        json!({"Fn::Sub": "arn:${AWS::Partition}:states:::s3:putObject"})
    );
    assert_eq!(writer["Parameters"]["Bucket"], json!(bucket_key));
    assert_eq!(writer["Parameters"]["Prefix"], "results/");
    assert_eq!(state["MaxConcurrency"], 100);
    assert_eq!(state["ToleratedFailurePercentage"], 5.0);
    assert_eq!(state["ToleratedFailureCount"], 10);
    assert_eq!(state["Label"], "thumbs");
    assert_eq!(
        state["ItemBatcher"],
        json!({"MaxItemsPerBatch": 20, "MaxInputBytesPerBatch": 65536})
    );
    assert_eq!(state["Next"], "Done");
}

#[test]
fn json_and_csv_readers_name_the_object_and_its_format() {
    let mut stack = Stack::new("App");
    let data = stack.add("Data", Bucket::new());
    let flow = Definition::new("Json")
        .state(
            "Json",
            DistributedMap::new(each_item(&mut stack))
                .items_from(ItemReader::json(&data, "in/orders.json").max_items(500))
                .next("Csv"),
        )
        .state(
            "Csv",
            DistributedMap::new(Definition::new("Row").state("Row", Succeed::new())).items_from(
                ItemReader::csv(
                    &data,
                    "in/rows.csv",
                    CsvHeader::Given(vec!["id".into(), "size".into()]),
                ),
            ),
        );
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let states = &t["Resources"]["Flow"]["Properties"]["Definition"]["States"];
    assert_eq!(
        states["Json"]["ItemReader"]["ReaderConfig"],
        json!({"InputType": "JSON", "MaxItems": 500})
    );
    assert_eq!(
        states["Json"]["ItemReader"]["Parameters"]["Key"],
        "in/orders.json"
    );
    assert_eq!(
        states["Csv"]["ItemReader"]["ReaderConfig"],
        json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "size"]})
    );
    assert_eq!(
        states["Csv"]["ItemProcessor"]["ProcessorConfig"],
        json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"})
    );
    // The role reads exactly those two objects, not the bucket.
    let s = statements(&t, "FlowRole");
    let reads = with_action(&s, "s3:GetObject");
    assert_eq!(reads.len(), 1, "{reads:?}");
    let on = reads[0]["Resource"].to_string();
    assert!(
        on.contains("in/orders.json") && on.contains("in/rows.csv"),
        "{on}"
    );
    assert!(!on.contains("/*"), "no wildcard over the bucket: {on}");
    assert!(with_action(&s, "s3:ListBucket").is_empty(), "{s:?}");
}

#[test]
fn the_role_lists_the_prefix_writes_the_results_and_runs_its_children() {
    let mut stack = Stack::new("App");
    thumbnails(&mut stack);
    let t = synth(&stack);
    let s = statements(&t, "ThumbnailsRole");
    let list = with_action(&s, "s3:ListBucket");
    assert_eq!(list.len(), 1, "{s:?}");
    assert_eq!(
        list[0]["Condition"],
        json!({"StringLike": {"s3:prefix": "incoming/*"}})
    );
    let put = with_action(&s, "s3:PutObject");
    assert_eq!(put.len(), 1, "{s:?}");
    let on = put[0]["Resource"].to_string();
    assert!(on.contains("results/*"), "{on}");
    for a in [
        "s3:GetObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
    ] {
        assert!(
            put[0]["Action"].as_array().unwrap().contains(&json!(a)),
            "{a} with the results: {put:?}"
        );
    }
    // The child executions' permissions name the state machine: a policy of their own.
    assert!(with_action(&s, "states:StartExecution").is_empty(), "{s:?}");
    let policy = &t["Resources"]["ThumbnailsMapRuns"];
    assert_eq!(policy["Type"], "AWS::IAM::Policy");
    assert_eq!(
        policy["Properties"]["Roles"],
        json!([{"Ref": "ThumbnailsRole"}])
    );
    let st = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let start = with_action(st, "states:StartExecution");
    assert_eq!(start[0]["Resource"], json!([{"Ref": "Thumbnails"}]));
    let children = with_action(st, "states:StopExecution");
    assert!(
        with_action(&children, "states:DescribeExecution").len() == 1,
        "{st:?}"
    );
    assert_eq!(
        children[0]["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${Thumbnails.Name}/*"}])
    );
    // Nothing waits for the policy: the state machine does not depend on it.
    assert_eq!(t["Resources"]["Thumbnails"].get("DependsOn"), None);
}

#[test]
fn an_inline_map_gets_no_map_runs_policy() {
    let mut stack = Stack::new("App");
    let flow = Definition::new("Each").state("Each", Map::new(each_item(&mut stack)));
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    assert_eq!(t["Resources"].get("FlowMapRuns"), None);
    assert_eq!(
        t["Resources"]["Flow"]["Properties"]["Definition"]["States"]["Each"]["ItemProcessor"]["ProcessorConfig"],
        json!({"Mode": "INLINE"})
    );
}

#[test]
fn a_distributed_map_nested_in_a_branch_is_granted_too() {
    let mut stack = Stack::new("App");
    let data = stack.add("Data", Bucket::new());
    let inner = Definition::new("Fan").state(
        "Fan",
        DistributedMap::new(Definition::new("One").state("One", Succeed::new()))
            .items_from(ItemReader::json(&data, "items.json")),
    );
    let flow = Definition::new("Outer").state("Outer", Map::new(inner));
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    assert!(t["Resources"]["FlowMapRuns"].is_object());
    assert_eq!(
        with_action(&statements(&t, "FlowRole"), "s3:GetObject").len(),
        1
    );
}

/// A Distributed Map built over the stack's bucket, and the error it must give.
type Case<'a> = (Box<dyn Fn(&BucketRef) -> DistributedMap + 'a>, &'static str);

#[test]
fn what_step_functions_refuses_is_a_synth_error_naming_the_state() {
    let one = || Definition::new("One").state("One", Succeed::new());
    let cases: Vec<Case> = vec![
        (
            Box::new(|_| DistributedMap::new(one()).max_concurrency(0)),
            "`max_concurrency` is 0",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).max_concurrency(10_001)),
            "at most 10000 child executions",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).tolerated_failure_percentage(100.5)),
            "takes 0 to 100",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).tolerated_failure_percentage(f64::NAN)),
            "takes 0 to 100",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).label("my label")),
            "holds ` `",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).label("a/b")),
            "holds `/`",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).label("x".repeat(41))),
            "41 characters",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).label("")),
            "0 characters",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).batch_items(0)),
            "at most 0 items",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).batch_bytes(262_145)),
            "up to 262144",
        ),
        (
            Box::new(|b| {
                DistributedMap::new(one())
                    .items_path("$.items")
                    .items_from(ItemReader::objects(b))
            }),
            "both an `items_path` and an item reader",
        ),
        (
            Box::new(|_| DistributedMap::new(one()).items_path("items")),
            "not a path beginning with `$`",
        ),
        (
            Box::new(|b| DistributedMap::new(one()).items_from(ItemReader::json(b, ""))),
            "object key is empty",
        ),
        (
            Box::new(|b| {
                DistributedMap::new(one()).items_from(ItemReader::csv(
                    b,
                    "a.csv",
                    CsvHeader::Given(vec![]),
                ))
            }),
            "no column names",
        ),
        (
            Box::new(|b| {
                DistributedMap::new(one()).items_from(ItemReader::csv(
                    b,
                    "a.csv",
                    CsvHeader::Given(vec!["id".into(), "id".into()]),
                ))
            }),
            "names the column `id` twice",
        ),
        (
            Box::new(|b| {
                DistributedMap::new(one()).items_from(ItemReader::objects(b).max_items(0))
            }),
            "at most 0 items",
        ),
    ];
    for (make, expected) in cases {
        let mut stack = Stack::new("App");
        let data = stack.add("Data", Bucket::new());
        let flow = Definition::new("Fan").state("Fan", make(&data));
        stack.add("Flow", StateMachine::new(flow));
        let e = stack.synth().expect_err(expected).to_string();
        assert!(e.contains(expected), "expected {expected:?} in:\n{e}");
        assert!(e.contains("state `Fan`"), "the state is named:\n{e}");
    }
}

fn everything(stack: &mut Stack, _text: &Param<Str>) {
    thumbnails(stack);
}

#[test]
fn a_distributed_map_passes_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::DistributedMap", everything)]);
}
