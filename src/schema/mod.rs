//! Kubernetes JSON schemas: the embedded data and its loader.
pub mod bundle;
