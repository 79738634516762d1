//! Checks on values that the schemas do not express but the API server enforces: enums, port
//! ranges, name and label syntax. Keyed by (definition, property), so they apply wherever the
//! type appears (a `ContainerPort` in a Pod, a Deployment or a CronJob alike).
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use super::Issue;
use crate::k8s::enums::{ENUM_FIELDS, EnumField};
use crate::k8s::names;
use crate::yaml::Node;

#[derive(Clone, Copy, Debug)]
pub enum ValueCheck {
    Enum(&'static EnumField),
    /// A port number (1–65535; 0 too where it means "not set"); where the field is
    /// int-or-string, a string is a port name.
    Port {
        allow_zero: bool,
        allow_name: bool,
    },
    /// IANA service name (container port names).
    PortName,
    Dns1123Label,
    /// A map whose keys are label keys and values label values.
    Labels,
    /// A map whose keys are annotation keys (values are free text).
    AnnotationKeys,
}

const CORE: &str = "io.k8s.api.core.v1.";
const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

// Looked up for every field of every object: FxHash, not SipHash (the keys are ours, not an
// attacker's).
type Table = FxHashMap<&'static str, FxHashMap<&'static str, Vec<ValueCheck>>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = FxHashMap::default();
        // The table lives for the whole process, so its definition names can too.
        let mut add = |def: String, prop: &'static str, check: ValueCheck| {
            let def: &'static str = match t.keys().find(|k| **k == def) {
                Some(k) => k,
                None => Box::leak(def.into_boxed_str()),
            };
            t.entry(def).or_default().entry(prop).or_default().push(check);
        };
        for field in ENUM_FIELDS {
            add(field.definition.to_string(), field.property, ValueCheck::Enum(field));
        }
        let core = |name: &str| format!("{CORE}{name}");
        add(core("ContainerPort"), "containerPort", ValueCheck::Port { allow_zero: false, allow_name: false });
        add(core("ContainerPort"), "hostPort", ValueCheck::Port { allow_zero: true, allow_name: false });
        add(core("ContainerPort"), "name", ValueCheck::PortName);
        add(core("ServicePort"), "port", ValueCheck::Port { allow_zero: false, allow_name: false });
        add(core("ServicePort"), "nodePort", ValueCheck::Port { allow_zero: true, allow_name: false });
        add(core("ServicePort"), "targetPort", ValueCheck::Port { allow_zero: false, allow_name: true });
        add(core("ServicePort"), "name", ValueCheck::Dns1123Label);
        // Probe port names are probe-port's to check, against the container's own ports.
        for action in ["HTTPGetAction", "TCPSocketAction", "GRPCAction"] {
            add(core(action), "port", ValueCheck::Port { allow_zero: false, allow_name: false });
        }
        add(core("Container"), "name", ValueCheck::Dns1123Label);
        add(core("EphemeralContainer"), "name", ValueCheck::Dns1123Label);
        add(format!("{META}ObjectMeta"), "labels", ValueCheck::Labels);
        add(format!("{META}ObjectMeta"), "annotations", ValueCheck::AnnotationKeys);
        add(format!("{META}LabelSelector"), "matchLabels", ValueCheck::Labels);
        add(core("ServiceSpec"), "selector", ValueCheck::Labels);
        add(core("ReplicationControllerSpec"), "selector", ValueCheck::Labels);
        t
    })
}

/// Whether any check applies to a property of `definition`: lets the walk skip types with none.
pub fn has_checks(definition: &str) -> bool {
    table().contains_key(definition)
}

pub fn checks_for(definition: &str, property: &str) -> &'static [ValueCheck] {
    table().get(definition).and_then(|props| props.get(property)).map_or(&[], Vec::as_slice)
}

/// Kinds whose names the API server validates as DNS-1123 subdomains. Others differ (RBAC names
/// may hold `:`, CRD names are `<plural>.<group>`), and custom resources are the CRD's business.
const SUBDOMAIN_NAMED: &[&str] = &[
    "ConfigMap",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "Ingress",
    "IngressClass",
    "Job",
    "LimitRange",
    "NetworkPolicy",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Pod",
    "PodDisruptionBudget",
    "PriorityClass",
    "ReplicaSet",
    "ReplicationController",
    "ResourceQuota",
    "Secret",
    "ServiceAccount",
    "StatefulSet",
    "StorageClass",
];

/// `metadata.name` against the syntax its kind requires.
pub fn check_object_name(root: &Node<'_>, kind: &str) -> Option<Issue> {
    let name = root.path(&["metadata", "name"])?;
    let text = name.as_str()?;
    let result = match kind {
        "Service" => names::dns1035_label(text),
        "Namespace" => names::dns1123_label(text),
        _ if SUBDOMAIN_NAMED.contains(&kind) => names::dns1123_subdomain(text),
        _ => return None,
    };
    let reason = result.err()?;
    let rule = if kind == "Service" {
        "a DNS-1035 label"
    } else if kind == "Namespace" {
        "a DNS-1123 label"
    } else {
        "a DNS-1123 subdomain"
    };
    Some(Issue::InvalidValue {
        value: name.span,
        field: "name".into(),
        reason: format!("{kind} name `{text}` {reason}"),
        help: Some(format!("a {kind} name must be {rule}")),
    })
}
