//! The Kubernetes URL library: `url("https://example.com:80/path?q=1")`, `isURL`, and the
//! getters. A URL is what Go's `url.ParseRequestURI` accepts: an absolute URL whose scheme is
//! followed by a path starting with `/` (so `//host…` or `/…`), or an absolute path.
use std::collections::HashMap;

use cel::Env;
use cel::common::types::{CelList, CelMap, CelMapKey, CelString, STRING_TYPE};
use cel::common::value::Val;

use super::fail;
use super::support::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Url {
    pub text: String,
    scheme: String,
    /// `host[:port]` as written, brackets of an IPv6 literal included.
    host: String,
    path: String,
    query: String,
}

library_type!(Url, URL_TYPE, "kubernetes.URL");

pub fn parse(text: &str) -> Result<Url, String> {
    let invalid = || format!("URL parse error during conversion from string: {text:?}");
    // Go rejects control characters anywhere; a space is kept in the path and escaped by
    // `getEscapedPath`, but no host has one.
    if text.is_empty() || text.chars().any(|c| c.is_ascii_control()) {
        return Err(invalid());
    }
    // The fragment is not split off a request URI: it stays in the path or query.
    let (before_query, query) = match text.split_once('?') {
        Some((before, query)) => (before, query),
        None => (text, ""),
    };
    let (scheme, rest) = match before_query.split_once(':') {
        Some((scheme, rest)) if is_scheme(scheme) => (scheme, rest),
        Some((scheme, _)) if !scheme.contains('/') => return Err(invalid()),
        _ => ("", before_query),
    };
    if !rest.starts_with('/') {
        return Err(invalid());
    }
    let (host, path) = match rest.strip_prefix("//").filter(|_| !scheme.is_empty()) {
        Some(authority_and_path) => {
            let end = authority_and_path.find('/').unwrap_or(authority_and_path.len());
            let (authority, path) = authority_and_path.split_at(end);
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            validate_host(host).ok_or_else(invalid)?;
            (host, path)
        }
        None => ("", rest),
    };
    if !valid_escapes(path) || !valid_escapes(query) {
        return Err(invalid());
    }
    Ok(Url {
        text: text.to_owned(),
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
    })
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A host as Go's URL parser accepts it: a bracketed IPv6 literal or a name, then an optional
/// all-digit port.
fn validate_host(host: &str) -> Option<()> {
    let (name, port) = split_host_port(host);
    if port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if let Some(literal) = name.strip_prefix('[') {
        let literal = literal.strip_suffix(']')?;
        let address = literal.split('%').next()?;
        return address.parse::<std::net::Ipv6Addr>().ok().map(|_| ());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=%".contains(c) || !c.is_ascii();
    name.chars().all(allowed).then_some(())
}

/// `host` and `port` of `host[:port]`; the port is `Some("")` for a trailing colon.
fn split_host_port(host: &str) -> (&str, Option<&str>) {
    let bracket_end = host.rfind(']');
    match host.rfind(':') {
        Some(colon) if bracket_end.is_none_or(|end| colon > end) => (&host[..colon], Some(&host[colon + 1..])),
        _ => (host, None),
    }
}

fn valid_escapes(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
            if !hex(bytes.get(i + 1)) || !hex(bytes.get(i + 2)) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// Percent-decoding as a query component: `+` is a space. `None` for a bad escape.
fn unescape_query(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let digits = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(digits, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

impl Url {
    fn hostname(&self) -> &str {
        let (name, _) = split_host_port(&self.host);
        name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name)
    }

    /// The path as written when every character may appear unescaped in a path, else with the
    /// others percent-encoded (Go's `URL.EscapedPath`).
    fn escaped_path(&self) -> String {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@[]%/".contains(&b);
        let mut out = String::with_capacity(self.path.len());
        for b in self.path.bytes() {
            if allowed(b) {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    fn port(&self) -> &str {
        split_host_port(&self.host).1.unwrap_or("")
    }

    /// `url.ParseQuery`: pairs split at `&`, keys and values unescaped, malformed pairs dropped.
    fn query_map(&self) -> CelMap<'static> {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for pair in self.query.split('&').filter(|p| !p.is_empty()) {
            if pair.contains(';') {
                continue;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (Some(key), Some(value)) = (unescape_query(key), unescape_query(value)) else { continue };
            values.entry(key).or_default().push(value);
        }
        let map: HashMap<CelMapKey<'static>, Box<dyn Val>> = values
            .into_iter()
            .map(|(key, list)| {
                let list: Vec<Box<dyn Val>> =
                    list.into_iter().map(|v| Box::new(CelString::from(v)) as Box<dyn Val>).collect();
                (CelMapKey::from(key), Box::new(CelList::from(list)) as Box<dyn Val>)
            })
            .collect();
        CelMap::from(map)
    }
}

pub fn display(url: &Url) -> String {
    format!("url({:?})", url.text)
}

pub fn declare(env: &mut Env) {
    global(env, "url", vec![STRING_TYPE], |args| value(parse(string_arg(&args, 0)?).map_err(fail)?));
    global(env, "isURL", vec![STRING_TYPE], |args| boolean(parse(string_arg(&args, 0)?).is_ok()));
    global(env, "string", vec![URL_TYPE], |args| string(arg::<Url>(&args, 0)?.text.clone()));
    let url = || URL_TYPE;
    member(env, "getScheme", url(), vec![], |args| string(arg::<Url>(&args, 0)?.scheme.clone()));
    member(env, "getHost", url(), vec![], |args| string(arg::<Url>(&args, 0)?.host.clone()));
    member(env, "getHostname", url(), vec![], |args| string(arg::<Url>(&args, 0)?.hostname().to_owned()));
    member(env, "getPort", url(), vec![], |args| string(arg::<Url>(&args, 0)?.port().to_owned()));
    member(env, "getEscapedPath", url(), vec![], |args| string(arg::<Url>(&args, 0)?.escaped_path()));
    member(env, "getQuery", url(), vec![], |args| value(arg::<Url>(&args, 0)?.query_map()));
}
