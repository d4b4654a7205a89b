//! A resource's `Ref` or attribute that is never an ARN, where a property's pattern
//! requires one (`^arn:...`). Such a property often names no kind in its schema (Cognito's
//! `LambdaConfig.KMSKeyID` is a plain string), so any kind converts into it and the
//! compiler cannot help; but synth knows the value's kind from the resource it refers to,
//! and a KMS key's `Ref` (its key ID) never matches `^arn:`. Refused here rather than left
//! as a deferred note: CloudFormation would fail the create. Which values are never ARNs is
//! data (`kinds::NOT_ARNS`, generated with the evidence `dsl/codegen/src/not_arn.rs` names).

use crate::check::{Check, Constraint};
use crate::diagnostic::{Diagnostic, Location};
use crate::fast_hash::FastMap;
use crate::generated::kinds::{NOT_ARNS, NOT_ARNS_TEXT};
use crate::synth::by_type::Resources;
use crate::synth::path::Path;
use crate::table_text;
use crate::value::expr::{Expr, TargetKind};

/// Every `^arn:` pattern constraint of every resource, against the references it reaches.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    // A type's table has tens of constraints and few ARN patterns: each table is searched
    // for them once per synth (keyed by the table's address), not once per resource.
    let mut by_table: FastMap<(usize, usize), Vec<ArnConstraint>> = FastMap::default();
    for r in resources.all() {
        let table = r.entry.constraints;
        if table.is_empty() || r.props.is_empty() {
            continue;
        }
        let arns = by_table
            .entry((table.as_ptr() as usize, table.len()))
            .or_insert_with(|| arn_constraints(table));
        for c in arns.iter() {
            let pattern = c.pattern;
            let mut found = |path: &Path, node: &Expr| {
                if let Some((how, target, type_name, format)) = never_arn(resources, node) {
                    diags.push(Diagnostic::error(
                        Location::property(&r.entry.target.id, &path.render()),
                        format!(
                            "`{how}` of `{target}` ({type_name}) is a `{format}`, never an ARN, but the property must match `{pattern}`"
                        ),
                        format!(
                            "give it the ARN of `{target}` (its handle's `.arn()`, or the attribute that is its ARN)"
                        ),
                    ));
                }
            };
            let mut visit = |name: &String, value: &Expr| {
                walk(value, &c.rest, &Path::Root.key(name), &mut found);
            };
            if c.first == "*" {
                for (name, value) in r.props.iter() {
                    visit(name, value);
                }
            } else if let Some((name, value)) = r.props.get_key_value(c.first) {
                visit(name, value);
            }
        }
    }
}

/// A constraint whose pattern requires an ARN, its path split at `/`: the property it
/// starts at (`*` for every one) and the rest.
struct ArnConstraint {
    pattern: &'static str,
    first: &'static str,
    rest: Vec<&'static str>,
}

/// The constraints of `table` whose pattern requires an ARN (`^arn:...`).
fn arn_constraints(table: &'static [Constraint]) -> Vec<ArnConstraint> {
    let mut out = Vec::new();
    for c in table {
        let Check::Pattern(pattern) = c.check else {
            continue;
        };
        if !pattern.starts_with("^arn:") {
            continue;
        }
        let mut segments = c.path.split('/');
        let Some(first) = segments.next() else {
            continue;
        };
        out.push(ArnConstraint {
            pattern,
            first,
            rest: segments.collect(),
        });
    }
    out
}

fn walk(node: &Expr, path: &[&str], at: &Path, f: &mut dyn FnMut(&Path, &Expr)) {
    if let Expr::If(_, a, b) = node {
        walk(a, path, at, f);
        walk(b, path, at, f);
        return;
    }
    let Some((head, rest)) = path.split_first() else {
        f(at, node);
        return;
    };
    match (node, *head) {
        (Expr::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                walk(item, rest, &at.index(i), f);
            }
        }
        (Expr::Object(map), "*") => {
            for (k, v) in map {
                walk(v, rest, &at.key(k), f);
            }
        }
        (Expr::Object(map), key) => {
            if let Some((k, v)) = map.get_key_value(key) {
                walk(v, rest, &at.key(k), f);
            }
        }
        _ => {}
    }
}

/// `(how, logical ID, type, format)` when `node` is a `Ref` or `Fn::GetAtt` of a resource
/// whose value there is never an ARN.
fn never_arn<'n, 'r>(
    types: &Resources<'r, '_>,
    node: &'n Expr,
) -> Option<(String, &'n str, &'r str, &'static str)> {
    let (target, value) = match node {
        Expr::Ref(t) => (t, "Ref"),
        Expr::GetAtt(t, a) => (t, &**a),
        _ => return None,
    };
    if target.kind != TargetKind::Resource {
        return None;
    }
    let type_name = types.get(&target.id)?.type_name();
    let i = NOT_ARNS
        .binary_search_by(|row| {
            table_text::bytes(NOT_ARNS_TEXT, row[0])
                .cmp(type_name.as_bytes())
                .then_with(|| table_text::bytes(NOT_ARNS_TEXT, row[1]).cmp(value.as_bytes()))
        })
        .ok()?;
    // Written only for a finding: most references are to something that may be an ARN.
    let how = match node {
        Expr::GetAtt(_, a) => format!("Fn::GetAtt {a}"),
        _ => "Ref".to_string(),
    };
    Some((
        how,
        &target.id,
        type_name,
        table_text::span(NOT_ARNS_TEXT, NOT_ARNS[i][2]),
    ))
}

#[cfg(test)]
mod tests {
    use super::{NOT_ARNS, NOT_ARNS_TEXT, table_text};

    /// The table is sorted (looked up by binary search), every row reads back as a type,
    /// a value and a format, and it holds the values the checks were written
    /// for: a KMS key's and a subnet's `Ref`.
    #[test]
    fn the_table_is_sorted_and_lists_key_and_subnet_ids() {
        let rows: Vec<[&str; 3]> = NOT_ARNS
            .iter()
            .map(|row| table_text::row(NOT_ARNS_TEXT, row))
            .collect();
        assert!(rows.len() > 100, "only {} rows", rows.len());
        assert!(
            rows.windows(2)
                .all(|w| (w[0][0], w[0][1]) < (w[1][0], w[1][1]))
        );
        for [t, v, f] in &rows {
            assert!(t.starts_with("AWS::") && !v.is_empty(), "{t} {v}");
            assert!(f.starts_with("AWS::") && f.contains('.'), "{t} {v} {f}");
        }
        for (t, v) in [("AWS::KMS::Key", "Ref"), ("AWS::EC2::Subnet", "Ref")] {
            assert!(rows.iter().any(|r| (r[0], r[1]) == (t, v)), "{t} {v}");
        }
        assert!(!rows.iter().any(|r| r[2].ends_with("Arn")));
    }
}
