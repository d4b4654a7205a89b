//! Merging into a property a construct, a grant or a wiring extends (a role's
//! `Policies`, a bucket's `NotificationConfiguration`, a policy's `Statement`): a
//! literal (however it was given: a builder, a `value!` literal, a cast JSON document)
//! is opened up so the addition goes in beside what is there; a computed value (an
//! `Fn::If`, a parameter) cannot be merged into, and the caller reports it instead of
//! skipping the addition (which would deploy without it).

use std::collections::BTreeMap;

use crate::value::expr::Expr;

/// The object `e` holds, opened for editing; `None` when it is computed (or not an
/// object).
pub(crate) fn object(e: &mut Expr) -> Option<&mut BTreeMap<String, Expr>> {
    if let Expr::Lit(v @ serde_json::Value::Object(_)) = e {
        *e = Expr::from_json(std::mem::take(v));
    }
    match e {
        Expr::Object(m) => Some(m),
        _ => None,
    }
}

/// The list `e` holds, opened for editing; `None` when it is computed (or not a list).
pub(crate) fn array(e: &mut Expr) -> Option<&mut Vec<Expr>> {
    if let Expr::Lit(v @ serde_json::Value::Array(_)) = e {
        *e = Expr::from_json(std::mem::take(v));
    }
    match e {
        Expr::Array(items) => Some(items),
        _ => None,
    }
}

/// The list `e` holds, where a single item stands for a list of it (as IAM reads a
/// policy's `Statement`); `None` when it is computed.
pub(crate) fn items(e: &mut Expr) -> Option<&mut Vec<Expr>> {
    if let Expr::Lit(v @ serde_json::Value::Object(_)) = e {
        *e = Expr::from_json(std::mem::take(v));
    }
    if matches!(e, Expr::Object(_)) {
        let one = std::mem::replace(e, Expr::Array(Vec::new()));
        *e = Expr::Array(vec![one]);
    }
    array(e)
}

/// How a message names a value that cannot be merged into: "computed by `Fn::If`".
pub(crate) fn computed(e: &Expr) -> String {
    match e.intrinsic_name() {
        Some(name) => format!("computed by `{name}`"),
        None => "not of the expected shape".to_string(),
    }
}
