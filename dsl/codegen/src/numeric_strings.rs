//! Numeric-string kinds: string attributes that hold a port number.
//!
//! Some registry schemas type a port attribute `string` (`AWS::RDS::DBInstance`
//! `Endpoint.Port`, `AWS::Neptune::DBCluster` `Port`, ElastiCache's endpoint ports: 16 in
//! the vendored schemas), where the service API returns an integer (RDS `Endpoint.Port`,
//! "Type: Integer": <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Endpoint.html>)
//! and the kind-of-resource pages give a number (`3306`). CloudFormation converts a numeric
//! string where an integer property is needed, which AWS's own sample templates rely on
//! (`FromPort: !GetAtt MyDB.Endpoint.Port`). So each such kind is marked
//! `nephos::kind::NumericString` and converts into `nephos::kind::Int`
//! (`ingress.from_port(db.endpoint_port())`), while any other string kind does not.
//!
//! Which attributes: a typed string kind whose attribute name ends in `Port` (nested
//! attributes are flattened, `Endpoint.Port` is `EndpointPort`). Integer-typed port
//! attributes are `kind::Int` already and never typed strings.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Whether the kind named `format` (one attribute, no union) holds a port number as text:
/// its attribute name ends in `Port` (`Report` does not: the case matters).
pub fn is_numeric_string_format(format: &str) -> bool {
    !crate::unions::is_union(format)
        && format != crate::any_arn::ANY_ARN_FORMAT
        && format
            .rsplit_once('.')
            .is_some_and(|(_, attr)| attr.ends_with("Port"))
}

/// The `kinds.rs` section: one `NumericString` marker per numeric-string kind of `kinds`
/// (Rust name to format), in name order.
pub fn section(kinds: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "// Port numbers the registry schemas type as strings: they convert into `kind::Int`\n// (nephos-codegen `dsl/codegen/src/numeric_strings.rs`).\n",
    );
    for (rust, format) in kinds {
        if is_numeric_string_format(format) {
            let _ = writeln!(out, "impl crate::kind::NumericString for {rust} {{}}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_numeric_strings_and_nothing_else() {
        assert!(is_numeric_string_format(
            "AWS::RDS::DBInstance.EndpointPort"
        ));
        assert!(is_numeric_string_format(
            "AWS::MediaConnect::FlowSource.SourceIngestPort"
        ));
        assert!(!is_numeric_string_format(
            "AWS::RDS::DBInstance.EndpointAddress"
        ));
        assert!(!is_numeric_string_format("AWS::X::Y.Report"));
        assert!(!is_numeric_string_format("AWS::X::Y.PortalArn"));
        assert!(!is_numeric_string_format(
            "AWS::RDS::DBInstance.EndpointPort | AWS::X::Y.Port"
        ));
        let kinds: BTreeMap<String, String> = [
            (
                "RdsDbInstanceEndpointPort",
                "AWS::RDS::DBInstance.EndpointPort",
            ),
            (
                "RdsDbInstanceEndpointAddress",
                "AWS::RDS::DBInstance.EndpointAddress",
            ),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = section(&kinds);
        assert!(s.contains("impl crate::kind::NumericString for RdsDbInstanceEndpointPort {}"));
        assert!(!s.contains("for RdsDbInstanceEndpointAddress"));
    }
}
