//! `at(yyyy-mm-ddThh:mm:ss)`: EventBridge Scheduler's one-time schedules.

use super::shown;

/// Checks a date and time written `yyyy-mm-ddThh:mm:ss` (a real date: no 30 February)
/// and returns it as given.
pub(super) fn check(text: &str) -> Result<&str, String> {
    let wrong = || {
        format!(
            "`at({})` is not a date and time written yyyy-mm-ddThh:mm:ss (such as 2030-01-31T09:30:00)",
            shown(text)
        )
    };
    let b = text.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(wrong());
    }
    let num = |from: usize, to: usize| text[from..to].parse::<u32>().unwrap_or(u32::MAX);
    let (year, month, day) = (num(0, 4), num(5, 7), num(8, 10));
    let (hour, minute, second) = (num(11, 13), num(14, 16), num(17, 19));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("{}: there is no month {month}", wrong())),
    };
    if !(1..=days).contains(&day) {
        return Err(format!(
            "{}: month {month} of {year} has days 1 to {days}",
            wrong()
        ));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("{}: the time is past 23:59:59", wrong()));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn real_dates_pass_and_others_are_refused() {
        assert!(check("2030-01-31T09:30:00").is_ok());
        assert!(check("2028-02-29T00:00:00").is_ok());
        assert!(check("2000-02-29T23:59:59").is_ok());
        assert!(
            check("2100-02-29T00:00:00")
                .unwrap_err()
                .contains("days 1 to 28")
        );
        assert!(
            check("2030-04-31T00:00:00")
                .unwrap_err()
                .contains("days 1 to 30")
        );
        assert!(
            check("2030-13-01T00:00:00")
                .unwrap_err()
                .contains("no month")
        );
        assert!(
            check("2030-01-01T24:00:00")
                .unwrap_err()
                .contains("23:59:59")
        );
        assert!(check("2030-01-01 09:00:00").is_err());
        assert!(check("2030-01-01T09:00").is_err());
        assert!(check("2030-01-01T09:00:00Z").is_err());
    }
}
