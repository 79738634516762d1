use super::common::links::{describe_pods, did_you_mean, is_quoted_number, port_name_problem, quoted_list};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_SELECTOR, SERVICE_TARGET_PORT, Target};
use crate::index::{IndexView, ObjectClass};

pub struct ServiceTargetPort;

static META: RuleMeta = RuleMeta {
    id: "service-target-port",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A Service's named targetPort is declared by none of the pods it selects",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/service-target-port.md"),
    scope: Scope::Run,
    // Without a single workload it can judge quoted numbers only, not port names.
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_SELECTOR, &SERVICE_TARGET_PORT],
    ..RuleMeta::DEFAULTS
};

impl Rule for ServiceTargetPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let has_pods = cx.has_input(&META, index);
        let services = index.subjects("Service");
        cx.each(&services, || (), |service, _, cx| {
            let object = index.object(service);
            let mut ports = object.references_of(&SERVICE_TARGET_PORT).peekable();
            if ports.peek().is_none() {
                return;
            }
            let named: Vec<(&str, &crate::finding::Location)> = ports
                .filter_map(|r| match &r.target {
                    Target::Name(name) => Some((name.as_str(), &r.at)),
                    _ => None,
                })
                .collect();
            // A quoted number is wrong whatever the Service selects, so it needs no pods.
            for &(port, at) in named.iter().filter(|(p, _)| is_quoted_number(p)) {
                let message = format!(
                    "target port `{port}` is a quoted number, which Kubernetes reads as a port name; a name needs a letter, so the API server rejects it"
                );
                cx.report(&META, service, at, message, || {
                    Some(format!("write the number without quotes: `targetPort: {port}`"))
                });
            }
            let selector = object.references_of(&SERVICE_SELECTOR).find_map(|r| match &r.target {
                Target::Selector(selector) => Some(selector),
                _ => None,
            });
            let (true, Some(selector)) = (has_pods, selector) else { return };
            // Selecting nothing is service-selector's finding; every name would look undeclared.
            let selection = index.select(object.namespace(), selector);
            if selection.pods.is_empty() {
                return;
            }
            let names: Vec<&str> = selection.port_names.iter().map(String::as_str).collect();
            let listed: Vec<String> =
                selection.pods.iter().take(3).map(|&p| describe_pods(index, p, service)).collect();
            let more = if selection.pods.len() > listed.len() { ", …" } else { "" };
            let pods = format!("{}{more}", listed.join(", "));
            for &(port, at) in &named {
                if is_quoted_number(port) || names.contains(&port) {
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
                let names = &names;
                cx.report(&META, service, at, message, || {
                    Some(if names.is_empty() {
                        format!(
                            "the selected pods declare no named ports: name the container port `{port}`, or write its number"
                        )
                    } else {
                        let listed = format!("the selected pods declare {}", quoted_list(names, "and"));
                        match did_you_mean(port, names) {
                            Some(guess) => format!("{listed}; did you mean `{guess}`?"),
                            None => listed,
                        }
                    })
                });
            }
        });
    }
}
