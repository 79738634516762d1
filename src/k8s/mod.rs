//! Facts about Kubernetes itself (versions, kinds, API deprecations, enums), independent of any input file.
pub mod deprecations;
pub mod enums;
pub mod kinds;
pub mod names;
pub mod pod_security;
pub mod version;

pub mod quantity;
