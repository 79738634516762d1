//! What the API server refuses in a Service beyond the schema (`ValidateService` and
//! `validateServicePort` in pkg/apis/core/validation/validation.go), and what it warns about
//! (`GetWarningsForService`, pkg/api/service/warnings.go). Port numbers, port-name syntax,
//! enum values and selector labels are invalid-value's.
use super::common::apivalidation::{dns1123_subdomain_errors, templated};
use super::common::validation::{FieldError, FieldPath, Val, go_quote, refuse, warn};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::Node;

pub struct InvalidService;

static META: RuleMeta = RuleMeta {
    id: "invalid-service",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "A Service the API server refuses: unnamed or duplicate ports, node ports where the type has none, a headless NodePort",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-service.md"),
    ..RuleMeta::DEFAULTS
};

/// Dual-stack Services (1.20): the server judges `clusterIPs[0]`, filled from `clusterIP`.
const CLUSTER_IPS: KubeVersion = KubeVersion::new(1, 20);
/// `ServicePort.appProtocol`, part of the port the server prints in a duplicate error.
const APP_PROTOCOL: KubeVersion = KubeVersion::new(1, 19);
/// pkg/api/service/warnings.go.
const WARNINGS: KubeVersion = KubeVersion::new(1, 27);

impl Rule for InvalidService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.kind != Some("Service") || object.group() != Some("") {
            return;
        }
        let Some(spec) = object.root.get("spec") else { return };
        let text = |key: &str| spec.get(key).filter(|n| !templated(n)).and_then(Node::as_str);
        let spec_path = FieldPath::root("spec");
        let Some(kind) = spec.get("type").map_or(Some("ClusterIP"), |n| if templated(n) { None } else { n.as_str() })
        else {
            return;
        };
        let cluster_ip = text("clusterIP");
        let headless = cluster_ip == Some("None");
        let target = cx.target();

        if headless && matches!(kind, "NodePort" | "LoadBalancer") {
            let node = spec.get("clusterIP").map_or(spec.span, |n| n.span);
            let path = if target >= CLUSTER_IPS {
                spec_path.child("clusterIPs").index(0)
            } else {
                spec_path.child("clusterIP")
            };
            let error =
                FieldError::invalid(path, Val::str("None"), format!("may not be set to 'None' for {kind} services"));
            refuse(
                cx,
                &META,
                node,
                &error,
                format!(
                    "a headless Service has no cluster IP for a {kind} to forward to: remove `clusterIP: None`, or use `type: ClusterIP`"
                ),
            );
        }
        if kind == "ExternalName" {
            external_name(spec, &spec_path, cx);
        }

        let ports = spec.get("ports").and_then(Node::as_sequence).unwrap_or(&[]);
        ports_checks(ports, kind, &spec_path, target, cx);

        let affinity = text("sessionAffinity").unwrap_or("None");
        if affinity == "None"
            && let Some(entry) = spec.entry("sessionAffinityConfig").filter(|e| !e.value.is_null())
        {
            let error = FieldError::forbidden(
                spec_path.child("sessionAffinityConfig"),
                "must not be set when session affinity is None",
            );
            refuse(
                cx,
                &META,
                entry.key.span,
                &error,
                "set `sessionAffinity: ClientIP`, or remove `sessionAffinityConfig`",
            );
        }
        if affinity == "ClientIP"
            && let Some(node) = spec.path(&["sessionAffinityConfig", "clientIP", "timeoutSeconds"])
            && let Some(t) = node.as_i64()
            && !(1..=86400).contains(&t)
        {
            let path = spec_path.at(&["sessionAffinityConfig", "clientIP", "timeoutSeconds"]);
            let error = FieldError::invalid(path, Val::Int(t), "must be greater than 0 and less than 86400");
            refuse(cx, &META, node.span, &error, "give a timeout from 1 to 86400 seconds (the default is 10800)");
        }

        let has_external_ips = spec.get("externalIPs").is_some_and(|n| n.count() > 0);
        let externally_accessible =
            matches!(kind, "NodePort" | "LoadBalancer") || (kind == "ClusterIP" && has_external_ips);
        if !externally_accessible
            && let Some(node) = spec.get("externalTrafficPolicy")
            && let Some(policy) = node.as_str()
            && !policy.is_empty()
            && !templated(node)
        {
            let error = FieldError::invalid(
                spec_path.child("externalTrafficPolicy"),
                Val::str(policy),
                "may only be set for externally-accessible services",
            );
            refuse(
                cx,
                &META,
                node.span,
                &error,
                "remove `externalTrafficPolicy`: it applies to NodePort and LoadBalancer Services",
            );
        }
        if kind != "LoadBalancer" {
            for key in ["loadBalancerSourceRanges", "allocateLoadBalancerNodePorts"] {
                let Some(entry) = spec
                    .entry(key)
                    .filter(|e| !e.value.is_null() && e.value.count() > 0 || e.value.as_bool().is_some())
                else {
                    continue;
                };
                if key == "allocateLoadBalancerNodePorts" && target < KubeVersion::new(1, 22) {
                    continue;
                }
                // The server names the source ranges with a capital L.
                let name = if key == "loadBalancerSourceRanges" { "LoadBalancerSourceRanges" } else { key };
                let error =
                    FieldError::forbidden(spec_path.child(name), "may only be used when `type` is 'LoadBalancer'");
                refuse(cx, &META, entry.key.span, &error, format!("remove `{key}`, or use `type: LoadBalancer`"));
            }
        }
        if target >= WARNINGS {
            if kind != "ExternalName"
                && let Some(node) = spec.get("externalName")
                && node.as_str().is_some_and(|s| !s.is_empty())
            {
                warn(
                    cx,
                    &META,
                    node.span,
                    "spec.externalName is ignored when spec.type is not \"ExternalName\"",
                    "remove `externalName`, or set `type: ExternalName`",
                );
            }
            if kind == "ExternalName"
                && has_external_ips
                && let Some(entry) = spec.entry("externalIPs")
            {
                warn(
                    cx,
                    &META,
                    entry.key.span,
                    "spec.externalIPs is ignored when spec.type is \"ExternalName\"",
                    "remove `externalIPs`",
                );
            }
            let hints = "service.kubernetes.io/topology-aware-hints";
            if let Some(entry) = object.root.path(&["metadata", "annotations"]).and_then(|a| a.entry(hints)) {
                warn(
                    cx,
                    &META,
                    entry.key.span,
                    format!("annotation {hints} is deprecated, please use service.kubernetes.io/topology-mode instead"),
                    "rename the annotation to `service.kubernetes.io/topology-mode`",
                );
            }
        }
    }
}

fn external_name(spec: &Node<'_>, spec_path: &FieldPath, cx: &mut Context<'_>) {
    let path = spec_path.child("externalName");
    match spec.get("externalName") {
        Some(node) if templated(node) => {}
        Some(node) if node.as_str().is_some_and(|s| !s.trim_end_matches('.').is_empty()) => {
            let name = node.as_str().unwrap_or("");
            // A trailing dot marks a fully qualified name; the server takes it off first.
            let cname = name.strip_suffix('.').unwrap_or(name);
            for detail in dns1123_subdomain_errors(cname) {
                let error = FieldError::invalid(path.clone(), Val::str(cname), detail);
                refuse(
                    cx,
                    &META,
                    node.span,
                    &error,
                    "write the DNS name the Service is an alias for, such as `db.example.com`",
                );
            }
        }
        Some(node) if node.as_str().is_some() || node.is_null() => {
            let error = FieldError::required(path, "");
            refuse(
                cx,
                &META,
                node.span,
                &error,
                "write the DNS name the Service is an alias for, such as `db.example.com`",
            );
        }
        Some(_) => {}
        None => {
            let span = spec.entry("type").map_or(spec.span, |e| e.value.span);
            let error = FieldError::required(path, "");
            refuse(cx, &META, span, &error, "an ExternalName Service needs `externalName: <DNS name>`");
        }
    }
}

fn ports_checks(ports: &[Node<'_>], kind: &str, spec_path: &FieldPath, target: KubeVersion, cx: &mut Context<'_>) {
    let ports_path = spec_path.child("ports");
    let mut names: Vec<&str> = Vec::new();
    let mut seen: Vec<(String, i64)> = Vec::new();
    let mut node_ports: Vec<(String, i64)> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        if port.as_mapping().is_none() {
            continue;
        }
        let path = ports_path.index(i);
        let protocol = match port.get("protocol") {
            None => "TCP",
            Some(n) => match n.as_str() {
                Some(p) if !templated(n) => p,
                _ => continue,
            },
        };
        match port.get("name") {
            Some(name) if templated(name) => {}
            Some(name) if name.as_str().is_some_and(|s| !s.is_empty()) => {
                let text = name.as_str().unwrap_or("");
                if names.contains(&text) {
                    let error = FieldError::duplicate(path.child("name"), Val::str(text));
                    refuse(cx, &META, name.span, &error, "give each port of the Service its own name");
                }
                names.push(text);
            }
            _ if ports.len() > 1 => {
                let span = port
                    .get("name")
                    .map_or_else(|| port.entries().first().map_or(port.span, |e| e.key.span), |n| n.span);
                let error = FieldError::required(path.child("name"), "");
                refuse(
                    cx,
                    &META,
                    span,
                    &error,
                    "a Service with more than one port must name each of them: add `name: http` (lowercase letters, digits and `-`)",
                );
            }
            _ => {}
        }
        if let Some(number) = port.get("port").and_then(Node::as_i64) {
            let key = (protocol.to_string(), number);
            if seen.contains(&key) {
                let error = FieldError::duplicate(path.clone(), Val::Raw(service_port_value(protocol, number, target)));
                let span = port.get("port").map_or(port.span, |n| n.span);
                refuse(
                    cx,
                    &META,
                    span,
                    &error,
                    format!(
                        "port {number}/{protocol} is already exposed by another entry: remove one, or change its number"
                    ),
                );
            }
            seen.push(key);
        }
        let Some(node_port) = port.get("nodePort") else { continue };
        let Some(n) = node_port.as_i64() else { continue };
        if n == 0 {
            continue;
        }
        if kind == "ClusterIP" {
            let error = FieldError::forbidden(path.child("nodePort"), "may not be used when `type` is 'ClusterIP'");
            refuse(
                cx,
                &META,
                node_port.span,
                &error,
                "remove `nodePort`, or use `type: NodePort` or `type: LoadBalancer`",
            );
            continue;
        }
        let key = (protocol.to_string(), n);
        if node_ports.contains(&key) {
            let error = FieldError::duplicate(path.child("nodePort"), Val::Int(n));
            refuse(
                cx,
                &META,
                node_port.span,
                &error,
                "give each port its own nodePort, or leave it out to have one allocated",
            );
        }
        node_ports.push(key);
        // The allocator's range is a cluster setting (--service-node-port-range); 30000-32767 is
        // its default, so outside it this is a warning, not a certainty.
        if (1..=65535).contains(&n) && !(30000..=32767).contains(&n) {
            let message = format!(
                "{}: Invalid value: {n}: provided port is not in the valid range. The range of valid ports is 30000-32767",
                path.child("nodePort")
            );
            warn(
                cx,
                &META,
                node_port.span,
                message,
                "node ports come from 30000-32767 unless the cluster sets another --service-node-port-range; leave `nodePort` out to have one allocated",
            );
        }
    }
}

/// Go's `%#v` of the `core.ServicePort` key the server reports a duplicate with: only protocol
/// and port are set in it.
fn service_port_value(protocol: &str, port: i64, target: KubeVersion) -> String {
    let app_protocol = if target >= APP_PROTOCOL { "AppProtocol:(*string)(nil), " } else { "" };
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{}, {app_protocol}Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
        go_quote(protocol)
    )
}
