//! [`Principal`]: who a resource policy or trust policy applies to.

use crate::value::expr::Expr;
use crate::value::kind::Str;
use crate::value::value::IntoValue;

/// A principal of a statement. Several principals given to one statement are merged by
/// type (`{"Service": [...], "AWS": [...]}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for everyone.
    pub(crate) kind: &'static str,
    pub(crate) value: Expr,
}

impl Principal {
    /// Everyone (`"Principal": "*"`); narrow it with conditions.
    pub fn any() -> Self {
        Principal {
            kind: "*",
            value: Expr::Lit("*".into()),
        }
    }

    /// An AWS service, such as `lambda.amazonaws.com`.
    pub fn service(name: impl IntoValue<Str>) -> Self {
        Principal {
            kind: "Service",
            value: name.into_value().expr,
        }
    }

    /// An account, user or role: an account id, an ARN, or a typed ARN value.
    pub fn aws(arn_or_account: impl IntoValue<Str>) -> Self {
        Principal {
            kind: "AWS",
            value: arn_or_account.into_value().expr,
        }
    }

    /// A federated identity provider, such as `cognito-identity.amazonaws.com`.
    pub fn federated(provider: impl IntoValue<Str>) -> Self {
        Principal {
            kind: "Federated",
            value: provider.into_value().expr,
        }
    }

    /// A canonical user id (S3 only).
    pub fn canonical_user(id: impl IntoValue<Str>) -> Self {
        Principal {
            kind: "CanonicalUser",
            value: id.into_value().expr,
        }
    }
}
