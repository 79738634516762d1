use super::common::links::{did_you_mean, is_quoted_number, port_name_problem, quoted_list};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::{Container, Object};
use crate::yaml::Node;

pub struct ProbePort;

static META: RuleMeta = RuleMeta {
    id: "probe-port",
    severity: Severity::Error,
    category: Category::Workloads,
    summary: "A probe or lifecycle hook names a port its container does not declare",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/probe-port.md"),
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

const PROBES: [(&str, &str); 3] =
    [("livenessProbe", "liveness probe"), ("readinessProbe", "readiness probe"), ("startupProbe", "startup probe")];

/// Hooks run only `exec`, `httpGet` and `sleep`: a `tcpSocket` hook fails whatever its port, so
/// its port name is not worth checking here.
const HOOKS: [(&str, &str); 2] = [("postStart", "postStart hook"), ("preStop", "preStop hook")];

impl Rule for ProbePort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        for container in template.containers() {
            let declared = declared_ports(&container);
            for (key, what) in PROBES {
                let Some(probe) = container.node.get(key) else { continue };
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some(port) = probe.get(action).and_then(|a| a.get("port")) {
                        check_port(cx, &container, &declared, what, action, port);
                    }
                }
            }
            for (key, what) in HOOKS {
                let port = container.node.path(&["lifecycle", key, "httpGet", "port"]);
                if let Some(port) = port {
                    check_port(cx, &container, &declared, what, "httpGet", port);
                }
            }
        }
    }
}

/// The container's named ports, with their numbers when written.
fn declared_ports<'t>(container: &Container<'t, '_>) -> Vec<(&'t str, Option<i64>)> {
    container
        .node
        .get("ports")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| Some((p.get("name")?.scalar_text()?, p.get("containerPort").and_then(Node::as_i64))))
        .collect()
}

fn check_port(
    cx: &mut Context<'_>,
    container: &Container<'_, '_>,
    declared: &[(&str, Option<i64>)],
    what: &str,
    action: &str,
    port: &Node<'_>,
) {
    // A number needs no declaration: a container's `ports` list is informational, and the
    // kubelet probes whatever number it is given.
    let Some(name) = port.as_str() else { return };
    if name.is_empty() {
        return;
    }
    let names: Vec<&str> = declared.iter().map(|(n, _)| *n).collect();
    let number_of = |name: &str| declared.iter().find(|(n, _)| *n == name).and_then(|(_, number)| *number);
    let of = container.describe();
    if action == "grpc" {
        let help = match number_of(name) {
            Some(number) => format!("{of} declares `{name}` as port {number}: write `port: {number}`"),
            None if is_quoted_number(name) => format!("write the number without quotes: `port: {name}`"),
            None => "write the number of the port the gRPC health service listens on".to_string(),
        };
        cx.report(
            &META,
            port.span,
            format!("the {what}'s gRPC port `{name}` is a string, but a gRPC probe takes only a port number"),
        )
        .help(help);
        return;
    }
    if is_quoted_number(name) {
        cx.report(
            &META,
            port.span,
            format!(
                "the {what}'s port `{name}` is a quoted number, which Kubernetes reads as a port name; a name needs a letter, so the API server rejects it"
            ),
        )
        .help(format!("write the number without quotes: `port: {name}`"));
        return;
    }
    if names.contains(&name) {
        return;
    }
    let help = if names.is_empty() {
        format!("{of} declares no named ports: name the port under `ports`, or write its number")
    } else {
        let listed = format!("{of} declares {}", quoted_list(&names, "and"));
        match did_you_mean(name, &names) {
            Some(guess) => format!("{listed}; did you mean `{guess}`?"),
            None => listed,
        }
    };
    let message = match port_name_problem(name) {
        Some(problem) => {
            format!(
                "the {what}'s port `{name}` is not a port name {of} declares, nor can it be one ({problem}), so the API server rejects it"
            )
        }
        None => {
            let fails = if what.ends_with("hook") { "the hook always fails" } else { "the probe always fails" };
            format!("the {what}'s port `{name}` is not a port name {of} declares, so {fails}")
        }
    };
    cx.report(&META, port.span, message).help(help);
}
