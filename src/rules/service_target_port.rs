use super::common::links::{
    describe_pods, did_you_mean, is_quoted_number, port_name_problem, quoted_list, service_finding,
};
use super::{Category, FixAvailability, Rule, RuleMeta};
use crate::check::inventory::{Inventory, PodGroup};
use crate::finding::{Finding, Severity};
use crate::settings::Settings;

pub struct ServiceTargetPort;

static META: RuleMeta = RuleMeta {
    id: "service-target-port",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A Service's named targetPort is declared by none of the pods it selects",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/service-target-port.md"),
};

impl Rule for ServiceTargetPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_cross_object(&self) -> bool {
        true
    }

    /// Without a single workload in the run it can judge quoted numbers only, not port names.
    fn judged(&self, inventory: &Inventory) -> bool {
        !inventory.pods.is_empty()
    }

    fn check_inventory(&self, inventory: &Inventory, out: &mut Vec<(usize, Finding)>, settings: &Settings) {
        let Some(severity) = settings.severity_of(&META) else { return };
        for service in &inventory.services {
            // A quoted number is wrong whatever the Service selects, so it needs no pods.
            for (port, at) in service.named_target_ports.iter().filter(|(p, _)| is_quoted_number(p)) {
                let message = format!(
                    "target port `{port}` is a quoted number, which Kubernetes reads as a port name; a name needs a letter, so the API server rejects it"
                );
                let help = format!("write the number without quotes: `targetPort: {port}`");
                out.push((service.file, service_finding(&META, severity, service, at, message, help)));
            }
            if !service.selects_pods() {
                continue;
            }
            // Selecting nothing is service-selector's finding; every name would look undeclared.
            let selected: Vec<&PodGroup> = inventory.selected_by(service).collect();
            if selected.is_empty() {
                continue;
            }
            let mut names: Vec<&str> = selected.iter().flat_map(|p| p.port_names.iter().map(String::as_str)).collect();
            names.sort_unstable();
            names.dedup();
            let pods: Vec<String> = selected.iter().take(3).map(|p| describe_pods(p, service)).collect();
            let more = if selected.len() > pods.len() { ", …" } else { "" };
            let pods = format!("{}{more}", pods.join(", "));
            for (port, at) in &service.named_target_ports {
                if is_quoted_number(port) || names.contains(&port.as_str()) {
                    continue;
                }
                let message = match port_name_problem(port) {
                    Some(problem) => format!(
                        "target port `{port}` is declared by none of the pods the Service selects ({pods}), nor can it be a port name ({problem}), so the API server rejects it"
                    ),
                    None => format!(
                        "target port `{port}` is declared by none of the pods the Service selects ({pods}), so that Service port has no endpoints"
                    ),
                };
                let help = if names.is_empty() {
                    format!(
                        "the selected pods declare no named ports: name the container port `{port}`, or write its number"
                    )
                } else {
                    let listed = format!("the selected pods declare {}", quoted_list(&names, "and"));
                    match did_you_mean(port, &names) {
                        Some(guess) => format!("{listed}; did you mean `{guess}`?"),
                        None => listed,
                    }
                };
                out.push((service.file, service_finding(&META, severity, service, at, message, help)));
            }
        }
    }
}
