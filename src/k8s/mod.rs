//! Facts about Kubernetes itself (versions, API deprecations, enums), independent of any input file.
pub mod enums;
pub mod version;
