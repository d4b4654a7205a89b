//! cfn-lint over a matrix of construct options, not only the examples: every template
//! the constructs generate, in any combination of their options and wirings, has no
//! cfn-lint error and no warning. One cfn-lint call for all templates.

mod common;

use std::process::Command;

use nephos::constructs::{
    Architecture, Bucket, BucketEncryption, Code, DeadLetter, Function, Key, NotificationFilter,
    Queue, RemovalPolicy, RestApi, Runtime, S3Event, StreamTrigger, StreamView, Table, Topic,
};
use nephos::kinds::KmsKeyArn;
use nephos::{Parameter, RawResource, ResourceRef, Stack, Value, equals, sub};

/// One point of the matrix: the variant chosen in each dimension.
#[derive(Clone, Copy, Debug)]
struct Point {
    function_name: usize, // none, literal, from a parameter
    inline_logs: usize,   // managed policy, inline statement
    vpc: usize,           // no, yes
    key: usize,           // service-managed, a KMS key of the stack
    table: usize,         // plain, stream + index + TTL + PITR
    dead_letter: usize,   // none, queue, topic
    condition: usize,     // none, the function (and what it wires) conditional
    api: usize,           // none, REST API
    timeout: usize,       // default, 60 s (queue visibility follows)
    extras: usize,        // none; arm64, memory, retention, destroy; role name, concurrency
}

const SIZES: [usize; 10] = [3, 2, 2, 2, 2, 3, 2, 2, 2, 3];

/// Every pair of variants of every two dimensions appears in some point: a greedy
/// pairwise cover, deterministic.
fn points() -> Vec<Point> {
    let dims = SIZES.len();
    let mut uncovered: std::collections::BTreeSet<(usize, usize, usize, usize)> =
        Default::default();
    for (a, &size_a) in SIZES.iter().enumerate() {
        for (b, &size_b) in SIZES.iter().enumerate().skip(a + 1) {
            for va in 0..size_a {
                for vb in 0..size_b {
                    uncovered.insert((a, va, b, vb));
                }
            }
        }
    }
    let mut chosen: Vec<Vec<usize>> = Vec::new();
    let total: usize = SIZES.iter().product();
    while !uncovered.is_empty() {
        let mut best = (0, vec![0; dims]);
        for n in 0..total {
            let mut v = Vec::with_capacity(dims);
            let mut rest = n;
            for s in SIZES {
                v.push(rest % s);
                rest /= s;
            }
            let gain = uncovered
                .iter()
                .filter(|(a, va, b, vb)| v[*a] == *va && v[*b] == *vb)
                .count();
            if gain > best.0 {
                best = (gain, v);
            }
        }
        let v = best.1;
        uncovered.retain(|(a, va, b, vb)| !(v[*a] == *va && v[*b] == *vb));
        chosen.push(v);
    }
    chosen
        .into_iter()
        .map(|v| Point {
            function_name: v[0],
            inline_logs: v[1],
            vpc: v[2],
            key: v[3],
            table: v[4],
            dead_letter: v[5],
            condition: v[6],
            api: v[7],
            timeout: v[8],
            extras: v[9],
        })
        .collect()
}

fn key(stack: &mut Stack) -> Value<KmsKeyArn> {
    let k: ResourceRef = stack.add(
        "DataKey",
        RawResource::new("AWS::KMS::Key")
            .property("EnableKeyRotation", true)
            .property(
                "KeyPolicy",
                serde_json::json!({"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                    "Action": "kms:*", "Resource": "*"}]}),
            ),
    );
    k.get_att("Arn")
}

fn stack_for(i: usize, p: Point) -> Stack {
    let mut stack = Stack::new(&format!("Matrix{i}"));
    let env = stack.parameter("Env", Parameter::string().default("dev"));
    let k = (p.key == 1).then(|| key(&mut stack));

    let mut table = Table::new(Key::string("id"))
        .tag("team", "core")
        .tag("env", &env)
        .tag("app", "matrix");
    if p.table == 1 {
        table = table
            .sort_key(Key::number("at"))
            .stream(StreamView::NewAndOldImages)
            .time_to_live("expires")
            .point_in_time_recovery();
    }
    if let Some(k) = &k {
        table = table.kms_key(k.clone());
    }
    let table = stack.add("Items", table);

    let visibility = if p.timeout == 1 { 360 } else { 30 };
    let mut queue = Queue::new().visibility_timeout(visibility);
    let mut topic = Topic::new();
    if let Some(k) = &k {
        queue = queue.kms_key(k.clone());
        topic = topic.kms_key(k.clone());
    }
    let queue = stack.add("Jobs", queue);
    let topic = stack.add("Events", topic);

    let mut f = Function::new(
        Runtime::Python312,
        "index.handler",
        Code::inline("def handler(e, c):\n    return 1\n"),
    )
    .env("TABLE", table.name())
    .tag("team", "core");
    f = match p.function_name {
        1 => f.name("matrix-worker"),
        2 => f.name(sub!("${env}-worker", env = &env)),
        _ => f,
    };
    if p.inline_logs == 1 {
        f = f.inline_log_permissions();
    }
    if p.vpc == 1 {
        f = f.vpc(
            [Value::<nephos::kinds::Ec2SubnetId>::literal(
                "subnet-0123456789abcdef0",
            )],
            [Value::<nephos::kinds::Ec2SecurityGroupId>::literal(
                "sg-0123456789abcdef0",
            )],
        );
    }
    if p.timeout == 1 {
        f = f.timeout(60);
    }
    f = match p.extras {
        1 => f
            .architecture(Architecture::Arm64)
            .memory(1024)
            .log_retention_days(30)
            .log_removal_policy(RemovalPolicy::Destroy),
        2 => f
            .role_name(sub!("${env}-matrix-worker", env = &env))
            .reserved_concurrency(5),
        _ => f,
    };
    f = match p.dead_letter {
        1 => f.dead_letter(DeadLetter::Queue(queue.grant_target())),
        2 => f.dead_letter(DeadLetter::Topic(topic.grant_target())),
        _ => f,
    };
    let f = stack.add("Worker", f);
    if p.condition == 1 {
        let prod = stack.condition("IsProd", equals(&env, "prod"));
        stack.resource(&f).condition(&prod);
    }

    let bucket = stack.add(
        "Uploads",
        Bucket::new().versioned().encryption(match &k {
            Some(k) => BucketEncryption::kms(k.clone()),
            None => BucketEncryption::S3Managed,
        }),
    );
    table.grant_read_write(&mut stack, &f);
    bucket.grant_read(&mut stack, &f);
    queue.trigger(&mut stack, &f, 10);
    if p.table == 1 {
        table.stream_to(&mut stack, &f, StreamTrigger::default());
    }
    topic.subscribe_function(&mut stack, &f);
    topic.subscribe_queue_with(
        &mut stack,
        &queue,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    topic.subscribe_email(&mut stack, "ops@example.com");
    bucket.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("in/"),
        &queue,
    );
    bucket.notify_topic(
        &mut stack,
        &[S3Event::ObjectRemoved],
        NotificationFilter::default(),
        &topic,
    );
    if p.condition == 0 {
        // A bucket notification names the function in the bucket itself: with a
        // conditional function synth refuses it (tested elsewhere), so only here.
        bucket.notify_function(
            &mut stack,
            &[S3Event::ObjectCreated],
            NotificationFilter::prefix("thumbs/"),
            &f,
        );
        if p.api == 1 {
            let api = stack.add("Api", RestApi::new("matrix").stage("dev"));
            api.route(&mut stack, "GET", "/items", &f);
            api.route(&mut stack, "POST", "/items", &f);
        }
    }
    stack
}

#[test]
fn cfn_lint_reports_nothing_on_a_matrix_of_construct_options() {
    let cfn_lint = common::venv_bin("cfn-lint");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cfn-lint-matrix");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let points = points();
    let mut files = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let stack = stack_for(i, *p);
        let t = stack
            .synth()
            .unwrap_or_else(|e| panic!("matrix point {i} {p:?} does not synthesize:\n{e}"));
        let file = dir.join(format!("matrix{i}.template.json"));
        std::fs::write(&file, t.to_json_pretty()).unwrap();
        files.push(file);
    }
    let out = Command::new(&cfn_lint)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("cfn-lint runs");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint did not print JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let serious: Vec<String> = findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .filter(|f| f["Level"] != "Informational")
        .map(|f| {
            format!(
                "{} {} {} {}: {}",
                f["Level"], f["Rule"]["Id"], f["Filename"], f["Location"]["Path"], f["Message"]
            )
        })
        .collect();
    println!(
        "cfn-lint matrix: {} templates, {} findings (errors and warnings)",
        files.len(),
        serious.len()
    );
    assert!(
        serious.is_empty(),
        "cfn-lint findings over {} templates:\n{}",
        files.len(),
        serious.join("\n")
    );
}
