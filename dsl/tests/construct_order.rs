//! Order independence: the same stack written in another call order gives the same bytes.

use nephos::constructs::{Bucket, Code, Function, Key, Runtime, Table};
use nephos::{Diagnostic, RawResource, Stack};

fn tagged(order: &[&str]) -> String {
    let mut stack = Stack::new("Tags");
    let mut f = Function::new(Runtime::Python312, "index.handler", Code::inline("x"));
    let mut b = Bucket::new();
    let mut t = Table::new(Key::string("id"));
    let mut raw = RawResource::new("AWS::SQS::Queue");
    let mut raw_tags = Vec::new();
    for k in order {
        f = f.tag(*k, "v");
        b = b.tag(*k, "v");
        t = t.tag(*k, "v");
        raw_tags.push(serde_json::json!({"Key": k, "Value": "v"}));
    }
    raw = raw.property("Tags", serde_json::Value::Array(raw_tags));
    stack.add("F", f);
    stack.add("B", b);
    stack.add("T", t);
    stack.add("Q", raw);
    stack.synth().unwrap().to_json_pretty()
}

#[test]
fn tags_are_written_sorted_by_key_whatever_the_call_order() {
    let a = tagged(&["team", "app", "cost-center"]);
    let b = tagged(&["app", "cost-center", "team"]);
    assert_eq!(a, b);
    let j: serde_json::Value = serde_json::from_str(&a).unwrap();
    for id in ["F", "B", "T", "Q"] {
        let keys: Vec<&str> = j["Resources"][id]["Properties"]["Tags"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} has tags"))
            .iter()
            .map(|t| t["Key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["app", "cost-center", "team"], "{id}");
    }
}

#[test]
fn a_tag_key_given_twice_is_a_synth_error() {
    let mut stack = Stack::new("Tags");
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .tag("team", "a")
            .tag("team", "b"),
    );
    let e: Vec<String> = stack
        .synth()
        .unwrap_err()
        .diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect();
    assert!(
        e.iter().any(|d| d.contains("resource `F` property `Tags`")
            && d.contains("tag key `team` is given twice")),
        "{e:?}"
    );
}

mod wiring {
    use nephos::constructs::{
        Bucket, Code, Function, FunctionRef, NotificationFilter, Queue, Runtime, S3Event, Topic,
    };
    use nephos::{Diagnostic, Parameter, Stack};

    fn function(stack: &mut Stack, id: &str, timeout: i64) -> FunctionRef {
        stack.add(
            id,
            Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(timeout),
        )
    }

    fn errors(stack: &Stack) -> Vec<String> {
        match stack.synth() {
            Ok(t) => panic!(
                "synthesized, but errors were expected:\n{}",
                t.to_json_pretty()
            ),
            Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
        }
    }

    /// One wiring call.
    type Step<'a> = Box<dyn Fn(&mut Stack) + 'a>;

    fn fan_in(reversed: bool) -> String {
        let mut stack = Stack::new("App");
        let a = stack.add("A", Queue::new().visibility_timeout(60));
        let b = stack.add("B", Queue::new().visibility_timeout(60));
        let topic = stack.add("Events", Topic::new());
        let f = function(&mut stack, "Worker", 10);
        let g = function(&mut stack, "Thumbs", 10);
        let uploads = stack.add("Uploads", Bucket::new());
        let mut steps: Vec<Step> = vec![
            Box::new(|s| {
                a.trigger(s, &f, 10);
            }),
            // S3 keeps notification configurations as a set: their order must not follow
            // the calls'.
            Box::new(|s| {
                uploads.notify_function(
                    s,
                    &[S3Event::ObjectCreated],
                    NotificationFilter::prefix("a/"),
                    &f,
                );
            }),
            Box::new(|s| {
                uploads.notify_function(
                    s,
                    &[S3Event::ObjectCreated],
                    NotificationFilter::prefix("b/"),
                    &g,
                );
            }),
            Box::new(|s| {
                b.trigger(s, &f, 10);
            }),
            Box::new(|s| {
                topic.subscribe_email(s, "a@example.com");
            }),
            Box::new(|s| {
                topic.subscribe_email(s, "b@example.com");
            }),
        ];
        if reversed {
            steps.reverse();
        }
        for step in steps {
            step(&mut stack);
        }
        stack.synth().unwrap().to_json_pretty()
    }

    #[test]
    fn reordering_wiring_calls_renames_nothing() {
        let forward = fan_in(false);
        assert_eq!(forward, fan_in(true));
        for id in [
            "WorkerATrigger",
            "WorkerBTrigger",
            "EventsEmailSubscriptionAExampleCom",
            "EventsEmailSubscriptionBExampleCom",
        ] {
            assert!(forward.contains(&format!("\"{id}\"")), "{id}");
        }
    }

    #[test]
    fn the_same_pair_wired_twice_shares_one_permission() {
        let mut stack = Stack::new("App");
        let bucket = stack.add("Uploads", Bucket::new());
        let f = function(&mut stack, "Thumbs", 10);
        bucket.notify_function(
            &mut stack,
            &[S3Event::ObjectCreated],
            NotificationFilter::prefix("a/"),
            &f,
        );
        bucket.notify_function(
            &mut stack,
            &[S3Event::ObjectCreated],
            NotificationFilter::prefix("b/"),
            &f,
        );
        let t = stack.synth().unwrap();
        let permissions: Vec<&String> = t.json()["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::Lambda::Permission")
            .map(|(id, _)| id)
            .collect();
        assert_eq!(permissions, ["ThumbsUploadsPermission"]);
        let configs = &t.json()["Resources"]["Uploads"]["Properties"]["NotificationConfiguration"]
            ["LambdaConfigurations"];
        assert_eq!(configs.as_array().unwrap().len(), 2);
    }

    #[test]
    fn the_same_pair_wired_twice_with_other_settings_is_a_synth_error() {
        let mut stack = Stack::new("App");
        let q = stack.add("Jobs", Queue::new().visibility_timeout(60));
        let f = function(&mut stack, "Worker", 10);
        q.trigger(&mut stack, &f, 10);
        q.trigger(&mut stack, &f, 10); // the same: reused, no error by itself
        assert!(stack.synth().is_ok());
        q.trigger(&mut stack, &f, 5);
        let e = errors(&stack);
        assert!(
            e.iter().any(|d| d.contains("resource `WorkerJobsTrigger`")
                && d.contains("`Worker` and `Jobs` are wired twice as an event source mapping with different settings")),
            "{e:?}"
        );
        // Reported once: not also as a logical ID used twice.
        assert!(!e.iter().any(|d| d.contains("used twice")), "{e:?}");
    }

    #[test]
    fn a_wiring_id_collision_is_a_synth_error_naming_both_pairs() {
        let mut stack = Stack::new("App");
        let bc = stack.add("BC", Bucket::new());
        let c = stack.add("C", Bucket::new());
        let a = function(&mut stack, "A", 10);
        let ab = function(&mut stack, "AB", 10);
        bc.notify_function(
            &mut stack,
            &[S3Event::ObjectCreated],
            NotificationFilter::default(),
            &a,
        );
        c.notify_function(
            &mut stack,
            &[S3Event::ObjectCreated],
            NotificationFilter::default(),
            &ab,
        );
        let e = errors(&stack);
        assert!(
            e.iter().any(|d| d.contains("an invoke permission between `AB` and `C` would get the logical ID `ABCPermission`, already taken by AWS::Lambda::Permission `ABCPermission`, the wiring of `A` and `BC`")),
            "{e:?}"
        );
    }

    #[test]
    fn a_queue_whose_visibility_is_below_the_function_timeout_is_refused() {
        // Case constructs/03: default 30 s and 20 s against a 60 s function.
        let mut stack = Stack::new("Jobs");
        let q = stack.add("Jobs", Queue::new());
        let q2 = stack.add("Jobs2", Queue::new().visibility_timeout(20));
        let f = function(&mut stack, "Worker", 60);
        q.trigger(&mut stack, &f, 10);
        q2.trigger(&mut stack, &f, 10);
        let e = errors(&stack);
        for (mapping, queue, seconds) in [
            ("WorkerJobsTrigger", "Jobs", 30),
            ("WorkerJobs2Trigger", "Jobs2", 20),
        ] {
            assert!(
                e.iter().any(|d| d.starts_with(&format!("error: resource `{mapping}`"))
                    && d.contains(&format!("queue `{queue}` has a visibility timeout of {seconds} s, less than the 60 s timeout of function `Worker`"))
                    && d.contains("at least 60 (AWS recommends six times the function timeout: 360)")),
                "{mapping}: {e:?}"
            );
        }
        // Equal is accepted; under `Fn::If` every branch is checked (cfn-lint E3505 reads
        // each); a value computed otherwise leaves a deferred note.
        let with_jobs2 = |visibility: fn(&mut Stack) -> nephos::Value<nephos::kind::Int>| {
            let mut stack = Stack::new("Jobs");
            let v = visibility(&mut stack);
            let q = stack.add("Jobs", Queue::new().visibility_timeout(60));
            let q2 = stack.add("Jobs2", Queue::new().visibility_timeout(v));
            let f = function(&mut stack, "Worker", 60);
            q.trigger(&mut stack, &f, 10);
            q2.trigger(&mut stack, &f, 10);
            stack
        };
        let e = errors(&with_jobs2(|s| {
            let mode = s.parameter("Mode", Parameter::string());
            let c = s.condition("Long", nephos::equals(&mode, "long"));
            nephos::fn_if::<nephos::kind::Int>(&c, 900, 30)
        }));
        assert!(
            e.iter().any(|d| d.contains(
                "queue `Jobs2` has a visibility timeout of 30 s, less than the 60 s timeout"
            )),
            "{e:?}"
        );
        assert!(
            with_jobs2(|s| {
                let mode = s.parameter("Mode", Parameter::string());
                let c = s.condition("Long", nephos::equals(&mode, "long"));
                nephos::fn_if::<nephos::kind::Int>(&c, 900, 60)
            })
            .synth()
            .is_ok()
        );
        let t = with_jobs2(|s| {
            s.transform(nephos::Transform::LanguageExtensions);
            let tiers = s.parameter("Tiers", Parameter::comma_delimited_list());
            nephos::length(tiers.value())
        })
        .synth()
        .unwrap();
        let notes: Vec<String> = t.deferred().iter().map(|d| d.to_string()).collect();
        assert!(
            notes.iter().any(|n| n.contains("resource `WorkerJobs2Trigger`")
                && n.contains("visibility timeout of queue `Jobs2` at least the timeout of function `Worker`")),
            "{notes:?}"
        );
    }
}
