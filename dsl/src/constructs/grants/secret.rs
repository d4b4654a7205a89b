//! Grants on a Secrets Manager secret (and its customer-managed KMS key, used only
//! through Secrets Manager).

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::stack::stack::Stack;

/// Lets `grantee` read `secret`'s value and metadata, and decrypt it with its key.
pub fn read(
    stack: &mut Stack,
    grantee: &impl Grantee,
    secret: &Target<on::Secret>,
) -> Vec<Granted> {
    if secret.refuse_mismatch(stack, &grantee.grantee_name(), "reading the secret") {
        return Vec::new();
    }
    let g = Grant::new("reading the secret")
        .actions(actions::SECRETSMANAGER_READ)
        .on(secret.arn());
    [
        grant(stack, grantee, g),
        key::cover(
            stack,
            grantee,
            secret,
            actions::KMS_DECRYPT,
            "secretsmanager",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` put new values of `secret` and change its settings, encrypting with
/// its key.
pub fn write(
    stack: &mut Stack,
    grantee: &impl Grantee,
    secret: &Target<on::Secret>,
) -> Vec<Granted> {
    if secret.refuse_mismatch(stack, &grantee.grantee_name(), "writing the secret") {
        return Vec::new();
    }
    let g = Grant::new("writing the secret")
        .actions(actions::SECRETSMANAGER_WRITE)
        .on(secret.arn());
    [
        grant(stack, grantee, g),
        key::cover(
            stack,
            grantee,
            secret,
            actions::KMS_SECRET_WRITE,
            "secretsmanager",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
