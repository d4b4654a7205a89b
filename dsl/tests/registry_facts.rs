//! The registry facts nephos ships apply to raw resources too: required properties and
//! `Fn::GetAtt` attributes of every known type, and attributes that exist only under a
//! property value (`dsl/codegen/data/conditional_attributes.json`).

mod lint_support;

use nephos::kind::{Any, Str};
use nephos::{
    Diagnostic, Output, Parameter, RawResource, ResourceRef, Severity, Stack, Value, equals, fn_if,
    sub,
};
use serde_json::json;

fn diagnostics(stack: &Stack) -> Vec<Diagnostic> {
    match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    }
}

#[test]
fn a_raw_resource_missing_a_required_property_is_a_synth_error() {
    let mut stack = Stack::new("App");
    stack.add(
        "Sub",
        RawResource::new("AWS::SNS::Subscription")
            .property("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t"),
    );
    let d = diagnostics(&stack);
    assert!(
        d.iter().any(|d| d.severity == Severity::Error
            && d.to_string().starts_with("error: resource `Sub` property `Protocol`: AWS::SNS::Subscription requires property `Protocol`")),
        "{d:?}"
    );
    assert!(
        !d.iter()
            .any(|d| d.to_string().contains("property `TopicArn`"))
    );
}

#[test]
fn removing_a_required_property_by_override_is_caught_too() {
    let mut stack = Stack::new("App");
    let q: ResourceRef = stack.add(
        "Sub",
        RawResource::new("AWS::SNS::Subscription")
            .property("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t")
            .property("Protocol", "email"),
    );
    assert!(stack.synth().is_ok());
    stack.resource(&q).remove_property("Protocol");
    assert!(
        diagnostics(&stack)
            .iter()
            .any(|d| d.to_string().contains("requires property `Protocol`"))
    );
}

#[test]
fn get_att_of_an_attribute_the_type_lacks_is_an_error_for_covered_types() {
    let mut stack = Stack::new("App");
    let q: ResourceRef = stack.add("Q", RawResource::new("AWS::SQS::Queue"));
    let bad: Value<Str> = q.get_att("Url");
    let good: Value<Str> = q.get_att("QueueName"); // from the supplement, not the schema
    stack.output("Bad", Output::new(bad));
    stack.output("Good", Output::new(good));
    let d = diagnostics(&stack);
    let about: Vec<String> = d
        .iter()
        .filter(|d| d.to_string().contains("Fn::GetAtt"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert!(about[0].starts_with("error: output `Bad`: `Fn::GetAtt Q.Url`: AWS::SQS::Queue has no attribute `Url` (its attributes: Arn, QueueName, QueueUrl)"));
}

#[test]
fn get_att_on_a_type_the_service_spec_does_not_describe_is_a_warning() {
    // Every type is generated now; the attribute list is complete only where the AWS
    // service spec filled the schema's gaps. `AWS::Lambda::WebFunction` is not in it.
    let mut stack = Stack::new("App");
    let web: ResourceRef = stack.add(
        "Web",
        RawResource::new("AWS::Lambda::WebFunction").property("FunctionName", "web"),
    );
    let arn: Value<Str> = web.get_att("FunctionArn");
    let odd: Value<Str> = web.get_att("Nonsense");
    stack.output("Arn", Output::new(arn));
    stack.output("Odd", Output::new(odd));
    let d = diagnostics(&stack);
    let about: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.message.contains("Fn::GetAtt"))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].severity, Severity::Warning);
    assert!(about[0].message.contains("`Fn::GetAtt Web.Nonsense`"));
}

#[test]
fn get_att_on_a_type_outside_the_default_services_is_checked_and_nested_attributes_pass() {
    // RDS is no default feature, but the service spec describes `DBInstance`: a false
    // attribute is refused as on the default services, a nested one passes.
    let mut stack = Stack::new("App");
    let db: ResourceRef = stack.add(
        "Db",
        RawResource::new("AWS::RDS::DBInstance").property("DBInstanceClass", "db.t3.micro"),
    );
    let address: Value<Str> = db.get_att("Endpoint.Address");
    let odd: Value<Str> = db.get_att("Nonsense");
    stack.output("Address", Output::new(address));
    stack.output("Odd", Output::new(odd));
    let d = diagnostics(&stack);
    let about: Vec<&Diagnostic> = d
        .iter()
        .filter(|d| d.message.contains("Fn::GetAtt"))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].severity, Severity::Error);
    assert!(about[0].message.contains("`Fn::GetAtt Db.Nonsense`"));
}

// Attributes that exist only under a property value: each row of the reviewed table is
// refused with a literal deciding value that says the attribute is absent, accepted with
// the value under which it exists (the template cfn-lint clean), and let through in silence
// when the value is computed.

/// A stack `name` holding `R` (what `build` makes, which may add other resources and
/// parameters to the stack) and an output `O` reading `attribute` of it.
fn reading(name: &str, attribute: &str, build: impl FnOnce(&mut Stack) -> RawResource) -> Stack {
    let mut stack = Stack::new(name);
    let resource = build(&mut stack);
    let r: ResourceRef = stack.add("R", resource);
    let v: Value<Str> = r.get_att(attribute);
    stack.output("O", Output::new(v));
    stack
}

/// A stack `name` holding the hosted zone `R` (private with `vpcs`) and an output `O`
/// joining its `NameServers` (a list).
fn name_servers(name: &str, vpcs: Option<serde_json::Value>) -> Stack {
    let mut stack = Stack::new(name);
    let mut zone = RawResource::new("AWS::Route53::HostedZone").property("Name", "example.com");
    if let Some(vpcs) = vpcs {
        zone = zone.property("VPCs", vpcs);
    }
    let r: ResourceRef = stack.add("R", zone);
    let servers: Value<nephos::kind::List<Str>> = r.get_att("NameServers");
    stack.output("O", Output::new(nephos::join(",", servers)));
    stack
}

/// What synth says of `R`'s `attribute` being absent.
fn absent_attribute(stack: &Stack, attribute: &str) -> Vec<Diagnostic> {
    diagnostics(stack)
        .into_iter()
        .filter(|d| {
            d.message.contains(&format!("`Fn::GetAtt R.{attribute}`: "))
                && d.message
                    .contains(&format!("has no `{attribute}`, because"))
        })
        .collect()
}

/// Asserts `stack` is refused for `attribute` once, at `location`, naming `property`, the
/// AWS page `page` and a fix mentioning `fix`.
fn refused(stack: &Stack, attribute: &str, property: &str, page: &str, fix: &str) {
    let d = absent_attribute(stack, attribute);
    assert_eq!(d.len(), 1, "{}: {d:#?}", stack.name());
    let d = &d[0];
    assert_eq!(d.severity, Severity::Error, "{d}");
    assert!(d.message.contains(&format!("`{property}`")), "{d}");
    assert!(d.message.contains(page), "{d}");
    assert!(d.fix.contains(fix), "{d}");
    assert!(d.fix.contains('R'), "{d}");
}

/// Asserts synth says nothing of `attribute` (and succeeds).
fn silent(stack: &Stack, attribute: &str) {
    assert!(
        absent_attribute(stack, attribute).is_empty(),
        "{}: {:#?}",
        stack.name(),
        absent_attribute(stack, attribute)
    );
    if let Err(e) = stack.synth() {
        panic!("{}: {e}", stack.name());
    }
}

fn replication_group() -> RawResource {
    RawResource::new("AWS::ElastiCache::ReplicationGroup")
        .property("ReplicationGroupDescription", "cache")
        .property("CacheNodeType", "cache.t3.micro")
        .property("Engine", "redis")
}

fn clustered(r: RawResource) -> RawResource {
    r.property("ClusterMode", "enabled")
        .property("NumNodeGroups", 2)
        .property("ReplicasPerNodeGroup", 1)
        .property("AutomaticFailoverEnabled", true)
        .property("CacheParameterGroupName", "default.redis7.cluster.on")
}

fn cache_cluster(engine: &str) -> RawResource {
    RawResource::new("AWS::ElastiCache::CacheCluster")
        .property("CacheNodeType", "cache.t3.micro")
        .property("Engine", engine)
        .property("NumCacheNodes", 1)
}

fn db_instance() -> RawResource {
    RawResource::new("AWS::RDS::DBInstance")
        .property("DBInstanceClass", "db.t3.micro")
        .property("Engine", "postgres")
        .property("AllocatedStorage", "20")
        .property("MasterUsername", "admin1")
}

fn db_cluster() -> RawResource {
    RawResource::new("AWS::RDS::DBCluster")
        .property("Engine", "aurora-postgresql")
        .property("MasterUsername", "admin1")
}

fn table(t: &str) -> RawResource {
    let r = RawResource::new(t)
        .property(
            "KeySchema",
            json!([{"AttributeName": "id", "KeyType": "HASH"}]),
        )
        .property(
            "AttributeDefinitions",
            json!([{"AttributeName": "id", "AttributeType": "S"}]),
        )
        .property("BillingMode", "PAY_PER_REQUEST");
    if t == "AWS::DynamoDB::GlobalTable" {
        r.property("Replicas", json!([{"Region": "us-east-1"}]))
    } else {
        r
    }
}

fn domain_name() -> RawResource {
    RawResource::new("AWS::ApiGateway::DomainName")
        .property("DomainName", "api.example.com")
        .property(
            "CertificateArn",
            "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        )
}

fn eks_cluster() -> RawResource {
    RawResource::new("AWS::EKS::Cluster")
        .property("RoleArn", "arn:aws:iam::123456789012:role/eks")
        .property(
            "ResourcesVpcConfig",
            json!({"SubnetIds": ["subnet-12345678"]}),
        )
}

fn image() -> RawResource {
    RawResource::new("AWS::ImageBuilder::Image").property(
        "InfrastructureConfigurationArn",
        "arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/infra",
    )
}

const IMAGE_RECIPE: &str = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe/1.0.0";
const CONTAINER_RECIPE: &str =
    "arn:aws:imagebuilder:us-east-1:123456789012:container-recipe/recipe/1.0.0";

/// An instance in a subnet of the stack whose `MapPublicIpOnLaunch` is `map` (unset: `None`).
fn instance_in_subnet(stack: &mut Stack, map: Option<bool>) -> RawResource {
    let mut subnet = RawResource::new("AWS::EC2::Subnet")
        .property("VpcId", "vpc-12345678")
        .property("CidrBlock", "10.0.0.0/24");
    if let Some(map) = map {
        subnet = subnet.property("MapPublicIpOnLaunch", map);
    }
    let subnet: ResourceRef = stack.add("Subnet", subnet);
    instance().property("SubnetId", subnet.ref_value::<Str>())
}

fn instance() -> RawResource {
    RawResource::new("AWS::EC2::Instance")
        .property("ImageId", "ami-12345678")
        .property("InstanceType", "t3.micro")
}

/// The stacks each row accepts (for cfn-lint), after asserting each is silent.
fn accepted() -> Vec<Stack> {
    let cases: Vec<(&str, Stack)> = vec![
        (
            "ConfigurationEndPoint.Address",
            reading("RgClustered", "ConfigurationEndPoint.Address", |_| {
                clustered(replication_group())
            }),
        ),
        (
            "PrimaryEndPoint.Address",
            reading("RgPlain", "PrimaryEndPoint.Address", |_| {
                replication_group().property("NumCacheClusters", 1)
            }),
        ),
        (
            "ReaderEndPoint.Address",
            reading("RgReader", "ReaderEndPoint.Address", |_| {
                replication_group().property("NumCacheClusters", 2)
            }),
        ),
        (
            "ConfigurationEndpoint.Address",
            reading("Memcached", "ConfigurationEndpoint.Address", |_| {
                cache_cluster("memcached")
            }),
        ),
        (
            "RedisEndpoint.Address",
            reading("Redis", "RedisEndpoint.Address", |_| cache_cluster("redis")),
        ),
        (
            "MasterUserSecret.SecretArn",
            reading("DbManaged", "MasterUserSecret.SecretArn", |_| {
                db_instance().property("ManageMasterUserPassword", true)
            }),
        ),
        (
            "MasterUserSecret.SecretArn",
            reading("ClusterManaged", "MasterUserSecret.SecretArn", |_| {
                db_cluster().property("ManageMasterUserPassword", true)
            }),
        ),
        (
            "PublicIp",
            reading("PublicSubnet", "PublicIp", |s| {
                instance_in_subnet(s, Some(true))
            }),
        ),
        (
            "StreamArn",
            reading("Streamed", "StreamArn", |_| {
                table("AWS::DynamoDB::Table").property(
                    "StreamSpecification",
                    json!({"StreamViewType": "NEW_IMAGE"}),
                )
            }),
        ),
        (
            "StreamArn",
            reading("GlobalStreamed", "StreamArn", |_| {
                table("AWS::DynamoDB::GlobalTable").property(
                    "StreamSpecification",
                    json!({"StreamViewType": "NEW_AND_OLD_IMAGES"}),
                )
            }),
        ),
        ("NameServers", name_servers("PublicZone", None)),
        (
            "DistributionDomainName",
            reading("EdgeDomain", "DistributionDomainName", |_| domain_name()),
        ),
        (
            "Id",
            reading("OutpostCluster", "Id", |_| {
                eks_cluster().property("OutpostConfig", json!({"OutpostArns": ["arn:aws:outposts:us-east-1:123456789012:outpost/op-1234567890abcdef0"], "ControlPlaneInstanceType": "m5.large"}))
            }),
        ),
        (
            "ImageId",
            reading("Ami", "ImageId", |_| {
                image().property("ImageRecipeArn", IMAGE_RECIPE)
            }),
        ),
        (
            "ImageUri",
            reading("Container", "ImageUri", |_| {
                image().property("ContainerRecipeArn", CONTAINER_RECIPE)
            }),
        ),
    ];
    cases
        .into_iter()
        .map(|(attribute, stack)| {
            silent(&stack, attribute);
            stack
        })
        .collect()
}

#[test]
fn conditional_attributes_are_refused_when_the_literal_deciding_value_says_absent() {
    const RG: &str = "aws-resource-elasticache-replicationgroup.html";
    const ENDPOINTS: &str = "Replication.Endpoints.html";
    const NODE_GROUP: &str = "API_NodeGroupMember.html";
    const CACHE: &str = "aws-resource-elasticache-cachecluster.html";
    // ElastiCache replication groups: cluster mode off by default, or said literally.
    let s = reading("RgDefault", "ConfigurationEndPoint.Port", |_| {
        replication_group()
    });
    refused(
        &s,
        "ConfigurationEndPoint.Port",
        "ClusterMode",
        RG,
        "PrimaryEndPoint",
    );
    let s = reading("RgDisabled", "ConfigurationEndPoint.Address", |_| {
        replication_group().property("ClusterMode", "disabled")
    });
    refused(
        &s,
        "ConfigurationEndPoint.Address",
        "ClusterMode",
        RG,
        "PrimaryEndPoint",
    );
    let s = reading("RgShards", "PrimaryEndPoint.Address", |_| {
        replication_group().property("NumNodeGroups", 3)
    });
    refused(
        &s,
        "PrimaryEndPoint.Address",
        "NumNodeGroups",
        ENDPOINTS,
        "ConfigurationEndPoint",
    );
    let s = reading("RgEnabled", "ReaderEndPoint.Address", |_| {
        clustered(replication_group())
    });
    refused(
        &s,
        "ReaderEndPoint.Address",
        "ClusterMode",
        NODE_GROUP,
        "ConfigurationEndPoint",
    );
    let s = reading("RgGroups", "ReadEndPoint.Addresses", |_| {
        replication_group().property(
            "NodeGroupConfiguration",
            json!([{"ReplicaCount": 1}, {"ReplicaCount": 1}]),
        )
    });
    refused(
        &s,
        "ReadEndPoint.Addresses",
        "NodeGroupConfiguration",
        NODE_GROUP,
        "ConfigurationEndPoint",
    );
    // Cache clusters: the engine decides.
    let s = reading("RedisCfg", "ConfigurationEndpoint.Address", |_| {
        cache_cluster("redis")
    });
    refused(
        &s,
        "ConfigurationEndpoint.Address",
        "Engine",
        CACHE,
        "memcached",
    );
    let s = reading("MemcachedRedis", "RedisEndpoint.Port", |_| {
        cache_cluster("memcached")
    });
    refused(&s, "RedisEndpoint.Port", "Engine", CACHE, "redis");
    // RDS: no managed secret unless asked for (absent is false), or said false.
    let s = reading("DbPlain", "MasterUserSecret.SecretArn", |_| db_instance());
    refused(
        &s,
        "MasterUserSecret.SecretArn",
        "ManageMasterUserPassword",
        "aws-properties-rds-dbinstance-masterusersecret.html",
        "ManageMasterUserPassword",
    );
    let s = reading("ClusterFalse", "MasterUserSecret.SecretArn", |_| {
        db_cluster().property("ManageMasterUserPassword", "false")
    });
    refused(
        &s,
        "MasterUserSecret.SecretArn",
        "ManageMasterUserPassword",
        "aws-properties-rds-dbcluster-masterusersecret.html",
        "ManageMasterUserPassword",
    );
    // EC2: no public address on the primary interface, or a private subnet of the stack.
    let s = reading("NoPublicIp", "PublicIp", |_| {
        instance().property(
            "NetworkInterfaces",
            json!([{"DeviceIndex": "0", "AssociatePublicIpAddress": false, "SubnetId": "subnet-12345678"}]),
        )
    });
    refused(
        &s,
        "PublicIp",
        "AssociatePublicIpAddress",
        "aws-resource-ec2-instance.html",
        "PrivateIp",
    );
    let s = reading("PrivateSubnet", "PublicDnsName", |s| {
        instance_in_subnet(s, None)
    });
    refused(
        &s,
        "PublicDnsName",
        "MapPublicIpOnLaunch",
        "aws-resource-ec2-instance.html",
        "PrivateIp",
    );
    // DynamoDB: no stream without a stream specification.
    let s = reading("NoStream", "StreamArn", |_| table("AWS::DynamoDB::Table"));
    refused(
        &s,
        "StreamArn",
        "StreamSpecification",
        "aws-resource-dynamodb-table.html",
        "StreamSpecification",
    );
    let s = reading("GlobalNoStream", "StreamArn", |_| {
        table("AWS::DynamoDB::GlobalTable")
    });
    refused(
        &s,
        "StreamArn",
        "StreamSpecification",
        "aws-resource-dynamodb-globaltable.html",
        "StreamSpecification",
    );
    // Route 53: a private zone has no name servers.
    let s = name_servers(
        "PrivateZone",
        Some(json!([{"VPCId": "vpc-12345678", "VPCRegion": "us-east-1"}])),
    );
    refused(
        &s,
        "NameServers",
        "VPCs",
        "aws-resource-route53-hostedzone.html",
        "VPCs",
    );
    // API Gateway: a regional domain has no CloudFront distribution.
    let s = reading("RegionalDomain", "DistributionHostedZoneId", |_| {
        domain_name().property("EndpointConfiguration", json!({"Types": ["REGIONAL"]}))
    });
    refused(
        &s,
        "DistributionHostedZoneId",
        "EndpointConfiguration.Types",
        "aws-resource-apigateway-domainname.html",
        "EDGE",
    );
    // EKS: only a local cluster on an Outpost has an `Id`.
    let s = reading("CloudCluster", "Id", |_| eks_cluster());
    refused(
        &s,
        "Id",
        "OutpostConfig",
        "aws-resource-eks-cluster.html",
        "OutpostConfig",
    );
    // Image Builder: an AMI build has no image URI, a container build no image ID.
    let s = reading("AmiUri", "ImageUri", |_| {
        image().property("ImageRecipeArn", IMAGE_RECIPE)
    });
    refused(
        &s,
        "ImageUri",
        "ImageRecipeArn",
        "aws-resource-imagebuilder-image.html",
        "ImageRecipeArn",
    );
    let s = reading("ContainerId", "ImageId", |_| {
        image().property("ContainerRecipeArn", CONTAINER_RECIPE)
    });
    refused(
        &s,
        "ImageId",
        "ContainerRecipeArn",
        "aws-resource-imagebuilder-image.html",
        "ContainerRecipeArn",
    );
}

#[test]
fn the_refusal_names_the_resource_attribute_property_fix_and_page() {
    let s = reading("NoStream", "StreamArn", |_| table("AWS::DynamoDB::Table"));
    let d = absent_attribute(&s, "StreamArn");
    assert_eq!(
        d[0].to_string(),
        "error: output `O`: `Fn::GetAtt R.StreamArn`: AWS::DynamoDB::Table `R` has no `StreamArn`, because `StreamSpecification` is not set: it exists only when StreamSpecification is set (AWS documentation: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values), so CloudFormation fails the reference at deploy or it reads nothing\n  fix: set `StreamSpecification` on `R`, or do not read `StreamArn`"
    );
}

#[test]
fn conditional_attributes_are_refused_in_properties_and_substitutions_too() {
    let mut stack = Stack::new("Uses");
    let t: ResourceRef = stack.add("R", table("AWS::DynamoDB::Table"));
    let stream: Value<Str> = t.get_att("StreamArn");
    let stream_any: Value<Any> = stream.clone().into_any();
    stack.add(
        "P",
        RawResource::new("AWS::SSM::Parameter")
            .property("Type", "String")
            .property("Description", sub("stream ${s}", [("s", stream_any)]))
            .property("Value", stream),
    );
    let d = absent_attribute(&stack, "StreamArn");
    assert_eq!(d.len(), 2, "{d:#?}");
    let paths: Vec<String> = d.iter().map(|d| d.location.to_string()).collect();
    assert!(paths.iter().any(|p| p.contains("Description")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.contains("property `Value`")),
        "{paths:?}"
    );
}

#[test]
fn conditional_attributes_are_let_through_when_the_deciding_value_is_computed() {
    // A parameter, or `Fn::If` with the property on one branch only.
    let s = reading("RgParam", "PrimaryEndPoint.Address", |s| {
        let shards = s.parameter("Shards", Parameter::number());
        replication_group().property("NumNodeGroups", shards.value())
    });
    silent(&s, "PrimaryEndPoint.Address");
    let s = reading("RgMode", "ConfigurationEndPoint.Address", |s| {
        let mode = s.parameter("Mode", Parameter::string());
        replication_group().property("ClusterMode", mode.value())
    });
    silent(&s, "ConfigurationEndPoint.Address");
    let s = reading("EngineParam", "RedisEndpoint.Address", |s| {
        let engine = s.parameter("Engine", Parameter::string());
        cache_cluster("redis").property("Engine", engine.value())
    });
    silent(&s, "RedisEndpoint.Address");
    let s = reading("MaybeStream", "StreamArn", |s| {
        let env = s.parameter("Env", Parameter::string());
        let prod = s.condition("Prod", equals(&env, "prod"));
        let spec: Value<nephos::kind::Json> = fn_if(
            &prod,
            json!({"StreamViewType": "NEW_IMAGE"}),
            Value::<nephos::kind::Json>::no_value(),
        );
        table("AWS::DynamoDB::Table").property("StreamSpecification", spec)
    });
    silent(&s, "StreamArn");
    let s = reading("MaybeManaged", "MasterUserSecret.SecretArn", |s| {
        let managed = s.parameter("Managed", Parameter::string());
        db_instance().property("ManageMasterUserPassword", managed.value())
    });
    silent(&s, "MasterUserSecret.SecretArn");
    // What decides is outside the stack's view: a read replica's source, an Elastic IP
    // associated after the create, a subnet by literal ID, a restored snapshot.
    let s = reading("Replica", "MasterUserSecret.SecretArn", |_| {
        RawResource::new("AWS::RDS::DBInstance")
            .property("DBInstanceClass", "db.t3.micro")
            .property("SourceDBInstanceIdentifier", "source-db")
    });
    silent(&s, "MasterUserSecret.SecretArn");
    let s = reading("WithEip", "PublicIp", |s| {
        let i = instance_in_subnet(s, None);
        s.add(
            "Eip",
            RawResource::new("AWS::EC2::EIP").property("Domain", "vpc"),
        );
        i
    });
    silent(&s, "PublicIp");
    let s = reading("LiteralSubnet", "PublicIp", |_| {
        instance().property("SubnetId", "subnet-12345678")
    });
    silent(&s, "PublicIp");
    let s = reading("RgSnapshot", "ConfigurationEndPoint.Address", |_| {
        replication_group().property("SnapshotName", "snap")
    });
    silent(&s, "ConfigurationEndPoint.Address");
    let s = reading("CustomGroup", "PrimaryEndPoint.Address", |_| {
        replication_group().property("CacheParameterGroupName", "my-group")
    });
    silent(&s, "PrimaryEndPoint.Address");
}

#[test]
fn conditional_attributes_accepted_are_silent_and_cfn_lint_clean() {
    let stacks = accepted();
    let refs: Vec<&Stack> = stacks.iter().collect();
    let found = lint_support::findings(&refs);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_table_constructs_stream_arn_without_a_stream_is_refused_at_synth() {
    // `TableRef::stream_arn` is offered whether or not the table has a stream; synth now
    // refuses reading it from a table without one, and accepts it with a stream.
    use nephos::constructs::{Key, StreamView, Table};
    let mut stack = Stack::new("Plain");
    let t = stack.add("R", Table::new(Key::string("id")));
    stack.output("O", Output::new(t.stream_arn()));
    refused(
        &stack,
        "StreamArn",
        "StreamSpecification",
        "aws-resource-dynamodb-table.html",
        "StreamSpecification",
    );
    let mut stack = Stack::new("Streamed");
    let t = stack.add(
        "R",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    stack.output("O", Output::new(t.stream_arn()));
    silent(&stack, "StreamArn");
}
