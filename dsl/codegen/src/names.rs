//! Rust names for schema names: types in PascalCase, methods and modules in snake_case,
//! never a keyword, never empty, never starting with a digit.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps letters and digits, turning everything else into word breaks.
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type name: `DynamoDB` -> `DynamoDb`, `nodejs20.x` -> `Nodejs20X`.
pub fn pascal(name: &str) -> String {
    let s = words(name).to_upper_camel_case();
    if s.is_empty() {
        "Unnamed".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// A method, argument or module name: `StreamArn` -> `stream_arn`, `type` -> `type_`.
pub fn snake(name: &str) -> String {
    let s = words(name).to_snake_case();
    let s = if s.is_empty() {
        "unnamed".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{s}")
    } else {
        s
    };
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// The words of a schema name, split where CloudFormation's spelling changes word: at
/// separators, before an uppercase letter after a lowercase one or a digit, and at the end of
/// an acronym. Unlike a plain case conversion it keeps an acronym's plural whole (`ARNs` is
/// one word, not `AR` + `Ns`) and a version letter with its number (`TLSv1` is `TLS` + `v1`).
pub fn words_of(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let c: Vec<char> = chunk.chars().collect();
        let mut start = 0;
        let mut i = 0;
        while i < c.len() {
            let upper = c[i].is_ascii_uppercase();
            // After a digit only a capitalized word starts one (`S3Bucket`; `128K` stays).
            let titled = i + 1 < c.len() && c[i + 1].is_ascii_lowercase();
            if upper
                && i > start
                && (c[i - 1].is_ascii_lowercase() || (c[i - 1].is_ascii_digit() && titled))
            {
                out.push(c[start..i].iter().collect());
                start = i;
            }
            // An uppercase run followed by lowercase letters.
            if upper && i + 1 < c.len() && c[i + 1].is_ascii_uppercase() {
                let run_end = (i..c.len())
                    .find(|&j| !c[j].is_ascii_uppercase())
                    .unwrap_or(c.len());
                if run_end < c.len() && c[run_end].is_ascii_lowercase() {
                    let lower_end = (run_end..c.len())
                        .find(|&j| !c[j].is_ascii_lowercase())
                        .unwrap_or(c.len());
                    let single = lower_end == run_end + 1;
                    let next_digit = lower_end < c.len() && c[lower_end].is_ascii_digit();
                    if single && c[run_end] == 's' && !next_digit {
                        // `ARNs`, `VPCs`: the acronym's plural.
                        if start < i {
                            out.push(c[start..i].iter().collect());
                        }
                        out.push(c[i..lower_end].iter().collect());
                        start = lower_end;
                        i = lower_end;
                        continue;
                    }
                    if single && next_digit {
                        // `TLSv1`, `IPv4`: the acronym, then a version.
                        if start < i {
                            out.push(c[start..i].iter().collect());
                        }
                        out.push(c[i..run_end].iter().collect());
                        start = run_end;
                        i = run_end + 1;
                        continue;
                    }
                    // `HTTPServer`: the last capital starts the next word.
                    if start < i {
                        out.push(c[start..i].iter().collect());
                    }
                    out.push(c[i..run_end - 1].iter().collect());
                    start = run_end - 1;
                    i = run_end;
                    continue;
                }
                if start < i {
                    out.push(c[start..i].iter().collect());
                }
                start = i;
                i = run_end;
                continue;
            }
            i += 1;
        }
        if start < c.len() {
            out.push(c[start..].iter().collect());
        }
    }
    out.retain(|w: &String| !w.is_empty());
    out
}

fn capitalized(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A member name (setter, argument) for a property: [`snake`] over [`words_of`], so
/// `ProviderARNs` is `provider_arns` and `TLSv1_2` is `tls_v1_2`.
pub fn member(name: &str) -> String {
    let words: Vec<String> = words_of(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    // `snake` of lowercase words joined by `_` changes nothing but what it must: an empty
    // name, a leading digit, a keyword.
    snake(&words.join("_"))
}

/// An enum variant for a value: the [`words_of`] capitalized, with `_` kept between two
/// numbers so they stay apart (`TLSv1.2_2021` is `TlsV1_2_2021`, not `TlSv122021`; `3.6.0`
/// is `V3_6_0`, not `V360`, which `36.0` would also give).
pub fn variant(value: &str) -> String {
    let mut out = String::new();
    for w in words_of(value) {
        if out.ends_with(|c: char| c.is_ascii_digit())
            && w.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        out.push_str(&capitalized(&w));
    }
    if out.is_empty() {
        "Unnamed".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{out}")
    } else {
        out
    }
}

/// Picks `base`, or `base2`, `base3`... until `taken` does not hold it, and records it.
pub fn unique(base: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|n| taken.insert(n.clone()))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers() {
        assert_eq!(pascal("DynamoDB"), "DynamoDb");
        assert_eq!(pascal("nodejs20.x"), "Nodejs20X");
        assert_eq!(pascal("3DES"), "V3des");
        assert_eq!(pascal("*"), "Unnamed");
        assert_eq!(snake("StreamArn"), "stream_arn");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("deadLetterTargetArn"), "dead_letter_target_arn");
        assert_eq!(snake("SSEEnabled"), "sse_enabled");
    }

    #[test]
    fn acronyms_plurals_and_versions_keep_their_words() {
        assert_eq!(member("ProviderARNs"), "provider_arns");
        assert_eq!(member("CNAMEs"), "cnames");
        assert_eq!(
            member("PreferredCacheClusterAZs"),
            "preferred_cache_cluster_azs"
        );
        assert_eq!(member("SizeInMBs"), "size_in_mbs");
        assert_eq!(member("SSEEnabled"), "sse_enabled");
        assert_eq!(member("HTTPServer"), "http_server");
        assert_eq!(member("DBInstanceClass"), "db_instance_class");
        assert_eq!(member("S3Bucket"), "s3_bucket");
        assert_eq!(member("Ec2InstanceId"), "ec2_instance_id");
        assert_eq!(member("type"), "type_");
        assert_eq!(variant("TLSv1.2_2021"), "TlsV1_2_2021");
        assert_eq!(variant("IPv4"), "IpV4");
        assert_eq!(variant("3.6.0"), "V3_6_0");
        assert_eq!(variant("36.0"), "V36_0");
        assert_eq!(variant("AL2023_x86_64_NEURON"), "Al2023X86_64Neuron");
        assert_eq!(variant("nodejs20.x"), "Nodejs20X");
        assert_eq!(variant("PAY_PER_REQUEST"), "PayPerRequest");
        assert_eq!(variant("all_storage_classes_128K"), "AllStorageClasses128k");
        assert_eq!(variant("*"), "Unnamed");
    }

    #[test]
    fn unique_appends_a_number() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a2");
        assert_eq!(unique("a".into(), &mut taken), "a3");
    }
}
