//! Helpers the rules about links share: one field naming another (a selector and labels, a port
//! and its name), where the useful help is the list of what exists and the closest spelling.

/// `a`, `b` and `c`: names in backticks, as messages quote them.
pub fn quoted_list<S: AsRef<str>>(names: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A label set as people write it in flow style, inside backticks: `app: web, tier: front`.
pub fn labels_text<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{}: {}", k.as_ref(), v.as_ref())).collect();
    format!("`{}`", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_written() {
        assert_eq!(quoted_list(&["a"], "or"), "`a`");
        assert_eq!(quoted_list(&["a", "b", "c"], "and"), "`a`, `b` and `c`");
        assert_eq!(labels_text(&[("app", "web"), ("tier", "front")]), "`app: web, tier: front`");
    }
}
