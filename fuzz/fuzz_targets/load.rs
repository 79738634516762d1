//! The loader on arbitrary text: never panics, and every span it records lies inside the text on
//! character boundaries (reporters and fixes slice the text with them).
#![no_main]
use libfuzzer_sys::fuzz_target;
use podlint::yaml::{Limits, Node, Value, load};

fn check(node: &Node<'_>, text: &str) {
    let (start, end) = (node.span.start as usize, node.span.end as usize);
    assert!(start <= end && end <= text.len(), "span {start}..{end} outside {} bytes", text.len());
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {start}..{end} splits a character");
    match &node.value {
        Value::Mapping(entries) => entries.iter().for_each(|e| {
            check(&e.key, text);
            check(&e.value, text);
        }),
        Value::Sequence(items) => items.iter().for_each(|i| check(i, text)),
        Value::Scalar(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let loaded = load(text, Limits::default());
        for document in &loaded.documents {
            if let Some(root) = &document.root {
                check(root, text);
            }
        }
        for problem in &loaded.problems {
            assert!(problem.span.end as usize <= text.len());
        }
    }
});
