//! A grant target known by ARN (`Target::by_arn`): a secret a service manages for a
//! resource of the stack (RDS's master user secret) is read through the key that
//! resource names, as a generated `secretsmanager::Secret` is; an attribute whose key
//! nephos does not know is refused rather than granted without it. (That a URL or a name
//! does not compile there is the `compile_fail` example on `Target::by_arn`.)
#![cfg(all(feature = "rds", feature = "kms", feature = "secretsmanager"))]

use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Code, Function, Runtime};
use nephos::kind::AnyArn;
use nephos::{RawResource, Stack, Value};

fn f() -> Function {
    Function::new(
        Runtime::Python312,
        "index.handler",
        Code::inline("def handler(e, c):\n    return e\n"),
    )
}

fn db(stack: &mut Stack, key: Option<&nephos::kms::KeyHandle>) -> nephos::rds::DbInstanceHandle {
    let mut secret = nephos::rds::db_instance::MasterUserSecret::new();
    if let Some(key) = key {
        secret = secret.kms_key_id(key.arn());
    }
    stack.add(
        "Db",
        nephos::rds::DbInstance::new()
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage("20")
            .master_username("app")
            .manage_master_user_password(true)
            .master_user_secret(secret),
    )
}

/// The role policy's statements, as JSON.
fn statements(stack: &Stack) -> Vec<serde_json::Value> {
    let t = stack.synth().expect("synthesizes");
    let json = t.json().clone();
    let mut out = Vec::new();
    for (_, r) in json["Resources"].as_object().unwrap() {
        if let Some(policies) = r["Properties"]["Policies"].as_array() {
            for p in policies {
                out.extend(
                    p["PolicyDocument"]["Statement"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .cloned(),
                );
            }
        }
    }
    out
}

#[test]
fn a_managed_master_secret_is_read_with_the_key_its_database_names() {
    let mut s = Stack::new("RdsSecret");
    let key = s.add("Key", nephos::kms::Key::new());
    let db = db(&mut s, Some(&key));
    let func = s.add("Fn", f());
    grants::secret::read(
        &mut s,
        &func,
        &Target::by_arn("secret", db.master_user_secret_secret_arn()),
    );
    let st = statements(&s);
    let decrypt = st.iter().find(|x| x.to_string().contains("kms:Decrypt"));
    let decrypt = decrypt.unwrap_or_else(|| panic!("no kms:Decrypt in {st:#?}"));
    assert!(
        decrypt["Resource"].to_string().contains("\"Key\""),
        "{decrypt:#}"
    );
}

#[test]
fn a_managed_master_secret_without_a_key_needs_no_key_grant() {
    let mut s = Stack::new("RdsSecret");
    let db = db(&mut s, None);
    let func = s.add("Fn", f());
    grants::secret::read(
        &mut s,
        &func,
        &Target::by_arn("secret", db.master_user_secret_secret_arn()),
    );
    let st = statements(&s);
    assert!(
        st.iter()
            .any(|x| x.to_string().contains("secretsmanager:GetSecretValue"))
    );
    assert!(
        !st.iter().any(|x| x.to_string().contains("kms:")),
        "{st:#?}"
    );
}

#[test]
fn a_secret_attribute_whose_key_is_unknown_is_refused() {
    let mut s = Stack::new("Unknown");
    let influx = s.add(
        "Influx",
        RawResource::new("AWS::Timestream::InfluxDBInstance"),
    );
    let func = s.add("Fn", f());
    let arn: Value<AnyArn> = influx.get_att("InfluxAuthParametersSecretArn");
    grants::secret::read(&mut s, &func, &Target::by_arn("secret", arn));
    let e = s.synth().unwrap_err().to_string();
    assert!(
        e.contains("InfluxAuthParametersSecretArn") && e.contains("encrypted_with"),
        "{e}"
    );
    // Given the key (here: none), the grant is made.
    let mut s = Stack::new("Given");
    let influx = s.add(
        "Influx",
        RawResource::new("AWS::Timestream::InfluxDBInstance"),
    );
    let func = s.add("Fn", f());
    let arn: Value<AnyArn> = influx.get_att("InfluxAuthParametersSecretArn");
    grants::secret::read(
        &mut s,
        &func,
        &Target::by_arn("secret", arn).encrypted_with(None),
    );
    assert!(s.synth().is_ok());
}
