//! A WAF web ACL associated with a Network or Gateway Load Balancer: WAF protects
//! Application Load Balancers only. All three are one type (its `Type` property tells them
//! apart), so one ARN kind, and only synth can tell.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::value::expr::Expr;

use super::literal_branches::literal_strs;
use super::load_balancer::LOAD_BALANCER;

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
/// The ARN resource parts of the load balancers WAF does not protect (Elastic Load
/// Balancing's ARN formats: `loadbalancer/net/...`, `loadbalancer/gwy/...`).
const NOT_WAF_ARN_PARTS: &[(&str, &str)] = &[
    (":loadbalancer/net/", "network"),
    (":loadbalancer/gwy/", "gateway"),
];

/// Reports each web ACL association with a load balancer AWS WAF does not protect.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    const PROPERTY: &str = "ResourceArn";
    for a in resources.of_types(WAF_ASSOCIATIONS) {
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
        let Some(lb) = resources
            .get(target)
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
