//! Byte offsets (what findings and fixes carry) to and from LSP positions, whose columns count
//! UTF-16 code units as the protocol requires by default.
use lsp_types::{Position, Range};

use crate::source::file::LineIndex;

/// A text with its line table, for converting many positions of one version of a document.
pub struct Lines<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines { text, index: LineIndex::new(text) }
    }

    /// The position of a byte offset. An offset inside a character or past the end is moved
    /// back to the nearest character boundary, so a stale span never panics.
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line0 = self.index.line_of(offset as u32);
        let start = self.index.line_start(line0) as usize;
        let character = self.text[start..offset].encode_utf16().count() as u32;
        Position { line: line0 as u32, character }
    }

    pub fn range(&self, start: u32, end: u32) -> Range {
        Range { start: self.position(start), end: self.position(end) }
    }

    /// The byte offset of a position. A line past the end is the end of the text; a column past
    /// the end of its line is the end of the line (the protocol asks for that), and a column in
    /// the middle of a surrogate pair is the start of that character.
    pub fn offset(&self, position: Position) -> u32 {
        let line0 = position.line as usize;
        if line0 >= self.index.line_count() as usize {
            return self.text.len() as u32;
        }
        let (start, end) = self.index.line_range(self.text, line0);
        let mut units = 0u32;
        for (at, ch) in self.text[start as usize..end as usize].char_indices() {
            let next = units + ch.len_utf16() as u32;
            if next > position.character {
                return start + at as u32;
            }
            units = next;
        }
        end
    }

    /// The 0-based line holding a byte offset, with the byte range of that line (without its
    /// line break).
    pub fn line_at(&self, offset: u32) -> (usize, u32, u32) {
        let line0 = self.index.line_of(offset.min(self.text.len() as u32));
        let (start, end) = self.index.line_range(self.text, line0);
        (line0, start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // `é` is one UTF-16 unit in two bytes; `𝄞` is two units (a surrogate pair) in four.
        let text = "a: é𝄞x\nb: 1\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(lines.position(x), Position { line: 0, character: 6 });
        assert_eq!(lines.offset(Position { line: 0, character: 6 }), x);
        let b = text.find('b').unwrap() as u32;
        assert_eq!(lines.position(b), Position { line: 1, character: 0 });
        // Inside the surrogate pair: the start of the character.
        assert_eq!(lines.offset(Position { line: 0, character: 5 }), text.find('𝄞').unwrap() as u32);
        // Past the end of a line or of the text.
        assert_eq!(lines.offset(Position { line: 0, character: 99 }), text.find('\n').unwrap() as u32);
        assert_eq!(lines.offset(Position { line: 9, character: 0 }), text.len() as u32);
    }

    #[test]
    fn offsets_inside_a_character_move_back() {
        let lines = Lines::new("é");
        assert_eq!(lines.position(1), Position { line: 0, character: 0 });
        assert_eq!(lines.position(9), Position { line: 0, character: 1 });
    }
}
