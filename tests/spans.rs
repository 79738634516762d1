//! Span correctness: for generated YAML, every node's byte range slices back to the text that
//! was written for it, and line:column agree with the byte offsets, across CRLF line endings,
//! tabs inside scalars, multi-byte characters and a byte order mark.
use podlint::source::LineIndex;
use podlint::yaml::{Limits, Node, Value, load};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Gen {
    Map(Vec<(String, Gen)>),
    Seq(Vec<Gen>),
    Scalar(String),
}

/// Scalar texts as written, in every style that keeps to one line.
fn scalar() -> impl Strategy<Value = String> {
    let word = "[a-zA-Z][a-zA-Z0-9_-]{0,8}";
    prop_oneof![
        word.prop_map(|w| w),
        (word, "(é|日本|ü|🙂|x)").prop_map(|(w, m)| format!("{w}{m}")),
        (word, word).prop_map(|(a, b)| format!("{a}\t{b}")),
        (word, "(é|日本| |\t)").prop_map(|(w, m)| format!("'{w}{m}''s'")),
        (word, "(é|\\\\t|\\\\\"|🙂)").prop_map(|(w, m)| format!("\"{w}{m}\"")),
        (0i64..100_000).prop_map(|n| n.to_string()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z][a-zA-Z0-9]{0,10}".prop_map(|k| k), "[a-z]{1,4}".prop_map(|k| format!("\"{k}é\""))]
}

fn tree() -> impl Strategy<Value = Gen> {
    scalar().prop_map(Gen::Scalar).prop_recursive(5, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(|entries| {
                // YAML keys are unique; keep the first of each.
                let mut seen = Vec::new();
                Gen::Map(
                    entries
                        .into_iter()
                        .filter(|(k, _)| {
                            if seen.contains(k) {
                                false
                            } else {
                                seen.push(k.clone());
                                true
                            }
                        })
                        .collect(),
                )
            }),
            prop::collection::vec(inner, 1..5).prop_map(Gen::Seq),
        ]
    })
}

/// Where each scalar (and key) was written, in document order.
struct Written {
    text: String,
    spans: Vec<(usize, usize)>,
}

fn render(node: &Gen, indent: usize, flow: bool, nl: &str, out: &mut Written) {
    let pad = " ".repeat(indent);
    let scalar = |s: &str, out: &mut Written| {
        let start = out.text.len();
        out.text.push_str(s);
        out.spans.push((start, out.text.len()));
    };
    match node {
        Gen::Scalar(s) => scalar(s, out),
        Gen::Map(entries) if flow => {
            out.text.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.text.push_str(", ");
                }
                scalar(k, out);
                out.text.push_str(": ");
                render(v, indent, true, nl, out);
            }
            out.text.push('}');
        }
        Gen::Seq(items) if flow => {
            out.text.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.text.push_str(", ");
                }
                render(v, indent, true, nl, out);
            }
            out.text.push(']');
        }
        Gen::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.text.push_str(&pad);
                }
                scalar(k, out);
                out.text.push(':');
                match v {
                    Gen::Scalar(_) => {
                        out.text.push(' ');
                        render(v, indent + 2, false, nl, out);
                        out.text.push_str(nl);
                    }
                    // Nested collections in flow style on the key's line, or block style below.
                    _ if (k.len() + indent).is_multiple_of(3) => {
                        out.text.push(' ');
                        render(v, indent + 2, true, nl, out);
                        out.text.push_str(nl);
                    }
                    _ => {
                        out.text.push_str(nl);
                        out.text.push_str(&" ".repeat(indent + 2));
                        render(v, indent + 2, false, nl, out);
                    }
                }
            }
        }
        Gen::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.text.push_str(&pad);
                }
                out.text.push_str("- ");
                match v {
                    Gen::Scalar(_) => {
                        render(v, indent + 2, false, nl, out);
                        out.text.push_str(nl);
                    }
                    _ => render(v, indent + 2, matches!(v, Gen::Seq(_)), nl, out),
                }
                if matches!(v, Gen::Seq(_)) {
                    out.text.push_str(nl);
                }
            }
        }
    }
}

/// Scalars and keys of the loaded tree, in document order.
fn loaded_spans(node: &Node<'_>, out: &mut Vec<(usize, usize)>) {
    match &node.value {
        Value::Scalar(_) => out.push((node.span.start as usize, node.span.end as usize)),
        Value::Sequence(items) => items.iter().for_each(|i| loaded_spans(i, out)),
        Value::Mapping(entries) => {
            for e in entries {
                out.push((e.key.span.start as usize, e.key.span.end as usize));
                loaded_spans(&e.value, out);
            }
        }
    }
}

/// Line and column counted the slow, obvious way.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].trim_start_matches('\u{feff}').chars().count() as u32 + 1;
    (line, column)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_back_to_their_text(root in tree(), crlf in any::<bool>(), bom in any::<bool>()) {
        let root = match root {
            Gen::Scalar(s) => Gen::Map(vec![("k".into(), Gen::Scalar(s))]),
            other => other,
        };
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut written = Written { text: if bom { "\u{feff}".into() } else { String::new() }, spans: Vec::new() };
        render(&root, 0, false, nl, &mut written);

        let loaded = load(&written.text, Limits::default());
        prop_assert!(loaded.problems.is_empty(), "{:?}\n{}", loaded.problems, written.text);
        let tree = loaded.documents.first().and_then(|d| d.root.as_ref()).expect("a root");
        let mut spans = Vec::new();
        loaded_spans(tree, &mut spans);
        let slices = |spans: &[(usize, usize)]| spans.iter().map(|&(s, e)| written.text[s..e].to_string()).collect::<Vec<_>>();
        prop_assert_eq!(slices(&spans), slices(&written.spans), "{}", written.text);
        prop_assert_eq!(&spans, &written.spans);

        let index = LineIndex::new(&written.text);
        for &(start, end) in &spans {
            for offset in [start, end] {
                let at = index.locate(&written.text, offset as u32);
                prop_assert_eq!((at.line, at.column), line_col(&written.text, offset), "offset {}", offset);
            }
        }
    }
}
