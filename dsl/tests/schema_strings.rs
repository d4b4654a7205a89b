//! The string constraints of the registry schemas that synth used to skip (issue 13, atk13
//! F1, F2, F10): patterns written in ECMA-262 syntax the regex engine read differently or
//! not at all, ASCII `\d` and `\w`, and the `date-time`, `ipv4-network` and
//! `ipv6-network` formats. The EC2 and RDS cases need their services: run with
//! `--features ec2,rds` (or `all`).

use nephos::iam::saml_provider::SamlPrivateKey;
use nephos::kinds::{AnyArn, LambdaFunctionArnOrName};
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Diagnostic, Stack, Value};

/// The errors synth reports (warnings left out).
fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics
            .iter()
            .map(Diagnostic::to_string)
            .filter(|d| d.starts_with("error:"))
            .collect(),
    }
}

/// The first line of each error: the resource, property and value.
fn heads(stack: &Stack) -> Vec<String> {
    errors(stack)
        .iter()
        .map(|e| e.lines().next().unwrap_or("").to_string())
        .collect()
}

/// `AWS::Lambda::Permission.SourceAccount` matches `^\d{12}$`, digits as ECMA-262 (and
/// CloudFormation) read `\d`: ASCII. Arabic-Indic digits are refused, ASCII ones are not.
#[test]
fn arabic_indic_digits_are_no_account_id() {
    let permission = |account: &str| {
        nephos::lambda::Permission::new(
            "lambda:InvokeFunction",
            Value::<LambdaFunctionArnOrName>::literal("my-function"),
            "s3.amazonaws.com",
        )
        .source_account(account)
        .source_arn(Value::<AnyArn>::literal("arn:aws:s3:::my-bucket"))
    };
    let mut stack = Stack::new("App");
    stack.add("Arabic", permission("١٢٣٤٥٦٧٨٩٠١٢"));
    stack.add("Ascii", permission("123456789012"));
    assert_eq!(
        heads(&stack),
        [
            "error: resource `Arabic` property `SourceAccount`: \"١٢٣٤٥٦٧٨٩٠١٢\" does not satisfy matching `^\\d{12}$`"
        ],
    );
}

/// `AWS::IAM::Role.RoleName` matches `^[\w+=,.@-]+$`: `\w` is ASCII, so `ü` is refused.
#[test]
fn a_non_ascii_letter_is_no_word_character() {
    let role = |name: &str| {
        nephos::iam::Role::new(
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("lambda.amazonaws.com"))
                    .action("sts:AssumeRole"),
            ),
        )
        .role_name(name)
    };
    let mut stack = Stack::new("App");
    stack.add("Umlaut", role("zugriff-für-lambda"));
    stack.add("Plain", role("access+for=lambda,1.2@x-y_z"));
    assert_eq!(
        heads(&stack),
        [
            "error: resource `Umlaut` property `RoleName`: \"zugriff-für-lambda\" does not satisfy matching `^[\\w+=,.@-]+$`"
        ],
    );
}

/// `AWS::IAM::SAMLProvider.SAMLPrivateKey.Timestamp` is a `date-time`: the error names the
/// resource, the path, the format and a right value.
#[test]
fn a_timestamp_that_is_no_date_time_is_refused() {
    let provider = |when: &str| {
        nephos::iam::SamlProvider::new()
            .add_private_key_list(SamlPrivateKey::new("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", when))
    };
    let mut stack = Stack::new("App");
    stack.add("Words", provider("last tuesday"));
    stack.add("NoDay", provider("2026-02-30T10:00:00Z"));
    stack.add("Right", provider("2026-12-02T13:45:00Z"));
    stack.add("Offset", provider("2026-12-02T14:45:00.250+01:00"));
    assert_eq!(
        errors(&stack),
        [
            "error: resource `NoDay` property `PrivateKeyList.0.Timestamp`: \"2026-02-30T10:00:00Z\" does not satisfy format date-time (such as 2026-12-02T13:45:00Z)\n  fix: change the value to one with format date-time (such as 2026-12-02T13:45:00Z)",
            "error: resource `Words` property `PrivateKeyList.0.Timestamp`: \"last tuesday\" does not satisfy format date-time (such as 2026-12-02T13:45:00Z)\n  fix: change the value to one with format date-time (such as 2026-12-02T13:45:00Z)",
        ],
    );
}

/// An intrinsic is not checked at synth, as before: it is noted as deferred.
#[test]
fn a_computed_timestamp_is_left_to_deploy() {
    let mut stack = Stack::new("App");
    let when = stack.parameter("When", nephos::Parameter::string());
    stack.add(
        "Computed",
        nephos::iam::SamlProvider::new()
            .add_private_key_list(SamlPrivateKey::new("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", &when)),
    );
    let out = stack.synth().expect("a parameter is not refused");
    assert!(
        out.deferred()
            .iter()
            .any(|d| d.check.contains("date-time") && d.path.ends_with("Timestamp")),
        "{:?}",
        out.deferred()
    );
}

#[cfg(all(feature = "ec2", feature = "rds"))]
mod ec2_rds {
    use super::*;

    /// `AWS::EC2::SecurityGroup.GroupDescription` matches
    /// `^([a-z,A-Z,0-9,. _\-:/()#,@[\]+=&;\{\}!$*])*$`, where ECMA reads `[` in a class as
    /// a literal (the engine refused to compile it, so nothing was checked): non-ASCII
    /// letters and a tab are refused, the class's punctuation is not.
    #[test]
    fn a_security_group_description_is_ascii_without_tabs() {
        let mut stack = Stack::new("App");
        let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/16"));
        for (id, text) in [
            ("Umlaut", "Zugriff für Lambda"),
            ("Tab", "tab\there"),
            ("Fine", "web [80] {tls}: a-b/c (d) #1 @x +=&;!$*"),
        ] {
            stack.add(id, nephos::ec2::SecurityGroup::new(text).vpc_id(vpc.id()));
        }
        let heads = heads(&stack);
        assert_eq!(heads.len(), 2, "{heads:?}");
        assert!(heads[0].starts_with("error: resource `Tab` property `GroupDescription`: \"tab\\there\" does not satisfy matching"));
        assert!(heads[1].starts_with("error: resource `Umlaut` property `GroupDescription`: \"Zugriff für Lambda\" does not satisfy matching"));
    }

    /// cfn-lint's E3002 cases: a prefix past 32, an octet past 255, a word, not an IPv6
    /// network, not a timestamp. Right values beside them are accepted.
    #[test]
    fn bad_networks_and_timestamps_are_refused() {
        use nephos::ec2::security_group::Ingress;
        let mut stack = Stack::new("App");
        let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/99"));
        stack.add(
            "Sub",
            nephos::ec2::Subnet::new(vpc.id())
                .cidr_block("10.0.0.0/24")
                .ipv6_cidr_block("not-v6"),
        );
        stack.add(
            "Good",
            nephos::ec2::Subnet::new(vpc.id())
                .cidr_block("10.0.1.0/24")
                .ipv6_cidr_block("2001:db8:1234:1a00::/64"),
        );
        stack.add(
            "Sg",
            nephos::ec2::SecurityGroup::new("web")
                .vpc_id(vpc.id())
                .add_security_group_ingress(Ingress::new("tcp").cidr_ip("10.0.0.300/40"))
                .add_security_group_ingress(Ingress::new("tcp").cidr_ip("anywhere"))
                .add_security_group_ingress(Ingress::new("tcp").cidr_ip("0.0.0.0/0")),
        );
        stack.add(
            "Db",
            nephos::rds::DbInstance::new()
                .restore_time("last tuesday")
                .db_instance_class("db.t3.micro")
                .engine("postgres"),
        );
        let heads = heads(&stack);
        let expected = [
            "error: resource `Db` property `RestoreTime`: \"last tuesday\" does not satisfy format date-time (such as 2026-12-02T13:45:00Z)",
            "error: resource `Sg` property `SecurityGroupIngress.0.CidrIp`: \"10.0.0.300/40\" does not satisfy format ipv4-network (such as 10.0.0.0/16)",
            "error: resource `Sg` property `SecurityGroupIngress.1.CidrIp`: \"anywhere\" does not satisfy format ipv4-network (such as 10.0.0.0/16)",
            "error: resource `Sub` property `Ipv6CidrBlock`: \"not-v6\" does not satisfy format ipv6-network (such as 2001:db8::/56)",
            "error: resource `Vpc` property `CidrBlock`: \"10.0.0.0/99\" does not satisfy format ipv4-network (such as 10.0.0.0/16)",
        ];
        for e in expected {
            assert!(heads.iter().any(|h| h == e), "missing {e}\nin {heads:#?}");
        }
        assert!(
            !heads
                .iter()
                .any(|h| h.contains("`Good`") || h.contains("0.0.0.0/0")),
            "{heads:#?}"
        );
    }
}
