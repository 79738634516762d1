//! podlint: lint and validate Kubernetes manifests.
pub mod k8s;
pub mod schema;
