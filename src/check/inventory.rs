//! The few facts cross-object rules need, kept per object so a run never holds whole files in
//! memory: labels and ports of pod templates, selectors and target ports of Services.
use std::sync::Arc;

use crate::finding::{Location, ObjectInfo};

#[derive(Debug)]
pub struct PodGroup {
    pub file: usize,
    pub object: Arc<ObjectInfo>,
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
    /// Named container ports (`name`, `containerPort`) across all its containers.
    pub ports: Vec<(String, i64)>,
}

#[derive(Debug)]
pub struct ServiceFacts {
    pub file: usize,
    pub object: Arc<ObjectInfo>,
    pub namespace: Option<String>,
    pub selector: Vec<(String, String)>,
    pub selector_at: Location,
    /// Named `targetPort`s, where they are written.
    pub named_target_ports: Vec<(String, Location)>,
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub pods: Vec<PodGroup>,
    pub services: Vec<ServiceFacts>,
}

impl Inventory {
    pub fn extend(&mut self, other: Inventory) {
        self.pods.extend(other.pods);
        self.services.extend(other.services);
    }
}

/// A Service's pods are in its own namespace; an object without one gets the namespace it is
/// applied to, so it could be any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Whether every selector pair is among the labels.
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector.iter().all(|pair| labels.contains(pair))
}
