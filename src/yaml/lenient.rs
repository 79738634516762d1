//! YAML that kubectl reads but strict YAML 1.2 rejects. kubectl reads manifests through go-yaml
//! (sigs.k8s.io/yaml), which is lenient where saphyr-parser follows the specification; what
//! kubectl accepts must not be a syntax error here. When the strict parse of a document fails on
//! one of these constructs, the document is patched into strict YAML that means the same, parsed
//! again, and every span mapped back to the original text:
//! - a quoted scalar whose continuation lines are indented no deeper than its key (go-yaml does
//!   not check their indentation): the lines are indented under the scalar. Leading blanks of a
//!   continuation line are folded away, so the value is unchanged;
//! - a tab right after a mapping's `:` (`key:<TAB>value`): read as the separating space.
//!
//! Only a document that fails is re-read, so correct files pay nothing.
use std::borrow::Cow;

use super::load::{Document, Limits, Loaded, Problem, ProblemKind, parse_strict};
use super::tree::{Entry, Node, Scalar, Span, Value};

/// Patches per document before giving up: each round fixes what one error showed.
const MAX_ROUNDS: usize = 32;

/// One change to the original text: `spaces` inserted at `at`, or the tab at `at` read as a space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Edit {
    at: usize,
    spaces: usize,
    untab: bool,
}

/// Re-reads `text[start..end]` (one document, or the documents up to the next marker) the way
/// go-yaml does; `None` when the failure is not one of the known leniencies, so the strict
/// parser's error stands.
pub fn reparse<'a>(text: &'a str, start: usize, end: usize, limits: Limits) -> Option<Loaded<'a>> {
    let original = text.get(start..end)?;
    let mut edits: Vec<Edit> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let patched = apply(original, &edits);
        match parse_strict(&patched, limits) {
            Ok(loaded) => return Some(map_back(loaded, &edits, start)),
            Err((at, message)) => {
                let at = to_original(at, &edits);
                let found = if message.contains("invalid indentation in quoted scalar") {
                    indent_quoted(original, at)
                } else if message.contains("must be followed by a valid YAML whitespace") {
                    untab(original, at)
                } else {
                    Vec::new()
                };
                let before = edits.len();
                for edit in found {
                    if !edits.iter().any(|e| e.at == edit.at) {
                        edits.push(edit);
                    }
                }
                if edits.len() == before {
                    return None;
                }
                edits.sort_unstable();
            }
        }
    }
    None
}

fn apply(original: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(original.len() + edits.iter().map(|e| e.spaces).sum::<usize>());
    let mut from = 0;
    for edit in edits {
        out.push_str(&original[from..edit.at]);
        out.extend(std::iter::repeat_n(' ', edit.spaces));
        from = edit.at;
        if edit.untab {
            out.push(' ');
            from += 1;
        }
    }
    out.push_str(&original[from..]);
    out
}

/// An offset into the patched text as an offset into the original; inserted spaces map to where
/// they were inserted.
fn to_original(patched: usize, edits: &[Edit]) -> usize {
    let mut inserted = 0;
    for edit in edits {
        let at = edit.at + inserted;
        if patched < at {
            break;
        }
        if patched < at + edit.spaces {
            return edit.at;
        }
        inserted += edit.spaces;
    }
    patched - inserted
}

/// The quoted scalar opening at `quote`: its continuation lines, indented one column deeper
/// than the quote (always deeper than the block it is in).
fn indent_quoted(original: &str, quote: usize) -> Vec<Edit> {
    let bytes = original.as_bytes();
    let Some(&mark) = bytes.get(quote).filter(|b| matches!(b, b'"' | b'\'')) else { return Vec::new() };
    let line_start = original[..quote].rfind('\n').map_or(0, |i| i + 1);
    let need = original[line_start..quote].chars().count() + 1;
    let mut edits = Vec::new();
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if mark == b'"' => i += 1,
            b'\'' if mark == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == mark => return edits,
            b'\n' => {
                let next = i + 1;
                let blanks = bytes[next..].iter().take_while(|&&b| b == b' ').count();
                let rest = bytes.get(next + blanks);
                // A blank line is a line break whatever its indentation; a document marker
                // ends the scalar for go-yaml too.
                let blank = matches!(rest, None | Some(b'\n' | b'\r'));
                let marker =
                    blanks == 0 && (original[next..].starts_with("---") || original[next..].starts_with("..."));
                if marker {
                    return Vec::new();
                }
                if !blank && blanks < need {
                    edits.push(Edit { at: next, spaces: need - blanks, untab: false });
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Never closed: a real error.
    Vec::new()
}

/// `key:<TAB>value`: the tab after the `:` near `at` (the parser stops at the value).
fn untab(original: &str, at: usize) -> Vec<Edit> {
    let bytes = original.as_bytes();
    (at.saturating_sub(2)..=at + 1)
        .find(|&i| bytes.get(i) == Some(&b':') && bytes.get(i + 1) == Some(&b'\t'))
        .map(|i| vec![Edit { at: i + 1, spaces: 0, untab: true }])
        .unwrap_or_default()
}

fn map_back<'a>(loaded: Loaded<'_>, edits: &[Edit], start: usize) -> Loaded<'a> {
    let span = |s: Span| {
        let map = |p: u32| (start + to_original(p as usize, edits)) as u32;
        Span::new(map(s.start), map(s.end))
    };
    Loaded {
        documents: loaded
            .documents
            .into_iter()
            .map(|d| Document { index: d.index, root: d.root.map(|r| owned(r, &span)), span: span(d.span) })
            .collect(),
        problems: loaded
            .problems
            .into_iter()
            .map(|p| Problem {
                kind: match p.kind {
                    ProblemKind::DuplicateKey { first } => ProblemKind::DuplicateKey { first: span(first) },
                    other => other,
                },
                span: span(p.span),
                message: p.message,
            })
            .collect(),
    }
}

/// A node of the patched text as a node of the original: spans mapped, text owned. Nesting is
/// bounded by `Limits::max_depth`, so the recursion is too.
fn owned<'a>(node: Node<'_>, span: &dyn Fn(Span) -> Span) -> Node<'a> {
    let value = match node.value {
        Value::Mapping(entries) => Value::Mapping(
            entries
                .into_iter()
                .map(|e| Entry { key: owned(e.key, span), value: owned(e.value, span), merged: e.merged })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(|n| owned(n, span)).collect()),
        Value::Scalar(s) => {
            Value::Scalar(Scalar { text: Cow::Owned(s.text.into_owned()), style: s.style, resolved: s.resolved })
        }
    };
    Node { span: span(node.span), value }
}

#[cfg(test)]
mod tests {
    use crate::yaml::{Limits, load};

    fn slice(text: &str, span: crate::yaml::Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn under_indented_quoted_continuations_read_as_go_yaml_reads_them() {
        for text in [
            "kind: ConfigMap\ndata:\n  a: \"one\n  two\"\n  b: x\n",
            "kind: ConfigMap\ndata:\n  a: \"one\ntwo\"\n  b: x\n",
            "kind: ConfigMap\ndata:\n  a: 'one\n two'\n  b: x\n",
        ] {
            let loaded = load(text, Limits::default());
            assert!(loaded.problems.is_empty(), "{text:?}: {:?}", loaded.problems);
            let root = loaded.documents[0].root.as_ref().expect("a document");
            let data = root.get("data").expect("data");
            assert_eq!(data.get("a").and_then(|n| n.scalar_text()), Some("one two"), "{text:?}");
            // Spans are of the original text, before and after the patched lines.
            let b = data.entry("b").expect("b");
            assert_eq!(slice(text, b.key.span), "b");
            assert_eq!(slice(text, b.value.span), "x");
            let a = data.get("a").expect("a");
            assert!(slice(text, a.span).starts_with(['"', '\'']) && slice(text, a.span).ends_with(['"', '\'']));
        }
    }

    #[test]
    fn a_tab_after_a_colon_separates() {
        let text = "a:\tb\nc: d\n";
        let loaded = load(text, Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let root = loaded.documents[0].root.as_ref().expect("a document");
        assert_eq!(root.get("a").and_then(|n| n.scalar_text()), Some("b"));
        assert_eq!(slice(text, root.entry("c").expect("c").value.span), "d");
    }

    #[test]
    fn other_documents_keep_their_place_and_real_errors_stay() {
        let text = "a: 1\n---\nb: \"x\ny\"\n---\nc: 3\n";
        let loaded = load(text, Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let indexes: Vec<usize> = loaded.documents.iter().map(|d| d.index).collect();
        assert_eq!(indexes, [0, 1, 2]);
        let c = loaded.documents[2].root.as_ref().and_then(|r| r.entry("c")).expect("c");
        assert_eq!(slice(text, c.value.span), "3");
        // Unclosed: still an error.
        assert_eq!(load("a:\n  b: \"x\n  y\n", Limits::default()).problems.len(), 1);
        // Tab indentation is refused by kubectl too.
        assert_eq!(load("a:\n\tb: c\n", Limits::default()).problems.len(), 1);
    }
}
