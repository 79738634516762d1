//! saphyr-parser events into our span-carrying tree.
//!
//! The builder keeps an explicit stack, never recursion, so hostile nesting cannot overflow the
//! stack; a depth limit keeps later stages (which do recurse) safe. Aliases are copied into
//! place against a per-document budget, which turns a "billion laughs" file into one finding.
use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as ParserStyle, ScanError};

use super::lenient;
use super::scalar::resolve_plain;
use super::tree::{Entry, Node, Resolved, Scalar, ScalarStyle, Span, Value};

/// Bounds that keep a hostile file from exhausting memory or stack. Documented in the README.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nodes that alias expansion may create in one document.
    pub max_alias_nodes: usize,
    /// Nesting of mappings and sequences.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_alias_nodes: 100_000, max_depth: 256 }
    }
}

#[derive(Debug)]
pub struct Document<'a> {
    /// 0-based position of the document in its file.
    pub index: usize,
    /// `None` for an empty document, or one abandoned because of a problem.
    pub root: Option<Node<'a>>,
    /// From the document's first byte (its `---` if any) to its end.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    Syntax,
    DuplicateKey {
        first: Span,
    },
    AliasBudget,
    TooDeep,
    /// A value JSON cannot hold (`.inf`, `.nan`): kubectl reads YAML by converting it to JSON,
    /// and refuses the file.
    NoJsonForm,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Loaded<'a> {
    pub documents: Vec<Document<'a>>,
    pub problems: Vec<Problem>,
}

pub fn load<'a>(text: &'a str, limits: Limits) -> Loaded<'a> {
    load_part(text, 0, limits)
}

/// Loads the documents of `text[start..]`, a part of a larger text cut at a document marker
/// (see `document_parts`); spans are offsets into the whole text.
pub fn load_part<'a>(text: &'a str, start: usize, limits: Limits) -> Loaded<'a> {
    let mut out = Loaded::default();
    let mut base = start;
    // A syntax error ends a saphyr parse; podlint resumes at the next document marker so that
    // one broken document does not hide the others.
    while base <= text.len() {
        let resume = load_from(text, base, limits, &mut out);
        match resume {
            Some(next) if next > base => base = next,
            _ => break,
        }
    }
    out
}

/// Cuts a large text into parts of about `target` bytes at lines that start with `---`: YAML
/// ends a document at such a line wherever it is (inside a block or quoted scalar too), so each
/// part holds whole documents and can be parsed on its own, in parallel. Texts with directives
/// (`%YAML`, `%TAG`, which belong to the document after them) are not cut.
pub fn document_parts(text: &str, target: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'%') || memchr::memmem::find(bytes, b"\n%").is_some() {
        return std::iter::once(0..text.len()).collect();
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for newline in memchr::memmem::find_iter(bytes, b"\n---") {
        let line = newline + 1;
        let after = bytes.get(line + 3);
        let is_marker = after.is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if is_marker && line - start >= target {
            parts.push(start..line);
            start = line;
        }
    }
    parts.push(start..text.len());
    parts
}

/// Parses `text[base..]`; returns where to resume after a syntax error, if anywhere.
fn load_from<'a>(text: &'a str, base: usize, limits: Limits, out: &mut Loaded<'a>) -> Option<usize> {
    let input = &text[base..];
    let offsets = CharOffsets::new(input, base);
    let mut parser = Parser::new_from_str(input);
    let mut builder = Builder::new(text, limits);
    builder.prev_end = base as u32;
    let documents_before = out.documents.len();
    loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => return None,
            Some(Ok((event, span))) => {
                let span = Span::new(offsets.byte(span.start.index()), offsets.byte(span.end.index()));
                builder.event(event, span, out);
            }
            Some(Err(error)) => {
                let at = offsets.byte(error.marker().index());
                // What go-yaml (kubectl's reader) accepts is read as it reads it, when the
                // document can be patched into strict YAML (see `lenient`).
                // The document the error is in starts at its start event, or, before any
                // document of this parse has ended, where the parse started.
                let start = match (builder.in_document, out.documents.len() == documents_before) {
                    (true, _) => Some((builder.doc_start as usize).max(base)),
                    (false, true) => Some(base),
                    (false, false) => None,
                };
                let end = next_document_marker(text, base, at as usize).unwrap_or(text.len());
                if let Some(loaded) = start.and_then(|start| lenient::reparse(text, start, end, limits)) {
                    for mut document in loaded.documents {
                        document.index = out.documents.len();
                        out.documents.push(document);
                    }
                    out.problems.extend(loaded.problems);
                    return (end < text.len()).then_some(end);
                }
                builder.abandon(at, out);
                out.problems.push(syntax_problem(text, at, &error));
                return next_document_marker(text, base, at as usize);
            }
        }
    }
}

/// Parses all of `text` as one stream, with spans into it: the documents and problems, or the
/// first syntax error (its byte offset and message). What the lenient re-reading parses.
pub(super) fn parse_strict(text: &str, limits: Limits) -> Result<Loaded<'_>, (usize, String)> {
    let offsets = CharOffsets::new(text, 0);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(text, limits);
    let mut out = Loaded::default();
    loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => return Ok(out),
            Some(Ok((event, span))) => {
                let span = Span::new(offsets.byte(span.start.index()), offsets.byte(span.end.index()));
                builder.event(event, span, &mut out);
            }
            Some(Err(error)) => return Err((offsets.byte(error.marker().index()) as usize, error.info().to_string())),
        }
    }
}

fn syntax_problem(text: &str, at: u32, error: &ScanError) -> Problem {
    let end = text[at as usize..].chars().next().map_or(at, |c| at + c.len_utf8() as u32);
    Problem { kind: ProblemKind::Syntax, span: Span::new(at, end), message: error.info().to_string() }
}

/// Byte offset of the first line after `from` that starts a new document (`---`).
fn next_document_marker(text: &str, base: usize, from: usize) -> Option<usize> {
    // The error may sit on the marker itself (an unclosed `[` runs into the next `---`).
    let this_line = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut line_start = if this_line > base { this_line } else { text[from..].find('\n').map(|i| from + i + 1)? };
    while line_start < text.len() {
        let rest = &text[line_start..];
        if rest.starts_with("---") && rest[3..].chars().next().is_none_or(|c| c.is_whitespace()) {
            return Some(line_start);
        }
        line_start += rest.find('\n').map(|i| i + 1)?;
    }
    None
}

/// saphyr-parser reports positions in characters; spans need bytes. ASCII files (nearly all
/// manifests) map one to one; otherwise a checkpoint every 64 characters bounds the walk.
struct CharOffsets<'a> {
    text: &'a str,
    base: usize,
    checkpoints: Option<Vec<u32>>,
}

const CHECKPOINT_EVERY: usize = 64;

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        let checkpoints = (!text.is_ascii())
            .then(|| text.char_indices().step_by(CHECKPOINT_EVERY).map(|(byte, _)| byte as u32).collect());
        CharOffsets { text, base, checkpoints }
    }

    fn byte(&self, char_index: usize) -> u32 {
        let local = match &self.checkpoints {
            None => char_index.min(self.text.len()),
            Some(points) => {
                let slot = char_index / CHECKPOINT_EVERY;
                match points.get(slot) {
                    None => self.text.len(),
                    Some(&start) => {
                        let rest = &self.text[start as usize..];
                        let skip = char_index % CHECKPOINT_EVERY;
                        start as usize + rest.char_indices().nth(skip).map_or(rest.len(), |(b, _)| b)
                    }
                }
            }
        };
        (self.base + local) as u32
    }
}

enum Frame<'a> {
    Sequence { start: Span, anchor: usize, items: Vec<Node<'a>> },
    Mapping { start: Span, anchor: usize, entries: Vec<Entry<'a>>, key: Option<Node<'a>> },
}

struct Builder<'a> {
    text: &'a str,
    limits: Limits,
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, Node<'a>>,
    alias_nodes: usize,
    /// Set when the current document hit a limit: its remaining events are skipped.
    abandoned: bool,
    skip_depth: usize,
    doc_start: u32,
    /// Between a document's start and end events.
    in_document: bool,
    doc_index: usize,
    root: Option<Node<'a>>,
    prev_end: u32,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: Limits) -> Self {
        Builder {
            text,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            abandoned: false,
            skip_depth: 0,
            doc_start: 0,
            in_document: false,
            doc_index: 0,
            root: None,
            prev_end: 0,
        }
    }

    fn event(&mut self, event: Event<'a>, span: Span, out: &mut Loaded<'a>) {
        match event {
            Event::DocumentStart(_) => {
                self.report_directives(span.start, out);
                self.doc_start = span.start;
                self.doc_index = out.documents.len();
                self.reset_document();
                self.in_document = true;
            }
            Event::DocumentEnd => {
                let root = if self.abandoned { None } else { self.root.take() };
                let root = root.filter(|r| !r.is_null());
                out.documents.push(Document { index: self.doc_index, root, span: Span::new(self.doc_start, span.end) });
                self.reset_document();
                self.in_document = false;
            }
            _ if self.abandoned => self.skip(&event),
            Event::Scalar(value, style, anchor, tag) => {
                let span = self.scalar_span(span, style);
                let node = scalar_node(value, style, tag.as_deref(), span);
                self.complete(node, anchor, out);
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Frame::Sequence { start: span, anchor, items: Vec::new() }, span, out)
            }
            Event::MappingStart(anchor, _) => {
                self.open(Frame::Mapping { start: span, anchor, entries: Vec::new(), key: None }, span, out)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span, out),
            Event::Alias(id) => self.alias(id, span, out),
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        self.prev_end = self.prev_end.max(span.end);
    }

    /// kubectl cuts a file into documents at `---` lines before parsing each, so a directive
    /// (`%YAML 1.1`, `%TAG`) before a `---` ends up alone in a document it refuses ("did not
    /// find expected <document start>"). Directives sit between the previous document's end
    /// and this one's start.
    fn report_directives(&self, start: u32, out: &mut Loaded<'a>) {
        let Some(between) = self.text.get(self.prev_end as usize..start as usize) else { return };
        let mut offset = self.prev_end as usize;
        for line in between.split_inclusive('\n') {
            if line.starts_with('%') {
                let end = offset + line.trim_end().len();
                out.problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    span: Span::new(offset as u32, end as u32),
                    message:
                        "kubectl splits a file into documents at `---` lines before reading them, so this directive \
                              is read as a document of its own, which it refuses; remove it"
                            .to_string(),
                });
            }
            offset += line.len();
        }
    }

    fn reset_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.alias_nodes = 0;
        self.abandoned = false;
        self.skip_depth = 0;
        self.root = None;
    }

    /// Called on a syntax error: the document in progress ends here, without a tree.
    fn abandon(&mut self, at: u32, out: &mut Loaded<'a>) {
        if !self.stack.is_empty() || self.root.is_some() || self.abandoned {
            out.documents.push(Document { index: self.doc_index, root: None, span: Span::new(self.doc_start, at) });
        }
        self.reset_document();
    }

    fn give_up(&mut self, problem: Problem, out: &mut Loaded<'a>) {
        out.problems.push(problem);
        self.skip_depth = self.stack.len();
        self.stack.clear();
        self.anchors.clear();
        self.abandoned = true;
    }

    /// Tracks nesting while skipping an abandoned document, so its end is found.
    fn skip(&mut self, event: &Event<'a>) {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => self.skip_depth += 1,
            Event::SequenceEnd | Event::MappingEnd => self.skip_depth = self.skip_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn open(&mut self, frame: Frame<'a>, span: Span, out: &mut Loaded<'a>) {
        if self.stack.len() >= self.limits.max_depth {
            let message =
                format!("nesting deeper than {} levels; podlint does not read past this point", self.limits.max_depth);
            self.give_up(Problem { kind: ProblemKind::TooDeep, span, message }, out);
            self.skip_depth += 1;
            return;
        }
        self.stack.push(frame);
    }

    fn close(&mut self, end: Span, out: &mut Loaded<'a>) {
        let Some(frame) = self.stack.pop() else { return };
        let node = match frame {
            Frame::Sequence { start, anchor, items } => {
                let end = self.collection_end(start, end, items.last().map(|n| n.span.end));
                (Node { span: Span::new(start.start, end), value: Value::Sequence(items) }, anchor)
            }
            Frame::Mapping { start, anchor, entries, key } => {
                let mut entries = entries;
                if let Some(key) = key {
                    // A key without a value cannot come from the parser; keep it rather than lose it.
                    let span = Span::new(key.span.end, key.span.end);
                    entries.push(Entry { key, value: null_node(span), merged: false });
                }
                report_duplicate_keys(&entries, out);
                let entries = apply_merge_keys(entries);
                let end = self.collection_end(
                    start,
                    end,
                    entries.iter().filter(|e| !e.merged).map(|e| e.value.span.end).max(),
                );
                (Node { span: Span::new(start.start, end), value: Value::Mapping(entries) }, anchor)
            }
        };
        self.complete(node.0, node.1, out);
    }

    /// Block collections end at their last child; the parser's end event sits at the next token,
    /// possibly lines later. Flow collections end at their closing bracket.
    fn collection_end(&self, start: Span, end: Span, last_child: Option<u32>) -> u32 {
        let opener = start.end.checked_sub(1).and_then(|i| self.text.as_bytes().get(i as usize));
        if matches!(opener, Some(b'{' | b'[')) { end.end } else { last_child.unwrap_or(start.end).max(start.start) }
    }

    fn complete(&mut self, node: Node<'a>, anchor: usize, out: &mut Loaded<'a>) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let is_key = matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }));
        // A key becomes a JSON string whatever it is; a value `.inf` or `.nan` has no JSON form.
        if let (false, Value::Scalar(Scalar { resolved: Resolved::Float(f), text, .. })) = (is_key, &node.value)
            && !f.is_finite()
        {
            out.problems.push(Problem {
                kind: ProblemKind::NoJsonForm,
                span: node.span,
                message: format!(
                    "`{text}` is a floating-point {}, which JSON cannot hold: kubectl refuses the file (\"error converting YAML to JSON\"); quote it if text is meant",
                    if f.is_nan() { "NaN" } else { "infinity" }
                ),
            });
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry { key: k, value: node, merged: false }),
            },
        }
    }

    fn alias(&mut self, id: usize, span: Span, out: &mut Loaded<'a>) {
        let Some(target) = self.anchors.get(&id) else {
            out.problems.push(Problem {
                kind: ProblemKind::Syntax,
                span,
                message: "alias to an unknown anchor".into(),
            });
            self.complete(null_node(span), 0, out);
            return;
        };
        self.alias_nodes += target.count();
        if self.alias_nodes > self.limits.max_alias_nodes {
            let message = format!(
                "aliases expand to more than {} nodes in this document (an alias bomb?); the document is not linted",
                self.limits.max_alias_nodes
            );
            self.give_up(Problem { kind: ProblemKind::AliasBudget, span, message }, out);
            return;
        }
        let copy = target.clone();
        self.complete(copy, 0, out);
    }

    /// Block scalars: the parser's span starts at the content and runs through trailing line
    /// breaks; findings and fixes want the `|`/`>` indicator through the last character.
    fn scalar_span(&self, span: Span, style: ParserStyle) -> Span {
        if !matches!(style, ParserStyle::Literal | ParserStyle::Folded) {
            return span;
        }
        let bytes = self.text.as_bytes();
        let mut start = span.start;
        let mut i = self.prev_end as usize;
        while i < span.start as usize {
            match bytes[i] {
                b'|' | b'>' => {
                    start = i as u32;
                    break;
                }
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let mut end = span.end.max(start);
        while end > span.start && bytes[end as usize - 1].is_ascii_whitespace() {
            end -= 1;
        }
        Span::new(start, end.max(start + 1))
    }
}

fn null_node<'a>(span: Span) -> Node<'a> {
    Node {
        span,
        value: Value::Scalar(Scalar { text: Cow::Borrowed(""), style: ScalarStyle::Plain, resolved: Resolved::Null }),
    }
}

fn scalar_node<'a>(text: Cow<'a, str>, style: ParserStyle, tag: Option<&saphyr_parser::Tag>, span: Span) -> Node<'a> {
    let style = match style {
        ParserStyle::Plain => ScalarStyle::Plain,
        ParserStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        ParserStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        ParserStyle::Literal => ScalarStyle::Literal,
        ParserStyle::Folded => ScalarStyle::Folded,
    };
    let resolved = match tag {
        Some(tag) if tag.is_yaml_core_schema() => resolve_tagged(&tag.suffix, &text),
        // A custom tag (`!Ref`, `!vault`) is for some other tool to interpret; the text is what
        // Kubernetes would receive.
        Some(_) => Resolved::Str,
        None if style == ScalarStyle::Plain => resolve_plain(&text),
        None => Resolved::Str,
    };
    Node { span, value: Value::Scalar(Scalar { text, style, resolved }) }
}

fn resolve_tagged(suffix: &str, text: &str) -> Resolved {
    match suffix {
        "null" => Resolved::Null,
        "bool" | "int" | "float" => match resolve_plain(text) {
            Resolved::Str => Resolved::Str,
            other => other,
        },
        _ => Resolved::Str,
    }
}

fn key_text<'n>(entry: &'n Entry<'_>) -> Option<&'n str> {
    entry.key.scalar_text()
}

fn report_duplicate_keys(entries: &[Entry<'_>], out: &mut Loaded<'_>) {
    if entries.len() < 2 {
        return;
    }
    let mut report = |first: &Entry<'_>, dup: &Entry<'_>| {
        let key = key_text(dup).unwrap_or_default();
        out.problems.push(Problem {
            kind: ProblemKind::DuplicateKey { first: first.key.span },
            span: dup.key.span,
            message: format!("duplicate key `{key}`"),
        });
    };
    // Small mappings are the norm; a quadratic scan beats hashing there.
    if entries.len() <= 16 {
        for (i, entry) in entries.iter().enumerate() {
            let Some(key) = key_text(entry) else { continue };
            if is_merge_key(entry) {
                continue;
            }
            if let Some(first) = entries[..i].iter().find(|e| key_text(e) == Some(key)) {
                report(first, entry);
            }
        }
    } else {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let Some(key) = key_text(entry) else { continue };
            if is_merge_key(entry) {
                continue;
            }
            if let Some(&first) = seen.get(key) {
                report(&entries[first], entry);
            } else {
                seen.insert(key, i);
            }
        }
    }
}

fn is_merge_key(entry: &Entry<'_>) -> bool {
    matches!(&entry.key.value, Value::Scalar(s) if s.style == ScalarStyle::Plain && s.text == "<<")
}

/// YAML merge keys (`<<: *base` or `<<: [*a, *b]`): keys written in the mapping win over merged
/// ones, and earlier merge sources win over later ones.
fn apply_merge_keys<'a>(entries: Vec<Entry<'a>>) -> Vec<Entry<'a>> {
    if !entries.iter().any(is_merge_key) {
        return entries;
    }
    let (merges, mut own): (Vec<_>, Vec<_>) = entries.into_iter().partition(is_merge_key);
    for merge in merges {
        let sources: Vec<Node<'a>> = match merge.value.value {
            Value::Mapping(_) => vec![merge.value],
            Value::Sequence(items) => items,
            // A `<<` whose value is not a mapping is not a merge; keep it as an ordinary key.
            _ => {
                own.push(merge);
                continue;
            }
        };
        for source in sources {
            if let Value::Mapping(source_entries) = source.value {
                for mut entry in source_entries {
                    let present = own.iter().any(|e| key_text(e).is_some() && key_text(e) == key_text(&entry));
                    if !present {
                        entry.merged = true;
                        own.push(entry);
                    }
                }
            }
        }
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node<'_> {
        let loaded = load(text, Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.documents.into_iter().next().and_then(|d| d.root).expect("a document")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn spans_are_byte_ranges_even_with_multibyte_text() {
        let text = "\u{feff}name: \"héllo wörld\"\nnext: x\nlist:\n  - a\n  - {b: 1}\n";
        let root = one(text);
        let next = root.entry("next").unwrap();
        assert_eq!(slice(text, next.key.span), "next");
        assert_eq!(slice(text, next.value.span), "x");
        assert_eq!(slice(text, root.entry("name").unwrap().value.span), "\"héllo wörld\"");
        let list = root.get("list").unwrap();
        assert_eq!(slice(text, list.span), "- a\n  - {b: 1}");
        assert_eq!(slice(text, list.items()[1].span), "{b: 1}");
    }

    #[test]
    fn block_scalars_span_from_indicator_to_last_character() {
        let text = "a: |  # keep\n  one\n  two\n\nb: >-\n  folded\n";
        let root = one(text);
        assert_eq!(slice(text, root.get("a").unwrap().span), "|  # keep\n  one\n  two");
        assert_eq!(slice(text, root.get("b").unwrap().span), ">-\n  folded");
        assert_eq!(root.get("a").unwrap().scalar_text(), Some("one\ntwo\n"));
    }

    #[test]
    fn quoted_scalars_are_strings_and_tags_are_honoured() {
        let root = one("a: \"80\"\nb: 80\nc: !!str 80\nd: !Ref x\ne: yes\nf: 'yes'\n");
        assert_eq!(root.get("a").unwrap().as_str(), Some("80"));
        assert_eq!(root.get("b").unwrap().as_i64(), Some(80));
        assert_eq!(root.get("c").unwrap().as_str(), Some("80"));
        assert_eq!(root.get("d").unwrap().as_str(), Some("x"));
        assert_eq!(root.get("e").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("f").unwrap().as_str(), Some("yes"));
    }

    #[test]
    fn merge_keys_and_aliases() {
        let text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nc: *b\n";
        let root = one(text);
        let m = root.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("y").unwrap().as_i64(), Some(3));
        assert_eq!(m.entries().len(), 2);
        assert!(m.entry("x").unwrap().merged);
        assert_eq!(root.get("c").unwrap().get("y").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn duplicate_keys_are_problems_at_the_second_key() {
        let text = "a: 1\nb: 2\na: 3\n";
        let loaded = load(text, Limits::default());
        assert_eq!(loaded.problems.len(), 1);
        let p = &loaded.problems[0];
        assert_eq!(p.span, Span::new(10, 11));
        assert_eq!(p.kind, ProblemKind::DuplicateKey { first: Span::new(0, 1) });
    }

    #[test]
    fn a_syntax_error_does_not_hide_later_documents() {
        let text = "a: 1\n---\nb: [\n---\nc: 3\n";
        let loaded = load(text, Limits::default());
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax);
        let roots: Vec<_> = loaded.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        assert_eq!(roots.len(), 2);
        assert_eq!(roots[1].get("c").unwrap().as_i64(), Some(3));
        assert_eq!(loaded.documents.len(), 3);
    }

    #[test]
    fn alias_bombs_hit_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        text.push_str("---\nok: 1\n");
        let loaded = load(&text, Limits::default());
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].kind, ProblemKind::AliasBudget);
        assert!(loaded.documents[0].root.is_none());
        assert!(loaded.documents[1].root.is_some());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let block = format!("{}x\n", "- ".repeat(20_000));
        let loaded = load(&block, Limits::default());
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].kind, ProblemKind::TooDeep);
        // The parser bounds flow nesting itself, as a syntax error.
        let flow = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(load(&flow, Limits::default()).problems.len(), 1);
    }

    #[test]
    fn empty_and_comment_only_inputs_have_no_roots() {
        for text in ["", "# just a comment\n", "---\n---\n"] {
            let loaded = load(text, Limits::default());
            assert!(loaded.problems.is_empty());
            assert!(loaded.documents.iter().all(|d| d.root.is_none()), "{text:?}");
        }
    }
}
