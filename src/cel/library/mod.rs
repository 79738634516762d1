//! What Kubernetes adds to standard CEL (k8s.io/apiserver/pkg/cel/library and the cel-go
//! extensions it enables), on the `cel` crate's environment.
//!
//! Library values (quantities, IPs, CIDRs, URLs, semantic versions, named formats) are Rust
//! types of their own, with member overloads declared for their CEL types, so that
//! `quantity("1Gi").isGreaterThan(quantity("512Mi"))` dispatches on the receiver as in
//! Kubernetes.
//!
//! What there is, library by library:
//! - standard CEL (the crate): operators with error absorption in `&&`/`||`, cross-type numeric
//!   comparison, `has`, `all`, `exists`, `exists_one`, `map`, `filter`, `size`, `contains`,
//!   `startsWith`, `endsWith`, `matches`, `in`, conversions `int`, `uint`, `double`, `string`,
//!   `bool`, `bytes`, `dyn`, `type`;
//! - optional types (the crate): `.?f`, `[?k]`, `[?x]` in lists, `{?k: v}` in maps,
//!   `optional.of`, `optional.none`, `optional.ofNonZeroValue`, `hasValue`, `value`, `orValue`,
//!   `or`, `optMap`, `optFlatMap`;
//! - strings (the crate's extension): `charAt`, `indexOf`, `lastIndexOf` (with offsets),
//!   `lowerAscii`, `upperAscii`, `replace` (with a count), `split` (with a limit), `substring`
//!   (one or two indices), `trim`, `join`, `strings.quote`, `format`, `reverse`;
//! - lists: Kubernetes' `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf` (`lists.rs`)
//!   and the crate's extension: `distinct`, `flatten`, `lists.range`, `reverse`, `slice`,
//!   `sort`, `sortBy`;
//! - sets: `sets.contains`, `sets.equivalent`, `sets.intersects` (`lists.rs`);
//! - regex: `find`, `findAll` (with a limit) (`lists.rs`), on Rust's `regex`, whose syntax is
//!   RE2's but for rarely used corners;
//! - URLs: `url`, `isURL`, `getScheme`, `getHost`, `getHostname`, `getPort`,
//!   `getEscapedPath`, `getQuery`, `string` (`url.rs`);
//! - quantities: `quantity`, `isQuantity`, `sign`, `isInteger`, `asInteger`,
//!   `asApproximateFloat`, `add`, `sub` (a quantity or an int), `isLessThan`, `isGreaterThan`,
//!   `compareTo`, `==` by value (`quantity.rs`);
//! - IP and CIDR: `ip`, `isIP`, `ip.isCanonical`, `family`, `isUnspecified`, `isLoopback`,
//!   `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`, `cidr`, `isCIDR`,
//!   `containsIP` and `containsCIDR` (a value or a string), `ip`, `masked`, `prefixLength`,
//!   `string` (`net.rs`);
//! - format: `format.<name>()` for the thirteen named formats, `format.named`, `validate`
//!   (`format.rs`), which reports one reason where Kubernetes may list several;
//! - semver: `semver`, `isSemver` (both with the normalising flag), `major`, `minor`, `patch`,
//!   `compareTo`, `isLessThan`, `isGreaterThan` (`semver.rs`).
//!
//! What there is not:
//! - `duration` and `timestamp` (the crate's `chrono` feature is off: manifests carry no
//!   times for admission policies to compare);
//! - two-variable comprehensions (`m.all(k, v, …)`, `transformList`, `transformMap`,
//!   Kubernetes 1.32 and later): the crate's interpreter has no second iteration variable, so
//!   they are refused at compile time saying so;
//! - `authorizer` (the Kubernetes authz library): there is no API server offline, and an
//!   expression that names it fails to evaluate saying so;
//! - cel-go's math, encoders and bindings (`cel.bind`) extensions, which Kubernetes does not
//!   enable for admission policies either;
//! - static type checking: the crate interprets without a checker, so a type error
//!   (`object.spec.replicas > 'a'`) or an unknown function (`name.startWith('x')`) is an
//!   evaluation error, not a compile error; only unknown identifiers are caught when
//!   compiling.
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
