//! The `Ref` value and the `Fn::GetAtt` attributes of a type, with their kinds.

use super::*;

impl<'a> Builder<'a> {
    /// `TableName` on a `Table` -> `Name`, as cfn-lint's format names do.
    pub(super) fn stripped(&self, attr: &str) -> String {
        let joined: String = attr.split('.').map(pascal).collect();
        match joined.strip_prefix(&pascal(&self.resource)) {
            Some(rest)
                if !rest.is_empty() && rest.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                rest.to_string()
            }
            _ => joined,
        }
    }

    /// A `reference()` getter of the type's own `Ref` kind (`EventsRuleRef`), for a `Ref`
    /// that is no single property's value.
    pub(super) fn opaque_ref(&mut self, methods: &mut BTreeSet<String>) -> Attribute {
        let rust = format!("{}Ref", self.prefix);
        self.kinds
            .insert(rust.clone(), format!("{}.Ref", self.type_name));
        Attribute {
            name: String::new(),
            method: unique("reference".to_string(), methods),
            ty: Ty::Kind(rust),
        }
    }

    pub(super) fn attr_ty(&mut self, node: Option<&Value>, attr: &str) -> Option<Ty> {
        let types = node.map(type_list).unwrap_or_default();
        let string_kind = |b: &mut Self| {
            // An attribute whose schema lists several formats is any one of them: an EC2
            // security group's `Id` (what its `Ref` returns) is `anyOf` the group's ID and its
            // name, the name in a default VPC. Typing it by one member would let a name
            // reach a property that takes only IDs.
            if let Some(formats) = node.and_then(crate::unions::alternatives)
                && formats.len() > 1
                && let Some((rust, name)) = crate::unions::kind_of(&formats, "", None, &mut b.kinds)
            {
                b.kinds.insert(rust.clone(), name);
                return Ty::Kind(rust);
            }
            let format = node.and_then(|n| n.get("format")).and_then(Value::as_str);
            let (rust, name) = match format.and_then(|f| format_kind(f).map(|k| (f, k.0))) {
                Some((format, rust)) => (rust, format.to_string()),
                None => {
                    let stripped = b.stripped(attr);
                    (
                        format!("{}{stripped}", b.prefix),
                        format!("{}.{stripped}", b.type_name),
                    )
                }
            };
            b.kinds.entry(rust.clone()).or_insert(name);
            Ty::Kind(rust)
        };
        let has = |t: &str| types.contains(&t);
        Some(
            if node.is_some_and(|n| non_empty_object(n, "properties").is_some())
                || (has("object") && !has("string"))
            {
                Ty::Json
            } else if has("array") {
                let items = node.and_then(|n| n.get("items")).map(|i| self.deref(i));
                let item_types = items.map(type_list).unwrap_or_default();
                if item_types.contains(&"object")
                    || item_types.contains(&"array")
                    || items.is_some_and(|i| i.get("properties").is_some())
                {
                    return None;
                }
                // A list attribute's items keep the kind their format names (an ALB's
                // `SecurityGroups` are group IDs), as a list property's items do.
                let item_kind = items
                    .and_then(|i| i.get("format"))
                    .and_then(Value::as_str)
                    .and_then(|f| format_kind(f).map(|(rust, _)| (rust, f.to_string())));
                Ty::List(Box::new(match (item_types.first(), item_kind) {
                    (Some(&"integer"), _) => Ty::Int,
                    (Some(&"number"), _) => Ty::Num,
                    (Some(&"boolean"), _) => Ty::Bool,
                    (_, Some((rust, format))) => {
                        self.kinds.entry(rust.clone()).or_insert(format);
                        Ty::Kind(rust)
                    }
                    _ => Ty::Str,
                }))
            } else if types == ["integer"] {
                Ty::Int
            } else if types == ["number"] {
                Ty::Num
            } else if types == ["boolean"] {
                Ty::Bool
            } else {
                string_kind(self)
            },
        )
    }

    /// The scalar members of the object at dotted `path` (recursively; lists and maps are
    /// leaves), or nothing when it is no object with properties.
    pub(super) fn leaves(&self, path: &str, depth: usize, out: &mut BTreeSet<String>) {
        if depth > MAX_DEPTH || path.split('.').any(|seg| seg == "*") {
            return;
        }
        let Some(node) = self.node_at(&format!("/properties/{}", path.replace('.', "/"))) else {
            return;
        };
        let Some(props) = non_empty_object(node, "properties") else {
            return;
        };
        for name in props.keys() {
            let child = format!("{path}.{name}");
            let before = out.len();
            self.leaves(&child, depth + 1, out);
            if out.len() == before {
                out.insert(child);
            }
        }
    }

    /// The `Ref` value and the `Fn::GetAtt` attributes. `ref_property` names the property
    /// `Ref` returns per the AWS service spec (`crate::reference`), if it records one: when
    /// the primary identifier has several parts, `Ref` has that property's kind (so it is
    /// accepted wherever the property's value is); when the spec's answer differs from a
    /// single primary identifier, it wins. When the spec's answer has several parts
    /// (`composite`), `Ref` is none of them and gets an opaque kind of its own.
    pub(super) fn attributes(
        &mut self,
        extra: &[String],
        not_attributes: &BTreeSet<String>,
        ref_property: Option<&str>,
        composite: bool,
        gettable: Option<&BTreeSet<String>>,
    ) -> (Option<Attribute>, Vec<Attribute>) {
        let mut methods = BTreeSet::new();
        let ids = strings(self.schema.get("primaryIdentifier"));
        let reference = match &ids[..] {
            // `Ref` joins several properties (an EventBridge rule on a custom bus gives
            // `bus|name`): neither part's kind fits, and the primary identifier is not it
            // either, so that stays a `Fn::GetAtt` below.
            _ if composite => Some(self.opaque_ref(&mut methods)),
            // The service spec says `Ref` returns another property (an EventBridge rule's
            // `Name`, not its `Arn`): the getter of that property is the `Ref`; the primary
            // identifier stays only as a `Fn::GetAtt`, if gettable (see `crate::reference`).
            [_] if crate::reference::differs(&ids, ref_property) => {
                let prop = ref_property.unwrap_or_default();
                let node = self.node_at(&format!("/properties/{prop}"));
                self.attr_ty(node, prop).map(|ty| Attribute {
                    method: unique(snake(&self.stripped(prop)), &mut methods),
                    name: prop.to_string(),
                    ty,
                })
            }
            // The spec agrees, or records nothing: `Ref` returns the primary identifier.
            [one] => {
                let attr = one.trim_start_matches("/properties/").replace('/', ".");
                let node = self.node_at(one);
                self.attr_ty(node, &attr).map(|ty| Attribute {
                    method: unique(snake(&self.stripped(&attr)), &mut methods),
                    name: attr,
                    ty,
                })
            }
            _ if ref_property.is_some() => {
                let prop = ref_property.unwrap_or_default();
                let node = self.node_at(&format!("/properties/{prop}"));
                self.attr_ty(node, prop).map(|ty| Attribute {
                    name: String::new(),
                    method: unique("reference".to_string(), &mut methods),
                    ty,
                })
            }
            _ => Some(self.opaque_ref(&mut methods)),
        };
        let mut paths: BTreeSet<String> = self
            .read_only
            .iter()
            .map(|p| p.trim_start_matches("/properties/").replace('/', "."))
            .collect();
        paths.extend(extra.iter().cloned());
        paths.retain(|p| !not_attributes.contains(p));
        // An object-valued attribute is read through its members (`Endpoint.Address`), the
        // only names GetAtt accepts for most such objects; then only names the GetAtt table
        // holds remain (the object itself stays where the table accepts it).
        let mut leaves = BTreeSet::new();
        for p in &paths {
            self.leaves(p, 0, &mut leaves);
        }
        paths.extend(leaves);
        // GetAtt cannot index into a list: `Replicas.*.Arn` is no attribute name.
        paths.retain(|p| !p.split('.').any(|seg| seg == "*"));
        if let Some(gettable) = gettable {
            paths.retain(|p| gettable.contains(p));
        }
        let mut attributes = Vec::new();
        for attr in paths {
            // `Ref` already gives this value under the same getter name.
            if reference.as_ref().is_some_and(|r| r.name == attr) {
                continue;
            }
            let node = self.node_at(&format!("/properties/{}", attr.replace('.', "/")));
            let Some(ty) = self.attr_ty(node, &attr) else {
                continue;
            };
            let short = snake(&self.stripped(&attr));
            let method = if methods.contains(&short) {
                unique(snake(&attr), &mut methods)
            } else {
                unique(short, &mut methods)
            };
            attributes.push(Attribute {
                name: attr,
                method,
                ty,
            });
        }
        (reference, attributes)
    }
}
