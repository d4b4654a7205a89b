//! The generated round-trip test (`dsl/tests/generated_roundtrip.rs`): every default-feature
//! resource type built with every property set (required ones through `new`, lists through
//! `add_x`, maps through `insert_x`), synthesized, and judged by cfn-lint in one run.
//!
//! Strings take a `String` parameter (a computed value, so no literal has to match the
//! schema's patterns); typed strings take the same parameter, which converts to any of
//! them; numbers take the smallest value in range (the first listed one where the schema
//! lists them); enums their first value; nested types
//! recurse, cut at a type already being built (recursive schemas).
//!
//! Every property is set except where the schema makes alternatives exclusive (a `oneOf`
//! or `requiredXor` of two or more sets, `dependentExcluded`: [`crate::combinations`]):
//! there one alternative is kept ([`left_out`]), since synth refuses a resource that sets
//! two; and where an object's `maxProperties` allows fewer than all of them, the first
//! ones by name are kept (`Gen::cap`), since synth refuses more.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::combinations::{Combination, is_exclusive};
use crate::emit::HEADER;
use crate::model::{CheckSpec, Field, ResourceModel, StructDef, Ty};
use crate::services::module_of;

/// How deep nested types are filled before only their required properties are set.
const MAX_DEPTH: usize = 6;

struct Gen<'a> {
    model: &'a ResourceModel,
    path: String,
    structs: BTreeMap<&'a str, &'a StructDef>,
    /// Whether any value took the `text` parameter (else the argument is unused).
    uses_text: std::cell::Cell<bool>,
    /// The type's required combinations (exclusive and dependent ones are read).
    rules: Vec<Combination>,
    /// The property path of the value being built (`*`: a list's items), as the
    /// combinations spell it.
    at: RefCell<Vec<String>>,
    /// Every object built with its optional properties: its path and the names it sets.
    objects: RefCell<Vec<SampleObject>>,
    /// Which item of a `uniqueItems` list is being built (0 elsewhere): numbers and enums
    /// inside it are moved by this much ([`Gen::items`]), so the items differ.
    nth: std::cell::Cell<usize>,
}

/// One object of a sample built with its optional properties: its path from the
/// resource's `Properties` (`*`: a list's items) and the property names it sets.
pub type SampleObject = (Vec<String>, BTreeSet<String>);

/// A number in range, the `nth` distinct one: the [`number`] sample moved up by `nth`, or
/// down when that passes the maximum (`Rekognition`'s polygon points lie in 0..=1).
///
/// A number the schema lists (`enum`, [`CheckSpec::OneOfNumbers`]) is the `nth` listed one,
/// wrapping around: any other value is refused at synth.
fn nth_number(checks: &[CheckSpec], nth: usize, whole: bool) -> f64 {
    if let Some(listed) = checks.iter().find_map(|c| match c {
        CheckSpec::OneOfNumbers(v) if !v.is_empty() => Some(v),
        _ => None,
    }) {
        return listed[nth % listed.len()];
    }
    let base = number(checks);
    let base = if whole { base.ceil() } else { base };
    if nth == 0 {
        return base;
    }
    let bound = |f: fn(&CheckSpec) -> Option<f64>| checks.iter().find_map(f);
    let max = bound(|c| match c {
        CheckSpec::Maximum(n) => Some(*n),
        _ => None,
    });
    let min = bound(|c| match c {
        CheckSpec::Minimum(n) => Some(*n),
        _ => None,
    });
    let up = base + nth as f64;
    if max.is_none_or(|m| up <= m) {
        return up;
    }
    let down = base - nth as f64;
    if min.is_none_or(|m| down >= m) {
        return down;
    }
    // A range narrower than the items: fractions of it (whole numbers cannot differ more).
    let (lo, hi) = (min.unwrap_or(base), max.unwrap_or(base));
    lo + (hi - lo) * (nth as f64) / (nth as f64 + 1.0)
}

fn number(checks: &[CheckSpec]) -> f64 {
    let min = checks.iter().find_map(|c| match c {
        CheckSpec::Minimum(n) => Some(*n),
        _ => None,
    });
    let max = checks.iter().find_map(|c| match c {
        CheckSpec::Maximum(n) => Some(*n),
        _ => None,
    });
    match (min, max) {
        (Some(min), _) => min.max(1.0f64.min(max.unwrap_or(f64::MAX))),
        (None, Some(max)) if max < 1.0 => max,
        _ => 1.0,
    }
}

fn min_items(checks: &[CheckSpec]) -> usize {
    checks
        .iter()
        .find_map(|c| match c {
            CheckSpec::MinItems(n) => Some(*n as usize),
            _ => None,
        })
        .unwrap_or(1)
        .max(1)
}

/// Keys a map sample may take, tried in order.
const SAMPLE_KEYS: &[&str] = &["Key", "key", "k1", "Key1", "us-east-1", "Initial"];

/// A map sample's key: the first of [`SAMPLE_KEYS`] the map's key pattern admits, by the
/// engine synth checks it with; for a pattern that lists its keys (`^(POPULARITY|FRESHNESS)$`),
/// the first listed one it admits. `Key` when there is no pattern, the engine cannot compile
/// it, or nothing fits: the round trip then reports the refused key.
fn sample_key(checks: &[CheckSpec]) -> String {
    let pattern = checks.iter().find_map(|c| match c {
        CheckSpec::KeyPattern(p) => Some(p.as_str()),
        _ => None,
    });
    let Some((p, re)) = pattern.and_then(|p| Some((p, crate::ecma::compile(p).ok()?))) else {
        return SAMPLE_KEYS[0].to_string();
    };
    let admits = |k: &str| re.is_match(k).unwrap_or(false);
    if let Some(k) = SAMPLE_KEYS.iter().find(|k| admits(k)) {
        return (*k).to_string();
    }
    let listed = p.trim_start_matches('^').trim_end_matches('$');
    let listed = listed
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
        .unwrap_or(listed);
    listed
        .split('|')
        .find(|k| admits(k))
        .unwrap_or(SAMPLE_KEYS[0])
        .to_string()
}

impl Gen<'_> {
    fn value(
        &self,
        ty: &Ty,
        checks: &[CheckSpec],
        field: &str,
        depth: usize,
        building: &mut Vec<String>,
    ) -> String {
        match ty {
            Ty::Str | Ty::Kind(_) => {
                self.uses_text.set(true);
                "text".to_string()
            }
            Ty::Int => format!("{}i64", nth_number(checks, self.nth.get(), true) as i64),
            Ty::Num => format!("{:?}f64", nth_number(checks, self.nth.get(), false)),
            Ty::Bool => "true".to_string(),
            Ty::Json => "serde_json::json!({})".to_string(),
            Ty::Policy => policy(&self.model.type_name, field),
            Ty::Enum(name) => {
                let first = self
                    .model
                    .enums
                    .iter()
                    .find(|e| &e.name == name)
                    .and_then(|e| e.variants.get(self.nth.get() % e.variants.len().max(1)))
                    .map(|v| v.0.clone())
                    .unwrap_or_default();
                format!("{}::{name}::{first}", self.path)
            }
            Ty::Struct(name) => self.structure(name, depth, building),
            Ty::List(item) => {
                let items = self.items(item, checks, field, depth, building);
                format!("vec![{}]", items.join(", "))
            }
            Ty::Map(value) => format!(
                "[({:?}, {})]",
                sample_key(checks),
                self.entry(value, field, depth, building)
            ),
        }
    }

    /// The items of a list sample: as many as its `minItems`, the same one repeated, or
    /// for a `uniqueItems` list each built as the `nth` (synth refuses repeated literals).
    fn items(
        &self,
        item: &Ty,
        checks: &[CheckSpec],
        field: &str,
        depth: usize,
        building: &mut Vec<String>,
    ) -> Vec<String> {
        let n = min_items(checks);
        if !checks.contains(&CheckSpec::UniqueItems) {
            return vec![self.item(item, field, depth, building); n];
        }
        let outer = self.nth.get();
        let items = (0..n)
            .map(|i| {
                self.nth.set(outer + i);
                self.item(item, field, depth, building)
            })
            .collect();
        self.nth.set(outer);
        items
    }

    /// One list item's value, built at the path of the list's items.
    fn item(&self, item: &Ty, field: &str, depth: usize, building: &mut Vec<String>) -> String {
        self.at.borrow_mut().push("*".to_string());
        let v = self.value(item, &[], field, depth, building);
        self.at.borrow_mut().pop();
        v
    }

    /// One map entry's value (the combinations do not look into maps: a path no rule has).
    fn entry(&self, value: &Ty, field: &str, depth: usize, building: &mut Vec<String>) -> String {
        self.at.borrow_mut().push("{}".to_string());
        let v = self.value(value, &[], field, depth, building);
        self.at.borrow_mut().pop();
        v
    }

    fn structure(&self, name: &str, depth: usize, building: &mut Vec<String>) -> String {
        let Some(def) = self.structs.get(name) else {
            return format!("{}::{name}::default()", self.path);
        };
        let full = depth < MAX_DEPTH && !building.iter().any(|b| b == name);
        building.push(name.to_string());
        let text = self.build(
            &format!("{}::{name}", self.path),
            &def.fields,
            full,
            depth + 1,
            building,
        );
        building.pop();
        text
    }

    /// `Type::new(required...)` followed by a setter for every optional field.
    fn build(
        &self,
        ty: &str,
        fields: &[Field],
        full: bool,
        depth: usize,
        building: &mut Vec<String>,
    ) -> String {
        let args: Vec<String> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| {
                self.at.borrow_mut().push(f.name.clone());
                let v = self.value(&f.ty, &f.checks, &f.name, depth, building);
                self.at.borrow_mut().pop();
                v
            })
            .collect();
        let mut out = format!("{ty}::new({})", args.join(", "));
        if !full {
            return out;
        }
        let here: Vec<&Combination> = {
            let at = self.at.borrow();
            self.rules.iter().filter(|c| c.path == *at).collect()
        };
        let mut skip = left_out(&here, fields);
        self.cap(&here, fields, &mut skip);
        self.objects.borrow_mut().push((
            self.at.borrow().clone(),
            fields
                .iter()
                .filter(|f| f.required || !skip.contains(&f.name))
                .map(|f| f.name.clone())
                .collect(),
        ));
        for f in fields
            .iter()
            .filter(|f| !f.required && !skip.contains(&f.name))
        {
            self.at.borrow_mut().push(f.name.clone());
            match (&f.ty, &f.method_item) {
                (Ty::List(item), Some(add)) => {
                    for one in self.items(item, &f.checks, &f.name, depth, building) {
                        let _ = write!(out, ".{add}({one})");
                    }
                }
                (Ty::Map(value), Some(insert)) => {
                    let _ = write!(
                        out,
                        ".{insert}({:?}, {})",
                        sample_key(&f.checks),
                        self.entry(value, &f.name, depth, building)
                    );
                }
                _ => {
                    let _ = write!(
                        out,
                        ".{}({})",
                        f.method,
                        self.value(&f.ty, &f.checks, &f.name, depth, building)
                    );
                }
            }
            self.at.borrow_mut().pop();
        }
        out
    }
}

impl Gen<'_> {
    /// Leaves out the optional properties past the object's `maxProperties` (a check at the
    /// path being built, [`CheckSpec::MaxSet`]): Logs' transformer `Processor` takes one
    /// processor, not all 23. Kept first are the members of the object's combination
    /// `rules` (the alternative [`left_out`] kept, which a `oneOf` needs, as in EventBridge's
    /// `AuthParameters`), then the others by name.
    fn cap(&self, rules: &[&Combination], fields: &[Field], skip: &mut BTreeSet<String>) {
        let path = self
            .at
            .borrow()
            .iter()
            .map(|s| if s == "{}" { "*" } else { s.as_str() })
            .collect::<Vec<_>>()
            .join("/");
        let most = self
            .model
            .constraints
            .iter()
            .filter(|(p, _)| *p == path)
            .filter_map(|(_, c)| match c {
                CheckSpec::MaxSet(n, _) => Some(*n as usize),
                _ => None,
            })
            .min();
        let Some(most) = most else {
            return;
        };
        let mut room = most.saturating_sub(fields.iter().filter(|f| f.required).count());
        let in_rules = |f: &&Field| {
            rules
                .iter()
                .flat_map(|c| c.sets.iter().flatten())
                .any(|m| *m == f.name)
        };
        let optional = fields
            .iter()
            .filter(|f| !f.required && !skip.contains(&f.name));
        let (first, rest): (Vec<&Field>, Vec<&Field>) = optional.partition(in_rules);
        for f in first.into_iter().chain(rest) {
            if room > 0 {
                room -= 1;
            } else {
                skip.insert(f.name.clone());
            }
        }
    }
}

/// The optional properties of one object the sample leaves out so that no exclusive rule
/// at its path (`rules`) is broken: `dependentExcluded` drops the excluded properties (or
/// the trigger, when an excluded one is required); a `oneOf`/`requiredXor` keeps the first
/// alternative that holds every required member and nothing already left out, and drops
/// the other alternatives' properties; last, a property whose `dependentRequired` partner
/// was dropped is dropped too.
pub fn left_out(rules: &[&Combination], fields: &[Field]) -> BTreeSet<String> {
    let required: BTreeSet<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    let mut skip = BTreeSet::new();
    let exclusive = || rules.iter().filter(|c| is_exclusive(c));
    for c in exclusive().filter(|c| c.rule == "Excluded") {
        let (Some(trigger), Some(excluded)) = (c.sets[0].first(), c.sets.get(1)) else {
            continue;
        };
        if skip.contains(trigger) {
            continue;
        }
        if excluded.iter().any(|p| required.contains(p.as_str())) {
            skip.insert(trigger.clone());
        } else {
            skip.extend(excluded.iter().cloned());
        }
    }
    for c in exclusive().filter(|c| c.rule != "Excluded") {
        let members: BTreeSet<&String> = c.sets.iter().flatten().collect();
        let keep = c
            .sets
            .iter()
            .find(|set| {
                members
                    .iter()
                    .filter(|m| required.contains(m.as_str()))
                    .all(|m| set.contains(m))
                    && set.iter().all(|p| !skip.contains(p))
            })
            .unwrap_or(&c.sets[0]);
        for m in members {
            if !keep.contains(m) && !required.contains(m.as_str()) {
                skip.insert(m.clone());
            }
        }
    }
    // Until nothing changes: each pass can only add, and there are finitely many names.
    loop {
        let before = skip.len();
        for c in rules.iter().filter(|c| c.rule == "Dependent") {
            let (Some(trigger), Some(needs)) = (c.sets[0].first(), c.sets.get(1)) else {
                continue;
            };
            if !required.contains(trigger.as_str()) && needs.iter().any(|n| skip.contains(n)) {
                skip.insert(trigger.clone());
            }
        }
        if skip.len() == before {
            break;
        }
    }
    skip.retain(|p| !required.contains(p.as_str()));
    skip
}

/// A policy cfn-lint accepts where this property is: a trust policy, an identity policy
/// (no principal), or a resource policy (a principal).
fn policy(type_name: &str, field: &str) -> String {
    let p = "nephos::policy";
    let statement = if field == "AssumeRolePolicyDocument" {
        format!(
            "{p}::Statement::allow().principal({p}::Principal::service(\"lambda.amazonaws.com\")).action(\"sts:AssumeRole\")"
        )
    } else if type_name.starts_with("AWS::IAM::") {
        format!("{p}::Statement::allow().action(\"s3:GetObject\").resource(\"*\")")
    } else {
        let resource = if type_name.starts_with("AWS::S3::") {
            "arn:aws:s3:::example/*"
        } else {
            "*"
        };
        format!(
            "{p}::Statement::allow().principal({p}::Principal::aws(\"123456789012\")).action(\"*\").resource(\"{resource}\")"
        )
    };
    format!("{p}::PolicyDocument::new().statement({statement})")
}

fn generator<'a>(model: &'a ResourceModel, schema: Option<&serde_json::Value>) -> Gen<'a> {
    let service = module_of(&model.type_name).unwrap_or_else(|| "unknown".to_string());
    Gen {
        model,
        path: format!("nephos::{service}::{}", model.module),
        structs: model.structs.iter().map(|s| (s.name.as_str(), s)).collect(),
        uses_text: std::cell::Cell::new(false),
        rules: schema.map(crate::combinations::of).unwrap_or_default(),
        at: RefCell::new(Vec::new()),
        objects: RefCell::new(Vec::new()),
        nth: std::cell::Cell::new(0),
    }
}

/// The resource expression of a sample: `Type::new(...)` and its setters.
fn sample(generator: &Gen) -> String {
    let mut building = Vec::new();
    generator.build(
        &format!(
            "{}::{}",
            generator.path.rsplit_once("::").map_or("", |p| p.0),
            generator.model.struct_name
        ),
        &generator.model.fields,
        true,
        0,
        &mut building,
    )
}

/// The objects the round-trip sample of `model` builds with their optional properties
/// (what a test checks the exclusive rules against).
pub fn sample_objects(model: &ResourceModel, schema: &serde_json::Value) -> Vec<SampleObject> {
    let generator = generator(model, Some(schema));
    sample(&generator);
    generator.objects.into_inner()
}

fn case_fn(model: &ResourceModel, schema: Option<&serde_json::Value>) -> (String, String) {
    let service = module_of(&model.type_name).unwrap_or_else(|| "unknown".to_string());
    let fn_name = format!("{service}_{}", model.module);
    let generator = generator(model, schema);
    let resource = sample(&generator);
    let text = if generator.uses_text.get() {
        "text"
    } else {
        "_text"
    };
    let mut body = format!("fn {fn_name}(stack: &mut Stack, {text}: &Param<Str>) {{\n");
    let _ = writeln!(body, "let handle = stack.add(\"Resource\", {resource});");
    // Every property is set, so a typestate handle is in its `Set` state (`conditional_ref`).
    let reference = model.reference.clone().map(|mut r| {
        if let Some(t) = &model.conditional_ref {
            r.method = t.set.method.clone();
        }
        r
    });
    let getters = reference.iter().chain(&model.attributes);
    let mut n = 0;
    for a in getters {
        // Outputs are strings: numbers, booleans, lists and JSON attributes stay unread.
        if !matches!(a.ty, Ty::Kind(_)) {
            continue;
        }
        n += 1;
        let _ = writeln!(
            body,
            "stack.output(\"Attribute{n}\", Output::new(handle.{}()));",
            a.method
        );
    }
    if n == 0 {
        body.push_str("let _ = handle;\n");
    }
    body.push_str("}\n");
    (fn_name, body)
}

/// The registry schemas by type name, for the rules the samples keep.
pub type Schemas = BTreeMap<String, serde_json::Value>;

/// The whole test file for `models` (the default-feature types).
pub fn test_file(models: &[&ResourceModel], schemas: &Schemas) -> String {
    let mut out = String::from(HEADER);
    out.push_str("//! Round trip: every default-feature resource type, with every property set,\n");
    out.push_str(
        "//! synthesizes, and cfn-lint (from the project venv, `scripts/venv.sh`) accepts the\n",
    );
    out.push_str("//! templates. Written by nephos-codegen (`dsl/codegen/src/roundtrip.rs`).\n");
    out.push_str("#![cfg(all(feature = \"lambda\", feature = \"apigateway\", feature = \"dynamodb\", feature = \"s3\", feature = \"sns\", feature = \"sqs\", feature = \"iam\", feature = \"logs\"))]\n");
    cases(
        &mut out,
        models,
        schemas,
        "every_property_of_every_default_type_synthesizes_and_passes_cfn_lint",
        "run",
    );
    out
}

/// `dsl/tests/generated_roundtrip_sample.rs`: the same round trip over one type of every
/// service outside the default features (built with `--features all`).
pub fn sample_file(models: &[&ResourceModel], schemas: &Schemas) -> String {
    let mut out = String::from(HEADER);
    out.push_str("//! Round trip over a sample: one resource type of every service outside the\n");
    out.push_str(
        "//! default features, with every property set, synthesizes, and cfn-lint accepts\n",
    );
    out.push_str(
        "//! the templates. Written by nephos-codegen (`dsl/codegen/src/roundtrip.rs`);\n",
    );
    out.push_str("//! run with `--features all`.\n");
    out.push_str("#![cfg(feature = \"all\")]\n");
    cases(
        &mut out,
        models,
        schemas,
        "every_property_of_one_type_of_every_service_synthesizes_and_passes_cfn_lint",
        "run_sample",
    );
    out
}

fn cases(out: &mut String, models: &[&ResourceModel], schemas: &Schemas, test: &str, run: &str) {
    out.push_str("#![allow(deprecated)]\n\n");
    out.push_str("use nephos::kind::Str;\nuse nephos::{Output, Param, Stack};\n\n");
    out.push_str("mod roundtrip_support;\n\n");
    let mut names = Vec::new();
    for m in models {
        let (name, body) = case_fn(m, schemas.get(&m.type_name));
        out.push_str(&body);
        names.push((m.type_name.clone(), name));
    }
    out.push_str("/// Every case: the type name and the function that adds it to a stack.\n");
    out.push_str("type Case = (&'static str, fn(&mut Stack, &Param<Str>));\n");
    out.push_str("const CASES: &[Case] = &[\n");
    for (t, f) in &names {
        let _ = writeln!(out, "({t:?}, {f}),");
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "#[test]\nfn {test}() {{");
    let _ = writeln!(out, "    roundtrip_support::{run}(CASES);\n}}");
}
