//! Markdown pages (tutorials, docs): the fenced code blocks that hold manifests, found with a
//! CommonMark parser, and a YAML view of the page that the engine lints as if it were a file.
//!
//! The view has exactly the page's length: the content of the chosen blocks is kept byte for
//! byte, every other byte (prose, fences, other languages' blocks, the `> ` and indentation of
//! the containers a block sits in) is a space, and line breaks stay where they are. Every span,
//! line, column, fix edit and suppression computed on the view is then the page's own.
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Whether a path names a Markdown page (`.md`, `.markdown`, `.mdx`).
pub fn is_markdown(path: &str) -> bool {
    let extension = std::path::Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("");
    ["md", "markdown", "mdx"].iter().any(|m| m.eq_ignore_ascii_case(extension))
}

/// A `<!-- podlint: … -->` comment written just before a fence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `<!-- podlint: ignore -->`: the block is not linted.
    Skip,
    /// Anything else (`ignore[rule-id]`, or a mistake): what follows `podlint:`, and where it is.
    Rules { body: String, at: Range<usize> },
}

/// One fenced block whose content is in the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// From the start of the line after the opening fence to the end of the last content line:
    /// a YAML stream of its own, cut at line starts.
    pub range: Range<usize>,
    /// Whether the info string names YAML or JSON; an untagged block is here because it reads
    /// as a Kubernetes object.
    pub tagged: bool,
    /// The opening fence's line.
    pub fence: Range<usize>,
    pub directive: Option<Directive>,
    /// What the containers write before each content line when that is not only blanks (the
    /// `> ` of a block quote): a line a fix inserts needs it too.
    pub quote_prefix: Option<String>,
}

#[derive(Debug)]
pub struct Page {
    pub view: String,
    pub blocks: Vec<Block>,
}

/// The first word of an info string (`yaml title="pod.yaml"`, `{.yaml}`, `YAML:deploy.yaml`),
/// lowercased.
fn language(info: &str) -> String {
    let word = info.split_whitespace().next().unwrap_or("");
    let word = word.trim_start_matches(['{', '.']);
    let end =
        word.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '+')).unwrap_or(word.len());
    word[..end].to_ascii_lowercase()
}

fn is_manifest_language(language: &str) -> bool {
    matches!(language, "yaml" | "yml" | "json")
}

/// Whether an untagged block reads as a Kubernetes object: `apiVersion` and `kind` keys, in
/// YAML or JSON.
fn holds_object(content: &str) -> bool {
    let key = |name: &str| {
        content.lines().any(|line| {
            let line = line.trim_start_matches([' ', '\t', '-', '{', ',']);
            line.strip_prefix(name).is_some_and(|rest| rest.starts_with(':'))
                || line.strip_prefix('"').and_then(|l| l.strip_prefix(name)).is_some_and(|rest| rest.starts_with("\":"))
                || line
                    .strip_prefix('"')
                    .and_then(|l| l.strip_prefix(name))
                    .is_some_and(|rest| rest.strip_prefix('"').is_some_and(|r| r.trim_start().starts_with(':')))
        })
    };
    key("apiVersion") && key("kind")
}

/// `<!-- podlint: … -->` as the directive it writes, if it is one.
fn directive_of(html: &str, at: Range<usize>) -> Option<Directive> {
    let lead = html.len() - html.trim_start().len();
    let comment = html.trim();
    let at = at.start + lead..at.start + lead + comment.len();
    let inner = comment.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    let body = inner.strip_prefix("podlint:")?.trim();
    if body == "ignore" || body.starts_with("ignore --") {
        return Some(Directive::Skip);
    }
    Some(Directive::Rules { body: body.to_string(), at })
}

/// Finds the blocks to lint and builds the page's view.
pub fn read(text: &str) -> Page {
    let bytes = text.as_bytes();
    let mut view: Vec<u8> = bytes.iter().map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' }).collect();
    let mut blocks = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut events = Parser::new_ext(text, options).into_offset_iter();
    // The last HTML block, while nothing else has come between it and what follows.
    let mut pending: Option<Directive> = None;
    let mut html: Option<Range<usize>> = None;
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::HtmlBlock) => html = Some(range),
            Event::End(TagEnd::HtmlBlock) => {
                pending = html.take().and_then(|r| directive_of(&text[r.clone()], r));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let directive = pending.take();
                let mut content: Vec<Range<usize>> = Vec::new();
                for (event, range) in events.by_ref() {
                    match event {
                        Event::End(TagEnd::CodeBlock) => break,
                        // Text the parser made up (the rest of a tab it split) is not in the
                        // page: only ranges that spell their text are kept.
                        Event::Text(t) if text.get(range.clone()) == Some(&*t) => content.push(range),
                        _ => {}
                    }
                }
                let fence_end = line_end(text, range.start);
                let fence = line_start(text, range.start)..fence_end;
                let tagged = is_manifest_language(&language(&info));
                let (Some(first), Some(last)) = (content.first(), content.last()) else { continue };
                let start = line_start(text, first.start).max(next_line(text, fence_end));
                let end = last.end;
                if start >= end {
                    continue;
                }
                let joined: String = content.iter().map(|r| &text[r.clone()]).collect();
                if !(tagged || (info.trim().is_empty() && holds_object(&joined))) {
                    continue;
                }
                for r in &content {
                    view[r.clone()].copy_from_slice(&bytes[r.clone()]);
                }
                let prefix = &text[line_start(text, first.start)..first.start];
                let quote_prefix = prefix.contains('>').then(|| prefix.to_string());
                blocks.push(Block { range: start..end, tagged, fence, directive, quote_prefix });
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Table(_)) => pending = None,
            Event::Rule => pending = None,
            _ => {}
        }
    }
    // Only ASCII bytes were replaced, and only whole characters were copied back: still UTF-8.
    let view = String::from_utf8(view).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Page { view, blocks }
}

fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its line break.
fn line_end(text: &str, at: usize) -> usize {
    text.as_bytes()[at..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(text.len(), |i| at + i)
}

/// The start of the line after the line break at `at` (CRLF is one break).
fn next_line(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(at) {
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => at + 2,
        Some(_) => at + 1,
        None => at,
    }
}

/// A line a fix inserts into a block inside a block quote gets the quote's prefix: the view's
/// blanks stand for it, so the replacement's first blanks after each break are rewritten.
pub fn quote_replacement(replacement: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(replacement.len() + prefix.len());
    let mut lines = replacement.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push('\n');
        let blanks = line.len() - line.trim_start_matches(' ').len();
        if blanks >= prefix.len() && !line.trim().is_empty() {
            out.push_str(prefix);
            out.push_str(&line[prefix.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(page: &Page) -> Vec<&str> {
        page.blocks.iter().map(|b| &page.view[b.range.clone()]).collect()
    }

    #[test]
    fn keeps_manifest_blocks_in_place_and_blanks_the_rest() {
        let text = "# Title\n\n```yaml title=\"pod.yaml\"\nkind: Pod\n```\n\n```bash\nkubectl apply\n```\n\n~~~YML\na: 1\n~~~\n";
        let page = read(text);
        assert_eq!(page.view.len(), text.len());
        assert_eq!(contents(&page), vec!["kind: Pod\n", "a: 1\n"]);
        assert!(!page.view.contains("kubectl"));
        assert!(!page.view.contains("Title"));
        assert_eq!(page.view.lines().count(), text.lines().count());
    }

    #[test]
    fn containers_become_blanks() {
        let text = "1. step\n\n   ```yaml\n   kind: Pod\n   spec: {}\n   ```\n\n> ```yaml\n> kind: Service\n> ```\n";
        let page = read(text);
        assert_eq!(contents(&page), vec!["   kind: Pod\n   spec: {}\n", "  kind: Service\n"]);
        assert_eq!(page.blocks[1].quote_prefix.as_deref(), Some("> "));
        assert_eq!(&page.view[page.blocks[0].range.start..][..4], "   k");
    }

    #[test]
    fn untagged_blocks_only_when_they_hold_an_object() {
        let text = "```\napiVersion: v1\nkind: Pod\n```\n\n```\nls -l\n```\n\n```python\napiVersion: 1\nkind: 2\n```\n";
        let page = read(text);
        assert_eq!(contents(&page), vec!["apiVersion: v1\nkind: Pod\n"]);
        assert!(!page.blocks[0].tagged);
    }

    #[test]
    fn directives_before_a_fence() {
        let text = "<!-- podlint: ignore -->\n```yaml\na: 1\n```\n\n<!-- podlint: ignore[image-tag] -->\n\n```yaml\nb: 2\n```\n\n<!-- podlint: ignore -->\ntext\n\n```yaml\nc: 3\n```\n";
        let page = read(text);
        let directives: Vec<_> = page.blocks.iter().map(|b| b.directive.clone()).collect();
        let at = text.find("<!-- podlint: ignore[").unwrap();
        assert_eq!(
            directives,
            vec![
                Some(Directive::Skip),
                Some(Directive::Rules { body: "ignore[image-tag]".into(), at: at..at + 35 }),
                None
            ]
        );
    }

    #[test]
    fn crlf_and_tabs() {
        let text = "-\t```yaml\r\n\tkind: Pod\r\n\t```\r\n";
        let page = read(text);
        assert_eq!(page.view.len(), text.len());
        assert_eq!(page.blocks.len(), 1);
        assert!(page.view[page.blocks[0].range.clone()].contains("kind: Pod\r\n"));
    }

    #[test]
    fn quoted_fix_lines_keep_the_quote() {
        assert_eq!(quote_replacement("a\n    b: 1", "> "), "a\n>   b: 1");
    }
}
