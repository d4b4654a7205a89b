//! AWS WAF web ACL scopes: CloudFront takes a web ACL of scope `CLOUDFRONT` only, a web
//! ACL association one of the scope its `ResourceArn` takes ([`ASSOCIATED`]: an Amplify app
//! `CLOUDFRONT` only; a regional resource, such as a load balancer, an API Gateway stage or
//! a user pool, `REGIONAL` only), and a `CLOUDFRONT`-scope WAF resource is made in
//! `us-east-1` only. The scope is in a literal ARN (`...:global/webacl/...` for
//! `CLOUDFRONT`, `...:regional/webacl/...` for `REGIONAL`) or in the `Scope` of a web ACL
//! of the stack.
//!
//! Sources: each entry of [`TAKES_SCOPE`] and [`SCOPED`] names its AWS documentation page.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::home::WiredHome;
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;

use super::paths::{alternatives, at, literal, resource_named};

/// The web ACL type of AWS WAF (v2).
const WEB_ACL: &str = "AWS::WAFv2::WebACL";

/// A web ACL scope: its `Scope` value and the part its ARNs hold.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    CloudFront,
    Regional,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::CloudFront => "CLOUDFRONT",
            Scope::Regional => "REGIONAL",
        }
    }

    /// The resource part of a web ACL ARN of this scope.
    fn arn_part(self) -> &'static str {
        match self {
            Scope::CloudFront => ":global/webacl/",
            Scope::Regional => ":regional/webacl/",
        }
    }

    fn of_value(text: &str) -> Option<Scope> {
        [Scope::CloudFront, Scope::Regional]
            .into_iter()
            .find(|s| s.name() == text)
    }

    fn of_arn(text: &str) -> Option<Scope> {
        [Scope::CloudFront, Scope::Regional]
            .into_iter()
            .find(|s| text.contains(s.arn_part()))
    }
}

/// A property that takes a web ACL of one scope only.
struct Takes {
    type_name: &'static str,
    path: &'static [&'static str],
    scope: Scope,
    doc: &'static str,
    /// The property naming the protected resource, when the scope follows it
    /// ([`ASSOCIATED`]); `scope` and `doc` are then those of every other resource, and a
    /// resource the stack does not tell leaves the web ACL unchecked.
    follows: Option<&'static str>,
}

/// One row of [`ASSOCIATED`]: ARN service, resource type, scope, page.
type Associated = (&'static str, &'static str, Scope, &'static str);

/// The resources whose web ACL association takes another scope than `REGIONAL`: the
/// service of a literal ARN, the type of a resource of the stack, the scope, the page.
const ASSOCIATED: &[Associated] = &[(
    "amplify",
    "AWS::Amplify::App",
    Scope::CloudFront,
    "https://docs.aws.amazon.com/amplify/latest/userguide/amplify-waf-configuration.html (\"You must create web ACLs that you want to associate with an Amplify app in the Global (CloudFront) Region. Regional web ACLs ... are not compatible with Amplify\")",
)];

/// Every property known to take a web ACL of one scope only.
const TAKES_SCOPE: &[Takes] = &[
    Takes {
        type_name: "AWS::CloudFront::Distribution",
        path: &["DistributionConfig", "WebACLId"],
        scope: Scope::CloudFront,
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-distributionconfig.html",
        follows: None,
    },
    Takes {
        type_name: "AWS::CloudFront::DistributionTenant",
        path: &["Customizations", "WebAcl", "Arn"],
        scope: Scope::CloudFront,
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distributiontenant-webaclcustomization.html",
        follows: None,
    },
    Takes {
        type_name: "AWS::WAFv2::WebACLAssociation",
        path: &["WebACLArn"],
        scope: Scope::Regional,
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webaclassociation.html",
        follows: Some("ResourceArn"),
    },
];

/// The WAF types with a `Scope`, made in `us-east-1` only when it is `CLOUDFRONT`
/// ("For `CLOUDFRONT`, you must create your WAFv2 resources in the US East (N. Virginia)
/// Region, `us-east-1`", the `Scope` of each).
const SCOPED: &[(&str, &str)] = &[
    (
        WEB_ACL,
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webacl.html",
    ),
    (
        "AWS::WAFv2::RuleGroup",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-rulegroup.html",
    ),
    (
        "AWS::WAFv2::IPSet",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-ipset.html",
    ),
    (
        "AWS::WAFv2::RegexPatternSet",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-regexpatternset.html",
    ),
];

/// The Region of `CLOUDFRONT`-scope WAF resources.
const CLOUDFRONT_REGION: &str = "us-east-1";

/// Refuses each web ACL of the wrong scope, literal or of the stack, and records in
/// `needs` (the one way of `stack/home.rs`: a rule of the template, the check of
/// `App::synth`) that a stack making a `CLOUDFRONT`-scope WAF resource must deploy to
/// `us-east-1`.
pub(super) fn check(
    resources: &Resources,
    diags: &mut Vec<Diagnostic>,
    needs: &mut Vec<WiredHome>,
) {
    // In stack order, so the homes are recorded in the order a scan records them.
    let scoped: Vec<&str> = SCOPED.iter().map(|(t, _)| *t).collect();
    for r in resources.of_types(&scoped) {
        let Some((type_name, doc)) = SCOPED.iter().find(|(t, _)| *t == r.entry.type_name) else {
            continue;
        };
        if r.entry.condition.is_none()
            && r.field("Scope").and_then(literal).and_then(Scope::of_value)
                == Some(Scope::CloudFront)
        {
            let home = WiredHome {
                wiring: format!(
                    "`{}` ({type_name}, `Scope` `CLOUDFRONT`)",
                    r.entry.target.id
                ),
                region: CLOUDFRONT_REGION.to_string(),
                account: None,
                why: format!(
                    "AWS WAF makes CLOUDFRONT-scope resources in {CLOUDFRONT_REGION} only ({doc})"
                ),
                instead: format!("make it in a stack of {CLOUDFRONT_REGION} and pass its ARN"),
            };
            if !needs.contains(&home) {
                needs.push(home);
            }
        }
    }
    for takes in TAKES_SCOPE {
        for r in resources.of_type(takes.type_name) {
            let Some(value) = at(r, takes.path) else {
                continue;
            };
            let id = &r.entry.target.id;
            let property = takes.path.join(".");
            let alts = alternatives(&value);
            // Each alternative's scope, when known, and how the message names it.
            let (want, doc) = match takes.follows {
                None => (takes.scope, takes.doc),
                Some(name) => match associated(r, name, resources) {
                    Some(found) => found.unwrap_or((takes.scope, takes.doc)),
                    None => continue,
                },
            };
            let scopes: Vec<Option<(Scope, String)>> = alts
                .iter()
                .map(|a| {
                    if let Some(text) = literal(a) {
                        return Scope::of_arn(text)
                            .map(|s| (s, format!("`{}`", text.escape_debug())));
                    }
                    let target = resource_named(a)?;
                    let acl = resources
                        .get(target)
                        .filter(|t| t.entry.type_name == WEB_ACL)?;
                    let scope = acl
                        .field("Scope")
                        .and_then(literal)
                        .and_then(Scope::of_value)?;
                    Some((scope, format!("web ACL `{target}`")))
                })
                .collect();
            let wrong: Vec<&(Scope, String)> = scopes
                .iter()
                .flatten()
                .filter(|(s, _)| *s != want)
                .collect();
            // As for certificates: under a condition of the resource's own, only every
            // branch wrong is certain.
            let certain = if r.entry.condition.is_some() {
                wrong.len() == alts.len()
            } else {
                !wrong.is_empty()
            };
            if certain && let Some((scope, what)) = wrong.first() {
                diags.push(Diagnostic::error(
                    Location::property(id, &property),
                    format!(
                        "`{id}` ({}) takes {what}, a web ACL of scope {}, as `{property}`; it takes a web ACL of scope {} only, so the deploy fails ({})",
                        takes.type_name,
                        scope.name(),
                        want.name(),
                        doc
                    ),
                    format!(
                        "give a web ACL of scope {} (`Scope: {}`, ARN `...{}...`)",
                        want.name(),
                        want.name(),
                        want.arn_part()
                    ),
                ));
            }
        }
    }
}

/// The scope the resource that `r`'s property `name` names takes: `Some(Some(..))` for one
/// of [`ASSOCIATED`], `Some(None)` for another known resource (a literal ARN of another
/// service, a resource of the stack of another type: the default scope), `None` when the
/// stack does not tell (a parameter, an import, a condition).
fn associated(r: &Resolved, name: &str, ids: &Resources) -> Option<Option<(Scope, &'static str)>> {
    let e = r.field(name)?;
    let found = |hit: &dyn Fn(&Associated) -> bool| {
        ASSOCIATED
            .iter()
            .find(|row| hit(row))
            .map(|(_, _, scope, doc)| (*scope, *doc))
    };
    if let Some(text) = literal(e) {
        let service = text.strip_prefix("arn:")?.split(':').nth(1)?;
        return Some(found(&|row| row.0 == service));
    }
    let target = resource_named(e)?;
    let type_name = ids.get(target)?.type_name();
    Some(found(&|row| row.1 == type_name))
}
