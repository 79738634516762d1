//! YAML as Kubernetes reads it, with a span on every node.
pub mod lenient;
pub mod load;
pub mod scalar;
pub mod tree;

pub use load::{Document, Limits, Loaded, Problem, ProblemKind, document_parts, load, load_part};
pub use tree::{Entry, Node, Resolved, Scalar, ScalarStyle, Span, Value};
