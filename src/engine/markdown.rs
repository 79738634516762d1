//! A Markdown page: its manifest blocks checked as one file, each block a YAML stream of its own,
//! in the page's own coordinates (see `source::markdown`).
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::Engine;
use super::file::{FileOutcome, Intent, Origin, check_part};
use super::finish::to_findings;
use crate::index::IndexPart;
use crate::object::looks_like_object;
use crate::rules::{At, NOT_A_MANIFEST, RawFinding};
use crate::source::SourceFile;
use crate::source::markdown::{self, Block, Directive};
use crate::yaml::{self, ProblemKind, Span};

pub(super) fn check_page(engine: &Engine, path: Arc<str>, text: String, origin: Origin) -> FileOutcome {
    let page = markdown::read(&text);
    let mut file = SourceFile::new(path, page.view);
    file.shown = Some(text);
    let mut outcome =
        FileOutcome { index: IndexPart { path: file.path.clone(), objects: Vec::new() }, ..FileOutcome::default() };
    // Blocks are independent until the run rules: a long page is checked on every core.
    use rayon::prelude::*;
    let checked: Vec<Option<FileOutcome>> =
        page.blocks.par_iter().map(|block| check_block(engine, &file, block)).collect();
    let mut fragments = 0;
    for part in checked {
        let Some(part) = part else {
            fragments += 1;
            continue;
        };
        outcome.findings.extend(part.findings);
        outcome.objects += part.objects;
        outcome.index.objects.extend(part.index.objects);
        outcome.suppressions.merge(part.suppressions);
    }
    let understood = engine.context.kustomized(&file.path).is_some();
    if origin == Origin::Named && outcome.objects == 0 && outcome.findings.is_empty() && !understood {
        let message = match fragments {
            0 => "no code block of this Markdown page holds a Kubernetes object (a ```yaml block with `apiVersion` and `kind`), so nothing was linted".to_string(),
            n => format!("{n} yaml code block(s) of this Markdown page are fragments (they do not parse, or hold no `apiVersion` and `kind`), so nothing was linted"),
        };
        let raw = RawFinding {
            rule: &NOT_A_MANIFEST,
            severity: None,
            at: At::Span(Span::new(0, 0)),
            message,
            help: None,
            fix: None,
        };
        outcome.findings.extend(to_findings(&engine.settings, Some(&file), &file.path, vec![raw], None));
    }
    outcome
}

/// One block's outcome; `None` for a fragment. A block a directive skips is an empty outcome.
fn check_block(engine: &Engine, file: &SourceFile, block: &Block) -> Option<FileOutcome> {
    if block.directive == Some(Directive::Skip) {
        return Some(FileOutcome::default());
    }
    if !is_manifest(engine, file, block) {
        return None;
    }
    let intent = Intent::new(&file.text[block.range.clone()]);
    let mut part = check_part(engine, file, block.range.clone(), &intent);
    if intent.templated.load(Ordering::Relaxed) {
        return None;
    }
    if let Some(Directive::Rules { body, at }) = &block.directive {
        let range = block.range.start as u32..block.range.end as u32;
        let at = Span::new(at.start as u32, at.end as u32);
        part.suppressions.merge(crate::suppress::region(file, body, at, range, engine.settings.snippets));
    }
    tidy(file, block, &mut part);
    Some(part)
}

/// A block is linted when it parses and holds an object: tutorials show fragments on purpose
/// (`...` for what is left out, one field explained), and those are skipped without a word.
fn is_manifest(engine: &Engine, file: &SourceFile, block: &Block) -> bool {
    let loaded = yaml::load_part(&file.text[..block.range.end], block.range.start, engine.settings.limits);
    let broken = loaded.problems.iter().any(|p| matches!(p.kind, ProblemKind::Syntax));
    !broken && loaded.documents.iter().filter_map(|d| d.root.as_ref()).any(looks_like_object)
}

/// What a page's reader should not be told: findings on a line with a `<placeholder>` the
/// reader is meant to fill in. Fixes that insert lines into a block quote get its `> `.
fn tidy(file: &SourceFile, block: &Block, part: &mut FileOutcome) {
    let placeholder_at = |offset: u32| {
        let line = file.lines.line_of(offset);
        let (start, end) = file.lines.line_range(&file.text, line);
        has_placeholder(&file.text[start as usize..end as usize])
    };
    part.findings.retain(|f| !placeholder_at(f.location.span.start));
    for object in &mut part.index.objects {
        object.held.retain(|h| !placeholder_at(h.at.span.start));
    }
    if let Some(prefix) = &block.quote_prefix {
        for finding in &mut part.findings {
            for edit in finding.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
                if edit.replacement.contains('\n') {
                    edit.replacement = markdown::quote_replacement(&edit.replacement, prefix);
                }
            }
        }
    }
}

/// `<your-image>`, `<namespace>`: text in angle brackets that starts with a letter.
fn has_placeholder(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let starts_word = rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if let Some(close) = rest.find(['>', '<'])
            && starts_word
            && rest.as_bytes()[close] == b'>'
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders() {
        assert!(super::has_placeholder("  image: <your-image>"));
        assert!(super::has_placeholder("  name: <name of the app>"));
        assert!(!super::has_placeholder("  cmd: a < b && c > d"));
        assert!(!super::has_placeholder("  image: nginx"));
    }
}
