//! The KMS key, Secrets Manager secret and SSM parameter constructs: their defaults,
//! their grants (statements, actions, resources, the key they cover), how the key
//! plugs into the other constructs' `kms_key` and key policy wiring, the synth errors
//! for what the services refuse, and cfn-lint over a stack using them all. Run with
//! `--features kms,secretsmanager,ssm`.
#![cfg(all(feature = "kms", feature = "secretsmanager", feature = "ssm"))]

use nephos::assertions::Assertions;
use nephos::constructs::{
    Code, Function, FunctionRef, KmsKey, Queue, RemovalPolicy, Runtime, Secret, SecretGenerator,
    StringParameter, Topic,
};
use nephos::kind::Str;
use nephos::kinds::KmsKeyArn;
use nephos::policy::{Principal, Statement};
use nephos::{Param, Stack};
use serde_json::{Value as J, json};

mod roundtrip_support;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn errors(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

/// The statements of `role`'s `Grants` policy.
fn grants(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn root_statement() -> J {
    json!({
        "Effect": "Allow",
        "Principal": {"AWS": [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}]},
        "Action": ["kms:*"],
        "Resource": ["*"]
    })
}

#[test]
fn a_key_rotates_is_kept_and_its_policy_keeps_the_account_admin() {
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new().alias("app/data"));
    let t = synth(&stack);
    let k = &t["Resources"]["Data"];
    assert_eq!(k["Type"], "AWS::KMS::Key");
    assert_eq!(k["Properties"]["EnableKeyRotation"], true);
    assert_eq!(k["DeletionPolicy"], "Retain");
    assert_eq!(k["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        k["Properties"]["KeyPolicy"]["Statement"],
        json!([root_statement()])
    );
    let alias = &t["Resources"]["DataAlias"];
    assert_eq!(alias["Type"], "AWS::KMS::Alias");
    assert_eq!(alias["Properties"]["AliasName"], "alias/app/data");
    assert_eq!(alias["Properties"]["TargetKeyId"], json!({"Ref": "Data"}));
    assert_eq!(
        key.alias_name().unwrap().to_json(),
        json!({"Ref": "DataAlias"})
    );

    let mut stack = Stack::new("App");
    stack.add(
        "Scratch",
        KmsKey::new()
            .removal_policy(RemovalPolicy::Destroy)
            .pending_window_days(7),
    );
    let t = synth(&stack);
    assert_eq!(t["Resources"]["Scratch"]["DeletionPolicy"], "Delete");
    assert_eq!(
        t["Resources"]["Scratch"]["Properties"]["PendingWindowInDays"],
        7
    );
}

#[test]
fn key_grants_are_direct_and_on_the_key_only() {
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    let enc = function(&mut stack, "Enc");
    let dec = function(&mut stack, "Dec");
    let both = function(&mut stack, "Both");
    assert!(key.grant_encrypt(&mut stack, &enc).is_some());
    assert!(key.grant_decrypt(&mut stack, &dec).is_some());
    assert!(key.grant_encrypt_decrypt(&mut stack, &both).is_some());
    let t = synth(&stack);
    let on_key = json!([{"Fn::GetAtt": ["Data", "Arn"]}]);
    for (role, actions) in [
        (
            "EncRole",
            json!(["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]),
        ),
        ("DecRole", json!(["kms:Decrypt"])),
        (
            "BothRole",
            json!([
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*"
            ]),
        ),
    ] {
        let s = grants(&t, role);
        assert_eq!(s.len(), 1, "{role}: {s:?}");
        assert_eq!(s[0]["Action"], actions, "{role}");
        assert_eq!(s[0]["Resource"], on_key, "{role}");
        assert!(s[0].get("Condition").is_none(), "{role}");
    }
}

#[test]
fn the_key_plugs_into_encrypted_constructs_and_their_key_policy_wiring() {
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    let jobs = stack.add("Jobs", Queue::new().kms_key(&key));
    let topic = stack.add("Orders", Topic::new().kms_key(&key));
    let worker = function(&mut stack, "Worker");
    jobs.grant_consume(&mut stack, &worker);
    topic.subscribe_queue_with(
        &mut stack,
        &jobs,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Jobs"]["Properties"]["KmsMasterKeyId"],
        json!({"Fn::GetAtt": ["Data", "Arn"]})
    );
    // The consume grant covers the key, only through SQS.
    let via: Vec<J> = grants(&t, "WorkerRole")
        .iter()
        .filter(|s| s["Resource"] == json!([{"Fn::GetAtt": ["Data", "Arn"]}]))
        .map(|s| s["Condition"]["StringEquals"]["kms:ViaService"].clone())
        .collect();
    assert_eq!(
        via,
        vec![json!({"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"})]
    );
    // SNS delivering into the encrypted queue is allowed in the key's policy, after the
    // account's own statement, which stays first.
    let policy = t["Resources"]["Data"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(policy[0], root_statement());
    assert_eq!(policy.len(), 2, "{policy:?}");
    assert_eq!(
        policy[1]["Principal"]["Service"],
        json!(["sns.amazonaws.com"])
    );
}

#[test]
fn key_policy_statements_are_added_checked_and_never_lock_the_account_out() {
    let mut stack = Stack::new("App");
    let other = Statement::allow()
        .principal(Principal::aws("arn:aws:iam::210987654321:root"))
        .action("kms:Decrypt")
        .resource("*");
    let key = stack.add("Data", KmsKey::new().policy_statement(other.clone()));
    key.add_to_key_policy(&mut stack, other);
    let t = synth(&stack);
    let policy = t["Resources"]["Data"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        policy.len(),
        2,
        "the same statement twice is one: {policy:?}"
    );

    let deny = || {
        Statement::deny()
            .principal(Principal::any())
            .action("kms:Put*")
            .resource("*")
    };
    let mut stack = Stack::new("App");
    stack.add("Data", KmsKey::new().policy_statement(deny()));
    let e = errors(&stack);
    assert!(e.contains("`Data`") && e.contains("kms:Put*"), "{e}");

    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    key.add_to_key_policy(&mut stack, deny());
    assert!(errors(&stack).contains("kms:PutKeyPolicy"));

    // A conditioned `Deny` (outside the organization, say) is the user's to write.
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    key.add_to_key_policy(
        &mut stack,
        deny().condition("StringNotEquals", "aws:PrincipalOrgID", "o-abc123"),
    );
    synth(&stack);

    // A key policy statement without a principal is refused.
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    key.add_to_key_policy(
        &mut stack,
        Statement::allow().action("kms:Decrypt").resource("*"),
    );
    assert!(errors(&stack).contains("`Data`"));
}

/// The public helper a key construct of one's own uses: a generated key without a
/// policy gets KMS's default written before the statement, and a key of another stack is
/// refused (the statement used to be dropped without a word).
#[test]
fn a_statement_goes_into_a_generated_keys_policy_and_never_into_another_stacks() {
    use nephos::constructs::wiring::key_policy::add_key_statement;
    let other = || {
        Statement::allow()
            .principal(Principal::aws("arn:aws:iam::210987654321:root"))
            .action("kms:Decrypt")
            .resource("*")
    };
    let mut stack = Stack::new("App");
    let key = stack.add("Raw", nephos::kms::Key::new());
    add_key_statement(&mut stack, &key, other());
    let t = synth(&stack);
    let policy = &t["Resources"]["Raw"]["Properties"]["KeyPolicy"]["Statement"];
    assert_eq!(policy[0]["Action"], json!(["kms:*"]), "{policy}");
    assert_eq!(policy[1]["Action"], json!(["kms:Decrypt"]), "{policy}");

    let mut elsewhere = Stack::new("Shared");
    let key = elsewhere.add("Data", KmsKey::new());
    let mut stack = Stack::new("App");
    stack.add("Jobs", Queue::new());
    key.add_to_key_policy(&mut stack, other());
    let e = errors(&stack);
    assert!(e.contains("`Data` is not in stack `App`"), "{e}");
}

#[test]
fn the_key_policy_cannot_be_replaced_by_configure_or_override() {
    let mut stack = Stack::new("App");
    stack.add(
        "Data",
        KmsKey::new().configure(|l1| l1.key_policy(nephos::policy::PolicyDocument::new())),
    );
    let e = errors(&stack);
    assert!(
        e.contains("KeyPolicy") && e.contains("policy_statement"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    stack.resource(&key).override_property(
        "KeyPolicy",
        json!({"Version": "2012-10-17", "Statement": []}),
    );
    assert!(errors(&stack).contains("KeyPolicy"));
}

#[test]
fn what_kms_refuses_is_a_synth_error() {
    let mut stack = Stack::new("App");
    stack.add("Data", KmsKey::new().alias("alias/aws/mine"));
    let e = errors(&stack);
    assert!(e.contains("DataAlias") && e.contains("alias/aws/"), "{e}");

    // One alias name for two keys: KMS takes it once per account and Region.
    let mut stack = Stack::new("App");
    stack.add("Data", KmsKey::new().alias("alias/app"));
    stack.add("Other", KmsKey::new().alias("app"));
    let e = errors(&stack);
    assert!(
        e.contains("OtherAlias")
            && e.contains(
                "the alias name `alias/app` of `OtherAlias` is already the name of `DataAlias`"
            ),
        "{e}"
    );

    // Rotation on an asymmetric key.
    let mut stack = Stack::new("App");
    stack.add(
        "Signing",
        KmsKey::new().configure(|l1| {
            l1.key_spec(nephos::kms::key::KeySpec::Rsa2048)
                .key_usage(nephos::kms::key::KeyUsage::SignVerify)
        }),
    );
    let e = errors(&stack);
    assert!(
        e.contains("RSA_2048") && e.contains(".rotation(false)"),
        "{e}"
    );
    let mut stack = Stack::new("App");
    stack.add(
        "Signing",
        KmsKey::new().rotation(false).configure(|l1| {
            l1.key_spec(nephos::kms::key::KeySpec::Rsa2048)
                .key_usage(nephos::kms::key::KeyUsage::SignVerify)
        }),
    );
    synth(&stack);

    // Out of KMS's rotation period range (the schema's constraint).
    let mut stack = Stack::new("App");
    stack.add("Data", KmsKey::new().rotation_period_days(30));
    assert!(errors(&stack).contains("RotationPeriodInDays"));
}

#[test]
fn grants_on_an_alias_or_aws_managed_key_are_refused() {
    // An alias ARN written as a key ARN literal is refused as a literal already: the key
    // ARN's shape is the service spec's `arn:...:kms:...:key/...` (atk13b F5), though the
    // properties taking the kind accept `(key|alias)/`.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let alias = nephos::Value::<KmsKeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:alias/app");
    let _ = nephos::constructs::grants::key::decrypt(&mut stack, &f, &alias);
    let e = errors(&stack);
    assert!(e.contains("alias/app") && e.contains("key/..."), "{e}");

    // Cast into the kind (no shape check), the grant itself refuses it.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let alias = nephos::Value::<nephos::kind::AnyArn>::literal(
        "arn:aws:kms:eu-west-1:123456789012:alias/app",
    )
    .cast::<KmsKeyArn>();
    assert!(nephos::constructs::grants::key::decrypt(&mut stack, &f, &alias).is_none());
    let e = errors(&stack);
    assert!(e.contains("alias") && e.contains("function `F`"), "{e}");

    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let managed = nephos::Value::<nephos::kind::AnyArn>::literal(
        "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3",
    )
    .cast::<KmsKeyArn>();
    assert!(nephos::constructs::grants::key::encrypt(&mut stack, &f, &managed).is_none());
    assert!(errors(&stack).contains("AWS managed key"));
}

#[test]
fn a_secret_is_generated_kept_and_read_with_its_key() {
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    let secret = stack.add("Db", Secret::new().kms_key(&key));
    let reader = function(&mut stack, "Reader");
    let writer = function(&mut stack, "Writer");
    assert_eq!(secret.grant_read(&mut stack, &reader).len(), 2);
    assert_eq!(secret.grant_write(&mut stack, &writer).len(), 2);
    let t = synth(&stack);
    let s = &t["Resources"]["Db"];
    assert_eq!(s["DeletionPolicy"], "Retain");
    assert_eq!(
        s["Properties"]["GenerateSecretString"],
        json!({"PasswordLength": 32, "RequireEachIncludedType": true})
    );
    assert!(s["Properties"].get("SecretString").is_none());
    assert_eq!(
        s["Properties"]["KmsKeyId"],
        json!({"Fn::GetAtt": ["Data", "Arn"]})
    );
    let via = json!({"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"});
    for (role, secret_actions, key_actions) in [
        (
            "ReaderRole",
            json!([
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue"
            ]),
            json!(["kms:Decrypt"]),
        ),
        (
            "WriterRole",
            json!([
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecret"
            ]),
            json!(["kms:Decrypt", "kms:GenerateDataKey"]),
        ),
    ] {
        let s = grants(&t, role);
        assert_eq!(s.len(), 2, "{role}: {s:?}");
        let on_secret = s
            .iter()
            .find(|s| s["Resource"] == json!([{"Ref": "Db"}]))
            .unwrap();
        assert_eq!(on_secret["Action"], secret_actions, "{role}");
        let on_key = s
            .iter()
            .find(|s| s["Resource"] == json!([{"Fn::GetAtt": ["Data", "Arn"]}]))
            .unwrap();
        assert_eq!(on_key["Action"], key_actions, "{role}");
        assert_eq!(
            on_key["Condition"]["StringEquals"]["kms:ViaService"], via,
            "{role}"
        );
    }
}

#[test]
fn grants_on_a_generated_secret_cover_the_key_its_properties_name() {
    let mut stack = Stack::new("App");
    let key = stack.add("Data", KmsKey::new());
    let secret = stack.add(
        "Token",
        nephos::secretsmanager::Secret::new().kms_key_id(key.arn()),
    );
    let f = function(&mut stack, "F");
    let added = nephos::constructs::grants::secret::read(
        &mut stack,
        &f,
        &nephos::constructs::grants::Target::from(&secret),
    );
    assert_eq!(added.len(), 2);
    let t = synth(&stack);
    assert!(
        grants(&t, "FRole")
            .iter()
            .any(|s| s["Action"] == json!(["kms:Decrypt"]))
    );
}

#[test]
fn what_secrets_manager_refuses_is_a_synth_error() {
    let mut stack = Stack::new("App");
    stack.add(
        "Db",
        Secret::new().generate(
            SecretGenerator::new()
                .exclude_lowercase()
                .exclude_uppercase()
                .exclude_numbers()
                .exclude_punctuation(),
        ),
    );
    let e = errors(&stack);
    assert!(
        e.contains("`Db`") && e.contains("nothing to draw from"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add(
        "Db",
        Secret::new().configure(|l1| l1.secret_string("plain")),
    );
    assert!(errors(&stack).contains("both `SecretString` and `GenerateSecretString`"));

    let mut stack = Stack::new("App");
    stack.add("Db", Secret::new().name("prod db"));
    assert!(errors(&stack).contains("` `"));

    let mut stack = Stack::new("App");
    stack.add(
        "Db",
        Secret::new().configure(|l1| {
            l1.kms_key_id(
                nephos::Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal("alias/other"),
            )
        }),
    );
    assert!(errors(&stack).contains(".kms_key()"));

    // A name like an ARN's suffix is a warning, not an error.
    let mut stack = Stack::new("App");
    stack.add("Db", Secret::new().name("db-Abc123"));
    let t = stack.synth().unwrap();
    assert!(
        t.warnings()
            .iter()
            .any(|w| w.to_string().contains("six characters"))
    );
}

#[test]
fn a_parameter_arn_is_built_from_its_name_with_or_without_a_leading_slash() {
    let mut stack = Stack::new("App");
    let nested = stack.add("Url", StringParameter::new("https://x").name("/app/url"));
    let flat = stack.add("Flag", StringParameter::new("on").name("flag"));
    let unnamed = stack.add("Auto", StringParameter::new("v"));
    let f = function(&mut stack, "F");
    let w = function(&mut stack, "W");
    nested.grant_read(&mut stack, &f);
    flat.grant_read(&mut stack, &f);
    unnamed.grant_read(&mut stack, &f);
    flat.grant_write(&mut stack, &w);
    let t = synth(&stack);
    assert_eq!(t["Resources"]["Url"]["Properties"]["Type"], "String");
    let s = grants(&t, "FRole");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(
        s[0]["Action"],
        json!([
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:GetParameters"
        ])
    );
    let prefix = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/";
    let resources = s[0]["Resource"].to_string();
    assert!(
        resources.contains(&format!("{prefix}app/url")),
        "{resources}"
    );
    assert!(resources.contains(&format!("{prefix}flag")), "{resources}");
    assert!(!resources.contains("parameter//"), "{resources}");
    assert!(resources.contains("${Auto}"), "{resources}");
    let s = grants(&t, "WRole");
    assert_eq!(s[0]["Action"], json!(["ssm:PutParameter"]));
}

#[test]
fn what_ssm_refuses_is_a_synth_error() {
    for (name, expected) in [
        ("app/url", "does not begin with one"),
        ("/aws/x", "`aws` or `ssm`"),
        ("a b", "` `"),
    ] {
        let mut stack = Stack::new("App");
        stack.add("P", StringParameter::new("v").name(name));
        let e = errors(&stack);
        assert!(e.contains(expected) && e.contains("`P`"), "{name}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add("P", StringParameter::new("x".repeat(4097)));
    assert!(errors(&stack).contains("4097 bytes"));
    let mut stack = Stack::new("App");
    stack.add(
        "P",
        StringParameter::new("x".repeat(4097)).tier(nephos::ssm::parameter::Tier::Advanced),
    );
    synth(&stack);
    let mut stack = Stack::new("App");
    stack.add(
        "P",
        StringParameter::new("v")
            .name("/a")
            .configure(|l1| l1.name("/b")),
    );
    assert!(errors(&stack).contains(".name()"));
    // A value its own pattern refuses (SSM checks it at `PutParameter`); a matching one,
    // and a pattern only Java's syntax knows (left to SSM), pass.
    let mut stack = Stack::new("App");
    stack.add("P", StringParameter::new("abc").allowed_pattern("^[0-9]+$"));
    let e = errors(&stack);
    assert!(
        e.contains("the value of parameter `P` does not match its own allowed pattern `^[0-9]+$`"),
        "{e}"
    );
    for pattern in ["^[0-9]+$", "^\\p{javaDigit}+$"] {
        let mut stack = Stack::new("App");
        stack.add("P", StringParameter::new("123").allowed_pattern(pattern));
        synth(&stack);
    }
}

/// Whether a parameter of `value` with the allowed pattern `pattern` is refused at synth.
fn pattern_refuses(pattern: &str, value: &str) -> bool {
    let mut stack = Stack::new("App");
    stack.add("P", StringParameter::new(value).allowed_pattern(pattern));
    match stack.synth() {
        Ok(_) => false,
        Err(e) => {
            let e = e.to_string();
            assert!(e.contains("does not match its own allowed pattern"), "{e}");
            true
        }
    }
}

#[test]
fn an_allowed_pattern_is_read_as_java_reads_it_with_ascii_classes() {
    // SSM's patterns are Java regexes, whose `\d`, `\s`, `\w` and POSIX classes are
    // ASCII: a non-ASCII digit, space or letter is not matched, so SSM refuses the value.
    for (pattern, value) in [
        (r"^\d+$", "\u{661}\u{662}"),   // ARABIC-INDIC DIGITs
        (r"^a\sb$", "a\u{a0}b"),        // NO-BREAK SPACE
        (r"^\w+$", "caf\u{e9}"),        // é
        (r"^[\w.]+$", "caf\u{e9}"),     // in a class
        (r"^\p{Alpha}+$", "caf\u{e9}"), // POSIX, US-ASCII only
    ] {
        assert!(
            pattern_refuses(pattern, value),
            "{pattern} should refuse {value:?}"
        );
    }
    // And a negated one matches them, as in Java.
    for (pattern, value) in [
        (r"^\D$", "\u{661}"),
        (r"^\S$", "\u{a0}"),
        (r"^\W+$", "\u{e9}"),
        (r"^\P{Digit}$", "\u{661}"),
        (r"^[\d\s]+$", "1 2"),
        // A class of `:`, `d`, `i`, `g`, `t` in Java, not POSIX digits: left to SSM.
        (r"^[[:digit:]]+$", "digit:"),
        (r"^\p{Punct}+$", "!:@[`{~"),
        (r"^\d+$", "123"),
    ] {
        assert!(
            !pattern_refuses(pattern, value),
            "{pattern} should take {value:?}"
        );
    }
}

fn everything(stack: &mut Stack, _text: &Param<Str>) {
    let key = stack.add(
        "Data",
        KmsKey::new().alias("app/data").description("app data"),
    );
    let jobs = stack.add("Jobs", Queue::new().kms_key(&key));
    let topic = stack.add("Orders", Topic::new().kms_key(&key));
    topic.subscribe_queue_with(
        stack,
        &jobs,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    let secret = stack.add(
        "Db",
        Secret::new()
            .kms_key(&key)
            .generate(SecretGenerator::new().json_key(json!({"username": "app"}), "password")),
    );
    let url = stack.add("Url", StringParameter::new("https://x").name("/app/url"));
    let f = function(stack, "Worker");
    jobs.grant_consume(stack, &f);
    secret.grant_read(stack, &f);
    url.grant_read(stack, &f);
    key.grant_encrypt_decrypt(stack, &f);
}

#[test]
fn keys_secrets_and_parameters_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::SecretsKeys", everything)]);
}

#[test]
fn writing_an_encrypted_parameter_is_allowed_only_encrypting_under_its_key() {
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    let key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let p = StringParameter::from_name("/app/token")
        .expect("a valid name")
        .encrypted_with(nephos::Value::literal(key));
    assert_eq!(p.grant_write(&mut stack, &w).len(), 2);
    let t = synth(&stack);
    let s = grants(&t, "WRole");
    let on_key = s
        .iter()
        .find(|st| st["Resource"] == json!([key]))
        .unwrap_or_else(|| panic!("no statement on the key: {s:?}"));
    // Neither re-encryption nor data key pairs: SSM encrypts a value or makes one data key.
    assert_eq!(
        on_key["Action"],
        json!(["kms:Encrypt", "kms:GenerateDataKey"])
    );
    assert_eq!(
        on_key["Condition"]["StringEquals"]["kms:ViaService"]["Fn::Sub"],
        "ssm.${AWS::Region}.amazonaws.com"
    );
}

/// Java's `$` and `\Z` also match before a final line terminator: SSM takes `123\n` for
/// `^[0-9]+$`, and refuses `123\n\n` (two terminators), for `\Z` too. Under `(?m)` the
/// check is left to SSM.
#[test]
fn an_allowed_patterns_end_is_read_as_java_reads_it() {
    for pattern in [r"^[0-9]+$", r"^[0-9]+\Z"] {
        assert!(!pattern_refuses(pattern, "123\n"), "{pattern}");
        assert!(!pattern_refuses(pattern, "123"), "{pattern}");
        assert!(pattern_refuses(pattern, "123\n\n"), "{pattern}");
        assert!(pattern_refuses(pattern, "12a"), "{pattern}");
    }
    // A `$` in a class or escaped is the character.
    assert!(!pattern_refuses(r"^[$]5\$$", "$5$"));
    assert!(!pattern_refuses(r"(?m)^1$", "1\n2"));
}
