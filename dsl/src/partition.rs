//! The AWS partitions (commercial `aws`, China, GovCloud, the ISO partitions, the European
//! Sovereign Cloud): which partition a region belongs to and that partition's DNS suffix,
//! from the AWS SDKs' endpoint data (`dsl/data/partitions.json`, botocore's
//! `partitions.json`), written into the facts table by the generator. Read where a region
//! must be tied to its partition: an imported ARN's region, and the deployer's
//! `AWS::Partition`/`AWS::URLSuffix`.

use std::sync::OnceLock;

/// One AWS partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Partition {
    /// The id, as ARNs and `AWS::Partition` write it (`aws`, `aws-cn`, `aws-iso-b`).
    pub id: &'static str,
    /// The regex (regex-lite syntax, the SDKs' `regionRegex`) a region code of the
    /// partition matches, such as `^cn\-\w+\-\d+$`.
    pub region_regex: &'static str,
    /// The DNS suffix (`AWS::URLSuffix`): `amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`.
    pub dns_suffix: &'static str,
    /// The regions (and global pseudo-regions such as `aws-global`) the data lists, sorted.
    pub regions: &'static [&'static str],
}

/// Every partition, sorted by id.
///
/// ```
/// let ids: Vec<&str> = nephos::facts::partitions().iter().map(|p| p.id).collect();
/// assert!(ids.contains(&"aws") && ids.contains(&"aws-iso-b") && ids.contains(&"aws-eusc"));
/// ```
pub fn partitions() -> &'static [Partition] {
    crate::facts_data::PARTITIONS
}

/// The partition with this id (`aws-us-gov`), if there is one.
///
/// ```
/// assert_eq!(nephos::facts::partition("aws-cn").unwrap().dns_suffix, "amazonaws.com.cn");
/// assert!(nephos::facts::partition("amazon").is_none());
/// ```
pub fn partition(id: &str) -> Option<&'static Partition> {
    partitions().iter().find(|p| p.id == id)
}

/// The partition `region` belongs to, resolved as the AWS SDKs do: a partition that lists
/// the region, else the one whose region regex it matches. `None` when neither: the SDKs
/// would then assume `aws`; a caller that must not guess refuses instead.
///
/// ```
/// use nephos::facts::partition_of_region;
/// assert_eq!(partition_of_region("eu-west-1").unwrap().id, "aws");
/// assert_eq!(partition_of_region("us-isob-east-1").unwrap().dns_suffix, "sc2s.sgov.gov");
/// assert!(partition_of_region("not-a-region").is_none());
/// ```
pub fn partition_of_region(region: &str) -> Option<&'static Partition> {
    let all = partitions();
    if let Some(listed) = all.iter().find(|p| p.regions.contains(&region)) {
        return Some(listed);
    }
    let regexes = compiled();
    all.iter()
        .zip(regexes)
        .find(|(_, re)| re.as_ref().is_some_and(|re| re.is_match(region)))
        .map(|(p, _)| p)
}

/// The partitions' region regexes, compiled once, in the order of [`partitions`]. The
/// generator refuses data whose regex does not compile with this engine, so `None` is
/// never expected; a partition without one is matched only by its listed regions.
fn compiled() -> &'static [Option<regex_lite::Regex>] {
    static REGEXES: OnceLock<Vec<Option<regex_lite::Regex>>> = OnceLock::new();
    REGEXES.get_or_init(|| {
        partitions()
            .iter()
            .map(|p| regex_lite::Regex::new(p.region_regex).ok())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each partition's region regex and DNS suffix, as botocore's `partitions.json` has
    /// them, and a region of each resolving to it (listed or only matched by the regex).
    #[test]
    fn every_partition_resolves_its_regions() {
        let expected = [
            (
                "aws",
                r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
                "amazonaws.com",
                "eu-west-1",
            ),
            (
                "aws-cn",
                r"^cn\-\w+\-\d+$",
                "amazonaws.com.cn",
                "cn-north-1",
            ),
            (
                "aws-eusc",
                r"^eusc\-(de)\-\w+\-\d+$",
                "amazonaws.eu",
                "eusc-de-east-1",
            ),
            (
                "aws-iso",
                r"^us\-iso\-\w+\-\d+$",
                "c2s.ic.gov",
                "us-iso-east-1",
            ),
            (
                "aws-iso-b",
                r"^us\-isob\-\w+\-\d+$",
                "sc2s.sgov.gov",
                "us-isob-east-1",
            ),
            (
                "aws-iso-e",
                r"^eu\-isoe\-\w+\-\d+$",
                "cloud.adc-e.uk",
                "eu-isoe-west-1",
            ),
            (
                "aws-iso-f",
                r"^us\-isof\-\w+\-\d+$",
                "csp.hci.ic.gov",
                "us-isof-south-1",
            ),
            (
                "aws-us-gov",
                r"^us\-gov\-\w+\-\d+$",
                "amazonaws.com",
                "us-gov-west-1",
            ),
        ];
        let ids: Vec<&str> = partitions().iter().map(|p| p.id).collect();
        assert_eq!(ids, expected.map(|e| e.0));
        for (id, regex, suffix, region) in expected {
            let p = partition(id).expect(id);
            assert_eq!((p.region_regex, p.dns_suffix), (regex, suffix), "{id}");
            assert_eq!(
                partition_of_region(region).map(|p| p.id),
                Some(id),
                "{region}"
            );
            assert!(p.regions.contains(&region), "{id} lists {region}");
        }
        // A region no partition lists yet is placed by the regexes (a new ISO region, a
        // new commercial one), and each regex compiles.
        assert!(compiled().iter().all(Option::is_some));
        for (region, id) in [
            ("us-isob-west-9", "aws-iso-b"),
            ("eu-isoe-north-3", "aws-iso-e"),
            ("eusc-de-west-2", "aws-eusc"),
            ("ap-nowhere-9", "aws"),
            ("us-gov-central-4", "aws-us-gov"),
        ] {
            assert_eq!(
                partition_of_region(region).map(|p| p.id),
                Some(id),
                "{region}"
            );
        }
        for unknown in ["", "mars-north-1", "us-iso-east", "eusc-fr-east-1"] {
            assert_eq!(partition_of_region(unknown), None, "{unknown}");
        }
    }
}
