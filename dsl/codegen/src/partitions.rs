//! The AWS partitions, read from the AWS SDKs' endpoint data as botocore ships it
//! (`dsl/data/partitions.json`, written by `scripts/refresh_schemas.py`) and written into the
//! facts table: each partition's id (`aws-cn`), the regex its region codes match, the
//! regions it lists, and its DNS suffix (`AWS::URLSuffix`). One table for every reader:
//! the ARN import's region check and the deployer's hotswap (`AWS::Partition`).

use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

/// The vendored partition data, relative to the workspace root.
pub const PARTITIONS_FILE: &str = "dsl/data/partitions.json";

/// One partition of the SDKs' endpoint data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Partition {
    /// The partition's id, as ARNs and `AWS::Partition` write it (`aws-us-gov`).
    pub id: String,
    /// The regex a region code of the partition matches (the SDKs' `regionRegex`).
    pub region_regex: String,
    /// The partition's DNS suffix (`amazonaws.com.cn`), as `AWS::URLSuffix` gives it.
    pub dns_suffix: String,
    /// The regions (and global pseudo-regions) the data lists, sorted.
    pub regions: Vec<String>,
}

/// The partitions and where they come from (the file's `source`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Partitions {
    /// The data's origin, as the refresh script recorded it.
    pub source: String,
    /// The partitions, sorted by id.
    pub partitions: Vec<Partition>,
}

/// Loads [`PARTITIONS_FILE`] below `root`.
pub fn load(root: &Path) -> Result<Partitions, String> {
    let path = root.join(PARTITIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let data: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&data).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads the partitions from the vendored JSON; each must have an id, a DNS suffix and a
/// region regex the synth-time engine (regex-lite, as `nephos::check`) compiles.
pub fn parse(data: &Value) -> Result<Partitions, String> {
    let text = |v: &Value, key: &str| -> Result<String, String> {
        v.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("a partition has no `{key}`: {v}"))
    };
    let mut partitions = Vec::new();
    for p in data
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or("no `partitions` list")?
    {
        let partition = Partition {
            id: text(p, "id")?,
            region_regex: text(p, "regionRegex")?,
            dns_suffix: text(p, "dnsSuffix")?,
            regions: p
                .get("regions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        };
        regex_lite::Regex::new(&partition.region_regex).map_err(|e| {
            format!(
                "partition {}: regionRegex does not compile: {e}",
                partition.id
            )
        })?;
        partitions.push(partition);
    }
    partitions.sort_by(|a, b| a.id.cmp(&b.id));
    if partitions.is_empty() {
        return Err("no partitions".into());
    }
    Ok(Partitions {
        source: text(data, "source")?,
        partitions,
    })
}

/// The facts table's `PARTITIONS` section.
pub fn section(data: &Partitions, out: &mut String) {
    let _ = writeln!(
        out,
        "/// The AWS partitions, sorted by id, from {PARTITIONS_FILE} ({}).",
        data.source
    );
    out.push_str(
        "#[rustfmt::skip]\npub(crate) static PARTITIONS: &[crate::partition::Partition] = &[\n",
    );
    for p in &data.partitions {
        let regions: Vec<String> = p.regions.iter().map(|r| format!("{r:?}")).collect();
        let _ = writeln!(
            out,
            "    crate::partition::Partition {{ id: {:?}, region_regex: {:?}, dns_suffix: {:?}, regions: &[{}] }},",
            p.id,
            p.region_regex,
            p.dns_suffix,
            regions.join(", ")
        );
    }
    out.push_str("];\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partitions_are_read_sorted_and_their_regexes_must_compile() {
        let data = json!({"source": "test", "partitions": [
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "dnsSuffix": "amazonaws.com.cn",
             "regions": ["cn-north-1"]},
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "dnsSuffix": "amazonaws.com"}]});
        let p = parse(&data).expect("parses");
        assert_eq!(p.partitions[0].id, "aws");
        assert_eq!(p.partitions[1].regions, ["cn-north-1"]);
        let mut out = String::new();
        section(&p, &mut out);
        assert!(
            out.contains(r#"id: "aws-cn", region_regex: "^cn\\-\\w+\\-\\d+$""#),
            "{out}"
        );
        let broken = json!({"source": "t", "partitions": [
            {"id": "x", "regionRegex": "(", "dnsSuffix": "example.com"}]});
        assert!(parse(&broken).unwrap_err().contains("does not compile"));
        let no_suffix = json!({"source": "t", "partitions": [{"id": "x", "regionRegex": "x"}]});
        assert!(parse(&no_suffix).unwrap_err().contains("dnsSuffix"));
    }
}
