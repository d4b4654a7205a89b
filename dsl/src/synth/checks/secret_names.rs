//! What Secrets Manager refuses in a secret's name that its registry schema does not
//! state, on every `AWS::SecretsManager::Secret` of the template (the `Secret` construct
//! writes the name and checks none of this itself, so its secrets and the generated
//! `secretsmanager::Secret` are checked alike): not empty, letters, digits and `/_+=.@-`
//! only ([`secret_name_problems_beyond_schema`]; AWS Secrets Manager API Reference,
//! `CreateSecret` `Name`); the schema's `maxLength` (512) is checked with every schema
//! constraint. A name ending with `-` and six letters or digits, like the suffix Secrets
//! Manager adds to a secret's ARN, is a warning ([`secret_name_ends_like_suffix`]).
//!
//! Literal names only (each literal branch of an `Fn::If`); a computed one is left to the
//! service.

use crate::constructs::names::{secret_name_ends_like_suffix, secret_name_problems_beyond_schema};
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;

use super::schedules::literal_texts;

/// Checks every secret's literal name.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::SecretsManager::Secret") {
        let id = &*r.entry.target.id;
        for name in r.field("Name").map(literal_texts).unwrap_or_default() {
            for problem in secret_name_problems_beyond_schema(name) {
                diags.push(Diagnostic::error(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of secret `{id}` {problem}",
                        name.escape_debug()
                    ),
                    "use 1 to 512 characters of letters, digits and `/_+=.@-`",
                ));
            }
            if secret_name_ends_like_suffix(name) {
                diags.push(Diagnostic::warning(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of secret `{id}` ends with `-` and six characters, like the suffix Secrets Manager adds to a secret's ARN: a lookup by this name may be read as a partial ARN",
                        name.escape_debug()
                    ),
                    "end the name otherwise (AWS Secrets Manager User Guide, \"Find secrets\")",
                ));
            }
        }
    }
}
