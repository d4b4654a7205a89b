//! The ID-kind rules (issue 13, atk13d F1): a string property (or list of them) that no
//! other rule types but that takes a subnet, security group or VPC ID, a KMS key or a hosted
//! zone ID. Left `Str`, it takes any typed value: a VPC's ID compiled as an Auto Scaling
//! group's subnet, and the one-VPC check (`crate::networks`, read from the kinds) never saw it.
//!
//! Two rules, both given after every other source of a kind (format, correction, supplement,
//! same-name, the ARN-pattern and ARN-name rules) and only to a plain string, so a property
//! already typed keeps its kind and an `...Arn` name is the ARN-name rule's:
//!
//! - By pattern ([`id_prefix`]): the property's own registry `pattern` is anchored and every
//!   text it admits starts with one ID prefix (`^vpc-(([0-9a-z]{8})|([0-9a-z]{17}))$`: `vpc-`).
//!   The prefix names the kind whose literal shape (`crate::kind_shapes`, the same data
//!   `Value::literal` checks: `AWS::EC2::VPC.Id` is `^vpc-`) starts with it, when that shape
//!   is evidence of a cross-service ID and no other kind has the prefix ([`prefixes`]):
//!   today `subnet-`, `sg-`, `vpc-` and `ami-`. A prefix two kinds share (`vpce-`:
//!   OpenSearch Serverless's endpoint and Transfer's `VpcEndpointId`), one only another
//!   attribute has (`i-`), or one only a type's own schema gives its ID (`p-`, `g-`: other
//!   services' IDs share them) is no evidence: left plain.
//! - By name ([`ID_NAMES_FILE`]): the reviewed decisions for the properties whose name says
//!   such an ID (`VPCZoneIdentifier`, `...SubnetIds`, `...SecurityGroups`, `...KmsKeyId`,
//!   `HostedZoneId`; listed by `dsl/codegen/scripts/id_named_strings.py`), each typed entry
//!   with its kind and the registry description or AWS page that says what the property
//!   takes. A KMS property takes the union its source lists (key ID, key ARN, alias name:
//!   `KmsAliasNameOrKeyArnOrId`), not a guess. An entry that types nothing (another rule
//!   types the property, or it has no setter) stops the build: it must be reviewed.

use super::*;

/// The reviewed decisions of the ID-name rule, relative to the workspace root.
pub const ID_NAMES_FILE: &str = "dsl/codegen/data/id_named_kinds.json";

/// The key [`mark`] writes on a schema node a typed entry names: `{"formats": ..,
/// "pointer": ..}`, read by the field builder.
pub const ID_KEY: &str = "x-nephos-id-kind";

/// One typed entry: the property at `pointer` takes one of `formats`, as `source` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdName {
    /// JSON pointer to the property in the type's schema.
    pub pointer: String,
    /// The kinds it takes (one, or the members of a union).
    pub formats: Vec<String>,
    /// Where the decision comes from (the registry description, an AWS page).
    pub source: String,
}

/// Loads the typed entries of [`ID_NAMES_FILE`] below `root`, by type name.
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks a field or names a format that is
/// no resource attribute.
pub fn load(root: &std::path::Path) -> Result<BTreeMap<String, Vec<IdName>>, String> {
    let path = root.join(ID_NAMES_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// [`load`] from the file's text.
///
/// # Errors
/// See [`load`].
pub fn parse(text: &str) -> Result<BTreeMap<String, Vec<IdName>>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("typed")
        .and_then(Value::as_array)
        .ok_or("no `typed` list")?;
    let mut out: BTreeMap<String, Vec<IdName>> = BTreeMap::new();
    for e in entries {
        let field = |k: &str| {
            e.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("an entry lacks `{k}`: {e}"))
        };
        let (type_name, pointer, source) = (field("type")?, field("pointer")?, field("source")?);
        let formats: Vec<String> = e
            .get("formats")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if formats.is_empty() || formats.iter().any(|f| format_kind(f).is_none()) {
            return Err(format!(
                "{type_name} {pointer}: `formats` must name resource attributes"
            ));
        }
        out.entry(type_name).or_default().push(IdName {
            pointer,
            formats,
            source,
        });
    }
    Ok(out)
}

/// `schema` with [`ID_KEY`] on the node of each of `entries`.
///
/// # Errors
/// An entry's pointer names no node of the schema.
pub fn mark(type_name: &str, mut schema: Value, entries: &[IdName]) -> Result<Value, String> {
    for e in entries {
        let node = schema
            .pointer_mut(&e.pointer)
            .and_then(Value::as_object_mut)
            .ok_or_else(|| {
                format!(
                    "{type_name}: {ID_NAMES_FILE} names {}, which the schema lacks",
                    e.pointer
                )
            })?;
        node.insert(
            ID_KEY.to_string(),
            serde_json::json!({
                "formats": e.formats.join(crate::unions::SEPARATOR),
                "pointer": e.pointer,
            }),
        );
    }
    Ok(schema)
}

/// The ID prefix every text `pattern` admits starts with: the pattern is anchored at the
/// start (in every alternative) and the literal prefixes `regex-syntax` extracts from it
/// share a common start, cut after its last `-` (`^sg-([a-f0-9]{8}|[a-f0-9]{17})$` ->
/// `sg-`). `None` for an unanchored pattern, one the parser cannot read, one admitting an
/// alternative form (`^sg-..|\$.*`), a prefix without `-` or with other than lower-case
/// letters, digits and `-`, or an ARN.
pub fn id_prefix(pattern: &str) -> Option<String> {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let rust = crate::ecma::translate(pattern).ok()?.replace("(?>", "(?:");
    let hir = regex_syntax::Parser::new().parse(&rust).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let lits = seq.literals()?;
    let first = lits.first()?.as_bytes();
    let common = lits.iter().fold(first.len(), |n, l| {
        first
            .iter()
            .zip(l.as_bytes())
            .take(n)
            .take_while(|(a, b)| a == b)
            .count()
    });
    let common = std::str::from_utf8(&first[..common]).ok()?;
    let prefix = &common[..=common.rfind('-')?];
    let plain = prefix
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (plain && prefix.len() >= 2 && !prefix.starts_with("arn")).then(|| prefix.to_string())
}

/// Whether the kind `format` is its resource's own ID: the attribute `Id` or `Ref`, or the
/// resource's name and `Id` (`AWS::EC2::VPC.Id`, `AWS::Grafana::Workspace.Id`), not another
/// resource's ID one of its attributes repeats (`AWS::Transfer::WebApp.VpcEndpointId`).
pub fn own_id(format: &str) -> bool {
    let Some((type_name, attribute)) = format.split_once('.') else {
        return false;
    };
    let resource = type_name.rsplit("::").next().unwrap_or_default();
    attribute == "Id"
        || attribute == "Ref"
        || attribute
            .strip_suffix("Id")
            .is_some_and(|r| r.eq_ignore_ascii_case(resource))
}

/// The prefix -> kind map of the pattern rule. A kind is a candidate when its prefix is
/// evidence of a cross-service ID: its literal shape (`crate::kind_shapes::shape_with`) is
/// the prefix the patterns of the properties taking it agree on
/// (`kind_shapes::FROM_PROPERTIES`: `^subnet-`, `^sg-`, `^vpc-`), or cfn-lint checks the
/// format with a pattern of its own (`lint`, `crate::lint_formats`). A prefix is kept when
/// that kind is its resource's own ID ([`own_id`]) and no other kind's shape, of any
/// source, nor cfn-lint pattern has it: a prefix one type's own schema gives its ID (`p-`
/// for an Organizations policy, `g-` for a Grafana workspace) says nothing of other
/// services, whose IDs may share it (a Transfer profile is `p-`, a Neptune Analytics graph
/// `g-`), so such kinds are no candidates.
pub fn prefixes<'f>(
    schemas: &BTreeMap<String, Value>,
    templates: &BTreeMap<String, String>,
    lint: &'f BTreeMap<String, crate::lint_formats::LintFormat>,
    formats: impl IntoIterator<Item = &'f str>,
) -> BTreeMap<String, String> {
    let carrying = crate::kind_shapes::carrying_patterns(schemas);
    let mut by_prefix: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut strong = BTreeSet::new();
    let formats: BTreeSet<&str> = formats
        .into_iter()
        .chain(lint.keys().map(String::as_str))
        .collect();
    for format in formats {
        if crate::unions::is_union(format) || crate::any_arn::is_arn_format(format) {
            continue;
        }
        let shape = crate::kind_shapes::shape_with(schemas, &carrying, templates, format);
        if let Some((shape, from)) = &shape
            && let Some(prefix) = id_prefix(shape)
        {
            if *from == crate::kind_shapes::FROM_PROPERTIES {
                strong.insert(format.to_string());
            }
            by_prefix
                .entry(prefix)
                .or_default()
                .insert(format.to_string());
        }
        if let Some(prefix) = lint.get(format).and_then(|l| id_prefix(&l.pattern)) {
            strong.insert(format.to_string());
            by_prefix
                .entry(prefix)
                .or_default()
                .insert(format.to_string());
        }
    }
    by_prefix
        .into_iter()
        .filter_map(|(prefix, formats)| {
            let only = formats.into_iter().collect::<Vec<_>>();
            match &only[..] {
                [one] if own_id(one) && strong.contains(one) => Some((prefix, one.clone())),
                _ => None,
            }
        })
        .collect()
}

impl<'a> Builder<'a> {
    /// `ty`, or the ID kind of a plain string (or list of them): by its own pattern's
    /// prefix ([`prefixes`]), else by a reviewed name entry ([`ID_KEY`], recorded as used).
    pub(super) fn id_kind_ty(&mut self, node: &Value, ty: Ty) -> Ty {
        let plain = |t: &Ty| match t {
            Ty::Str => true,
            Ty::List(item) => **item == Ty::Str,
            _ => false,
        };
        if !plain(&ty) {
            return ty;
        }
        let ty = self.id_pattern_ty(node, ty);
        if !plain(&ty) {
            return ty;
        }
        let Some(entry) = node.get(ID_KEY) else {
            return ty;
        };
        if let Some(pointer) = entry.get("pointer").and_then(Value::as_str) {
            self.id_used.insert(pointer.to_string());
        }
        match entry.get("formats").and_then(Value::as_str) {
            Some(formats) => self.with_format(ty, formats),
            None => ty,
        }
    }

    /// The pattern rule of [`Builder::id_kind_ty`]: a list by its items' pattern.
    fn id_pattern_ty(&mut self, node: &Value, ty: Ty) -> Ty {
        let pattern = node
            .get("pattern")
            .or_else(|| self.deref(node).get("pattern"))
            .and_then(Value::as_str);
        match ty {
            Ty::Str => match pattern
                .and_then(id_prefix)
                .and_then(|p| self.id_prefixes.get(&p))
            {
                Some(format) => {
                    let format = format.clone();
                    self.with_format(Ty::Str, &format)
                }
                None => Ty::Str,
            },
            Ty::List(item) if *item == Ty::Str => {
                let items = self.deref(node).get("items").unwrap_or(&Value::Null);
                let items = if items.get("pattern").is_some() {
                    items
                } else {
                    self.deref(items)
                };
                Ty::List(Box::new(self.id_pattern_ty(items, Ty::Str)))
            }
            other => other,
        }
    }
}

/// An entry of `type_name` in `entries` that typed nothing (`used`: the pointers the field
/// builder recorded), as the build error that asks for its review.
pub fn idle(type_name: &str, entries: &[IdName], used: &BTreeSet<String>) -> Result<(), String> {
    match entries.iter().find(|e| !used.contains(&e.pointer)) {
        Some(e) => Err(format!(
            "{type_name}: the ID-name entry at {} types no property (another rule types it, \
             or it has no setter: review {ID_NAMES_FILE})",
            e.pointer
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_anchored_pattern_gives_the_id_prefix_every_text_starts_with() {
        for (pattern, prefix) in [
            ("^vpc-(([0-9a-z]{8})|([0-9a-z]{17}))$", "vpc-"),
            ("^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$", "sg-"),
            ("^(sg-([0-9a-f]{8}|[0-9a-f]{17}))$", "sg-"),
            ("^subnet-[0-9a-fA-F]{8,}$", "subnet-"),
            ("^vpce-[0-9a-f]{8,17}$", "vpce-"),
            ("^tgw-attach-[0-9a-z]+$", "tgw-attach-"),
            ("^vpc-\\S+", "vpc-"),
            ("^subnet-", "subnet-"),
        ] {
            assert_eq!(id_prefix(pattern).as_deref(), Some(prefix), "{pattern}");
        }
        for none in [
            // Unanchored: JSON Schema's `pattern` matches anywhere.
            "vpc-[0-9a-z]+",
            // Pipes: `sg-...` or a JSONPath.
            "^sg-[0-9a-zA-Z]*|(\\$(\\.[\\w/_-]+(\\[(\\d+|\\*)\\])*)*)$",
            // Two prefixes, no common one; free text; an ARN; no `-`.
            "^(vpc|subnet)-[0-9a-f]+$",
            "^[a-zA-Z0-9:/_-]*$",
            "^arn:aws:ec2:.+$",
            "^alias/.+$",
            "(?s).*",
        ] {
            assert_eq!(id_prefix(none), None, "{none}");
        }
    }

    #[test]
    fn own_ids_are_the_resource_s_id_not_another_s() {
        assert!(own_id("AWS::EC2::VPC.Id"));
        assert!(own_id("AWS::Grafana::Workspace.Id"));
        assert!(own_id("AWS::X::Widget.WidgetId"));
        assert!(own_id("AWS::X::Widget.Ref"));
        assert!(!own_id("AWS::Transfer::WebApp.VpcEndpointId"));
        assert!(!own_id("AWS::EC2::SqlHaStandbyDetectedInstance.InstanceId"));
    }

    fn schemas() -> BTreeMap<String, Value> {
        // Two properties of other types carry the VPC kind with `^vpc-`: the kind's shape is
        // that prefix (`kind_shapes::FROM_PROPERTIES`). A policy's own schema gives its ID
        // `^p-`; two types' own IDs share `^d-`.
        let user = json!({"properties": {
            "A": {"type": "string", "format": "AWS::EC2::VPC.Id", "pattern": "^vpc-[0-9a-f]{8}$"},
            "B": {"type": "string", "format": "AWS::EC2::VPC.Id", "pattern": "^vpc-[0-9a-f]{17}$"},
            "C": {"type": "string", "format": "AWS::Org::Policy.Id", "pattern": "^p-[a-z]+$"}
        }});
        let policy =
            json!({"properties": {"Id": {"type": "string", "pattern": "^p-[0-9a-z]{8}$"}}});
        let d1 = json!({"properties": {"Id": {"type": "string", "pattern": "^d-[0-9a-f]{10}$"}}});
        let d2 = json!({"properties": {"Id": {"type": "string", "pattern": "^d-[0-9a-f]{10}$"}}});
        [
            ("AWS::X::User", user),
            ("AWS::Org::Policy", policy),
            ("AWS::Dir::One", d1),
            ("AWS::Dir::Two", d2),
        ]
        .into_iter()
        .map(|(t, s)| (t.to_string(), s))
        .collect()
    }

    #[test]
    fn prefixes_come_from_cross_service_shapes_and_cfn_lint_only() {
        let lint: BTreeMap<String, crate::lint_formats::LintFormat> = [(
            "AWS::EC2::Subnet.Id".to_string(),
            crate::lint_formats::LintFormat {
                rule: "E1154".into(),
                pattern: "^subnet-(([0-9A-Fa-f]{8})|([0-9A-Fa-f]{17}))$".into(),
            },
        )]
        .into_iter()
        .collect();
        let map = prefixes(
            &schemas(),
            &BTreeMap::new(),
            &lint,
            [
                "AWS::EC2::VPC.Id",
                "AWS::Org::Policy.Id",
                "AWS::Dir::One.Id",
                "AWS::Dir::Two.Id",
            ],
        );
        let expected: BTreeMap<String, String> = [
            ("subnet-", "AWS::EC2::Subnet.Id"),
            ("vpc-", "AWS::EC2::VPC.Id"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        // `p-` is only the policy's own schema pattern, `d-` two kinds': no evidence.
        assert_eq!(map, expected);
    }

    fn extras() -> Extras {
        Extras {
            id_prefixes: [
                ("vpc-".to_string(), "AWS::EC2::VPC.Id".to_string()),
                ("subnet-".to_string(), "AWS::EC2::Subnet.Id".to_string()),
            ]
            .into_iter()
            .collect(),
            ..Extras::default()
        }
    }

    fn ty(m: &ResourceModel, name: &str) -> Ty {
        m.fields
            .iter()
            .find(|f| f.name == name)
            .expect("field")
            .ty
            .clone()
    }

    /// The rules type a plain string by its pattern's prefix or a reviewed name entry, after
    /// every other rule (a typed property keeps its kind), and an entry typing nothing stops
    /// the build.
    #[test]
    fn plain_strings_take_the_id_kind_of_their_prefix_or_reviewed_name() {
        let schema = json!({"properties": {
            "VpcIdentifier": {"type": "string", "pattern": "^vpc-(([0-9a-z]{8})|([0-9a-z]{17}))$"},
            "Subnets": {"type": "array", "items": {"type": "string", "pattern": "^subnet-[0-9a-z]+$"}},
            "Endpoint": {"type": "string", "pattern": "^vpce-[0-9a-z]+$"},
            "Typed": {"type": "string", "format": "AWS::EC2::Subnet.Id", "pattern": "^vpc-x$"},
            "VPCZoneIdentifier": {"type": "array", "items": {"type": "string"}},
            "KmsKey": {"type": "string"},
            "Other": {"type": "string"}
        }});
        let mut extras = extras();
        let entry = |pointer: &str, formats: &[&str]| IdName {
            pointer: pointer.into(),
            formats: formats.iter().map(|f| f.to_string()).collect(),
            source: "test".into(),
        };
        extras.id_names.insert(
            "AWS::Test::Thing".into(),
            vec![
                entry("/properties/VPCZoneIdentifier", &["AWS::EC2::Subnet.Id"]),
                entry(
                    "/properties/KmsKey",
                    &[
                        "AWS::KMS::Alias.AliasName",
                        "AWS::KMS::Key.Arn",
                        "AWS::KMS::Key.Id",
                    ],
                ),
            ],
        );
        let m = build("AWS::Test::Thing", &schema, &extras).expect("builds");
        let kind = |k: &str| Ty::Kind(k.into());
        let list = |k: &str| Ty::List(Box::new(kind(k)));
        assert_eq!(ty(&m, "VpcIdentifier"), kind("Ec2VpcId"));
        assert_eq!(ty(&m, "Subnets"), list("Ec2SubnetId"));
        assert_eq!(ty(&m, "VPCZoneIdentifier"), list("Ec2SubnetId"));
        assert_eq!(ty(&m, "KmsKey"), kind("KmsAliasNameOrKeyArnOrId"));
        // Another rule's kind stays; a prefix the map lacks and no entry leave plain strings.
        assert_eq!(ty(&m, "Typed"), kind("Ec2SubnetId"));
        assert_eq!(ty(&m, "Endpoint"), Ty::Str);
        assert_eq!(ty(&m, "Other"), Ty::Str);
        // The same-name rule's first pass (no generic kinds) types nothing.
        let plain = build_with("AWS::Test::Thing", &schema, &extras, false).expect("builds");
        assert_eq!(ty(&plain, "VpcIdentifier"), Ty::Str);
        assert_eq!(ty(&plain, "VPCZoneIdentifier"), Ty::List(Box::new(Ty::Str)));
        // An entry for a property another rule types, or one the schema lacks, stops the build.
        for (idle, formats) in [
            ("/properties/Typed", "AWS::EC2::Subnet.Id"),
            ("/properties/VpcIdentifier", "AWS::EC2::VPC.Id"),
        ] {
            extras
                .id_names
                .insert("AWS::Test::Thing".into(), vec![entry(idle, &[formats])]);
            let err = build("AWS::Test::Thing", &schema, &extras).unwrap_err();
            assert!(err.contains(idle) && err.contains("review"), "{err}");
        }
        extras.id_names.insert(
            "AWS::Test::Thing".into(),
            vec![entry("/properties/Gone", &["AWS::EC2::VPC.Id"])],
        );
        let err = build("AWS::Test::Thing", &schema, &extras).unwrap_err();
        assert!(err.contains("/properties/Gone"), "{err}");
    }

    #[test]
    fn the_decisions_file_parses_and_refuses_entries_without_evidence() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let all = load(&root).expect("loads");
        let n: usize = all.values().map(Vec::len).sum();
        assert!(n >= 30, "{n}");
        assert!(
            parse(r#"{"typed": [{"type": "AWS::A::B", "pointer": "/properties/X", "formats": ["AWS::EC2::VPC.Id"]}]}"#)
                .unwrap_err()
                .contains("source")
        );
        assert!(
            parse(r#"{"typed": [{"type": "AWS::A::B", "pointer": "/properties/X", "formats": ["nonsense"], "source": "s"}]}"#)
                .is_err()
        );
    }
}
