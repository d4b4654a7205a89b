//! The Rust type of a schema node: nested structs, maps, lists, enums, typed string kinds
//! and unions, as the module documentation of `build` decides them.

use super::*;

impl<'a> Builder<'a> {
    pub(super) fn ty_of(
        &mut self,
        node: &Value,
        hint: &str,
        owner: &str,
        path: Option<String>,
    ) -> Ty {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let ty = self.ref_ty(r, hint, owner, path);
            // A format beside the `$ref` (Route 53's `AliasTarget.HostedZoneId`) says what
            // this use of a shared string definition refers to; alternatives beside it, any
            // one of several.
            if ty == Ty::Str
                && let Some(formats) = crate::unions::alternatives(node)
            {
                return self.union_ty(&formats, None).unwrap_or(ty);
            }
            return match node.get("format").and_then(Value::as_str) {
                Some(format) if matches!(ty, Ty::Str) => self.with_format(ty, format),
                _ => ty,
            };
        }
        let types = type_list(node);
        let has = |t: &str| types.contains(&t);
        if (types.is_empty() || types == ["string"])
            && let Some(ty) = crate::unions::alternatives(node).and_then(|f| {
                let pattern = node.get("pattern").and_then(Value::as_str);
                self.union_ty(&f, pattern)
            })
        {
            return ty;
        }
        if non_empty_object(node, "properties").is_some() && (types.is_empty() || has("object")) {
            let name = self.type_name_for(hint, owner);
            return Ty::Struct(self.struct_of(node, name, hint, path));
        }
        if let Some(merged) = self.merged_alternatives(node) {
            let name = self.type_name_for(hint, owner);
            return Ty::Struct(self.struct_of(&merged, name, hint, path));
        }
        let lone = |t: &str| types == [t] || (types.len() == 2 && has(t) && has("string"));
        // A string or a list of strings (AutoScaling's `TopicARN`): the list, which holds
        // every value the single string could.
        let list_or_item = types.len() == 2
            && has("array")
            && node
                .get("items")
                .map(type_list)
                .is_some_and(|item| types.iter().any(|t| *t != "array" && item == [*t]));
        if types == ["array"] || list_or_item || (types.is_empty() && node.get("items").is_some()) {
            let item = node.get("items").cloned().unwrap_or(Value::Null);
            let item_ty = if item.is_object() {
                self.ty_of(&item, hint, owner, path.map(|p| format!("{p}/*")))
            } else {
                Ty::Json
            };
            return Ty::List(Box::new(item_ty));
        }
        if has("object") || (types.is_empty() && node.get("patternProperties").is_some()) {
            if let Some(pp) = non_empty_object(node, "patternProperties") {
                let tys: BTreeSet<Ty> = pp
                    .values()
                    .map(|v| self.ty_of(v, hint, owner, path.as_ref().map(|p| format!("{p}/*"))))
                    .collect();
                let ty = if tys.len() == 1 {
                    tys.into_iter().next().unwrap_or(Ty::Json)
                } else {
                    Ty::Json
                };
                return Ty::Map(Box::new(ty));
            }
            if let Some(ap) = node
                .get("additionalProperties")
                .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
            {
                let path = path.map(|p| format!("{p}/*"));
                return Ty::Map(Box::new(self.ty_of(ap, hint, owner, path)));
            }
            return json_or_policy(hint);
        }
        if types == ["string"]
            || (types.is_empty()
                && node
                    .get("enum")
                    .is_some_and(|e| e.as_array().is_some_and(|a| a.iter().all(Value::is_string))))
        {
            return self.string_ty(node, hint, owner, path.as_deref());
        }
        if lone("integer") {
            return Ty::Int;
        }
        if lone("number") {
            return Ty::Num;
        }
        if lone("boolean") {
            return Ty::Bool;
        }
        if types.is_empty() && node.get("format").is_some() {
            return self.string_ty(node, hint, owner, path.as_deref());
        }
        if types.is_empty()
            && let Some(ty) = self.structured_alternative(node, hint, owner)
        {
            return ty;
        }
        json_or_policy(hint)
    }

    /// `oneOf`/`anyOf` of one structured shape and a JSON fallback (DynamoDB's `KeySchema`
    /// also accepts a JSON string): the structured shape.
    pub(super) fn structured_alternative(
        &mut self,
        node: &Value,
        hint: &str,
        owner: &str,
    ) -> Option<Ty> {
        let alternatives = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|a| (2..=3).contains(&a.len()))?;
        let json_only = |v: &Value| {
            let t = type_list(v);
            v.get("$ref").is_none()
                && non_empty_object(v, "properties").is_none()
                && (t.contains(&"object")
                    || v.get("format").and_then(Value::as_str) == Some("json"))
        };
        let structured: Vec<&Value> = alternatives.iter().filter(|a| !json_only(a)).collect();
        match structured[..] {
            [one] if structured.len() < alternatives.len() => {
                Some(self.ty_of(one, hint, owner, None)).filter(|t| *t != Ty::Json)
            }
            _ => None,
        }
    }

    /// An object given only as `oneOf`/`anyOf` alternatives that each have properties
    /// (S3's `TargetObjectKeyFormat`): one struct with every alternative's properties, all
    /// optional; which combination is valid is left to the schema check at deploy.
    pub(super) fn merged_alternatives(&self, node: &Value) -> Option<Value> {
        if non_empty_object(node, "properties").is_some() {
            return None;
        }
        let types = type_list(node);
        if !(types.is_empty() || types == ["object"]) {
            return None;
        }
        let alternatives = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())?;
        let mut properties = serde_json::Map::new();
        for alt in alternatives {
            let alt = self.deref(alt);
            for (k, v) in non_empty_object(alt, "properties")? {
                properties.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Some(serde_json::json!({"type": "object", "properties": properties}))
    }

    pub(super) fn ref_ty(
        &mut self,
        reference: &str,
        hint: &str,
        owner: &str,
        path: Option<String>,
    ) -> Ty {
        let Some(target) = self.pointer(reference) else {
            return Ty::Json;
        };
        let Some(def) = reference
            .strip_prefix("#/definitions/")
            .filter(|d| !d.contains('/'))
        else {
            return self.ty_of(target, hint, owner, path);
        };
        // A use with read-only properties below it has a type of its own (without their
        // setters), memoised by where it is; every other use shares the definition's type.
        let memo = match path.as_deref() {
            Some(p) if self.no_setter.below(p) => {
                format!("{def}@{}", crate::read_only::ReadOnly::key(p))
            }
            _ => def.to_string(),
        };
        if let Some(ty) = self.defs.get(&memo) {
            return match ty {
                Ty::Json => json_or_policy(hint),
                other => other.clone(),
            };
        }
        let types = type_list(target);
        if non_empty_object(target, "properties").is_some()
            && (types.is_empty() || types.contains(&"object"))
        {
            // A type of its own for one use takes its owner's name as a prefix when other
            // uses share the definition, so the shared type keeps the definition's name.
            let name = if memo != def && crate::read_only::shared(self.schema, reference) {
                let own = unique(format!("{}{}", pascal(owner), pascal(def)), &mut self.taken);
                self.own_types.push((own.clone(), pascal(def)));
                own
            } else {
                self.type_name_for(def, owner)
            };
            // Memoised before the fields are read, so a recursive definition refers to itself.
            self.defs.insert(memo.clone(), Ty::Struct(name.clone()));
            let name = self.struct_of(target, name, def, path);
            self.defs.insert(memo, Ty::Struct(name.clone()));
            return Ty::Struct(name);
        }
        self.defs.insert(memo.clone(), Ty::Json);
        let hint_for = if target.get("enum").is_some() {
            def
        } else {
            hint
        };
        let ty = self.ty_of(target, hint_for, owner, path);
        // What an alias resolves to depends on the property name only for JSON.
        let alias = if ty == Ty::Policy {
            Ty::Json
        } else {
            ty.clone()
        };
        self.defs.insert(memo, alias);
        ty
    }

    /// A free type name for a nested type: the schema name, else prefixed by its owner.
    pub(super) fn type_name_for(&mut self, base: &str, owner: &str) -> String {
        let plain = pascal(base);
        if !self.taken.contains(&plain) {
            self.taken.insert(plain.clone());
            return plain;
        }
        unique(format!("{}{plain}", pascal(owner)), &mut self.taken)
    }

    pub(super) fn struct_of(
        &mut self,
        node: &Value,
        name: String,
        schema_name: &str,
        path: Option<String>,
    ) -> String {
        let slot = self.structs.len();
        self.structs.push(None);
        let read_only_below = path.as_deref().is_some_and(|p| self.no_setter.below(p));
        let fields = self.fields_of(node, &name, &format!("{schema_name}."), path);
        // Every member read-only: the object is output only, like its members.
        if fields.is_empty() && read_only_below {
            self.structs.remove(slot);
            self.output_only.insert(name.clone());
            return name;
        }
        // The same shape written out twice (inline and as a definition) is one type.
        let twin = self
            .structs
            .iter()
            .flatten()
            .find(|s| s.schema_name == schema_name && s.fields == fields);
        if let Some(twin) = twin {
            let twin = twin.name.clone();
            self.structs.remove(slot);
            self.taken.remove(&name);
            return twin;
        }
        self.structs[slot] = Some(StructDef {
            name: name.clone(),
            schema_name: schema_name.to_string(),
            fields,
        });
        name
    }

    /// A plain string (or list of them) given a supplement format takes its kind.
    pub(super) fn with_format(&mut self, ty: Ty, format: &str) -> Ty {
        if crate::unions::is_union(format) {
            let formats: Vec<String> = format
                .split(crate::unions::SEPARATOR)
                .map(str::to_string)
                .collect();
            return match ty {
                Ty::Str => self.union_ty(&formats, None).unwrap_or(Ty::Str),
                Ty::List(item) if *item == Ty::Str => {
                    Ty::List(Box::new(self.with_format(Ty::Str, format)))
                }
                other => other,
            };
        }
        let Some((rust, of_type)) = format_kind(format) else {
            return ty;
        };
        match ty {
            Ty::Str if of_type != self.type_name => {
                self.kinds.insert(rust.clone(), format.to_string());
                Ty::Kind(rust)
            }
            Ty::List(item) if *item == Ty::Str => {
                Ty::List(Box::new(self.with_format(Ty::Str, format)))
            }
            other => other,
        }
    }

    /// The kind of a property that refers to any of `formats` ([`crate::unions`]), less the
    /// members whose values the property's own `pattern` rejects.
    pub(super) fn union_ty(&mut self, formats: &[String], pattern: Option<&str>) -> Option<Ty> {
        let (rust, name) =
            crate::unions::kind_of(formats, self.type_name, pattern, &mut self.kinds)?;
        self.kinds.insert(rust.clone(), name);
        Some(Ty::Kind(rust))
    }

    pub(super) fn string_ty(
        &mut self,
        node: &Value,
        hint: &str,
        owner: &str,
        path: Option<&str>,
    ) -> Ty {
        let values = strings(node.get("enum"));
        if !values.is_empty() {
            return Ty::Enum(self.enum_of(hint, owner, values));
        }
        let format = node.get("format").and_then(Value::as_str);
        if let Some((format, (rust, of_type))) = format.and_then(|f| format_kind(f).map(|k| (f, k)))
            && !(of_type == self.type_name && names_itself(path))
        {
            self.kinds.insert(rust.clone(), format.to_string());
            return Ty::Kind(rust);
        }
        Ty::Str
    }
}
