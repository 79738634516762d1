//! What Kubernetes adds to standard CEL (k8s.io/apiserver/pkg/cel/library and the cel-go
//! extensions it enables), on the `cel` crate's environment.
//!
//! Library values (quantities, IPs, CIDRs, URLs, semantic versions, named formats) are Rust
//! types of their own, with member overloads declared for their CEL types, so that
//! `quantity("1Gi").isGreaterThan(quantity("512Mi"))` dispatches on the receiver as in
//! Kubernetes.
mod format;
mod lists;
mod net;
mod quantity;
mod semver;
mod support;
mod url;

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
    quantity::declare(&mut env);
    net::declare(&mut env);
    url::declare(&mut env);
    lists::declare(&mut env);
    format::declare(&mut env);
    semver::declare(&mut env);
    env
}

/// An evaluation error with a message of our own.
pub fn fail(message: impl Into<String>) -> ExecutionError {
    ExecutionError::FunctionError { function: String::new(), message: message.into() }
}

/// A copy of a library value that borrows nothing, or `None` for any other value.
pub fn detach(value: &dyn Val) -> Option<Box<dyn Val>> {
    macro_rules! try_type {
        ($($rust:ty),*) => {
            $(if let Some(v) = value.downcast_ref::<$rust>() {
                return Some(Box::new(v.clone()));
            })*
        };
    }
    try_type!(quantity::Quantity, net::Ip, net::Cidr, url::Url, semver::Semver, format::Format);
    None
}

/// A library value as CEL would write it, or `None` for any other value.
pub fn display(value: &dyn Val) -> Option<String> {
    if let Some(q) = value.downcast_ref::<quantity::Quantity>() {
        return Some(q.display());
    }
    if let Some(ip) = value.downcast_ref::<net::Ip>() {
        return Some(net::display_ip(ip));
    }
    if let Some(cidr) = value.downcast_ref::<net::Cidr>() {
        return Some(net::display_cidr(cidr));
    }
    if let Some(url) = value.downcast_ref::<url::Url>() {
        return Some(url::display(url));
    }
    if let Some(version) = value.downcast_ref::<semver::Semver>() {
        return Some(semver::display(version));
    }
    value.downcast_ref::<format::Format>().map(format::display)
}
