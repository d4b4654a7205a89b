//! Kinds of references over the whole bundle, each a check that would fail if a fixed kind of
//! mistake came back: a format naming another service's resource where the property names
//! its own service's (Redshift's and ElastiCache's ingress rules named EC2 groups); a
//! property CloudFormation does not have (ACM's `Id`); an object carrying a format, so the
//! string inside stayed plain (a spot fleet's `GroupIdentifier`); the generic ARN kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nephos_codegen::model::{ResourceModel, Ty};
use nephos_codegen::{any_arn, build_all, patch_artifacts, schemas, unions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn models() -> BTreeMap<String, ResourceModel> {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    build_all(&schemas, &extras).expect("builds")
}

/// Every (owner, property, kind) of a model, list items unwrapped.
fn typed_fields(m: &ResourceModel) -> Vec<(String, String, String)> {
    let top = m.fields.iter().map(|f| (String::new(), f));
    let nested = m
        .structs
        .iter()
        .flat_map(|s| s.fields.iter().map(move |f| (s.schema_name.clone(), f)));
    top.chain(nested)
        .filter_map(|(owner, f)| {
            let ty = match &f.ty {
                Ty::List(item) => item.as_ref(),
                other => other,
            };
            match ty {
                Ty::Kind(k) => Some((owner, f.name.clone(), k.clone())),
                _ => None,
            }
        })
        .collect()
}

/// A property whose name holds a resource type of its own service
/// (`ClusterSecurityGroupName` in Redshift, which has `ClusterSecurityGroup`) but whose kind
/// is another service's resource of a similar name (`AWS::EC2::SecurityGroup.Name`) names
/// the wrong service's resource. Found over every service: Redshift's and ElastiCache's
/// ingress rules, MediaLive's input security groups, QuickSight's topics (SNS topics in the
/// schemas), Lightsail's certificate (an ACM certificate); all corrected. The properties
/// listed here were read against the AWS documentation and do name the other service's
/// resource.
#[test]
fn no_format_names_another_service_s_resource_where_the_own_service_s_is_meant() {
    const REVIEWED: &[(&str, &str)] = &[
        // VPC security groups: the EC2 ones (`Vpc` / `EC2` in the name, or the docs say so).
        ("AWS::ElastiCache::CacheCluster", "VpcSecurityGroupIds"),
        ("AWS::ElastiCache::ReplicationGroup", "SecurityGroupIds"),
        ("AWS::ElastiCache::ServerlessCache", "SecurityGroupIds"),
        (
            "AWS::ElastiCache::SecurityGroupIngress",
            "EC2SecurityGroupName",
        ),
        // The AMI an image build produced is an EC2 image.
        ("AWS::ImageBuilder::Image", "ImageId"),
        // Replication status of a key: its pattern is a KMS key ARN.
        ("AWS::PaymentCryptography::Key", "KmsKeyArn"),
        ("AWS::PaymentCryptography::Key", "KmsKeyId"),
        // A QLDB journal streams into a Kinesis data stream.
        ("AWS::QLDB::Stream", "StreamArn"),
        // An Object Lambda access point's supporting access point is an S3 access point.
        ("AWS::S3ObjectLambda::AccessPoint", "SupportingAccessPoint"),
        // A HyperPod instance group's custom AMI.
        ("AWS::SageMaker::Cluster", "ImageId"),
        // ACM is the CertificateManager namespace.
        ("AWS::CertificateManager::Certificate", "CertificateArn"),
    ];
    let models = models();
    let mut own_resources: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in models.values() {
        let mut parts = m.type_name.split("::").skip(1);
        if let (Some(service), Some(resource)) = (parts.next(), parts.next()) {
            own_resources.entry(service).or_default().insert(resource);
        }
    }
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for m in models.values() {
        kinds.extend(m.kinds.clone());
    }
    let mut wrong = Vec::new();
    for m in models.values() {
        let service = m.type_name.split("::").nth(1).unwrap_or_default();
        let mut named: Vec<(String, String)> = typed_fields(m)
            .into_iter()
            .map(|(_, prop, k)| (prop, k))
            .collect();
        named.extend(m.attributes.iter().filter_map(|a| match &a.ty {
            Ty::Kind(k) => Some((a.name.clone(), k.clone())),
            _ => None,
        }));
        for (prop, kind) in named {
            for format in kinds[&kind].split(unions::SEPARATOR) {
                let Some((type_name, _)) = format.split_once('.') else {
                    continue;
                };
                let mut parts = type_name.split("::").skip(1);
                let (Some(f_service), Some(f_resource)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let own = own_resources
                    .get(service)
                    .into_iter()
                    .flatten()
                    .any(|r| r.ends_with(f_resource) && prop.contains(r));
                if f_service != service
                    && own
                    && !REVIEWED.contains(&(m.type_name.as_str(), prop.as_str()))
                {
                    wrong.push(format!("{} {prop}: {format}", m.type_name));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The four properties cfn-lint's patches invent (a format and nothing else) are gone from
/// the loaded schemas, so no setter writes them; ACM's certificate has no `Id`.
#[test]
fn properties_cloudformation_does_not_have_are_dropped() {
    let raw_dir = root().join("dsl/schemas");
    let mut invented = Vec::new();
    for entry in std::fs::read_dir(&raw_dir).expect("schemas dir").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("schema file");
        let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).expect("json");
        for (t, mut schema) in map {
            for p in patch_artifacts::drop_from(&mut schema) {
                invented.push(format!("{t}{p}"));
            }
        }
    }
    invented.sort();
    assert_eq!(
        invented,
        [
            "AWS::CertificateManager::Certificate/properties/Id",
            "AWS::EMR::Cluster/definitions/CloudWatchLogConfiguration/properties/LogGroupName",
            "AWS::GameLift::Build/definitions/S3Location/properties/RoleArn",
            "AWS::Glue::Connection/definitions/AuthenticationConfigurationInput/properties/KmsKeyArn",
        ]
    );
    let loaded = schemas::load(&raw_dir).expect("vendored schemas");
    for schema in loaded.values() {
        let mut again = schema.clone();
        assert!(patch_artifacts::drop_from(&mut again).is_empty());
    }
    let models = models();
    let acm = &models["AWS::CertificateManager::Certificate"];
    assert!(acm.fields.iter().all(|f| f.name != "Id"), "ACM Id setter");
}

/// A format on an object reaches the member it names: a spot fleet's security groups are
/// objects `{GroupId}` under a plural `SecurityGroup.Ids` format, and `GroupId` is a group's
/// ID; S3 destinations' `BucketName` is a bucket's name. No object keeps a format.
#[test]
fn formats_on_objects_type_the_member_they_name() {
    let models = models();
    let field = |t: &str, owner: &str, prop: &str| {
        typed_fields(&models[t])
            .into_iter()
            .find(|(o, p, _)| o == owner && p == prop)
            .map(|(_, _, k)| k)
    };
    assert_eq!(
        field("AWS::EC2::SpotFleet", "GroupIdentifier", "GroupId").as_deref(),
        Some("Ec2SecurityGroupId")
    );
    assert_eq!(
        field(
            "AWS::AppFabric::IngestionDestination",
            "S3Bucket",
            "BucketName"
        )
        .as_deref(),
        Some("S3BucketName")
    );
    // Lex's log destination holds a bucket's ARN under a `Bucket.Name` format: no member
    // is given a kind it does not hold; its ARN pattern makes it the generic ARN kind.
    assert_eq!(
        field("AWS::Lex::Bot", "S3BucketLogDestination", "S3BucketArn").as_deref(),
        Some("AnyArn")
    );
    let loaded = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    for (t, schema) in &loaded {
        let mut again = schema.clone();
        let moved = nephos_codegen::object_formats::carry(&mut again);
        assert!(moved.is_empty(), "{t}: {moved:?}");
    }
}

/// Every kind named for an ARN is an ARN kind (converts into `AnyArn`), nothing else is; the
/// properties the corrections give any ARN take it.
#[test]
fn arn_kinds_convert_into_any_arn() {
    let models = models();
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for m in models.values() {
        kinds.extend(m.kinds.clone());
    }
    let marked: BTreeSet<&str> = kinds
        .iter()
        .filter(|(_, f)| any_arn::is_arn_format(f))
        .map(|(r, _)| r.as_str())
        .collect();
    for k in [
        "SqsQueueArn",
        "SecretsManagerSecretArn",
        "LambdaLayerVersionArn",
        "IamRoleArn",
    ] {
        assert!(marked.contains(k), "{k}");
    }
    for k in [
        "SqsQueueUrl",
        "Ec2SecurityGroupId",
        "KmsKeyArnOrId",
        any_arn::ANY_ARN_KIND,
    ] {
        assert!(!marked.contains(k), "{k}");
    }
    let field = |t: &str, owner: &str, prop: &str| {
        typed_fields(&models[t])
            .into_iter()
            .find(|(o, p, _)| o == owner && p == prop)
            .map(|(_, _, k)| k)
    };
    assert_eq!(
        field("AWS::Events::Rule", "Target", "Arn").as_deref(),
        Some(any_arn::ANY_ARN_KIND)
    );
    assert_eq!(
        field("AWS::Lambda::Permission", "", "SourceArn").as_deref(),
        Some(any_arn::ANY_ARN_KIND)
    );
}

/// Every kind a setter takes is given by some getter, so the in-stack wiring compiles
/// without a cast: a format the spec spells differently from the registry
/// (`AWS::EC2::DHCPOptions.DhcpOptionsId` beside the `Ref` kind `DHCPOptions.Id`,
/// CloudFront's `Function.ARN` beside `Function.Arn`) names a kind nobody produces. A union
/// is given when any member is; a typestate handle's `Ref` getters give both of their
/// attributes (a security group's `id()` and, without `VpcId`, `name()`). Left: the generic
/// ARN kind (every ARN kind converts into it), ElastiCache's user ID (the `User` handle's
/// `Ref` is its name).
#[test]
fn every_kind_a_setter_takes_is_given_by_a_getter() {
    const NO_GETTER: &[&str] = &[any_arn::ANY_ARN_FORMAT, "AWS::ElastiCache::User.Id"];
    let models = models();
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for m in models.values() {
        kinds.extend(m.kinds.clone());
    }
    let given: BTreeSet<&str> = models
        .values()
        .flat_map(|m| m.attributes.iter().chain(m.reference.iter()))
        .filter_map(|a| match &a.ty {
            Ty::Kind(k) => Some(kinds[k].as_str()),
            _ => None,
        })
        .flat_map(|f| f.split(unions::SEPARATOR))
        .chain(
            models
                .values()
                .filter_map(|m| m.conditional_ref.as_ref())
                .flat_map(|t| [t.set.format.as_str(), t.unset.format.as_str()]),
        )
        .collect();
    let mut orphans = BTreeSet::new();
    for m in models.values() {
        for (_, _, k) in typed_fields(m) {
            let members: Vec<&str> = kinds[&k].split(unions::SEPARATOR).collect();
            if !members.iter().any(|f| given.contains(f)) {
                orphans.insert(kinds[&k].clone());
            }
        }
    }
    let orphans: Vec<String> = orphans
        .into_iter()
        .filter(|f| !NO_GETTER.contains(&f.as_str()))
        .collect();
    assert!(orphans.is_empty(), "{orphans:#?}");
}
