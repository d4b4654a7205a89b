//! Properties that take a resource's name or its ARN (K2 of issue 13, the reviewed entries
//! of `dsl/codegen/data/kind_corrections.json` found by `scripts/scan_name_or_arn.py`) take
//! both getters' kinds, and a Route 53 alias to a record of the same zone takes the zone's
//! own ID. Run with `--features ecs,events,route53`.
#![cfg(all(
    feature = "ecs",
    feature = "events",
    feature = "route53",
    feature = "lambda",
    feature = "iam"
))]

use nephos::route53::record_set::AliasTarget;
use nephos::route53::{HostedZone, RecordSet};
use nephos::{Stack, Value};
use serde_json::json;

#[test]
fn a_name_or_an_arn_both_compile_where_the_service_takes_either() {
    let mut stack = Stack::new("App");
    let cluster = stack.add("Cluster", nephos::ecs::Cluster::new());
    stack.add(
        "ByName",
        nephos::ecs::Service::new().cluster(cluster.name()),
    );
    stack.add("ByArn", nephos::ecs::Service::new().cluster(cluster.arn()));
    let bus = stack.add("Bus", nephos::events::EventBus::new("orders"));
    stack.add(
        "OnBusByName",
        nephos::events::Rule::new()
            .event_bus_name(bus.name())
            .schedule_expression("rate(1 day)"),
    );
    stack.add(
        "OnBusByArn",
        nephos::events::Rule::new()
            .event_bus_name(bus.arn())
            .schedule_expression("rate(1 day)"),
    );
    let resources = stack.synth().expect("synthesizes").json()["Resources"].clone();
    assert_eq!(
        resources["ByName"]["Properties"]["Cluster"],
        json!({"Ref": "Cluster"})
    );
    assert_eq!(
        resources["ByArn"]["Properties"]["Cluster"],
        json!({"Fn::GetAtt": ["Cluster", "Arn"]})
    );
    assert_eq!(
        resources["OnBusByName"]["Properties"]["EventBusName"],
        json!({"Ref": "Bus"})
    );
    assert_eq!(
        resources["OnBusByArn"]["Properties"]["EventBusName"],
        json!({"Fn::GetAtt": ["Bus", "Arn"]})
    );
}

#[test]
fn an_alias_to_a_record_of_the_same_zone_takes_the_zone_s_id() {
    let mut stack = Stack::new("App");
    let zone = stack.add("Zone", HostedZone::new().name("example.com"));
    stack.add(
        "Apex",
        RecordSet::new("example.com", "A")
            .hosted_zone_id(zone.id())
            .alias_target(AliasTarget::new("www.example.com", zone.id())),
    );
    // A load balancer's canonical zone still fits.
    stack.add(
        "ToLoadBalancer",
        RecordSet::new("lb.example.com", "A")
            .hosted_zone_id(zone.id())
            .alias_target(AliasTarget::new(
                "my-lb-1234567890.eu-west-1.elb.amazonaws.com",
                Value::<nephos::kinds::Route53AliasTargetHostedZoneId>::literal("Z32O12XQLNTSW2"),
            )),
    );
    let resources = stack.synth().expect("synthesizes").json()["Resources"].clone();
    assert_eq!(
        resources["Apex"]["Properties"]["AliasTarget"]["HostedZoneId"],
        json!({"Ref": "Zone"})
    );
}
