//! Properties that take any one of several resources' attributes, over the whole bundle:
//! each takes the union of those attributes' kinds (not a plain string, not one member's
//! kind), from the schema's `anyOf` or the supplement's `unions`. Prints the count of such
//! properties per service (`--nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nephos_codegen::model::{Field, ResourceModel, Ty};
use nephos_codegen::{build_all, schemas, services, unions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn models() -> BTreeMap<String, ResourceModel> {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    build_all(&schemas, &extras).expect("builds")
}

fn fields(m: &ResourceModel) -> impl Iterator<Item = (&str, &Field)> {
    m.fields.iter().map(|f| ("", f)).chain(
        m.structs
            .iter()
            .flat_map(|s| s.fields.iter().map(move |f| (s.schema_name.as_str(), f))),
    )
}

fn field_ty(models: &BTreeMap<String, ResourceModel>, t: &str, owner: &str, prop: &str) -> Ty {
    let (_, f) = fields(&models[t])
        .find(|(o, f)| *o == owner && f.name == prop)
        .unwrap_or_else(|| panic!("{t} {owner}.{prop}"));
    match &f.ty {
        Ty::List(item) => (**item).clone(),
        other => other.clone(),
    }
}

const KMS: &str = "KmsAliasNameOrKeyArnOrId";

#[test]
fn properties_taking_any_of_several_attributes_take_their_union() {
    let models = models();
    let kind = |k: &str| Ty::Kind(k.to_string());
    for (t, owner, prop, want) in [
        // `anyOf` of three formats in the schema.
        (
            "AWS::EC2::EC2Fleet",
            "EbsBlockDevice",
            "KmsKeyId",
            kind(KMS),
        ),
        // Items that are a security group's ID or its name.
        (
            "AWS::AutoScaling::LaunchConfiguration",
            "",
            "SecurityGroups",
            kind("Ec2SecurityGroupIdOrName"),
        ),
        // No `anyOf` in the schema: the service spec's three `relationshipRefs`, in the
        // supplement's `unions` (the resource reference: "key ID, ARN, alias name, or alias ARN").
        (
            "AWS::DynamoDB::Table",
            "SSESpecification",
            "KMSMasterKeyId",
            kind(KMS),
        ),
        ("AWS::SQS::Queue", "", "KmsMasterKeyId", kind(KMS)),
        // A key's ARN or ID, from the spec (the schema's own `anyOf`, as RDS's, wins):
        // a smaller union.
        (
            "AWS::Athena::WorkGroup",
            "EncryptionConfiguration",
            "KmsKey",
            kind("KmsKeyArnOrId"),
        ),
        // A role ARN or the empty string: the empty string is no resource.
        (
            "AWS::DevOpsAgent::Service",
            "MCPServerSigV4AuthorizationConfig",
            "RoleArn",
            kind("IamRoleArn"),
        ),
    ] {
        assert_eq!(
            field_ty(&models, t, owner, prop),
            want,
            "{t} {owner}.{prop}"
        );
    }
    // Each union lists its members, and they are kinds of their own.
    let kms = &models["AWS::DynamoDB::Table"].kinds;
    assert_eq!(
        kms[KMS],
        "AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id"
    );
    for member in ["KmsAliasAliasName", "KmsKeyArn", "KmsKeyId"] {
        assert!(kms.contains_key(member), "{member}");
    }
}

#[test]
fn union_typed_properties_by_service() {
    let models = models();
    let mut by_service: BTreeMap<(String, String), usize> = BTreeMap::new();
    for m in models.values() {
        let module = services::module_of(&m.type_name).expect("module");
        for (_, f) in fields(m) {
            let ty = match &f.ty {
                Ty::List(item) => &**item,
                other => other,
            };
            if let Ty::Kind(k) = ty
                && m.kinds.get(k).is_some_and(|n| unions::is_union(n))
            {
                *by_service.entry((module.clone(), k.clone())).or_default() += 1;
            }
        }
    }
    let total: usize = by_service.values().sum();
    for ((service, kind), n) in &by_service {
        println!("{service}\t{kind}\t{n}");
    }
    println!("total\t{total}");
    let kms: usize = by_service
        .iter()
        .filter(|((_, k), _)| k.starts_with("Kms"))
        .map(|(_, n)| n)
        .sum();
    // The schemas alone give 127 KMS `anyOf`s (some in nested types shared by several
    // properties); the spec adds DynamoDB, CloudTrail, SQS, SNS, S3, RDS...
    assert!(kms > 120, "{kms} KMS properties typed with a union");
    assert!(
        by_service.contains_key(&(
            "autoscaling".to_string(),
            "Ec2SecurityGroupIdOrName".to_string()
        )),
        "{by_service:?}"
    );
}

/// A member whose values the property's own `pattern` rejects is dropped: these properties'
/// schemas list a key's ID and an alias name in their `anyOf`, but their patterns
/// (`^arn:...:kms:...:(key|alias)/.+`) take only ARNs, so one member, the key's ARN, is left.
#[test]
fn members_the_property_s_pattern_rejects_are_not_in_its_kind() {
    let models = models();
    let arn = Ty::Kind("KmsKeyArn".to_string());
    for (t, owner, prop) in [
        ("AWS::Logs::LogGroup", "", "KmsKeyId"),
        ("AWS::Logs::LogAnomalyDetector", "", "KmsKeyId"),
        ("AWS::IoTSiteWise::Workspace", "", "KmsKeyId"),
        (
            "AWS::BedrockAgentCore::CapacityProvider",
            "EbsVolumeConfiguration",
            "KmsKeyId",
        ),
        (
            "AWS::BedrockAgentCore::CapacityProvider",
            "RootVolumeConfiguration",
            "KmsKeyId",
        ),
    ] {
        assert_eq!(field_ty(&models, t, owner, prop), arn, "{t} {owner}.{prop}");
    }
    // A pattern the engine cannot compile (`\p{ASCII}`) is no evidence: all members stay.
    assert_eq!(
        field_ty(
            &models,
            "AWS::Comprehend::DocumentClassifier",
            "",
            "VolumeKmsKeyId"
        ),
        Ty::Kind(KMS.to_string())
    );
}

/// The reviewed corrections (`dsl/codegen/data/kind_corrections.json`, each with the AWS
/// documentation page that states the accepted values) hold in the built models: members the
/// service rejects are gone, members it accepts are there.
#[test]
fn reviewed_corrections_decide_the_kind() {
    let models = models();
    let kind = |k: &str| Ty::Kind(k.to_string());
    for (t, owner, prop, want) in [
        // "The ARN of the KMS key": the spec's key ID member is gone.
        (
            "AWS::MSK::Cluster",
            "EncryptionAtRest",
            "DataVolumeKMSKeyId",
            kind("KmsKeyArn"),
        ),
        // An alias name (`alias/aws/kinesis`) is accepted: the spec lacks it.
        (
            "AWS::Kinesis::Stream",
            "StreamEncryption",
            "KeyId",
            kind(KMS),
        ),
        // A directory bucket takes no alias, which the schema's `anyOf` lists.
        (
            "AWS::S3Express::DirectoryBucket",
            "ServerSideEncryptionByDefault",
            "KMSMasterKeyID",
            kind("KmsKeyArnOrId"),
        ),
        (
            "AWS::RDS::DBInstance",
            "",
            "PerformanceInsightsKMSKeyId",
            kind(KMS),
        ),
        (
            "AWS::DMS::ReplicationConfig",
            "ComputeConfig",
            "KmsKeyId",
            kind("KmsKeyArn"),
        ),
        ("AWS::Glue::Integration", "", "KmsKeyId", kind("KmsKeyArn")),
        // A plain string before: a key's (or a replica key's) ID or ARN, no alias, no bucket.
        (
            "AWS::KMS::Alias",
            "",
            "TargetKeyId",
            kind("KmsKeyArnOrIdOrReplicaKeyArnOrKeyId"),
        ),
        // A load balancer's (an API domain's) canonical zone, or for an alias to another
        // record of the same zone, that zone's own ID (the Route 53 API reference); cfn-lint
        // 1.58 flags the latter (E1041), a false positive of its format table.
        (
            "AWS::Route53::RecordSet",
            "AliasTarget",
            "HostedZoneId",
            kind("Route53AliasTargetHostedZoneIdOrHostedZoneId"),
        ),
        (
            "AWS::Route53::RecordSetGroup",
            "AliasTarget",
            "HostedZoneId",
            kind("Route53AliasTargetHostedZoneIdOrHostedZoneId"),
        ),
        // Name or ARN (K2, `scripts/scan_name_or_arn.py`): both identifiers compile.
        (
            "AWS::ECS::Service",
            "",
            "Cluster",
            kind("EcsClusterArnOrName"),
        ),
        (
            "AWS::ECS::TaskSet",
            "",
            "Service",
            kind("EcsServiceArnOrName"),
        ),
        // AWS takes the role's name too, but cfn-lint reports E1041 for it (the schema's
        // format is the ARN) and `role.arn()` lints clean: the schema's kind (atk13b F9).
        (
            "AWS::ECS::TaskDefinition",
            "",
            "TaskRoleArn",
            kind("IamRoleArn"),
        ),
        (
            "AWS::ECS::DaemonTaskDefinition",
            "",
            "TaskRoleArn",
            kind("IamRoleArn"),
        ),
        (
            "AWS::Events::Rule",
            "",
            "EventBusName",
            kind("EventsEventBusArnOrName"),
        ),
        (
            "AWS::Lambda::Permission",
            "",
            "FunctionName",
            kind("LambdaFunctionArnOrName"),
        ),
        (
            "AWS::Lambda::EventSourceMapping",
            "",
            "FunctionName",
            kind("LambdaFunctionArnOrName"),
        ),
        // Where the hosted zone's own records go.
        (
            "AWS::Route53::RecordSet",
            "",
            "HostedZoneId",
            kind("Route53HostedZoneId"),
        ),
        // atk13 F1: a directory bucket's own policy and access points take its name, a
        // plain string before.
        (
            "AWS::S3Express::BucketPolicy",
            "",
            "Bucket",
            kind("S3ExpressDirectoryBucketBucketName"),
        ),
        (
            "AWS::S3Express::AccessPoint",
            "",
            "Bucket",
            kind("S3ExpressDirectoryBucketBucketName"),
        ),
        // atk13 F3: `family:revision` or the ARN; a shared document's ARN or a name.
        (
            "AWS::ECS::Service",
            "",
            "TaskDefinition",
            kind("EcsTaskDefinitionArnOrFamily"),
        ),
        (
            "AWS::SSM::Association",
            "",
            "Name",
            kind("SsmDocumentArnOrName"),
        ),
        // atk13 F7: the function's name or ARN, as for a permission.
        (
            "AWS::Lambda::Alias",
            "",
            "FunctionName",
            kind("LambdaFunctionArnOrName"),
        ),
        (
            "AWS::Lambda::EventInvokeConfig",
            "",
            "FunctionName",
            kind("LambdaFunctionArnOrName"),
        ),
    ] {
        assert_eq!(
            field_ty(&models, t, owner, prop),
            want,
            "{t} {owner}.{prop}"
        );
    }
    // A Cloud Map namespace's hosted zone is a hosted zone (records go into it), not a
    // canonical alias-target zone.
    for t in [
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "AWS::ServiceDiscovery::PublicDnsNamespace",
    ] {
        let attr = models[t]
            .attributes
            .iter()
            .find(|a| a.name == "HostedZoneId")
            .unwrap_or_else(|| panic!("{t} HostedZoneId"));
        assert_eq!(attr.ty, kind("Route53HostedZoneId"), "{t}");
    }
    // atk13 F1: a directory bucket's name (its `Ref`) is no general purpose bucket's, so
    // it does not reach S3 bucket policies, trails or Lambda code buckets.
    let dir = &models["AWS::S3Express::DirectoryBucket"];
    let reference = dir.reference.as_ref().expect("directory bucket Ref");
    assert_eq!(reference.ty, kind("S3ExpressDirectoryBucketBucketName"));
    // atk13 F2: an RDS endpoint is no Route 53 alias target, so its zone is not the
    // canonical zone an alias takes.
    let db = &models["AWS::RDS::DBInstance"];
    for name in ["Endpoint.HostedZoneId", "ListenerEndpoint.HostedZoneId"] {
        let attr = db
            .attributes
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("DBInstance {name}"));
        assert_eq!(attr.ty, kind("RdsDbInstanceEndpointHostedZoneId"), "{name}");
    }
    // The canonical zones of the alias targets keep their own kind, which is a member of the
    // alias target's union but not a hosted zone's ID.
    let lb = &models["AWS::ElasticLoadBalancingV2::LoadBalancer"];
    let canonical = lb
        .attributes
        .iter()
        .find(|a| a.name == "CanonicalHostedZoneID")
        .expect("load balancer CanonicalHostedZoneID");
    assert_eq!(canonical.ty, kind("Route53AliasTargetHostedZoneId"));
}

/// Every entry of the corrections table has its effect: the property at its pointer takes
/// exactly the entry's formats, so an entry that no longer applies (a renamed definition, a
/// format the build drops) is noticed.
#[test]
fn every_correction_takes_effect() {
    let models = models();
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    assert!(!extras.corrections.is_empty(), "no corrections loaded");
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for m in models.values() {
        kinds.extend(m.kinds.clone());
    }
    for (t, corrections) in &extras.corrections {
        for c in corrections {
            // A list's items (`/properties/Layers/items`) are corrected: the list's item kind.
            let pointer = c.pointer.strip_suffix("/items").unwrap_or(&c.pointer);
            let parts: Vec<&str> = pointer.split('/').collect();
            let (owner, prop) = match parts[..] {
                ["", "properties", prop] => ("", prop),
                ["", "definitions", owner, "properties", prop] => (owner, prop),
                _ => panic!("{t}: pointer {}", c.pointer),
            };
            let m = &models[t];
            let ty = fields(m)
                .find(|(o, f)| *o == owner && f.name == prop)
                .map(|(_, f)| f.ty.clone())
                // A property naming its own resource is a plain string by design; its
                // kind is the resource's `Ref` (a directory bucket's `BucketName`).
                .filter(|ty| *ty != Ty::Str || !owner.is_empty())
                .or_else(|| {
                    // A read-only property is an attribute, below the top level read through
                    // its object (`MasterUserSecret.SecretArn`).
                    let name = if owner.is_empty() {
                        prop.to_string()
                    } else {
                        format!("{owner}.{prop}")
                    };
                    m.attributes
                        .iter()
                        .chain(m.reference.iter())
                        .find(|a| a.name == name)
                        .map(|a| a.ty.clone())
                })
                .unwrap_or_else(|| panic!("{t} {}", c.pointer));
            let ty = match ty {
                Ty::List(item) => *item,
                other => other,
            };
            let Ty::Kind(rust) = ty else {
                panic!("{t} {}: {ty:?}", c.pointer)
            };
            let mut want = c.formats.clone();
            want.sort();
            let mut got: Vec<String> = kinds[&rust]
                .split(unions::SEPARATOR)
                .map(str::to_string)
                .collect();
            got.sort();
            assert_eq!(got, want, "{t} {}", c.pointer);
        }
    }
}

/// Over the checked-in `kinds.rs`: every reviewed widening ("a version's ARN is a function's
/// ARN") converts into every union that has its wider kind as a member, so a value of the
/// narrower kind compiles wherever one of the wider kind does (`Permission::new` takes
/// `LambdaFunctionArnOrName`).
#[test]
fn every_widening_reaches_every_union_containing_its_target() {
    let text = std::fs::read_to_string(root().join("dsl/src/generated/kinds.rs")).unwrap();
    // `Rust, "format"` lines of the kind declarations; unions have " | " in the format.
    let mut rust_of = BTreeMap::new();
    for line in text.lines() {
        if let Some((rust, rest)) = line.split_once(", \"")
            && let Some((format, _)) = rest.split_once('"')
            && !rust.contains(' ')
        {
            rust_of.insert(format.to_string(), rust.to_string());
        }
    }
    let widenings = nephos_codegen::corrections::load_widenings(&root()).unwrap();
    assert!(!widenings.is_empty());
    let mut checked = 0;
    for w in &widenings {
        let from = &rust_of[&w.from];
        for (format, union) in rust_of.iter().filter(|(f, _)| unions::is_union(f)) {
            let members: Vec<&str> = format.split(unions::SEPARATOR).collect();
            if members.contains(&w.into.as_str()) && !members.contains(&w.from.as_str()) {
                let line = format!("crate::union_kind!(@into {union}, [{from}]);");
                assert!(text.contains(&line), "kinds.rs lacks {line}");
                checked += 1;
            }
        }
    }
    // LambdaFunctionArnOrName and the log subscription destinations at least.
    assert!(checked >= 2, "{checked}");
}
