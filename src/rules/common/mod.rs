//! Code several rules share. Not rules themselves: every file directly under `src/rules/` is one.
// API-server validation of configuration, networking and policy objects.
pub mod api_strings;
pub mod links;
pub mod migration;
pub mod pod_security;
pub mod pod_validation;
pub mod resources;
pub mod selector_help;
pub mod validation;
// API-server validation: workloads, Services, object metadata.
pub mod apivalidation;
pub mod cron;
pub mod workload;
// Security beyond the Pod Security Standards.
pub mod rbac;
