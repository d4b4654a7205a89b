//! Intrinsic functions: well-formed, with the transform and mapping entries they need.

use crate::diagnostic::{Diagnostic, Section};
use crate::stack::stack::{Stack, Transform};
use crate::value::expr::{Expr, Target};

use super::references::Site;

/// Intrinsic functions of one expression are well-formed and have what they need: no
/// invalid node, And/Or arity, the transform that Length, ToJsonString and FindInMap
/// defaults need, FindInMap keys the mapping has, NoValue only in resource properties.
pub(super) fn check(stack: &Stack, loc: &Site, e: &Expr, diags: &mut Vec<Diagnostic>) {
    let language_extensions = language_extensions(stack);
    e.walk(&mut |n| node(stack, language_extensions, loc, n, diags));
}

/// Whether the stack has the `AWS::LanguageExtensions` transform.
pub(super) fn language_extensions(stack: &Stack) -> bool {
    stack.transforms.contains(&Transform::LanguageExtensions)
}

/// What [`check`] reports of one node (not its children), for a walk that visits every
/// node itself.
pub(super) fn node(
    stack: &Stack,
    language_extensions: bool,
    loc: &Site,
    node: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    match node {
        Expr::Invalid(message, fix) => diags.push(Diagnostic::error(
            loc.location(),
            message.clone(),
            fix.clone(),
        )),
        Expr::And(items) | Expr::Or(items) if !(2..=10).contains(&items.len()) => {
            diags.push(Diagnostic::error(
                loc.location(),
                format!(
                    "{} has {} conditions; it takes 2 to 10",
                    node.intrinsic_name().unwrap_or(""),
                    items.len()
                ),
                "nest the conditions in groups of at most 10, or use the condition directly",
            ))
        }
        Expr::Length(_)
        | Expr::ToJsonString(_)
        | Expr::FindInMap {
            default: Some(_), ..
        } if !language_extensions => {
            let what = match node {
                Expr::FindInMap { .. } => "Fn::FindInMap with a default value",
                other => other.intrinsic_name().unwrap_or(""),
            };
            diags.push(Diagnostic::error(
                loc.location(),
                format!("{what} needs the AWS::LanguageExtensions transform"),
                "add `stack.transform(Transform::LanguageExtensions)`",
            ))
        }
        Expr::FindInMap {
            mapping,
            top,
            second,
            default: None,
        } => find_in_map(stack, loc, mapping, top, second, diags),
        Expr::Select(index, list) => select(loc, index, list, diags),
        Expr::Cidr(block, count, bits) => cidr(loc, block, count, bits, diags),
        Expr::NoValue if loc.section != Section::Resource => diags.push(Diagnostic::error(
            loc.location(),
            "AWS::NoValue is only meaningful in resource properties".to_string(),
            "use a real value here",
        )),
        _ => {}
    }
}

fn find_in_map(
    stack: &Stack,
    loc: &Site,
    mapping: &Target,
    top: &Expr,
    second: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((_, m)) = stack.mappings.iter().find(|(t, _)| t == mapping) else {
        return;
    };
    let (Expr::Lit(serde_json::Value::String(k1)), Expr::Lit(serde_json::Value::String(k2))) =
        (top, second)
    else {
        return;
    };
    if !m
        .entries
        .get(k1)
        .is_some_and(|inner| inner.contains_key(k2))
    {
        diags.push(Diagnostic::error(
            loc.location(),
            format!(
                "Fn::FindInMap looks up `{k1}` / `{k2}`, which mapping `{}` does not have",
                mapping.id
            ),
            "add the entry to the mapping, or use `find_or` with a default value",
        ));
    }
}

/// An integer literal (CloudFormation also takes one written as a string).
fn literal_int(e: &Expr) -> Option<i64> {
    match e {
        Expr::Lit(serde_json::Value::Number(n)) => n.as_i64(),
        Expr::Lit(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `Fn::Select`: a literal index is at least 0 and, on a literal list or the blocks of an
/// `Fn::Cidr` with a literal count, within it.
fn select(loc: &Site, index: &Expr, list: &Expr, diags: &mut Vec<Diagnostic>) {
    let Some(i) = literal_int(index) else {
        return;
    };
    let len = match list {
        Expr::Array(items) => Some(items.len()),
        Expr::Lit(serde_json::Value::Array(items)) => Some(items.len()),
        // `Fn::Cidr` gives exactly as many blocks as its count asks (one out of range is
        // refused by `cidr`).
        Expr::Cidr(_, count, _) => literal_int(count)
            .filter(|n| (1..=256).contains(n))
            .map(|n| n as usize),
        _ => None,
    };
    let problem = if i < 0 {
        Some(format!("Fn::Select has the index {i}; indexes start at 0"))
    } else {
        len.filter(|&n| i as u64 >= n as u64)
            .map(|n| format!("Fn::Select has the index {i}, past the end of its list of {n} items"))
    };
    if let Some(message) = problem {
        diags.push(Diagnostic::error(
            loc.location(),
            message,
            "select an index from 0 to the list's length minus 1",
        ));
    }
}

/// `Fn::Cidr` counts and bits CloudFormation accepts: 1 to 256 blocks and 1 to 128 bits (the
/// ranges of cfn-lint 1.58's `Fn::Cidr` schema, rule E1024, after the AWS documentation's
/// `Fn::Cidr` page), the bits at most what a literal block leaves (32 minus its prefix for
/// IPv4, 128 for IPv6), with room in the block for every one.
fn cidr(loc: &Site, block: &Expr, count: &Expr, bits: &Expr, diags: &mut Vec<Diagnostic>) {
    let mut error = |message: String, fix: &str| {
        diags.push(Diagnostic::error(loc.location(), message, fix));
    };
    let count = literal_int(count);
    if let Some(n) = count.filter(|n| !(1..=256).contains(n)) {
        error(
            format!("Fn::Cidr asks for {n} CIDR blocks; it makes 1 to 256"),
            "ask for 1 to 256 blocks, or carve a larger block in several calls",
        );
    }
    let host_bits = match block {
        Expr::Lit(serde_json::Value::String(s)) => host_bits(s),
        _ => None,
    };
    let bits = literal_int(bits);
    if let Some(b) = bits {
        let most = host_bits.unwrap_or(128);
        if !(1..=most).contains(&b) {
            error(
                format!("Fn::Cidr has {b} subnet bits; the block leaves 1 to {most}"),
                "give each block 1 to the block's host bits (8 bits makes /24 blocks from a /16)",
            );
        } else if let (Some(n), Some(h)) = (count.filter(|n| (1..=256).contains(n)), host_bits) {
            // 2^(host bits - subnet bits) blocks fit in the block.
            let room = h - b;
            if room < 63 && n > (1i64 << room) {
                error(
                    format!(
                        "Fn::Cidr asks for {n} blocks of {b} subnet bits, but the block holds only {}",
                        1i64 << room
                    ),
                    "ask for fewer blocks, or give each block fewer bits (a larger block) from a larger range",
                );
            }
        }
    }
}

/// The host bits a literal CIDR block leaves: 32 or 128 minus its prefix length.
fn host_bits(block: &str) -> Option<i64> {
    let (address, prefix) = block.split_once('/')?;
    let prefix: i64 = prefix.parse().ok()?;
    let width = if address.parse::<std::net::Ipv4Addr>().is_ok() {
        32
    } else if address.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return None;
    };
    (0..=width).contains(&prefix).then_some(width - prefix)
}
