//! `cron(...)` expressions: six fields, each checked against EventBridge's ranges and
//! wildcards (Amazon EventBridge User Guide, "Schedule expressions for rules", cron
//! expressions table).

use super::shown;

/// A field: its name, range, month or day names (1-based), and the wildcards it takes
/// beyond `, - * /`.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// `?` (one of day-of-month and day-of-week), `L`/`W` (day-of-month), `L`/`#`
    /// (day-of-week).
    extra: &'static str,
}

const FIELDS: [Field; 6] = [
    Field {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        extra: "",
    },
    Field {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        extra: "",
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        extra: "?LW",
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
        extra: "",
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        extra: "?L#",
    },
    Field {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
        extra: "",
    },
];

/// Checks the six fields of a cron expression and returns them as given.
pub(super) fn check(fields: &str) -> Result<&str, String> {
    let parts: Vec<&str> = fields.split(' ').collect();
    if parts.len() != 6 || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "`cron({})` has {} fields separated by single spaces; EventBridge takes six: minutes hours day-of-month month day-of-week year",
            shown(fields),
            parts.iter().filter(|p| !p.is_empty()).count()
        ));
    }
    for (part, field) in parts.iter().zip(&FIELDS) {
        if let Err(why) = check_field(part, field) {
            return Err(format!(
                "in `cron({})`, the {} field `{}` {why}",
                shown(fields),
                field.name,
                shown(part)
            ));
        }
    }
    match (parts[2] == "?", parts[4] == "?") {
        (true, false) | (false, true) => Ok(fields),
        (false, false) => Err(format!(
            "`cron({})` sets both day-of-month and day-of-week; EventBridge needs `?` in one of them",
            shown(fields)
        )),
        (true, true) => Err(format!(
            "`cron({})` has `?` in both day-of-month and day-of-week; exactly one of them takes `?`",
            shown(fields)
        )),
    }
}

fn check_field(part: &str, field: &Field) -> Result<(), String> {
    if part == "?" {
        return if field.extra.contains('?') {
            Ok(())
        } else {
            Err("cannot be `?` (only day-of-month or day-of-week can)".into())
        };
    }
    part.split(',').try_for_each(|item| check_item(item, field))
}

/// One item of a list: `*`, a value, a range, either with `/step`, or a field's own
/// wildcard (`L`, `LW`, `15W` for day-of-month; `6L`, `2#3` for day-of-week).
fn check_item(item: &str, field: &Field) -> Result<(), String> {
    let number = |text: &str, min: u32, max: u32| -> Result<u32, String> {
        match text.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(format!(
                "has `{}`, not a number from {min} to {max}",
                shown(text)
            )),
        }
    };
    let value = |text: &str| -> Result<u32, String> {
        if let Some(i) = field
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(text))
        {
            return Ok(i as u32 + 1);
        }
        number(text, field.min, field.max)
    };
    if field.extra.contains('L') {
        if item == "L" || (field.name == "day-of-month" && item == "LW") {
            return Ok(());
        }
        if field.name == "day-of-week"
            && let Some(day) = item.strip_suffix('L')
        {
            return value(day).map(drop);
        }
    }
    if field.extra.contains('W')
        && let Some(day) = item.strip_suffix('W')
    {
        return number(day, 1, 31).map(drop);
    }
    if field.extra.contains('#')
        && let Some((day, nth)) = item.split_once('#')
    {
        value(day)?;
        return number(nth, 1, 5).map(drop);
    }
    let (range, step) = match item.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (item, None),
    };
    if let Some(step) = step {
        number(step, 1, field.max.max(1))?;
    }
    if range == "*" {
        return Ok(());
    }
    match range.split_once('-') {
        Some((from, to)) => {
            value(from)?;
            value(to)?;
            Ok(())
        }
        None => value(range).map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn eventbridges_examples_pass() {
        for ok in [
            "0 10 * * ? *",
            "15 12 * * ? *",
            "0 18 ? * MON-FRI *",
            "0 8 1 * ? *",
            "0/15 * * * ? *",
            "0/10 * ? * MON-FRI *",
            "0/5 8-17 ? * MON-FRI *",
            "0 9 ? * 2#1 *",
            "0 0 L * ? *",
            "0 0 ? * 6L 2030",
            "0 0 15W JAN,jul ? 2026-2030",
        ] {
            assert_eq!(check(ok), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        let err = |e: &str| check(e).unwrap_err();
        assert!(err("0 10 * * *").contains("six"));
        assert!(err("0 10 * * ? * *").contains("six"));
        assert!(err("0 10 * * MON *").contains("`?` in one of them"));
        assert!(err("0 10 ? * ? *").contains("exactly one"));
        assert!(err("60 10 * * ? *").contains("minutes field"));
        assert!(err("0 24 * * ? *").contains("hours field"));
        assert!(err("0 0 32 * ? *").contains("day-of-month"));
        assert!(err("0 0 * 13 ? *").contains("month"));
        assert!(err("0 0 ? * 8 *").contains("day-of-week"));
        assert!(err("0 0 ? * FUN *").contains("day-of-week"));
        assert!(err("0 0 * * ? 1969").contains("year"));
        assert!(err("? 0 * * ? *").contains("cannot be `?`"));
        assert!(err("0 0 ? * 2#6 *").contains("day-of-week"));
        assert!(err("0/0 0 * * ? *").contains("minutes"));
        assert!(err("0  10 * * ? *").contains("six"));
    }
}
