//! Checks that know what a resource type means, for mistakes CloudFormation or the
//! service would only reject at deploy: DynamoDB keys without attribute definitions,
//! and IAM policies over their size limits (an identity's inline policies counted
//! together, wherever in the template they are written).

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, field, list};

/// An inline policy's limit: all of a role's inline policies together.
pub const ROLE_INLINE_POLICY_BYTES: usize = 10_240;
/// A managed policy's limit.
pub const MANAGED_POLICY_BYTES: usize = 6_144;
/// A Lambda function's resource policy limit: every permission on it together.
pub const LAMBDA_RESOURCE_POLICY_BYTES: usize = 20_480;

/// A user's limit: all of a user's inline policies together.
pub const USER_INLINE_POLICY_BYTES: usize = 2_048;
/// A group's limit: all of a group's inline policies together.
pub const GROUP_INLINE_POLICY_BYTES: usize = 5_120;

/// Runs the type-specific checks; a policy size only the estimate of its computed values
/// puts over the limit leaves a note in `deferred`.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    lambda_resource_policies(resources, diags);
    inline_policies(resources, diags, deferred);
    for r in resources.of_types(&["AWS::DynamoDB::Table", "AWS::IAM::ManagedPolicy"]) {
        let id = &*r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::DynamoDB::Table" => dynamodb_keys(id, r, diags),
            "AWS::IAM::ManagedPolicy" => {
                if let Some(doc) = r.field("PolicyDocument") {
                    iam_policy_size(
                        (id, "PolicyDocument"),
                        &|| "the managed policy".to_string(),
                        Size::of(doc),
                        MANAGED_POLICY_BYTES,
                        diags,
                        deferred,
                    );
                }
            }
            _ => {}
        }
    }
}

/// An IAM identity that holds inline policies: its type, the resource type of one inline
/// policy of it, the property naming it there (and on itself), the list of
/// `AWS::IAM::Policy` naming it, and IAM's limit on all its inline policies together.
struct Identity {
    noun: &'static str,
    type_name: &'static str,
    policy_type: &'static str,
    name: &'static str,
    in_policy: &'static str,
    bytes: usize,
}

/// IAM User Guide, "IAM and AWS STS quotas": "You can add as many inline policies as you
/// want to an IAM user, role, or group. But the total aggregate policy size (the sum
/// size of all inline policies) per entity cannot exceed": user 2,048, role 10,240,
/// group 5,120 characters (white space not counted). An inline policy is one of the
/// identity's `Policies`, an `AWS::IAM::RolePolicy` (`UserPolicy`, `GroupPolicy`) naming
/// it, or an `AWS::IAM::Policy` listing it (which CloudFormation embeds in each identity
/// it lists, registry schema `AWS::IAM::Policy`).
const IDENTITIES: [Identity; 3] = [
    Identity {
        noun: "role",
        type_name: "AWS::IAM::Role",
        policy_type: "AWS::IAM::RolePolicy",
        name: "RoleName",
        in_policy: "Roles",
        bytes: ROLE_INLINE_POLICY_BYTES,
    },
    Identity {
        noun: "user",
        type_name: "AWS::IAM::User",
        policy_type: "AWS::IAM::UserPolicy",
        name: "UserName",
        in_policy: "Users",
        bytes: USER_INLINE_POLICY_BYTES,
    },
    Identity {
        noun: "group",
        type_name: "AWS::IAM::Group",
        policy_type: "AWS::IAM::GroupPolicy",
        name: "GroupName",
        in_policy: "Groups",
        bytes: GROUP_INLINE_POLICY_BYTES,
    },
];

/// One identity's inline policies together: where the size is reported, and the
/// separate policy resources counted with its own `Policies`.
struct Total<'a> {
    /// The identity's logical ID, or (for one outside the stack, known by a literal
    /// name) the first policy resource naming it.
    at: &'a str,
    /// `Policies`, or `PolicyDocument` of the first policy resource.
    path: &'static str,
    /// The identity's literal name when it is outside the stack.
    outside: Option<String>,
    size: Size,
    separate: Vec<&'a str>,
}

/// Every identity's inline policies against IAM's limit on their sum: its own
/// `Policies` and every policy resource attached to it (by `Ref` to it, or by a literal
/// name equal to its literal name; an identity outside the stack is known by its literal
/// name, and only the policies of this stack are counted for it). A policy naming its
/// identity by a computed value is not counted (its identity is not known here); one
/// naming the same identity twice is counted once (IAM attaches it once).
fn inline_policies(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    // Only looked up (`totals` keeps the order): hashed, not compared along a tree.
    use crate::fast_hash::FastMap;
    for identity in &IDENTITIES {
        // The identities in the stack by logical ID, and those outside by literal name,
        // each with its place in `totals` (in the order first seen). Borrowed IDs: an
        // owned key (and a `String` made per lookup) only for an identity outside.
        let mut totals: Vec<Total> = Vec::new();
        let mut in_stack: FastMap<&str, usize> = FastMap::default();
        let mut outside: FastMap<String, usize> = FastMap::default();
        let mut named: FastMap<&str, &str> = FastMap::default();
        for r in resources.of_type(identity.type_name) {
            let id = &*r.entry.target.id;
            let size = items(r.field("Policies"))
                .iter()
                .filter_map(|p| field(p, "PolicyDocument"))
                .map(Size::of)
                .fold(Size::default(), Size::plus);
            in_stack.insert(id, totals.len());
            totals.push(Total {
                at: id,
                path: "Policies",
                outside: None,
                size,
                separate: Vec::new(),
            });
            if let Some(name) = literal_str(r.field(identity.name)) {
                named.insert(name, id);
            }
        }
        for r in resources.of_types(&[identity.policy_type, "AWS::IAM::Policy"]) {
            // Borrowed: a policy resource's own identity property, or its list of them
            // (copied only when it is one literal JSON array).
            let owners: Cow<'_, [Expr]> = if r.entry.type_name == identity.policy_type {
                Cow::Borrowed(r.field(identity.name).map_or(&[], std::slice::from_ref))
            } else if r.entry.type_name == "AWS::IAM::Policy" {
                items(r.field(identity.in_policy))
            } else {
                continue;
            };
            let Some(doc) = r.field("PolicyDocument") else {
                continue;
            };
            let size = Size::of(doc);
            let id = &*r.entry.target.id;
            // The totals this policy was added to: the same identity named twice
            // (`Roles: [R, R]`) holds the policy once.
            let mut counted: Vec<usize> = Vec::new();
            for owner in owners.iter() {
                let known = match owner {
                    Expr::Ref(t) => in_stack.get(&*t.id).copied(),
                    Expr::Lit(serde_json::Value::String(name)) => match named.get(name.as_str()) {
                        Some(in_stack_id) => in_stack.get(in_stack_id).copied(),
                        None => outside.get(name.as_str()).copied(),
                    },
                    _ => continue,
                };
                let at = match (known, owner) {
                    (Some(at), _) => at,
                    // A `Ref` to no identity of the stack is not counted.
                    (None, Expr::Lit(serde_json::Value::String(name))) => {
                        totals.push(Total {
                            at: id,
                            path: "PolicyDocument",
                            outside: Some(name.clone()),
                            size: Size::default(),
                            separate: Vec::new(),
                        });
                        outside.insert(name.clone(), totals.len() - 1);
                        totals.len() - 1
                    }
                    (None, _) => continue,
                };
                if counted.contains(&at) {
                    continue;
                }
                counted.push(at);
                totals[at].size = totals[at].size.plus(size);
                totals[at].separate.push(id);
            }
        }
        for t in totals {
            // Described only for a finding: most identities are far under the limit.
            let what = || {
                let separate: Vec<String> = t.separate.iter().map(|id| format!("`{id}`")).collect();
                match (&t.outside, separate.is_empty()) {
                    (None, true) => format!("the {}'s inline policies", identity.noun),
                    (None, false) => format!(
                        "the {}'s inline policies (its `Policies` and the policies {} attached to it)",
                        identity.noun,
                        separate.join(", ")
                    ),
                    (Some(name), _) => format!(
                        "the inline policies this stack attaches to {} `{}` ({})",
                        identity.noun,
                        name.escape_debug(),
                        separate.join(", ")
                    ),
                }
            };
            iam_policy_size(
                (t.at, t.path),
                &what,
                t.size,
                identity.bytes,
                diags,
                deferred,
            );
        }
    }
}

/// The items of a list property, also when it is one literal JSON array (a raw
/// resource's `json!` property); empty when absent or computed.
fn items(e: Option<&Expr>) -> std::borrow::Cow<'_, [Expr]> {
    match e {
        Some(Expr::Array(items)) => std::borrow::Cow::Borrowed(items),
        Some(Expr::Lit(serde_json::Value::Array(items))) => {
            std::borrow::Cow::Owned(items.iter().cloned().map(Expr::from_json).collect())
        }
        _ => std::borrow::Cow::Borrowed(&[]),
    }
}

fn literal_str(e: Option<&Expr>) -> Option<&str> {
    match e {
        Some(Expr::Lit(serde_json::Value::String(s))) => Some(s),
        _ => None,
    }
}

fn dynamodb_keys(id: &str, props: &Resolved, diags: &mut Vec<Diagnostic>) {
    let defined: BTreeSet<&str> = props
        .list("AttributeDefinitions")
        .iter()
        .filter_map(|d| literal_str(field(d, "AttributeName")))
        .collect();
    if props
        .field("AttributeDefinitions")
        .is_some_and(|d| !matches!(d, Expr::Array(_)))
    {
        return; // computed: nothing to compare offline
    }
    // Each key with where its key schema is (the table's, or index `i` of a section),
    // written into a path only for a finding.
    let mut keys: Vec<(Option<(&str, usize)>, &str)> = Vec::new();
    for k in props.list("KeySchema") {
        if let Some(name) = literal_str(field(k, "AttributeName")) {
            keys.push((None, name));
        }
    }
    for section in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for (i, index) in props.list(section).iter().enumerate() {
            for k in list(index, "KeySchema") {
                if let Some(name) = literal_str(field(k, "AttributeName")) {
                    keys.push((Some((section, i)), name));
                }
            }
        }
    }
    for (at, name) in &keys {
        if !defined.contains(name) {
            let path = match at {
                None => "KeySchema".to_string(),
                Some((section, i)) => format!("{section}.{i}.KeySchema"),
            };
            diags.push(Diagnostic::error(
                Location::property(id, &path),
                format!("key attribute `{name}` has no attribute definition"),
                format!("add {{AttributeName: {name}, AttributeType: S|N|B}} to AttributeDefinitions, or use the Table construct, which derives them from the keys"),
            ));
        }
    }
    let used: BTreeSet<&str> = keys.iter().map(|(_, n)| *n).collect();
    for name in defined.difference(&used) {
        diags.push(Diagnostic::error(
            Location::property(id, "AttributeDefinitions"),
            format!("attribute `{name}` is defined but is not a key of the table or an index; DynamoDB rejects that"),
            "define only key attributes; other attributes need no definition",
        ));
    }
}

/// Lambda keeps one resource policy per function, with a statement per permission;
/// permissions are grouped by the function they name and their statements estimated.
fn lambda_resource_policies(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    use std::collections::BTreeMap;
    // Sid, Effect, Action, the function's ARN and the JSON punctuation around them.
    const STATEMENT_BASE: usize = 200;
    // Keyed by the name shown for the function (between backticks, added only for a
    // finding): its logical ID, borrowed, when the permission refers to one, else its
    // JSON text escaped.
    let mut by_function: BTreeMap<Cow<'_, str>, (usize, Vec<&str>)> = BTreeMap::new();
    for r in resources.of_type("AWS::Lambda::Permission") {
        let Some(function) = r.field("FunctionName") else {
            continue;
        };
        let size = STATEMENT_BASE
            + [
                "Principal",
                "SourceArn",
                "SourceAccount",
                "PrincipalOrgID",
                "EventSourceToken",
            ]
            .iter()
            .filter_map(|k| r.field(k))
            .map(|e| Size::of(e).estimated())
            .sum::<usize>();
        // Named by the function's logical ID when the permission refers to one (the
        // first reference, in the walk's order: the node's own, else its children's).
        let first = match function.own_reference() {
            Some((t, _)) => Some(t),
            None => function.references().first().map(|(t, _)| *t),
        };
        let name = match first {
            Some(t) => Cow::Borrowed(&*t.id),
            None => Cow::Owned(function.to_json().to_string().escape_debug().to_string()),
        };
        let entry = by_function.entry(name).or_default();
        entry.0 += size;
        entry.1.push(&r.entry.target.id);
    }
    for (function, (bytes, permissions)) in by_function {
        let first = permissions[0];
        policy_size(
            first,
            "FunctionName",
            &|| {
                format!(
                    "the {} permissions on function `{function}`",
                    permissions.len()
                )
            },
            bytes,
            Limit {
                service: "Lambda",
                what: "a function's resource-based policy",
                bytes: LAMBDA_RESOURCE_POLICY_BYTES,
                fix: "grant fewer permissions: one permission for a whole API (`RestApi::one_invoke_permission` / `HttpApi::one_invoke_permission`, source ARN `<api-id>/*/*`) instead of one per route, or spread the routes over more functions",
            },
            diags,
        );
    }
}

/// A policy size limit: whose it is, and how to stay under it.
struct Limit {
    service: &'static str,
    what: &'static str,
    bytes: usize,
    fix: &'static str,
}

impl Limit {
    fn iam(bytes: usize) -> Limit {
        Limit {
            service: "IAM",
            what: "this policy",
            bytes,
            fix: "grant on fewer, broader resources (such as a wildcard ARN pattern), split the permissions across roles, or use managed policies",
        }
    }
}

/// A policy's size as IAM counts it (no whitespace): the literal part, known exactly, and
/// how many values are computed (known only at deploy).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Size {
    /// The bytes of everything but the computed values.
    literal: usize,
    /// How many values are computed.
    computed: usize,
}

impl Size {
    /// The length of a typical ARN, each computed value's estimate.
    const COMPUTED: usize = 100;

    fn of(e: &Expr) -> Size {
        match e {
            Expr::Lit(v) => Size {
                literal: compact_len(v),
                computed: 0,
            },
            Expr::Array(items) => items.iter().map(Size::of).fold(
                Size {
                    literal: 2 + items.len().saturating_sub(1),
                    computed: 0,
                },
                Size::plus,
            ),
            Expr::Object(m) => m.iter().fold(
                Size {
                    literal: 2 + m.len().saturating_sub(1),
                    computed: 0,
                },
                |acc, (k, v)| {
                    acc.plus(Size {
                        literal: k.len() + 3,
                        computed: 0,
                    })
                    .plus(Size::of(v))
                },
            ),
            _ => Size {
                literal: 0,
                computed: 1,
            },
        }
    }

    fn plus(self, other: Size) -> Size {
        Size {
            literal: self.literal + other.literal,
            computed: self.computed + other.computed,
        }
    }

    /// The literal part with each computed value estimated.
    fn estimated(self) -> usize {
        self.literal + self.computed * Self::COMPUTED
    }
}

/// An IAM policy's size (`at`: resource and property) against IAM's `max`: an error only
/// when the literal part alone is over it (the computed values can only add to it); a
/// warning and a deferred note when only the estimate of the computed values puts it
/// over (an ARN may be shorter than the estimate: IAM decides at deploy); the usual
/// warning from 80% of the limit.
fn iam_policy_size(
    at: (&str, &str),
    what: &dyn Fn() -> String,
    size: Size,
    max: usize,
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    let (id, path) = at;
    let limit = Limit::iam(max);
    if size.literal > max || size.estimated() <= max {
        return policy_size(
            id,
            path,
            what,
            size.estimated().max(size.literal),
            limit,
            diags,
        );
    }
    let what = what();
    diags.push(Diagnostic::warning(
        Location::property(id, path),
        format!(
            "{what} come to {} bytes and {} computed values (about {} bytes if each is {} long); IAM allows {max} for {}: IAM decides at deploy",
            size.literal,
            size.computed,
            size.estimated(),
            Size::COMPUTED,
            limit.what
        ),
        format!("keep well under the limit: {}", limit.fix),
    ));
    deferred.push(Note {
        resource: std::sync::Arc::from(id),
        path: path.to_string(),
        computed_by: "computed values",
        check: std::sync::Arc::from(format!("{what}: at most {max} bytes in all (IAM)")),
    });
}

/// The length of `v` as compact JSON (what `v.to_string()` would give), counted without
/// building the text: policies are measured on every synth. Strings, lists and maps are
/// counted here (a string is its bytes, its quotes and what serde_json's escapes add);
/// numbers are written by serde_json into a counter.
fn compact_len(v: &serde_json::Value) -> usize {
    use serde_json::Value as J;
    match v {
        J::Null => 4,
        J::Bool(true) => 4,
        J::Bool(false) => 5,
        J::String(s) => quoted_len(s),
        J::Array(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(compact_len).sum::<usize>()
        }
        J::Object(m) => {
            2 + m.len().saturating_sub(1)
                + m.iter()
                    .map(|(k, v)| quoted_len(k) + 1 + compact_len(v))
                    .sum::<usize>()
        }
        J::Number(_) => written_len(v),
    }
}

/// The length of `s` as a JSON string: its quotes, its bytes, and one more byte for each
/// two-character escape (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`) or five for each
/// other control character (`\u00XX`), as serde_json writes it.
fn quoted_len(s: &str) -> usize {
    // Most text has nothing to escape, found a word at a time (the writer's scan).
    let bytes = s.as_bytes();
    let Some(first) = crate::synth::canonical::first_escape(bytes) else {
        return 2 + bytes.len();
    };
    2 + bytes.len()
        + bytes[first..]
            .iter()
            .map(|b| match b {
                b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
                0..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// The length of `v` as serde_json writes it, counted through a writer that keeps nothing.
fn written_len(v: &serde_json::Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing into a counter cannot fail, and a `Value` always serializes.
    let _ = serde_json::to_writer(&mut count, v);
    count.0
}

/// `what` describes the policy; it is called only for a finding.
fn policy_size(
    id: &str,
    path: &str,
    what: &dyn Fn() -> String,
    bytes: usize,
    limit: Limit,
    diags: &mut Vec<Diagnostic>,
) {
    let Limit {
        service,
        what: limited,
        bytes: max,
        fix,
    } = limit;
    if bytes > max {
        let what = what();
        diags.push(Diagnostic::error(
            Location::property(id, path),
            format!("{what} come to about {bytes} bytes (computed values estimated); {service} allows {max} for {limited}"),
            fix,
        ));
    } else if bytes * 5 >= max * 4 {
        let what = what();
        diags.push(Diagnostic::warning(
            Location::property(id, path),
            format!(
                "{what} come to about {bytes} bytes, {}% of {service}'s limit of {max} for {limited}",
                bytes * 100 / max
            ),
            format!("plan to consolidate before the limit: {fix}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::{compact_len, written_len};
    use serde_json::json;

    /// The counted length is the length of the compact text, escapes and non-ASCII included.
    #[test]
    fn compact_len_is_the_length_of_the_compact_text() {
        for v in [
            json!(null),
            json!(true),
            json!(false),
            json!(1.5e300),
            json!(-7),
            json!(0.1),
            json!(u64::MAX),
            json!(""),
            json!([]),
            json!({}),
            json!([[], {}, [null]]),
            json!("a \"quoted\" ünïcode\n\u{1}"),
            json!({ "Statement": [{ "Action": ["s3:GetObject"], "Effect": "Allow" }] }),
            json!({ "k\"\\\t": ["\u{7f}\u{80}€𝄞", 1, 2.5, {"": ""}], "b": false }),
        ] {
            assert_eq!(compact_len(&v), v.to_string().len(), "{v}");
            assert_eq!(compact_len(&v), written_len(&v), "{v}");
        }
    }

    /// Every byte a string can hold, alone and among others, counts as serde_json
    /// writes it (the escapes of control characters, quote and backslash; the rest raw).
    #[test]
    fn every_character_is_counted_as_serde_json_escapes_it() {
        for c in (0u32..0x250).chain([0x2028, 0x2029, 0xfeff, 0x1_f600]) {
            let Some(c) = char::from_u32(c) else { continue };
            for text in [c.to_string(), format!("a{c}b{c}{c}"), format!("{c}\n")] {
                let v = json!(text);
                assert_eq!(compact_len(&v), v.to_string().len(), "{:?}", text);
                let key = json!({ text.clone(): text });
                assert_eq!(compact_len(&key), key.to_string().len(), "{:?}", text);
            }
        }
    }
}
