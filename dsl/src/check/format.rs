//! The string `format`s the registry schemas name and synth checks: `date-time` (629
//! properties, such as `AWS::RDS::DBInstance.RestoreTime`), `ipv4-network` (60, such as
//! `AWS::EC2::VPC.CidrBlock`) and `ipv6-network` (12). The schemas' other formats are
//! `json` (typed as JSON or policy documents), `int64` and `double` (on numbers) and a few
//! that state no rule a value can be held to (`string`, `password`, `timestamp`, `uri`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// A string format a schema names in `format`.
///
/// ```
/// use nephos::StringFormat;
/// assert!(StringFormat::Ipv4Network.admits("10.0.0.0/16"));
/// assert!(!StringFormat::Ipv4Network.admits("10.0.0.0/99"));
/// assert!(StringFormat::DateTime.admits("2026-12-02T13:45:00Z"));
/// assert!(!StringFormat::DateTime.admits("last tuesday"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringFormat {
    /// An RFC 3339 timestamp with its offset: `2026-12-02T13:45:00Z`,
    /// `2026-12-02T14:45:00.5+01:00` (JSON Schema's `date-time`).
    DateTime,
    /// An IPv4 network: an address, optionally with a prefix length of 0 to 32, and no
    /// bits set past the prefix (`10.0.0.0/16`; `10.0.0.1/16` is a host, not a network).
    Ipv4Network,
    /// An IPv6 network: an address, optionally with a prefix length of 0 to 128, and no
    /// bits set past the prefix (`2001:db8::/32`).
    Ipv6Network,
}

impl StringFormat {
    /// The format a schema's `format` value names, if synth checks it.
    pub fn of_schema(name: &str) -> Option<StringFormat> {
        Some(match name {
            "date-time" => StringFormat::DateTime,
            "ipv4-network" => StringFormat::Ipv4Network,
            "ipv6-network" => StringFormat::Ipv6Network,
            _ => return None,
        })
    }

    /// The name the schemas give it, such as `ipv4-network`.
    pub fn name(self) -> &'static str {
        match self {
            StringFormat::DateTime => "date-time",
            StringFormat::Ipv4Network => "ipv4-network",
            StringFormat::Ipv6Network => "ipv6-network",
        }
    }

    /// A value of the format, for messages.
    pub fn example(self) -> &'static str {
        match self {
            StringFormat::DateTime => "2026-12-02T13:45:00Z",
            StringFormat::Ipv4Network => "10.0.0.0/16",
            StringFormat::Ipv6Network => "2001:db8::/56",
        }
    }

    /// Whether `text` is a value of the format.
    pub fn admits(self, text: &str) -> bool {
        match self {
            StringFormat::DateTime => date_time(text).is_some(),
            StringFormat::Ipv4Network => network(text, 32, |a| {
                a.parse::<Ipv4Addr>().ok().map(|a| u32::from(a).into())
            }),
            StringFormat::Ipv6Network => {
                network(text, 128, |a| a.parse::<Ipv6Addr>().ok().map(u128::from))
            }
        }
    }
}

/// `address[/prefix]` whose address has no bits set past the prefix.
fn network(text: &str, bits: u32, address: impl Fn(&str) -> Option<u128>) -> bool {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let Some(addr) = address(addr) else {
        return false;
    };
    let prefix = match prefix {
        None => bits,
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
            match p.parse::<u32>() {
                Ok(n) if n <= bits => n,
                _ => return false,
            }
        }
        Some(_) => return false,
    };
    // `::/0` has 128 host bits: a shift by 128 would overflow.
    let host_mask = 1u128
        .checked_shl(bits - prefix)
        .map_or(u128::MAX, |m| m - 1);
    addr & host_mask == 0
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` with every field in range (RFC 3339 section
/// 5.6; `T` and `Z` in either case, a leap second allowed).
fn date_time(text: &str) -> Option<()> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i).is_some_and(|x| x.eq_ignore_ascii_case(&c));
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let seps = at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':');
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    let fields = (1..=days).contains(&day) && hour < 24 && minute < 60 && second <= 60;
    if !(seps && fields) {
        return None;
    }
    let mut i = 19;
    if at(i, b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        i += 1 + digits;
    }
    match b.get(i) {
        Some(z) if z.eq_ignore_ascii_case(&b'Z') && i + 1 == b.len() => Some(()),
        Some(b'+' | b'-') if i + 6 == b.len() && at(i + 3, b':') => {
            (num(i + 1, 2)? < 24 && num(i + 4, 2)? < 60).then_some(())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::StringFormat::*;

    #[test]
    fn the_attack_cases_are_refused() {
        for bad in [
            "10.0.0.0/99",
            "10.0.0.300/40",
            "anywhere",
            "10.0.0.0/",
            "10.0.0.0/+8",
        ] {
            assert!(!Ipv4Network.admits(bad), "{bad}");
        }
        for bad in ["not-v6", "2001:db8::/129", "10.0.0.0/8", "fe80::1%eth0/64"] {
            assert!(!Ipv6Network.admits(bad), "{bad}");
        }
        for bad in [
            "last tuesday",
            "2026-02-30T00:00:00Z",
            "2026-12-02 13:45:00Z",
            "2026-12-02T13:45:00",
            "2026-12-02T24:00:00Z",
            "2026-12-02T13:45:00.Z",
            "2026-12-02T13:45:00+0100",
            "２０２６-12-02T13:45:00Z",
        ] {
            assert!(!DateTime.admits(bad), "{bad}");
        }
    }

    #[test]
    fn right_values_are_accepted() {
        for good in ["10.0.0.0/16", "0.0.0.0/0", "192.168.1.7/32", "192.168.1.7"] {
            assert!(Ipv4Network.admits(good), "{good}");
        }
        for good in [
            "2001:db8::/32",
            "::/0",
            "2001:db8::1/128",
            "2001:db8:1234:1a00::/56",
        ] {
            assert!(Ipv6Network.admits(good), "{good}");
        }
        for good in [
            "2026-12-02T13:45:00Z",
            "2024-02-29T00:00:00z",
            "2026-12-02t13:45:00.123456-05:30",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(DateTime.admits(good), "{good}");
        }
        for f in [DateTime, Ipv4Network, Ipv6Network] {
            assert!(f.admits(f.example()), "{}", f.name());
        }
    }

    #[test]
    fn host_bits_past_the_prefix_are_no_network() {
        assert!(!Ipv4Network.admits("10.0.0.1/16"));
        assert!(!Ipv6Network.admits("2001:db8::1/64"));
    }
}
