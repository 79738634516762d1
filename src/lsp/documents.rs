//! The documents the editor has open, as it holds them (full or incremental sync).
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};
use rustc_hash::FxHashMap;

use super::position::Lines;

pub struct Document {
    /// The name the workspace knows the document by: its path for a `file:` URI.
    pub name: Arc<str>,
    pub version: i32,
    pub text: String,
    /// YAML or JSON, which podlint lints; other documents are kept for nothing else.
    pub lintable: bool,
}

#[derive(Default)]
pub struct Documents {
    by_uri: FxHashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, language: &str, version: i32, text: String) -> &Document {
        let name: Arc<str> = name_of(&uri).into();
        let lintable = matches!(language, "yaml" | "json" | "jsonc") || is_manifest_name(&name);
        self.by_uri.entry(uri).insert_entry(Document { name, version, text, lintable }).into_mut()
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.by_uri.get(uri)
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.by_uri.remove(uri)
    }

    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<&Document> {
        let doc = self.by_uri.get_mut(uri)?;
        for change in changes {
            match change.range {
                Some(range) => {
                    let lines = Lines::new(&doc.text);
                    let start = lines.offset(range.start) as usize;
                    let end = (lines.offset(range.end) as usize).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = version;
        Some(doc)
    }

    pub fn set_text(&mut self, uri: &Uri, text: String) -> Option<&Document> {
        let doc = self.by_uri.get_mut(uri)?;
        doc.text = text;
        Some(doc)
    }
}

fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

/// The path of a `file:` URI (percent-decoded), or the URI itself for any other scheme
/// (`untitled:`), which names an unsaved buffer.
pub fn name_of(uri: &Uri) -> String {
    path_of(uri).map_or_else(|| uri.as_str().to_string(), |p| p.to_string_lossy().into_owned())
}

pub fn path_of(uri: &Uri) -> Option<std::path::PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` names a path on another host: not ours to read.
    let path = rest.strip_prefix('/').map(|p| format!("/{p}"))?;
    let decoded = percent_decode(&path)?;
    // `file:///C:/x` is `C:/x` on Windows.
    let windows_drive = decoded.len() > 2 && decoded.as_bytes()[2] == b':' && cfg!(windows);
    Some(std::path::PathBuf::from(if windows_drive { &decoded[1..] } else { &decoded[..] }))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_paths() {
        let uri: Uri = "file:///tmp/a%20b/%C3%A9.yaml".parse().unwrap();
        assert_eq!(name_of(&uri), "/tmp/a b/é.yaml");
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(name_of(&untitled), "untitled:Untitled-1");
    }
}
