//! Attack 11 (issue 12, section 1): a wiring written outside nephos with the new public
//! methods (`Stack::edit_list`, `edit_statements`, `properties`, `resource_with_id`,
//! `owners_of`, `resource_named_by`, `reaches`, `Value::entries`, `items`, `invalid`),
//! fed hostile inputs. Compiled as its own crate: public API only. A test named `a11_n`
//! guards the fix of finding A11-n of that attack; a test named `held_` records what held.

use nephos::constructs::wiring::s3::{NotificationFilter, S3Event};
use nephos::constructs::{Bucket, Queue};
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{
    Diagnostic, EditError, Handle, IntoValue, Location, Output, Parameter, ResourceRef, Stack,
    Value, equals, fn_if, kind::Any, kind::Str,
};
use serde_json::json;

fn role(stack: &mut Stack, id: &str) -> ResourceRef {
    let trust = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("lambda.amazonaws.com"))
            .action("sts:AssumeRole"),
    );
    stack
        .add(id, nephos::iam::Role::new(trust))
        .resource_ref()
        .clone()
}

/// The user's wiring, as `wiring_public.rs` writes it: append once, sorted, refuse
/// (reporting) what cannot be merged into.
fn attach(stack: &mut Stack, role: &ResourceRef, arn: &str) {
    let arn: Value<Any> = arn.into_value();
    let added = stack.edit_list(role, "ManagedPolicyArns", &[], |items| {
        if !items.contains(&arn) {
            items.push(arn);
            items.sort_by_cached_key(|i| i.to_json().to_string());
        }
    });
    if let Err(e) = added {
        let id = role.logical_id();
        stack.problem(Diagnostic::error(
            Location::property(id, "ManagedPolicyArns"),
            format!("`ManagedPolicyArns` of `{id}`: {e}"),
            "write the list as a literal",
        ));
    }
}

const A: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const B: &str = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";

fn computed(depth: usize, by: &str) -> Result<(), EditError> {
    Err(EditError::Computed {
        depth,
        shown: format!("computed by `{by}`"),
    })
}

// ---------------------------------------------------------------- what held

#[test]
fn held_fn_if_list_is_refused_not_overwritten() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let prod = stack.condition("Prod", equals(nephos::aws::stack_name(), "prod"));
    let list: Value<Any> = fn_if::<Str>(&prod, A, B).into_any();
    stack.set_property(&r, "ManagedPolicyArns", Some(list.clone()));
    let got = stack.edit_list(&r, "ManagedPolicyArns", &[], |i| i.push("x".into_value()));
    assert_eq!(got, computed(0, "Fn::If"));
    assert_eq!(stack.property(&r, "ManagedPolicyArns"), Some(list));
}

#[test]
fn held_json_intrinsic_given_by_cast_is_refused() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let written: Value<Any> = json!({"Fn::If": ["Prod", [A], [B]]}).into_value();
    stack.set_property(&r, "ManagedPolicyArns", Some(written.clone()));
    let got = stack.edit_list(&r, "ManagedPolicyArns", &[], |i| i.push("x".into_value()));
    assert_eq!(got, computed(0, "Fn::If"));
    // Nested: a literal object whose list is a JSON intrinsic.
    let b = stack.add("Up", nephos::s3::Bucket::new());
    let n: Value<Any> = json!({"QueueConfigurations": {"Fn::If": ["Prod", [], []]}}).into_value();
    stack.set_property(
        b.resource_ref(),
        "NotificationConfiguration",
        Some(n.clone()),
    );
    let got = stack.edit_list(
        b.resource_ref(),
        "NotificationConfiguration",
        &["QueueConfigurations"],
        |i| i.push(json!({}).into_value()),
    );
    assert_eq!(got, computed(1, "Fn::If"));
    assert_eq!(
        stack
            .property(b.resource_ref(), "NotificationConfiguration")
            .unwrap()
            .to_json(),
        n.to_json()
    );
}

#[test]
fn held_within_through_a_string_is_not_of_the_expected_shape() {
    let mut stack = Stack::new("App");
    let b = stack.add("Up", nephos::s3::Bucket::new());
    stack.set_property(
        b.resource_ref(),
        "NotificationConfiguration",
        Some("text".into_value()),
    );
    let got = stack.edit_list(
        b.resource_ref(),
        "NotificationConfiguration",
        &["X"],
        |_| (),
    );
    assert_eq!(
        got,
        Err(EditError::Computed {
            depth: 0,
            shown: "not of the expected shape".into()
        })
    );
}

#[test]
fn held_a_resource_of_another_stack_is_not_in_stack() {
    let mut a = Stack::new("A");
    let mut b = Stack::new("B");
    role(&mut a, "Worker");
    let theirs = role(&mut b, "Worker");
    assert_eq!(
        a.edit_list(&theirs, "ManagedPolicyArns", &[], |_| ()),
        Err(EditError::NotInStack)
    );
    assert!(a.properties(&theirs).is_none());
    assert!(a.owners_of(&theirs).is_none());
    let q = b.add("Q", nephos::sqs::Queue::new());
    assert!(a.resource_named_by(&q.arn()).is_none());
    assert!(!a.reaches(&q.arn(), &theirs));
}

#[test]
fn held_single_statement_given_as_json_is_read_as_a_list() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Up", nephos::s3::Bucket::new());
    let doc = PolicyDocument::from_json(json!({
        "Version": "2012-10-17",
        "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    }));
    let p = stack.add(
        "UpPolicy",
        nephos::s3::BucketPolicy::new(bucket.name(), doc),
    );
    let n = stack.edit_statements(p.resource_ref(), "PolicyDocument", |s| s.len());
    assert_eq!(n, Ok(1));
    // A `Statement` that is a JSON intrinsic is refused at depth 1.
    let doc = PolicyDocument::from_json(json!({
        "Version": "2012-10-17",
        "Statement": {"Fn::If": ["C", {}, {}]}
    }));
    let p2 = stack.add(
        "UpPolicy2",
        nephos::s3::BucketPolicy::new(bucket.name(), doc),
    );
    assert_eq!(
        stack.edit_statements(p2.resource_ref(), "PolicyDocument", |s| s.len()),
        Err(EditError::Computed {
            depth: 1,
            shown: "computed by `Fn::If`".into()
        })
    );
}

#[test]
fn held_resource_named_by_sub_parameter_and_if() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", nephos::sqs::Queue::new());
    let p = stack.parameter("P", Parameter::string());
    assert!(stack.resource_named_by(&p.value()).is_none());
    assert!(
        stack
            .resource_named_by(&nephos::sub("${Jobs.Arn}", []))
            .is_none()
    );
    let c = stack.condition("C", equals(nephos::aws::stack_name(), "x"));
    let v: Value<Any> = fn_if::<Str>(&c, q.arn().cast::<Str>(), "y").into_any();
    assert!(stack.resource_named_by(&v).is_none());
}

#[test]
fn held_reaches_terminates_on_a_cycle() {
    let mut stack = Stack::new("App");
    let a = stack.add("A", nephos::sqs::Queue::new());
    let b = stack.add("B", nephos::sqs::Queue::new());
    let other = stack.add("Other", nephos::sqs::Queue::new());
    let redrive = |arn: Value<Any>| -> Value<Any> {
        Value::object([
            ("deadLetterTargetArn", arn),
            ("maxReceiveCount", 3.into_value()),
        ])
    };
    stack.set_property(
        a.resource_ref(),
        "RedrivePolicy",
        Some(redrive(b.arn().into_any())),
    );
    stack.set_property(
        b.resource_ref(),
        "RedrivePolicy",
        Some(redrive(a.arn().into_any())),
    );
    assert!(!stack.reaches(&a.arn(), other.resource_ref()));
    assert!(stack.reaches(&a.arn(), b.resource_ref()));
}

#[test]
fn held_call_order_of_a_sorted_user_wiring_gives_the_same_bytes() {
    let build = |order: &[&str]| {
        let mut stack = Stack::new("App");
        let r = role(&mut stack, "Worker");
        for arn in order {
            attach(&mut stack, &r, arn);
        }
        stack.synth().unwrap().json().to_string()
    };
    assert_eq!(build(&[A, B, A]), build(&[B, A]));
}

#[test]
fn held_built_in_s3_notifications_are_order_independent() {
    let build2 = |flip: bool| {
        let mut stack = Stack::new("App");
        let b = stack.add("Up", Bucket::new());
        let q1 = stack.add("Q1", Queue::new());
        let q2 = stack.add("Q2", Queue::new());
        let calls: Vec<(&str, &nephos::constructs::QueueRef)> = if flip {
            vec![("b/", &q2), ("a/", &q1)]
        } else {
            vec![("a/", &q1), ("b/", &q2)]
        };
        for (p, q) in calls {
            b.notify_queue(
                &mut stack,
                &[S3Event::ObjectCreated],
                NotificationFilter::prefix(p),
                q,
            );
        }
        stack.synth().unwrap().json().to_string()
    };
    assert_eq!(build2(false), build2(true));
}

#[test]
fn held_value_invalid_in_a_wired_list_fails_synth_naming_the_resource() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let bad: Value<Any> = Value::invalid("the policy is turned off", "turn it on");
    stack
        .edit_list(&r, "ManagedPolicyArns", &[], |i| i.push(bad))
        .unwrap();
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("the policy is turned off") && err.contains("Worker"),
        "{err}"
    );
}

#[test]
fn held_value_invalid_reaching_output_only_through_fn_if() {
    let mut stack = Stack::new("App");
    let c = stack.condition("C", equals(nephos::aws::stack_name(), "x"));
    let bad: Value<Str> = Value::invalid("off", "on");
    stack.output("O", Output::new(fn_if::<Str>(&c, bad, "fine")));
    assert!(stack.synth().is_err());
}

// ---------------------------------------------------------------- findings

/// A11-1 (high): an override (`remove_property` / `override_property`) of a property a
/// wiring added to is applied at synth, after the wiring, and silently drops what the
/// wiring added: the "never overwritten or skipped" promise of `edit_list` does not hold
/// against the L1 hatch. `derived_from` exists for exactly this, but neither `edit_list`
/// nor the built-in S3 notification wiring records one.
#[test]
fn a11_1_built_in_notification_dropped_by_remove_property() {
    let mut stack = Stack::new("App");
    let b = stack.add("Up", Bucket::new());
    let q = stack.add("Q", Queue::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &q,
    );
    stack
        .resource(&b)
        .remove_property("NotificationConfiguration");
    match stack.synth() {
        Err(e) => assert!(e.to_string().contains("NotificationConfiguration"), "{e}"),
        Ok(t) => panic!(
            "the wiring's notification was silently dropped: Up = {}",
            t.json()["Resources"]["Up"]
        ),
    }
}

/// A11-1 (same finding), for a user wiring: the added ARN is overwritten at synth.
#[test]
fn a11_1_user_wiring_overwritten_by_override_property() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let handle: nephos::iam::RoleHandle = nephos::FromRef::from_ref(r.clone());
    stack.resource(&handle).override_property(
        "ManagedPolicyArns",
        IntoValue::<Any>::into_value(json!([B])),
    );
    attach(&mut stack, &r, A);
    match stack.synth() {
        Err(e) => assert!(e.to_string().contains("ManagedPolicyArns"), "{e}"),
        Ok(t) => panic!(
            "the wiring's ARN was silently overwritten: {}",
            t.json()["Resources"]["Worker"]["Properties"]["ManagedPolicyArns"]
        ),
    }
}

/// A11-2c (low): `reaches` reads the properties as added, not with their overrides: a
/// reference added by `override_property` (applied at synth) is not seen.
#[test]
fn a11_2c_reaches_misses_a_reference_added_by_an_override() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", nephos::sqs::Queue::new());
    let other = stack.add("Other", nephos::sqs::Queue::new());
    let typed = Value::object([
        ("deadLetterTargetArn", q.arn().into_any()),
        ("maxReceiveCount", 3.into_value()),
    ]);
    stack
        .resource(&other)
        .override_property("RedrivePolicy", typed);
    assert!(stack.reaches(&other.arn(), q.resource_ref()));
}

/// Held: `reaches` sees a reference passed to `sub!` as a variable (an implicit
/// `${Jobs.Arn}` in the template is refused at synth, so it cannot hide one).
#[test]
fn held_reaches_through_a_sub_variable() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", nephos::sqs::Queue::new());
    let v = nephos::sub!("${a}/x", a = q.arn());
    assert!(stack.reaches(&v, q.resource_ref()));
}

/// Held: an item given whole as JSON and the same item built with `value!` compare
/// equal once the list is opened, so `items.contains` dedupes across the two forms.
#[test]
fn held_same_item_given_as_json_is_not_added_again() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    // The statement the wiring adds, already in the list as written by the user (JSON).
    let item: Value<Any> = nephos::value!({"Key": "k", "Value": "v"});
    let written: Value<Any> = json!([{"Key": "k", "Value": "v"}]).into_value();
    stack.set_property(&r, "Tags", Some(written));
    let n = stack
        .edit_list(&r, "Tags", &[], |items| {
            if !items.contains(&item) {
                items.push(item.clone());
            }
            items.len()
        })
        .unwrap();
    assert_eq!(
        n, 1,
        "the item equal as JSON was not recognised as already there"
    );
}

/// A11-4 (medium): opening a deep literal (`Expr::from_json`) recurses, so a wiring on a
/// literal nested deeper than the thread's stack aborts the process instead of the
/// synth error `synth/depth.rs` promises. Run in a child process.
#[test]
fn a11_4_deep_literal_opened_by_edit_list_does_not_abort() {
    if std::env::var("A11_DEEP_CHILD").is_ok() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args(["--exact", "deep_child", "--ignored", "--nocapture"])
        .env("A11_DEEP_CHILD", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "child died: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore]
fn deep_child() {
    let mut stack = Stack::new("App");
    let b = stack.add("Up", nephos::s3::Bucket::new());
    // 1,000 levels: with `A11_CONTROL` set (no `edit_list`), synth refuses it with its
    // depth error; with the `edit_list`, the process aborts on a stack overflow.
    let depth: usize = std::env::var("A11_DEPTH")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(1_000);
    let mut deep = json!(1);
    for _ in 0..depth {
        deep = json!({ "k": deep });
    }
    let doc: Value<Any> = json!({"QueueConfigurations": [], "Deep": deep}).into_value();
    if std::env::var("A11_STOP").is_ok() {
        std::mem::forget(doc);
        return;
    }
    stack.set_property(b.resource_ref(), "NotificationConfiguration", Some(doc));
    if std::env::var("A11_CONTROL").is_err() {
        let _ = stack.edit_list(
            b.resource_ref(),
            "NotificationConfiguration",
            &["QueueConfigurations"],
            |_| (),
        );
    }
    let err = stack.synth().unwrap_err().to_string();
    assert!(err.contains("deep") || err.contains("levels"), "{err}");
    std::mem::forget(stack);
}

/// A11-6 (low; documented, but a trap): an edit that adds nothing (a wiring whose item is
/// already elsewhere, or refused inside the closure) still writes the empty list it
/// created (`ManagedPolicyArns: []`; for `edit_statements` on an unset document,
/// `{"Statement": []}`): the template changes although nothing was wired.
#[test]
fn a11_6_an_edit_that_adds_nothing_changes_the_template() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let before = stack.synth().unwrap().json().to_string();
    stack
        .edit_list(&r, "ManagedPolicyArns", &[], |_| ())
        .unwrap();
    let after = stack.synth().unwrap().json().to_string();
    assert_eq!(before, after);
}

/// Held: a long list (10k items) and a deep `within` path (200 keys) must not panic.
#[test]
fn held_long_list_and_deep_path_do_not_panic() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let arns: Vec<String> = (0..10_000)
        .map(|i| format!("arn:aws:iam::aws:policy/P{i:05}"))
        .collect();
    for a in arns.iter().rev().take(200) {
        attach(&mut stack, &r, a);
    }
    stack
        .edit_list(&r, "ManagedPolicyArns", &[], |i| {
            i.extend(arns.iter().map(|a| a.as_str().into_value()))
        })
        .unwrap();
    assert!(
        stack.synth().is_err(),
        "10k managed policies is over IAM's quota"
    );
    let mut stack = Stack::new("App");
    let b = stack.add("Up", nephos::s3::Bucket::new());
    let path: Vec<String> = (0..200).map(|i| format!("K{i}")).collect();
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    stack
        .edit_list(b.resource_ref(), "NotificationConfiguration", &path, |_| ())
        .unwrap();
    let err = stack.synth().unwrap_err().to_string();
    assert!(err.contains("Up"), "{err}");
}

/// A11-8 (medium): built-in construct and wiring code still uses crate-private items the
/// guard (`construct_public_api.rs`) does not see: its tokens miss them, and the
/// `import/`, `metrics/` and `timing/` directories (no sibling `.rs` file) are never
/// scanned. Each hit is an item a user's construct cannot name.
#[test]
fn a11_8_guard_misses_crate_private_uses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/constructs");
    // (file, crate-private use): found by grepping every `pub(crate)` item's name.
    let known: &[(&str, &str)] = &[
        // `pub(crate) const MAX_LEN` of the private `stack::logical_id`.
        ("wiring/api_route.rs", "crate::stack::logical_id::MAX_LEN"),
        // `pub(crate) fn derived_record`, `pub(crate) struct Record`, `enum Fix`.
        ("table.rs", "stack.derived_record("),
        ("table.rs", "crate::stack::derived::{Fix, Record}"),
        // Unscanned directory: `from_expr(Expr::Invalid(..))` where `Value::invalid` exists.
        (
            "import/bucket.rs",
            "from_expr(crate::value::expr::Expr::Invalid",
        ),
    ];
    let found: Vec<String> = known
        .iter()
        .filter(|(f, t)| {
            std::fs::read_to_string(root.join(f))
                .map(|s| s.contains(t))
                .unwrap_or(false)
        })
        .map(|(f, t)| format!("{f}: `{t}`"))
        .collect();
    assert!(
        found.is_empty(),
        "crate-private uses the guard misses:\n{}",
        found.join("\n")
    );
}

/// A11-5: a property name the type's registry schema does not declare, however it got
/// there (a wiring's edit, `set_property`, an override), is a synth error naming the
/// resource and the declared name it is closest to.
#[test]
fn a11_5_a_property_the_schema_does_not_declare_is_a_synth_error() {
    let mut stack = Stack::new("App");
    let r = role(&mut stack, "Worker");
    let arn: Value<Any> = "arn:aws:iam::aws:policy/ReadOnlyAccess".into_value();
    stack
        .edit_list(&r, "ManagedPolicyArn", &[], |items| items.push(arn))
        .unwrap();
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("AWS::IAM::Role has no property `ManagedPolicyArn`")
            && err.contains("did you mean `ManagedPolicyArns`")
            && err.contains("Worker"),
        "{err}"
    );

    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", nephos::sqs::Queue::new());
    stack.resource(&q).override_property("DelaySecond", 5);
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("AWS::SQS::Queue has no property `DelaySecond`")
            && err.contains("did you mean `DelaySeconds`"),
        "{err}"
    );

    // A custom resource takes any property: its provider defines them.
    let mut stack = Stack::new("App");
    stack.add(
        "Seed",
        nephos::RawResource::new("Custom::Seed")
            .property(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:f",
            )
            .property("Anything", 1),
    );
    assert!(stack.synth().is_ok());
}
