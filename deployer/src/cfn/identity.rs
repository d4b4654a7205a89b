//! The account and region a command acts in, checked before they are trusted.
//!
//! The account comes from `sts:GetCallerIdentity`, an AWS answer: an empty or malformed one
//! (attack finding F1c) must stop a command that changes infrastructure rather than print
//! "Target: account , region …" and go on. An account ID is 12 digits (AWS account
//! identifiers, IAM User Guide); a region code is lowercase letter groups joined by
//! hyphens, ending in a number (`us-east-1`, `us-gov-west-1`, `ap-southeast-5`).

use super::error::{CfnError, ErrorKind};
use crate::output::escape::escape_line;

/// Checks an account ID answered by STS: exactly 12 ASCII digits.
///
/// # Errors
/// A [`CfnError`] quoting the (escaped) answer and how to go on.
///
/// # Example
/// ```ignore
/// assert!(check_account("123456789012").is_ok());
/// assert!(check_account("").is_err());
/// ```
pub fn check_account(account: &str) -> Result<(), CfnError> {
    if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(CfnError::new(
        ErrorKind::Other,
        format!(
            "GetCallerIdentity answered the account \"{}\", which is not a 12-digit account ID; nephos will not act in an account it cannot name (check the credentials and the STS endpoint, e.g. with `aws sts get-caller-identity`)",
            escape_line(account)
        ),
    ))
}

/// Checks a region code: two or more lowercase letter groups joined by `-`, then `-` and a
/// number, at most 32 characters.
///
/// # Errors
/// A [`CfnError`] quoting the (escaped) region and how to go on.
pub fn check_region(region: &str) -> Result<(), CfnError> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = region.len() <= 32
        && parts.len() >= 3
        && parts
            .iter()
            .rev()
            .skip(1)
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|n| {
            !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        return Ok(());
    }
    Err(CfnError::new(
        ErrorKind::Other,
        format!(
            "the region \"{}\" is not a region code such as us-east-1; set it with --region, AWS_REGION or the profile",
            escape_line(region)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_twelve_digit_accounts_are_taken() {
        assert!(check_account("123456789012").is_ok());
        for bad in [
            "",
            "not-an-account",
            "12345678901",
            "1234567890123",
            "12345678901a",
            "١٢٣٤٥٦٧٨٩٠١٢",
        ] {
            let e = check_account(bad).expect_err(bad);
            assert!(e.to_string().contains("not a 12-digit account ID"), "{e}");
        }
    }

    #[test]
    fn region_codes_are_checked() {
        for good in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-5",
            "eu-central-2",
        ] {
            assert!(check_region(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us--1",
            "us-east-1\u{1b}[2J",
            "east-1",
            "us-east-1a",
        ] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
    }
}
