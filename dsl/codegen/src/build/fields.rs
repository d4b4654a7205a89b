//! The fields of an object (a resource or a nested type), their member names, and the
//! enums of string values with their variant names.

use super::*;

impl<'a> Builder<'a> {
    /// A property's member name: [`member`]. It differs from the earlier name (a plain case
    /// conversion) only where that split an acronym (`provider_ar_ns`, `i_pv4`), which is
    /// clearly broken: the earlier name stays as a deprecated alias, in every service.
    pub(super) fn member_name(&self, name: &str) -> String {
        member(name)
    }

    /// A value's variant name, kept as it was in a stable service unless the earlier name
    /// split an acronym (`TlSv122021`): `Python312` stays `Python312`.
    pub(super) fn variant_name(&self, value: &str) -> String {
        let new = variant_name(value);
        let old = variant_name_before(value);
        // Not broken: only the digits run together, or the value's own spelling (`IPv4`).
        let spelled: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        if self.stable && (old == new.replace('_', "") || old == spelled) {
            old
        } else {
            new
        }
    }

    /// The fields of an object node; `scope` is `""` for the resource, `Definition.` inside a
    /// nested type (how the supplement's formats are keyed).
    pub(super) fn fields_of(
        &mut self,
        node: &Value,
        owner: &str,
        scope: &str,
        path: Option<String>,
    ) -> Vec<Field> {
        let required: BTreeSet<String> = strings(node.get("required")).into_iter().collect();
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut fields = Vec::new();
        let mut methods = BTreeSet::from(["new".to_string()]);
        for (name, sub) in props {
            let full = path.as_ref().map(|p| format!("{p}/{name}"));
            if full.as_ref().is_some_and(|p| self.no_setter.contains(p)) {
                continue;
            }
            let mut ty = self.ty_of(sub, name, owner, full);
            if crate::read_only::holds(&ty, &self.output_only) {
                continue;
            }
            // The schema's own format wins: the supplement only fills in missing ones.
            let own_format = sub.get("format").is_some()
                || sub.get("items").is_some_and(|i| i.get("format").is_some())
                || crate::unions::alternatives(sub).is_some()
                || sub
                    .get("items")
                    .is_some_and(|i| crate::unions::alternatives(i).is_some());
            if let Some(format) = self
                .formats
                .get(&format!("{scope}{name}"))
                .filter(|_| !own_format)
            {
                ty = self.with_format(ty, format);
            }
            // Last: only what nothing else typed (`crate::any_arn`, `crate::arn_names`).
            if self.arn_patterns {
                ty = self.arn_pattern_ty(sub, ty);
                ty = self.arn_name_ty(name, sub, ty);
                // After the ARN rules: an ID by pattern or reviewed name (`id_kinds`).
                ty = self.id_kind_ty(sub, ty);
            }
            let mut checks = checks_of(sub);
            if let Some(def) = sub
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.pointer(r))
            {
                checks.extend(checks_of(def));
                // A bound beside the `$ref` counts the definition's properties.
                for check in crate::object_counts::checks(sub, self.deref(def)) {
                    if !checks.contains(&check) {
                        checks.push(check);
                    }
                }
            }
            let method = unique(self.member_name(name), &mut methods);
            let method_item = match &ty {
                Ty::List(_) => Some(unique(format!("add_{method}"), &mut methods)),
                Ty::Map(_) => Some(unique(format!("insert_{method}"), &mut methods)),
                _ => None,
            };
            fields.push(Field {
                name: name.clone(),
                method,
                method_item,
                method_set: String::new(),
                ty,
                required: required.contains(name),
                create_only: false,
                may_replace: false,
                deprecated: false,
                checks,
                aliases: Vec::new(),
                lint_note: sub
                    .get(crate::corrections::LINT_KEY)
                    .or_else(|| {
                        sub.get("items")
                            .and_then(|i| i.get(crate::corrections::LINT_KEY))
                    })
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
        // Named after every other method, so adding the `Option` setters never renames
        // an existing setter or item helper.
        for f in &mut fields {
            f.method_set = unique(
                format!("set_{}", f.method.trim_end_matches('_')),
                &mut methods,
            );
        }
        // In a stable service the names a plain case conversion gave (`provider_ar_ns`)
        // stay, deprecated, where they differ and no method holds them. (The other services
        // are new in this release: nothing to keep.)
        for f in &mut fields {
            let old = snake(&f.name);
            if !self.stable || old == f.method {
                continue;
            }
            let mut pairs = vec![
                (old.clone(), f.method.clone()),
                (
                    format!("set_{}", old.trim_end_matches('_')),
                    f.method_set.clone(),
                ),
            ];
            match (&f.ty, &f.method_item) {
                (Ty::List(_), Some(m)) => pairs.push((format!("add_{old}"), m.clone())),
                (Ty::Map(_), Some(m)) => pairs.push((format!("insert_{old}"), m.clone())),
                _ => {}
            }
            for (old, new) in pairs {
                if methods.insert(old.clone()) {
                    f.aliases.push((old, new));
                }
            }
        }
        fields
    }

    /// `ty`, or `AnyArn` in place of a plain string whose `pattern` (beside a `$ref` or in
    /// the definition it names) admits ARNs only ([`crate::any_arn::demands_arn`]); a list
    /// of strings by its items' pattern.
    pub(super) fn arn_pattern_ty(&mut self, node: &Value, ty: Ty) -> Ty {
        let pattern = node
            .get("pattern")
            .or_else(|| self.deref(node).get("pattern"))
            .and_then(Value::as_str);
        match ty {
            Ty::Str if pattern.is_some_and(crate::any_arn::demands_arn) => {
                self.with_format(Ty::Str, crate::any_arn::ANY_ARN_FORMAT)
            }
            Ty::List(item) if *item == Ty::Str => {
                let items = self.deref(node).get("items").unwrap_or(&Value::Null);
                Ty::List(Box::new(self.arn_pattern_ty(items, Ty::Str)))
            }
            other => other,
        }
    }

    /// `ty`, or `AnyArn` in place of a plain string (`List<AnyArn>` for a list of them)
    /// whose property name says ARN ([`crate::arn_names::names_arn`]), unless its schema node
    /// carries a reviewed exclusion ([`crate::arn_names::HELD_KEY`]), which is recorded as used.
    pub(super) fn arn_name_ty(&mut self, name: &str, node: &Value, ty: Ty) -> Ty {
        let plain = match &ty {
            Ty::Str => true,
            Ty::List(item) => **item == Ty::Str,
            _ => false,
        };
        if !plain || !crate::arn_names::names_arn(name) {
            return ty;
        }
        if let Some(pointer) = node.get(crate::arn_names::HELD_KEY).and_then(Value::as_str) {
            self.held.insert(pointer.to_string());
            return ty;
        }
        self.with_format(ty, crate::any_arn::ANY_ARN_FORMAT)
    }

    pub(super) fn enum_of(&mut self, hint: &str, owner: &str, values: Vec<String>) -> String {
        let base = pascal(hint);
        let same = |e: &&EnumDef| e.variants.iter().map(|v| &v.1).eq(values.iter());
        if let Some(e) = self
            .enums
            .iter()
            .find(|e| same(e) && (e.schema_name == hint || e.name == base))
        {
            return e.name.clone();
        }
        let name = self.type_name_for(hint, owner);
        let mut taken = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let variants: Vec<(String, String)> = values
            .into_iter()
            .filter(|v| seen.insert(v.clone()))
            .map(|v| (unique(self.variant_name(&v), &mut taken), v))
            .collect();
        // The names a plain case conversion gave (`TlSv122021`) stay, deprecated, where
        // they differ and no variant holds them.
        let mut aliases = Vec::new();
        for (new, value) in &variants {
            let old = variant_name_before(value);
            if self.stable && old != *new && taken.insert(old.clone()) {
                aliases.push((old, new.clone()));
            }
        }
        self.enums.push(EnumDef {
            name: name.clone(),
            schema_name: hint.to_string(),
            variants,
            aliases,
        });
        name
    }
}

/// An enum variant for a schema value: `SELF` (CloudFormation StackSet's `CallAs`) would be
/// the keyword `Self`, so it is `SelfValue`.
fn variant_name(value: &str) -> String {
    match variant(value) {
        s if s == "Self" => "SelfValue".to_string(),
        s => s,
    }
}

/// The variant name a plain case conversion gave, kept as a deprecated alias.
fn variant_name_before(value: &str) -> String {
    match pascal(value) {
        s if s == "Self" => "SelfValue".to_string(),
        s => s,
    }
}
