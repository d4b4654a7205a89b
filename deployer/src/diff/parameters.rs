//! Parameters are part of the change: which parameter values change between the deployed
//! stack and the deploy (deployed → requested; NoEcho values never shown), and templates
//! with `Ref`/`Fn::Sub` of parameters and known pseudo parameters resolved inside resource
//! properties, so a parameter that flows into a replacing property is predicted as the
//! replacement it is.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::model::ChangeKind;
use crate::cfn::model::Stack;
use crate::output::escape::escape_line;

/// What CloudFormation returns for a NoEcho parameter's deployed value.
const MASK: &str = "****";

/// The parameter values on each side of a deploy, as far as they are known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParameterValues {
    /// The deployed stack's values (DescribeStacks; NoEcho ones masked), `None` when there is
    /// no deployed stack or its values are not known: then nothing is resolved.
    pub deployed: Option<BTreeMap<String, String>>,
    /// The values the deploy passes (manifest, `--parameter`); the others keep their
    /// previous value, or take their default on a new parameter.
    pub requested: BTreeMap<String, String>,
    /// Pseudo parameters known to be the same on both sides (`AWS::StackName`, ...).
    pub pseudo: BTreeMap<String, String>,
}

impl ParameterValues {
    /// The values of a deploy of `requested` to the stack found as `stack` (`None`: it does
    /// not exist, so there is nothing to compare with).
    pub fn of(stack: Option<&Stack>, requested: &BTreeMap<String, String>) -> Self {
        let mut pseudo = BTreeMap::new();
        if let Some(s) = stack {
            pseudo.insert("AWS::StackName".to_owned(), s.name.clone());
            // arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID
            let arn: Vec<&str> = s.id.split(':').collect();
            if arn.len() >= 6 && arn[0] == "arn" {
                for (key, v) in [
                    ("AWS::Partition", arn[1]),
                    ("AWS::Region", arn[3]),
                    ("AWS::AccountId", arn[4]),
                ] {
                    if !v.is_empty() {
                        pseudo.insert(key.to_owned(), v.to_owned());
                    }
                }
            }
            pseudo.insert("AWS::StackId".to_owned(), s.id.clone());
        }
        Self {
            deployed: stack.map(|s| s.parameters.iter().cloned().collect()),
            requested: requested.clone(),
            pseudo,
        }
    }
}

/// One parameter whose value changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterChange {
    /// The parameter's name.
    pub name: String,
    /// `added` (a new parameter) or `modified`.
    pub kind: ChangeKind,
    /// The deployed value (never for a NoEcho parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The requested value (never for a NoEcho parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// A NoEcho parameter given a value: CloudFormation masks the deployed value, so the
    /// change cannot be known; it is counted as a change and its values never shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_echo: bool,
}

impl ParameterChange {
    /// `Env: dev → prod`, or `DbPassword (NoEcho: value may change)`.
    /// The name and values are untrusted text (a template, `--parameter`, the deployed
    /// stack): shown on one line, line breaks escaped.
    pub fn describe(&self) -> String {
        let line = |s: &str| escape_line(s).into_owned();
        let name = line(&self.name);
        match (self.no_echo, &self.old, &self.new) {
            (true, _, _) => format!("{name} (NoEcho: value may change)"),
            (false, Some(o), Some(n)) => format!("{name}: {} → {}", line(o), line(n)),
            (false, None, Some(n)) => format!("{name}: {} (new parameter)", line(n)),
            (false, _, None) => format!("{name}: value unknown"),
        }
    }
}

/// The value of one parameter on one side.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Side {
    Known(String),
    /// NoEcho and possibly changed: a placeholder that names no value.
    Masked(&'static str),
}

/// The marker placed where a NoEcho value that may have changed flows into a property.
pub const NO_ECHO_MARK: &str = "(NoEcho ";

/// Parameter value changes, and `old`/`new` with parameters resolved in their resources.
pub fn resolve(
    old: &Value,
    new: &Value,
    values: &ParameterValues,
) -> (Vec<ParameterChange>, Value, Value) {
    // A new stack: nothing to compare with, but the new side's values (requested or
    // default) decide its conditions and properties.
    let new_stack = values.deployed.is_none() && old.is_null();
    let nothing = BTreeMap::new();
    let deployed = match &values.deployed {
        Some(d) => d,
        None if new_stack => &nothing,
        None => {
            let (o, n) = (
                resolve_resources(old, &nothing_values()),
                resolve_resources(new, &nothing_values()),
            );
            return (Vec::new(), o, n);
        }
    };
    let empty = Map::new();
    let declared = |t: &Value| {
        t.get("Parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (old_decl, new_decl) = (declared(old), declared(new));
    let mut changes = Vec::new();
    let mut old_side: BTreeMap<String, Side> = BTreeMap::new();
    let mut new_side: BTreeMap<String, Side> = BTreeMap::new();
    for (name, decl) in &new_decl {
        let no_echo = is_no_echo(decl) || old_decl.get(name).is_some_and(is_no_echo);
        let before = deployed
            .get(name)
            .filter(|_| old_decl.contains_key(name))
            .map(|v| {
                if no_echo || v == MASK {
                    Side::Masked("previous")
                } else {
                    Side::Known(v.clone())
                }
            });
        let after = match (values.requested.get(name), &before) {
            (Some(_), _) if no_echo => Some(Side::Masked("new")),
            (Some(v), _) => Some(Side::Known(v.clone())),
            // Not given: it keeps its previous value (UsePreviousValue).
            (None, Some(b)) => Some(b.clone()),
            (None, None) if no_echo => decl.get("Default").map(|_| Side::Masked("new")),
            (None, None) => decl.get("Default").and_then(scalar).map(Side::Known),
        };
        match (&before, &after) {
            (Some(b), Some(a)) if b != a => changes.push(ParameterChange {
                name: name.clone(),
                kind: ChangeKind::Modified,
                old: known(b),
                new: known(a),
                no_echo,
            }),
            (None, Some(a)) => changes.push(ParameterChange {
                name: name.clone(),
                kind: ChangeKind::Added,
                old: None,
                new: known(a),
                no_echo,
            }),
            _ => {}
        }
        if let Some(b) = before {
            old_side.insert(name.clone(), b);
        }
        if let Some(a) = after {
            new_side.insert(name.clone(), a);
        }
    }
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    if new_stack {
        changes.clear();
    }
    // A parameter that keeps a masked value on both sides is unchanged: resolve neither.
    let unchanged_masks: Vec<String> = new_side
        .iter()
        .filter(|(k, v)| matches!(v, Side::Masked("previous")) && old_side.get(*k) == Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in unchanged_masks {
        new_side.remove(&k);
        old_side.remove(&k);
    }
    let lookup = |side: &BTreeMap<String, Side>, decl: &Map<String, Value>, which: &str| {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in &values.pseudo {
            out.insert(k.clone(), Value::String(v.clone()));
        }
        for (k, v) in side {
            // What CloudFormation resolves at deploy time is not the text nephos holds (an
            // SSM-typed parameter's value is the key; the value is read at deploy): a
            // placeholder that no evaluation takes as known, and that differs on the two
            // sides, since the value may have changed since the last deploy.
            let deploy_time = decl.get(k).is_some_and(resolved_at_deploy);
            let text = match v {
                Side::Known(_) if deploy_time => format!("{DEPLOY_TIME_MARK}{k}: {which} value)"),
                Side::Known(s) => s.clone(),
                Side::Masked(which) => format!("{NO_ECHO_MARK}{k}: {which} value)"),
            };
            let is_list = decl
                .get(k)
                .and_then(|d| d.get("Type"))
                .and_then(Value::as_str)
                .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
            let value = if is_list && matches!(v, Side::Known(_)) && !deploy_time {
                Value::Array(
                    text.split(',')
                        .map(|s| Value::String(s.trim().to_owned()))
                        .collect(),
                )
            } else {
                Value::String(text)
            };
            out.insert(k.clone(), value);
        }
        out
    };
    let old_r = resolve_resources(old, &lookup(&old_side, &old_decl, "previous"));
    let new_r = resolve_resources(new, &lookup(&new_side, &new_decl, "new"));
    (changes, old_r, new_r)
}

fn nothing_values() -> BTreeMap<String, Value> {
    BTreeMap::new()
}

/// The marker placed where a parameter whose value CloudFormation resolves at deploy time
/// (an SSM-typed parameter) flows: its text is a key, not the value.
pub const DEPLOY_TIME_MARK: &str = "(resolved at deploy ";

/// The `Type` prefix of parameters whose value CloudFormation reads from Systems Manager
/// Parameter Store when the stack is deployed (AWS CloudFormation User Guide, "Supported
/// SSM parameter types": `AWS::SSM::Parameter::Value<String>`, `<List<String>>`,
/// `<CommaDelimitedList>`, `<AWS-specific type>`, `<List<AWS-specific type>>`). The value
/// nephos holds is the parameter's key. (`AWS::SSM::Parameter::Name` is the key itself,
/// known offline.)
const SSM_VALUE_TYPE: &str = "AWS::SSM::Parameter::Value<";

/// Whether a parameter declaration's value is resolved by CloudFormation at deploy time,
/// so that the text given for it (its `Default`, `--parameter`, the deployed value) is
/// not its value.
pub fn resolved_at_deploy(decl: &Value) -> bool {
    decl.get("Type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.trim_start().starts_with(SSM_VALUE_TYPE))
}

/// Whether text holds a value nephos cannot know offline: a NoEcho or deploy-time
/// placeholder, or a dynamic reference (`{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`),
/// which CloudFormation replaces by the value it reads at deploy time (AWS CloudFormation
/// User Guide, "Get values stored in other services using dynamic references").
pub fn unknown_offline(text: &str) -> bool {
    text.contains(NO_ECHO_MARK) || text.contains(DEPLOY_TIME_MARK) || text.contains("{{resolve:")
}

/// Whether a parameter declaration is `NoEcho`.
pub fn is_no_echo(decl: &Value) -> bool {
    matches!(decl.get("NoEcho"), Some(Value::Bool(true)))
        || decl
            .get("NoEcho")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn known(s: &Side) -> Option<String> {
    match s {
        Side::Known(v) => Some(v.clone()),
        Side::Masked(_) => None,
    }
}

/// `template` with parameters resolved inside each resource's `Properties`, in `Outputs`
/// and in `Conditions`, then every value in normal form ([`super::evaluate`]): each
/// `Fn::If` whose condition is now known takes its branch, `Fn::Join`, `Fn::Select`,
/// `Fn::FindInMap`... over known values are evaluated.
fn resolve_resources(template: &Value, values: &BTreeMap<String, Value>) -> Value {
    let mut t = template.clone();
    let each = |t: &mut Value, section: &str, key: &str, f: &dyn Fn(&Value) -> Value| {
        if let Some(entries) = t.get_mut(section).and_then(Value::as_object_mut) {
            for e in entries.values_mut() {
                if let Some(v) = e.get_mut(key) {
                    *v = f(v);
                }
            }
        }
    };
    if !values.is_empty() {
        let sub = |v: &Value| substitute(v, values);
        each(&mut t, "Resources", "Properties", &sub);
        each(&mut t, "Outputs", "Value", &sub);
        // Conditions too, so that those on parameters can be evaluated offline.
        if let Some(conditions) = t.get_mut("Conditions") {
            *conditions = substitute(conditions, values);
        }
    }
    let decided = t.clone();
    let norm = |v: &Value| super::evaluate::normalize(v, &decided).unwrap_or(Value::Null);
    each(&mut t, "Resources", "Properties", &norm);
    each(&mut t, "Outputs", "Value", &norm);
    t
}

/// What a NoEcho parameter's default is shown as (never its value).
pub const HIDDEN: &str = "(hidden: NoEcho)";

/// `template` with the `Default` of every NoEcho parameter hidden, for every place a
/// template or its parameters are shown (section changes, `--template-diff`, JSON).
pub fn redact(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(params) = t.get_mut("Parameters").and_then(Value::as_object_mut) {
        for decl in params.values_mut() {
            if is_no_echo(decl)
                && let Some(d) = decl.get_mut("Default")
            {
                *d = Value::String(HIDDEN.into());
            }
        }
    }
    t
}

/// Replaces `Ref`s of known names by their values and `${Name}` in `Fn::Sub` strings; a
/// `Fn::Sub` left without any `${...}` becomes the plain string.
fn substitute(v: &Value, values: &BTreeMap<String, Value>) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, inner) = m
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("", v));
            match (k, inner) {
                ("Ref", Value::String(name)) => {
                    values.get(name).cloned().unwrap_or_else(|| v.clone())
                }
                ("Fn::Sub", Value::String(s)) => sub_string(s, values, &Map::new()),
                ("Fn::Sub", Value::Array(a)) if a.len() == 2 && a[0].is_string() => {
                    let vars: Map<String, Value> = a[1]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, x)| (k.clone(), substitute(x, values)))
                                .collect()
                        })
                        .unwrap_or_default();
                    match sub_string(a[0].as_str().unwrap_or_default(), values, &vars) {
                        // Nothing left to substitute: the Sub's own variables are unused.
                        Value::String(done) => Value::String(done),
                        partial => {
                            let pattern = partial.get("Fn::Sub").cloned().unwrap_or(partial);
                            let mut o = Map::new();
                            o.insert(
                                "Fn::Sub".into(),
                                Value::Array(vec![pattern, Value::Object(vars)]),
                            );
                            Value::Object(o)
                        }
                    }
                }
                _ => {
                    let mut o = Map::new();
                    o.insert(k.to_owned(), substitute(inner, values));
                    Value::Object(o)
                }
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), substitute(x, values)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, values)).collect()),
        other => other.clone(),
    }
}

/// Substitutes `${Name}` of known scalar values (not shadowed by the Sub's own `vars`) in
/// `s`: the plain string when nothing is left to substitute, else `{"Fn::Sub": rest}`.
fn sub_string(s: &str, values: &BTreeMap<String, Value>, vars: &Map<String, Value>) -> Value {
    let mut out = String::new();
    let mut rest = s;
    let mut open = false;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        if after.starts_with('!') {
            // `${!Literal}` is written as `${Literal}` by CloudFormation: keep it escaped.
            out.push_str("${");
            rest = after;
            open = true;
            continue;
        }
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            open = true;
            break;
        };
        let name = &after[..end];
        match (vars.contains_key(name), values.get(name)) {
            (false, Some(Value::String(v))) => out.push_str(v),
            _ => {
                out.push_str(&rest[i..i + 2 + end + 1]);
                open = true;
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    if open {
        let mut o = Map::new();
        o.insert("Fn::Sub".into(), Value::String(out));
        Value::Object(o)
    } else {
        Value::String(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(extra_param: Value) -> Value {
        let mut t = json!({
            "Parameters": {"Env": {"Type": "String", "Default": "dev"}, "Secret": {"Type": "String", "NoEcho": true}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": {"Fn::Sub": "q-${Env}-${AWS::Region}"},
                "Tags": [{"Key": "env", "Value": {"Ref": "Env"}}, {"Key": "s", "Value": {"Ref": "Secret"}}],
                "Other": {"Fn::Sub": ["${X}-${Env}", {"X": {"Ref": "Unknown"}}]}}}}
        });
        if let (Some(p), Some(e)) = (t["Parameters"].as_object_mut(), extra_param.as_object()) {
            p.extend(e.clone());
        }
        t
    }

    fn values(requested: &[(&str, &str)]) -> ParameterValues {
        let stack = Stack {
            name: "s".into(),
            id: "arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1".into(),
            parameters: vec![
                ("Env".into(), "dev".into()),
                ("Secret".into(), "****".into()),
            ],
            ..Default::default()
        };
        let req = requested
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ParameterValues::of(Some(&stack), &req)
    }

    #[test]
    fn a_changed_parameter_is_shown_and_resolved_into_properties() {
        let t = template(json!({}));
        let (changes, old, new) = resolve(&t, &t, &values(&[("Env", "prod")]));
        assert_eq!(
            changes
                .iter()
                .map(ParameterChange::describe)
                .collect::<Vec<_>>(),
            ["Env: dev → prod"]
        );
        assert_eq!(
            old["Resources"]["Q"]["Properties"]["QueueName"],
            json!("q-dev-eu-west-1")
        );
        assert_eq!(
            new["Resources"]["Q"]["Properties"]["QueueName"],
            json!("q-prod-eu-west-1")
        );
        assert_eq!(
            new["Resources"]["Q"]["Properties"]["Other"],
            json!({"Fn::Sub": "${Unknown}-prod"})
        );
        // The masked value is resolved on neither side when it keeps its previous value.
        assert_eq!(
            new["Resources"]["Q"]["Properties"]["Tags"][1]["Value"],
            json!({"Ref": "Secret"})
        );
    }

    #[test]
    fn a_no_echo_value_given_may_change_and_is_never_shown() {
        let t = template(json!({}));
        let (changes, old, new) =
            resolve(&t, &t, &values(&[("Env", "dev"), ("Secret", "hunter2")]));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].describe(), "Secret (NoEcho: value may change)");
        let shown = format!("{changes:?}{old}{new}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_ne!(
            old["Resources"]["Q"]["Properties"]["Tags"],
            new["Resources"]["Q"]["Properties"]["Tags"]
        );
    }

    #[test]
    fn unchanged_values_and_new_parameters() {
        let t = template(json!({}));
        let (changes, ..) = resolve(&t, &t, &values(&[("Env", "dev")]));
        assert!(changes.is_empty());
        let t2 = template(json!({"Size": {"Type": "Number", "Default": 5}}));
        let (changes, ..) = resolve(&t, &t2, &values(&[]));
        assert_eq!(
            changes
                .iter()
                .map(ParameterChange::describe)
                .collect::<Vec<_>>(),
            ["Size: 5 (new parameter)"]
        );
        let (none, ..) = resolve(&t, &t, &ParameterValues::default());
        assert!(none.is_empty(), "no deployed stack, nothing to compare");
    }

    #[test]
    fn a_known_condition_chooses_its_branch_and_no_value_leaves_the_property_out() {
        let t = json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": {"Fn::If": ["IsProd", "jobs", "jobs-test"]},
                "DelaySeconds": {"Fn::If": ["IsProd", 5, {"Ref": "AWS::NoValue"}]},
                "Other": {"Fn::If": ["Unknown", 1, 2]}}}}
        });
        let stack = Stack {
            parameters: vec![("Env".into(), "dev".into())],
            ..Default::default()
        };
        let req = BTreeMap::from([("Env".to_owned(), "prod".to_owned())]);
        let (_, old, new) = resolve(&t, &t, &ParameterValues::of(Some(&stack), &req));
        assert_eq!(
            old["Resources"]["Q"]["Properties"],
            json!({"QueueName": "jobs-test", "Other": {"Fn::If": ["Unknown", 1, 2]}})
        );
        assert_eq!(
            new["Resources"]["Q"]["Properties"]["QueueName"],
            json!("jobs")
        );
        assert_eq!(
            new["Resources"]["Q"]["Properties"]["DelaySeconds"],
            json!(5)
        );
    }

    #[test]
    fn escaped_and_unknown_placeholders_stay() {
        let vals = BTreeMap::from([("Env".to_owned(), json!("prod"))]);
        assert_eq!(
            sub_string("${!Env}-${Env}", &vals, &Map::new()),
            json!({"Fn::Sub": "${!Env}-prod"})
        );
        assert_eq!(sub_string("a-${Env}", &vals, &Map::new()), json!("a-prod"));
        assert_eq!(
            sub_string("${Nope", &vals, &Map::new()),
            json!({"Fn::Sub": "${Nope"})
        );
    }
}
