//! Where the ACM certificates a stack gives its resources must be. ACM certificates are
//! regional resources: a service takes only a certificate of its own Region ("Certificates
//! in ACM are regional resources ... You cannot copy a certificate between regions",
//! [`ACM_REGIONS`]), except the services that serve a custom domain through CloudFront
//! (CloudFront itself, Cognito's hosted UI, API Gateway's edge-optimized domains, AppSync
//! and Amplify custom domains), which take a certificate of `us-east-1` only, wherever the
//! stack is. So:
//!
//! - where `us-east-1` only is taken ([`Takes::UsEast1`]), a literal ARN of another Region
//!   is refused here; a certificate made in the stack (`Ref` of an
//!   `AWS::CertificateManager::Certificate`) is made in the stack's Region: the stack needs
//!   `us-east-1`;
//! - where the service's own Region only is taken ([`Takes::OwnRegion`]: load balancers,
//!   regional and private API Gateway domains, OpenSearch custom endpoints, Transfer
//!   Family, Client VPN, VPC Lattice, IoT domains, and the option settings of an Elastic
//!   Beanstalk environment's load balancer), a certificate made in the stack is right by
//!   construction, and a literal ARN needs the stack in the ARN's Region.
//!
//! What the stack needs goes the one way of `stack/home.rs` ([`WiredHome`]): `App::synth`
//! refuses another Region than the stack's when it knows it, and the template gets a rule
//! asserting `AWS::Region`, so a stack deployed with no Region set still fails closed
//! before it creates anything.
//!
//! Sources: each entry of [`NEEDS`] names its AWS documentation page. The custom domains of
//! the API construct (`constructs::CustomDomain`) are `AWS::ApiGateway::DomainName` and
//! `AWS::ApiGatewayV2::DomainName` resources, checked here like any other.

use std::borrow::Cow;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::home::WiredHome;
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{alternatives, arn_region, at, items, literal, open, resource_named};

/// The only Region the CloudFront-served services take certificates from.
pub(crate) const CERTIFICATE_REGION: &str = "us-east-1";

/// ACM's page saying certificates are regional, CloudFront's in `us-east-1`.
const ACM_REGIONS: &str = "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html";

/// When an entry of [`NEEDS`] applies.
#[derive(Clone, Copy)]
enum When {
    /// Whenever the property is set.
    Always,
    /// When the API Gateway domain is edge-optimized: its `EndpointConfiguration.Types`
    /// holds `EDGE`, or is not set (`EDGE` is the default).
    EdgeDomain,
}

/// Which Region a property takes certificates of.
#[derive(Clone, Copy, PartialEq)]
enum Takes {
    /// `us-east-1` only (served through CloudFront).
    UsEast1,
    /// The Region of the resource, so of the stack, only.
    OwnRegion,
}

/// A property that takes a certificate of one Region only.
struct Need {
    type_name: &'static str,
    /// The property, through its nested objects; `*` for each item of a list.
    path: &'static [&'static str],
    when: When,
    takes: Takes,
    /// Who refuses another Region, for the message.
    service: &'static str,
    /// The AWS documentation page saying so (with [`ACM_REGIONS`] for
    /// [`Takes::OwnRegion`]).
    doc: &'static str,
}

/// Every property known to take a certificate of one Region only.
const NEEDS: &[Need] = &[
    Need {
        type_name: "AWS::CloudFront::Distribution",
        path: &[
            "DistributionConfig",
            "ViewerCertificate",
            "AcmCertificateArn",
        ],
        when: When::Always,
        takes: Takes::UsEast1,
        service: "CloudFront",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-viewercertificate.html",
    },
    Need {
        type_name: "AWS::CloudFront::DistributionTenant",
        path: &["Customizations", "Certificate", "Arn"],
        when: When::Always,
        takes: Takes::UsEast1,
        service: "CloudFront",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distributiontenant-certificate.html",
    },
    Need {
        type_name: "AWS::Cognito::UserPoolDomain",
        path: &["CustomDomainConfig", "CertificateArn"],
        when: When::Always,
        takes: Takes::UsEast1,
        service: "Amazon Cognito (a custom domain of the hosted UI)",
        doc: "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html",
    },
    Need {
        type_name: "AWS::ApiGateway::DomainName",
        path: &["CertificateArn"],
        when: When::EdgeDomain,
        takes: Takes::UsEast1,
        service: "API Gateway (an edge-optimized custom domain)",
        doc: "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html",
    },
    Need {
        type_name: "AWS::AppSync::DomainName",
        path: &["CertificateArn"],
        when: When::Always,
        takes: Takes::UsEast1,
        service: "AppSync (a custom domain)",
        doc: "https://docs.aws.amazon.com/appsync/latest/devguide/custom-domain-name.html",
    },
    Need {
        type_name: "AWS::Amplify::Domain",
        path: &["CertificateSettings", "CustomCertificateArn"],
        when: When::Always,
        takes: Takes::UsEast1,
        service: "Amplify Hosting (a custom certificate)",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amplify-domain-certificatesettings.html",
    },
    Need {
        type_name: "AWS::ElasticLoadBalancingV2::Listener",
        path: &["Certificates", "*", "CertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Elastic Load Balancing (a listener's certificate)",
        doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html",
    },
    Need {
        type_name: "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        path: &["Certificates", "*", "CertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Elastic Load Balancing (a listener's certificate)",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listenercertificate.html",
    },
    Need {
        type_name: "AWS::ElasticLoadBalancing::LoadBalancer",
        path: &["Listeners", "*", "SSLCertificateId"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Elastic Load Balancing (a Classic Load Balancer's listener)",
        doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/ssl-server-cert.html",
    },
    Need {
        type_name: "AWS::ApiGateway::DomainName",
        path: &["RegionalCertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "API Gateway (a regional custom domain)",
        doc: "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html",
    },
    Need {
        type_name: "AWS::ApiGateway::DomainNameV2",
        path: &["CertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "API Gateway (a private custom domain)",
        doc: "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains.html",
    },
    Need {
        type_name: "AWS::ApiGatewayV2::DomainName",
        path: &["DomainNameConfigurations", "*", "CertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "API Gateway (a regional custom domain of an HTTP or WebSocket API)",
        doc: "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html",
    },
    Need {
        type_name: "AWS::OpenSearchService::Domain",
        path: &["DomainEndpointOptions", "CustomEndpointCertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Amazon OpenSearch Service (a custom endpoint)",
        doc: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/customendpoint.html",
    },
    Need {
        type_name: "AWS::Elasticsearch::Domain",
        path: &["DomainEndpointOptions", "CustomEndpointCertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Amazon OpenSearch Service (a custom endpoint)",
        doc: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/customendpoint.html",
    },
    Need {
        type_name: "AWS::Transfer::Server",
        path: &["Certificate"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "AWS Transfer Family (an FTPS server's certificate)",
        doc: "https://docs.aws.amazon.com/transfer/latest/userguide/create-server-ftps.html",
    },
    Need {
        type_name: "AWS::EC2::ClientVpnEndpoint",
        path: &["ServerCertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "AWS Client VPN (the server certificate)",
        doc: "https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/client-auth-mutual-enable.html",
    },
    Need {
        type_name: "AWS::EC2::ClientVpnEndpoint",
        path: &[
            "AuthenticationOptions",
            "*",
            "MutualAuthentication",
            "ClientRootCertificateChainArn",
        ],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "AWS Client VPN (the client root certificate chain)",
        doc: "https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/client-auth-mutual-enable.html",
    },
    Need {
        type_name: "AWS::VpcLattice::Service",
        path: &["CertificateArn"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "Amazon VPC Lattice (a service's custom domain)",
        doc: "https://docs.aws.amazon.com/vpc-lattice/latest/ug/service-byoc.html",
    },
    Need {
        type_name: "AWS::IoT::DomainConfiguration",
        path: &["ServerCertificateArns", "*"],
        when: When::Always,
        takes: Takes::OwnRegion,
        service: "AWS IoT Core (a custom domain's server certificate)",
        doc: "https://docs.aws.amazon.com/iot/latest/developerguide/iot-custom-endpoints-configurable-custom.html",
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

/// What a literal certificate ARN given where `n`'s service takes a certificate of its
/// own Region only needs of the stack: its Region, when every branch (`alts`) is a literal
/// ARN (or a comma-separated list of them) of that one Region and the resource exists
/// whatever the conditions. Under a condition of its own the resource may not exist, and a
/// branch may not be chosen: a rule of the template, which cannot read conditions, would
/// refuse a deploy that works, so nothing is recorded.
fn own_region(r: &Resolved, n: &Need, property: &str, alts: &[&Expr]) -> Option<WiredHome> {
    if r.entry.condition.is_some() {
        return None;
    }
    let mut first: Option<(&str, &str)> = None;
    for alt in alts {
        for text in literal(alt)?.split(',').map(str::trim) {
            let region = arn_region(text)?;
            match first {
                None => first = Some((text, region)),
                Some((_, r)) if r != region => return None,
                Some(_) => {}
            }
        }
    }
    let (text, region) = first?;
    if !crate::stack::home::plain_region(region) {
        return None;
    }
    Some(WiredHome {
        wiring: format!(
            "certificate `{}` (given to `{}` ({}) as `{property}`)",
            text.escape_debug(),
            r.entry.target.id,
            n.type_name
        ),
        region: region.to_string(),
        account: None,
        why: format!(
            "{} takes a certificate of its own Region only, and ACM certificates are regional ({}; {ACM_REGIONS})",
            n.service, n.doc
        ),
        instead: "give a certificate of the stack's Region (request or import it there), or make it in the stack".to_string(),
    })
}

/// The Elastic Beanstalk option settings that take a certificate for the environment's
/// load balancer (its own Region's only): `(namespace, or its prefix before the listener
/// port, option)`, from "General options for all environments"
/// (`aws:elbv2:listener:<port>` `SSLCertificateArns`, `aws:elb:listener:<port>` and
/// `aws:elb:loadbalancer` `SSLCertificateId`).
const BEANSTALK_CERTIFICATE_OPTIONS: &[(&str, &str)] = &[
    ("aws:elbv2:listener:", "SSLCertificateArns"),
    ("aws:elb:listener:", "SSLCertificateId"),
    ("aws:elb:loadbalancer", "SSLCertificateId"),
];

/// The Elastic Beanstalk types with `OptionSettings` (`Namespace`, `OptionName`, `Value`).
const BEANSTALK: Need = Need {
    type_name: "AWS::ElasticBeanstalk::Environment",
    path: &["OptionSettings"],
    when: When::Always,
    takes: Takes::OwnRegion,
    service: "Elastic Beanstalk (the certificate of the environment's load balancer)",
    doc: "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html",
};

/// The Elastic Beanstalk types with option settings read by [`beanstalk`].
const BEANSTALK_TYPES: [&str; 2] = [
    "AWS::ElasticBeanstalk::Environment",
    "AWS::ElasticBeanstalk::ConfigurationTemplate",
];

/// A literal certificate ARN in an option setting of an Elastic Beanstalk environment or
/// configuration template ([`BEANSTALK_CERTIFICATE_OPTIONS`]): the stack needs its Region.
fn beanstalk(r: &Resolved, need: &mut impl FnMut(WiredHome)) {
    if !BEANSTALK_TYPES.contains(&r.entry.type_name.as_str()) {
        return;
    }
    for (i, item) in items(r.field("OptionSettings")).iter().enumerate() {
        let opened = open(item);
        let Expr::Object(setting) = &*opened else {
            continue;
        };
        let (Some(namespace), Some(option)) = (
            setting.get("Namespace").and_then(literal),
            setting.get("OptionName").and_then(literal),
        ) else {
            continue;
        };
        let takes = BEANSTALK_CERTIFICATE_OPTIONS
            .iter()
            .any(|(ns, o)| namespace.starts_with(ns) && option == *o);
        let Some(value) = setting.get("Value").filter(|_| takes) else {
            continue;
        };
        let n = Need {
            type_name: if r.entry.type_name == BEANSTALK.type_name {
                BEANSTALK.type_name
            } else {
                "AWS::ElasticBeanstalk::ConfigurationTemplate"
            },
            ..BEANSTALK
        };
        let alts = alternatives(value);
        if let Some(home) = own_region(r, &n, &format!("OptionSettings.{i}.Value"), &alts) {
            need(home);
        }
    }
}

/// The values of `r` at `path` (see [`Need::path`]), each with its path as messages name
/// it (`Certificates.0.CertificateArn`): one at most, or one per item of each list
/// marked `*`.
fn values_at<'e>(r: &'e Resolved, path: &[&str]) -> Vec<(String, Cow<'e, Expr>)> {
    let Some(star) = path.iter().position(|p| *p == "*") else {
        return at(r, path)
            .map(|v| (path.join("."), v))
            .into_iter()
            .collect();
    };
    let Some(list) = at(r, &path[..star]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items(Some(&list)).iter().enumerate() {
        let mut values = vec![(
            format!("{}.{i}", path[..star].join(".")),
            open(item).into_owned(),
        )];
        // Further down each item: through objects, and each item of a further list.
        for name in &path[star + 1..] {
            values = values
                .into_iter()
                .flat_map(|(at, v)| -> Vec<(String, Expr)> {
                    if *name == "*" {
                        return items(Some(&v))
                            .iter()
                            .enumerate()
                            .map(|(j, e)| (format!("{at}.{j}"), open(e).into_owned()))
                            .collect();
                    }
                    match v {
                        Expr::Object(mut map) => map
                            .remove(*name)
                            .map(|e| (format!("{at}.{name}"), open(&e).into_owned()))
                            .into_iter()
                            .collect(),
                        _ => Vec::new(),
                    }
                })
                .collect();
        }
        out.extend(values.into_iter().map(|(at, v)| (at, Cow::Owned(v))));
    }
    out
}

/// Refuses each literal certificate ARN of another Region than `us-east-1` where only
/// `us-east-1` is taken, and records in `homes`, for the rules of the template and
/// `App::synth`, where the stack must deploy: to `us-east-1` when it makes such a
/// certificate itself, to a literal certificate ARN's Region where the service takes a
/// certificate of its own Region only.
pub(super) fn check(
    resources: &Resources,
    diags: &mut Vec<Diagnostic>,
    homes: &mut Vec<WiredHome>,
) {
    // Every type read here, each once; its resources are read in stack order, so the
    // homes are recorded in the order a scan of every resource records them.
    let mut types: Vec<&str> = NEEDS.iter().map(|n| n.type_name).collect();
    types.extend(BEANSTALK_TYPES);
    types.sort_unstable();
    types.dedup();
    let mut need = |home: WiredHome| {
        if !homes.contains(&home) {
            homes.push(home);
        }
    };
    for r in resources.of_types(&types) {
        beanstalk(r, &mut need);
        for n in NEEDS.iter().filter(|n| n.type_name == r.entry.type_name) {
            if matches!(n.when, When::EdgeDomain) && !edge_domain(r) {
                continue;
            }
            for (property, value) in values_at(r, n.path) {
                let id = &r.entry.target.id;
                let alts = alternatives(&value);
                match n.takes {
                    Takes::UsEast1 => {
                        let regions: Vec<Option<(&str, &str)>> = alts
                            .iter()
                            .map(|a| literal(a).and_then(|t| arn_region(t).map(|r| (t, r))))
                            .collect();
                        // A branch of an `Fn::If` may be chosen at deploy: a wrong one is a
                        // fault, unless the resource has a condition of its own that may
                        // exclude that branch's case; then only every branch wrong is
                        // certain.
                        let wrong: Vec<(&str, &str)> = regions
                            .iter()
                            .flatten()
                            .filter(|(_, r)| *r != CERTIFICATE_REGION)
                            .copied()
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
                                    n.type_name,
                                    text.escape_debug(),
                                    n.service,
                                    n.doc
                                ),
                                format!(
                                    "request or import the certificate in {CERTIFICATE_REGION} and give its ARN"
                                ),
                            ));
                        }
                    }
                    Takes::OwnRegion => {
                        if let Some(home) = own_region(r, n, &property, &alts) {
                            need(home);
                        }
                        continue;
                    }
                }
                // The certificate is made in the stack's Region when the resource exists
                // whatever the conditions and takes it whichever branch is chosen.
                if alts.len() != 1 || r.entry.condition.is_some() {
                    continue;
                }
                let Some(target) = resource_named(alts[0]) else {
                    continue;
                };
                if resources.get(target).is_some_and(|c| {
                    c.entry.type_name == CERTIFICATE && c.entry.condition.is_none()
                }) {
                    need(WiredHome {
                        wiring: format!(
                            "certificate `{target}` (made in the stack, given to `{id}` ({}) as `{property}`)",
                            n.type_name
                        ),
                        region: CERTIFICATE_REGION.to_string(),
                        account: None,
                        why: format!(
                            "{} takes a certificate of {CERTIFICATE_REGION} only ({})",
                            n.service, n.doc
                        ),
                        instead: format!(
                            "make the certificate in a stack of {CERTIFICATE_REGION} and pass its ARN"
                        ),
                    });
                }
            }
        }
    }
}
