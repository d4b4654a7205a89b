//! A listener whose protocol its load balancer's type does not speak (HTTP on a Network
//! Load Balancer). The three kinds of load balancer are one type told apart by its `Type`
//! property, so only synth, seeing the listener and its load balancer, can tell.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::value::expr::Expr;

use super::literal_branches::literal_strs;
use super::load_balancer::LOAD_BALANCER;

/// The listener protocols each load balancer type takes (`AWS::ElasticLoadBalancingV2::Listener`,
/// `Protocol`: "For Application Load Balancers, the supported protocols are HTTP and HTTPS. For
/// Network Load Balancers, the supported protocols are TCP, TLS, UDP, TCP_UDP, QUIC, and
/// TCP_QUIC. You can't specify a protocol for a Gateway Load Balancer", whose listeners are
/// `GENEVE`,
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listener.html>).
const LISTENER_PROTOCOLS: &[(&str, &[&str])] = &[
    ("application", &["HTTP", "HTTPS"]),
    (
        "network",
        &["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"],
    ),
    ("gateway", &["GENEVE"]),
];

/// Reports each listener protocol its load balancer's type does not take.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
    for l in resources.of_type(LISTENER) {
        let Some(protocol) = l.field("Protocol") else {
            continue;
        };
        let target = match l.field("LoadBalancerArn") {
            Some(Expr::Ref(t) | Expr::GetAtt(t, _)) => &*t.id,
            _ => continue,
        };
        let Some(lb) = resources
            .get(target)
            .filter(|r| r.entry.type_name == LOAD_BALANCER)
        else {
            continue;
        };
        // No `Type`: an Application Load Balancer (the property's default).
        let types = lb
            .field("Type")
            .map_or(Ok(vec!["application"]), literal_strs);
        let (types, protocols) = match (types, literal_strs(protocol)) {
            (Ok(t), Ok(p)) => (t, p),
            (Err(by), _) | (_, Err(by)) => {
                deferred.push(Note {
                    resource: l.entry.target.id.clone(),
                    path: "Protocol".into(),
                    computed_by: by,
                    check: format!("a protocol load balancer `{target}`'s type takes").into(),
                });
                continue;
            }
        };
        // Under `Fn::If` (either side), a protocol is refused only when no type the load
        // balancer may have takes it: the branches may follow one condition.
        let takes_of = |kind: &str| {
            LISTENER_PROTOCOLS
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, takes)| *takes)
        };
        let unsure = (types.len() > 1 && protocols.len() > 1) || l.entry.condition.is_some();
        for kind in types.iter().copied() {
            let Some(takes) = takes_of(kind) else {
                continue;
            };
            let taken_by_a_branch = |p: &&str| {
                unsure
                    && types
                        .iter()
                        .any(|t| takes_of(t).is_none_or(|x| x.contains(p)))
            };
            for p in protocols
                .iter()
                .filter(|p| !takes.contains(p) && !taken_by_a_branch(p))
            {
                diags.push(Diagnostic::error(
                    Location::property(&l.entry.target.id, "Protocol"),
                    format!(
                        "listener `{}` uses `{p}` on load balancer `{target}`, a {kind} load balancer, which takes {}; the deploy fails",
                        l.entry.target.id,
                        takes.join(", ")
                    ),
                    format!(
                        "set `Protocol` to one of {} (or the load balancer's `Type` to one that speaks `{p}`)",
                        takes.join(", ")
                    ),
                ));
            }
            // Unsure: a protocol no type takes is reported once, not once per type.
            if unsure {
                break;
            }
        }
    }
}
