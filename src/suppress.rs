//! Suppressions: comment directives and object annotations that silence findings.
//!
//! A stage of its own. The table is collected per file while the file's text and tree are at
//! hand (`collect`), and applied once the cross-object rules have run (`Suppressions::apply`),
//! so that a comment in a Service's file also silences what only the whole run could find. The
//! table holds byte ranges, rule ids and used flags, plus where each directive is written so an
//! unused one can be reported after the text is gone.
//!
//! saphyr gives no comments, so directives are found by scanning the text; the tree's scalar
//! spans tell a real comment from a `#` inside a quoted or block scalar.
use std::ops::Range;
use std::sync::Arc;

use crate::check::inventory::Inventory;
use crate::check::locate;
use crate::finding::{Finding, Location, ObjectInfo};
use crate::object::{Object, objects_in};
use crate::rules::unused_suppression::{Complaint, Scope};
use crate::rules::{self, Category, UNUSED_SUPPRESSION};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::yaml::{Document, Node, ScalarStyle, Span, Value};

/// `metadata.annotations` key prefix that ignores one rule for an object: `<prefix><rule-id>`.
pub const ANNOTATION_PREFIX: &str = "ignore-check.podlint.dev/";
/// `metadata.annotations` key that ignores every rule for an object.
pub const ANNOTATION_ALL: &str = "podlint.dev/ignore-all";

const VERBS: [&str; 4] = ["ignore", "disable", "enable", "file-ignore"];

/// A rule a suppression names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    All,
    Rule(&'static str),
}

impl Target {
    fn parse(id: &str) -> Option<Target> {
        if id == "all" {
            return Some(Target::All);
        }
        rules::find(id).map(|r| Target::Rule(r.meta().id))
    }

    fn id(self) -> &'static str {
        match self {
            Target::All => "all",
            Target::Rule(id) => id,
        }
    }

    fn matches(self, rule: &str) -> bool {
        match self {
            // A blanket suppression must not also hide that suppressions have gone stale: that
            // takes naming the rule.
            Target::All => rule != UNUSED_SUPPRESSION.id,
            Target::Rule(id) => id == rule,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Ignore,
    Disable,
    Enable,
    FileIgnore,
    Annotation,
    Malformed,
}

#[derive(Debug)]
enum Problem {
    Malformed(String),
    UnknownRule { id: Box<str>, suggestion: Option<&'static str> },
    NothingToEnable(Vec<&'static str>),
}

/// A comment directive or an annotation, kept for reporting.
#[derive(Debug)]
struct Directive {
    form: Form,
    /// `ignore[image-tag]` as normalised, or the annotation key.
    label: Box<str>,
    /// The comment text, or the annotation key.
    at: Location,
    object: Option<Arc<ObjectInfo>>,
    named: Vec<Target>,
    problems: Vec<Problem>,
}

/// One rule silenced over a byte range, on behalf of one directive.
#[derive(Debug)]
struct Cover {
    start: u32,
    /// `u32::MAX` for "to the end of the file".
    end: u32,
    target: Target,
    directive: usize,
    used: bool,
}

impl Cover {
    /// An empty range (a key with no value) still covers a finding at its start.
    fn contains(&self, at: u32) -> bool {
        self.start <= at && (at < self.end || at == self.start)
    }
}

/// A file's suppressions. Empty (and free) for the files that never spell `podlint`.
#[derive(Debug, Default)]
pub struct Suppressions {
    path: Option<Arc<str>>,
    directives: Vec<Directive>,
    covers: Vec<Cover>,
}

/// Decides whether a rule named in a suppression has had its chance to report in this run;
/// only then is a suppression that silenced nothing called unused.
pub struct Judge<'r> {
    settings: &'r Settings,
    inventory: &'r Inventory,
}

impl<'r> Judge<'r> {
    pub fn new(settings: &'r Settings, inventory: &'r Inventory) -> Self {
        Judge { settings, inventory }
    }

    fn judges(&self, target: Target) -> bool {
        let Target::Rule(id) = target else { return true };
        // A suppression that silences unused-suppression findings cannot itself be judged by
        // that rule without going round in circles.
        if id == UNUSED_SUPPRESSION.id {
            return false;
        }
        let Some(rule) = rules::find(id) else { return false };
        let meta = rule.meta();
        self.settings.severity_of(meta).is_some()
            && (self.settings.schema || meta.category != Category::Schema)
            && (!rule.is_cross_object() || rule.judged(self.inventory))
    }
}

impl Suppressions {
    /// Joins the table of the next part of the same file.
    pub fn merge(&mut self, other: Suppressions) {
        let offset = self.directives.len();
        if self.path.is_none() {
            self.path = other.path;
        }
        self.directives.extend(other.directives);
        self.covers.extend(other.covers.into_iter().map(|c| Cover { directive: c.directive + offset, ..c }));
    }

    /// Drops the findings a suppression covers, then adds the `unused-suppression` findings
    /// (which suppressions cover too). Returns how many distinct findings were suppressed.
    pub fn apply(mut self, findings: &mut Vec<Finding>, judge: &Judge<'_>) -> usize {
        if self.directives.is_empty() {
            return 0;
        }
        let mut suppressed: Vec<(&'static str, Span, String)> = Vec::new();
        let mut keep = |table: &mut Self, f: &Finding| {
            if table.cover(f) {
                suppressed.push((f.rule, f.location.span, f.message.clone()));
                false
            } else {
                true
            }
        };
        findings.retain(|f| keep(&mut self, f));
        let mut complaints = self.complaints(judge.settings, |t| judge.judges(t));
        complaints.retain(|f| keep(&mut self, f));
        findings.append(&mut complaints);
        // An aliased node is checked once per alias; the run reports those findings once.
        suppressed.sort();
        suppressed.dedup();
        suppressed.len()
    }

    /// Whether a suppression covers the finding; every one that does is marked used.
    fn cover(&mut self, finding: &Finding) -> bool {
        let at = finding.location.span.start;
        let mut covered = false;
        for cover in &mut self.covers {
            if cover.target.matches(finding.rule) && cover.contains(at) {
                cover.used = true;
                covered = true;
            }
        }
        covered
    }

    fn complaints(&self, settings: &Settings, judges: impl Fn(Target) -> bool) -> Vec<Finding> {
        let Some(severity) = settings.severity_of(&UNUSED_SUPPRESSION) else { return Vec::new() };
        let Some(path) = &self.path else { return Vec::new() };
        let mut out = Vec::new();
        for (index, directive) in self.directives.iter().enumerate() {
            let scope = match directive.form {
                // A malformed comment is reported for its reason alone, which names no scope.
                Form::Ignore | Form::Malformed => Scope::Node,
                Form::Disable | Form::Enable => Scope::Range,
                Form::FileIgnore => Scope::File,
                Form::Annotation => Scope::Object,
            };
            let mut complain = |complaint: Complaint<'_>| {
                let (message, help) = complaint.describe();
                out.push(Finding {
                    rule: UNUSED_SUPPRESSION.id,
                    severity,
                    message,
                    help: Some(help),
                    file: path.clone(),
                    location: directive.at.clone(),
                    object: directive.object.clone(),
                    fix: None,
                    fixed: false,
                });
            };
            let label = &*directive.label;
            for problem in &directive.problems {
                match problem {
                    Problem::Malformed(reason) => complain(Complaint::Malformed { reason }),
                    Problem::UnknownRule { id, suggestion } => {
                        complain(Complaint::UnknownRule { label, scope, id, suggestion: *suggestion })
                    }
                    Problem::NothingToEnable(rules) => complain(Complaint::NothingToEnable { label, rules }),
                }
            }
            if matches!(directive.form, Form::Enable | Form::Malformed) {
                continue;
            }
            let unused: Vec<&'static str> = directive
                .named
                .iter()
                .filter(|&&t| judges(t))
                .filter(|&&t| !self.covers.iter().any(|c| c.directive == index && c.target == t && c.used))
                .map(|t| t.id())
                .collect();
            if !unused.is_empty() {
                complain(Complaint::Unused { label, scope, rules: &unused, named: directive.named.len() });
            }
        }
        out
    }
}

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

/// A directive as written, before it is placed.
struct Parsed<'t> {
    verb: &'static str,
    ids: Vec<&'t str>,
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
                let at = locate(self.file, entry.key.span, self.snippets);
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
        // The object a comment sits in, when it is inside one (the innermost, for a List item).
        let object = self
            .infos
            .iter()
            .filter(|(s, _)| s.start <= span.start && span.start < s.end)
            .min_by_key(|(s, _)| s.end - s.start)
            .map(|(_, info)| info.clone());
        let at = locate(self.file, span, self.snippets);
        self.table.directives.push(Directive { form, label, at, object, named, problems });
    }

    fn cover_named(&mut self, directive: usize, start: u32, end: u32) {
        let named = self.table.directives[directive].named.clone();
        self.cover(&named, directive, start, end);
    }

    fn cover(&mut self, targets: &[Target], directive: usize, start: u32, end: u32) {
        for &target in targets {
            self.table.covers.push(Cover { start, end, target, directive, used: false });
        }
    }

    fn close(&mut self, end: u32, which: impl Fn(Target) -> bool) {
        let mut still_open = Vec::new();
        for (target, directive, start) in std::mem::take(&mut self.open) {
            if which(target) {
                self.table.covers.push(Cover { start, end, target, directive, used: false });
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

/// `---` or `...` at the start of a line, alone or followed by a blank.
fn is_document_marker(line: &str) -> bool {
    ["---", "..."]
        .iter()
        .any(|m| line.strip_prefix(m).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t'])))
}

/// Parses what follows `podlint:`: `verb[id, id] -- reason`.
fn parse(body: &str) -> Result<Parsed<'_>, String> {
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
fn resolve(ids: &[&str]) -> (Vec<Target>, Vec<Problem>) {
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
