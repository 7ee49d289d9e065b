//! Timestamps as the exports write them, read into UTC milliseconds and written as ISO 8601.

// No date library: the exports use a handful of layouts, all in UTC (Log Analytics, diagnostic
// archives and the REST API write UTC; the portal's CSV says so in its `[UTC]` column names).

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// Reads `2024-06-04T01:17:42.1183456Z` (any fraction, `Z` or `+hh:mm`, `T` or a space),
/// `2024-06-04`, the portal's CSV `6/4/2024, 1:17:42.118 AM`, PowerShell's `6/4/2024 1:17:42 AM`
/// and Windows PowerShell's `/Date(1717463862118)/`. `None` when it is none of these.
pub fn parse(text: &str) -> Option<Millis> {
    let text = text.trim();
    if let Some(ms) = text
        .strip_prefix("/Date(")
        .or_else(|| text.strip_prefix("\\/Date("))
    {
        let digits: String = ms
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        // Years 1 to 9999, as every other layout: a report cannot chart the age of the universe.
        return digits
            .parse()
            .ok()
            .filter(|ms| (-62_135_596_800_000..=253_402_300_799_999).contains(ms));
    }
    if text.contains('/') {
        return parse_us(text);
    }
    parse_iso(text)
}

fn parse_iso(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // `get`, not indexing: a multi-byte character may sit where a digit should.
    let year = num(text.get(0..4)?)?;
    let month = num(text.get(5..7)?)?;
    let day = num(text.get(8..10)?)?;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return civil(year, month, day, 0, 0, 0, 0);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, offset) = split_offset(rest)?;
    let (hms, fraction) = clock.split_once(['.', ',']).unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let hour = num(parts.next()?)?;
    let minute = num(parts.next()?)?;
    let second = parts.next().map_or(Some(0), num)?;
    if parts.next().is_some() || !fraction.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let millis = fraction_millis(fraction);
    Some(civil(year, month, day, hour, minute, second, millis)? - offset)
}

/// Splits `01:17:42.118+02:00` into the clock and the offset in milliseconds.
fn split_offset(text: &str) -> Option<(&str, Millis)> {
    if let Some(clock) = text.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match text.rfind(['+', '-']) {
        Some(at) if at >= 5 => {
            let sign = if text.as_bytes()[at] == b'-' { -1 } else { 1 };
            let offset = text[at + 1..].replace(':', "");
            if offset.len() != 4 {
                return None;
            }
            let minutes = num(offset.get(..2)?)? * 60 + num(offset.get(2..)?)?;
            Some((&text[..at], sign * minutes * 60_000))
        }
        _ => Some((text, 0)),
    }
}

/// `6/4/2024, 1:17:42.118 AM` or `6/4/2024 1:17:42 PM` (month first, as the portal writes).
fn parse_us(text: &str) -> Option<Millis> {
    let (date, clock) = text
        .split_once(", ")
        .or_else(|| text.split_once(' '))
        .unwrap_or((text, ""));
    let mut parts = date.split('/');
    let month = num(parts.next()?)?;
    let day = num(parts.next()?)?;
    let year = num(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    let clock = clock.trim();
    if clock.is_empty() {
        return civil(year, month, day, 0, 0, 0, 0);
    }
    let (clock, meridiem) = match clock.rsplit_once(' ') {
        Some((c, m)) => (c, Some(m.to_ascii_uppercase())),
        None => (clock, None),
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let mut hour = num(parts.next()?)?;
    let minute = num(parts.next()?)?;
    let second = parts.next().map_or(Some(0), num)?;
    match meridiem.as_deref() {
        Some("AM") if hour == 12 => hour = 0,
        Some("PM") if hour < 12 => hour += 12,
        Some("AM" | "PM") | None => {}
        Some(_) => return None,
    }
    if !fraction.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    civil(
        year,
        month,
        day,
        hour,
        minute,
        second,
        fraction_millis(fraction),
    )
}

fn fraction_millis(fraction: &str) -> Millis {
    let digits: String = fraction.chars().chain("000".chars()).take(3).collect();
    digits.parse().unwrap_or(0)
}

fn num(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn civil(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
) -> Option<Millis> {
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

pub const DAY: Millis = 86_400_000;
pub const HOUR: Millis = 3_600_000;

/// `2024-06-04T01:17:42Z` (seconds are enough for a report).
pub fn iso(ms: Millis) -> String {
    let (date, rest) = (ms.div_euclid(DAY), ms.rem_euclid(DAY) / 1000);
    let (y, m, d) = civil_from_days(date);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// `2024-06-04`.
pub fn day(ms: Millis) -> String {
    iso(ms)[..10].to_string()
}

/// `2024-06-04 01:00` for hourly buckets.
pub fn hour(ms: Millis) -> String {
    let text = iso(ms);
    format!("{} {}", &text[..10], &text[11..16])
}

/// A `--since`/`--until` bound: an absolute time as [`parse`] reads it, or an age before `now`
/// (`36h`, `7d`, `90m`).
pub fn parse_bound(text: &str, now: Millis) -> Result<Millis, String> {
    let text = text.trim();
    let age = |unit: char, size: Millis| {
        text.strip_suffix(unit)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .and_then(|n| n.checked_mul(size))
            .and_then(|age| now.checked_sub(age))
    };
    age('d', DAY)
        .or_else(|| age('h', HOUR))
        .or_else(|| age('m', 60_000))
        .or_else(|| parse(text))
        .ok_or_else(|| {
            format!(
                "'{text}' is not a time: use 2024-06-01, 2024-06-01T08:00:00Z, or an age such as 36h or 7d"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_layouts_the_exports_write() {
        let at = parse("2024-06-04T01:17:42.118Z").unwrap();
        assert_eq!(iso(at), "2024-06-04T01:17:42Z");
        assert_eq!(at % 1000, 118);
        for (text, expected) in [
            ("2024-06-04T01:17:42.1183456Z", Some(at)),
            ("2024-06-04 01:17:42.118", Some(at)),
            ("2024-06-04T03:17:42.118+02:00", Some(at)),
            ("6/4/2024, 1:17:42.118 AM", Some(at)),
            ("6/4/2024 1:17:42 AM", Some(at - 118)),
            ("/Date(1717463862118)/", Some(at)),
            ("6/4/2024, 1:17:42.118 PM", Some(at + 12 * HOUR)),
            ("2024-02-30", None),
            ("yesterday", None),
            ("", None),
            ("2024-06-04T25:00:00Z", None),
            ("2024-06-0é:00:00Z", None),
            ("2024-06-04T01:17:42+0é1", None),
            ("/Date(-99999999999999999)/", None),
        ] {
            assert_eq!(parse(text), expected, "{text}");
        }
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(day(parse("2000-02-29T23:59:59Z").unwrap()), "2000-02-29");
    }

    #[test]
    fn bounds_are_times_or_ages() {
        let now = parse("2024-06-10T00:00:00Z").unwrap();
        assert_eq!(parse_bound("7d", now), Ok(now - 7 * DAY));
        assert_eq!(parse_bound("36h", now), Ok(now - 36 * HOUR));
        assert_eq!(parse_bound("2024-06-01", now).ok(), parse("2024-06-01"));
        assert!(parse_bound("soon", now).unwrap_err().contains("'soon'"));
        assert!(parse_bound("999999999999999d", now).is_err());
    }
}
