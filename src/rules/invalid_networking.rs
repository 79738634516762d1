//! What the API server refuses in Ingresses and NetworkPolicies beyond the schema
//! (`pkg/apis/networking/validation`: `ValidateIngressCreate`, `ValidateIngressSpec`,
//! `validateHTTPIngressPath`, `validateIngressBackend`, `validateIngressTLS`,
//! `ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`, `ValidateNetworkPolicyPeer`,
//! `ValidateIPBlock`). Path types and policy types outside their sets are invalid-value's; a
//! missing `pathType` is missing-required-field's.
use super::common::api_strings::{
    Cidr, dns1035_label, dns1123_subdomain, go_string_slice, parse_ip_sloppy, port_name, port_number, templated,
    wildcard_dns1123_subdomain,
};
use super::common::validation::{FieldError, FieldPath, Val, refuse};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::{Completeness, Object};
use crate::yaml::Node;

pub struct InvalidNetworking;

static META: RuleMeta = RuleMeta {
    id: "invalid-networking",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "An Ingress or NetworkPolicy the API server refuses: relative paths, bad hosts, backends, ports or CIDRs",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-networking.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for InvalidNetworking {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.group() != Some("networking.k8s.io") || object.api_version != Some("networking.k8s.io/v1") {
            return;
        }
        let Some(spec) = object.root.get("spec").filter(|s| s.as_mapping().is_some()) else { return };
        let whole = object.completeness == Completeness::Whole;
        match object.kind {
            Some("Ingress") => ingress(object, spec, whole, cx),
            Some("NetworkPolicy") => network_policy(spec, cx),
            _ => {}
        }
    }
}

/// A string value worth judging: a string, not a template.
fn text<'t>(node: Option<&'t Node<'_>>) -> Option<(&'t Node<'t>, &'t str)> {
    let node = node?;
    if templated(node) {
        return None;
    }
    Some((node, node.as_str()?))
}

fn ingress(object: &Object<'_, '_>, spec: &Node<'_>, whole: bool, cx: &mut Context<'_>) {
    let path = FieldPath::root("spec");
    let rules = spec.get("rules");
    let backend = spec.get("defaultBackend").filter(|b| !b.is_null());
    if whole && backend.is_none() && rules.is_none_or(|r| r.items().is_empty()) {
        let shown = if rules.is_some_and(|r| r.as_sequence().is_some()) {
            "[]networking.IngressRule{}"
        } else {
            "[]networking.IngressRule(nil)"
        };
        let error = FieldError::invalid(
            path.clone(),
            Val::Raw(shown.to_string()),
            "either `defaultBackend` or `rules` must be specified",
        );
        let at = spec_key(object);
        refuse(cx, &META, at, &error, "add `rules` with hosts and paths, or a `defaultBackend` for all traffic");
    }
    if let Some(backend) = backend {
        ingress_backend(backend, &path.child("defaultBackend"), cx);
    }
    for (i, rule) in rules.map(Node::items).unwrap_or(&[]).iter().enumerate() {
        let rule_path = path.child("rules").index(i);
        if let Some((node, host)) = text(rule.get("host")).filter(|(_, h)| !h.is_empty()) {
            let host_path = rule_path.child("host");
            if parse_ip_sloppy(host).is_some() {
                let error =
                    FieldError::invalid(host_path.clone(), Val::str(host), "must be a DNS name, not an IP address");
                refuse(
                    cx,
                    &META,
                    node.span,
                    &error,
                    "an Ingress routes by host name: leave `host` out to match every address",
                );
            }
            host_errors(node, host, host_path, cx);
        }
        let Some(http) = rule.get("http").filter(|h| h.as_mapping().is_some()) else { continue };
        let http_path = rule_path.child("http");
        let paths = http.get("paths");
        if whole && paths.is_some_and(|p| p.as_sequence().is_some_and(<[Node]>::is_empty)) {
            let at = paths.map_or(http.span, |p| p.span);
            let error = FieldError::required(http_path.child("paths"), "");
            refuse(cx, &META, at, &error, "list at least one path with its backend, or leave `http` out");
        }
        for (j, item) in paths.map(Node::items).unwrap_or(&[]).iter().enumerate() {
            http_path_item(item, &http_path.child("paths").index(j), whole, cx);
        }
    }
    for (i, tls) in spec.get("tls").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        let tls_path = path.child("tls").index(i);
        for (j, host) in tls.get("hosts").map(Node::items).unwrap_or(&[]).iter().enumerate() {
            if let Some((node, name)) = text(Some(host)) {
                host_errors(node, name, tls_path.child("hosts").index(j), cx);
            }
        }
        if let Some((node, name)) = text(tls.get("secretName")).filter(|(_, n)| !n.is_empty()) {
            for message in dns1123_subdomain(name) {
                let error = FieldError::invalid(tls_path.child("secretName"), Val::str(name), message);
                refuse(
                    cx,
                    &META,
                    node.span,
                    &error,
                    "name the Secret as it is named: lowercase letters, digits, `-` and `.`",
                );
            }
        }
    }
    if let Some((node, class)) = text(spec.get("ingressClassName")) {
        for message in dns1123_subdomain(class) {
            let error = FieldError::invalid(path.child("ingressClassName"), Val::str(class), message);
            refuse(cx, &META, node.span, &error, "name an IngressClass: lowercase letters, digits, `-` and `.`");
        }
        let annotation = "kubernetes.io/ingress.class";
        let annotated = object.root.path(&["metadata", "annotations", annotation]);
        if let Some((value_node, value)) = text(annotated)
            && value != class
        {
            let path = FieldPath::root("annotations").child(annotation);
            let error =
                FieldError::invalid(path, Val::str(value), "must match `ingressClassName` when both are specified");
            refuse(cx, &META, value_node.span, &error, "drop the deprecated annotation and keep `ingressClassName`");
        }
    }
}

/// Where a finding about the whole spec points: the `spec` key.
fn spec_key(object: &Object<'_, '_>) -> crate::yaml::Span {
    object.root.entry("spec").map_or(object.anchor(), |e| e.key.span)
}

/// A host of a rule or of a TLS entry: a DNS subdomain, or `*.` and one.
fn host_errors(node: &Node<'_>, host: &str, path: FieldPath, cx: &mut Context<'_>) {
    let messages = if host.contains('*') { wildcard_dns1123_subdomain(host) } else { dns1123_subdomain(host) };
    for message in messages {
        let error = FieldError::invalid(path.clone(), Val::str(host), message);
        refuse(
            cx,
            &META,
            node.span,
            &error,
            "write a lowercase DNS name such as `app.example.com`; a wildcard only as the whole first label (`*.example.com`)",
        );
    }
}

/// `validateHTTPIngressPath`.
fn http_path_item(item: &Node<'_>, path: &FieldPath, whole: bool, cx: &mut Context<'_>) {
    if item.as_mapping().is_none() {
        return;
    }
    let Some((_, path_type)) = text(item.get("pathType")) else { return };
    let value = item.get("path");
    let written = value.and_then(Node::as_str);
    if value.is_some_and(templated) || (value.is_some() && written.is_none()) {
        return;
    }
    let at = value.map_or(item.span, |v| v.span);
    let path_text = written.unwrap_or("");
    let url_path = path.child("path");
    let help = "write the path from the root, such as `/` or `/api`";
    match path_type {
        "Exact" | "Prefix" => {
            if !path_text.starts_with('/') && (whole || value.is_some()) {
                let error = FieldError::invalid(url_path.clone(), Val::str(path_text), "must be an absolute path");
                refuse(cx, &META, at, &error, help);
            }
            for sequence in ["//", "/./", "/../", "%2f", "%2F"] {
                if path_text.contains(sequence) {
                    let error = FieldError::invalid(
                        url_path.clone(),
                        Val::str(path_text),
                        format!("must not contain '{sequence}'"),
                    );
                    refuse(
                        cx,
                        &META,
                        at,
                        &error,
                        "write the path in its plain form; use `pathType: ImplementationSpecific` for controller-specific patterns",
                    );
                }
            }
            for suffix in ["/..", "/."] {
                if path_text.ends_with(suffix) {
                    let error = FieldError::invalid(
                        url_path.clone(),
                        Val::str(path_text),
                        format!("cannot end with '{suffix}'"),
                    );
                    refuse(cx, &META, at, &error, "write the path in its plain form");
                }
            }
        }
        "ImplementationSpecific" => {
            if !path_text.is_empty() && !path_text.starts_with('/') {
                let error = FieldError::invalid(url_path, Val::str(path_text), "must be an absolute path");
                refuse(cx, &META, at, &error, help);
            }
        }
        _ => return,
    }
    if let Some(backend) = item.get("backend") {
        ingress_backend(backend, &path.child("backend"), cx);
    }
}

/// `validateIngressBackend`: a Service (by name, with a port name or number) or a resource.
fn ingress_backend(backend: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    if backend.as_mapping().is_none() {
        return;
    }
    let service = backend.get("service").filter(|s| !s.is_null());
    let resource = backend.get("resource").filter(|r| !r.is_null());
    let empty = Val::str("");
    match (service, resource) {
        (Some(_), Some(_)) => {
            let error = FieldError::invalid(path.clone(), empty, "cannot set both resource and service backends");
            refuse(cx, &META, backend.span, &error, "keep `service` or `resource`, not both");
        }
        (None, None) => {
            let error = FieldError::invalid(path.clone(), empty, "resource or service backend is required");
            refuse(
                cx,
                &META,
                backend.span,
                &error,
                "name the Service traffic goes to: `service: {name: web, port: {number: 80}}`",
            );
        }
        (Some(service), None) if service.as_mapping().is_some() => {
            let service_path = path.child("service");
            match text(service.get("name")) {
                Some((node, "")) => {
                    let error = FieldError::required(service_path.child("name"), "");
                    refuse(cx, &META, node.span, &error, "name the Service traffic goes to");
                }
                // Refused only when also no DNS-1123 label (the relaxed rule of the
                // RelaxedServiceNameValidation gate), so the gate cannot make this a false
                // error; worded as the strict DNS-1035 rule words it.
                Some((node, name)) if crate::k8s::names::dns1123_label(name).is_err() => {
                    for message in dns1035_label(name) {
                        let error = FieldError::invalid(service_path.child("name"), Val::str(name), message);
                        refuse(
                            cx,
                            &META,
                            node.span,
                            &error,
                            "name the Service as it is named: lowercase letters, digits and `-`",
                        );
                    }
                }
                Some(_) | None => {}
            }
            let Some(port) = service.get("port").filter(|p| p.as_mapping().is_some()) else { return };
            let name = port.get("name").and_then(Node::as_str).filter(|n| !n.is_empty() && !n.contains("{{"));
            let number = port.get("number").filter(|n| n.as_i64().is_some_and(|n| n != 0));
            match (name, number) {
                (Some(_), Some(_)) => {
                    let error =
                        FieldError::invalid(path.clone(), Val::str(""), "cannot set both port name & port number");
                    refuse(cx, &META, port.span, &error, "keep the port's `name` or its `number`, not both");
                }
                (Some(name), None) => {
                    let node = port.get("name").map_or(port.span, |n| n.span);
                    for message in port_name(name) {
                        let error = FieldError::invalid(service_path.at(&["port", "name"]), Val::str(name), message);
                        refuse(
                            cx,
                            &META,
                            node,
                            &error,
                            "name the Service's port as it declares it, or give its `number`",
                        );
                    }
                }
                (None, Some(number)) => {
                    let value = number.as_i64().unwrap_or_default();
                    for message in port_number(value) {
                        let error = FieldError::invalid(service_path.at(&["port", "number"]), Val::Int(value), message);
                        refuse(cx, &META, number.span, &error, "give the Service's port number, 1 to 65535");
                    }
                }
                (None, None) => {
                    let templated_port = port.entries().iter().any(|e| templated(&e.value));
                    if !templated_port {
                        let error = FieldError::required(path.clone(), "port name or number is required");
                        refuse(
                            cx,
                            &META,
                            port.span,
                            &error,
                            "give the Service's port: `port: {number: 80}` or `port: {name: http}`",
                        );
                    }
                }
            }
        }
        _ => {}
    }
}

fn network_policy(spec: &Node<'_>, cx: &mut Context<'_>) {
    let path = FieldPath::root("spec");
    for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in spec.get(direction).map(Node::items).unwrap_or(&[]).iter().enumerate() {
            let rule_path = path.child(direction).index(i);
            for (j, port) in rule.get("ports").map(Node::items).unwrap_or(&[]).iter().enumerate() {
                policy_port(port, &rule_path.child("ports").index(j), cx);
            }
            for (j, peer) in rule.get(peers).map(Node::items).unwrap_or(&[]).iter().enumerate() {
                policy_peer(peer, &rule_path.child(peers).index(j), cx);
            }
        }
    }
    if let Some(types) = spec.get("policyTypes").and_then(Node::as_sequence)
        && types.len() > 2
    {
        let names: Vec<&str> = types.iter().filter_map(Node::scalar_text).collect();
        let value = Val::Raw(go_string_slice("[]networking.PolicyType", &names));
        let error = FieldError::invalid(path.child("policyTypes"), value, "may not specify more than two policyTypes");
        let at = spec.entry("policyTypes").map_or(spec.span, |e| e.value.span);
        refuse(cx, &META, at, &error, "list each of `Ingress` and `Egress` at most once");
    }
}

/// `ValidateNetworkPolicyPort`.
fn policy_port(port: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    if port.as_mapping().is_none() || port.entries().iter().any(|e| templated(&e.value)) {
        return;
    }
    let end = port.get("endPort").filter(|e| !e.is_null());
    let end_value = end.and_then(Node::as_i64);
    let end_path = path.child("endPort");
    match port.get("port").filter(|p| !p.is_null()) {
        Some(number) if number.as_i64().is_some() => {
            let value = number.as_i64().unwrap_or_default();
            for message in port_number(value) {
                let error = FieldError::invalid(path.child("port"), Val::Int(value), message);
                refuse(cx, &META, number.span, &error, "give a port number from 1 to 65535, or a named port");
            }
            if let (Some(end), Some(end_value)) = (end, end_value) {
                if end_value < value {
                    let error = FieldError::invalid(
                        end_path.clone(),
                        Val::Int(end_value),
                        "must be greater than or equal to `port`",
                    );
                    refuse(
                        cx,
                        &META,
                        end.span,
                        &error,
                        "`endPort` is the last port of the range that starts at `port`",
                    );
                }
                for message in port_number(end_value) {
                    let error = FieldError::invalid(end_path.clone(), Val::Int(end_value), message);
                    refuse(cx, &META, end.span, &error, "give a port number from 1 to 65535");
                }
            }
        }
        Some(name) => {
            let Some(text) = name.as_str() else { return };
            if let (Some(end), Some(end_value)) = (end, end_value) {
                let error = FieldError::invalid(
                    end_path,
                    Val::Int(end_value),
                    "may not be specified when `port` is non-numeric",
                );
                refuse(
                    cx,
                    &META,
                    end.span,
                    &error,
                    "a port range needs a numeric `port`; drop `endPort` or give a number",
                );
            }
            for message in port_name(text) {
                let error = FieldError::invalid(path.child("port"), Val::str(text), message);
                refuse(
                    cx,
                    &META,
                    name.span,
                    &error,
                    "name a container port as the pods declare it, or give its number",
                );
            }
        }
        None => {
            if let (Some(end), Some(end_value)) = (end, end_value) {
                let error = FieldError::invalid(
                    end_path,
                    Val::Int(end_value),
                    "may not be specified when `port` is not specified",
                );
                refuse(cx, &META, end.span, &error, "a port range starts at `port`: give it, or drop `endPort`");
            }
        }
    }
}

/// `ValidateNetworkPolicyPeer` and `ValidateIPBlock`.
fn policy_peer(peer: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    if peer.as_mapping().is_none() {
        return;
    }
    let present = |key: &str| peer.get(key).is_some_and(|v| !v.is_null());
    let count = ["podSelector", "namespaceSelector", "ipBlock"].iter().filter(|k| present(k)).count();
    if count == 0 {
        if peer.entries().is_empty() {
            let error = FieldError::required(path.clone(), "must specify a peer");
            refuse(
                cx,
                &META,
                peer.span,
                &error,
                "select pods, namespaces or an `ipBlock`; `podSelector: {}` selects every pod in the namespace",
            );
        }
        return;
    }
    let Some(block) = peer.get("ipBlock").filter(|b| b.as_mapping().is_some()) else { return };
    if count > 1 {
        let error = FieldError::forbidden(path.clone(), "may not specify both ipBlock and another peer");
        let at = peer.entry("ipBlock").map_or(peer.span, |e| e.key.span);
        refuse(cx, &META, at, &error, "put the `ipBlock` in a peer of its own: each list item is one peer");
    }
    let block_path = path.child("ipBlock");
    let invalid_cidr = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
    let cidr_help = "write an address block such as `10.0.0.0/8` or `2001:db8::/64`";
    let Some((cidr_node, cidr_text)) = text(block.get("cidr")) else { return };
    let Some(cidr) = Cidr::parse(cidr_text) else {
        if !cidr_text.is_empty() {
            let error = FieldError::invalid(block_path.child("cidr"), Val::str(cidr_text), invalid_cidr);
            refuse(cx, &META, cidr_node.span, &error, cidr_help);
        }
        return;
    };
    for (k, except) in block.get("except").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        let Some((node, except_text)) = text(Some(except)) else { continue };
        let except_path = block_path.child("except").index(k);
        match Cidr::parse(except_text) {
            None => {
                let error = FieldError::invalid(except_path, Val::str(except_text), invalid_cidr);
                refuse(cx, &META, node.span, &error, cidr_help);
            }
            Some(inner) if !cidr.strictly_contains(&inner) => {
                let error =
                    FieldError::invalid(except_path, Val::str(except_text), "must be a strict subset of `cidr`");
                refuse(
                    cx,
                    &META,
                    node.span,
                    &error,
                    format!("list only blocks inside `{cidr_text}` and smaller than it"),
                );
            }
            Some(_) => {}
        }
    }
}
