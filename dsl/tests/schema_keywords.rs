//! Schema keywords synth used to skip (the attack on issue 13, F13), against the real
//! generated types: `multipleOf` (CloudFront's whole-second TTLs) and the unconditional
//! `allOf` item of RDS `DBCluster` (`MasterUsername` is not `rdsadmin`). Built with the
//! services' features (`--features all` runs it beside the round-trip sample).
#![cfg(all(feature = "cloudfront", feature = "rds"))]

use nephos::Stack;
use nephos::cloudfront::cache_policy as cp;

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

fn cache_policy(default: f64, max: f64, min: f64) -> nephos::cloudfront::CachePolicy {
    let parameters = cp::ParametersInCacheKeyAndForwardedToOrigin::new(
        cp::CookiesConfig::new("none"),
        true,
        cp::HeadersConfig::new("none"),
        cp::QueryStringsConfig::new("none"),
    );
    nephos::cloudfront::CachePolicy::new(cp::CachePolicyConfig::new(
        default, max, min, "p", parameters,
    ))
}

#[test]
fn fractional_cloudfront_ttls_are_refused_naming_each_property() {
    let mut stack = Stack::new("App");
    stack.add("Cp", cache_policy(1.5, 10.25, 0.5));
    let e = errors(&stack);
    for ttl in ["DefaultTTL", "MaxTTL", "MinTTL"] {
        assert!(
            e.iter().any(|e| e
                .contains(&format!("resource `Cp` property `CachePolicyConfig.{ttl}`"))
                && e.contains("a multiple of 1")),
            "{ttl}: {e:?}"
        );
    }
    let mut fine = Stack::new("App");
    fine.add("Cp", cache_policy(86400.0, 31536000.0, 0.0));
    assert_eq!(errors(&fine), Vec::<String>::new());
}

#[test]
fn the_reserved_rds_master_user_name_is_refused() {
    let cluster = |user: &str| {
        nephos::rds::DbCluster::new()
            .engine("aurora-postgresql")
            .master_username(user)
            .master_user_password("Passw0rdPassw0rd")
    };
    let mut stack = Stack::new("App");
    stack.add("Cl", cluster("rdsadmin"));
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Cl` property `MasterUsername`")
                && e.contains("none of rdsadmin")),
        "{e:?}"
    );
    let mut fine = Stack::new("App");
    fine.add("Cl", cluster("app_owner"));
    assert!(
        !errors(&fine).iter().any(|e| e.contains("MasterUsername")),
        "{:?}",
        errors(&fine)
    );
}
