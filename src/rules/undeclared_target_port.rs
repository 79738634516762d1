use super::common::links::{describe_pods, did_you_mean, quoted_list};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_PORT_AS_TARGET, SERVICE_SELECTOR, SERVICE_TARGET_PORT_NUMBER, Target};
use crate::index::{IndexView, ObjectClass};

pub struct UndeclaredTargetPort;

// Info, not warning: a container's `ports` list is informational (the API reference says so),
// and a process may listen on a port it does not declare; traffic still reaches it. But when
// every selected pod declares its ports and none declares this one, the usual cause is a Service
// written for another port (the tutorial's 80 against the app's 8080).
static META: RuleMeta = RuleMeta {
    id: "undeclared-target-port",
    severity: Severity::Info,
    category: Category::Networking,
    summary: "A Service forwards to a port number that none of the pods it selects declares",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/undeclared-target-port.md"),
    scope: Scope::Run,
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_SELECTOR, &SERVICE_TARGET_PORT_NUMBER, &SERVICE_PORT_AS_TARGET],
    ..RuleMeta::DEFAULTS
};

impl Rule for UndeclaredTargetPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let services = index.subjects("Service");
        cx.each(&services, || (), |service, _, cx| {
            let object = index.object(service);
            let ports: Vec<_> = object
                .references_of(&SERVICE_TARGET_PORT_NUMBER)
                .chain(object.references_of(&SERVICE_PORT_AS_TARGET))
                .filter_map(|r| match r.target {
                    Target::Port(number) => Some((number, r)),
                    _ => None,
                })
                .collect();
            if ports.is_empty() {
                return;
            }
            let selector = object.references_of(&SERVICE_SELECTOR).find_map(|r| match &r.target {
                Target::Selector(selector) => Some(selector),
                _ => None,
            });
            let Some(selector) = selector else { return };
            let selection = index.select(object.namespace(), selector);
            // A pod that declares no ports says nothing of what it listens on.
            let all_declare = |id: &_| index.object(*id).pod.as_ref().is_some_and(|p| !p.port_numbers.is_empty());
            if selection.pods.is_empty() || !selection.pods.iter().all(all_declare) {
                return;
            }
            let declared = &selection.port_numbers;
            let listed: Vec<String> = selection.pods.iter().take(3).map(|&p| describe_pods(index, p, service)).collect();
            let more = if selection.pods.len() > listed.len() { ", …" } else { "" };
            let pods = format!("{}{more}", listed.join(", "));
            for (number, reference) in ports {
                if declared.contains(&number) {
                    continue;
                }
                let message = if std::ptr::eq(reference.row, &SERVICE_PORT_AS_TARGET) {
                    format!(
                        "Service port `{number}` writes no targetPort, so it forwards to port {number}, which none of the pods it selects ({pods}) declares; unless a process listens there undeclared, connections to it are refused"
                    )
                } else {
                    format!(
                        "target port `{number}` is declared by none of the pods the Service selects ({pods}); unless a process listens there undeclared, connections to that Service port are refused"
                    )
                };
                cx.report(&META, service, &reference.at, message, || {
                    let numbers: Vec<String> = declared.iter().map(i64::to_string).collect();
                    let plural = if numbers.len() == 1 { "" } else { "s" };
                    let listed = format!("the selected pods declare container port{plural} {}", quoted_list(&numbers, "and"));
                    let written: Vec<&str> = numbers.iter().map(String::as_str).collect();
                    let guess = match written.as_slice() {
                        [only] => Some(*only),
                        _ => did_you_mean(&number.to_string(), &written),
                    };
                    Some(match guess {
                        Some(guess) => format!("{listed}; did you mean `targetPort: {guess}`?"),
                        None => listed,
                    })
                });
            }
        });
    }
}
