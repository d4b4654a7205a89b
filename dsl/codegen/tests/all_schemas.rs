//! The generator over the whole vendored bundle: every schema builds, every covered type's
//! names are unique, and the checked-in generated files are what it writes today.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nephos_codegen::model::Ty;
use nephos_codegen::{build_all, generate, output, schemas, services};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load() -> (
    std::collections::BTreeMap<String, serde_json::Value>,
    schemas::Extras,
) {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    (schemas, extras)
}

#[test]
fn every_schema_in_the_bundle_builds() {
    let (schemas, extras) = load();
    assert!(
        schemas.len() > 1800,
        "only {} schemas vendored",
        schemas.len()
    );
    let models = build_all(&schemas, &extras).expect("every schema builds");
    assert_eq!(models.len(), schemas.len());
    for (t, m) in &models {
        // The resource's setters, then each property type's: `x`, `add_x`/`insert_x` and
        // `set_x` of one builder never share a name.
        let builders = std::iter::once(("resource", &m.fields))
            .chain(m.structs.iter().map(|s| (s.name.as_str(), &s.fields)));
        for (owner, fields) in builders {
            let mut methods = BTreeSet::from(["new".to_string()]);
            for f in fields {
                assert!(
                    methods.insert(f.method.clone()),
                    "{t} {owner}: setter {} twice",
                    f.method
                );
                if let Some(item) = &f.method_item {
                    assert!(
                        methods.insert(item.clone()),
                        "{t} {owner}: setter {item} twice"
                    );
                }
                assert!(
                    f.method_set.starts_with("set_"),
                    "{t} {owner}: `{}` has the option setter `{}`",
                    f.name,
                    f.method_set
                );
                assert!(
                    methods.insert(f.method_set.clone()),
                    "{t} {owner}: setter {} twice",
                    f.method_set
                );
            }
        }
        let mut types = BTreeSet::from([m.struct_name.clone(), m.handle_name.clone()]);
        for name in m
            .structs
            .iter()
            .map(|s| &s.name)
            .chain(m.enums.iter().map(|e| &e.name))
        {
            assert!(types.insert(name.clone()), "{t}: type {name} twice");
        }
        let mut getters = BTreeSet::new();
        for a in m.reference.iter().chain(&m.attributes) {
            assert!(
                getters.insert(a.method.clone()),
                "{t}: getter {} twice",
                a.method
            );
        }
    }
}

#[test]
fn covered_services_have_their_key_types() {
    let (schemas, extras) = load();
    let models = build_all(&schemas, &extras).expect("builds");
    let covered = models
        .keys()
        .filter(|t| services::service_of(t).is_some())
        .count();
    assert_eq!(covered, models.len(), "every vendored type has a service");
    let services = services::services(models.keys().map(String::as_str)).expect("services");
    assert!(services.len() > 300, "only {} services", services.len());
    let role = &models["AWS::IAM::Role"];
    let arn = role
        .attributes
        .iter()
        .find(|a| a.name == "Arn")
        .expect("Role.Arn");
    assert_eq!(arn.ty, Ty::Kind("IamRoleArn".into()));
    let function = &models["AWS::Lambda::Function"];
    let role_prop = function
        .fields
        .iter()
        .find(|f| f.name == "Role")
        .expect("Function.Role");
    assert_eq!(role_prop.ty, arn.ty, "role.arn() must fit Function's Role");
    let topic = &models["AWS::SNS::Topic"];
    assert!(
        topic.attributes.iter().any(|a| a.name == "TopicName"),
        "supplement attribute"
    );
    let bucket = &models["AWS::S3::Bucket"];
    assert_eq!(
        bucket.reference.as_ref().map(|r| r.ty.clone()),
        Some(Ty::Kind("S3BucketName".into()))
    );
    let own_name = bucket
        .fields
        .iter()
        .find(|f| f.name == "BucketName")
        .expect("BucketName");
    assert_eq!(
        own_name.ty,
        Ty::Str,
        "a resource's own name is a plain string"
    );
}

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let (schemas, extras) = load();
    let manifest = std::fs::read_to_string(root().join(nephos_codegen::MANIFEST_FILE))
        .expect("dsl/Cargo.toml");
    let files = generate(&schemas, &extras, &manifest).expect("generates");
    let mut stale = Vec::new();
    for (path, text) in &output::rustfmt_all(&root(), files).expect("rustfmt") {
        if std::fs::read_to_string(root().join(path)).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "run scripts/regenerate.sh; stale: {stale:?}"
    );
}

#[test]
fn ref_of_a_composite_identifier_has_the_kind_of_what_it_returns() {
    // `Ref` of an HTTP API authorizer returns its `AuthorizerId` (the AWS service spec's
    // `cfnRefIdentifier`), so the value is accepted where an authorizer ID is, such as a
    // route's `AuthorizerId`.
    let (schemas, extras) = load();
    let models = build_all(&schemas, &extras).expect("builds");
    let ref_ty = |t: &str| models[t].reference.as_ref().map(|r| r.ty.clone());
    let id_ty = |t: &str, attr: &str| {
        models[t]
            .attributes
            .iter()
            .find(|a| a.name == attr)
            .map(|a| a.ty.clone())
    };
    for (type_name, attr) in [
        ("AWS::ApiGatewayV2::Authorizer", "AuthorizerId"),
        ("AWS::ApiGateway::Resource", "ResourceId"),
        ("AWS::ApiGateway::Deployment", "DeploymentId"),
    ] {
        assert_eq!(ref_ty(type_name), id_ty(type_name, attr), "{type_name}");
    }
    let route = &models["AWS::ApiGatewayV2::Route"];
    let authorizer_id = route
        .fields
        .iter()
        .find(|f| f.name == "AuthorizerId")
        .expect("Route.AuthorizerId");
    assert_eq!(
        Some(authorizer_id.ty.clone()),
        ref_ty("AWS::ApiGatewayV2::Authorizer")
    );
    // Without the fact, `Ref` keeps a kind of its own.
    assert_eq!(
        ref_ty("AWS::Lambda::Permission"),
        Some(Ty::Kind("LambdaPermissionRef".into()))
    );
}

#[test]
fn references_between_services_share_one_kind() {
    // A property that names another service's attribute takes exactly the kind that
    // attribute's getter returns, so `security_group.group_id()` fits a function's VPC
    // config and a certificate's `Ref` fits a load balancer listener, and nothing else does.
    let (schemas, extras) = load();
    let models = build_all(&schemas, &extras).expect("builds");
    let getter = |t: &str, attr: &str| -> Ty {
        let m = &models[t];
        m.reference
            .iter()
            .chain(&m.attributes)
            .find(|a| a.name == attr)
            .unwrap_or_else(|| panic!("{t}.{attr}"))
            .ty
            .clone()
    };
    let field = |t: &str, owner: &str, prop: &str| -> Ty {
        let m = &models[t];
        let fields = if owner.is_empty() {
            &m.fields
        } else {
            &m.structs
                .iter()
                .find(|s| s.schema_name == owner)
                .unwrap_or_else(|| panic!("{t} {owner}"))
                .fields
        };
        let ty = fields
            .iter()
            .find(|f| f.name == prop)
            .unwrap_or_else(|| panic!("{t} {owner}.{prop}"))
            .ty
            .clone();
        match ty {
            Ty::List(item) => *item,
            other => other,
        }
    };
    let group_id = getter("AWS::EC2::SecurityGroup", "GroupId");
    assert_eq!(group_id, Ty::Kind("Ec2SecurityGroupId".into()));
    let subnet_id = getter("AWS::EC2::Subnet", "SubnetId");
    assert_eq!(subnet_id, Ty::Kind("Ec2SubnetId".into()));
    for (t, owner, prop, want) in [
        (
            "AWS::Lambda::Function",
            "VpcConfig",
            "SecurityGroupIds",
            &group_id,
        ),
        (
            "AWS::Lambda::Function",
            "VpcConfig",
            "SubnetIds",
            &subnet_id,
        ),
        ("AWS::EC2::SecurityGroupIngress", "", "GroupId", &group_id),
        (
            "AWS::EC2::SubnetRouteTableAssociation",
            "",
            "SubnetId",
            &subnet_id,
        ),
    ] {
        assert_eq!(&field(t, owner, prop), want, "{t} {owner}.{prop}");
    }
    assert_ne!(group_id, subnet_id);
}

/// Every `enum` and `const` of the bundle becomes a check: strings a `OneOf`, numbers a
/// `OneOfNumbers` (the 13 integer enums, Logs' `RetentionInDays` among them, were dropped
/// before, so a 42-day retention synthesized and CloudFormation refused it). A list the
/// generator has no check for (mixed, empty, booleans) fails here rather than be skipped.
#[test]
fn every_enum_and_const_is_checked() {
    use nephos_codegen::build::listed_values;
    use nephos_codegen::model::CheckSpec;
    fn walk(node: &serde_json::Value, at: &str, numbers: &mut Vec<String>, bad: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                let listed = match (map.get("enum"), map.get("const")) {
                    (Some(serde_json::Value::Array(v)), _) => Some(v.clone()),
                    (None, Some(c)) => Some(vec![c.clone()]),
                    (Some(other), _) => Some(vec![other.clone(), serde_json::Value::Null]),
                    _ => None,
                };
                // `not: {enum}` is NoneOf's, read apart.
                if let Some(values) = listed.filter(|_| !at.ends_with("/not")) {
                    match listed_values(&values) {
                        Some(CheckSpec::OneOfNumbers(_)) => numbers.push(at.to_string()),
                        Some(_) => {}
                        None => bad.push(at.to_string()),
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{at}/{k}"), numbers, bad);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), numbers, bad);
                }
            }
            _ => {}
        }
    }
    let (schemas, extras) = load();
    let (mut numbers, mut bad) = (Vec::new(), Vec::new());
    for (t, s) in &schemas {
        walk(s, t, &mut numbers, &mut bad);
    }
    assert!(bad.is_empty(), "enum or const with no check: {bad:#?}");
    assert_eq!(numbers.len(), 13, "{numbers:#?}");
    // And the check reaches the type's constraint table, at the property's path.
    let models = build_all(&schemas, &extras).expect("every schema builds");
    let retention = &models["AWS::Logs::LogGroup"];
    let listed = retention
        .constraints
        .iter()
        .find_map(|(path, c)| match c {
            CheckSpec::OneOfNumbers(v) if path == "RetentionInDays" => Some(v.clone()),
            _ => None,
        })
        .expect("RetentionInDays is checked");
    assert!(
        listed.contains(&14.0) && !listed.contains(&42.0),
        "{listed:?}"
    );
    let error_codes = &models["AWS::CloudFront::Distribution"];
    assert!(
        error_codes.constraints.iter().any(|(path, c)| {
            path == "DistributionConfig/CustomErrorResponses/*/ErrorCode"
                && matches!(c, CheckSpec::OneOfNumbers(v) if v.contains(&404.0))
        }),
        "CloudFront's error codes are checked where they are nested"
    );
}

/// A security group rule's ports are bounded by the reviewed value bounds
/// (`dsl/codegen/data/value_bounds.json`): the schemas state only `minimum: -1`, so a port
/// of 70000 passed synth and EC2 refused it.
#[test]
fn security_group_ports_are_bounded_by_the_reviewed_table() {
    use nephos_codegen::model::CheckSpec;
    let (schemas, extras) = load();
    let models = build_all(&schemas, &extras).expect("every schema builds");
    let cases = [
        ("AWS::EC2::SecurityGroup", "SecurityGroupIngress/*/FromPort"),
        ("AWS::EC2::SecurityGroup", "SecurityGroupIngress/*/ToPort"),
        ("AWS::EC2::SecurityGroup", "SecurityGroupEgress/*/FromPort"),
        ("AWS::EC2::SecurityGroup", "SecurityGroupEgress/*/ToPort"),
        ("AWS::EC2::SecurityGroupIngress", "FromPort"),
        ("AWS::EC2::SecurityGroupIngress", "ToPort"),
        ("AWS::EC2::SecurityGroupEgress", "FromPort"),
        ("AWS::EC2::SecurityGroupEgress", "ToPort"),
    ];
    for (t, at) in cases {
        let checks: Vec<&CheckSpec> = models[t]
            .constraints
            .iter()
            .filter(|(path, _)| path == at)
            .map(|(_, c)| c)
            .collect();
        assert!(
            checks.contains(&&CheckSpec::Maximum(65535.0))
                && checks.contains(&&CheckSpec::Minimum(-1.0)),
            "{t} {at}: {checks:?}"
        );
    }
}

/// A resource's own ARN kind takes its type's ARN template where the AWS service spec has
/// one (atk13b F5): a property whose pattern takes more (KMS `(key|alias)/`, IAM `:iam:.*`)
/// does not widen the kind to the service's every ARN, so a user or policy ARN is no role's
/// and an alias ARN no key's. The template gives way only to the reviewed
/// `kind_shapes::SERVICE_ONLY` types and to a same-service property pattern requiring
/// another resource prefix: none today.
#[test]
fn own_arn_kinds_take_their_template() {
    use nephos_codegen::kind_shapes;
    let (schemas, extras) = load();
    // As the generator reads them: with the reviewed corrections applied.
    let schemas = nephos_codegen::corrections::apply_all(&schemas, &extras.corrections)
        .expect("corrections apply");
    let templates = kind_shapes::load_templates(&root()).expect("ARN templates");
    let carrying = kind_shapes::carrying_patterns(&schemas);
    let shape = |format: &str| {
        kind_shapes::shape_with(&schemas, &carrying, &templates, format).expect("a shape")
    };
    let mut losers = Vec::new();
    for format in carrying.keys() {
        let Some(type_name) = kind_shapes::own_arn(format) else {
            continue;
        };
        let templated = templates
            .get(type_name)
            .is_some_and(|t| kind_shapes::from_template(t).is_some());
        let reviewed = kind_shapes::SERVICE_ONLY
            .iter()
            .any(|(t, _)| *t == type_name);
        if !templated || reviewed || !nephos_codegen::any_arn::is_arn_format(format) {
            continue;
        }
        let (_, from) = shape(format);
        if from != kind_shapes::FROM_ARN_TEMPLATE && from != kind_shapes::FROM_SCHEMA {
            losers.push(format!("{format}: {from}"));
        }
    }
    assert!(losers.is_empty(), "templates losing: {losers:#?}");
    for (format, fits, refused) in [
        (
            "AWS::IAM::Role.Arn",
            &[
                "arn:aws:iam::123456789012:role/ops",
                "arn:aws:iam::123456789012:role/team/a/ops",
                "arn:aws-cn:iam::123456789012:role/ops",
                "arn:aws-us-gov:iam::123456789012:role/ops",
                "arn:aws-iso:iam::123456789012:role/ops",
                "arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
            ][..],
            &[
                "arn:aws:iam::123456789012:user/bob",
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::123456789012:instance-profile/ops",
            ][..],
        ),
        (
            "AWS::KMS::Key.Arn",
            &[
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
                "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ][..],
            &["arn:aws:kms:us-east-1:123456789012:alias/db"][..],
        ),
        (
            "AWS::Lambda::Function.Arn",
            &[
                "arn:aws:lambda:us-east-1:123456789012:function:f",
                "arn:aws:lambda:us-east-1:123456789012:function:f:3",
            ][..],
            &["arn:aws:lambda:us-east-1:123456789012:layer:l:1"][..],
        ),
    ] {
        let (pattern, from) = shape(format);
        assert_eq!(from, kind_shapes::FROM_ARN_TEMPLATE, "{format}");
        let re = fancy_regex::Regex::new(&pattern).expect("shape compiles");
        for arn in fits {
            assert!(re.is_match(arn).unwrap(), "{format} refuses {arn}");
        }
        for arn in refused {
            assert!(!re.is_match(arn).unwrap(), "{format} takes {arn}");
        }
    }
}
