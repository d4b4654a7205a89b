//! Resolving a new function property's intrinsics from what the deployed stack already
//! holds: parameters (their deployed values), pseudo parameters, and `Ref`s to resources
//! (their physical IDs). Anything else (`Fn::GetAtt`, `Fn::If`, `Fn::ImportValue`, ...) is
//! not resolved here: the caller falls back to a CloudFormation deploy, which can.

use std::collections::BTreeMap;

use serde_json::Value;

/// What a `Ref` or `${...}` can name, read from the deployed stack.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The stack's parameter values as deployed (`DescribeStacks`).
    pub parameters: BTreeMap<String, String>,
    /// Physical IDs by logical ID (`ListStackResources`).
    pub physical_ids: BTreeMap<String, String>,
    /// `AWS::Region`.
    pub region: String,
    /// `AWS::AccountId`.
    pub account: String,
    /// `AWS::StackName`.
    pub stack_name: String,
    /// Parameters whose deployed value nephos cannot know for sure, with the reason: a
    /// property that uses one is not hotswapped. Filled by [`Scope::withhold_declared`]
    /// and by whoever reads the deployed values (a key listed twice, say).
    pub withheld: BTreeMap<String, String>,
}

/// What CloudFormation shows for a `NoEcho` parameter instead of its value.
const MASKED: &str = "****";

impl Scope {
    /// Sets the deployed parameter values as DescribeStacks lists them; a key listed twice
    /// with different values is withheld (no one value to trust).
    ///
    /// # Example
    /// ```
    /// use nephos_cli::hotswap::resolve::Scope;
    /// let list = [("A".to_owned(), "1".to_owned()), ("A".to_owned(), "2".to_owned())];
    /// assert!(Scope::default().with_parameters(&list).withheld.contains_key("A"));
    /// ```
    #[must_use]
    pub fn with_parameters(mut self, list: &[(String, String)]) -> Self {
        self.parameters = list.iter().cloned().collect();
        for (k, v) in list {
            if self.parameters.get(k) != Some(v) {
                self.withheld.insert(
                    k.clone(),
                    format!(
                        "the deployed stack lists the parameter {k} twice, with different values"
                    ),
                );
            }
        }
        self
    }

    /// Withholds each parameter `template` declares whose deployed value is not its
    /// value: `NoEcho` ones (DescribeStacks answers `****` for them; CloudFormation User
    /// Guide, "Parameters": NoEcho) and SSM-typed ones (`AWS::SSM::Parameter::Value<...>`:
    /// DescribeStacks gives the parameter's name, the value lives in Parameter Store and
    /// may have changed since). A `NoEcho` that is not plainly `false` counts as set.
    ///
    /// # Example
    /// ```
    /// use nephos_cli::hotswap::resolve::{Scope, resolve};
    /// let t = serde_json::json!({"Parameters": {"Pw": {"Type": "String", "NoEcho": true}}});
    /// let mut scope = Scope::default();
    /// scope.parameters.insert("Pw".into(), "what DescribeStacks said".into());
    /// scope.withhold_declared(&t);
    /// assert!(resolve(&serde_json::json!({"Ref": "Pw"}), &scope).is_err());
    /// ```
    pub fn withhold_declared(&mut self, template: &Value) {
        let Some(params) = template.get("Parameters").and_then(Value::as_object) else {
            return;
        };
        for (name, decl) in params {
            let no_echo = match decl.get("NoEcho") {
                None | Some(Value::Bool(false)) => false,
                Some(Value::String(s)) => !s.eq_ignore_ascii_case("false"),
                Some(_) => true,
            };
            let ty = decl.get("Type").and_then(Value::as_str).unwrap_or_default();
            let why = if no_echo {
                format!("the parameter {name} is NoEcho: its deployed value cannot be read")
            } else if ty.starts_with("AWS::SSM::Parameter::Value<") {
                format!(
                    "the parameter {name} is read from SSM Parameter Store at deploy time: its current value is CloudFormation's to resolve"
                )
            } else {
                continue;
            };
            self.withheld.entry(name.clone()).or_insert(why);
        }
    }

    /// The value `Ref: name` stands for.
    fn reference(&self, name: &str) -> Result<String, String> {
        if let Some(why) = self.withheld.get(name) {
            return Err(why.clone());
        }
        match name {
            "AWS::Region" => return Ok(self.region.clone()),
            "AWS::AccountId" => return Ok(self.account.clone()),
            "AWS::StackName" => return Ok(self.stack_name.clone()),
            "AWS::Partition" => return partition(&self.region).map(|p| p.0.to_owned()),
            "AWS::URLSuffix" => return partition(&self.region).map(|p| p.1.to_owned()),
            _ => {}
        }
        if let Some(v) = self.parameters.get(name) {
            if v == MASKED {
                return Err(format!(
                    "the parameter {name} is NoEcho: its deployed value cannot be read"
                ));
            }
            return Ok(v.clone());
        }
        if let Some(id) = self.physical_ids.get(name) {
            return Ok(id.clone());
        }
        Err(format!(
            "`Ref: {name}` names neither a deployed parameter nor a resource with a physical ID"
        ))
    }
}

/// The partition and URL suffix of `region`, from the partition table of the AWS SDKs'
/// endpoint data ([`nephos::facts::partition_of_region`]): the isolated and sovereign
/// partitions (`us-iso*`, `eu-iso*`, `eusc-*`) have names and suffixes of their own. A
/// region no partition lists or matches is not guessed (the SDKs would assume `aws`, which
/// a function would then be given): the change goes through CloudFormation.
fn partition(region: &str) -> Result<(&'static str, &'static str), String> {
    nephos::facts::partition_of_region(region)
        .map(|p| (p.id, p.dns_suffix))
        .ok_or_else(|| format!("the partition of region {region} is not known to hotswap"))
}

/// `value` with every intrinsic resolved from `scope`.
///
/// # Errors
/// Which intrinsic cannot be resolved, and why.
///
/// # Example
/// ```
/// use nephos_cli::hotswap::resolve::{Scope, resolve};
/// let scope = Scope { region: "eu-west-1".into(), ..Scope::default() };
/// let v = serde_json::json!({"Fn::Sub": "a-${AWS::Region}"});
/// assert_eq!(resolve(&v, &scope), Ok(serde_json::json!("a-eu-west-1")));
/// ```
pub fn resolve(value: &Value, scope: &Scope) -> Result<Value, String> {
    match value {
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m
                .iter()
                .next()
                .map_or(("", &Value::Null), |(k, v)| (k.as_str(), v));
            match k {
                "Ref" => {
                    let name = arg.as_str().ok_or("`Ref` needs a name")?;
                    Ok(Value::String(scope.reference(name)?))
                }
                "Fn::Sub" => sub(arg, scope).map(Value::String),
                "Fn::Join" => join(arg, scope).map(Value::String),
                _ if k.starts_with("Fn::") || k == "Condition" => {
                    Err(format!("{k} cannot be resolved from the deployed stack"))
                }
                _ => Ok(Value::Object(
                    [(k.to_owned(), resolve(arg, scope)?)].into_iter().collect(),
                )),
            }
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), resolve(v, scope)?)))
            .collect::<Result<_, String>>()
            .map(Value::Object),
        Value::Array(a) => a
            .iter()
            .map(|v| resolve(v, scope))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// A resolved scalar as the string CloudFormation passes on.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn join(arg: &Value, scope: &Scope) -> Result<String, String> {
    let (Some(delim), Some(items)) = (
        arg.get(0).and_then(Value::as_str),
        arg.get(1).map(|v| resolve(v, scope)),
    ) else {
        return Err("Fn::Join needs [delimiter, [values]]".into());
    };
    let items = items?;
    let parts = items
        .as_array()
        .ok_or("Fn::Join's values are not a list")?
        .iter()
        .map(|v| scalar(v).ok_or_else(|| "Fn::Join joins a value that is not a string".to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join(delim))
}

fn sub(arg: &Value, scope: &Scope) -> Result<String, String> {
    let (text, vars) = match arg {
        Value::String(s) => (s.as_str(), None),
        Value::Array(a) if a.len() == 2 => (
            a[0].as_str()
                .ok_or("Fn::Sub's first item is not a string")?,
            Some(
                a[1].as_object()
                    .ok_or("Fn::Sub's variables are not a map")?,
            ),
        ),
        _ => return Err("Fn::Sub needs a string or [string, variables]".into()),
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find('}').ok_or("Fn::Sub has an unclosed ${")?;
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            // `${!Literal}` writes `${Literal}` (CloudFormation User Guide, Fn::Sub).
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else if let Some(v) = vars.and_then(|m| m.get(name)) {
            let v = resolve(v, scope)?;
            out.push_str(&scalar(&v).ok_or("an Fn::Sub variable is not a string")?);
        } else if name.contains('.') {
            return Err(format!(
                "`${{{name}}}` is an attribute (Fn::GetAtt), which the deployed stack does not say"
            ));
        } else {
            out.push_str(&scope.reference(name)?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope() -> Scope {
        Scope {
            parameters: [
                ("Bucket".to_owned(), "b1".to_owned()),
                ("Secret".to_owned(), MASKED.to_owned()),
            ]
            .into_iter()
            .collect(),
            physical_ids: [("Table".to_owned(), "users-abc".to_owned())]
                .into_iter()
                .collect(),
            region: "cn-north-1".into(),
            account: "123456789012".into(),
            stack_name: "s".into(),
            withheld: Default::default(),
        }
    }

    #[test]
    fn refs_subs_and_joins_resolve_from_the_deployed_stack() {
        let s = scope();
        assert_eq!(resolve(&json!({"Ref": "Bucket"}), &s), Ok(json!("b1")));
        assert_eq!(
            resolve(&json!({"Ref": "Table"}), &s),
            Ok(json!("users-abc"))
        );
        assert_eq!(
            resolve(
                &json!({"Fn::Sub": "nephos-${AWS::AccountId}-${AWS::Region}/${!Keep}"}),
                &s
            ),
            Ok(json!("nephos-123456789012-cn-north-1/${Keep}"))
        );
        assert_eq!(
            resolve(
                &json!({"Fn::Sub": ["${X}-${AWS::Partition}", {"X": {"Ref": "Table"}}]}),
                &s
            ),
            Ok(json!("users-abc-aws-cn"))
        );
        assert_eq!(
            resolve(&json!({"Fn::Join": ["-", ["a", {"Ref": "Bucket"}, 3]]}), &s),
            Ok(json!("a-b1-3"))
        );
        assert_eq!(
            resolve(&json!({"Variables": {"T": {"Ref": "Table"}}}), &s),
            Ok(json!({"Variables": {"T": "users-abc"}}))
        );
    }

    #[test]
    fn what_the_deployed_stack_does_not_say_is_not_resolved() {
        let s = scope();
        for v in [
            json!({"Fn::GetAtt": ["Table", "Arn"]}),
            json!({"Fn::Sub": "${Table.Arn}"}),
            json!({"Ref": "Missing"}),
            json!({"Ref": "Secret"}),
            json!({"Fn::If": ["C", 1, 2]}),
            json!({"Fn::ImportValue": "x"}),
            json!({"Fn::Sub": "${Unclosed"}),
        ] {
            assert!(resolve(&v, &s).is_err(), "{v}");
        }
    }
}

#[cfg(test)]
mod partition_tests {
    use super::partition;

    /// Every partition resolves to its own id and DNS suffix, the isolated and sovereign
    /// ones too; a region of no partition is refused, not taken for `aws`.
    #[test]
    fn each_region_resolves_to_its_partition_and_an_unknown_one_is_not_guessed() {
        for (region, expected) in [
            ("eu-west-1", ("aws", "amazonaws.com")),
            ("cn-north-1", ("aws-cn", "amazonaws.com.cn")),
            ("us-gov-west-1", ("aws-us-gov", "amazonaws.com")),
            ("us-iso-east-1", ("aws-iso", "c2s.ic.gov")),
            ("us-isob-east-1", ("aws-iso-b", "sc2s.sgov.gov")),
            ("eu-isoe-west-1", ("aws-iso-e", "cloud.adc-e.uk")),
            ("us-isof-south-1", ("aws-iso-f", "csp.hci.ic.gov")),
            ("eusc-de-east-1", ("aws-eusc", "amazonaws.eu")),
        ] {
            assert_eq!(partition(region), Ok(expected), "{region}");
        }
        assert!(partition("mars-north-1").is_err());
    }
}
