//! Collecting a file's suppressions while its text and tree are at hand: comment directives
//! (found by scanning the text, since saphyr gives no comments; the tree's scalar spans tell a
//! real comment from a `#` inside a string) and `metadata.annotations`.
use std::ops::Range;
use std::sync::Arc;

use super::parse::{is_document_marker, parse, resolve};
use super::{ANNOTATION_ALL, ANNOTATION_PREFIX, Cover, Directive, Form, Problem, Suppressions, Target};
use crate::finding::{Location, ObjectInfo};
use crate::object::{Object, objects_in};
use crate::source::SourceFile;
use crate::yaml::{Document, Node, ScalarStyle, Span, Value};

/// The facts about a file's trees that directives need: where scalars are (a `#` in one is
/// not a comment) and where nodes start (an `ignore` covers the nodes starting on its line).
#[derive(Default)]
struct Tree {
    /// Sorted and, scalars being leaves, disjoint.
    scalars: Vec<Span>,
    /// Mapping entries (key through value) and sequence items, sorted by start. Document roots
    /// are left out: a comment above `apiVersion:` is about that line, not the whole object.
    nodes: Vec<Span>,
}

impl Tree {
    fn new(text: &str, documents: &[Document<'_>]) -> Self {
        let mut tree = Tree::default();
        for root in documents.iter().filter_map(|d| d.root.as_ref()) {
            tree.walk(root, text);
        }
        tree.scalars.sort_unstable();
        tree.scalars.dedup();
        tree.nodes.sort_unstable();
        tree
    }

    fn walk(&mut self, node: &Node<'_>, text: &str) {
        match &node.value {
            Value::Scalar(scalar) => {
                let span = node.span;
                let span = if matches!(scalar.style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    // The header line (`|` and any comment after it) is not content.
                    let header = &text.as_bytes()[span.start as usize..span.end as usize];
                    match header.iter().position(|&b| b == b'\n' || b == b'\r') {
                        Some(i) => Span::new(span.start + i as u32 + 1, span.end),
                        None => return,
                    }
                } else {
                    span
                };
                self.scalars.push(span);
            }
            Value::Sequence(items) => {
                for item in items {
                    self.nodes.push(item.span);
                    self.walk(item, text);
                }
            }
            Value::Mapping(entries) => {
                // Merged entries are written at their anchor, and walked there.
                for entry in entries.iter().filter(|e| !e.merged) {
                    let (key, value) = (entry.key.span, entry.value.span);
                    // An alias value carries its anchor's span, earlier in the file.
                    let end = if value.start >= key.start { value.end.max(key.end) } else { key.end };
                    self.nodes.push(Span::new(key.start, end));
                    self.walk(&entry.key, text);
                    self.walk(&entry.value, text);
                }
            }
        }
    }

    fn in_scalar(&self, at: u32) -> bool {
        let after = self.scalars.partition_point(|s| s.start <= at);
        after > 0 && at < self.scalars[after - 1].end
    }

    /// From the first node starting in `start..next` to the furthest end of those nodes.
    fn nodes_starting_in(&self, start: u32, next: u32) -> Option<Span> {
        let first = self.nodes.partition_point(|n| n.start < start);
        let on_line = self.nodes[first..].iter().take_while(|n| n.start < next);
        on_line.fold(None, |acc: Option<Span>, n| Some(acc.map_or(*n, |a| a.to(*n))))
    }
}

/// Reads a file's suppressions: comment directives and `metadata.annotations`.
pub fn collect(file: &SourceFile, documents: &[Document<'_>], snippets: bool) -> Suppressions {
    collect_part(file, documents, snippets, 0..file.text.len() as u32)
}

/// The directives of one part of a file cut at document markers (see `yaml::document_parts`),
/// given that part's documents. Parts' tables are joined with `merge`.
pub fn collect_part(file: &SourceFile, documents: &[Document<'_>], snippets: bool, part: Range<u32>) -> Suppressions {
    // Every directive and annotation spells `podlint`; most files never do.
    let bytes = &file.text.as_bytes()[part.start as usize..part.end as usize];
    if memchr::memmem::find(bytes, b"podlint").is_none() {
        return Suppressions::default();
    }
    let tree = Tree::new(&file.text, documents);
    let objects: Vec<_> = documents.iter().flat_map(objects_in).collect();
    let infos: Vec<(Span, Arc<ObjectInfo>)> = objects.iter().map(|o| (o.root.span, Arc::new(o.info()))).collect();
    let mut scan = Scan {
        file,
        part,
        tree: &tree,
        infos: &infos,
        snippets,
        table: Suppressions { path: Some(file.path.clone()), ..Suppressions::default() },
        open: Vec::new(),
        pending: Vec::new(),
    };
    scan.comments();
    for (object, (_, info)) in objects.iter().zip(&infos) {
        scan.annotations(object, info);
    }
    scan.table
}

struct Scan<'s> {
    file: &'s SourceFile,
    /// The bytes whose comments this scan reads.
    part: Range<u32>,
    tree: &'s Tree,
    /// Objects by root span, to name the object of a directive.
    infos: &'s [(Span, Arc<ObjectInfo>)],
    snippets: bool,
    table: Suppressions,
    /// `disable` ranges not yet ended: target, directive, start.
    open: Vec<(Target, usize, u32)>,
    /// Own-line `ignore`s waiting for the line they are above.
    pending: Vec<usize>,
}

impl Scan<'_> {
    fn comments(&mut self) {
        let (file, text) = (self.file, self.file.text.as_str());
        let lines = file.lines.line_count() as usize;
        let first = file.lines.line_of(self.part.start);
        for line in first..lines {
            if file.lines.line_start(line) >= self.part.end {
                break;
            }
            let (start, end) = file.lines.line_range(text, line);
            let next = if line + 1 < lines { file.lines.line_start(line + 1) } else { text.len() as u32 };
            if is_document_marker(&text[start as usize..end as usize]) && !self.tree.in_scalar(start) {
                self.close_open(start);
            }
            let comment = self.comment_start(start, end);
            let code = &text[start as usize..comment.unwrap_or(end) as usize];
            let own_line = comment.is_some() && code.trim_start_matches('\u{feff}').trim().is_empty();
            // Comment lines between an `ignore` and its node let directives stack; anything else
            // (a blank line included) is the line the pending ones are about.
            if !own_line {
                let blank = code.trim_start_matches('\u{feff}').trim().is_empty();
                let pending = std::mem::take(&mut self.pending);
                if !blank {
                    let (from, to) = self.line_cover(start, next);
                    for directive in pending {
                        self.cover_named(directive, from, to);
                    }
                }
            }
            if let Some(comment) = comment {
                self.directives(comment, end, own_line, (start, next));
            }
        }
        // A part ends at a document marker, where ranges end anyway; the last part ends the file.
        let end = if self.part.end as usize >= text.len() { u32::MAX } else { self.part.end };
        self.close_open(end);
    }

    /// The range an `ignore` on or above this line covers: the nodes that start on it, or the
    /// line itself where none does (a broken document has no tree).
    fn line_cover(&self, start: u32, next: u32) -> (u32, u32) {
        match self.tree.nodes_starting_in(start, next) {
            Some(span) => (span.start, span.end),
            None => (start, next),
        }
    }

    /// A `#` that starts a comment: at the start of the line or after a blank, outside scalars.
    fn comment_start(&self, start: u32, end: u32) -> Option<u32> {
        let bytes = self.file.text.as_bytes();
        let line = &bytes[start as usize..end as usize];
        memchr::memchr_iter(b'#', line).map(|i| start + i as u32).find(|&at| {
            let first = at == start || (at == 3 && self.file.text.starts_with('\u{feff}'));
            (first || matches!(bytes[at as usize - 1], b' ' | b'\t')) && !self.tree.in_scalar(at)
        })
    }

    /// Every `podlint:` directive in the comment `comment..end`. Several may share a comment
    /// (`# noqa # podlint: ignore[…]`): each `#` after a blank may start one.
    fn directives(&mut self, comment: u32, end: u32, own_line: bool, line: (u32, u32)) {
        let text = &self.file.text[comment as usize..end as usize];
        if !text.contains("podlint:") {
            return;
        }
        let bytes = text.as_bytes();
        let starts: Vec<usize> = memchr::memchr_iter(b'#', bytes)
            .filter(|&i| i == 0 || matches!(bytes[i - 1], b' ' | b'\t'))
            .filter(|&i| text[i + 1..].trim_start_matches([' ', '\t']).starts_with("podlint:"))
            .collect();
        for (n, &from) in starts.iter().enumerate() {
            let to = starts.get(n + 1).copied().unwrap_or(text.len());
            let piece = text[from..to].trim_end();
            let span = Span::new(comment + from as u32, comment + (from + piece.len()) as u32);
            let body = piece[1..].trim_start_matches([' ', '\t']).trim_start_matches("podlint:");
            self.directive(body, span, own_line, line);
        }
    }

    fn directive(&mut self, body: &str, span: Span, own_line: bool, (line_start, next): (u32, u32)) {
        let parsed = match parse(body) {
            Ok(parsed) => parsed,
            Err(reason) => {
                self.push(Form::Malformed, body.trim().into(), span, Vec::new(), vec![Problem::Malformed(reason)]);
                return;
            }
        };
        let label: Box<str> = format!("{}[{}]", parsed.verb, parsed.ids.join(", ")).into();
        let form = match parsed.verb {
            "ignore" => Form::Ignore,
            "disable" => Form::Disable,
            "enable" => Form::Enable,
            _ => Form::FileIgnore,
        };
        if !own_line && form != Form::Ignore {
            let reason = format!("`{label}` must be on a line of its own");
            self.push(Form::Malformed, label, span, Vec::new(), vec![Problem::Malformed(reason)]);
            return;
        }
        let (named, mut problems) = resolve(&parsed.ids);
        let index = self.table.directives.len();
        match form {
            Form::Ignore if own_line => self.pending.push(index),
            Form::Ignore => {
                let (from, to) = self.line_cover(line_start, next);
                self.cover(&named, index, from, to);
            }
            Form::Disable => self.open.extend(named.iter().map(|&t| (t, index, line_start))),
            Form::Enable => {
                let mut unmatched = Vec::new();
                for &target in &named {
                    let before = self.open.len();
                    self.close(line_start, |t| t == target);
                    if self.open.len() == before {
                        unmatched.push(target.id());
                    }
                }
                if !unmatched.is_empty() {
                    problems.push(Problem::NothingToEnable(unmatched));
                }
            }
            _ => self.cover(&named, index, 0, u32::MAX),
        }
        self.push(form, label, span, named, problems);
    }

    fn annotations(&mut self, object: &Object<'_, '_>, info: &Arc<ObjectInfo>) {
        // On a Pod the template's metadata is the object's own: read it once.
        let mut seen: Vec<Span> = Vec::new();
        let own = object.root.get("metadata");
        let template = object.pod_template().and_then(|t| t.metadata);
        for metadata in [own, template].into_iter().flatten() {
            for entry in metadata.get("annotations").map(Node::entries).unwrap_or(&[]) {
                let Some(key) = entry.key.scalar_text() else { continue };
                if !(key == ANNOTATION_ALL || key.starts_with(ANNOTATION_PREFIX)) || seen.contains(&entry.key.span) {
                    continue;
                }
                seen.push(entry.key.span);
                let (named, problems) = match key.strip_prefix(ANNOTATION_PREFIX) {
                    None => (vec![Target::All], Vec::new()),
                    // Every rule is `podlint.dev/ignore-all` in annotations, so `all` is not an id here.
                    Some("all") => (Vec::new(), vec![Problem::UnknownRule { id: "all".into(), suggestion: None }]),
                    Some(id) => resolve(&[id]),
                };
                let index = self.table.directives.len();
                self.cover(&named, index, object.root.span.start, object.root.span.end);
                let at = Location::resolve(self.file, entry.key.span, self.snippets);
                self.table.directives.push(Directive {
                    form: Form::Annotation,
                    label: key.into(),
                    at,
                    object: Some(info.clone()),
                    named,
                    problems,
                });
            }
        }
    }

    fn push(&mut self, form: Form, label: Box<str>, span: Span, named: Vec<Target>, problems: Vec<Problem>) {
        // The object a comment sits in, when it is inside one. Objects are in file order and do not
        // overlap (a List's items are the objects, not the List).
        let after = self.infos.partition_point(|(s, _)| s.start <= span.start);
        let object = after
            .checked_sub(1)
            .map(|i| &self.infos[i])
            .filter(|(s, _)| span.start < s.end)
            .map(|(_, info)| info.clone());
        let at = Location::resolve(self.file, span, self.snippets);
        self.table.directives.push(Directive { form, label, at, object, named, problems });
    }

    fn cover_named(&mut self, directive: usize, start: u32, end: u32) {
        let named = self.table.directives[directive].named.clone();
        self.cover(&named, directive, start, end);
    }

    fn cover(&mut self, targets: &[Target], directive: usize, start: u32, end: u32) {
        let wide = end == u32::MAX;
        for &target in targets {
            self.table.covers.push(Cover { start, end, target, directive, wide });
        }
    }

    fn close(&mut self, end: u32, which: impl Fn(Target) -> bool) {
        let mut still_open = Vec::new();
        for (target, directive, start) in std::mem::take(&mut self.open) {
            if which(target) {
                self.table.covers.push(Cover { start, end, target, directive, wide: true });
            } else {
                still_open.push((target, directive, start));
            }
        }
        self.open = still_open;
    }

    fn close_open(&mut self, end: u32) {
        self.close(end, |_| true);
    }
}

/// A directive written outside the YAML it covers (a Markdown comment before a fenced block):
/// `body` is what follows `podlint:`, written at `at`; an `ignore[…]` covers `block`.
pub fn region(file: &SourceFile, body: &str, at: Span, block: Range<u32>, snippets: bool) -> Suppressions {
    let location = Location::resolve(file, at, snippets);
    let mut table = Suppressions { path: Some(file.path.clone()), ..Suppressions::default() };
    let (form, label, named, problems) = match parse(body) {
        Ok(parsed) if parsed.verb == "ignore" => {
            let label: Box<str> = format!("ignore[{}]", parsed.ids.join(", ")).into();
            let (named, problems) = resolve(&parsed.ids);
            (Form::Ignore, label, named, problems)
        }
        Ok(parsed) => {
            let reason =
                format!("before a code block, only `ignore` or `ignore[rule-id]` applies, not `{}`", parsed.verb);
            (Form::Malformed, body.trim().into(), Vec::new(), vec![Problem::Malformed(reason)])
        }
        Err(reason) => (Form::Malformed, body.trim().into(), Vec::new(), vec![Problem::Malformed(reason)]),
    };
    for &target in &named {
        table.covers.push(Cover { start: block.start, end: block.end, target, directive: 0, wide: false });
    }
    table.directives.push(Directive { form, label, at: location, object: None, named, problems });
    table
}
