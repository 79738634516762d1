//! Everything a run is configured with, after the command line and config file are merged.
use std::collections::HashMap;

use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::rules::RuleMeta;
use crate::yaml::Limits;

#[derive(Clone, Debug)]
pub struct Settings {
    /// The cluster version manifests are checked against.
    pub kubernetes_version: KubeVersion,
    pub schema: bool,
    /// Keep source lines with findings, for reporters that show them.
    pub snippets: bool,
    pub limits: Limits,
    /// Largest file podlint reads, in bytes.
    pub max_file_size: u64,
    /// Per-rule severity overrides; `None` turns a rule off.
    pub rule_severity: HashMap<String, Option<Severity>>,
    /// Name for standard input in reports.
    pub stdin_name: String,
    /// Folders (or kubeconform path templates) holding JSON schemas for custom resources.
    pub schema_locations: Vec<String>,
    /// Container names `multi-container-pod` does not count: helpers a team has decided belong
    /// beside their main container (a mesh proxy, a log shipper).
    pub allowed_sidecars: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            kubernetes_version: KubeVersion::NEWEST,
            schema: true,
            snippets: true,
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            rule_severity: HashMap::new(),
            stdin_name: "-".to_string(),
            schema_locations: Vec::new(),
            allowed_sidecars: Vec::new(),
        }
    }
}

impl Settings {
    /// The severity a rule's findings get in this run, or `None` when the rule is off.
    pub fn severity_of(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.rule_severity.get(rule.id) {
            Some(choice) => *choice,
            None => Some(rule.severity),
        }
    }
}
