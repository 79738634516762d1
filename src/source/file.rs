//! A file's text and the table that turns byte offsets into the line:column editors show.

/// 1-based line and column; columns count characters, as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets at which each line starts. Built once per file so that locating a finding is a
/// binary search plus a scan of one line, never a scan of the whole file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    pub(crate) starts: Vec<u32>,
    /// A UTF-8 byte order mark is invisible in editors, so it does not count as a column.
    bom_len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        // memchr scans a word at a time; this runs over every byte of every file.
        if memchr::memchr(b'\r', bytes).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                // YAML counts a lone CR as a line break too; CRLF is one break.
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    starts.push((i + 1) as u32);
                }
            }
        }
        let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex { starts, bom_len }
    }

    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line0: usize) -> u32 {
        self.starts[line0]
    }

    pub fn locate(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(text.len() as u32);
        let line0 = self.line_of(offset);
        let mut start = self.starts[line0];
        if line0 == 0 {
            start = start.max(self.bom_len.min(offset));
        }
        let column = char_count(&text.as_bytes()[start as usize..offset as usize]);
        LineCol { line: line0 as u32 + 1, column: column + 1 }
    }

    /// Byte range of a 0-based line without its line break.
    pub fn line_range(&self, text: &str, line0: usize) -> (u32, u32) {
        let start = self.starts[line0];
        let mut end = self.starts.get(line0 + 1).copied().unwrap_or(text.len() as u32);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end as usize - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }
}

/// Counts characters in a UTF-8 byte slice (continuation bytes do not start a character). The
/// slice may end inside a character when an offset points there; that partial character counts.
fn char_count(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

/// A part of a rendered stream that `helm template` marked as coming from a template with a
/// `# Source: chart/templates/x.yaml` comment.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Bytes of the rendered document, from the line after the comment to the next document.
    pub start: u32,
    pub end: u32,
    /// 1-based line of the `# Source:` comment: the document's line N is the file's line N plus this.
    pub comment_line: u32,
    pub template: std::sync::Arc<str>,
}

/// A file as linted: its name as the user gave it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: std::sync::Arc<str>,
    pub text: String,
    pub lines: LineIndex,
    /// Helm `# Source:` regions, when the file is rendered chart output.
    pub rendered: Vec<Rendered>,
    /// The text shown in snippets when `text` is a view of it (a Markdown page's YAML view).
    pub shown: Option<String>,
}

const SOURCE_MARKER: &str = "# Source: ";

impl SourceFile {
    pub fn new(path: impl Into<std::sync::Arc<str>>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        let marked = memchr::memmem::find(text.as_bytes(), SOURCE_MARKER.as_bytes()).is_some();
        let rendered = if marked { rendered_regions(&text, &lines) } else { Vec::new() };
        SourceFile { path: path.into(), text, lines, rendered, shown: None }
    }

    /// The rendered template a byte offset lies in, if the file is rendered chart output.
    pub fn rendered_at(&self, offset: u32) -> Option<&Rendered> {
        let index = self.rendered.partition_point(|r| r.start <= offset).checked_sub(1)?;
        self.rendered.get(index).filter(|r| offset < r.end)
    }

    pub fn locate(&self, offset: u32) -> LineCol {
        self.lines.locate(&self.text, offset)
    }
}

fn rendered_regions(text: &str, lines: &LineIndex) -> Vec<Rendered> {
    let mut regions: Vec<Rendered> = Vec::new();
    for line0 in 0..lines.line_count() as usize {
        let (start, end) = lines.line_range(text, line0);
        let line = &text[start as usize..end as usize];
        let ends_document = line.starts_with("---") || line.starts_with(SOURCE_MARKER);
        if ends_document && let Some(open) = regions.last_mut().filter(|r| r.end == u32::MAX) {
            open.end = start;
        }
        if let Some(template) = line.strip_prefix(SOURCE_MARKER) {
            let next = lines.starts.get(line0 + 1).copied().unwrap_or(text.len() as u32);
            regions.push(Rendered {
                start: next,
                end: u32::MAX,
                comment_line: line0 as u32 + 1,
                template: template.trim().into(),
            });
        }
    }
    if let Some(open) = regions.last_mut().filter(|r| r.end == u32::MAX) {
        open.end = text.len() as u32 + 1;
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_skip_the_bom() {
        let text = "\u{feff}a: 1\r\nnäme: \"é\"\rz: 2\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.locate(text, 3), LineCol { line: 1, column: 1 });
        let z = text.find('z').unwrap() as u32;
        assert_eq!(idx.locate(text, z), LineCol { line: 3, column: 1 });
        let quote = text.find('"').unwrap() as u32;
        assert_eq!(idx.locate(text, quote), LineCol { line: 2, column: 7 });
        assert_eq!(idx.line_range(text, 0), (0, 7));
    }
}
