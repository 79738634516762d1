//! The Kubernetes semver library: `semver("1.2.3")`, `semver("v1.2", true)` (normalising a
//! `v` prefix, missing minor or patch, and leading zeros), `isSemver`, and `major`, `minor`,
//! `patch`, `compareTo`, `isLessThan`, `isGreaterThan`. Versions follow Semantic Versioning
//! 2.0.0: build metadata does not take part in comparisons or equality.
use std::cmp::Ordering;

use cel::Env;
use cel::common::types::{BOOL_TYPE, STRING_TYPE};

use super::fail;
use super::support::*;

#[derive(Clone, Debug)]
pub struct Semver {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<String>,
    build: String,
}

library_type!(Semver, SEMVER_TYPE, "kubernetes.Semver");

impl PartialEq for Semver {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Semver {}

impl PartialOrd for Semver {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Semver {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch)).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            }
        })
    }
}

fn compare_prerelease(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

fn numeric(part: &str) -> Option<u64> {
    let well_formed =
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'));
    well_formed.then(|| part.parse().ok()).flatten()
}

fn identifiers_ok(part: &str) -> bool {
    part.split('.').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

fn parse(text: &str) -> Result<Semver, String> {
    let invalid = || format!("invalid semver: {text}");
    let (rest, build) = text.split_once('+').unwrap_or((text, ""));
    let (core, pre) = rest.split_once('-').unwrap_or((rest, ""));
    if (text.contains('+') && !identifiers_ok(build)) || (rest.contains('-') && !identifiers_ok(pre)) {
        return Err(invalid());
    }
    let pre: Vec<String> = if rest.contains('-') { pre.split('.').map(str::to_owned).collect() } else { Vec::new() };
    if pre.iter().any(|id| id.bytes().all(|b| b.is_ascii_digit()) && numeric(id).is_none()) {
        return Err(invalid());
    }
    let parts: Vec<&str> = core.split('.').collect();
    let [major, minor, patch] = parts[..] else { return Err(invalid()) };
    let (Some(major), Some(minor), Some(patch)) = (numeric(major), numeric(minor), numeric(patch)) else {
        return Err(invalid());
    };
    Ok(Semver { major, minor, patch, pre, build: build.to_owned() })
}

/// Kubernetes' normalisation: no `v` prefix, missing minor and patch as zero, no leading zeros.
fn normalize(text: &str) -> String {
    let text = text.strip_prefix('v').unwrap_or(text);
    let split = text.find(['-', '+']).unwrap_or(text.len());
    let (core, suffix) = text.split_at(split);
    let mut parts: Vec<String> = core
        .split('.')
        .map(|p| {
            let trimmed = p.trim_start_matches('0');
            if trimmed.is_empty() && !p.is_empty() { "0".to_owned() } else { trimmed.to_owned() }
        })
        .collect();
    while parts.len() < 3 {
        parts.push("0".to_owned());
    }
    format!("{}{suffix}", parts.join("."))
}

fn parse_maybe_normalized(text: &str, normalized: bool) -> Result<Semver, String> {
    if normalized { parse(&normalize(text)) } else { parse(text) }
}

pub fn display(version: &Semver) -> String {
    let mut text = format!("{}.{}.{}", version.major, version.minor, version.patch);
    if !version.pre.is_empty() {
        text.push('-');
        text.push_str(&version.pre.join("."));
    }
    if !version.build.is_empty() {
        text.push('+');
        text.push_str(&version.build);
    }
    format!("semver({text:?})")
}

fn as_int(n: u64) -> Result<i64, cel::ExecutionError> {
    i64::try_from(n).map_err(|_| fail("version number out of range"))
}

pub fn declare(env: &mut Env) {
    global(env, "semver", vec![STRING_TYPE], |args| value(parse(string_arg(&args, 0)?).map_err(fail)?));
    global(env, "semver", vec![STRING_TYPE, BOOL_TYPE], |args| {
        value(parse_maybe_normalized(string_arg(&args, 0)?, bool_arg(&args, 1)?).map_err(fail)?)
    });
    global(env, "isSemver", vec![STRING_TYPE], |args| boolean(parse(string_arg(&args, 0)?).is_ok()));
    global(env, "isSemver", vec![STRING_TYPE, BOOL_TYPE], |args| {
        boolean(parse_maybe_normalized(string_arg(&args, 0)?, bool_arg(&args, 1)?).is_ok())
    });
    let semver = || SEMVER_TYPE;
    member(env, "major", semver(), vec![], |args| int(as_int(arg::<Semver>(&args, 0)?.major)?));
    member(env, "minor", semver(), vec![], |args| int(as_int(arg::<Semver>(&args, 0)?.minor)?));
    member(env, "patch", semver(), vec![], |args| int(as_int(arg::<Semver>(&args, 0)?.patch)?));
    member(env, "isLessThan", semver(), vec![semver()], |args| {
        boolean(arg::<Semver>(&args, 0)? < arg::<Semver>(&args, 1)?)
    });
    member(env, "isGreaterThan", semver(), vec![semver()], |args| {
        boolean(arg::<Semver>(&args, 0)? > arg::<Semver>(&args, 1)?)
    });
    member(env, "compareTo", semver(), vec![semver()], |args| {
        ordering(arg::<Semver>(&args, 0)?.cmp(arg::<Semver>(&args, 1)?))
    });
}
