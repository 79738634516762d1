//! server-warning: what the API server accepts but answers with a warning (`Warning: …` in
//! kubectl's output), plus a few slips podlint warns about in the same voice. Each check is one
//! entry of `CHECKS`; add a check there (for Services, Ingresses, …) with the upstream function
//! it follows.
use rustc_hash::FxHashMap;

use super::common::pod_validation::{Containers, field, spec_path, text};
use super::common::resources::quantity_of;
use super::common::validation::{FieldPath, go_quote, warn};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::{Node, Span};

pub struct ServerWarning;

static META: RuleMeta = RuleMeta {
    id: "server-warning",
    severity: Severity::Warning,
    category: Category::Validation,
    summary: "The API server accepts this but warns: duplicate env vars and port definitions, duplicate pull secrets and host aliases; and CPU unit slips",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/server-warning.md"),
    ..RuleMeta::DEFAULTS
};

/// One warning: where it points, the text the server prints, and what to do.
struct Warning {
    span: Span,
    message: String,
    help: String,
}

/// A check: what it follows upstream, and the function that finds its warnings.
struct Check {
    #[allow(dead_code)]
    upstream: &'static str,
    run: fn(&Object<'_, '_>, &mut Vec<Warning>),
}

const CHECKS: &[Check] = &[
    Check { upstream: "pkg/api/pod/warnings.go warningsForPodSpecAndMeta (duplicate env)", run: duplicate_env },
    Check { upstream: "pkg/api/pod/warnings.go warningsForPodSpecAndMeta (ports)", run: duplicate_ports },
    Check { upstream: "pkg/api/pod/warnings.go warningsForPodSpecAndMeta (imagePullSecrets)", run: pull_secrets },
    Check { upstream: "pkg/api/pod/warnings.go warningsForPodSpecAndMeta (hostAliases)", run: host_aliases },
    Check { upstream: "podlint: cores written where millicores were meant", run: cpu_unit_slip },
];

impl Rule for ServerWarning {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for check in CHECKS {
            (check.run)(object, &mut found);
        }
        for warning in found {
            warn(cx, &META, warning.span, warning.message, warning.help);
        }
    }
}

/// The pod spec of a workload with the path the server prints for it. An Argo Rollout is a
/// custom resource: the server has no warnings for it (its ReplicaSets get them, unseen).
fn pod_spec<'t, 'a>(object: &Object<'t, 'a>) -> Option<(&'t Node<'a>, FieldPath)> {
    if object.is_kind("Rollout") {
        return None;
    }
    any_pod_spec(object)
}

fn any_pod_spec<'t, 'a>(object: &Object<'t, 'a>) -> Option<(&'t Node<'a>, FieldPath)> {
    let base = spec_path(object)?;
    let template = object.pod_template()?;
    Some((template.spec(), base))
}

/// A variable defined twice in one container: the later definition wins in the container, but
/// a client-side `kubectl apply` merges env by name and may drop one. The server stays silent
/// when the later value builds on the earlier (`X=$(X):more`).
fn duplicate_env(object: &Object<'_, '_>, out: &mut Vec<Warning>) {
    let Some((spec, base)) = pod_spec(object) else { return };
    for (container, path) in Containers::of(spec, &base).all() {
        let items = field(container, "env").map(Node::items).unwrap_or(&[]);
        let mut seen = std::collections::HashSet::new();
        for (i, var) in items.iter().enumerate() {
            let Some(name_node) = field(var, "name") else { continue };
            let Some(name) = text(name_node) else { continue };
            if seen.insert(name) {
                continue;
            }
            let reference = format!("$({name})");
            let value = field(var, "value").and_then(Node::scalar_text).unwrap_or("");
            let hides = field(var, "valueFrom").is_some() || value == reference || !value.contains(&reference);
            if hides {
                out.push(Warning {
                    span: name_node.span,
                    message: format!(
                        "{}: hides previous definition of {}, which may be dropped when using apply",
                        path.child("env").index(i),
                        go_quote(name)
                    ),
                    help: format!("define `{name}` once: remove the earlier definition or this one"),
                });
            }
        }
    }
}

/// The same container port and protocol declared twice in a pod (`containerPort/protocol`),
/// compared as the server does: same host port and IP is a duplicate, one without a host port
/// overlaps, the same host port with and without a host IP is ambiguous.
fn duplicate_ports(object: &Object<'_, '_>, out: &mut Vec<Warning>) {
    let Some((spec, base)) = pod_spec(object) else { return };
    struct Port {
        path: FieldPath,
        host_ip: String,
        host_port: i64,
    }
    let mut by_key: FxHashMap<String, Vec<Port>> = FxHashMap::default();
    for (container, path) in Containers::of(spec, &base).all() {
        for (i, port) in field(container, "ports").map(Node::items).unwrap_or(&[]).iter().enumerate() {
            let Some(number_node) = field(port, "containerPort") else { continue };
            let Some(number) = number_node.as_i64() else { continue };
            let Some(protocol) = field(port, "protocol").map_or(Some("TCP"), text) else { continue };
            let Some(host_ip) = field(port, "hostIP").map_or(Some(""), text) else { continue };
            let host_port = match field(port, "hostPort") {
                None => 0,
                Some(node) => match node.as_i64() {
                    Some(p) => p,
                    None => continue,
                },
            };
            let here = Port { path: path.child("ports").index(i), host_ip: host_ip.to_string(), host_port };
            let others = by_key.entry(format!("{number}/{protocol}")).or_default();
            for other in others.iter() {
                let how = if here.host_ip == other.host_ip && here.host_port == other.host_port {
                    "duplicate"
                } else if here.host_port == 0 || other.host_port == 0 {
                    "overlapping"
                } else if here.host_port == other.host_port && (here.host_ip.is_empty() != other.host_ip.is_empty()) {
                    "dangerously ambiguous"
                } else {
                    continue;
                };
                out.push(Warning {
                    span: number_node.span,
                    message: format!("{}: {how} port definition with {}", here.path, other.path),
                    help: format!(
                        "port {number}/{protocol} is declared at {} already: remove one declaration, or give them different ports",
                        other.path
                    ),
                });
            }
            others.push(here);
        }
    }
}

/// `imagePullSecrets` naming a Secret twice, or naming none.
fn pull_secrets(object: &Object<'_, '_>, out: &mut Vec<Warning>) {
    let Some((spec, base)) = pod_spec(object) else { return };
    let items = field(spec, "imagePullSecrets").map(Node::items).unwrap_or(&[]);
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let path = base.child("imagePullSecrets").index(i).child("name");
        let name_node = field(item, "name");
        let name = match name_node {
            Some(node) => match text(node) {
                Some(name) => name,
                None => continue,
            },
            None if item.as_mapping().is_some() => "",
            None => continue,
        };
        let span = name_node.map_or(item.span, |n| n.span);
        if items.len() > 1 && !seen.insert(name) {
            out.push(Warning {
                span,
                message: format!("{path}: duplicate name {}", go_quote(name)),
                help: "list each pull secret once".to_string(),
            });
        }
        if name.is_empty() {
            out.push(Warning {
                span,
                message: format!("{path}: invalid empty name {}", go_quote(name)),
                help: "name the Secret that holds the registry credentials, or remove the entry".to_string(),
            });
        }
    }
}

/// `hostAliases` listing one IP twice: the kubelet writes both to /etc/hosts.
fn host_aliases(object: &Object<'_, '_>, out: &mut Vec<Warning>) {
    let Some((spec, base)) = pod_spec(object) else { return };
    let items = field(spec, "hostAliases").map(Node::items).unwrap_or(&[]);
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(node) = field(item, "ip") else { continue };
        let Some(ip) = text(node) else { continue };
        if !seen.insert(ip) {
            out.push(Warning {
                span: node.span,
                message: format!("{}: duplicate ip {}", base.child("hostAliases").index(i).child("ip"), go_quote(ip)),
                help: format!("list `{ip}` once, with all its hostnames"),
            });
        }
    }
}

/// Podlint's own, not the server's (it accepts any CPU quantity): a CPU of 100 or more whole
/// cores in a pod whose other CPU quantities are written in millicores is almost always `500`
/// meant as `500m`. Such a pod cannot be scheduled on any ordinary node.
fn cpu_unit_slip(object: &Object<'_, '_>, out: &mut Vec<Warning>) {
    let Some((spec, base)) = any_pod_spec(object) else { return };
    let mut quantities: Vec<(&Node<'_>, FieldPath)> = Vec::new();
    // Pod-level resources (1.32+) count too.
    let mut holders: Vec<(&Node<'_>, FieldPath)> = Vec::new();
    if let Some(resources) = field(spec, "resources") {
        holders.push((resources, base.child("resources")));
    }
    for (container, path) in Containers::of(spec, &base).all() {
        if let Some(resources) = field(container, "resources") {
            holders.push((resources, path.child("resources")));
        }
    }
    for (resources, path) in holders {
        for list in ["requests", "limits"] {
            if let Some(value) = field(resources, list).and_then(|l| field(l, "cpu")) {
                quantities.push((value, path.child(list).key("cpu")));
            }
        }
    }
    let millicores = quantities.iter().any(|(node, _)| node.as_str().is_some_and(|s| s.trim().ends_with('m')));
    if !millicores {
        return;
    }
    for (node, path) in &quantities {
        let Some(Ok(quantity)) = quantity_of(node) else { continue };
        let Some(nanos) = quantity.nanos() else { continue };
        let written = node.scalar_text().unwrap_or_default().trim();
        let plain = !written.is_empty() && written.bytes().all(|b| b.is_ascii_digit());
        if plain && nanos >= 100 * 1_000_000_000 {
            out.push(Warning {
                span: node.span,
                message: format!(
                    "{path}: {written} is {written} whole CPU cores, while other CPU quantities of this pod are in millicores"
                ),
                help: format!("if you meant {written} millicores, write `{written}m`"),
            });
        }
    }
}
