//! The span-carrying YAML tree every later stage reads. Spans are byte offsets into the file's
//! text; line and column are computed only when a finding is reported.
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar's value as Kubernetes' YAML decoder (YAML 1.1 rules) would type it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar<'a> {
    /// The content after unescaping and folding; for plain scalars a slice of the source.
    pub text: Cow<'a, str>,
    pub style: ScalarStyle,
    pub resolved: Resolved,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    pub key: Node<'a>,
    pub value: Node<'a>,
    /// Entries brought in by a `<<` merge key: they exist for every reader but are not written
    /// at this place in the file.
    pub merged: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Mapping(Vec<Entry<'a>>),
    Sequence(Vec<Node<'a>>),
    Scalar(Scalar<'a>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub value: Value<'a>,
}

impl<'a> Node<'a> {
    pub fn as_mapping(&self) -> Option<&[Entry<'a>]> {
        match &self.value {
            Value::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar<'a>> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that Kubernetes reads as a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.resolved == Resolved::Str => Some(&s.text),
            _ => None,
        }
    }

    /// The text of any scalar whatever its type: for keys, names and messages.
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| &*s.text)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar(Scalar { resolved: Resolved::Int(i), .. }) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar(Scalar { resolved: Resolved::Bool(b), .. }) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(Scalar { resolved: Resolved::Null, .. }))
    }

    /// The entry for `key`. An exact match wins; otherwise a key that differs only in ASCII
    /// case is taken, so that a miscased `livenessprobe` still counts as the probe it was meant
    /// to be (the schema stage reports the spelling once, and no rule reports a missing probe).
    /// Of duplicate keys the last is taken, as Kubernetes' decoder keeps the last.
    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        // One pass, since most lookups are of keys that are absent: an exact match returns at
        // once, the last key that differs only in case is kept for the end.
        let mut miscased = None;
        for entry in self.as_mapping()?.iter().rev() {
            let Some(text) = entry.key.scalar_text() else { continue };
            if text.len() != key.len() {
                continue;
            }
            if text == key {
                return Some(entry);
            }
            if miscased.is_none() && text.eq_ignore_ascii_case(key) {
                miscased = Some(entry);
            }
        }
        miscased
    }

    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node<'a>> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Items of a sequence, or nothing for any other node (absent or malformed lists are the
    /// schema stage's business, not every rule's).
    pub fn items(&self) -> &[Node<'a>] {
        self.as_sequence().unwrap_or(&[])
    }

    pub fn entries(&self) -> &[Entry<'a>] {
        self.as_mapping().unwrap_or(&[])
    }

    /// A short description of the node's type for messages ("a mapping", "an integer").
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Mapping(_) => "a mapping",
            Value::Sequence(_) => "a list",
            Value::Scalar(s) => match s.resolved {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) => "an integer",
                Resolved::Float(_) => "a number",
                Resolved::Str => "a string",
            },
        }
    }

    /// Number of nodes in this subtree, for budgets.
    pub fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Sequence(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Mapping(entries) => 1 + entries.iter().map(|e| e.key.count() + e.value.count()).sum::<usize>(),
        }
    }
}

impl<'a> Node<'a> {
    /// Mutable form of `entry`, for the schema stage's normalisation.
    pub fn entry_mut(&mut self, key: &str) -> Option<&mut Entry<'a>> {
        let Value::Mapping(entries) = &mut self.value else { return None };
        let index = entries.iter().position(|e| e.key.scalar_text() == Some(key)).or_else(|| {
            entries.iter().position(|e| e.key.scalar_text().is_some_and(|k| k.eq_ignore_ascii_case(key)))
        })?;
        Some(&mut entries[index])
    }
}
