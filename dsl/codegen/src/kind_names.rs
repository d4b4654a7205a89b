//! One Rust name per typed string kind. A kind's Rust name joins service, resource and
//! attribute (`AWS::Chime::ChannelFlow.Arn` -> `ChimeChannelFlowArn`), and the join can meet
//! another attribute's (`AWS::Chime::Channel.FlowArn` -> the same name): then two different
//! attributes would share one type, and the kinds table would document only one of them.
//!
//! Deterministically, over every model: the attribute with the shortest attribute part keeps
//! the name (the more specific resource's own attribute, `ChannelFlow.Arn`; ties go to the
//! smaller kind name), and every other one is renamed with its resource's name repeated
//! before the attribute (`ChimeChannelChannelFlowArn`), which is how its unshortened attribute
//! name reads (`AWS::SageMaker::Device.FleetName` is the device's `DeviceFleetName`).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ResourceModel, Ty};
use crate::names::pascal;

/// The attribute part of a kind name (`Arn` of `AWS::Chime::ChannelFlow.Arn`).
fn attribute(name: &str) -> &str {
    name.rsplit_once('.').map(|(_, a)| a).unwrap_or(name)
}

/// The resource part of a kind name (`ChannelFlow` of `AWS::Chime::ChannelFlow.Arn`).
fn resource(name: &str) -> &str {
    let type_name = name.rsplit_once('.').map(|(t, _)| t).unwrap_or(name);
    type_name.rsplit("::").next().unwrap_or(type_name)
}

/// Renames, in every model, the kinds whose Rust name another attribute keeps. Returns the
/// renames, `(kind name, old Rust name, new Rust name)`, sorted.
pub fn dedupe<'m>(
    models: impl IntoIterator<Item = &'m mut ResourceModel>,
) -> Vec<(String, String, String)> {
    let mut models: Vec<&mut ResourceModel> = models.into_iter().collect();
    let mut claims: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &models {
        for (rust, name) in &m.kinds {
            claims.entry(rust.clone()).or_default().insert(name.clone());
        }
    }
    let mut taken: BTreeSet<String> = claims.keys().cloned().collect();
    // (old Rust name, kind name) -> new Rust name
    let mut renames: BTreeMap<(String, String), String> = BTreeMap::new();
    for (rust, names) in &claims {
        if names.len() < 2 {
            continue;
        }
        let keeper = names
            .iter()
            .min_by_key(|n| (attribute(n).len(), n.as_str()))
            .cloned()
            .unwrap_or_default();
        for name in names.iter().filter(|n| **n != keeper) {
            let base = rust.replacen(
                &pascal(resource(name)),
                &format!("{0}{0}", pascal(resource(name))),
                1,
            );
            let mut new = base.clone();
            let mut n = 2;
            while !taken.insert(new.clone()) {
                new = format!("{base}{n}");
                n += 1;
            }
            renames.insert((rust.clone(), name.clone()), new);
        }
    }
    for m in &mut models {
        let own: BTreeMap<String, String> = m
            .kinds
            .iter()
            .filter_map(|(rust, name)| {
                renames
                    .get(&(rust.clone(), name.clone()))
                    .map(|new| (rust.clone(), new.clone()))
            })
            .collect();
        if own.is_empty() {
            continue;
        }
        rename_model(m, &own);
    }
    let mut out: Vec<(String, String, String)> = renames
        .into_iter()
        .map(|((old, name), new)| (name, old, new))
        .collect();
    out.sort();
    out
}

fn rename_ty(ty: &mut Ty, renames: &BTreeMap<String, String>) {
    match ty {
        Ty::Kind(k) => {
            if let Some(new) = renames.get(k) {
                *k = new.clone();
            }
        }
        Ty::List(item) | Ty::Map(item) => rename_ty(item, renames),
        _ => {}
    }
}

fn rename_model(m: &mut ResourceModel, renames: &BTreeMap<String, String>) {
    let nested = m.structs.iter_mut().flat_map(|s| s.fields.iter_mut());
    for f in m.fields.iter_mut().chain(nested) {
        rename_ty(&mut f.ty, renames);
    }
    for a in m.reference.iter_mut().chain(m.attributes.iter_mut()) {
        rename_ty(&mut a.ty, renames);
    }
    m.kinds = std::mem::take(&mut m.kinds)
        .into_iter()
        .map(|(rust, name)| (renames.get(&rust).cloned().unwrap_or(rust), name))
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attribute;

    fn model(type_name: &str, attr: &str, rust: &str, kind: &str) -> ResourceModel {
        let resource = type_name
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .to_string();
        ResourceModel {
            type_name: type_name.into(),
            service: "Chime".into(),
            resource: resource.clone(),
            module: resource.to_lowercase(),
            struct_name: resource.clone(),
            handle_name: format!("{resource}Handle"),
            fields: Vec::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            reference: None,
            attributes: vec![Attribute {
                name: attr.into(),
                method: attr.to_lowercase(),
                ty: Ty::Kind(rust.into()),
            }],
            constraints: Vec::new(),
            kinds: BTreeMap::from([(rust.to_string(), kind.to_string())]),
            conditional_ref: None,
        }
    }

    #[test]
    fn the_resource_s_own_attribute_keeps_the_name() {
        let mut channel = model(
            "AWS::Chime::Channel",
            "FlowArn",
            "ChimeChannelFlowArn",
            "AWS::Chime::Channel.FlowArn",
        );
        let mut flow = model(
            "AWS::Chime::ChannelFlow",
            "Arn",
            "ChimeChannelFlowArn",
            "AWS::Chime::ChannelFlow.Arn",
        );
        let renames = dedupe([&mut channel, &mut flow]);
        assert_eq!(
            renames,
            [(
                "AWS::Chime::Channel.FlowArn".to_string(),
                "ChimeChannelFlowArn".to_string(),
                "ChimeChannelChannelFlowArn".to_string()
            )]
        );
        assert_eq!(
            channel.attributes[0].ty,
            Ty::Kind("ChimeChannelChannelFlowArn".into())
        );
        assert!(channel.kinds.contains_key("ChimeChannelChannelFlowArn"));
        assert_eq!(
            flow.attributes[0].ty,
            Ty::Kind("ChimeChannelFlowArn".into())
        );
        // Run again: nothing left to rename.
        assert!(dedupe([&mut channel, &mut flow]).is_empty());
    }
}

/// Deprecated aliases for the kinds whose Rust name changed when [`crate::build::FORMAT_TYPES`]
/// named them after their real resource type (`AcmCertificateArn` is now
/// `CertificateManagerCertificateArn`), so code written against the earlier name still
/// builds, with a warning that names the new one. `kinds` maps Rust name to kind name.
pub fn registry_aliases(kinds: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (rust, name) in kinds {
        let formats: Vec<&str> = name.split(crate::unions::SEPARATOR).collect();
        if !formats
            .iter()
            .any(|f| crate::build::format_type(f).is_some())
        {
            continue;
        }
        let old = if crate::unions::is_union(name) {
            crate::unions::union_name_as(&formats, true)
        } else {
            match crate::build::format_kind_as(name, true) {
                Some((old, _)) => old,
                None => continue,
            }
        };
        if old != *rust && !kinds.contains_key(&old) {
            out.push_str(&format!(
                "/// Earlier name of [`{rust}`].\n#[deprecated(note = \"renamed `{rust}`, after the resource type it refers to\")]\npub type {old} = {rust};\n"
            ));
        }
    }
    out
}

#[cfg(test)]
mod alias_tests {
    use super::*;

    #[test]
    fn the_certificate_kind_is_named_after_its_type_and_keeps_its_old_name() {
        let (rust, of_type) = crate::build::format_kind("AWS::ACM::Certificate.Arn").unwrap();
        assert_eq!(rust, "CertificateManagerCertificateArn");
        assert_eq!(of_type, "AWS::CertificateManager::Certificate");
        let union = "AWS::ACM::Certificate.Arn | AWS::IAM::ServerCertificate.Arn";
        let kinds: BTreeMap<String, String> = [
            (rust.clone(), "AWS::ACM::Certificate.Arn".to_string()),
            (
                crate::unions::union_name(&union.split(" | ").collect::<Vec<_>>()),
                union.to_string(),
            ),
            ("IamRoleArn".to_string(), "AWS::IAM::Role.Arn".to_string()),
        ]
        .into_iter()
        .collect();
        let text = registry_aliases(&kinds);
        assert!(
            text.contains("pub type AcmCertificateArn = CertificateManagerCertificateArn;"),
            "{text}"
        );
        assert!(text.contains(
            "pub type AcmCertificateArnOrIamServerCertificateArn = CertificateManagerCertificateArnOrIamServerCertificateArn;"
        ), "{text}");
        assert!(!text.contains("IamRoleArn"), "{text}");
    }
}
