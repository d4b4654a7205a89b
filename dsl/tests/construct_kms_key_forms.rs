//! A construct's `kms_key` takes the key in every form its property accepts (a key's ARN or
//! ID, an alias name, an alias ARN: the L1 union `KmsAliasNameOrKeyArnOrId`), writes it as
//! given, and grants on it cover the key by its ARN, or refuse at synth where the form
//! gives no ARN to scope to (a customer alias from outside the stack, a computed value that
//! may be one); never on every key. Run with `--features kms` (and `kinesis` for streams).
#![cfg(feature = "kms")]

use nephos::constructs::grants::{self, EncryptionKey};
use nephos::constructs::{
    Bucket, BucketEncryption, Code, Function, FunctionRef, Key, NotificationFilter, Queue, Runtime,
    S3Event, Table, Topic,
};
use nephos::kind::Str;
use nephos::kinds::{KmsAliasAliasName, KmsAliasNameOrKeyArnOrId, KmsKeyArn, KmsKeyId};
use nephos::{Param, Stack, Value, import_value};
use serde_json::{Value as J, json};

mod roundtrip_support;

const KEY_ARN: &str = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

/// The key forms a test stack offers, each made in the stack it is used in.
#[derive(Clone, Copy, Debug)]
enum Form {
    HandleArn,
    HandleId,
    StackAlias,
    LiteralArn,
    LiteralId,
    ImportedArn,
    ImportedId,
    AwsManaged,
    CustomerAliasName,
    CustomerAliasArn,
    ImportedUnion,
    ImportedAliasName,
}

/// What a grant on a target encrypted with a form's key holds about the key.
#[derive(Debug, PartialEq)]
enum Expect {
    /// A statement on this resource, scoped by `kms:ViaService`.
    On(J),
    /// No key statement (an AWS managed key).
    Nothing,
    /// A synth error naming the alias or the computed value.
    Refused,
}

const FORMS: [Form; 12] = [
    Form::HandleArn,
    Form::HandleId,
    Form::StackAlias,
    Form::LiteralArn,
    Form::LiteralId,
    Form::ImportedArn,
    Form::ImportedId,
    Form::AwsManaged,
    Form::CustomerAliasName,
    Form::CustomerAliasArn,
    Form::ImportedUnion,
    Form::ImportedAliasName,
];

fn id_arn(id: J) -> J {
    json!({"Fn::Sub": ["arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${id}", {"id": id}]})
}

impl Form {
    /// The key in this form, made in `stack`, with what the property holds and what a
    /// grant does with it. `managed` is the service's AWS managed alias.
    fn make(self, stack: &mut Stack, managed: &str) -> (EncryptionKey, J, Expect) {
        let key_arn = json!({"Fn::GetAtt": ["Key", "Arn"]});
        let lit = |s: &str| Value::<KmsAliasNameOrKeyArnOrId>::literal(s);
        match self {
            Form::HandleArn => {
                let k = stack.add("Key", nephos::kms::Key::new());
                (k.arn().into(), key_arn.clone(), Expect::On(key_arn))
            }
            Form::HandleId => {
                let k = stack.add("Key", nephos::kms::Key::new());
                (k.id().into(), json!({"Ref": "Key"}), Expect::On(key_arn))
            }
            Form::StackAlias => {
                let k = stack.add("Key", nephos::kms::Key::new());
                let a = stack.add("KeyAlias", nephos::kms::Alias::new("alias/app", k.id()));
                (
                    a.name().into(),
                    json!({"Ref": "KeyAlias"}),
                    Expect::On(key_arn),
                )
            }
            Form::LiteralArn => (
                Value::<KmsKeyArn>::literal(KEY_ARN).into(),
                json!(KEY_ARN),
                Expect::On(json!(KEY_ARN)),
            ),
            Form::LiteralId => (
                Value::<KmsKeyId>::literal(KEY_ID).into(),
                json!(KEY_ID),
                // A literal ID is written into the `Fn::Sub` string (cfn-lint W1020).
                Expect::On(json!({"Fn::Sub": format!(
                    "arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/{KEY_ID}"
                )})),
            ),
            Form::ImportedArn => {
                let v = json!({"Fn::ImportValue": "Shared-KeyArn"});
                (
                    import_value::<KmsKeyArn>("Shared-KeyArn").into(),
                    v.clone(),
                    Expect::On(v),
                )
            }
            Form::ImportedId => {
                let v = json!({"Fn::ImportValue": "Shared-KeyId"});
                (
                    import_value::<KmsKeyId>("Shared-KeyId").into(),
                    v.clone(),
                    Expect::On(id_arn(v)),
                )
            }
            Form::AwsManaged => (lit(managed).into(), json!(managed), Expect::Nothing),
            Form::CustomerAliasName => (
                lit("alias/mine").into(),
                json!("alias/mine"),
                Expect::Refused,
            ),
            Form::CustomerAliasArn => {
                let arn = "arn:aws:kms:eu-west-1:123456789012:alias/mine";
                (lit(arn).into(), json!(arn), Expect::Refused)
            }
            Form::ImportedUnion => (
                import_value::<KmsAliasNameOrKeyArnOrId>("Shared-Key").into(),
                json!({"Fn::ImportValue": "Shared-Key"}),
                Expect::Refused,
            ),
            Form::ImportedAliasName => (
                import_value::<KmsAliasAliasName>("Shared-Alias").into(),
                json!({"Fn::ImportValue": "Shared-Alias"}),
                Expect::Refused,
            ),
        }
    }
}

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "Fn",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

/// An encrypted target of one construct: its logical ID, the JSON pointer of its key
/// property, the service `kms:ViaService` names, its AWS managed alias, and the code that
/// adds it with a key (and grants `Fn` on it when asked).
struct Construct {
    id: &'static str,
    pointer: &'static str,
    service: &'static str,
    managed: &'static str,
    add: fn(&mut Stack, EncryptionKey, Option<&FunctionRef>),
}

fn constructs() -> Vec<Construct> {
    // Pushed to only with the kinesis feature.
    #[cfg_attr(not(feature = "kinesis"), allow(unused_mut))]
    let mut all = vec![
        Construct {
            id: "Q",
            pointer: "/KmsMasterKeyId",
            service: "sqs",
            managed: "alias/aws/sqs",
            add: |s, k, f| {
                let q = s.add("Q", Queue::new().kms_key(k));
                if let Some(f) = f {
                    q.grant_consume(s, f);
                }
            },
        },
        Construct {
            id: "T",
            pointer: "/KmsMasterKeyId",
            service: "sns",
            managed: "alias/aws/sns",
            add: |s, k, f| {
                let t = s.add("T", Topic::new().kms_key(k));
                if let Some(f) = f {
                    t.grant_publish(s, f);
                }
            },
        },
        Construct {
            id: "D",
            pointer: "/SSESpecification/KMSMasterKeyId",
            service: "dynamodb",
            managed: "alias/aws/dynamodb",
            add: |s, k, f| {
                let t = s.add("D", Table::new(Key::string("id")).kms_key(k));
                if let Some(f) = f {
                    t.grant_read(s, f);
                }
            },
        },
        Construct {
            id: "B",
            pointer: "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID",
            service: "s3",
            managed: "alias/aws/s3",
            add: |s, k, f| {
                let b = s.add("B", Bucket::new().encryption(BucketEncryption::kms(k)));
                if let Some(f) = f {
                    b.grant_read(s, f);
                }
            },
        },
    ];
    #[cfg(feature = "kinesis")]
    all.push(Construct {
        id: "S",
        pointer: "/StreamEncryption/KeyId",
        service: "kinesis",
        managed: "alias/aws/kinesis",
        add: |s, k, f| {
            let st = s.add("S", nephos::constructs::KinesisStream::new().kms_key(k));
            if let Some(f) = f {
                st.grant_read(s, f);
            }
        },
    });
    all
}

/// The role's statements naming a `kms:` action.
fn key_statements(t: &J) -> Vec<J> {
    t["Resources"]["FnRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|s| s["Action"].to_string().contains("kms:"))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_form_is_written_as_given() {
    for c in constructs() {
        for form in FORMS {
            let mut stack = Stack::new("App");
            let (key, written, _) = form.make(&mut stack, c.managed);
            (c.add)(&mut stack, key, None);
            let t = stack
                .synth()
                .unwrap_or_else(|e| panic!("{} {form:?}: {e}", c.id));
            let props = &t.json()["Resources"][c.id]["Properties"];
            assert_eq!(
                props.pointer(c.pointer),
                Some(&written),
                "{} {form:?}: {props}",
                c.id
            );
        }
    }
}

#[test]
fn grants_cover_the_key_by_its_arn_or_refuse() {
    for c in constructs() {
        for form in FORMS {
            let mut stack = Stack::new("App");
            let f = function(&mut stack);
            let (key, _, expect) = form.make(&mut stack, c.managed);
            (c.add)(&mut stack, key, Some(&f));
            let what = format!("{} {form:?}", c.id);
            match expect {
                Expect::On(resource) => {
                    let t = stack.synth().unwrap_or_else(|e| panic!("{what}: {e}"));
                    let s = key_statements(t.json());
                    assert_eq!(s.len(), 1, "{what}: {s:?}");
                    assert_eq!(s[0]["Resource"], json!([resource]), "{what}");
                    let via = s[0]["Condition"]["StringEquals"]["kms:ViaService"].to_string();
                    assert!(
                        via.contains(&format!("{}.${{AWS::Region}}", c.service)),
                        "{what}: {via}"
                    );
                }
                Expect::Nothing => {
                    let t = stack.synth().unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert!(key_statements(t.json()).is_empty(), "{what}");
                }
                Expect::Refused => {
                    let e = stack.synth().expect_err(&what).to_string();
                    assert!(
                        e.contains(&format!("`{}`", c.id))
                            && e.contains("key's ARN")
                            && e.contains("encrypted_with"),
                        "{what}: {e}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_refused_alias_is_granted_once_its_key_arn_is_given() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let alias = Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/mine");
    let q = stack.add("Q", Queue::new().kms_key(alias));
    let arn = Value::<KmsKeyArn>::literal(KEY_ARN);
    let target = q.grant_target().encrypted_with(Some(arn.into()));
    grants::queue::consume(&mut stack, &f, &target);
    let t = stack.synth().expect("synth");
    let s = key_statements(t.json());
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["Resource"], json!([KEY_ARN]));
    // The queue still names the alias: only the grant was told the key.
    assert_eq!(
        t.json()["Resources"]["Q"]["Properties"]["KmsMasterKeyId"],
        "alias/mine"
    );
}

#[test]
fn a_delivery_into_a_queue_under_a_stack_alias_goes_into_its_keys_policy() {
    let mut stack = Stack::new("App");
    let key = stack.add("Key", nephos::kms::Key::new());
    let alias = stack.add("KeyAlias", nephos::kms::Alias::new("alias/app", key.id()));
    let q = stack.add("Q", Queue::new().kms_key(alias.name()));
    let b = stack.add("B", Bucket::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("in/"),
        &q,
    );
    let t = stack.synth().expect("synth");
    let policy = t.json()["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"].to_string();
    assert!(policy.contains("s3.amazonaws.com"), "{policy}");
}

#[test]
fn a_delivery_into_a_queue_under_an_aws_managed_key_is_refused() {
    let mut stack = Stack::new("App");
    let managed = Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sqs");
    let q = stack.add("Q", Queue::new().kms_key(managed));
    let b = stack.add("B", Bucket::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("in/"),
        &q,
    );
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("AWS managed") && e.contains("alias/aws/sqs") && e.contains("cannot be changed"),
        "{e}"
    );
}

/// Every construct under one form a grant accepts, granted to one function.
fn accepted(stack: &mut Stack, form: Form) {
    let f = function(stack);
    let mut shared: Option<EncryptionKey> = None;
    for c in constructs() {
        // One key (and alias) per stack; the AWS managed alias is the service's own.
        let key = match form {
            Form::AwsManaged => form.make(stack, c.managed).0,
            _ => shared
                .get_or_insert_with(|| form.make(stack, c.managed).0)
                .clone(),
        };
        (c.add)(stack, key, Some(&f));
    }
}

#[test]
fn every_accepted_form_passes_cfn_lint() {
    fn case<const N: usize>(stack: &mut Stack, _: &Param<Str>) {
        accepted(stack, FORMS[N]);
    }
    roundtrip_support::run(&[
        ("Nephos::KmsKey::HandleArn", case::<0>),
        ("Nephos::KmsKey::HandleId", case::<1>),
        ("Nephos::KmsKey::StackAlias", case::<2>),
        ("Nephos::KmsKey::LiteralArn", case::<3>),
        ("Nephos::KmsKey::LiteralId", case::<4>),
        ("Nephos::KmsKey::ImportedArn", case::<5>),
        ("Nephos::KmsKey::ImportedId", case::<6>),
        ("Nephos::KmsKey::AwsManaged", case::<7>),
    ]);
}
