//! ACM certificates that must be in `us-east-1`: the services that serve a custom domain
//! through CloudFront (CloudFront itself, Cognito's hosted UI, API Gateway's edge-optimized
//! domains, AppSync and Amplify custom domains) take a certificate of `us-east-1` only,
//! wherever the stack is. A literal ARN of another Region is refused here; a certificate
//! made in the stack (`Ref` of an `AWS::CertificateManager::Certificate`) is made in the
//! stack's Region, which `App::synth` knows: it refuses another Region than `us-east-1`.
//!
//! Sources: each entry of [`NEEDS_US_EAST_1`] names its AWS documentation page.
//! The custom domains of the API construct (`constructs::CustomDomain`) are
//! `AWS::ApiGateway::DomainName` resources, checked here like any other.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::home::WiredHome;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{alternatives, arn_region, at, by_id, literal, resource_named};

/// The only Region these services take certificates from.
pub(crate) const CERTIFICATE_REGION: &str = "us-east-1";

/// When an entry of [`NEEDS_US_EAST_1`] applies.
#[derive(Clone, Copy)]
enum When {
    /// Whenever the property is set.
    Always,
    /// When the API Gateway domain is edge-optimized: its `EndpointConfiguration.Types`
    /// holds `EDGE`, or is not set (`EDGE` is the default).
    EdgeDomain,
}

/// A property that takes a certificate of `us-east-1` only.
struct Need {
    type_name: &'static str,
    /// The property, through its nested objects.
    path: &'static [&'static str],
    when: When,
    /// Who refuses another Region, for the message.
    service: &'static str,
    /// The AWS documentation page saying so.
    doc: &'static str,
}

/// Every property known to take a certificate of `us-east-1` only.
const NEEDS_US_EAST_1: &[Need] = &[
    Need {
        type_name: "AWS::CloudFront::Distribution",
        path: &[
            "DistributionConfig",
            "ViewerCertificate",
            "AcmCertificateArn",
        ],
        when: When::Always,
        service: "CloudFront",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-viewercertificate.html",
    },
    Need {
        type_name: "AWS::CloudFront::DistributionTenant",
        path: &["Customizations", "Certificate", "Arn"],
        when: When::Always,
        service: "CloudFront",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distributiontenant-certificate.html",
    },
    Need {
        type_name: "AWS::Cognito::UserPoolDomain",
        path: &["CustomDomainConfig", "CertificateArn"],
        when: When::Always,
        service: "Amazon Cognito (a custom domain of the hosted UI)",
        doc: "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html",
    },
    Need {
        type_name: "AWS::ApiGateway::DomainName",
        path: &["CertificateArn"],
        when: When::EdgeDomain,
        service: "API Gateway (an edge-optimized custom domain)",
        doc: "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html",
    },
    Need {
        type_name: "AWS::AppSync::DomainName",
        path: &["CertificateArn"],
        when: When::Always,
        service: "AppSync (a custom domain)",
        doc: "https://docs.aws.amazon.com/appsync/latest/devguide/custom-domain-name.html",
    },
    Need {
        type_name: "AWS::Amplify::Domain",
        path: &["CertificateSettings", "CustomCertificateArn"],
        when: When::Always,
        service: "Amplify Hosting (a custom certificate)",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amplify-domain-certificatesettings.html",
    },
];

/// The certificate type a stack makes.
const CERTIFICATE: &str = "AWS::CertificateManager::Certificate";

/// Whether an API Gateway domain is edge-optimized, as far as the stack says: its endpoint
/// types, when literal, hold `EDGE`, or are not set (the default). Computed types are not
/// judged.
fn edge_domain(r: &Resolved) -> bool {
    let Some(types) = at(r, &["EndpointConfiguration", "Types"]) else {
        return true;
    };
    match &*types {
        Expr::Array(items) => items.iter().any(|t| literal(t) == Some("EDGE")),
        _ => false,
    }
}

/// Refuses each literal certificate ARN of another Region than `us-east-1` where only
/// `us-east-1` is taken, and records, for `App::synth`, that the stack must deploy to
/// `us-east-1` when it makes such a certificate itself.
pub(super) fn check(
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    needs: &mut Vec<WiredHome>,
) {
    let mut ids = None;
    for r in resolved {
        for need in NEEDS_US_EAST_1
            .iter()
            .filter(|n| n.type_name == r.entry.type_name)
        {
            let Some(value) = at(r, need.path) else {
                continue;
            };
            if matches!(need.when, When::EdgeDomain) && !edge_domain(r) {
                continue;
            }
            let id = &r.entry.target.id;
            let property = need.path.join(".");
            let alts = alternatives(&value);
            // A branch of an `Fn::If` may be chosen at deploy: a wrong one is a fault,
            // unless the resource has a condition of its own that may exclude that
            // branch's case; then only every branch wrong is certain.
            let wrong: Vec<(&str, &str)> = alts
                .iter()
                .filter_map(|a| literal(a))
                .filter_map(|t| arn_region(t).map(|r| (t, r)))
                .filter(|(_, r)| *r != CERTIFICATE_REGION)
                .collect();
            let certain = if r.entry.condition.is_some() {
                wrong.len() == alts.len()
            } else {
                !wrong.is_empty()
            };
            if certain && let Some((text, region)) = wrong.first() {
                diags.push(Diagnostic::error(
                    Location::property(id, &property),
                    format!(
                        "`{id}` ({}) takes `{}`, a certificate of {region}, as `{property}`; {} takes a certificate of {CERTIFICATE_REGION} only, so the deploy fails ({})",
                        need.type_name,
                        text.escape_debug(),
                        need.service,
                        need.doc
                    ),
                    format!(
                        "request or import the certificate in {CERTIFICATE_REGION} and give its ARN"
                    ),
                ));
            }
            // The certificate is made in the stack's Region when the resource exists
            // whatever the conditions and takes it whichever branch is chosen.
            if alts.len() != 1 || r.entry.condition.is_some() {
                continue;
            }
            for alt in alts {
                let Some(target) = resource_named(alt) else {
                    continue;
                };
                let ids = ids.get_or_insert_with(|| by_id(resolved));
                if ids.get(target).is_some_and(|c| {
                    c.entry.type_name == CERTIFICATE && c.entry.condition.is_none()
                }) {
                    let home = WiredHome {
                        wiring: format!(
                            "certificate `{target}`, made in the stack and given to `{id}` ({}) as `{property}`,",
                            need.type_name
                        ),
                        region: CERTIFICATE_REGION.to_string(),
                        account: None,
                        why: format!(
                            "{} takes a certificate of {CERTIFICATE_REGION} only ({})",
                            need.service, need.doc
                        ),
                    };
                    if !needs.contains(&home) {
                        needs.push(home);
                    }
                }
            }
        }
    }
}
