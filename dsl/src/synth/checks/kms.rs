//! What KMS refuses in a key's aliases and rotation, on every `AWS::KMS::Alias` and
//! `AWS::KMS::Key` of the template (the `KmsKey` construct writes them and checks none
//! of this itself, so its keys and the generated `kms::Key` and `kms::Alias` are checked
//! alike):
//!
//! - an `AliasName` under `alias/aws/`: "The alias/aws/ prefix is reserved for AWS managed
//!   keys" (AWS KMS API Reference, `CreateAlias`, `AliasName`);
//! - two aliases of one literal name in the stack: alias names are unique per account and
//!   Region (`CreateAlias`: "The alias name must be unique in the account and Region"), so
//!   the second create fails after the rest was built (aliases under a condition are
//!   skipped: their conditions may never hold together);
//! - `EnableKeyRotation` on a key KMS does not rotate: automatic rotation is for symmetric
//!   encryption keys whose material KMS generates only (AWS KMS Developer Guide, "Rotate
//!   AWS KMS keys": not asymmetric, HMAC, imported-material or custom key store keys), so a
//!   `KeySpec` other than `SYMMETRIC_DEFAULT` or an `Origin` other than `AWS_KMS` is
//!   refused by CreateKey.
//!
//! Literal values only; a computed one is left to KMS.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::literal;
use super::schedules::literal_texts;

/// The alias prefix KMS keeps for AWS managed keys (`CreateAlias`, `AliasName`).
const RESERVED_ALIAS_PREFIX: &str = "alias/aws/";

/// Checks every alias and key of the template.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for r in resources.of_types(&["AWS::KMS::Alias", "AWS::KMS::Key"]) {
        let id = &*r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::KMS::Alias" => {
                let Some(name) = r.field("AliasName") else {
                    continue;
                };
                for text in literal_texts(name) {
                    if text.starts_with(RESERVED_ALIAS_PREFIX) {
                        diags.push(Diagnostic::error(
                            Location::property(id, "AliasName"),
                            format!(
                                "the alias name `{}` of `{id}` is under `alias/aws/`, which KMS keeps for AWS managed keys, so CreateAlias refuses it",
                                text.escape_debug()
                            ),
                            "choose an alias outside `alias/aws/`, such as `alias/app/data`",
                        ));
                    }
                }
                let Some(text) = literal(name) else { continue };
                if r.entry.condition.is_some() {
                    continue;
                }
                if let Some(first) = names.get(text) {
                    diags.push(Diagnostic::error(
                        Location::property(id, "AliasName"),
                        format!(
                            "the alias name `{}` of `{id}` is already the name of `{first}` in this stack; KMS takes each alias name once per account and Region",
                            text.escape_debug()
                        ),
                        "give each key an alias of its own, such as `alias/app/orders` and `alias/app/invoices`",
                    ));
                } else {
                    names.insert(text, id);
                }
            }
            "AWS::KMS::Key" => rotation(r, id, diags),
            _ => {}
        }
    }
}

/// Refuses automatic rotation on a key KMS does not rotate.
fn rotation(r: &Resolved, id: &str, diags: &mut Vec<Diagnostic>) {
    let on = match r.field("EnableKeyRotation") {
        Some(Expr::Lit(v)) => v == true || v == "true",
        _ => false,
    };
    if !on {
        return;
    }
    let spec = r.field("KeySpec").and_then(literal);
    let origin = r.field("Origin").and_then(literal);
    let why = match (spec, origin) {
        (Some(s), _) if s != "SYMMETRIC_DEFAULT" => format!("its `KeySpec` is `{s}`"),
        (_, Some(o)) if o != "AWS_KMS" => format!("its `Origin` is `{o}`"),
        _ => return,
    };
    diags.push(Diagnostic::error(
        Location::property(id, "EnableKeyRotation"),
        format!(
            "key `{id}` has automatic rotation on, but {why}: KMS rotates only symmetric encryption keys whose material it generates"
        ),
        "turn rotation off for this key (`.rotation(false)` on the `KmsKey` construct, `.enable_key_rotation(false)` on `kms::Key`)",
    ));
}
