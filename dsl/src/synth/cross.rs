//! Checks across resources: mistakes visible only when both ends of a reference are
//! known, which CloudFormation or the service reject at deploy or which break at run time.
//!
//! - A reference from a resource (or output) to a resource that may not exist: one
//!   created under a condition that does not hold whenever the referrer's does (what
//!   cfn-lint reports as W1001; the deploy fails when the condition is false).
//! - An SQS queue feeding a function through an event source mapping with a visibility
//!   timeout below the function's timeout: Lambda refuses the mapping (cfn-lint E3505).
//! - A WAF web ACL associated with a Network or Gateway Load Balancer: WAF protects
//!   Application Load Balancers only. All three are one type (its `Type` property tells them
//!   apart), so one ARN kind, and only synth can tell. For the same reason, a listener
//!   whose protocol its load balancer's type does not speak (HTTP on a Network Load Balancer).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::synth::note::Note;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target, TargetKind};
use crate::value::sub::SubPart;

/// Runs the cross-resource checks.
pub(crate) fn check(
    stack: &Stack,
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    conditional_references(stack, resolved, diags);
    sqs_visibility(resolved, diags, deferred);
    crate::synth::mappings::check(resolved, diags, deferred);
    crate::synth::s3_events::check(resolved, diags);
    waf_load_balancers(resolved, diags, deferred);
    listener_protocols(resolved, diags, deferred);
}

/// A reference found in a value, with the conditions known to hold where it sits (it
/// is inside the true branch of an `Fn::If` on them).
struct Found<'a> {
    target: &'a Target,
    how: String,
    guards: Vec<&'a str>,
}

fn references<'a>(e: &'a Expr, guards: &mut Vec<&'a str>, out: &mut Vec<Found<'a>>) {
    let mut found = |target: &'a Target, how: String, guards: &Vec<&'a str>| {
        if target.kind == TargetKind::Resource {
            out.push(Found {
                target,
                how,
                guards: guards.clone(),
            });
        }
    };
    match e {
        Expr::Ref(t) => found(t, "Ref".into(), guards),
        Expr::GetAtt(t, a) => found(t, format!("Fn::GetAtt {a}"), guards),
        Expr::If(c, yes, no) => {
            guards.push(&c.id);
            references(yes, guards, out);
            guards.pop();
            references(no, guards, out);
        }
        Expr::Sub(parts) => {
            for p in parts {
                if let SubPart::Var(_, v) = p {
                    references(v, guards, out);
                }
            }
        }
        Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
            items.iter().for_each(|i| references(i, guards, out))
        }
        Expr::Object(m) => m.values().for_each(|i| references(i, guards, out)),
        Expr::Join(_, a)
        | Expr::Split(_, a)
        | Expr::ImportValue(a)
        | Expr::GetAzs(a)
        | Expr::Base64(a)
        | Expr::Length(a)
        | Expr::ToJsonString(a)
        | Expr::Not(a) => references(a, guards, out),
        Expr::Select(a, b) | Expr::Equals(a, b) => {
            references(a, guards, out);
            references(b, guards, out);
        }
        Expr::Cidr(a, b, c) => {
            for x in [a, b, c] {
                references(x, guards, out);
            }
        }
        Expr::FindInMap {
            top,
            second,
            default,
            ..
        } => {
            references(top, guards, out);
            references(second, guards, out);
            if let Some(d) = default {
                references(d, guards, out);
            }
        }
        Expr::Lit(_) | Expr::Pseudo(_) | Expr::NoValue | Expr::Condition(_) | Expr::Invalid(..) => {
        }
    }
}

/// Whether condition `a` holding implies `b` holds, as far as the template shows it:
/// the same condition, or `a` is an `Fn::And` with a member implying `b`.
fn implies(conditions: &BTreeMap<&str, &Expr>, a: &str, b: &str, depth: usize) -> bool {
    if a == b {
        return true;
    }
    if depth > 16 {
        return false;
    }
    match conditions.get(a) {
        Some(Expr::And(items)) => items.iter().any(|i| match i {
            Expr::Condition(t) => implies(conditions, &t.id, b, depth + 1),
            _ => false,
        }),
        Some(Expr::Condition(t)) => implies(conditions, &t.id, b, depth + 1),
        _ => false,
    }
}

fn conditional_references(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    // Only a reference to a resource with a condition can be reported: in a stack without
    // one (the usual case) there is nothing to look for.
    if stack.resources.iter().all(|e| e.condition.is_none()) {
        return;
    }
    let conditions: BTreeMap<&str, &Expr> =
        stack.conditions.iter().map(|(t, e)| (&*t.id, e)).collect();
    let condition_of: BTreeMap<&str, Option<&str>> = stack
        .resources
        .iter()
        .map(|e| (&*e.target.id, e.condition.as_ref().map(|c| &*c.id)))
        .collect();
    // The one resource policy wiring keeps per queue, topic or bucket: it holds the
    // statements of every source wired to the target, so its condition is not the fix.
    let shared_policy_of = |id: &str| -> Option<String> {
        let e = &stack.resources[stack.position_of_id(id)?];
        let policy = matches!(
            e.type_name.as_str(),
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" | "AWS::S3::BucketPolicy"
        );
        let owners = stack.owners.get(&e.target.id)?;
        (policy && owners.len() == 1).then(|| owners[0].id.to_string())
    };
    let mut report = |location: Location, from: Option<&str>, found: &Found, path: &str| {
        let Some(Some(needed)) = condition_of.get(&*found.target.id) else {
            return;
        };
        let holds = from.is_some_and(|c| implies(&conditions, c, needed, 0))
            || found
                .guards
                .iter()
                .any(|g| implies(&conditions, g, needed, 0));
        if holds {
            return;
        }
        let referrer = match &location.id {
            Some(id) => format!("`{id}`"),
            None => "it".into(),
        };
        let created = match from {
            Some(c) => format!("is created under condition `{c}`"),
            None => "is created unconditionally".into(),
        };
        let fix = match location.id.as_deref().and_then(&shared_policy_of) {
            // A condition on the shared policy (or its target) would drop the statements
            // of the other sources wired to it whenever `needed` is false.
            Some(target) => format!(
                "{referrer} is the one resource policy of `{target}`, holding the statements of everything wired to it, so giving it the condition `{needed}` would drop the others' statements whenever `{needed}` is false: create `{}` unconditionally, or wire it to a target of its own that has the condition `{needed}` too",
                found.target.id
            ),
            None => format!(
                "give {referrer} the condition `{needed}` as well (`stack.resource(...).condition(...)`; what a construct creates and wires takes it from the construct), or use the reference only inside `fn_if(&condition, value, no_value())`"
            ),
        };
        diags.push(Diagnostic::error(
            location,
            format!(
                "{referrer} {created} but refers to `{}` ({}{path}), which exists only when condition `{needed}` holds; the deploy fails when it does not",
                found.target.id, found.how
            ),
            fix,
        ));
    };
    for r in resolved {
        let from = r.entry.condition.as_ref().map(|c| &*c.id);
        for (name, v) in r.props.iter() {
            let mut out = Vec::new();
            references(v, &mut Vec::new(), &mut out);
            for f in &out {
                report(
                    Location::property(&r.entry.target.id, name),
                    from,
                    f,
                    &format!(" in `{name}`"),
                );
            }
        }
        for t in &r.entry.depends_on {
            let f = Found {
                target: t,
                how: "DependsOn".into(),
                guards: Vec::new(),
            };
            report(Location::resource(&r.entry.target.id), from, &f, "");
        }
    }
    for o in &stack.outputs {
        let from = o.condition.as_ref().map(|c| &*c.id);
        let mut out = Vec::new();
        references(&o.value, &mut Vec::new(), &mut out);
        for f in &out {
            report(Location::of(Section::Output, &o.id), from, f, "");
        }
    }
}

/// SQS's default visibility timeout (seconds), from the `AWS::SQS::Queue` documentation
/// of `VisibilityTimeout`.
const SQS_DEFAULT_VISIBILITY: i64 = 30;
/// Lambda's default function timeout (seconds), from the `AWS::Lambda::Function`
/// documentation of `Timeout`.
const LAMBDA_DEFAULT_TIMEOUT: i64 = 3;

/// The literal values `e` may take: one for a literal, each branch's for `Fn::If` (either
/// branch may be chosen at deploy), `None` when the property is absent.
pub(crate) fn literal_ints(e: Option<&Expr>) -> Result<Option<Vec<i64>>, &'static str> {
    fn walk(e: &Expr, out: &mut Vec<i64>) -> Result<(), &'static str> {
        match e {
            Expr::Lit(v) => match v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            {
                Some(n) => {
                    out.push(n);
                    Ok(())
                }
                None => Err("a non-integer literal"),
            },
            Expr::If(_, a, b) => {
                walk(a, out)?;
                walk(b, out)
            }
            other => Err(other.intrinsic_name().unwrap_or("a computed value")),
        }
    }
    let Some(e) = e else { return Ok(None) };
    let mut out = Vec::new();
    walk(e, &mut out)?;
    Ok(Some(out))
}

fn sqs_visibility(resolved: &[Resolved], diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    const MAPPING: &str = "AWS::Lambda::EventSourceMapping";
    // No mapping (the usual case): no index of the resources to build.
    if !resolved.iter().any(|r| r.entry.type_name == MAPPING) {
        return;
    }
    let by_id: BTreeMap<&str, &Resolved> =
        resolved.iter().map(|r| (&*r.entry.target.id, r)).collect();
    let resource = |e: Option<&Expr>, type_name: &str| -> Option<&Resolved> {
        let id = match e? {
            Expr::Ref(t) | Expr::GetAtt(t, _) => &*t.id,
            _ => return None,
        };
        by_id
            .get(id)
            .copied()
            .filter(|r| r.entry.type_name == type_name)
    };
    // The function a mapping invokes: the function itself, or the function of an alias
    // or version it names (an alias or version runs its function's configuration, so
    // its timeout; Lambda checks it against the queue's for a qualified ARN too).
    let function_of = |e: Option<&Expr>| -> Option<&Resolved> {
        resource(e, "AWS::Lambda::Function").or_else(|| {
            let qualified = resource(e, "AWS::Lambda::Alias")
                .or_else(|| resource(e, "AWS::Lambda::Version"))?;
            resource(qualified.field("FunctionName"), "AWS::Lambda::Function")
        })
    };
    for m in resolved.iter().filter(|r| r.entry.type_name == MAPPING) {
        let (Some(queue), Some(function)) = (
            resource(m.field("EventSourceArn"), "AWS::SQS::Queue"),
            function_of(m.field("FunctionName")),
        ) else {
            continue;
        };
        let visibility = literal_ints(queue.field("VisibilityTimeout"));
        let timeout = literal_ints(function.field("Timeout"));
        // Under `Fn::If` every branch may be deployed: the smallest visibility against the
        // largest timeout.
        let (visibility, timeout) = match (visibility, timeout) {
            (Ok(v), Ok(t)) => (
                v.and_then(|v| v.into_iter().min())
                    .unwrap_or(SQS_DEFAULT_VISIBILITY),
                t.and_then(|t| t.into_iter().max())
                    .unwrap_or(LAMBDA_DEFAULT_TIMEOUT),
            ),
            (Err(by), _) | (_, Err(by)) => {
                deferred.push(Note {
                    resource: m.entry.target.id.clone(),
                    path: "EventSourceArn".into(),
                    computed_by: by,
                    check: format!(
                        "visibility timeout of queue `{}` at least the timeout of function `{}`",
                        queue.entry.target.id, function.entry.target.id
                    )
                    .into(),
                });
                continue;
            }
        };
        if visibility < timeout {
            diags.push(Diagnostic::error(
                Location::resource(&m.entry.target.id),
                format!(
                    "queue `{}` has a visibility timeout of {visibility} s, less than the {timeout} s timeout of function `{}` it triggers; Lambda refuses the event source mapping",
                    queue.entry.target.id, function.entry.target.id
                ),
                format!(
                    "set the queue's `visibility_timeout` to at least {timeout} (AWS recommends six times the function timeout: {})",
                    timeout * 6
                ),
            ));
        }
    }
}

/// The web ACL associations, whose `ResourceArn` may be an Application Load Balancer only
/// among the load balancers: AWS WAF's `AWS::WAFv2::WebACLAssociation` ("For an Application
/// Load Balancer: `arn:...:loadbalancer/app/...`", with API Gateway stages, AppSync APIs,
/// Cognito user pools, App Runner services and Verified Access instances,
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webaclassociation.html>)
/// and WAF Classic Regional's (an Application Load Balancer or an API Gateway stage,
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafregional-webaclassociation.html>).
const WAF_ASSOCIATIONS: &[&str] = &[
    "AWS::WAFv2::WebACLAssociation",
    "AWS::WAFRegional::WebACLAssociation",
];
/// The load balancer type whose `Type` says which (`application`, the default, `network`
/// or `gateway`: `AWS::ElasticLoadBalancingV2::LoadBalancer`, `Type`).
const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
/// The ARN resource parts of the load balancers WAF does not protect (Elastic Load
/// Balancing's ARN formats: `loadbalancer/net/...`, `loadbalancer/gwy/...`).
const NOT_WAF_ARN_PARTS: &[(&str, &str)] = &[
    (":loadbalancer/net/", "network"),
    (":loadbalancer/gwy/", "gateway"),
];

/// The literal strings `e` may be, as [`literal_ints`] does for integers.
fn literal_strs(e: &Expr) -> Result<Vec<&str>, &'static str> {
    fn walk<'e>(e: &'e Expr, out: &mut Vec<&'e str>) -> Result<(), &'static str> {
        match e {
            Expr::Lit(v) => match v.as_str() {
                Some(s) => {
                    out.push(s);
                    Ok(())
                }
                None => Err("a non-string literal"),
            },
            Expr::If(_, a, b) => {
                walk(a, out)?;
                walk(b, out)
            }
            other => Err(other.intrinsic_name().unwrap_or("a computed value")),
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out)?;
    Ok(out)
}

fn waf_load_balancers(
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    if !resolved
        .iter()
        .any(|r| WAF_ASSOCIATIONS.contains(&r.entry.type_name.as_str()))
    {
        return;
    }
    let by_id: BTreeMap<&str, &Resolved> =
        resolved.iter().map(|r| (&*r.entry.target.id, r)).collect();
    const PROPERTY: &str = "ResourceArn";
    for a in resolved
        .iter()
        .filter(|r| WAF_ASSOCIATIONS.contains(&r.entry.type_name.as_str()))
    {
        let Some(arn) = a.field(PROPERTY) else {
            continue;
        };
        let id = &a.entry.target.id;
        let refused = |what: String, kind: &str| {
            Diagnostic::error(
                Location::property(id, PROPERTY),
                format!(
                    "`{id}` ({}) associates a web ACL with {what}, a {kind} load balancer; AWS WAF protects Application Load Balancers only, so the deploy fails",
                    a.entry.type_name
                ),
                format!(
                    "give `{PROPERTY}` an Application Load Balancer (`Type` `application`, the default), or protect the {kind} load balancer's targets otherwise (AWS WAF does not attach to it)"
                ),
            )
        };
        // A literal ARN says its load balancer type in its resource part.
        // An association that exists whatever the conditions meets every branch of an
        // `Fn::If`, so a wrong branch is a fault. One under a `Condition` of its own may
        // exist only where the branch is right: then only a fault of every branch is
        // certain (pairing branches as a cross product refused consistent stacks).
        let conditional = a.entry.condition.is_some();
        let certain = |faults: &[bool]| {
            if conditional {
                faults.iter().all(|f| *f)
            } else {
                faults.iter().any(|f| *f)
            }
        };
        if let Ok(texts) = literal_strs(arn) {
            let kinds: Vec<Option<&str>> = texts
                .iter()
                .map(|text| {
                    NOT_WAF_ARN_PARTS
                        .iter()
                        .find(|(p, _)| text.contains(p))
                        .map(|(_, kind)| *kind)
                })
                .collect();
            let faults: Vec<bool> = kinds.iter().map(Option::is_some).collect();
            if certain(&faults)
                && let Some((text, Some(kind))) =
                    texts.iter().zip(&kinds).find(|(_, k)| k.is_some())
            {
                diags.push(refused(format!("`{text}`"), kind));
            }
            continue;
        }
        let target = match arn {
            Expr::Ref(t) | Expr::GetAtt(t, _) => &*t.id,
            _ => continue,
        };
        let Some(lb) = by_id
            .get(target)
            .copied()
            .filter(|r| r.entry.type_name == LOAD_BALANCER)
        else {
            continue;
        };
        let types = match lb.field("Type") {
            None => continue,
            Some(t) => literal_strs(t),
        };
        match types {
            Ok(types) => {
                let not_waf = |t: &str| NOT_WAF_ARN_PARTS.iter().any(|(_, k)| *k == t);
                let faults: Vec<bool> = types.iter().map(|t| not_waf(t)).collect();
                if certain(&faults)
                    && let Some(kind) = types.iter().find(|t| not_waf(t))
                {
                    diags.push(refused(format!("load balancer `{target}`"), kind));
                }
            }
            Err(by) => deferred.push(Note {
                resource: a.entry.target.id.clone(),
                path: PROPERTY.into(),
                computed_by: by,
                check: format!(
                    "load balancer `{target}` is an Application Load Balancer (AWS WAF protects no other)"
                )
                .into(),
            }),
        }
    }
}

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

fn listener_protocols(
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
    if !resolved.iter().any(|r| r.entry.type_name == LISTENER) {
        return;
    }
    let by_id: BTreeMap<&str, &Resolved> =
        resolved.iter().map(|r| (&*r.entry.target.id, r)).collect();
    for l in resolved.iter().filter(|r| r.entry.type_name == LISTENER) {
        let Some(protocol) = l.field("Protocol") else {
            continue;
        };
        let target = match l.field("LoadBalancerArn") {
            Some(Expr::Ref(t) | Expr::GetAtt(t, _)) => &*t.id,
            _ => continue,
        };
        let Some(lb) = by_id
            .get(target)
            .copied()
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
