//! Every synth-time check of a stack, reported together.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diagnostic::{Deferred, Diagnostic, Location, Section};
use crate::stack::logical_id;
use crate::stack::stack::{Stack, Transform};
use crate::synth::graph::Graph;
use crate::synth::limits;
use crate::synth::literals;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target, TargetKind};

/// Runs every check.
pub(crate) fn all(
    stack: &Stack,
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Deferred>,
) {
    stack_name(stack, diags);
    logical_ids(stack, diags);
    let known = known(stack);
    let exprs = expressions(stack, resolved);
    for (loc, e) in &exprs {
        expression(stack, &known, loc, e, diags);
    }
    resource_cycles(stack, resolved, diags);
    conditions(stack, diags);
    resource_attributes(stack, &known, diags);
    parameters(stack, diags);
    mappings(stack, diags);
    outputs(stack, diags);
    rules(stack, diags);
    crate::synth::semantic::check(resolved, diags);
    crate::synth::security::check(resolved, diags);
    for r in resolved {
        literals::check(
            &r.entry.target.id,
            &r.props,
            r.entry.constraints,
            diags,
            deferred,
        );
    }
    limits::count(
        "resources",
        stack.resources.len(),
        limits::MAX_RESOURCES,
        diags,
    );
    limits::count(
        "parameters",
        stack.parameters.len(),
        limits::MAX_PARAMETERS,
        diags,
    );
    limits::count("outputs", stack.outputs.len(), limits::MAX_OUTPUTS, diags);
    limits::count(
        "mappings",
        stack.mappings.len(),
        limits::MAX_MAPPINGS,
        diags,
    );
    if let Some(d) = &stack.description
        && d.len() > 1024
    {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!(
                "the description is {} bytes; CloudFormation allows 1024",
                d.len()
            ),
            "shorten the description",
        ));
    }
}

fn stack_name(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let name = stack.name();
    if crate::app::assembly::check_stack_name(name).is_err() {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!("stack name `{name}` is not a valid CloudFormation stack name"),
            "start with a letter and use only letters, digits and hyphens, at most 128 characters",
        ));
    }
}

fn logical_ids(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    // Parameters and resources share one namespace: `Ref` takes either.
    let refable = stack
        .parameters
        .iter()
        .map(|(t, _)| (Section::Parameter, t.id.to_string()))
        .chain(
            stack
                .resources
                .iter()
                .map(|r| (Section::Resource, r.target.id.to_string())),
        );
    let sections: [(&str, Vec<(Section, String)>); 5] = [
        ("parameters and resources", refable.collect()),
        (
            "conditions",
            stack
                .conditions
                .iter()
                .map(|(t, _)| (Section::Condition, t.id.to_string()))
                .collect(),
        ),
        (
            "mappings",
            stack
                .mappings
                .iter()
                .map(|(t, _)| (Section::Mapping, t.id.to_string()))
                .collect(),
        ),
        (
            "outputs",
            stack
                .outputs
                .iter()
                .map(|o| (Section::Output, o.id.clone()))
                .collect(),
        ),
        (
            "rules",
            stack
                .rules
                .iter()
                .map(|(id, _)| (Section::Rule, id.clone()))
                .collect(),
        ),
    ];
    for (what, ids) in sections {
        let mut seen: BTreeMap<&str, Section> = BTreeMap::new();
        for (section, id) in &ids {
            if let Some(problem) = logical_id::problem(id) {
                diags.push(Diagnostic::error(
                    Location::of(*section, id),
                    problem,
                    "rename it; logical IDs are the names CloudFormation tracks resources by",
                ));
            }
            if let Some(first) = seen.insert(id, *section) {
                let first_noun = Location::of(first, id);
                diags.push(Diagnostic::error(
                    Location::of(*section, id),
                    format!(
                        "logical ID `{id}` is used twice among the {what} (first by {first_noun})"
                    ),
                    "give each one its own logical ID",
                ));
            }
        }
    }
}

/// Every expression of the stack with where it sits.
fn expressions<'a>(stack: &'a Stack, resolved: &'a [Resolved]) -> Vec<(Location, &'a Expr)> {
    let mut out = Vec::new();
    for r in resolved {
        if let Expr::Object(map) = &r.props {
            for (name, e) in map {
                out.push((Location::property(&r.entry.target.id, name), e));
            }
        }
    }
    for (t, e) in &stack.conditions {
        out.push((Location::of(Section::Condition, &t.id), e));
    }
    for o in &stack.outputs {
        out.push((Location::output(&o.id), &o.value));
        if let Some(e) = &o.export {
            out.push((Location::output(&o.id), e));
        }
    }
    for (id, rule) in &stack.rules {
        if let Some(c) = &rule.condition {
            out.push((Location::of(Section::Rule, id), c));
        }
        for (a, _) in &rule.assertions {
            out.push((Location::of(Section::Rule, id), a));
        }
    }
    out
}

fn foreign(stack: &Stack, loc: &Location, t: &Target, how: &str) -> Diagnostic {
    let fix = match t.kind {
        TargetKind::Resource | TargetKind::Parameter => format!(
            "export the value from stack `{}` with an output (`.export(\"name\")`) and use `{}.import(&output)` in stack `{}`",
            t.stack.name,
            stack.name().to_lowercase(),
            stack.name()
        ),
        TargetKind::Condition | TargetKind::Mapping => format!(
            "declare the {} in stack `{}` as well",
            t.kind.noun(),
            stack.name()
        ),
    };
    Diagnostic::error(
        loc.clone(),
        format!(
            "{how} refers to {} `{}` of stack `{}`, but this is stack `{}`",
            t.kind.noun(),
            t.id,
            t.stack.name,
            stack.name()
        ),
        fix,
    )
}

/// Everything a reference of this stack can point at, by kind and logical ID.
type Known<'a> = HashSet<(TargetKind, &'a str)>;

fn known(stack: &Stack) -> Known<'_> {
    let mut k = HashSet::new();
    k.extend(
        stack
            .resources
            .iter()
            .map(|r| (TargetKind::Resource, &*r.target.id)),
    );
    k.extend(
        stack
            .parameters
            .iter()
            .map(|(t, _)| (TargetKind::Parameter, &*t.id)),
    );
    k.extend(
        stack
            .conditions
            .iter()
            .map(|(t, _)| (TargetKind::Condition, &*t.id)),
    );
    k.extend(
        stack
            .mappings
            .iter()
            .map(|(t, _)| (TargetKind::Mapping, &*t.id)),
    );
    k
}

fn exists(known: &Known, t: &Target) -> bool {
    known.contains(&(t.kind, &*t.id))
}

/// Checks that hold for any expression: references stay in the stack, nothing is
/// malformed, functions have what they need.
fn expression(stack: &Stack, known: &Known, loc: &Location, e: &Expr, diags: &mut Vec<Diagnostic>) {
    for (t, how) in e.references() {
        if t.stack != stack.key {
            diags.push(foreign(stack, loc, t, &how));
        } else if !exists(known, t) {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!(
                    "{how} refers to {} `{}`, which is not in the stack",
                    t.kind.noun(),
                    t.id
                ),
                "add it to the stack before referring to it",
            ));
        }
        let allowed = match loc.section {
            Section::Condition => t.kind != TargetKind::Resource,
            Section::Rule => t.kind == TargetKind::Parameter,
            _ => true,
        };
        if !allowed {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!(
                    "{how} refers to {} `{}`, which a {} cannot read",
                    t.kind.noun(),
                    t.id,
                    section_noun(loc.section)
                ),
                match loc.section {
                    Section::Rule => "rules can only read parameters",
                    _ => "conditions can only read parameters, mappings and pseudo parameters",
                },
            ));
        }
    }
    let language_extensions = stack.transforms.contains(&Transform::LanguageExtensions);
    e.walk(&mut |node| match node {
        Expr::Invalid(message, fix) => {
            diags.push(Diagnostic::error(loc.clone(), message.clone(), fix.clone()))
        }
        Expr::And(items) | Expr::Or(items) if !(2..=10).contains(&items.len()) => {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!(
                    "{} has {} conditions; it takes 2 to 10",
                    node.intrinsic_name().unwrap_or(""),
                    items.len()
                ),
                "nest the conditions in groups of at most 10, or use the condition directly",
            ))
        }
        Expr::Length(_)
        | Expr::ToJsonString(_)
        | Expr::FindInMap {
            default: Some(_), ..
        } if !language_extensions => {
            let what = match node {
                Expr::FindInMap { .. } => "Fn::FindInMap with a default value",
                other => other.intrinsic_name().unwrap_or(""),
            };
            diags.push(Diagnostic::error(
                loc.clone(),
                format!("{what} needs the AWS::LanguageExtensions transform"),
                "add `stack.transform(Transform::LanguageExtensions)`",
            ))
        }
        Expr::FindInMap {
            mapping,
            top,
            second,
            default: None,
        } => find_in_map(stack, loc, mapping, top, second, diags),
        Expr::NoValue if loc.section != Section::Resource => diags.push(Diagnostic::error(
            loc.clone(),
            "AWS::NoValue is only meaningful in resource properties".to_string(),
            "use a real value here",
        )),
        _ => {}
    });
}

fn section_noun(s: Section) -> &'static str {
    match s {
        Section::Condition => "condition",
        Section::Rule => "rule",
        _ => "template element",
    }
}

fn find_in_map(
    stack: &Stack,
    loc: &Location,
    mapping: &Target,
    top: &Expr,
    second: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((_, m)) = stack.mappings.iter().find(|(t, _)| t == mapping) else {
        return;
    };
    let (Expr::Lit(serde_json::Value::String(k1)), Expr::Lit(serde_json::Value::String(k2))) =
        (top, second)
    else {
        return;
    };
    if !m
        .entries
        .get(k1)
        .is_some_and(|inner| inner.contains_key(k2))
    {
        diags.push(Diagnostic::error(
            loc.clone(),
            format!(
                "Fn::FindInMap looks up `{k1}` / `{k2}`, which mapping `{}` does not have",
                mapping.id
            ),
            "add the entry to the mapping, or use `find_or` with a default value",
        ));
    }
}

fn resource_cycles(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let mut graph = Graph::default();
    for r in resolved {
        let id = &*r.entry.target.id;
        graph.node(id);
        for (path, target, how) in references_with_paths(&r.props, String::new()) {
            if target.kind == TargetKind::Resource && target.stack == stack.key {
                graph.edge(id, &target.id, format!("property `{path}` ({how})"));
            }
        }
        for d in &r.entry.depends_on {
            if d.stack == stack.key {
                graph.edge(id, &d.id, "DependsOn".to_string());
            } else {
                diags.push(foreign(stack, &Location::resource(id), d, "DependsOn"));
            }
        }
    }
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::resource(&cycle[0]),
            format!("dependency cycle: {}", graph.describe(&cycle)),
            "break one edge of the cycle: build a value from a name you choose instead of a reference, or drop a DependsOn",
        ));
    }
}

/// References below `e`, with the dotted property path where each sits.
fn references_with_paths(e: &Expr, at: String) -> Vec<(String, &Target, String)> {
    let join = |seg: &str| {
        if at.is_empty() {
            seg.to_string()
        } else {
            format!("{at}.{seg}")
        }
    };
    match e {
        Expr::Object(map) => map
            .iter()
            .flat_map(|(k, v)| references_with_paths(v, join(k)))
            .collect(),
        Expr::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| references_with_paths(v, join(&i.to_string())))
            .collect(),
        other => other
            .references()
            .into_iter()
            .map(|(t, how)| (at.clone(), t, how))
            .collect(),
    }
}

fn conditions(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut graph = Graph::default();
    for (t, e) in &stack.conditions {
        graph.node(&t.id);
        e.walk(&mut |node| {
            if let Expr::Condition(c) = node
                && c.stack == stack.key
            {
                graph.edge(&t.id, &c.id, "Condition".to_string());
            }
        });
        if matches!(e, Expr::Lit(_)) {
            diags.push(Diagnostic::error(
                Location::of(Section::Condition, &t.id),
                "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or another condition",
                "build it with equals, and, or, not",
            ));
        }
    }
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::of(Section::Condition, &cycle[0]),
            format!("condition cycle: {}", graph.describe(&cycle)),
            "make one condition stop referring to the next",
        ));
    }
}

fn resource_attributes(stack: &Stack, known: &Known, diags: &mut Vec<Diagnostic>) {
    const UPDATE_POLICY: &[&str] = &[
        "AutoScalingReplacingUpdate",
        "AutoScalingRollingUpdate",
        "AutoScalingScheduledAction",
        "CodeDeployLambdaAliasUpdate",
        "EnableVersionUpgrade",
        "UseOnlineResharding",
    ];
    const CREATION_POLICY: &[&str] = &["AutoScalingCreationPolicy", "ResourceSignal", "StartFleet"];
    for r in &stack.resources {
        let id = &*r.target.id;
        if let Some(c) = &r.condition {
            if c.stack != stack.key {
                diags.push(foreign(stack, &Location::resource(id), c, "Condition"));
            } else if !exists(known, c) {
                diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("Condition `{}` is not declared", c.id),
                    "declare it with `stack.condition(...)`",
                ));
            }
        }
        let type_ok = {
            let parts: Vec<&str> = r.type_name.split("::").collect();
            (parts.len() == 3 && parts.iter().all(|p| !p.is_empty()))
                || (parts.len() == 2 && parts[0] == "Custom" && !parts[1].is_empty())
                || (parts.len() == 4 && parts[3] == "MODULE")
        };
        if !type_ok {
            diags.push(Diagnostic::error(
                Location::resource(id),
                format!("type `{}` is not a CloudFormation type name", r.type_name),
                "write it as `Service::Group::Type`, such as `AWS::SQS::Queue`, or `Custom::Name`",
            ));
        }
        for (attr, doc, known) in [
            ("UpdatePolicy", &r.update_policy, UPDATE_POLICY),
            ("CreationPolicy", &r.creation_policy, CREATION_POLICY),
        ] {
            let Some(doc) = doc else { continue };
            match doc.as_object() {
                None => diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("{attr} must be an object"),
                    format!("use an object with keys among {}", known.join(", ")),
                )),
                Some(map) => {
                    for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
                        diags.push(Diagnostic::error(
                            Location::resource(id),
                            format!("{attr} has unknown key `{k}`"),
                            format!("use keys among {}", known.join(", ")),
                        ));
                    }
                }
            }
        }
    }
}

fn parameters(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    use crate::stack::parameter::Shape;
    for (t, def) in &stack.parameters {
        let loc = Location::of(Section::Parameter, &t.id);
        let mut err = |msg: String, fix: &str| diags.push(Diagnostic::error(loc.clone(), msg, fix));
        if let (Some(a), Some(b)) = (def.min_length, def.max_length)
            && a > b
        {
            err(
                format!("MinLength {a} is greater than MaxLength {b}"),
                "swap or correct the bounds",
            );
        }
        // A NaN or infinite number reaches the definition as `null` (JSON has neither).
        let non_finite = [def.min_value, def.max_value]
            .iter()
            .flatten()
            .any(|n| !n.is_finite())
            || def.default.as_ref().is_some_and(serde_json::Value::is_null)
            || def.allowed_values.iter().any(serde_json::Value::is_null);
        if non_finite {
            err(
                "a number of the definition (Default, AllowedValues, MinValue or MaxValue) is NaN or infinite; CloudFormation numbers must be finite".to_string(),
                "give finite numbers",
            );
        }
        if let (Some(a), Some(b)) = (def.min_value, def.max_value)
            && a > b
        {
            err(
                format!("MinValue {a} is greater than MaxValue {b}"),
                "swap or correct the bounds",
            );
        }
        if def.shape == Some(Shape::Other)
            && (def.allowed_pattern.is_some()
                || def.min_length.is_some()
                || def.max_length.is_some())
        {
            err(
                format!(
                    "AllowedPattern, MinLength and MaxLength do not apply to type {}",
                    def.type_name
                ),
                "remove them; CloudFormation checks AWS-specific values itself",
            );
        }
        let pattern = def
            .allowed_pattern
            .as_ref()
            .map(|p| (p, regex_lite::Regex::new(&format!("^(?:{p})$"))));
        if let Some((p, Err(_))) = &pattern {
            diags.push(Diagnostic::warning(
                loc.clone(),
                format!("AllowedPattern `{p}` cannot be checked offline"),
                "CloudFormation checks it at deploy; make sure it is a valid Java regular expression",
            ));
        }
        if def.description.as_ref().is_some_and(|d| d.len() > 4000) {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the description is over 4000 characters".to_string(),
                "shorten it",
            ));
        }
        if def.no_echo && def.default.is_some() {
            diags.push(Diagnostic::warning(
                loc.clone(),
                "NoEcho hides the value, but the default is written in the template for anyone to read".to_string(),
                "remove the default and pass the value at deploy, or read it from Secrets Manager",
            ));
        }
        let Some(default) = &def.default else {
            continue;
        };
        let text = match default {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut bad = |why: String| {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!("the default `{text}` {why}"),
                "change the default or the constraint",
            ))
        };
        if !def.allowed_values.is_empty() && !def.allowed_values.contains(default) {
            bad("is not one of the AllowedValues".into());
        }
        if let Some((p, Ok(re))) = &pattern
            && !re.is_match(&text)
        {
            bad(format!("does not match AllowedPattern `{p}`"));
        }
        let len = text.chars().count() as u64;
        if def.min_length.is_some_and(|n| len < n) || def.max_length.is_some_and(|n| len > n) {
            bad("breaks MinLength/MaxLength".into());
        }
        if let Some(n) = default.as_f64()
            && (def.min_value.is_some_and(|m| n < m) || def.max_value.is_some_and(|m| n > m))
        {
            bad("breaks MinValue/MaxValue".into());
        }
    }
}

fn mappings(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let key_ok = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    };
    for (t, m) in &stack.mappings {
        let loc = Location::of(Section::Mapping, &t.id);
        if m.entries.is_empty() {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the mapping is empty".to_string(),
                "add an entry or remove the mapping",
            ));
        }
        for (k1, inner) in &m.entries {
            for k in std::iter::once(k1).chain(inner.keys()) {
                if !key_ok(k) {
                    diags.push(Diagnostic::error(
                        loc.clone(),
                        format!("key `{k}` has characters a mapping key cannot have"),
                        "use letters, digits, `-`, `.` and `_`",
                    ));
                }
            }
            if inner.len() > 200 {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!(
                        "`{k1}` has {} attributes; CloudFormation allows 200",
                        inner.len()
                    ),
                    "split the mapping",
                ));
            }
        }
    }
}

fn outputs(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut exports: BTreeSet<String> = BTreeSet::new();
    for o in &stack.outputs {
        let loc = Location::output(&o.id);
        if let Some(c) = &o.condition
            && c.stack != stack.key
        {
            diags.push(foreign(stack, &loc, c, "Condition"));
        }
        if o.description.as_ref().is_some_and(|d| d.len() > 1024) {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the description is over 1024 bytes".to_string(),
                "shorten it",
            ));
        }
        if let Some(Expr::Lit(serde_json::Value::String(name))) = &o.export {
            let ok = !name.is_empty()
                && name.len() <= 255
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':');
            if !ok {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!("export name `{name}` is not valid"),
                    "use 1 to 255 letters, digits, `-` and `:`",
                ));
            }
            if !exports.insert(name.clone()) {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!("export name `{name}` is used by another output of this stack"),
                    "export names are unique per account and region: give each output its own",
                ));
            }
        }
    }
}

fn rules(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    for (id, rule) in &stack.rules {
        if rule.assertions.is_empty() {
            diags.push(Diagnostic::error(
                Location::of(Section::Rule, id),
                "the rule has no assertion".to_string(),
                "add one with `.assert(condition, \"message\")`",
            ));
        }
    }
}
