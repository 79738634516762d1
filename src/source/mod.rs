//! Finding the files to lint and holding their text.
pub mod chart;
pub mod discover;
pub mod file;
pub mod markdown;
pub mod path;

pub use discover::{Discovered, Input, discover};
pub use file::{LineCol, LineIndex, SourceFile};
