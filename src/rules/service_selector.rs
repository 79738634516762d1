use super::common::links::{describe_pods, labels_text, service_finding};
use super::{Category, FixAvailability, Rule, RuleMeta};
use crate::check::inventory::{Inventory, PodGroup, ServiceFacts, same_namespace, selects};
use crate::finding::{Finding, Severity};
use crate::settings::Settings;

pub struct ServiceSelector;

static META: RuleMeta = RuleMeta {
    id: "service-selector",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A Service's selector matches no pod among the linted files",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/service-selector.md"),
};

/// How many near misses help lists: enough to show the typo, few enough to read.
const CLOSEST: usize = 3;

impl Rule for ServiceSelector {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn is_cross_object(&self) -> bool {
        true
    }

    /// Without a single workload in the run it stays silent, whatever the Services say.
    fn judged(&self, inventory: &Inventory) -> bool {
        !inventory.pods.is_empty()
    }

    fn check_inventory(&self, inventory: &Inventory, out: &mut Vec<(usize, Finding)>, settings: &Settings) {
        let Some(severity) = settings.severity_of(&META) else { return };
        // Without a single workload the run is a slice of the manifests (Services kept apart
        // from Deployments, say), and every Service would look unmatched.
        if inventory.pods.is_empty() {
            return;
        }
        for service in inventory.services.iter().filter(|s| s.selects_pods()) {
            if inventory.selected_by(service).next().is_some() {
                continue;
            }
            let within = match &service.namespace {
                Some(namespace) => format!(" in namespace `{namespace}`"),
                None => String::new(),
            };
            let message = format!(
                "the selector {} matches no pod{within} among the linted files, so the Service has no endpoints",
                labels_text(&service.selector)
            );
            let help = help(inventory, service);
            out.push((service.file, service_finding(&META, severity, service, &service.selector_at, message, help)));
        }
    }
}

fn help(inventory: &Inventory, service: &ServiceFacts) -> String {
    // The likeliest mistake after a typo: the right labels in the wrong namespace.
    let elsewhere: Vec<String> = inventory
        .pods
        .iter()
        .filter(|p| selects(&service.selector, &p.labels))
        .map(|p| {
            let namespace = p.namespace.as_deref().unwrap_or_default();
            format!("{} in namespace `{namespace}`", describe_pods(p, service))
        })
        .take(CLOSEST)
        .collect();
    if !elsewhere.is_empty() {
        return format!(
            "a Service selects pods in its own namespace only; these match but live elsewhere: {}",
            elsewhere.join("; ")
        );
    }
    let neighbours: Vec<&PodGroup> = inventory
        .pods
        .iter()
        .filter(|p| same_namespace(service.namespace.as_deref(), p.namespace.as_deref()))
        .collect();
    if neighbours.is_empty() {
        let namespace = service.namespace.as_deref().unwrap_or_default();
        return format!("no pod among the linted files is in namespace `{namespace}`");
    }
    let mut near: Vec<(Closeness, &PodGroup)> = neighbours
        .into_iter()
        .filter(|p| !p.labels.is_empty())
        .map(|p| (closeness(&service.selector, &p.labels), p))
        .collect();
    if near.is_empty() {
        return "none of the pods it could select has labels: label the pod template".to_string();
    }
    // Stable, so equally close pods keep the order they were given in.
    near.sort_by(|a, b| b.0.cmp(&a.0));
    let listed: Vec<String> = near
        .iter()
        .take(CLOSEST)
        .map(|(_, p)| format!("{} has {}", describe_pods(p, service), labels_text(&p.labels)))
        .collect();
    format!("closest pod labels: {}", listed.join("; "))
}

/// How near a label set comes to satisfying a selector: pairs it has, then keys it has (with a
/// different value), then how alike the spelling of the rest is.
struct Closeness {
    pairs: usize,
    keys: usize,
    spelling: f64,
}

impl Closeness {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.pairs, self.keys).cmp(&(other.pairs, other.keys)).then(self.spelling.total_cmp(&other.spelling))
    }
}

fn closeness(selector: &[(String, String)], labels: &[(String, String)]) -> Closeness {
    let pairs = selector.iter().filter(|pair| labels.contains(pair)).count();
    let keys = selector.iter().filter(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv != v)).count();
    let spelling = selector
        .iter()
        .map(|(k, v)| {
            let wanted = format!("{k}={v}");
            labels.iter().map(|(lk, lv)| strsim::jaro_winkler(&wanted, &format!("{lk}={lv}"))).fold(0.0, f64::max)
        })
        .sum();
    Closeness { pairs, keys, spelling }
}
