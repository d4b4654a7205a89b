//! Types whose `Ref` depends on whether one property is set ([`CONDITIONAL_REFS_FILE`]).
//!
//! A security group's `Ref` is its ID when `VpcId` is set and its name otherwise (AWS
//! documentation, `AWS::EC2::SecurityGroup`, "Return values"), so one kind for `Ref` either
//! rejects the ID where only IDs fit (a function's `VpcConfig`) or admits a name there. The
//! generator gives such a type a typestate instead: the builder's parameter records whether
//! the property was set ([`STATES`]), and the handle of each state has the `Ref` getter of
//! that state's kind. The facts are reviewed data, each entry naming its AWS page.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The reviewed table, relative to the workspace root.
pub const CONDITIONAL_REFS_FILE: &str = "dsl/codegen/data/conditional_refs.json";

/// Where every entry's source must point: the AWS documentation.
const SOURCE_PREFIX: &str = "https://docs.aws.amazon.com/";

/// The typestate markers in `nephos::ref_state`: the property was set (`Set`), never set
/// (`Unset`, the builder's default), or set from an `Option` (`Unknown`).
pub const STATES: [&str; 3] = ["Set", "Unset", "Unknown"];

/// One `Ref` that depends on a property: `Ref` returns `set.format` when `property` is set
/// and `unset.format` when it is not, as the page at `source` states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionalRef {
    /// The top-level property `Ref` depends on (`VpcId`).
    pub property: String,
    /// The getter and the attribute `Ref` returns when the property is set.
    pub set: Getter,
    /// The getter and the attribute `Ref` returns when it is not.
    pub unset: Getter,
    /// The AWS documentation page that states it.
    pub source: String,
}

/// A `Ref` getter of one state: its method name and the attribute (`AWS::EC2::SecurityGroup.Id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Getter {
    /// The method name, `id`.
    pub method: String,
    /// The resource attribute it returns, as a registry `format`.
    pub format: String,
}

impl ConditionalRef {
    /// The getter of the `Unknown` state: either attribute, named by both methods (`id_or_name`).
    pub fn either_method(&self) -> String {
        format!("{}_or_{}", self.set.method, self.unset.method)
    }
}

/// Loads [`CONDITIONAL_REFS_FILE`] below `root`, by type name.
///
/// # Errors
/// The file cannot be read or parsed, or an entry is incomplete (see [`parse`]).
pub fn load(root: &Path) -> Result<BTreeMap<String, ConditionalRef>, String> {
    let path = root.join(CONDITIONAL_REFS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the table (see [`load`]).
///
/// # Errors
/// An entry lacks a field, names a format that is no resource attribute of its own type,
/// gives two getters one name, or gives a source outside the AWS documentation.
pub fn parse(text: &str) -> Result<BTreeMap<String, ConditionalRef>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("types")
        .and_then(Value::as_array)
        .ok_or("no `types` list")?;
    let mut out = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let text_at = |pointer: &str| {
            e.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("entry {i}: no `{pointer}`"))
        };
        let type_name = text_at("/type")?;
        let getter = |state: &str| -> Result<Getter, String> {
            let g = Getter {
                method: text_at(&format!("/{state}/method"))?,
                format: text_at(&format!("/{state}/format"))?,
            };
            let own = g
                .format
                .split_once('.')
                .is_some_and(|(t, _)| t == type_name);
            if !own || crate::build::format_kind(&g.format).is_none() {
                return Err(format!(
                    "entry {i} ({type_name}): `{}` is no attribute of {type_name}",
                    g.format
                ));
            }
            Ok(g)
        };
        let entry = ConditionalRef {
            property: text_at("/property")?,
            set: getter("set")?,
            unset: getter("unset")?,
            source: text_at("/source")?,
        };
        if !entry.source.starts_with(SOURCE_PREFIX) {
            return Err(format!(
                "entry {i} ({type_name}): the source must be an AWS documentation page ({SOURCE_PREFIX}...)"
            ));
        }
        if entry.set.method == entry.unset.method {
            return Err(format!(
                "entry {i} ({type_name}): the two states need two getter names"
            ));
        }
        if out.insert(type_name.clone(), entry).is_some() {
            return Err(format!("entry {i}: {type_name} is listed twice"));
        }
    }
    Ok(out)
}

/// Attaches `entry` to `model`: checks the property is a settable top-level property with no
/// earlier names (its setters change the builder's type, which an alias could not), and adds
/// both attributes' kinds and their union to the model's kinds. The union is the model's
/// plain `Ref` kind already where the schema states both (`anyOf`), and is what the
/// `Unknown` state's getter returns.
///
/// # Errors
/// The property is not one of the type's fields, or has aliases.
pub fn attach(
    model: &mut crate::model::ResourceModel,
    entry: &ConditionalRef,
) -> Result<(), String> {
    let field = model
        .fields
        .iter()
        .find(|f| f.name == entry.property)
        .ok_or_else(|| {
            format!(
                "{}: {} is no settable property, so `Ref` cannot depend on it ({CONDITIONAL_REFS_FILE})",
                model.type_name, entry.property
            )
        })?;
    if !field.aliases.is_empty() {
        return Err(format!(
            "{}: {} has earlier names; a typestate setter cannot keep them",
            model.type_name, entry.property
        ));
    }
    let methods = [
        &entry.set.method,
        &entry.unset.method,
        &entry.either_method(),
    ];
    if let Some(a) = model
        .attributes
        .iter()
        .find(|a| methods.contains(&&a.method))
    {
        return Err(format!(
            "{}: the `Ref` getter `{}` would collide with the attribute getter of {}",
            model.type_name, a.method, a.name
        ));
    }
    let formats = [entry.set.format.clone(), entry.unset.format.clone()];
    let union = crate::unions::kind_of(&formats, "", None, &mut model.kinds)
        .ok_or_else(|| format!("{}: no kind for {formats:?}", model.type_name))?;
    model.kinds.insert(union.0, union.1);
    model.conditional_ref = Some(entry.clone());
    Ok(())
}

/// The Rust name of the kind of `format` in `kinds` (after [`crate::kind_names::dedupe`]).
pub fn rust_kind(kinds: &BTreeMap<String, String>, format: &str) -> Option<String> {
    kinds
        .iter()
        .find(|(_, name)| name.as_str() == format)
        .map(|(rust, _)| rust.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"types": [{"type": "AWS::EC2::SecurityGroup", "property": "VpcId",
        "set": {"method": "id", "format": "AWS::EC2::SecurityGroup.Id"},
        "unset": {"method": "name", "format": "AWS::EC2::SecurityGroup.Name"},
        "source": "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html"}]}"#;

    #[test]
    fn an_entry_names_both_states_and_its_source() {
        let table = parse(ENTRY).expect("parses");
        let sg = &table["AWS::EC2::SecurityGroup"];
        assert_eq!(sg.property, "VpcId");
        assert_eq!(sg.set.method, "id");
        assert_eq!(sg.unset.format, "AWS::EC2::SecurityGroup.Name");
        assert_eq!(sg.either_method(), "id_or_name");
    }

    #[test]
    fn entries_without_a_docs_source_or_with_a_foreign_attribute_are_refused() {
        let blog = ENTRY.replace("https://docs.aws.amazon.com/", "https://example.com/");
        assert!(parse(&blog).unwrap_err().contains("AWS documentation"));
        let foreign = ENTRY.replace("AWS::EC2::SecurityGroup.Name", "AWS::EC2::Vpc.VpcId");
        assert!(parse(&foreign).unwrap_err().contains("no attribute"));
        let same = ENTRY.replace("\"name\"", "\"id\"");
        assert!(parse(&same).unwrap_err().contains("two getter names"));
    }

    #[test]
    fn the_vendored_table_loads_and_names_the_security_group() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let table = load(&root).expect("the vendored table loads");
        assert!(table.contains_key("AWS::EC2::SecurityGroup"));
    }
}
