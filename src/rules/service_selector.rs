use rustc_hash::FxHashMap;

use super::common::links::{describe_pods, labels_text, quoted_list};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_SELECTOR, Target};
use crate::index::{IndexView, Label, ObjectClass, ObjectId, PodLabels, Selector};

pub struct ServiceSelector;

static META: RuleMeta = RuleMeta {
    id: "service-selector",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A Service's selector matches no pod among the linted files",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/service-selector.md"),
    scope: Scope::Run,
    // Without a single workload the run is a slice of the manifests (Services kept apart from
    // Deployments, say), and every Service would look unmatched.
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_SELECTOR],
    ..RuleMeta::DEFAULTS
};

/// How many near misses help lists: enough to show the typo, few enough to read.
const CLOSEST: usize = 3;

/// Most pods one selector's help compares itself with. Up to this many pods in a namespace, all
/// are compared; beyond it, those that share a pair, a key or a value with the selector (see
/// `IndexView::near_pods`). Help is computed for every reported Service, so its cost must stay
/// small and fixed however large the run.
const NEAR_CANDIDATES: usize = 8;

/// What help says for one selector in one namespace; every Service with both shares it.
enum Plan {
    Elsewhere(Vec<ObjectId>),
    NoPodInNamespace,
    NoLabels,
    /// The namespace has many pods, none sharing a key or value with the selector.
    NothingShared,
    /// The namespace has many pods, none close, some with the selector's key: the first values
    /// they have under it.
    OtherValues {
        key: String,
        values: Vec<String>,
    },
    Closest(Vec<ObjectId>),
}

type PlanKey<'i> = (Option<&'i str>, &'i Selector);

impl Rule for ServiceSelector {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let services = index.subjects("Service");
        cx.each(&services, FxHashMap::<PlanKey<'_>, Plan>::default, |service, plans, cx| {
            let object = index.object(service);
            let namespace = object.namespace();
            for reference in object.references_of(&SERVICE_SELECTOR) {
                let Target::Selector(selector) = &reference.target else { continue };
                if !index.select(namespace, selector).pods.is_empty() {
                    continue;
                }
                let within = match namespace {
                    Some(namespace) => format!(" in namespace `{namespace}`"),
                    None => String::new(),
                };
                let message = format!(
                    "the selector {} matches no pod{within} among the linted files, so the Service has no endpoints",
                    labels_text(selector)
                );
                cx.report(&META, service, &reference.at, message, || {
                    let plan = plans.entry((namespace, selector)).or_insert_with(|| plan(index, namespace, selector));
                    Some(render(index, plan, service, namespace))
                });
            }
        });
    }
}

fn plan(index: &IndexView<'_>, namespace: Option<&str>, selector: &Selector) -> Plan {
    let elsewhere = index.selected_elsewhere(namespace, selector, CLOSEST);
    if !elsewhere.is_empty() {
        return Plan::Elsewhere(elsewhere);
    }
    if !index.has_pods_near(namespace) {
        return Plan::NoPodInNamespace;
    }
    let near = index.near_pods(namespace, selector, NEAR_CANDIDATES);
    if near.close.is_empty() {
        // Few pods are listed whole; none means none has labels.
        if near.all || !index.has_labelled_pods_near(namespace) {
            return Plan::NoLabels;
        }
        // Many pods, none close: what they say under the selector's keys is the useful part.
        return match other_values(index, selector, &near.same_key) {
            Some((key, values)) => Plan::OtherValues { key, values },
            None => Plan::NothingShared,
        };
    }
    let hashed = &selector.hashed;
    let mut ranked: Vec<(Closeness, ObjectId)> = near
        .close
        .into_iter()
        .filter_map(|id| {
            let labels = &index.object(id).pod.as_ref()?.labels;
            let (closeness, compared) = closeness(selector, hashed, labels);
            index.work().similarity.fetch_add(compared, std::sync::atomic::Ordering::Relaxed);
            Some((closeness, id))
        })
        .collect();
    // Stable, so equally close pods keep the order they were given in.
    ranked.sort_by(|a, b| b.0.cmp(&a.0));
    Plan::Closest(ranked.into_iter().take(CLOSEST).map(|(_, id)| id).collect())
}

/// The first selector key that pods in `pods` carry, and up to `CLOSEST` distinct values they
/// have under it (from the labels they keep as text).
fn other_values(
    index: &IndexView<'_>,
    selector: &[(String, String)],
    pods: &[ObjectId],
) -> Option<(String, Vec<String>)> {
    selector.iter().find_map(|(key, _)| {
        let mut values: Vec<String> = Vec::new();
        for &id in pods {
            let labels = &index.object(id).pod.as_ref()?.labels;
            for (_, value) in labels.text.iter().filter(|(k, _)| k == key) {
                if values.len() < CLOSEST && !values.contains(value) {
                    values.push(value.clone());
                }
            }
        }
        (!values.is_empty()).then(|| (key.clone(), values))
    })
}

fn render(index: &IndexView<'_>, plan: &Plan, service: ObjectId, namespace: Option<&str>) -> String {
    match plan {
        Plan::Elsewhere(pods) => {
            let listed: Vec<String> = pods
                .iter()
                .map(|&id| {
                    let namespace = index.object(id).namespace().unwrap_or_default();
                    format!("{} in namespace `{namespace}`", describe_pods(index, id, service))
                })
                .collect();
            format!(
                "a Service selects pods in its own namespace only; these match but live elsewhere: {}",
                listed.join("; ")
            )
        }
        Plan::NoPodInNamespace => {
            format!("no pod among the linted files is in namespace `{}`", namespace.unwrap_or_default())
        }
        Plan::NoLabels => "none of the pods it could select has labels: label the pod template".to_string(),
        Plan::NothingShared => {
            let within = within(namespace);
            format!(
                "no pod{within} among the linted files has any of the selector's label keys or values: check the labels of the pod template it should select"
            )
        }
        Plan::OtherValues { key, values } => {
            let within = within(namespace);
            let listed = quoted_list(values, "or");
            format!(
                "no pod{within} among the linted files has labels close to the selector's; pods there set `{key}` to values such as {listed}"
            )
        }
        Plan::Closest(pods) => {
            let listed: Vec<String> = pods
                .iter()
                .filter_map(|&id| {
                    let labels = &index.object(id).pod.as_ref()?.labels;
                    let more = match labels.omitted {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    Some(format!("{} has {}{more}", describe_pods(index, id, service), labels_text(&labels.text)))
                })
                .collect();
            format!("closest pod labels: {}", listed.join("; "))
        }
    }
}

/// ` in namespace `ns``, or nothing for a selector applied wherever its Service is.
fn within(namespace: Option<&str>) -> String {
    match namespace {
        Some(namespace) => format!(" in namespace `{namespace}`"),
        None => String::new(),
    }
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

/// `hashed` holds the selector's pairs hashed. Spelling compares only what a typo leaves: for
/// each selector pair, the value of a label with its key, or the key of a label with its value
/// (a label with neither is no near miss of that pair). Returns how many spellings were
/// compared.
fn closeness(selector: &[(String, String)], hashed: &[Label], labels: &PodLabels) -> (Closeness, u64) {
    let pairs = hashed.iter().filter(|&&l| labels.has(l)).count();
    let keys = hashed.iter().filter(|&&l| labels.has_key_otherwise(l)).count();
    let mut compared = 0;
    let spelling = selector
        .iter()
        .map(|(key, value)| {
            labels
                .text
                .iter()
                .filter_map(|(lk, lv)| match (lk == key, lv == value) {
                    (true, true) => Some(1.0),
                    (true, false) => Some(crate::suggest::jaro_winkler(value, lv)),
                    (false, true) => Some(crate::suggest::jaro_winkler(key, lk)),
                    (false, false) => None,
                })
                .inspect(|_| compared += 1)
                .fold(0.0, f64::max)
        })
        .sum();
    (Closeness { pairs, keys, spelling }, compared)
}
