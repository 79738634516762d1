//! The Kubernetes format library: `format.dns1123Label()` and the other named formats, or
//! `format.named("dns1123Label")`, each with `validate(string)`, which is `optional.none()`
//! for a valid string and the reasons otherwise.
use cel::Env;
use cel::common::types::{CelList, CelOptional, CelString, STRING_TYPE};
use cel::common::value::Val;

use super::support::*;
use crate::k8s::names;

#[derive(Clone, Debug, PartialEq)]
pub struct Format(pub &'static str);

library_type!(Format, FORMAT_TYPE, "kubernetes.NamedFormat");

const NAMES: &[&str] = &[
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
];

/// A `generateName` prefix may end in `-`: it is checked as if a character followed.
fn as_prefix(text: &str) -> String {
    match text.strip_suffix('-') {
        Some(stem) if !stem.is_empty() => format!("{stem}a"),
        _ => text.to_owned(),
    }
}

fn validate(format: &str, text: &str) -> Result<(), String> {
    match format {
        "dns1123Label" => names::dns1123_label(text),
        "dns1123Subdomain" => names::dns1123_subdomain(text),
        "dns1035Label" => names::dns1035_label(text),
        "qualifiedName" => names::qualified_name(text),
        "dns1123LabelPrefix" => names::dns1123_label(&as_prefix(text)),
        "dns1123SubdomainPrefix" => names::dns1123_subdomain(&as_prefix(text)),
        "dns1035LabelPrefix" => names::dns1035_label(&as_prefix(text)),
        "labelValue" => names::label_value(text),
        "uri" => super::url::parse(text).map(|_| ()).map_err(|_| "must be a valid URI".into()),
        "uuid" => is_uuid(text).then_some(()).ok_or_else(|| "must be a valid UUID".into()),
        "byte" => is_base64(text).then_some(()).ok_or_else(|| "must be valid base64".into()),
        "date" => is_date(text).then_some(()).ok_or_else(|| "must be a valid RFC 3339 full-date".into()),
        "datetime" => is_datetime(text).then_some(()).ok_or_else(|| "must be a valid RFC 3339 date-time".into()),
        _ => Ok(()),
    }
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    padding <= 2 && bytes[..bytes.len() - padding].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let [year, month, day] = parts[..] else { return false };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn is_datetime(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else { return false };
    if !is_date(date) {
        return false;
    }
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else {
        match time.rfind(['+', '-']) {
            Some(i) => (&time[..i], Some(&time[i + 1..])),
            None => return false,
        }
    };
    let two = |s: &str, max: u32| {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let (whole, fraction) = match clock.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    let hms: Vec<&str> = whole.split(':').collect();
    let clock_ok = matches!(hms[..], [h, m, s] if two(h, 23) && two(m, 59) && two(s, 60))
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let offset_ok = offset.is_none_or(|o| matches!(o.split_once(':'), Some((h, m)) if two(h, 23) && two(m, 59)));
    clock_ok && offset_ok
}

pub fn display(format: &Format) -> String {
    format!("format.{}()", format.0)
}

pub fn declare(env: &mut Env) {
    // One global function per format, `format.<name>()`: a plain fn pointer cannot carry the
    // name, so each is spelled out.
    macro_rules! named {
        ($($name:literal),* $(,)?) => {
            $(global(env, concat!("format.", $name), vec![], |_| value(Format($name)));)*
        };
    }
    named!(
        "dns1123Label",
        "dns1123Subdomain",
        "dns1035Label",
        "qualifiedName",
        "dns1123LabelPrefix",
        "dns1123SubdomainPrefix",
        "dns1035LabelPrefix",
        "labelValue",
        "uri",
        "uuid",
        "byte",
        "date",
        "datetime",
    );
    global(env, "format.named", vec![STRING_TYPE], |args| {
        let name = string_arg(&args, 0)?;
        value(match NAMES.iter().find(|n| **n == name) {
            Some(found) => CelOptional::of(Box::new(Format(found))),
            None => CelOptional::none(),
        })
    });
    member(env, "validate", FORMAT_TYPE, vec![STRING_TYPE], |args| {
        let format = arg::<Format>(&args, 0)?;
        value(match validate(format.0, string_arg(&args, 1)?) {
            Ok(()) => CelOptional::none(),
            Err(reason) => {
                let reasons: Vec<Box<dyn Val>> = vec![Box::new(CelString::from(reason))];
                CelOptional::of(Box::new(CelList::from(reasons)))
            }
        })
    });
}
