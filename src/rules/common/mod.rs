//! Code several rules share. Not rules themselves: every file directly under `src/rules/` is one.
pub mod links;
pub mod migration;
pub mod pod_security;
pub mod pod_validation;
pub mod resources;
pub mod validation;
pub mod workload;
// Security beyond the Pod Security Standards.
pub mod rbac;
