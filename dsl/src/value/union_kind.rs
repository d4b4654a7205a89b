//! Union kinds: a typed string that is any one of several other kinds.

/// Declares a typed string kind that accepts a value of any of its member kinds, for a
/// property that takes one of several resources' attributes (a KMS key's ID or ARN, or an
/// alias name). Each member's `Value` (owned or borrowed) converts into it through
/// [`IntoValue`](crate::IntoValue), which every setter takes; nothing else does, so a
/// bucket's ARN still does not compile where a key is wanted. `@into` adds the conversion
/// from a smaller union whose members all belong to this one. The generated
/// `nephos::kinds` declares every union the resource types use, and for those also
/// `From` (`@from`, only possible inside nephos, which owns `Value`), so `.into()` works.
///
/// ```
/// nephos::typed_string_kind!(KeyArn, "example::Key.Arn");
/// nephos::typed_string_kind!(AliasName, "example::Alias.AliasName");
/// nephos::union_kind!(
///     /// A key's ARN or an alias's name.
///     KeyRef, "example::Alias.AliasName | example::Key.Arn", [AliasName, KeyArn]
/// );
/// use nephos::{IntoValue, Value};
/// let by_alias: Value<KeyRef> = Value::<AliasName>::literal("alias/orders").into_value();
/// let by_arn: Value<KeyRef> =
///     Value::<KeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:key/1").into_value();
/// assert_eq!(by_alias.to_json(), "alias/orders");
/// assert!(by_arn.is_literal());
/// ```
#[macro_export]
macro_rules! union_kind {
    (@into $name:ident, [$($member:ty),+ $(,)?]) => {$(
        impl $crate::IntoValue<$name> for $crate::Value<$member> {
            fn into_value(self) -> $crate::Value<$name> {
                self.cast()
            }
        }
        impl $crate::IntoValue<$name> for &$crate::Value<$member> {
            fn into_value(self) -> $crate::Value<$name> {
                self.clone().cast()
            }
        }
    )+};
    (@from $name:ident, [$($member:ty),+ $(,)?]) => {$(
        impl ::core::convert::From<$crate::Value<$member>> for $crate::Value<$name> {
            fn from(value: $crate::Value<$member>) -> Self {
                value.cast()
            }
        }
    )+};
    ($(#[$meta:meta])* $name:ident, $format:expr, [$($member:ty),+ $(,)?]) => {
        $crate::typed_string_kind!($(#[$meta])* $name, $format);
        $crate::union_kind!(@into $name, [$($member),+]);
    };
}
