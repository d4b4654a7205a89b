//! The shape a literal of each typed string kind must have, so synth can refuse
//! `Value::<IamRoleArn>::literal("my-role")` instead of CloudFormation at deploy.
//!
//! A kind names a resource attribute (`AWS::IAM::Role.Arn`); its shape is that attribute's
//! `pattern` in the type's registry schema (read-only properties keep theirs: 998 kinds
//! have one). A kind whose attribute has none takes what the patterns of the properties
//! that carry its format agree on ([`carried`]): `AWS::EC2::Subnet.Id` has no pattern, but
//! Lambda's `VpcConfig.SubnetIds` items and others say `^subnet-...`, and the key ARNs
//! properties take say `:kms:`. A kind that is its resource's own ARN (the attribute `Arn`
//! or `<Resource>Arn`) whose type has an ARN template in the AWS service spec
//! ([`ARN_TEMPLATES_FILE`], `arnTemplate`: `arn:${Partition}:sns:${Region}:${Account}:${TopicName}`)
//! takes that template's service and resource prefix ([`from_template`]), so an SQS queue's
//! ARN is no SNS topic's. Else an ARN kind gets the ARN syntax every ARN
//! follows, `arn:partition:service:region:account-id:resource` (AWS IAM User Guide,
//! "IAM identifiers" / ARN format, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>),
//! and so does the generic `AnyArn`. A union is checked member by member at synth: a
//! literal that fits any member passes, and a member without a shape admits anything.
//!
//! A pattern the dsl's regex engine cannot compile, or one that admits any text, gives no
//! shape: a check needs evidence.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The ARN syntax (see the module docs): six colon-separated parts, the first `arn`, the
/// partition and service never empty, region and account may be (S3, IAM).
pub const ARN_SYNTAX: &str = "^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+";

/// Where a shape comes from, as the diagnostic names it.
pub const FROM_SCHEMA: &str = "schema";
/// See [`FROM_SCHEMA`].
pub const FROM_ARN_SYNTAX: &str = "arn";
/// See [`FROM_SCHEMA`]: the prefix the patterns of the properties that take the kind agree on.
pub const FROM_PROPERTIES: &str = "properties";
/// See [`FROM_SCHEMA`]: the ARN syntax with the service segment the patterns of the
/// properties that take the kind agree on (`^arn:[^:]+:kms:...`).
pub const FROM_ARN_SERVICE: &str = "arn-service";

/// See [`FROM_SCHEMA`]: the service and resource prefix of the type's ARN template in the
/// AWS service spec ([`ARN_TEMPLATES_FILE`]).
pub const FROM_ARN_TEMPLATE: &str = "arn-template";

/// The AWS service spec's ARN template of each type (`arnTemplate` of npm
/// `@aws-cdk/aws-service-spec`, which takes it from the IAM Service Authorization Reference),
/// vendored by `scripts/refresh_service_spec.py`. Relative to the workspace root.
pub const ARN_TEMPLATES_FILE: &str = "dsl/schemas/aws-service-spec/arn_templates.json";

/// Loads [`ARN_TEMPLATES_FILE`] below `root`: the ARN template by type name.
///
/// # Errors
/// The file cannot be read or parsed.
pub fn load_templates(root: &std::path::Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join(ARN_TEMPLATES_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let types = v
        .get("types")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{}: no `types`", path.display()))?;
    Ok(types
        .iter()
        .filter_map(|(t, a)| Some((t.clone(), a.as_str()?.to_string())))
        .collect())
}

/// Whether the ARN kind `format` is its resource's own ARN: the attribute `Arn`, or the
/// resource's name and `Arn` (`AWS::SNS::Topic.TopicArn`). Another ARN attribute may name
/// another service's resource (`AWS::EC2::Subnet.OutpostArn`, a secret's ARN on a database).
pub fn own_arn(format: &str) -> Option<&str> {
    let (type_name, attribute) = format.split_once('.')?;
    let resource = type_name.rsplit("::").next()?;
    let own = attribute == "Arn"
        || attribute
            .strip_suffix("Arn")
            .is_some_and(|r| r.eq_ignore_ascii_case(resource));
    own.then_some(type_name)
}

/// The shape an ARN template gives (`arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`
/// -> `^arn:[^:]+:logs:[^:]*:[^:]*:log-group:.+`): the service segment as written, any region
/// and account (some ARNs leave them empty), and the literal text the resource part starts
/// with. What follows is not checked (a qualifier, `:*`, a path may follow). `None` for a
/// template whose service is not plain text.
pub fn from_template(template: &str) -> Option<String> {
    let (service, prefix, rest) = template_parts(template)?;
    // Escaped by hand: `-`, `/` and `:` stay as they are, so the diagnostic can quote it.
    let mut escaped = String::new();
    for c in prefix.chars() {
        if "\\.+*?()|[]{}^$#&~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Some(format!(
        "{ARN_SERVICE_START}{service}:[^:]*:[^:]*:{escaped}{rest}"
    ))
}

/// The service, the literal resource prefix and what follows it (`.+` before a variable,
/// else `.*`) of an ARN template; `None` for a template whose service is not plain text.
fn template_parts(template: &str) -> Option<(&str, &str, &'static str)> {
    let mut parts = template.splitn(6, ':');
    let (arn, _partition, service, _region, _account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let plain = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if arn != "arn" || !plain {
        return None;
    }
    let (prefix, rest) = match resource.find("${") {
        Some(i) => (&resource[..i], ".+"),
        None => (resource, ".*"),
    };
    Some((service, prefix, rest))
}

/// Whether the properties that take the kind (`carrying`) leave the template's shape
/// standing: no pattern that names the template's service requires literal resource text
/// the template's prefix contradicts (neither starts with the other). Such a pattern is
/// evidence that real ARNs of the type do not start with the template's prefix.
///
/// A pattern that takes more than the resource's ARN is no such evidence: KMS properties
/// taking a key ARN say `:kms:...:(key|alias)/`, IAM ones `:iam:.*`, because the property
/// accepts an alias's or any IAM ARN too. That is the property's own breadth (a union kind
/// in the corrections table when the service documents it), not the shape of the key's or
/// the role's ARN: the kind names one resource, and an alias ARN is no key's ARN
/// (`Value::<KmsKeyArn>::literal("arn:...:alias/db")` is refused; atk13b F5).
fn template_fits(template: &str, carrying: Option<&BTreeSet<String>>) -> bool {
    let Some((service, prefix, _)) = template_parts(template) else {
        return false;
    };
    carrying.into_iter().flatten().all(|p| match arn_parts(p) {
        Some((s, resource)) if s == service => {
            let literal = required_literal(resource);
            literal.is_empty() || literal.starts_with(prefix) || prefix.starts_with(&literal)
        }
        _ => true,
    })
}

/// The literal text the resource part of an ARN pattern requires first (`role/?[a-z]+` ->
/// `role`: a quantifier makes the last character optional); `""` when it starts with a
/// group, a class or a wildcard, so requires nothing in particular.
fn required_literal(resource: &str) -> String {
    let mut literal: String = resource
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_/:".contains(*c))
        .collect();
    if matches!(
        resource[literal.len()..].chars().next(),
        Some('?' | '*' | '{')
    ) {
        literal.pop();
    }
    literal
}

/// Types whose ARN template's resource prefix is not what every real ARN of the type starts
/// with, so their own ARN kind takes only the template's service ([`FROM_ARN_SERVICE`]).
/// The Service Authorization Reference gives one ARN format per resource; the
/// CloudFormation attribute can return another. Reviewed by hand, each with its source:
pub const SERVICE_ONLY: &[(&str, &str)] = &[
    (
        "AWS::DynamoDB::GlobalTable",
        // The template says `global-table/`, but `Fn::GetAtt Arn` returns the local
        // replica's table ARN (`arn:aws:dynamodb:us-east-1:123456789012:table/name`):
        // <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html#aws-resource-dynamodb-globaltable-return-values>.
        "GetAtt Arn is the local table ARN (table/)",
    ),
    (
        "AWS::NetworkFirewall::RuleGroup",
        // The template says `stateful-rulegroup/`; a stateless rule group's ARN is
        // `stateless-rulegroup/` (Service Authorization Reference, AWS Network Firewall,
        // resource types `stateful-rulegroup` and `stateless-rulegroup`:
        // <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsnetworkfirewall.html>).
        "stateless rule groups are stateless-rulegroup/",
    ),
];

/// The start of an [`FROM_ARN_SERVICE`] shape, before the service.
pub const ARN_SERVICE_START: &str = "^arn:[^:]+:";

/// How many properties' patterns must name the same prefix or ARN service, none naming
/// another, before it is a kind's shape: one schema's pattern could be that property's
/// own restriction rather than the kind's.
const AGREEING: usize = 2;

/// Every `pattern` of a schema node that also carries a resource `format`
/// (`{"format": "AWS::EC2::Subnet.Id", "pattern": "^subnet-..."}`, Lambda
/// `VpcConfig.SubnetIds` items), by format, over all schemas.
pub fn carrying_patterns(schemas: &BTreeMap<String, Value>) -> BTreeMap<String, BTreeSet<String>> {
    fn walk(node: &Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
        match node {
            Value::Object(map) => {
                if let (Some(f), Some(p)) = (
                    map.get("format").and_then(Value::as_str),
                    map.get("pattern").and_then(Value::as_str),
                ) && crate::build::format_kind(f).is_some()
                {
                    out.entry(f.to_string()).or_default().insert(p.to_string());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    schemas.values().for_each(|s| walk(s, &mut out));
    out
}

/// The shape the patterns of the properties taking `format` agree on: for an ARN kind, the
/// service segment (`^arn:[^:]+:kms:...`: a key ARN is never an S3 ARN), else the literal
/// prefix (`^subnet-`). At least [`AGREEING`] patterns must name it and none another;
/// patterns that name nothing (`^\\S+$`, a generic ARN) are no evidence either way.
pub fn carried(format: &str, patterns: &BTreeSet<String>) -> Option<(String, &'static str)> {
    let arn = crate::any_arn::is_arn_format(format);
    let named: Vec<String> = patterns
        .iter()
        .filter_map(|p| {
            if arn {
                arn_service(p)
            } else {
                literal_prefix(p)
            }
        })
        .collect();
    let first = named.first()?;
    if named.len() < AGREEING || named.iter().any(|n| n != first) {
        return None;
    }
    // Only letters, digits, `-` and `_`: nothing to escape outside a class.
    Some(if arn {
        (
            format!("{ARN_SERVICE_START}{first}:[^:]*:[^:]*:.+"),
            FROM_ARN_SERVICE,
        )
    } else {
        (format!("^{first}"), FROM_PROPERTIES)
    })
}

/// The literal service segment of an ARN pattern (`^arn:aws[a-z-]*:kms:...` -> `kms`):
/// the second colon-separated part after `arn:`, colons inside groups and classes not
/// counting, when it is plain lower-case text.
fn arn_service(pattern: &str) -> Option<String> {
    arn_parts(pattern).map(|(service, _)| service.to_string())
}

/// The plain service segment of an ARN pattern (see [`arn_service`]) and the pattern's
/// text after the region and account parts (the resource part), colons inside groups and
/// classes not counting. The resource part is `""` when the pattern has fewer parts.
fn arn_parts(pattern: &str) -> Option<(&str, &str)> {
    let rest = &pattern[pattern.find("arn:")? + 4..];
    let mut parts = Vec::new();
    let (mut depth, mut start, mut escaped) = (0i32, 0, false);
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ':' if depth == 0 => {
                parts.push(&rest[start..i]);
                start = i + 1;
                if parts.len() == 4 {
                    break;
                }
            }
            _ => {}
        }
    }
    let service = *parts.get(1)?;
    let resource = if parts.len() == 4 { &rest[start..] } else { "" };
    let plain = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    plain.then_some((service, resource))
}

/// The literal text an anchored, non-ARN pattern requires first (`^(sg-)...` -> `sg-`),
/// at least two characters; `None` for a pattern that may start otherwise.
fn literal_prefix(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^')?;
    let rest = rest
        .strip_prefix("(?:")
        .or_else(|| rest.strip_prefix('('))
        .unwrap_or(rest);
    let mut prefix: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    // A quantifier or an alternative after the text makes its last character, or all of
    // it, optional.
    match rest[prefix.len()..].chars().next() {
        Some('?' | '*' | '{') => {
            prefix.pop();
        }
        Some('|') => return None,
        _ => {}
    }
    (prefix.len() >= 2 && !prefix.starts_with("arn")).then_some(prefix)
}

/// The pattern of the attribute `format` names (`AWS::IAM::Role.Arn`, nested attributes
/// as `Endpoint.Address`) in its type's schema, following `$ref`s.
pub fn schema_pattern<'a>(schemas: &'a BTreeMap<String, Value>, format: &str) -> Option<&'a str> {
    let (type_name, attribute) = format.split_once('.')?;
    let schema = schemas.get(type_name)?;
    let by_path = || {
        let mut node = schema;
        for part in attribute.split('.') {
            node = resolve(schema, node.get("properties")?.get(part)?);
        }
        Some(node)
    };
    // A format need not spell its property's name (`AWS::Logs::LogGroup.Name` is the
    // property `LogGroupName`): then the top-level property that declares it is the one.
    let by_format = || {
        schema
            .get("properties")?
            .as_object()?
            .values()
            .map(|p| resolve(schema, p))
            .find(|p| p.get("format").and_then(Value::as_str) == Some(format))
    };
    by_path()
        .filter(|n| n.get("pattern").is_some())
        .or_else(by_format)?
        .get("pattern")?
        .as_str()
}

fn resolve<'a>(schema: &'a Value, mut node: &'a Value) -> &'a Value {
    // Bounded: a `$ref` cycle in a broken schema stops instead of looping.
    for _ in 0..16 {
        let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
        else {
            break;
        };
        match schema.get("definitions").and_then(|d| d.get(name)) {
            Some(def) => node = def,
            None => break,
        }
    }
    node
}

/// Whether `pattern` is usable evidence: it compiles in the dsl's engine (once translated
/// to Rust syntax, as it is emitted) and rejects some text.
fn usable(pattern: &str) -> bool {
    let Ok(re) = fancy_regex::Regex::new(&crate::samples::rust_syntax(pattern)) else {
        return false;
    };
    // Text no identifier, name or ARN looks like: a pattern that admits it admits anything.
    let admits = |text: &str| re.is_match(text).unwrap_or(true);
    !(admits("") && admits("\u{1} \n%#!?"))
}

/// The shape of one non-union kind: its schema pattern, else for its resource's own ARN
/// its type's ARN template ([`from_template`]; `templates` by type name), else what the
/// patterns of the properties that take it agree on ([`carried`]), else the ARN syntax for
/// an ARN kind.
pub fn shape(
    schemas: &BTreeMap<String, Value>,
    templates: &BTreeMap<String, String>,
    format: &str,
) -> Option<(String, &'static str)> {
    shape_with(schemas, &carrying_patterns(schemas), templates, format)
}

/// [`shape`] with the [`carrying_patterns`] of `schemas` computed once.
pub fn shape_with(
    schemas: &BTreeMap<String, Value>,
    carrying: &BTreeMap<String, BTreeSet<String>>,
    templates: &BTreeMap<String, String>,
    format: &str,
) -> Option<(String, &'static str)> {
    if format == crate::any_arn::ANY_ARN_FORMAT {
        return Some((ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX));
    }
    if let Some(p) = schema_pattern(schemas, format).filter(|p| usable(p)) {
        return Some((crate::samples::rust_syntax(p), FROM_SCHEMA));
    }
    if crate::any_arn::is_arn_format(format)
        && let Some((type_name, template)) =
            own_arn(format).and_then(|t| Some((t, templates.get(t)?)))
    {
        if SERVICE_ONLY.iter().any(|(t, _)| *t == type_name) {
            if let Some((service, _, _)) = template_parts(template) {
                return Some((
                    format!("{ARN_SERVICE_START}{service}:[^:]*:[^:]*:.+"),
                    FROM_ARN_SERVICE,
                ));
            }
        } else if template_fits(template, carrying.get(format))
            && let Some(shape) = from_template(template)
        {
            return Some((shape, FROM_ARN_TEMPLATE));
        }
    }
    if let Some(found) = carrying.get(format).and_then(|p| carried(format, p)) {
        return Some(found);
    }
    crate::any_arn::is_arn_format(format).then(|| (ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX))
}

/// The `kinds.rs` section: `SHAPES`, one `(format, pattern, source)` row per kind of
/// `kinds` (Rust name to format) that has a shape, sorted by format. `templates`: the ARN
/// templates by type name ([`load_templates`]).
pub fn section(
    schemas: &BTreeMap<String, Value>,
    kinds: &BTreeMap<String, String>,
    templates: &BTreeMap<String, String>,
) -> String {
    let carrying = carrying_patterns(schemas);
    let mut rows = BTreeMap::new();
    for format in kinds.values() {
        for member in format.split(crate::unions::SEPARATOR) {
            if let Some(s) = shape_with(schemas, &carrying, templates, member) {
                rows.insert(member.to_string(), s);
            }
        }
    }
    let mut table = crate::text_table::TextTable::new();
    for (format, (pattern, source)) in &rows {
        table.row(&[format, pattern, source]);
    }
    let mut out = table.emit(
        "SHAPES",
        3,
        "The shape a literal of each kind must have, by format (sorted): `[format, pattern,\nsource]`, the pattern of its attribute in the registry schema (`schema`), the prefix the\npatterns of the properties taking it agree on (`properties`), the ARN syntax with the\nservice they agree on (`arn-service`), the service and resource prefix of its type's ARN\ntemplate in the AWS service spec (`arn-template`), or the ARN syntax (`arn`). Written by\nnephos-codegen (`dsl/codegen/src/kind_shapes.rs`); read by `Value::literal`.",
    );
    out.push_str(&own_arn_section(&carrying, kinds, templates));
    out
}

/// The service and resource prefix of a kind that is its resource's own ARN, from its
/// type's ARN template ([`from_template`]; [`SERVICE_ONLY`] types: the service alone), when
/// the patterns of the properties taking it leave the template standing ([`template_fits`]).
/// Unlike [`shape`], a schema pattern does not take precedence: this says which resource
/// type an ARN names (`sqs`, no resource prefix; `ssm` `parameter/`), not which region and
/// account it may have, so an ARN with a wildcard or an empty account still fits.
pub fn own_arn_shape(
    carrying: &BTreeMap<String, BTreeSet<String>>,
    templates: &BTreeMap<String, String>,
    format: &str,
) -> Option<String> {
    if !crate::any_arn::is_arn_format(format) {
        return None;
    }
    let type_name = own_arn(format)?;
    let template = templates.get(type_name)?;
    if SERVICE_ONLY.iter().any(|(t, _)| *t == type_name) {
        let (service, _, _) = template_parts(template)?;
        return Some(format!("{ARN_SERVICE_START}{service}:[^:]*:[^:]*:.+"));
    }
    template_fits(template, carrying.get(format))
        .then(|| from_template(template))
        .flatten()
}

/// The `OWN_ARN_SHAPES` section: one `(format, pattern)` row per own-ARN kind of `kinds`
/// with an [`own_arn_shape`], sorted by format.
fn own_arn_section(
    carrying: &BTreeMap<String, BTreeSet<String>>,
    kinds: &BTreeMap<String, String>,
    templates: &BTreeMap<String, String>,
) -> String {
    let rows: BTreeMap<&str, String> = kinds
        .values()
        .flat_map(|f| f.split(crate::unions::SEPARATOR))
        .filter_map(|f| Some((f, own_arn_shape(carrying, templates, f)?)))
        .collect();
    let mut table = crate::text_table::TextTable::new();
    for (format, pattern) in &rows {
        table.row(&[format, pattern]);
    }
    table.emit(
        "OWN_ARN_SHAPES",
        2,
        "The service and resource prefix of each kind that is its resource's own ARN, by\nformat (sorted): `[format, pattern]`, from its type's ARN template in the AWS service\nspec, whatever its schema pattern says of region and account. Written by nephos-codegen\n(`dsl/codegen/src/kind_shapes.rs`, `own_arn_shape`); read by the grant targets\n(`constructs::grants::target`), which check that a literal ARN names the grant's resource type.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> BTreeMap<String, Value> {
        let role = serde_json::json!({
            "properties": {
                "Arn": {"type": "string", "pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"},
                "Name": {"$ref": "#/definitions/Name"},
                "Endpoint": {"$ref": "#/definitions/Endpoint"},
                "Free": {"type": "string", "pattern": "(?s).*"},
                "RoleName": {"type": "string", "format": "AWS::X::Role.Title", "pattern": "^[A-Z]"}
            },
            "definitions": {
                "Name": {"type": "string", "pattern": "^[a-z]+$"},
                "Endpoint": {"properties": {"Address": {"pattern": "^[a-z.]+$"}}}
            }
        });
        [("AWS::X::Role".to_string(), role)].into_iter().collect()
    }

    #[test]
    fn schema_patterns_are_found_through_refs_and_nested_attributes() {
        let s = schemas();
        assert_eq!(
            shape(&s, &BTreeMap::new(), "AWS::X::Role.Name"),
            Some(("^[a-z]+$".to_string(), FROM_SCHEMA))
        );
        assert_eq!(
            shape(&s, &BTreeMap::new(), "AWS::X::Role.Endpoint.Address").map(|x| x.0),
            Some("^[a-z.]+$".to_string())
        );
        assert_eq!(
            shape(&s, &BTreeMap::new(), "AWS::X::Role.Arn").map(|x| x.1),
            Some(FROM_SCHEMA)
        );
        assert_eq!(
            shape(&s, &BTreeMap::new(), "AWS::X::Role.Title").map(|x| x.0),
            Some("^[A-Z]".to_string())
        );
    }

    #[test]
    fn arn_kinds_without_a_pattern_take_the_arn_syntax_and_free_text_gives_nothing() {
        let s = schemas();
        assert_eq!(
            shape(&s, &BTreeMap::new(), "AWS::X::Queue.Arn"),
            Some((ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX))
        );
        assert_eq!(shape(&s, &BTreeMap::new(), "AWS::X::Queue.Url"), None);
        assert_eq!(shape(&s, &BTreeMap::new(), "AWS::X::Role.Free"), None);
        assert_eq!(
            shape(&s, &BTreeMap::new(), crate::any_arn::ANY_ARN_FORMAT).map(|x| x.1),
            Some(FROM_ARN_SYNTAX)
        );
        let re = fancy_regex::Regex::new(ARN_SYNTAX).unwrap();
        let admits = |t: &str| re.is_match(t).unwrap();
        assert!(admits("arn:aws:s3:::bucket"));
        assert!(admits("arn:aws:iam::123456789012:role/ops"));
        assert!(!admits("my-role"));
        assert!(!admits("arn:aws:sqs"));
    }

    #[test]
    fn properties_taking_a_kind_give_its_prefix_or_arn_service_when_they_agree() {
        let set = |ps: &[&str]| ps.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>();
        // Lambda `VpcConfig.SubnetIds`-style patterns; one names nothing.
        let subnet = set(&[
            "^subnet-[0-9a-f]{8,40}$",
            "^(subnet-[0-9a-f]{8})$",
            "^\\S+$",
        ]);
        let (shape, from) = carried("AWS::EC2::Subnet.Id", &subnet).unwrap();
        assert_eq!((shape.as_str(), from), ("^subnet-", FROM_PROPERTIES));
        let re = fancy_regex::Regex::new(&shape).unwrap();
        assert!(!re.is_match("sg-0123456789abcdef0").unwrap());
        // One pattern is no agreement; two that disagree are none.
        assert_eq!(carried("AWS::EC2::Subnet.Id", &set(&["^subnet-x$"])), None);
        assert_eq!(
            carried(
                "AWS::EC2::Subnet.Id",
                &set(&["^subnet-x$", "^sub-y$", "^subnet-z"])
            ),
            None
        );
        assert_eq!(
            carried("AWS::EC2::Subnet.Id", &set(&["^s?x-", "^(a|b)", "[a-z]"])),
            None
        );
        let kms = set(&[
            "^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$",
            "^arn:(aws|aws-cn):kms:.*$",
            "^arn:aws([a-z0-9\\-]+)?:([a-zA-Z0-9\\-]+):.*$",
        ]);
        let (shape, _) = carried("AWS::KMS::Key.Arn", &kms).unwrap();
        let re = fancy_regex::Regex::new(&shape).unwrap();
        assert!(
            re.is_match("arn:aws:kms:us-east-1:123456789012:key/1")
                .unwrap()
        );
        assert!(!re.is_match("arn:aws:s3:::b").unwrap());
    }

    #[test]
    fn an_own_arn_takes_its_template_s_service_and_resource_prefix() {
        let templates: BTreeMap<String, String> = [
            (
                "AWS::X::Group",
                "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
            ),
            (
                "AWS::X::Topic",
                "arn:${Partition}:sns:${Region}:${Account}:${TopicName}",
            ),
            (
                "AWS::X::Odd",
                "arn:${Partition}:${Service}:${Region}:${Account}:x",
            ),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let s = schemas();
        let (group, from) = shape(&s, &templates, "AWS::X::Group.Arn").unwrap();
        assert_eq!(
            (group.as_str(), from),
            (
                "^arn:[^:]+:logs:[^:]*:[^:]*:log-group:.+",
                FROM_ARN_TEMPLATE
            )
        );
        let (topic, _) = shape(&s, &templates, "AWS::X::Topic.TopicArn").unwrap();
        let re = |p: &str| fancy_regex::Regex::new(p).unwrap();
        assert!(
            re(&topic)
                .is_match("arn:aws:sns:eu-west-1:111122223333:orders")
                .unwrap()
        );
        // Another service's ARN, the finding this closes: an SQS queue's ARN as a topic's.
        assert!(
            !re(&topic)
                .is_match("arn:aws:sqs:eu-west-1:111122223333:orders")
                .unwrap()
        );
        assert!(
            re(&group)
                .is_match("arn:aws:logs:eu-west-1:111122223333:log-group:/a/b:*")
                .unwrap()
        );
        assert!(
            !re(&group)
                .is_match("arn:aws:logs:eu-west-1:111122223333:destination:d")
                .unwrap()
        );
        // Another attribute of the type may be another service's ARN: the ARN syntax only.
        assert_eq!(
            shape(&s, &templates, "AWS::X::Topic.OutpostArn").map(|x| x.1),
            Some(FROM_ARN_SYNTAX)
        );
        // A template whose service is a variable gives nothing.
        assert_eq!(
            shape(&s, &templates, "AWS::X::Odd.Arn").map(|x| x.1),
            Some(FROM_ARN_SYNTAX)
        );
        assert_eq!(
            from_template("arn:${Partition}:s3:::${BucketName}").as_deref(),
            Some("^arn:[^:]+:s3:[^:]*:[^:]*:.+")
        );
        assert_eq!(
            from_template("arn:${Partition}:a:${Region}:${Account}:x.y/${Id}").as_deref(),
            Some("^arn:[^:]+:a:[^:]*:[^:]*:x\\.y/.+")
        );
    }

    #[test]
    fn a_template_loses_only_to_a_property_requiring_another_resource_prefix() {
        let user = |p: &str| {
            serde_json::json!({"properties": {
                "A": {"type": "string", "format": "AWS::K::Key.Arn", "pattern": p},
                "B": {"type": "string", "format": "AWS::K::Key.Arn", "pattern": p.trim_end_matches('$')}
            }})
        };
        let templates: BTreeMap<String, String> = [(
            "AWS::K::Key".to_string(),
            "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}".to_string(),
        )]
        .into_iter()
        .collect();
        let with = |p: &str| -> BTreeMap<String, Value> {
            [("AWS::K::User".to_string(), user(p))]
                .into_iter()
                .collect()
        };
        let template_of = |p: &str| shape(&with(p), &templates, "AWS::K::Key.Arn").unwrap();
        // The properties take alias ARNs too (or any KMS ARN): that is their breadth, not
        // the key ARN's shape. The template stands and refuses an alias ARN (atk13b F5).
        for broad in [
            "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$",
            "arn:aws:kms:.*:[0-9]+:.*",
            "^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/?.+$",
            "^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key\\/.+$",
        ] {
            let (shape_, from) = template_of(broad);
            assert_eq!(from, FROM_ARN_TEMPLATE, "{broad}");
            let re = fancy_regex::Regex::new(&shape_).unwrap();
            assert!(
                !re.is_match("arn:aws:kms:us-east-1:123456789012:alias/x")
                    .unwrap()
            );
            assert!(
                re.is_match("arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234")
                    .unwrap()
            );
        }
        // The properties require `key/` themselves: the template stands.
        assert_eq!(
            template_of("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$").1,
            FROM_ARN_TEMPLATE
        );
        // A pattern naming another service says nothing about the resource part.
        assert_eq!(template_of("^arn:aws:s3:::.+$").1, FROM_ARN_TEMPLATE);
        // Patterns requiring another resource prefix of the same service: the real ARNs
        // do not start with the template's, so its service only.
        let (shape_, from) = template_of("^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:keys/.+$");
        assert_eq!(from, FROM_ARN_SERVICE);
        assert!(
            fancy_regex::Regex::new(&shape_)
                .unwrap()
                .is_match("arn:aws:kms:us-east-1:123456789012:keys/x")
                .unwrap()
        );
    }

    #[test]
    fn a_type_whose_template_prefix_is_not_every_real_arn_s_takes_the_service_only() {
        let templates: BTreeMap<String, String> = [(
            "AWS::NetworkFirewall::RuleGroup".to_string(),
            "arn:${Partition}:network-firewall:${Region}:${Account}:stateful-rulegroup/${Name}"
                .to_string(),
        )]
        .into_iter()
        .collect();
        let (shape_, from) = shape(
            &BTreeMap::new(),
            &templates,
            "AWS::NetworkFirewall::RuleGroup.Arn",
        )
        .unwrap();
        assert_eq!(from, FROM_ARN_SERVICE);
        let re = fancy_regex::Regex::new(&shape_).unwrap();
        assert!(
            re.is_match("arn:aws:network-firewall:us-east-1:123456789012:stateless-rulegroup/r")
                .unwrap()
        );
        assert!(
            !re.is_match("arn:aws:dynamodb:us-east-1:123456789012:table/t")
                .unwrap()
        );
    }

    #[test]
    fn union_members_each_get_a_row() {
        let s = schemas();
        let kinds: BTreeMap<String, String> = [(
            "U".to_string(),
            "AWS::X::Role.Arn | AWS::X::Role.Name".to_string(),
        )]
        .into_iter()
        .collect();
        let text = section(&s, &kinds, &BTreeMap::new());
        // One row each, the name's pattern the schema's (its source text is the first row's).
        assert!(text.contains("\"AWS::X::Role.Arn\""));
        assert!(text.contains("\"AWS::X::Role.Name\", \"^[a-z]+$\""));
        assert_eq!(text.matches("\n    [(").count(), 2, "{text}");
    }
}
