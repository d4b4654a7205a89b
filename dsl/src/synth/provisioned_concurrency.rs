//! Provisioned concurrency beyond a function's reserved concurrency. Lambda counts the
//! provisioned concurrency of all of a function's versions and aliases together against
//! its reserved concurrency: "Provisioned concurrency counts towards a function's
//! reserved concurrency and Regional quotas. If the amount of provisioned concurrency on
//! a function's versions and aliases adds up to the function's reserved concurrency, then
//! all invocations run on provisioned concurrency" (AWS Lambda Developer Guide,
//! "Configuring provisioned concurrency for a function"), and it refuses a configuration
//! that would take the sum above it: the alias or version that tips it over fails to
//! deploy and the stack rolls back. Two aliases of 4 under a reserved concurrency of 5
//! each pass a check made alias by alias.
//!
//! Reported when the function's `ReservedConcurrentExecutions` is a literal and the
//! literal `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions` of the
//! `AWS::Lambda::Alias` and `AWS::Lambda::Version` resources naming it (`Ref` or
//! `Fn::GetAtt <Function>.Arn` as their `FunctionName`) add up to more. It reads the final
//! template, so aliases of the `Function` construct, generated resources and `configure`
//! are summed alike; a count computed at deploy is left to Lambda.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target};

/// Checks every `AWS::Lambda::Function` with a literal reserved concurrency.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for f in resources.of_type("AWS::Lambda::Function") {
        let Some(reserved) = f.field("ReservedConcurrentExecutions").and_then(number) else {
            continue;
        };
        let target = &f.entry.target;
        let users: Vec<(&Resolved, i64)> = resources
            .of_types(&["AWS::Lambda::Alias", "AWS::Lambda::Version"])
            .into_iter()
            .filter(|o| o.field("FunctionName").is_some_and(|n| names(n, target)))
            .filter_map(|o| {
                let n = o
                    .field("ProvisionedConcurrencyConfig")
                    .and_then(|c| crate::value::expr::field(c, "ProvisionedConcurrentExecutions"))
                    .and_then(number)?;
                Some((o, n))
            })
            .collect();
        let total: i64 = users.iter().map(|(_, n)| n).sum();
        if total <= reserved {
            continue;
        }
        let id = &*target.id;
        let each: Vec<String> = users
            .iter()
            .map(|(o, n)| format!("{} {n}", shown(o)))
            .collect();
        // Reported on the last one: with the others already in place, it tips the sum over.
        let last = &*users
            .last()
            .map(|(o, _)| o.entry.target.id.clone())
            .unwrap_or_default();
        diags.push(Diagnostic::error(
            Location::property(last, "ProvisionedConcurrencyConfig"),
            format!(
                "function `{id}`'s aliases and versions ask for {total} provisioned environments in all ({}), more than its reserved concurrency of {reserved}: Lambda counts every version's and alias's provisioned concurrency against the reserved concurrency and refuses the one that takes the sum above it (AWS Lambda Developer Guide, \"Configuring provisioned concurrency for a function\")",
                each.join(", ")
            ),
            format!(
                "lower the provisioned concurrency so the sum is {reserved} or less, or raise function `{id}`'s `reserved_concurrency` to {total} or more"
            ),
        ));
    }
}

/// Whether `e` names the function `target`: `Ref` or `Fn::GetAtt <target>.Arn`.
fn names(e: &Expr, target: &Target) -> bool {
    match e {
        Expr::Ref(t) => t.stack == target.stack && t.id == target.id,
        Expr::GetAtt(t, a) => t.stack == target.stack && t.id == target.id && &**a == "Arn",
        _ => false,
    }
}

/// A literal whole number, or a numeric string (CloudFormation takes either).
fn number(e: &Expr) -> Option<i64> {
    match e {
        Expr::Lit(serde_json::Value::Number(n)) => n.as_i64(),
        Expr::Lit(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// How an alias or a version is named in the message: ``alias `live` (`ApiAliasLive`)``.
fn shown(o: &Resolved) -> String {
    let id = &*o.entry.target.id;
    match o.field("Name") {
        Some(Expr::Lit(serde_json::Value::String(name)))
            if o.entry.type_name == "AWS::Lambda::Alias" =>
        {
            format!("alias `{name}` (`{id}`)")
        }
        _ if o.entry.type_name == "AWS::Lambda::Alias" => format!("alias `{id}`"),
        _ => format!("version `{id}`"),
    }
}
