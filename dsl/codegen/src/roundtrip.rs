//! The generated round-trip test (`dsl/tests/generated_roundtrip.rs`): every default-feature
//! resource type built with every property set (required ones through `new`, lists through
//! `add_x`, maps through `insert_x`), synthesized, and judged by cfn-lint in one run.
//!
//! Strings take a `String` parameter (a computed value, so no literal has to match the
//! schema's patterns); typed strings take the same parameter, which converts to any of
//! them; numbers take the smallest value in range; enums their first value; nested types
//! recurse, cut at a type already being built (recursive schemas).

use std::collections::BTreeMap;
use std::fmt::Write;

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
            Ty::Int => format!("{}i64", number(checks).ceil() as i64),
            Ty::Num => format!("{:?}f64", number(checks)),
            Ty::Bool => "true".to_string(),
            Ty::Json => "serde_json::json!({})".to_string(),
            Ty::Policy => policy(&self.model.type_name, field),
            Ty::Enum(name) => {
                let first = self
                    .model
                    .enums
                    .iter()
                    .find(|e| &e.name == name)
                    .and_then(|e| e.variants.first())
                    .map(|v| v.0.clone())
                    .unwrap_or_default();
                format!("{}::{name}::{first}", self.path)
            }
            Ty::Struct(name) => self.structure(name, depth, building),
            Ty::List(item) => {
                let one = self.value(item, &[], field, depth, building);
                format!("vec![{}]", vec![one; min_items(checks)].join(", "))
            }
            Ty::Map(value) => format!(
                "[(\"Key\", {})]",
                self.value(value, &[], field, depth, building)
            ),
        }
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
            .map(|f| self.value(&f.ty, &f.checks, &f.name, depth, building))
            .collect();
        let mut out = format!("{ty}::new({})", args.join(", "));
        if !full {
            return out;
        }
        for f in fields.iter().filter(|f| !f.required) {
            match (&f.ty, &f.method_item) {
                (Ty::List(item), Some(add)) => {
                    let one = self.value(item, &[], &f.name, depth, building);
                    for _ in 0..min_items(&f.checks) {
                        let _ = write!(out, ".{add}({one})");
                    }
                }
                (Ty::Map(value), Some(insert)) => {
                    let _ = write!(
                        out,
                        ".{insert}(\"Key\", {})",
                        self.value(value, &[], &f.name, depth, building)
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
        }
        out
    }
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

fn case_fn(model: &ResourceModel) -> (String, String) {
    let service = module_of(&model.type_name).unwrap_or_else(|| "unknown".to_string());
    let fn_name = format!("{service}_{}", model.module);
    let generator = Gen {
        model,
        path: format!("nephos::{service}::{}", model.module),
        structs: model.structs.iter().map(|s| (s.name.as_str(), s)).collect(),
        uses_text: std::cell::Cell::new(false),
    };
    let mut building = Vec::new();
    let resource = generator.build(
        &format!("nephos::{service}::{}", model.struct_name),
        &model.fields,
        true,
        0,
        &mut building,
    );
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

/// The whole test file for `models` (the default-feature types).
pub fn test_file(models: &[&ResourceModel]) -> String {
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
        "every_property_of_every_default_type_synthesizes_and_passes_cfn_lint",
        "run",
    );
    out
}

/// `dsl/tests/generated_roundtrip_sample.rs`: the same round trip over one type of every
/// service outside the default features (built with `--features all`).
pub fn sample_file(models: &[&ResourceModel]) -> String {
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
        "every_property_of_one_type_of_every_service_synthesizes_and_passes_cfn_lint",
        "run_sample",
    );
    out
}

fn cases(out: &mut String, models: &[&ResourceModel], test: &str, run: &str) {
    out.push_str("#![allow(deprecated)]\n\n");
    out.push_str("use nephos::kind::Str;\nuse nephos::{Output, Param, Stack};\n\n");
    out.push_str("mod roundtrip_support;\n\n");
    let mut names = Vec::new();
    for m in models {
        let (name, body) = case_fn(m);
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
