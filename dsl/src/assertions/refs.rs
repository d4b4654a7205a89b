//! Dependencies read back from template JSON (`Ref`, `Fn::GetAtt`, `Fn::Sub`,
//! `DependsOn`), so a cycle check works on any template, not only on nephos stacks.

use serde_json::Value as J;

use crate::synth::graph::Graph;

/// The dependency graph between the resources of a template.
pub(crate) fn graph(template: &J) -> Graph<'_> {
    let mut g = Graph::default();
    let Some(resources) = template.get("Resources").and_then(J::as_object) else {
        return g;
    };
    for (id, body) in resources {
        g.node(id);
        let mut found = Vec::new();
        if let Some(props) = body.get("Properties") {
            collect(props, "", &mut found);
        }
        for (path, target) in found {
            // The graph borrows its node names: the template's own key for the target.
            if let Some((target, _)) = resources.get_key_value(&target) {
                g.edge(id, target, format!("property `{path}`"));
            }
        }
        match body.get("DependsOn") {
            Some(J::String(d)) => g.edge(id, d, "DependsOn".into()),
            Some(J::Array(ds)) => ds
                .iter()
                .filter_map(J::as_str)
                .for_each(|d| g.edge(id, d, "DependsOn".into())),
            _ => {}
        }
    }
    g
}

fn collect(v: &J, at: &str, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if at.is_empty() {
            k.to_string()
        } else {
            format!("{at}.{k}")
        }
    };
    match v {
        J::Object(m) if m.len() == 1 && m.contains_key("Ref") => {
            if let Some(t) = m["Ref"].as_str() {
                out.push((at.to_string(), t.to_string()));
            }
        }
        J::Object(m) if m.len() == 1 && m.contains_key("Fn::GetAtt") => {
            let target = match &m["Fn::GetAtt"] {
                J::Array(a) => a.first().and_then(J::as_str).map(str::to_string),
                J::String(s) => s.split('.').next().map(str::to_string),
                _ => None,
            };
            out.extend(target.map(|t| (at.to_string(), t)));
        }
        J::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
            let (text, vars) = match &m["Fn::Sub"] {
                J::String(s) => (s.as_str(), None),
                J::Array(a) => (a.first().and_then(J::as_str).unwrap_or(""), a.get(1)),
                _ => ("", None),
            };
            let mut rest = text;
            while let Some(start) = rest.find("${") {
                let after = &rest[start + 2..];
                let end = after.find('}').unwrap_or(after.len());
                let name = &after[..end];
                if !name.starts_with('!') {
                    let id = name.split('.').next().unwrap_or(name);
                    out.push((at.to_string(), id.to_string()));
                }
                rest = &after[end.min(after.len())..];
            }
            if let Some(v) = vars {
                collect(v, at, out);
            }
        }
        J::Object(m) => m.iter().for_each(|(k, v)| collect(v, &join(k), out)),
        J::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect(v, &join(&i.to_string()), out)),
        _ => {}
    }
}
