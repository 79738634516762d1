//! String formats the API server checks in configuration, networking and policy objects, each
//! returning the messages k8s.io/apimachinery/pkg/util/validation (and api/validation/path)
//! prints, so that findings read as `kubectl apply` output. The facts (patterns, limits and
//! wording) follow upstream; the code is ours.
use crate::yaml::Node;

fn regex_error(msg: &str, format: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{format}')");
    }
    let shown: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!("{msg} (e.g. {}regex used for validation is '{format}')", shown.join(" or "))
}

fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

fn is_label(s: &[u8]) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !s.is_empty() && alnum(&s[0]) && alnum(&s[s.len() - 1]) && s.iter().all(|b| alnum(b) || *b == b'-')
}

fn is_subdomain(s: &str) -> bool {
    s.as_bytes().split(|b| *b == b'.').all(is_label)
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 253 {
        errors.push(max_len_error(253));
    }
    if !is_subdomain(s) {
        let format = format!("{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*");
        errors.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must \
             start and end with an alphanumeric character",
            &format,
            &["example.com"],
        ));
    }
    errors
}

/// `IsWildcardDNS1123Subdomain`: `*.` then a subdomain.
pub fn wildcard_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 253 {
        errors.push(max_len_error(253));
    }
    if !s.strip_prefix("*.").is_some_and(is_subdomain) {
        let format = format!("\\*\\.{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*");
        errors.push(regex_error(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must \
             consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
            &format,
            &["*.example.com"],
        ));
    }
    errors
}

/// `IsDNS1035Label` (Service names).
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 63 {
        errors.push(max_len_error(63));
    }
    if !(is_label(s.as_bytes()) && s.as_bytes()[0].is_ascii_lowercase()) {
        errors.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic \
             character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errors
}

/// `IsConfigMapKey`: keys of ConfigMap and Secret data.
pub fn config_map_key(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 253 {
        errors.push(max_len_error(253));
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
        errors.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match s {
        "." => errors.push("must not be '.'".to_string()),
        ".." => errors.push("must not be '..'".to_string()),
        _ if s.starts_with("..") => errors.push("must not start with '..'".to_string()),
        _ => {}
    }
    errors
}

/// `IsValidPortNum`.
pub fn port_number(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) { Vec::new() } else { vec!["must be between 1 and 65535, inclusive".to_string()] }
}

/// `IsValidPortName`.
pub fn port_name(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 15 {
        errors.push(max_len_error(15));
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if s.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

/// `IsValidPathSegmentName`: names that appear in a URL path (RBAC names, HPA targets).
pub fn path_segment_name(s: &str) -> Vec<String> {
    if s == "." || s == ".." {
        return vec![format!("may not be '{s}'")];
    }
    ["/", "%"].iter().filter(|bad| s.contains(*bad)).map(|bad| format!("may not contain '{bad}'")).collect()
}

/// `IsValidPercent`.
pub fn percent(s: &str) -> Vec<String> {
    let digits = s.strip_suffix('%').unwrap_or("");
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    vec![regex_error(
        "a valid percent string must be a numeric string followed by an ending '%'",
        "[0-9]+%",
        &["1%", "93%"],
    )]
}

/// Go's `%#v` of an `intstr.IntOrString` holding a string, which is how the server prints one
/// in an error.
pub fn int_or_string_value(s: &str) -> String {
    format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", super::validation::go_quote(s))
}

/// Go's `%#v` of a string slice: `[]string{"a", "b"}`.
pub fn go_string_slice(type_name: &str, items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| super::validation::go_quote(i)).collect();
    format!("{type_name}{{{}}}", quoted.join(", "))
}

/// Decodes `text` as Go's `base64.StdEncoding` does when the server reads a `[]byte` field
/// (Secret `data`, ConfigMap `binaryData`): padding required, `\r` and `\n` skipped anywhere.
/// On failure, the offset Go's `CorruptInputError` names.
pub fn go_base64_decode(text: &str) -> Result<Vec<u8>, usize> {
    fn value(b: u8) -> Option<u8> {
        match b {
            b'A'..=b'Z' => Some(b - b'A'),
            b'a'..=b'z' => Some(b - b'a' + 26),
            b'0'..=b'9' => Some(b - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let newline = |b: u8| b == b'\n' || b == b'\r';
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        // One quantum of four symbols, as Go's decodeQuantum reads it.
        let mut buf = [0u8; 4];
        let mut len = 4;
        let mut j = 0;
        let mut trailing = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is required, so a quantum cut short is corrupt.
                return Err(si - j);
            }
            let b = src[si];
            si += 1;
            if let Some(v) = value(b) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if newline(b) {
                continue;
            }
            if b != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                while si < src.len() && newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            while si < src.len() && newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            len = j;
            break;
        }
        let val = (u32::from(buf[0]) << 18) | (u32::from(buf[1]) << 12) | (u32::from(buf[2]) << 6) | u32::from(buf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if let Some(at) = trailing {
            return Err(at);
        }
    }
    Ok(out)
}

/// Go's `net.ParseIP` as Kubernetes' "sloppy" parser uses it: IPv4 octets may have leading
/// zeros.
pub fn parse_ip_sloppy(s: &str) -> Option<std::net::IpAddr> {
    if s.contains(':') {
        return s.parse::<std::net::Ipv6Addr>().ok().map(std::net::IpAddr::V6);
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (octet, part) in octets.iter_mut().zip(&parts) {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse::<u16>().ok().filter(|v| *v <= 255)? as u8;
    }
    Some(std::net::IpAddr::V4(octets.into()))
}

/// A CIDR as `netutils.ParseCIDRSloppy` reads it: the network address (host bits cleared) and
/// the prefix length, as 128-bit values with the family's width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub v6: bool,
    pub network: u128,
    pub prefix: u32,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u32 = prefix.parse().ok()?;
        let (v6, bits, width) = match parse_ip_sloppy(ip)? {
            std::net::IpAddr::V4(a) => (false, u128::from(u32::from(a)), 32),
            std::net::IpAddr::V6(a) => (true, u128::from(a), 128),
        };
        if prefix > width {
            return None;
        }
        let mask =
            if prefix == 0 { 0 } else { (!0u128 << (width - prefix)) & (if width == 32 { 0xffff_ffff } else { !0 }) };
        Some(Cidr { v6, network: bits & mask, prefix })
    }

    /// Whether `other` is a strict subset of this block, as `ValidateIPBlock` decides it.
    pub fn strictly_contains(&self, other: &Cidr) -> bool {
        if self.v6 != other.v6 || self.prefix >= other.prefix {
            return false;
        }
        let width = if self.v6 { 128 } else { 32 };
        let shift = width - self.prefix;
        shift >= 128 || (other.network >> shift) == (self.network >> shift)
    }
}

/// Whether a value comes from a template the linter cannot see through (`{{ .Values.x }}`,
/// `${VAR}` substituted by Flux or envsubst).
pub fn templated(node: &Node<'_>) -> bool {
    node.scalar_text().is_some_and(|t| t.contains("{{") || t.contains("${"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_go_decodes_it() {
        assert_eq!(go_base64_decode("aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(go_base64_decode("aGVs\nbG8="), Ok(b"hello".to_vec()));
        assert_eq!(go_base64_decode(""), Ok(Vec::new()));
        assert_eq!(go_base64_decode("hello world"), Err(5));
        assert_eq!(go_base64_decode("aGVsbG8"), Err(4));
        assert_eq!(go_base64_decode("abc"), Err(0));
        assert!(go_base64_decode("password").is_ok());
        assert_eq!(go_base64_decode("aGk=x"), Err(4));
        assert_eq!(go_base64_decode("a==="), Err(1));
        assert_eq!(go_base64_decode("aGVsbG8=\n"), Ok(b"hello".to_vec()));
    }

    #[test]
    fn names_and_keys() {
        assert!(config_map_key("bad key")[0].starts_with("a valid config key must consist"));
        assert!(config_map_key("good.key_1-x").is_empty());
        assert_eq!(config_map_key(".."), vec!["must not be '..'".to_string()]);
        assert!(dns1123_subdomain("foo.bar.com").is_empty());
        assert_eq!(dns1123_subdomain("Foo").len(), 1);
        assert!(wildcard_dns1123_subdomain("*.foo.com").is_empty());
        assert_eq!(wildcard_dns1123_subdomain("foo.*.com").len(), 1);
        assert_eq!(port_name("HTTP").len(), 2);
        assert_eq!(path_segment_name("a/b"), vec!["may not contain '/'".to_string()]);
        assert!(percent("50%").is_empty());
        assert_eq!(percent("5").len(), 1);
    }

    #[test]
    fn cidrs() {
        let block = Cidr::parse("10.0.0.0/8").expect("a CIDR");
        assert!(block.strictly_contains(&Cidr::parse("10.1.0.0/16").expect("a CIDR")));
        assert!(!block.strictly_contains(&Cidr::parse("11.1.0.0/16").expect("a CIDR")));
        assert!(!block.strictly_contains(&Cidr::parse("10.0.0.0/8").expect("a CIDR")));
        assert!(Cidr::parse("10.0.0.1/33").is_none());
        assert!(Cidr::parse("10.0.0.1").is_none());
        let v6 = Cidr::parse("2001:db8::/32").expect("a CIDR");
        assert!(v6.strictly_contains(&Cidr::parse("2001:db8:1::/48").expect("a CIDR")));
        assert!(
            Cidr::parse("0.0.0.0/0").expect("a CIDR").strictly_contains(&Cidr::parse("10.0.0.0/8").expect("a CIDR"))
        );
        assert_eq!(parse_ip_sloppy("010.1.1.1"), Some("10.1.1.1".parse().expect("an IP")));
    }
}
