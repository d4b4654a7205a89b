//! `dsl/src/facts_data.rs`: replacement, list-order, identity, required-property and
//! attribute facts of every type in the bundle, the replacement facts merged from the
//! registry schema and the AWS service spec.
//!
//! The table holds no pointers: every name is a byte range of one string (`TEXT`, each
//! distinct name once), each list a run of those ranges (`NAMES`), each type a row of
//! plain integers (`ALL`). A table of `&'static str` slices instead costs one dynamic
//! relocation per name (about 33 000) that every process applies at start-up, and the
//! binary carries 16 bytes of pointer and 24 of relocation entry per name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use crate::emit::HEADER;

/// The lists of one type, in the order of the row's runs (see `facts::List` in the dsl).
const LISTS: usize = 9;

/// The text, the name ranges and the rows, built type by type.
#[derive(Default)]
struct Table {
    /// Every distinct name, concatenated.
    text: String,
    /// The new names of each type, for `TEXT`'s lines (one line per type).
    text_lines: Vec<(String, Vec<String>)>,
    /// Where each distinct name starts in `text`.
    offsets: HashMap<String, usize>,
    /// Byte ranges (start, length) of `text`, list after list.
    names: Vec<(usize, usize)>,
    /// The ranges of `names` each type adds, for `NAMES`'s lines.
    names_lines: Vec<(String, usize, usize)>,
}

impl Table {
    /// The range of `name` in the text, adding it on first use.
    fn span(&mut self, name: &str, new: &mut Vec<String>) -> (usize, usize) {
        let start = match self.offsets.get(name) {
            Some(&start) => start,
            None => {
                let start = self.text.len();
                self.text.push_str(name);
                self.offsets.insert(name.to_string(), start);
                new.push(name.to_string());
                start
            }
        };
        (start, name.len())
    }

    /// One type's row: its name's range, the run of each list, `attributes_complete`.
    fn row(&mut self, type_name: &str, lists: &[Vec<String>; LISTS], complete: bool) -> String {
        let mut new = Vec::new();
        let name = self.span(type_name, &mut new);
        let first = self.names.len();
        let mut runs = Vec::with_capacity(LISTS);
        for list in lists {
            let start = self.names.len();
            for item in list {
                let span = self.span(item, &mut new);
                self.names.push(span);
            }
            runs.push(format!("({start}, {})", list.len()));
        }
        self.text_lines.push((type_name.to_string(), new));
        self.names_lines
            .push((type_name.to_string(), first, self.names.len()));
        format!(
            "    f(({}, {}), [{}], {complete}), // {type_name}\n",
            name.0,
            name.1,
            runs.join(", ")
        )
    }
}

/// The facts module's source.
pub fn module(
    schemas: &BTreeMap<String, serde_json::Value>,
    extras: &crate::schemas::Extras,
    identities: &BTreeMap<String, Vec<String>>,
) -> String {
    let list = |s: &serde_json::Value, key: &str| -> Vec<String> {
        s.get(key)
            .and_then(serde_json::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(|p| p.strip_prefix("/properties/").unwrap_or(p).to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut table = Table::default();
    let mut rows = String::new();
    for (t, s) in schemas {
        let merged = crate::replacement::merge(s, extras.replacement.get(t));
        // Fn::GetAtt attributes: the read-only properties (dotted, as GetAtt names
        // them) and the supplement's, which covered types' schemas lack.
        let mut attributes: BTreeSet<String> = list(s, "readOnlyProperties")
            .into_iter()
            .map(|p| p.replace('/', "."))
            .collect();
        attributes.extend(extras.attributes.get(t).into_iter().flatten().cloned());
        if let Some(not) = extras.not_attributes.get(t) {
            attributes.retain(|a| !not.contains(a));
        }
        let lists = [
            merged.replaces,
            merged.may_replace,
            merged.unordered,
            list(s, "primaryIdentifier"),
            list(s, "readOnlyProperties"),
            list(s, "writeOnlyProperties"),
            list(s, "required"),
            attributes.into_iter().collect(),
            // Every property the schema declares, sorted (bytes): synth refuses any other.
            s.get("properties")
                .and_then(serde_json::Value::as_object)
                .map(|p| p.keys().cloned().collect::<BTreeSet<String>>())
                .unwrap_or_default()
                .into_iter()
                .collect(),
        ];
        // Every type is generated; its attribute list is complete when the service
        // spec describes it (the supplement then fills the schema's gaps).
        rows.push_str(&table.row(t, &lists, !extras.not_in_spec.contains(t)));
    }

    let mut out = String::from(HEADER);
    out.push_str("// Facts of every registry resource type, sorted by type name. `replaces` and\n");
    out.push_str("// `may_replace` merge the registry schemas' createOnlyProperties and\n");
    out.push_str(
        "// conditionalCreateOnlyProperties with the AWS service spec's causesReplacement\n",
    );
    out.push_str("// (dsl/schemas/aws-service-spec/replacement.json); `unordered` is insertionOrder: false.\n");
    out.push_str(
        "// The tables hold integers, not pointers (no relocations at start-up): a name is a\n",
    );
    out.push_str(
        "// byte range (start, length) of `TEXT`, a list a run (start, count) of `NAMES`.\n",
    );
    out.push_str("use crate::facts::ResourceFacts;\n\n");
    out.push_str(
        "/// Every name the facts use, each distinct name once, one line per type's new names.\n",
    );
    out.push_str("#[rustfmt::skip]\npub(crate) static TEXT: &str = concat!(\n");
    for (t, new) in &table.text_lines {
        if new.is_empty() {
            continue;
        }
        let quoted: Vec<String> = new.iter().map(|n| format!("{n:?}")).collect();
        let _ = writeln!(out, "    // {t}\n    {},", quoted.join(", "));
    }
    out.push_str(");\n\n");
    out.push_str("/// The names of every list, as byte ranges (start, length) of [`TEXT`], one line per type.\n");
    out.push_str("#[rustfmt::skip]\npub(crate) static NAMES: &[(u32, u32)] = &[\n");
    for (t, from, to) in &table.names_lines {
        if from == to {
            continue;
        }
        let spans: Vec<String> = table.names[*from..*to]
            .iter()
            .map(|(s, l)| format!("({s}, {l})"))
            .collect();
        let _ = writeln!(out, "    {}, // {t}", spans.join(", "));
    }
    out.push_str("];\n\n");
    out.push_str("const fn f(type_name: (u32, u32), lists: [(u32, u32); 9], attributes_complete: bool) -> ResourceFacts {\n");
    out.push_str("    ResourceFacts::row(type_name, lists, attributes_complete)\n}\n\n");
    out.push_str(
        "/// One row per type: its name, the runs of `replaces`, `may_replace`, `unordered`,\n",
    );
    out.push_str(
        "/// `primary_identifier`, `read_only`, `write_only`, `required`, `attributes` and\n",
    );
    out.push_str("/// `properties` (sorted) in [`NAMES`], and whether `attributes` is complete.\n");
    out.push_str("#[rustfmt::skip]\npub(crate) static ALL: &[ResourceFacts] = &[\n");
    out.push_str(&rows);
    out.push_str("];\n\n");
    out.push_str(
        "/// Per type (sorted), the top-level properties that hold an IAM policy document or\n",
    );
    out.push_str(
        "/// statement, read from the registry schemas by `nephos-codegen`'s `policy_documents`.\n",
    );
    out.push_str("#[rustfmt::skip]\npub(crate) static POLICY_DOCUMENTS: &[(&str, &[&str])] = &[\n");
    for (t, s) in schemas {
        let props = crate::policy_documents::of(s);
        if !props.is_empty() {
            let quoted: Vec<String> = props.iter().map(|p| format!("{p:?}")).collect();
            let _ = writeln!(out, "    ({t:?}, &[{}]),", quoted.join(", "));
        }
    }
    out.push_str("];\n\n");
    identity_properties(identities, &mut out);
    combinations(schemas, &mut out);
    out.push('\n');
    crate::partitions::section(&extras.partitions, &mut out);
    out
}

/// The identity properties of every type that has one (`identity_properties`), as
/// `(type, paths)` rows sorted by type.
fn identity_properties(identities: &BTreeMap<String, Vec<String>>, out: &mut String) {
    out.push_str(
        "/// Per type (sorted), the properties that name an IAM role, instance profile, user or\n",
    );
    out.push_str(
        "/// group (slash paths, `*` for list items and map values), from the kinds the generator\n",
    );
    out.push_str(
        "/// gives them (schema formats, the service spec's references, the reviewed corrections),\n",
    );
    out.push_str("/// read by `nephos-codegen`'s `identity_properties`.\n");
    out.push_str(
        "#[rustfmt::skip]\npub(crate) static IDENTITY_PROPERTIES: &[(&str, &[&str])] = &[\n",
    );
    for (t, paths) in identities.iter().filter(|(_, p)| !p.is_empty()) {
        let quoted: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
        let _ = writeln!(out, "    ({t:?}, &[{}]),", quoted.join(", "));
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// The IAM identity types whose attributes make a property an identity property\n",
    );
    out.push_str("/// (`nephos-codegen`'s `identity_properties::IDENTITY_TYPES`).\n");
    let quoted: Vec<String> = crate::identity_properties::IDENTITY_TYPES
        .iter()
        .map(|t| format!("{t:?}"))
        .collect();
    let _ = writeln!(
        out,
        "pub(crate) static IDENTITY_TYPES: &[&str] = &[{}];\n",
        quoted.join(", ")
    );
}

/// The required combinations of every type (`combinations`), as
/// `(type, path, rule, sets)` rows sorted by type.
fn combinations(schemas: &BTreeMap<String, serde_json::Value>, out: &mut String) {
    out.push_str(
        "/// Per type (sorted), the required combinations its registry schema states beside\n",
    );
    out.push_str(
        "/// `required` (`oneOf`/`anyOf` of required sets, `requiredXor`, `dependentRequired`,\n",
    );
    out.push_str("/// `dependentExcluded`),\n");
    out.push_str(
        "/// each with the property path of the object it applies to (`*`: a list's items),\n",
    );
    out.push_str("/// read by `nephos-codegen`'s `combinations`.\n");
    out.push_str("#[rustfmt::skip]\npub(crate) static COMBINATIONS: &[(&str, crate::facts::Combination)] = &[\n");
    for (t, s) in schemas {
        for c in crate::combinations::of(s) {
            let sets: Vec<String> = c.sets.iter().map(|set| format!("&{set:?}")).collect();
            let _ = writeln!(
                out,
                "    ({t:?}, (&{:?}, crate::facts::Rule::{}, &[{}])),",
                c.path,
                c.rule,
                sets.join(", ")
            );
        }
    }
    out.push_str("];\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names are stored once and every range reads back the name it was made for.
    #[test]
    fn names_are_stored_once_and_ranges_read_them_back() {
        let mut table = Table::default();
        let lists = |a: &[&str]| -> [Vec<String>; LISTS] {
            let mut l: [Vec<String>; LISTS] = Default::default();
            l[0] = a.iter().map(|s| s.to_string()).collect();
            l[7] = vec!["Arn".to_string()];
            l
        };
        let first = table.row("AWS::A::B", &lists(&["Name", "Arn"]), true);
        let second = table.row("AWS::A::C", &lists(&["Arn"]), false);
        assert_eq!(table.text, "AWS::A::BNameArnAWS::A::C");
        for (start, len) in &table.names {
            assert!(["Name", "Arn"].contains(&&table.text[*start..start + len]));
        }
        assert_eq!(
            first,
            "    f((0, 9), [(0, 2), (2, 0), (2, 0), (2, 0), (2, 0), (2, 0), (2, 0), (2, 1), (3, 0)], true), // AWS::A::B\n"
        );
        assert!(second.starts_with("    f((16, 9), [(3, 1), "), "{second}");
        assert!(
            second.ends_with("(4, 1), (5, 0)], false), // AWS::A::C\n"),
            "{second}"
        );
    }
}
