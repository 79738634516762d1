use super::common::links::{MissingName, did_you_mean, is_placeholder, place_of, quoted_list, report_missing_name};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{
    INGRESS_BACKEND_PORT_NAME, INGRESS_DEFAULT_BACKEND_PORT_NAME, INGRESS_ROWS, Reference, Target,
};
use crate::index::{IndexView, ObjectId};

pub struct IngressBackend;

static META: RuleMeta = RuleMeta {
    id: "ingress-backend",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "An Ingress backend names a Service, or a port of it, that is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/ingress-backend.md"),
    scope: Scope::Run,
    references: &INGRESS_ROWS,
    ..RuleMeta::DEFAULTS
};

impl Rule for IngressBackend {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let ingresses = index.subjects("Ingress");
        cx.each(
            &ingresses,
            || (),
            |ingress, _, cx| {
                let object = index.object(ingress);
                for reference in &object.references {
                    if INGRESS_ROWS.iter().any(|row| std::ptr::eq(*row, reference.row)) {
                        check(index, cx, ingress, object.namespace(), reference);
                    }
                }
            },
        );
    }
}

fn check(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    ingress: ObjectId,
    namespace: Option<&str>,
    reference: &Reference,
) {
    let by_name = std::ptr::eq(reference.row, &INGRESS_BACKEND_PORT_NAME)
        || std::ptr::eq(reference.row, &INGRESS_DEFAULT_BACKEND_PORT_NAME);
    match &reference.target {
        // The port-name rows repeat the name references of the port-number rows.
        Target::Name(name)
            if !by_name
                && !name.is_empty()
                && !is_placeholder(name)
                && index.named("Service", namespace, name).is_empty() =>
        {
            let consequence = "requests routed to this backend fail";
            let missing = MissingName { rule: &META, kind: "Service", name, consequence, remedy: "" };
            report_missing_name(index, cx, ingress, namespace, reference, missing);
        }
        Target::Key { name, key: port } if !is_placeholder(name) && !is_placeholder(port) => {
            let found = index.named("Service", namespace, name);
            // A legacy `servicePort` is a number or a name.
            let number = if by_name { None } else { port.parse::<i64>().ok() };
            let exposes = |id: &ObjectId| {
                index.object(*id).facts.ports.iter().any(|(n, p)| match number {
                    Some(number) => *n == Some(number),
                    None => p.as_deref() == Some(port.as_str()),
                })
            };
            let Some(&service) = found.first() else { return };
            if found.iter().any(exposes) {
                return;
            }
            let what = if number.is_some() { "port" } else { "port named" };
            let message = format!(
                "Service `{name}` exposes no {what} `{port}`, so requests routed to this backend fail (503 from the Ingress controller)"
            );
            cx.report(&META, ingress, &reference.at, message, || {
                let ports = &index.object(service).facts.ports;
                let listed: Vec<String> = ports
                    .iter()
                    .map(|(n, p)| match (n, p) {
                        (Some(n), Some(p)) => format!("{n} ({p})"),
                        (Some(n), None) => n.to_string(),
                        (None, Some(p)) => format!("? ({p})"),
                        (None, None) => "?".to_string(),
                    })
                    .collect();
                let place = place_of(index, service);
                if listed.is_empty() {
                    return Some(format!("Service `{name}` ({place}) declares no ports"));
                }
                let names: Vec<&str> = ports.iter().filter_map(|(_, p)| p.as_deref()).collect();
                let guess = match number {
                    None => did_you_mean(port, &names).map(|g| format!("; did you mean `{g}`?")),
                    Some(_) => None,
                };
                Some(format!(
                    "Service `{name}` ({place}) exposes {}{}",
                    quoted_list(&listed, "and"),
                    guess.unwrap_or_default()
                ))
            });
            if let Some((_, raw)) = cx.findings.last_mut() {
                raw.severity(Severity::Error);
            }
        }
        _ => {}
    }
}
