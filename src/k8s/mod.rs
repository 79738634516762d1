//! Facts about Kubernetes itself (versions, kinds, API deprecations, enums), independent of any input file.
pub mod kinds;
pub mod version;

pub mod quantity;
