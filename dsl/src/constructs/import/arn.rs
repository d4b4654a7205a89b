//! [`Arn`]: an ARN given as text, split and checked against the shapes AWS documents
//! (IAM User Guide, "IAM identifiers" and "Amazon Resource Names"; AWS General
//! Reference, "Partitions"; the partitions of the AWS SDKs' endpoint data, through
//! [`crate::facts::partitions`]), before a handle is made from it.

use std::fmt;

/// Why text given as an ARN or a name cannot be imported: what was given (escaped,
/// shortened) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    message: String,
}

impl ImportError {
    /// The error for `given`, text offered as `what` ("queue", "table name"), and `why`
    /// it cannot be imported; `given` is escaped and shortened to 200 characters in the
    /// message. How an import written outside nephos refuses its input.
    ///
    /// ```
    /// use nephos::constructs::import::ImportError;
    /// let e = ImportError::new("queue", "bad\nname", "it holds a line break");
    /// assert_eq!(e.to_string(), "cannot import queue `bad\\nname`: it holds a line break");
    /// ```
    pub fn new(what: &str, given: &str, why: impl fmt::Display) -> Self {
        let mut shown: String = given.escape_debug().take(200).collect();
        if given.escape_debug().nth(200).is_some() {
            shown.push_str("...");
        }
        ImportError {
            message: format!("cannot import {what} `{shown}`: {why}"),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// An ARN split into its parts: `arn:<partition>:<service>:<region>:<account>:<resource>`.
///
/// ```
/// use nephos::constructs::import::Arn;
/// let arn = Arn::parse("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs", "sqs").unwrap();
/// assert_eq!((arn.region(), arn.account(), arn.resource()), ("eu-west-1", "123456789012", "jobs"));
/// let e = Arn::parse("queue", "arn:aws:sns:eu-west-1:123456789012:jobs", "sqs").unwrap_err();
/// assert!(e.to_string().contains("`sns`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits `text` and checks it is an ARN of `service` in a documented partition,
    /// with a region (`eu-west-1`) and a 12-digit account; `what` names the resource in
    /// the error.
    pub fn parse(what: &str, text: &'a str, service: &str) -> Result<Self, ImportError> {
        let arn = Self::split(what, text)?;
        arn.expect_service(what, text, service)?;
        if !is_region(arn.region) {
            return Err(ImportError::new(
                what,
                text,
                format!(
                    "its region `{}` is not a region's code (such as `eu-west-1`)",
                    arn.region.escape_debug()
                ),
            ));
        }
        let home = partition_of_region(arn.region);
        if home != arn.partition {
            return Err(ImportError::new(
                what,
                text,
                format!(
                    "its region `{}` is in the partition `{home}`, not `{}`",
                    arn.region,
                    arn.partition.escape_debug()
                ),
            ));
        }
        if !is_account(arn.account) {
            return Err(ImportError::new(
                what,
                text,
                format!(
                    "its account `{}` is not 12 digits",
                    arn.account.escape_debug()
                ),
            ));
        }
        Ok(arn)
    }

    /// Splits `text`, offered as `what`, into its parts, checking only what every ARN
    /// has (six parts, a known partition, a resource without control characters), not
    /// region or account: S3 bucket ARNs have neither.
    ///
    /// # Errors
    /// An [`ImportError`] naming `what`, the text and what is wrong.
    ///
    /// ```
    /// use nephos::constructs::import::Arn;
    /// let arn = Arn::split("bucket", "arn:aws:s3:::my-bucket").unwrap();
    /// assert_eq!((arn.service(), arn.resource()), ("s3", "my-bucket"));
    /// assert!(Arn::split("bucket", "my-bucket").is_err());
    /// ```
    pub fn split(what: &str, text: &'a str) -> Result<Self, ImportError> {
        let [partition, service, region, account, resource] =
            crate::stack::home::split_arn(text).map_err(|why| ImportError::new(what, text, why))?;
        Ok(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// Refuses an ARN of another service than `service` (`sqs`, `dynamodb`), naming
    /// `what` and the `text` it was read from.
    ///
    /// # Errors
    /// An [`ImportError`] saying which service the ARN is of.
    ///
    /// ```
    /// use nephos::constructs::import::Arn;
    /// let text = "arn:aws:sns:us-east-1:123456789012:jobs";
    /// let arn = Arn::split("queue", text).unwrap();
    /// assert!(arn.expect_service("queue", text, "sqs").is_err());
    /// assert!(arn.expect_service("topic", text, "sns").is_ok());
    /// ```
    pub fn expect_service(&self, what: &str, text: &str, service: &str) -> Result<(), ImportError> {
        if self.service == service {
            Ok(())
        } else {
            Err(ImportError::new(
                what,
                text,
                format!(
                    "it is an ARN of `{}`, not of `{service}`",
                    self.service.escape_debug()
                ),
            ))
        }
    }

    /// The partition (`aws`, `aws-cn`...).
    pub fn partition(&self) -> &'a str {
        self.partition
    }

    /// The service (`sqs`).
    pub fn service(&self) -> &'a str {
        self.service
    }

    /// The region's code.
    pub fn region(&self) -> &'a str {
        self.region
    }

    /// The 12-digit account.
    pub fn account(&self) -> &'a str {
        self.account
    }

    /// Everything after the account: `jobs`, `table/orders`, `function:resize`.
    pub fn resource(&self) -> &'a str {
        self.resource
    }
}

/// The partition a region's code belongs to, from the partition table of the AWS SDKs'
/// endpoint data ([`crate::facts::partition_of_region`]); a region that no partition lists
/// or matches is taken for the commercial `aws`, as the SDKs take it.
fn partition_of_region(region: &str) -> &'static str {
    crate::facts::partition_of_region(region).map_or("aws", |p| p.id)
}

/// A region's code: two letters (`eusc` in the European Sovereign Cloud), one or more
/// words, a number (`us-gov-west-1`, `eu-central-2`, `us-isob-east-1`, `eusc-de-east-1`).
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && (parts[0].len() == 2 || parts[0] == "eusc")
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1]
            .parse::<u8>()
            .is_ok_and(|n| n > 0 && !parts[parts.len() - 1].starts_with('0'))
}

/// An AWS account ID: 12 digits.
fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_checked_part_by_part() {
        let ok = Arn::parse(
            "queue",
            "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs.fifo",
            "sqs",
        )
        .unwrap();
        assert_eq!(ok.partition(), "aws-us-gov");
        assert_eq!(ok.resource(), "jobs.fifo");
        for good in [
            "arn:aws-cn:sqs:cn-north-1:123456789012:jobs",
            "arn:aws-iso-b:sqs:us-isob-east-1:123456789012:jobs",
            "arn:aws-eusc:sqs:eusc-de-east-1:123456789012:jobs",
            "arn:aws:sqs:ap-southeast-5:123456789012:jobs",
        ] {
            assert!(Arn::parse("queue", good, "sqs").is_ok(), "{good}");
        }
        for (bad, why) in [
            ("jobs", "six parts"),
            ("arn:aws:sqs:eu-west-1:123456789012", "six parts"),
            ("arn:amazon:sqs:eu-west-1:123456789012:jobs", "partition"),
            ("arn:aws:sns:eu-west-1:123456789012:jobs", "not of `sqs`"),
            ("arn:aws:sqs:europe:123456789012:jobs", "region"),
            ("arn:aws:sqs:eu-west-01:123456789012:jobs", "region"),
            (
                "arn:aws:sqs:cn-north-1:123456789012:jobs",
                "partition `aws-cn`, not `aws`",
            ),
            (
                "arn:aws-cn:sqs:eu-west-1:123456789012:jobs",
                "partition `aws`, not `aws-cn`",
            ),
            (
                "arn:aws-us-gov:sqs:us-east-1:123456789012:jobs",
                "partition `aws`",
            ),
            (
                "arn:aws:sqs:us-gov-west-1:123456789012:jobs",
                "`aws-us-gov`",
            ),
            ("arn:aws:sqs:eu-west-1:1234:jobs", "12 digits"),
            ("arn:aws:sqs:eu-west-1:123456789012:", "empty"),
            ("arn:aws:sqs:eu-west-1:123456789012:a\u{1b}[2J", "control"),
        ] {
            let e = Arn::parse("queue", bad, "sqs").unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
            assert!(!e.contains('\u{1b}'), "escaped: {e}");
        }
    }
}
