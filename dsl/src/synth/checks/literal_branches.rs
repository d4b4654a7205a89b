//! The literal values a property may take at deploy: its literal, or each branch's of an
//! `Fn::If`. The cross-resource checks compare these, and hand anything computed on to the
//! deploy (a [`Note`](crate::synth::note::Note) naming the function that computes it).

use crate::value::expr::Expr;

/// The literal values `e` may take: one for a literal, each branch's for `Fn::If` (either
/// branch may be chosen at deploy), `None` when the property is absent.
pub(super) fn literal_ints(e: Option<&Expr>) -> Result<Option<Vec<i64>>, &'static str> {
    fn walk(e: &Expr, out: &mut Vec<i64>) -> Result<(), &'static str> {
        match e {
            Expr::Lit(v) => match v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            {
                Some(n) => {
                    out.push(n);
                    Ok(())
                }
                None => Err("a non-integer literal"),
            },
            Expr::If(_, a, b) => {
                walk(a, out)?;
                walk(b, out)
            }
            other => Err(other.intrinsic_name().unwrap_or("a computed value")),
        }
    }
    let Some(e) = e else { return Ok(None) };
    let mut out = Vec::new();
    walk(e, &mut out)?;
    Ok(Some(out))
}

/// The literal strings `e` may be, as [`literal_ints`] does for integers.
pub(super) fn literal_strs(e: &Expr) -> Result<Vec<&str>, &'static str> {
    fn walk<'e>(e: &'e Expr, out: &mut Vec<&'e str>) -> Result<(), &'static str> {
        match e {
            Expr::Lit(v) => match v.as_str() {
                Some(s) => {
                    out.push(s);
                    Ok(())
                }
                None => Err("a non-string literal"),
            },
            Expr::If(_, a, b) => {
                walk(a, out)?;
                walk(b, out)
            }
            other => Err(other.intrinsic_name().unwrap_or("a computed value")),
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out)?;
    Ok(out)
}
