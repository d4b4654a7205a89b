//! A WAF web ACL association with a Network or Gateway Load Balancer is refused at synth:
//! AWS WAF protects Application Load Balancers only, and all three are one resource type
//! (`AWS::ElasticLoadBalancingV2::LoadBalancer`, told apart by `Type`), so one ARN kind.
//! Raw resources: the check reads the template, whatever built it.

use nephos::kind::{List, Str};
use nephos::{Diagnostic, IntoValue, Parameter, RawResource, Stack, Value};

/// A load balancer of `Type` `lb_type` (none: the default), with its one required property.
fn balancer(lb_type: Option<Value<Str>>) -> RawResource {
    let subnets: Value<List<Str>> = vec!["subnet-0123456789abcdef0"].into_value();
    let lb =
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer").property("Subnets", subnets);
    match lb_type {
        Some(t) => lb.property("Type", t),
        None => lb,
    }
}

const ACL: &str = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/edge/a1b2";

/// A stack with a load balancer of `lb_type` (none: the default, `application`) and a
/// web ACL association of type `association` referring to it by `Ref` (`by_ref`) or `Fn::GetAtt`.
fn stack(lb_type: Option<Value<Str>>, association: &str, by_ref: bool) -> Stack {
    let mut stack = Stack::new("Edge");
    let lb = stack.add("Balancer", balancer(lb_type));
    let arn: Value<Str> = if by_ref {
        lb.ref_value()
    } else {
        lb.get_att("LoadBalancerArn")
    };
    // WAF Classic names the web ACL by ID, WAFv2 by ARN.
    let acl = if association.starts_with("AWS::WAFv2") {
        ("WebACLArn", ACL)
    } else {
        ("WebACLId", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
    };
    stack.add(
        "Protection",
        RawResource::new(association)
            .property("ResourceArn", arn)
            .property(acl.0, acl.1),
    );
    stack
}

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
    }
}

fn refused(e: &[String], what: &str, kind: &str) -> bool {
    e.iter().any(|d| {
        d.contains("`Protection`")
            && d.contains("ResourceArn")
            && d.contains(&format!(
                "associates a web ACL with {what}, a {kind} load balancer"
            ))
            && d.contains("AWS WAF protects Application Load Balancers only")
            && d.contains("give `ResourceArn` an Application Load Balancer")
    })
}

#[test]
fn a_network_or_gateway_load_balancer_is_refused_and_an_application_one_taken() {
    for association in [
        "AWS::WAFv2::WebACLAssociation",
        "AWS::WAFRegional::WebACLAssociation",
    ] {
        for by_ref in [true, false] {
            for kind in ["network", "gateway"] {
                let e = errors(&stack(Some(Value::from(kind)), association, by_ref));
                assert!(
                    refused(&e, "load balancer `Balancer`", kind),
                    "{association} {kind}: {e:?}"
                );
            }
            for lb_type in [None, Some(Value::from("application"))] {
                let e = errors(&stack(lb_type, association, by_ref));
                assert!(e.is_empty(), "{association}: {e:?}");
            }
        }
    }
}

#[test]
fn either_branch_of_an_if_counts_and_a_computed_type_is_a_deferred_note() {
    let with_type = |network_when_long: bool| {
        let mut stack = Stack::new("Edge");
        let mode = stack.parameter("Mode", Parameter::string());
        let c = stack.condition("Long", nephos::equals(&mode, "long"));
        let t = if network_when_long {
            nephos::fn_if::<Str>(&c, "network", "application")
        } else {
            nephos::fn_if::<Str>(&c, "application", "application")
        };
        let lb = stack.add("Balancer", balancer(Some(t)));
        stack.add(
            "Protection",
            RawResource::new("AWS::WAFv2::WebACLAssociation")
                .property("ResourceArn", lb.ref_value::<Str>())
                .property("WebACLArn", ACL),
        );
        stack
    };
    assert!(refused(
        &errors(&with_type(true)),
        "load balancer `Balancer`",
        "network"
    ));
    let e = errors(&with_type(false));
    assert!(e.is_empty(), "{e:?}");

    let mut stack = Stack::new("Edge");
    let t = stack.parameter("LbType", Parameter::string());
    let lb = stack.add("Balancer", balancer(Some(t.value())));
    stack.add(
        "Protection",
        RawResource::new("AWS::WAFv2::WebACLAssociation")
            .property("ResourceArn", lb.ref_value::<Str>())
            .property("WebACLArn", ACL),
    );
    let template = stack.synth().expect("a computed type is no error");
    let notes: Vec<String> = template.deferred().iter().map(|d| d.to_string()).collect();
    assert!(
        notes.iter().any(|n| n.contains("resource `Protection`")
            && n.contains("load balancer `Balancer` is an Application Load Balancer")),
        "{notes:?}"
    );
}

#[test]
fn a_literal_network_load_balancer_arn_is_refused() {
    let nlb = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/edge/50dc6c495c0c9188";
    let alb = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/edge/50dc6c495c0c9188";
    let with = |arn: &str| {
        let mut stack = Stack::new("Edge");
        stack.add(
            "Protection",
            RawResource::new("AWS::WAFv2::WebACLAssociation")
                .property("ResourceArn", arn)
                .property("WebACLArn", ACL),
        );
        stack
    };
    assert!(refused(&errors(&with(nlb)), &format!("`{nlb}`"), "network"));
    assert!(errors(&with(alb)).is_empty());
}

/// A listener of `protocol` on a load balancer of `lb_type`.
fn listener(lb_type: Option<&str>, protocol: &str) -> Vec<String> {
    let mut stack = Stack::new("Edge");
    let lb = stack.add("Balancer", balancer(lb_type.map(Value::from)));
    let action = serde_json::json!([{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/50dc6c495c0c9188"}]);
    stack.add(
        "Front",
        RawResource::new("AWS::ElasticLoadBalancingV2::Listener")
            .property("LoadBalancerArn", lb.ref_value::<Str>())
            .property("Protocol", protocol)
            .property("DefaultActions", action),
    );
    errors(&stack)
}

#[test]
fn a_listener_protocol_its_load_balancer_type_does_not_speak_is_refused() {
    for (lb_type, protocol, kind) in [
        (Some("network"), "HTTP", "network"),
        (None, "TCP", "application"),
        (Some("gateway"), "HTTPS", "gateway"),
    ] {
        let e = listener(lb_type, protocol);
        assert!(
            e.iter().any(|d| d.contains(&format!(
                "listener `Front` uses `{protocol}` on load balancer `Balancer`, a {kind} load balancer"
            )) && d.contains("set `Protocol` to one of")),
            "{lb_type:?} {protocol}: {e:?}"
        );
    }
    for (lb_type, protocol) in [
        (Some("network"), "TCP_UDP"),
        (None, "HTTPS"),
        (Some("application"), "HTTP"),
        (Some("gateway"), "GENEVE"),
    ] {
        let e = listener(lb_type, protocol);
        assert!(e.is_empty(), "{lb_type:?} {protocol}: {e:?}");
    }
}

/// Both sides of a listener under one condition (`Type` network or application, `Protocol`
/// TCP or HTTP) are consistent: each deployed pair is right, so nothing is refused (a
/// cross product of the branches refused it). A protocol no branch's type takes still is.
#[test]
fn consistent_conditional_listeners_and_associations_are_taken() {
    let conditional_listener = |protocol_when_long: &str| {
        let mut stack = Stack::new("Edge");
        let mode = stack.parameter("Mode", Parameter::string());
        let c = stack.condition("Long", nephos::equals(&mode, "long"));
        let lb = stack.add(
            "Balancer",
            balancer(Some(nephos::fn_if::<Str>(&c, "network", "application"))),
        );
        let action = serde_json::json!([{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/50dc6c495c0c9188"}]);
        stack.add(
            "Front",
            RawResource::new("AWS::ElasticLoadBalancingV2::Listener")
                .property("LoadBalancerArn", lb.ref_value::<Str>())
                .property(
                    "Protocol",
                    nephos::fn_if::<Str>(&c, protocol_when_long, "HTTP"),
                )
                .property("DefaultActions", action),
        );
        errors(&stack)
    };
    let e = conditional_listener("TCP");
    assert!(e.is_empty(), "{e:?}");
    let e = conditional_listener("GENEVE");
    assert!(
        e.iter().any(|d| d.contains("uses `GENEVE`")),
        "no branch's type takes GENEVE: {e:?}"
    );

    // An association under the condition that makes the balancer an ALB.
    let mut stack = Stack::new("Edge");
    let mode = stack.parameter("Mode", Parameter::string());
    let c = stack.condition("Long", nephos::equals(&mode, "long"));
    let lb = stack.add(
        "Balancer",
        balancer(Some(nephos::fn_if::<Str>(&c, "application", "network"))),
    );
    let a = stack.add(
        "Protection",
        RawResource::new("AWS::WAFv2::WebACLAssociation")
            .property("ResourceArn", lb.ref_value::<Str>())
            .property("WebACLArn", ACL),
    );
    stack.resource(&a).condition(&c);
    let e = errors(&stack);
    assert!(e.is_empty(), "{e:?}");
}
