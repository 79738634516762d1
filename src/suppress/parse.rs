//! Reading a `podlint:` directive: `verb[id, id] -- reason`, and the rules it names.
use super::{Problem, Target};
use crate::rules;

pub(super) const VERBS: [&str; 4] = ["ignore", "disable", "enable", "file-ignore"];

/// A directive as written, before it is placed.
pub(super) struct Parsed<'t> {
    pub verb: &'static str,
    pub ids: Vec<&'t str>,
}

/// `---` or `...` at the start of a line, alone or followed by a blank.
pub(super) fn is_document_marker(line: &str) -> bool {
    ["---", "..."]
        .iter()
        .any(|m| line.strip_prefix(m).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t'])))
}

/// Parses what follows `podlint:`: `verb[id, id] -- reason`.
pub(super) fn parse(body: &str) -> Result<Parsed<'_>, String> {
    let body = body.trim_start_matches([' ', '\t']);
    let verb_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(body.len());
    let (word, rest) = body.split_at(verb_len);
    if word.is_empty() {
        return Err("expected `ignore`, `disable`, `enable` or `file-ignore` after `podlint:`".to_string());
    }
    let Some(&verb) = VERBS.iter().find(|v| **v == word) else {
        let guess = crate::suggest::closest(word, VERBS);
        return Err(match guess {
            Some(g) => format!("unknown directive `{word}`; did you mean `{g}`?"),
            None => format!("unknown directive `{word}`; expected `ignore`, `disable`, `enable` or `file-ignore`"),
        });
    };
    let Some(inner) = rest.trim_start_matches([' ', '\t']).strip_prefix('[') else {
        return Err(format!("`{verb}` needs the rules it applies to in brackets: `{verb}[rule-id]` or `{verb}[all]`"));
    };
    let Some((list, tail)) = inner.split_once(']') else {
        return Err(format!("`{verb}[` has no closing `]`"));
    };
    let ids: Vec<&str> = list.split([',', ' ', '\t']).filter(|id| !id.is_empty()).collect();
    if ids.is_empty() {
        return Err(format!("`{verb}[]` names no rule; write `{verb}[all]` to mean every rule"));
    }
    let tail = tail.trim_start_matches([' ', '\t']);
    if !(tail.is_empty() || tail.starts_with("--") || tail.starts_with('#')) {
        let word = tail.split_whitespace().next().unwrap_or(tail);
        return Err(format!("unexpected `{word}` after `]`; a reason goes after ` -- `"));
    }
    Ok(Parsed { verb, ids })
}

/// Known rules a directive names, once each, and a problem for each unknown one.
pub(super) fn resolve(ids: &[&str]) -> (Vec<Target>, Vec<Problem>) {
    let mut named = Vec::new();
    let mut problems = Vec::new();
    for &id in ids {
        match Target::parse(id) {
            Some(target) if !named.contains(&target) => named.push(target),
            Some(_) => {}
            None => {
                let known = rules::all().iter().map(|r| r.meta().id).chain(["all"]);
                let suggestion = crate::suggest::closest(id, known);
                problems.push(Problem::UnknownRule { id: id.into(), suggestion });
            }
        }
    }
    (named, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives_and_explains_mistakes() {
        let ok = parse(" ignore[image-tag, missing-resources] -- pinned by digest upstream").expect("valid");
        assert_eq!((ok.verb, ok.ids), ("ignore", vec!["image-tag", "missing-resources"]));
        assert_eq!(parse("file-ignore[all]").map(|p| p.verb), Ok("file-ignore"));
        assert_eq!(parse("disable [a b,c]").map(|p| p.ids), Ok(vec!["a", "b", "c"]));
        assert!(parse("ignore").is_err_and(|e| e.contains("in brackets")));
        assert!(parse("ignroe[x]").is_err_and(|e| e.contains("did you mean `ignore`")));
        assert!(parse("ignore[x").is_err_and(|e| e.contains("no closing")));
        assert!(parse("ignore[]").is_err_and(|e| e.contains("names no rule")));
        assert!(parse("ignore[x] because").is_err_and(|e| e.contains("unexpected `because`")));
        assert!(parse("ignore[x] # another tool's comment").is_ok());
    }

    #[test]
    fn document_markers() {
        assert!(is_document_marker("---"));
        assert!(is_document_marker("--- # c"));
        assert!(is_document_marker("..."));
        assert!(!is_document_marker("----"));
        assert!(!is_document_marker(" ---"));
    }
}
