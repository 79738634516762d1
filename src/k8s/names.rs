//! Name syntaxes the API server enforces (k8s.io/apimachinery/pkg/util/validation). Each check
//! returns `Err(reason)` with the rule the value breaks, for messages.

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_alnum_lower_byte(b: &u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// RFC 1123 label: at most 63 lowercase alphanumerics or `-`, starting and ending alphanumeric.
/// Container names, Namespace names.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!("must be at most 63 characters (it has {})", s.len()));
    }
    if !s.chars().all(|c| is_alnum_lower(c) || c == '-') {
        return Err(lowercase_hint(s, "lowercase letters, digits and `-`"));
    }
    if !s.starts_with(is_alnum_lower) || !s.ends_with(is_alnum_lower) {
        return Err("must start and end with a lowercase letter or digit".into());
    }
    Ok(())
}

/// RFC 1035 label: a DNS-1123 label that starts with a letter. Service names.
pub fn dns1035_label(s: &str) -> Result<(), String> {
    dns1123_label(s)?;
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    Ok(())
}

/// RFC 1123 subdomain: dot-separated labels, at most 253 characters. Most object names, and
/// every label key's prefix; checked on bytes, as the allowed characters are ASCII.
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err("must not be empty".into());
    }
    if bytes.len() > 253 {
        return Err(format!("must be at most 253 characters (it has {})", s.chars().count()));
    }
    if !bytes.iter().all(|b| is_alnum_lower_byte(b) || matches!(b, b'-' | b'.')) {
        return Err(lowercase_hint(s, "lowercase letters, digits, `-` and `.`"));
    }
    for part in bytes.split(|b| *b == b'.') {
        if !part.first().is_some_and(is_alnum_lower_byte) || !part.last().is_some_and(is_alnum_lower_byte) {
            return Err("each dot-separated part must start and end with a lowercase letter or digit".into());
        }
    }
    Ok(())
}

fn lowercase_hint(s: &str, allowed: &str) -> String {
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        format!("must be lowercase: only {allowed} are allowed")
    } else {
        format!("may contain only {allowed}")
    }
}

/// The name part of a label key, and a label value: at most 63 characters of alphanumerics and
/// `-`, `_`, `.`, starting and ending alphanumeric. Every label of every object goes through
/// this, so it works on bytes (all the allowed characters are ASCII).
fn qualified_name_part(s: &str, what: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    if bytes.len() > 63 {
        return Err(format!("{what} must be at most 63 characters (it has {})", s.chars().count()));
    }
    if !bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return Err(format!("{what} may contain only letters, digits, `-`, `_` and `.`"));
    }
    let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    if !alnum(bytes.first()) || !alnum(bytes.last()) {
        return Err(format!("{what} must start and end with a letter or digit"));
    }
    Ok(())
}

/// Label and annotation keys: an optional DNS-subdomain prefix and `/`, then a name.
pub fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, s),
    };
    if let Some(prefix) = prefix {
        dns1123_subdomain(prefix).map_err(|e| format!("the prefix before `/` {e}"))?;
    }
    if name.is_empty() {
        return Err("the name part must not be empty".into());
    }
    qualified_name_part(name, "the name part")
}

/// Label values may also be empty.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() { Ok(()) } else { qualified_name_part(s, "a label value") }
}

/// IANA service names, used for port names: at most 15 lowercase alphanumerics or `-`, with a
/// letter, no leading, trailing or double `-`.
pub fn port_name(s: &str) -> Result<(), String> {
    if s.len() > 15 {
        return Err(format!("must be at most 15 characters (it has {})", s.len()));
    }
    if !s.chars().all(|c| is_alnum_lower(c) || c == '-') {
        return Err(lowercase_hint(s, "lowercase letters, digits and `-`"));
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("must not start or end with `-` or contain `--`".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns1123_label("web-1").is_ok());
        assert!(dns1123_label("Web").unwrap_err().contains("lowercase"));
        assert!(dns1123_label("web_1").is_err());
        assert!(dns1123_label("-web").is_err());
        assert!(dns1123_label(&"a".repeat(64)).is_err());
        assert!(dns1035_label("1web").is_err());
        assert!(dns1123_subdomain("my.app-1").is_ok());
        assert!(dns1123_subdomain("my..app").is_err());
        assert!(dns1123_subdomain("My.app").is_err());
    }

    #[test]
    fn labels_and_ports() {
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("Tier_2.x").is_ok());
        assert!(qualified_name("bad key").is_err());
        assert!(qualified_name("example.com/").is_err());
        assert!(qualified_name("Example.com/x").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3").is_ok());
        assert!(label_value("-x").is_err());
        assert!(label_value(&"a".repeat(64)).is_err());
        assert!(port_name("http").is_ok());
        assert!(port_name("http-metrics-port").is_err());
        assert!(port_name("HTTP").is_err());
        assert!(port_name("8080").is_err());
        assert!(port_name("a--b").is_err());
    }
}
