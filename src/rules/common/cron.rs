//! A CronJob's `schedule` as the API server parses it: `cron.ParseStandard` of
//! github.com/robfig/cron (v3 since Kubernetes 1.22, v1 before), five fields (minute, hour, day of
//! month, month, day of week) with names for months and weekdays, ranges, steps and lists, or a
//! descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`,
//! `@every <Go duration>`). Errors are worded as the library words them, since the server puts
//! them into its message unchanged.
use super::validation::go_quote;

/// Which release of the library the server links, for its wording: v1 capitalises its errors
/// and prints the whole spec where v3 prints the split fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    V1,
    V3,
}

struct Bounds {
    min: u64,
    max: u64,
    names: &'static [(&'static str, u64)],
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6)],
};

/// Capitalises the first letter for v1, whose errors start upper-case.
fn word(flavor: Flavor, text: String) -> String {
    match flavor {
        Flavor::V3 => text,
        Flavor::V1 => {
            let mut chars = text.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// Parses `spec` after any `TZ=`/`CRON_TZ=` prefix (the caller judges that prefix, which needs a
/// time-zone database). `Err` is the library's message.
pub fn parse_standard(spec: &str, flavor: Flavor) -> Result<(), String> {
    if spec.is_empty() {
        return Err(word(flavor, "empty spec string".into()));
    }
    if spec.starts_with('@') {
        return descriptor(spec, flavor);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        let shown = match flavor {
            Flavor::V3 => format!("[{}]", fields.join(" ")),
            Flavor::V1 => spec.to_string(),
        };
        return Err(word(flavor, format!("expected exactly 5 fields, found {}: {shown}", fields.len())));
    }
    for (field, bounds) in fields.iter().zip([&MINUTES, &HOURS, &DOM, &MONTHS, &DOW]) {
        for range in field.split(',').filter(|r| !r.is_empty()) {
            check_range(range, bounds, flavor)?;
        }
    }
    Ok(())
}

fn check_range(expr: &str, r: &Bounds, flavor: Flavor) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let (start, mut end);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
    } else {
        start = int_or_name(low_and_high[0], r, flavor)?;
        end = match low_and_high.len() {
            1 => start,
            2 => int_or_name(low_and_high[1], r, flavor)?,
            _ => return Err(word(flavor, format!("too many hyphens: {expr}"))),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1], flavor)?;
            // `N/step` means `N-max/step`.
            if low_and_high.len() == 1 {
                end = r.max;
            }
            step
        }
        _ => return Err(word(flavor, format!("too many slashes: {expr}"))),
    };
    if start < r.min {
        return Err(word(flavor, format!("beginning of range ({start}) below minimum ({}): {expr}", r.min)));
    }
    if end > r.max {
        return Err(word(flavor, format!("end of range ({end}) above maximum ({}): {expr}", r.max)));
    }
    if start > end {
        return Err(word(flavor, format!("beginning of range ({start}) beyond end of range ({end}): {expr}")));
    }
    if step == 0 {
        return Err(word(flavor, format!("step of range should be a positive number: {expr}")));
    }
    Ok(())
}

fn int_or_name(expr: &str, r: &Bounds, flavor: Flavor) -> Result<u64, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, n)) = r.names.iter().find(|(name, _)| *name == lower) {
        return Ok(*n);
    }
    must_parse_int(expr, flavor)
}

/// `mustParseInt`: Go's `strconv.Atoi`, then no negatives.
fn must_parse_int(expr: &str, flavor: Flavor) -> Result<u64, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let atoi_error = if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        Some("invalid syntax")
    } else if expr.parse::<i64>().is_err() {
        Some("value out of range")
    } else {
        None
    };
    if let Some(reason) = atoi_error {
        return Err(word(
            flavor,
            format!("failed to parse int from {expr}: strconv.Atoi: parsing {}: {reason}", go_quote(expr)),
        ));
    }
    let num: i64 = expr.parse().unwrap_or(0);
    if num < 0 {
        return Err(word(flavor, format!("negative number ({num}) not allowed: {expr}")));
    }
    Ok(num as u64)
}

fn descriptor(spec: &str, flavor: Flavor) -> Result<(), String> {
    match spec {
        "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly" => Ok(()),
        _ => match spec.strip_prefix("@every ") {
            Some(duration) => {
                parse_duration(duration).map_err(|e| word(flavor, format!("failed to parse duration {spec}: {e}")))
            }
            None => Err(word(flavor, format!("unrecognized descriptor: {spec}"))),
        },
    }
}

/// Go's `time.ParseDuration`, for its verdict and its error text.
pub fn parse_duration(orig: &str) -> Result<(), String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig.strip_prefix(['-', '+']).unwrap_or(orig);
    if s == "0" {
        return Ok(());
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let first = s.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &s[..int_len];
        s = &s[int_len..];
        if let Some(rest) = s.strip_prefix('.') {
            let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
            s = &rest[frac_len..];
            if int_len == 0 && frac_len == 0 {
                return Err(invalid());
            }
        } else if int_len == 0 {
            return Err(invalid());
        }
        let unit_len = s.bytes().take_while(|b| !(*b == b'.' || b.is_ascii_digit())).count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        let nanos: f64 = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(format!("time: unknown unit {} in duration {}", go_quote(unit), go_quote(orig))),
        };
        total += int_part.parse::<f64>().unwrap_or(0.0) * nanos;
        if total > 9.2e18 {
            return Err(invalid());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v3(spec: &str) -> Result<(), String> {
        parse_standard(spec, Flavor::V3)
    }

    #[test]
    fn valid_schedules() {
        for spec in [
            "*/5 * * * *",
            "0 3 * * *",
            "0 0 1 jan,JUL *",
            "30 2 * * MON-FRI",
            "0 0 ? * sun",
            "0-59/15 8-18 1-31/2 * 0-6",
            "5 4 * * 7-7/1",
            "@daily",
            "@every 1h30m",
            "@every 90s",
            "0 */2 * * *",
            "1,,2 * * * *",
            "+5 * * * *",
        ] {
            let result = v3(spec);
            if spec == "5 4 * * 7-7/1" {
                assert!(result.is_err(), "{spec}");
            } else {
                assert_eq!(result, Ok(()), "{spec}");
            }
        }
    }

    #[test]
    fn errors_as_the_library_words_them() {
        assert_eq!(v3("every night at 3"), Err("expected exactly 5 fields, found 4: [every night at 3]".into()));
        assert_eq!(
            parse_standard("every night at 3", Flavor::V1),
            Err("Expected exactly 5 fields, found 4: every night at 3".into())
        );
        assert_eq!(v3("60 * * * *"), Err("end of range (60) above maximum (59): 60".into()));
        assert_eq!(v3("* * 0 * *"), Err("beginning of range (0) below minimum (1): 0".into()));
        assert_eq!(v3("5-1 * * * *"), Err("beginning of range (5) beyond end of range (1): 5-1".into()));
        assert_eq!(v3("*/0 * * * *"), Err("step of range should be a positive number: */0".into()));
        assert_eq!(
            v3("x * * * *"),
            Err("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax".into())
        );
        assert_eq!(v3("1-2-3 * * * *"), Err("too many hyphens: 1-2-3".into()));
        assert_eq!(v3("@weekdays"), Err("unrecognized descriptor: @weekdays".into()));
        assert_eq!(
            v3("@every 1d"),
            Err("failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"".into())
        );
        assert_eq!(
            v3("@every 5"),
            Err("failed to parse duration @every 5: time: missing unit in duration \"5\"".into())
        );
    }
}
