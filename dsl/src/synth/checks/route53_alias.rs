//! A Route 53 alias record takes neither `TTL` nor `ResourceRecords`: the alias target
//! gives the values and its own TTL. The registry schema of `AWS::Route53::RecordSet`
//! does not say so; the CloudFormation User Guide does ("If you're creating or updating an
//! alias resource record set, omit TTL" and, for `ResourceRecords`, the value is required
//! "if you don't specify AliasTarget",
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html>),
//! and Route 53 refuses the change. cfn-lint ships the `TTL` half as a schema extension
//! (rule E3029). Checked on a record set and on every record of a record set group.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::Expr;

const DOC: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html";

/// Every record set, and every record of a record set group, that sets `AliasTarget`
/// together with `TTL` or `ResourceRecords`.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_types(&["AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"]) {
        let id = &r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::Route53::RecordSet" => {
                let props: BTreeMap<&str, Option<&Expr>> =
                    r.props.iter().map(|(k, v)| (k.as_str(), Some(v))).collect();
                record(id, "", &props, diags);
            }
            "AWS::Route53::RecordSetGroup" => {
                let Some(Expr::Array(items)) = r.field("RecordSets") else {
                    // A literal list has no intrinsic inside: read it as JSON below.
                    if let Some(Expr::Lit(serde_json::Value::Array(items))) = r.field("RecordSets")
                    {
                        for (i, item) in items.iter().enumerate() {
                            if let Some(map) = item.as_object() {
                                let props = map.keys().map(|k| (k.as_str(), None)).collect();
                                record(id, &format!("RecordSets.{i}."), &props, diags);
                            }
                        }
                    }
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let props: BTreeMap<&str, Option<&Expr>> = match item {
                        Expr::Object(map) => {
                            map.iter().map(|(k, v)| (k.as_str(), Some(v))).collect()
                        }
                        Expr::Lit(serde_json::Value::Object(map)) => {
                            map.keys().map(|k| (k.as_str(), None)).collect()
                        }
                        _ => continue,
                    };
                    record(id, &format!("RecordSets.{i}."), &props, diags);
                }
            }
            _ => {}
        }
    }
}

/// One record's properties (`None`: a literal, surely set), `prefix` its path.
fn record(
    id: &str,
    prefix: &str,
    props: &BTreeMap<&str, Option<&Expr>>,
    diags: &mut Vec<Diagnostic>,
) {
    let set = |name: &str| props.get(name).is_some_and(|v| v.is_none_or(surely_set));
    if !set("AliasTarget") {
        return;
    }
    for name in ["TTL", "ResourceRecords"] {
        if set(name) {
            diags.push(Diagnostic::error(
                Location::property(id, &format!("{prefix}{name}")),
                format!(
                    "an alias record (`AliasTarget` set) takes no `{name}`: Route 53 refuses it ({DOC})"
                ),
                format!("remove `{name}`, or `AliasTarget` if the record is not an alias"),
            ));
        }
    }
}

/// Whether a property's value surely keeps its key: not `AWS::NoValue`, nor an `Fn::If`
/// with such a branch (that may be meant to leave it out when the record is an alias).
fn surely_set(value: &Expr) -> bool {
    match value {
        Expr::NoValue | Expr::Lit(serde_json::Value::Null) => false,
        Expr::If(_, a, b) => surely_set(a) && surely_set(b),
        _ => true,
    }
}
