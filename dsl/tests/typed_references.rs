//! References that were plain strings or carried another service's kind, wired the way the
//! AWS documentation allows now that the reviewed corrections type them
//! (dsl/codegen/data/kind_corrections.json): a Secrets Manager secret by its `Ref` (its
//! ARN) into an RDS proxy and an ECS container, an RDS instance's managed secret into a
//! proxy, a queue's and a function's ARN as EventBridge targets (any ARN), a rule's ARN as
//! a Lambda permission's source, a layer, a queue as an event source, a user pool's ID into
//! its domain, an internet gateway into a route, a security group's ID into an instance.
//! The stack synthesizes with each reference where it belongs, and cfn-lint accepts it. Run
//! with `--features ec2,cognito,secretsmanager,rds,events,ecs` (the compile-fail cases of
//! `compile_fail_services/` are the other direction).
#![cfg(all(
    feature = "ec2",
    feature = "cognito",
    feature = "secretsmanager",
    feature = "rds",
    feature = "events",
    feature = "ecs",
    feature = "lambda",
    feature = "sqs",
    feature = "iam"
))]

use nephos::kind::{AnyArn, Str};
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{IntoValue, Param, Stack, Value};
use serde_json::json;

mod roundtrip_support;

fn typed_references(stack: &mut Stack, _text: &Param<Str>) {
    let secret = stack.add(
        "Secret",
        nephos::secretsmanager::Secret::new().description("db credentials"),
    );
    let role = stack.add(
        "ProxyRole",
        nephos::iam::Role::new(
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("rds.amazonaws.com"))
                    .action("sts:AssumeRole"),
            ),
        ),
    );
    let database = stack.add(
        "Database",
        nephos::rds::DbInstance::new()
            .engine("postgres")
            .db_instance_class("db.t4g.micro")
            .allocated_storage("20")
            .master_username("app")
            .manage_master_user_password(true),
    );
    // A secret's `Ref` is its ARN; the instance's managed secret is a secret's ARN too.
    stack.add(
        "Proxy",
        nephos::rds::DbProxy::new(
            "app-proxy",
            nephos::rds::db_proxy::EngineFamily::Postgresql,
            role.arn(),
            // Subnet IDs (issue 13: `VpcSubnetIds` was a plain string list).
            vec![
                nephos::Value::<nephos::kinds::Ec2SubnetId>::literal("subnet-0123456789abcdef0"),
                nephos::Value::<nephos::kinds::Ec2SubnetId>::literal("subnet-0123456789abcdef1"),
            ],
        )
        .add_auth(nephos::rds::db_proxy::AuthFormat::new().secret_arn(secret.id()))
        .add_auth(
            nephos::rds::db_proxy::AuthFormat::new()
                .secret_arn(database.master_user_secret_secret_arn()),
        ),
    );
    stack.add(
        "Task",
        nephos::ecs::TaskDefinition::new().add_container_definitions(
            nephos::ecs::task_definition::ContainerDefinition::new(
                "public.ecr.aws/nginx/nginx",
                "web",
            )
            .add_secrets(nephos::ecs::task_definition::Secret::new("DB", secret.id())),
        ),
    );

    let queue = stack.add("Queue", nephos::sqs::Queue::new());
    let function_role = stack.add(
        "FunctionRole",
        nephos::iam::Role::new(
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("lambda.amazonaws.com"))
                    .action("sts:AssumeRole"),
            ),
        ),
    );
    let layer = stack.add(
        "Layer",
        nephos::lambda::LayerVersion::new(nephos::lambda::layer_version::Content::new(
            Value::literal("layers-bucket"),
            "layer.zip",
        )),
    );
    let function = stack.add(
        "Function",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new()
                .zip_file("def handler(event, context):\n    return event\n"),
            function_role.arn(),
        )
        .runtime(nephos::lambda::function::Runtime::Python312)
        .handler("index.handler")
        .add_layers(layer.arn()),
    );
    stack.add(
        "FromQueue",
        nephos::lambda::EventSourceMapping::new(function.arn()).event_source_arn(queue.arn()),
    );
    // Any resource's ARN is a target: a queue's, a function's.
    let rule = stack.add(
        "Nightly",
        nephos::events::Rule::new()
            .schedule_expression("rate(1 day)")
            .add_targets(nephos::events::rule::Target::new(queue.arn(), "queue"))
            .add_targets(nephos::events::rule::Target::new(
                function.arn(),
                "function",
            )),
    );
    stack.add(
        "NightlyInvoke",
        nephos::lambda::Permission::new(
            "lambda:InvokeFunction",
            function.arn(),
            "events.amazonaws.com",
        )
        .source_arn(rule.arn()),
    );

    let pool = stack.add("UserPool", nephos::cognito::UserPool::new());
    stack.add(
        "AuthDomain",
        nephos::cognito::UserPoolDomain::new("nephos-typed-references", pool.id()),
    );

    let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/16"));
    let gateway = stack.add("Gateway", nephos::ec2::InternetGateway::new());
    let attachment = stack.add(
        "Attachment",
        nephos::ec2::VpcGatewayAttachment::new(vpc.id()).internet_gateway_id(gateway.id()),
    );
    let table = stack.add("Routes", nephos::ec2::RouteTable::new(vpc.id()));
    let route = stack.add(
        "DefaultRoute",
        nephos::ec2::Route::new(table.id())
            .destination_cidr_block("0.0.0.0/0")
            .gateway_id(gateway.id()),
    );
    // A route through the gateway waits for its attachment (CloudFormation, "When a
    // DependsOn attribute is required"; refused at synth otherwise).
    stack.resource(&route).depends_on(&attachment);
    let group = stack.add(
        "Group",
        nephos::ec2::SecurityGroup::new("instances").vpc_id(vpc.id()),
    );
    let subnet = stack.add(
        "Subnet",
        nephos::ec2::Subnet::new(vpc.id()).cidr_block("10.0.0.0/24"),
    );
    stack.add(
        "Instance",
        nephos::ec2::Instance::new()
            .image_id(Value::literal("ami-0123456789abcdef0"))
            .subnet_id(subnet.id())
            .add_security_group_ids(group.group_id()),
    );
}

#[test]
fn typed_references_land_where_they_belong() {
    let mut stack = Stack::new("App");
    let text = stack.parameter("Text", nephos::Parameter::string());
    typed_references(&mut stack, &text);
    let template = stack.synth().expect("synthesizes");
    let r = &template.json()["Resources"];
    assert_eq!(
        r["Proxy"]["Properties"]["Auth"],
        json!([
            {"SecretArn": {"Ref": "Secret"}},
            {"SecretArn": {"Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"]}}
        ])
    );
    assert_eq!(
        r["Task"]["Properties"]["ContainerDefinitions"][0]["Secrets"][0]["ValueFrom"],
        json!({"Ref": "Secret"})
    );
    assert_eq!(
        r["Nightly"]["Properties"]["Targets"],
        json!([
            {"Arn": {"Fn::GetAtt": ["Queue", "Arn"]}, "Id": "queue"},
            {"Arn": {"Fn::GetAtt": ["Function", "Arn"]}, "Id": "function"}
        ])
    );
    assert_eq!(
        r["NightlyInvoke"]["Properties"]["SourceArn"],
        json!({"Fn::GetAtt": ["Nightly", "Arn"]})
    );
    assert_eq!(
        r["Function"]["Properties"]["Layers"],
        json!([{"Ref": "Layer"}])
    );
    assert_eq!(
        r["FromQueue"]["Properties"]["EventSourceArn"],
        json!({"Fn::GetAtt": ["Queue", "Arn"]})
    );
    assert_eq!(
        r["AuthDomain"]["Properties"]["UserPoolId"],
        json!({"Ref": "UserPool"})
    );
    assert_eq!(
        r["DefaultRoute"]["Properties"]["GatewayId"],
        json!({"Ref": "Gateway"})
    );
    assert_eq!(
        r["Instance"]["Properties"]["SecurityGroupIds"],
        json!([{"Fn::GetAtt": ["Group", "GroupId"]}])
    );
}

/// Every ARN kind converts into the generic ARN kind, a borrowed one too, and a literal of
/// it (a wildcard, an ARN no getter gives) is written as such.
#[test]
fn any_arn_takes_every_arn_kind() {
    let queue: Value<nephos::kinds::SqsQueueArn> =
        Value::literal("arn:aws:sqs:eu-west-1:111122223333:jobs");
    let secret: Value<nephos::kinds::SecretsManagerSecretArn> =
        Value::literal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf");
    let union: Value<nephos::kinds::SnsTopicArnOrSqsQueueArn> = (&queue).into_value();
    let as_any: Vec<Value<AnyArn>> = vec![
        queue.into_value(),
        (&secret).into_value(),
        union.into_value(),
        Value::<AnyArn>::literal("arn:aws:s3:::*"),
    ];
    assert_eq!(as_any[1].to_json(), json!(secret.to_json()));
    assert_eq!(
        as_any[2].to_json(),
        json!("arn:aws:sqs:eu-west-1:111122223333:jobs")
    );
}

#[test]
fn typed_references_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::TypedReferences", typed_references)]);
}

/// atk13 F3, F7: what the corrections widened takes the forms AWS documents: an ECS
/// service's task definition as `family:revision` (refused as no ARN before), a Lambda
/// alias's and event-invoke config's function by ARN (a name only before: did not compile).
#[test]
fn widened_references_take_every_documented_form() {
    let mut stack = Stack::new("App");
    stack.add(
        "Service",
        nephos::ecs::Service::new().task_definition(
            Value::<nephos::kinds::EcsTaskDefinitionFamily>::literal("web:3"),
        ),
    );
    let function: Value<nephos::kinds::LambdaFunctionArn> =
        Value::literal("arn:aws:lambda:eu-west-1:111122223333:function:jobs");
    stack.add(
        "Alias",
        nephos::lambda::Alias::new(
            &function,
            Value::<nephos::kinds::LambdaVersionVersion>::literal("1"),
            "live",
        ),
    );
    stack.add(
        "Invoke",
        nephos::lambda::EventInvokeConfig::new(&function, "$LATEST"),
    );
    let template = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let r = &template.json()["Resources"];
    assert_eq!(r["Service"]["Properties"]["TaskDefinition"], "web:3");
    assert_eq!(
        r["Alias"]["Properties"]["FunctionName"],
        "arn:aws:lambda:eu-west-1:111122223333:function:jobs"
    );
}
