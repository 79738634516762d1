//! What the rules about selectors that match no pod share: the "closest labels" help (near
//! misses, matching pods in another namespace, values pods use under the selector's key), and
//! the weighing of a LabelSelector's `matchExpressions` against pods' labels.
use super::links::{describe_pods, is_placeholder, labels_text, quoted_list};
use crate::index::references::{Operator, Requirement};
use crate::index::{IndexView, Label, ObjectId, PodLabels, Selector};
use crate::rules::{RuleMeta, RunRuleContext};

/// How many near misses help lists: enough to show the typo, few enough to read.
pub const CLOSEST: usize = 3;

/// Most pods one selector's help compares itself with. Up to this many pods in a namespace, all
/// are compared; beyond it, those that share a pair, a key or a value with the selector (see
/// `IndexView::near_pods`). Help is computed for every reported selector, so its cost must stay
/// small and fixed however large the run.
const NEAR_CANDIDATES: usize = 8;

/// Most pods `matchExpressions` are weighed against, per selector: the pods its `matchLabels`
/// picked, or with no `matchLabels` the first pods of the namespace. Past it the selector is
/// not judged, so its cost stays fixed however many pods a namespace holds.
const EXPRESSION_WALK: usize = 256;

/// What help says for one selector in one namespace; every object with both shares it.
pub enum Plan {
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

/// A memo of plans by namespace and selector, one per chunk of subjects.
pub type PlanKey<'i> = (Option<&'i str>, &'i Selector);

pub fn plan(index: &IndexView<'_>, namespace: Option<&str>, selector: &Selector) -> Plan {
    let mut elsewhere = index.selected_elsewhere(namespace, selector, CLOSEST);
    // Pods elsewhere that the expressions exclude would not be selected there either.
    elsewhere.retain(|&id| index.object(id).pod.as_ref().is_some_and(|p| satisfies(&selector.expressions, &p.labels)));
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

/// The help of a plan. `kind` names the selecting object as help says it: `a Service`.
pub fn render(index: &IndexView<'_>, plan: &Plan, subject: ObjectId, namespace: Option<&str>, kind: &str) -> String {
    match plan {
        Plan::Elsewhere(pods) => {
            let listed: Vec<String> = pods
                .iter()
                .map(|&id| {
                    let namespace = index.object(id).namespace().unwrap_or_default();
                    format!("{} in namespace `{namespace}`", describe_pods(index, id, subject))
                })
                .collect();
            format!(
                "{kind} selects pods in its own namespace only; these match but live elsewhere: {}",
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
                    Some(format!("{} has {}", describe_pods(index, id, subject), labels_of(labels)))
                })
                .collect();
            format!("closest pod labels: {}", listed.join("; "))
        }
    }
}

/// A pod's labels as help shows them: those kept as text, and how many more it has.
fn labels_of(labels: &PodLabels) -> String {
    let more = match labels.omitted {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("{}{more}", labels_text(&labels.text))
}

/// ` in namespace `ns``, or nothing for a selector applied wherever its object is.
pub fn within(namespace: Option<&str>) -> String {
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

/// Whether a pod's labels meet one requirement, by the hashes every label keeps.
fn meets(requirement: &Requirement, labels: &PodLabels) -> bool {
    let key = Label::of(&requirement.key, "").key;
    let has_key = labels.hashed.iter().any(|l| l.key == key);
    let has_value = || requirement.values.iter().any(|v| labels.has(Label::of(&requirement.key, v)));
    match requirement.operator {
        Operator::In => has_value(),
        // A pod without the key is not one of the excluded values.
        Operator::NotIn => !has_value(),
        Operator::Exists => has_key,
        Operator::DoesNotExist => !has_key,
        Operator::Invalid => false,
    }
}

/// Whether a pod's labels meet every requirement (the requirements are ANDed).
pub fn satisfies(requirements: &[Requirement], labels: &PodLabels) -> bool {
    requirements.iter().all(|r| meets(r, labels))
}

/// A requirement as a selector's string form writes it: `tier in (web, api)`, `canary exists`.
fn requirement_text(requirement: &Requirement) -> String {
    let values = requirement.values.join(", ");
    let key = &requirement.key;
    match requirement.operator {
        Operator::In => format!("{key} in ({values})"),
        Operator::NotIn => format!("{key} notin ({values})"),
        Operator::Exists => format!("{key} exists"),
        Operator::DoesNotExist => format!("{key} does not exist"),
        Operator::Invalid => key.clone(),
    }
}

/// A LabelSelector as messages quote it: its pairs as `labels_text` writes them, then its
/// expressions.
pub fn selector_text(selector: &Selector) -> String {
    if selector.expressions.is_empty() {
        return labels_text(&selector.pairs);
    }
    let mut parts: Vec<String> = selector.pairs.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    parts.extend(selector.expressions.iter().map(requirement_text));
    format!("`{}`", parts.join(", "))
}

/// A selector not to judge: a template placeholder in a key or value, or an expression the API
/// server refuses.
pub fn unjudged(selector: &Selector) -> bool {
    let placeholder = |text: &str| is_placeholder(text);
    selector.pairs.iter().any(|(k, v)| placeholder(k) || placeholder(v))
        || selector
            .expressions
            .iter()
            .any(|r| !r.is_valid() || placeholder(&r.key) || r.values.iter().any(|v| placeholder(v)))
}

/// Whether a selector picks pods the cluster runs itself in kube-system: the control plane's
/// static pods (kubeadm labels them `component: kube-apiserver`, …) and the add-ons every
/// cluster has (`k8s-app: kube-dns`, `kube-proxy`). Monitoring stacks select them by these
/// labels, and no manifest of the run makes them.
pub fn made_by_the_cluster(namespace: Option<&str>, selector: &[(String, String)]) -> bool {
    const COMPONENTS: &[&str] = &["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];
    const ADD_ONS: &[&str] = &["kube-dns", "kube-proxy", "coredns"];
    namespace == Some("kube-system")
        && selector.iter().any(|(key, value)| match key.as_str() {
            "component" | "tier" => COMPONENTS.contains(&value.as_str()) || value == "control-plane",
            "k8s-app" => ADD_ONS.contains(&value.as_str()),
            _ => false,
        })
}

/// What a LabelSelector picks in a namespace, as far as the run can tell.
pub enum Verdict {
    /// Some pod, or more pods than are weighed: nothing to say.
    Selects,
    /// `matchLabels` matches no pod (the expressions, ANDed, cannot add any).
    NoPairMatch,
    /// Pods pass `matchLabels` (or there is none), and `matchExpressions` exclude every one:
    /// these, at most `CLOSEST`, fewest failed requirements first.
    Excluded(Vec<ObjectId>),
}

/// Weighs a non-empty selector against the pods of the run it could reach.
pub fn verdict(index: &IndexView<'_>, namespace: Option<&str>, selector: &Selector) -> Verdict {
    let candidates: Vec<ObjectId> = if selector.pairs.is_empty() {
        index.pods_near(namespace, EXPRESSION_WALK + 1)
    } else {
        let selected = index.select(namespace, selector);
        if selected.pods.is_empty() {
            // Pods an operator makes from a custom resource of the run, and the cluster's own,
            // are in no manifest.
            if index.operated_by(namespace, selector).is_some() || made_by_the_cluster(namespace, selector) {
                return Verdict::Selects;
            }
            return Verdict::NoPairMatch;
        }
        selected.pods.iter().copied().take(EXPRESSION_WALK + 1).collect()
    };
    if selector.expressions.is_empty() || candidates.is_empty() || candidates.len() > EXPRESSION_WALK {
        return Verdict::Selects;
    }
    let labels = |id: ObjectId| index.object(id).pod.as_ref().map(|p| &p.labels);
    let mut failing: Vec<(usize, ObjectId)> = Vec::with_capacity(candidates.len());
    for id in candidates {
        let Some(labels) = labels(id) else { continue };
        let failed = selector.expressions.iter().filter(|r| !meets(r, labels)).count();
        if failed == 0 {
            return Verdict::Selects;
        }
        failing.push((failed, id));
    }
    // Stable: equally close pods keep run order.
    failing.sort_by_key(|&(failed, _)| failed);
    Verdict::Excluded(failing.into_iter().take(CLOSEST).map(|(_, id)| id).collect())
}

/// Help for pods that `matchExpressions` exclude: each with its labels and the first
/// requirement it fails.
pub fn render_excluded(index: &IndexView<'_>, pods: &[ObjectId], subject: ObjectId, selector: &Selector) -> String {
    let listed: Vec<String> = pods
        .iter()
        .filter_map(|&id| {
            let labels = &index.object(id).pod.as_ref()?.labels;
            let failed = selector.expressions.iter().find(|r| !meets(r, labels))?;
            let has = if labels.is_empty() { "no labels".to_string() } else { labels_of(labels) };
            let pods = describe_pods(index, id, subject);
            Some(format!("{pods} has {has}, which `{}` excludes", requirement_text(failed)))
        })
        .collect();
    format!("closest pods: {}", listed.join("; "))
}

/// The words a rule about a LabelSelector reports with.
pub struct Selecting<'m> {
    pub rule: &'static RuleMeta,
    /// The selecting object as help names it: `a PodDisruptionBudget`.
    pub kind: &'m str,
    /// The selector as the message names it: `the selector`, `the pod selector`.
    pub what: &'m str,
    /// What follows when it selects nothing: `the PodDisruptionBudget limits no eviction`.
    pub consequence: &'m str,
}

/// Reports a non-empty LabelSelector that selects no pod of the namespace, when the run holds a
/// pod there to judge it by (else the pods are evidently linted elsewhere). `at` is where the
/// selector is written.
pub fn report_unselected<'i>(
    index: &IndexView<'i>,
    cx: &mut RunRuleContext<'_>,
    plans: &mut rustc_hash::FxHashMap<PlanKey<'i>, Plan>,
    subject: ObjectId,
    reference: &'i crate::index::Reference,
    selector: &'i Selector,
    words: &Selecting<'_>,
) {
    let namespace = index.object(subject).namespace();
    if selector.is_empty() || unjudged(selector) || !index.has_pods_near(namespace) {
        return;
    }
    let Selecting { rule, kind, what, consequence } = *words;
    let text = selector_text(selector);
    let within = within(namespace);
    match verdict(index, namespace, selector) {
        Verdict::Selects => {}
        Verdict::NoPairMatch => {
            let message = if selector.expressions.is_empty() {
                format!("{what} {text} matches no pod{within} among the linted files, so {consequence}")
            } else {
                let pairs = labels_text(&selector.pairs);
                format!("{what}'s `matchLabels` {pairs} match no pod{within} among the linted files, so {consequence}")
            };
            cx.report(rule, subject, &reference.at, message, || {
                let plan = plans.entry((namespace, selector)).or_insert_with(|| plan(index, namespace, selector));
                Some(render(index, plan, subject, namespace, kind))
            });
        }
        Verdict::Excluded(pods) => {
            let message = format!("{what} {text} matches no pod{within} among the linted files, so {consequence}");
            cx.report(rule, subject, &reference.at, message, || Some(render_excluded(index, &pods, subject, selector)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(pairs: &[(&str, &str)]) -> PodLabels {
        PodLabels::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), &[])
    }

    fn requirement(key: &str, operator: Operator, values: &[&str]) -> Requirement {
        Requirement { key: key.into(), operator, values: values.iter().map(|v| v.to_string()).collect() }
    }

    #[test]
    fn expressions_follow_label_selector_semantics() {
        let web = pod(&[("app", "web"), ("tier", "front")]);
        let bare = pod(&[]);
        let is = |r: Requirement, labels: &PodLabels| satisfies(&[r], labels);
        assert!(is(requirement("tier", Operator::In, &["back", "front"]), &web));
        assert!(!is(requirement("tier", Operator::In, &["back"]), &web));
        assert!(!is(requirement("tier", Operator::In, &["front"]), &bare));
        assert!(is(requirement("tier", Operator::NotIn, &["back"]), &web));
        assert!(!is(requirement("tier", Operator::NotIn, &["front"]), &web));
        assert!(is(requirement("tier", Operator::NotIn, &["front"]), &bare));
        assert!(is(requirement("app", Operator::Exists, &[]), &web));
        assert!(!is(requirement("app", Operator::Exists, &[]), &bare));
        assert!(is(requirement("canary", Operator::DoesNotExist, &[]), &web));
        assert!(!is(requirement("app", Operator::DoesNotExist, &[]), &web));
        // ANDed: every requirement must hold.
        let both = [requirement("app", Operator::Exists, &[]), requirement("tier", Operator::In, &["back"])];
        assert!(!satisfies(&both, &web));
        assert!(satisfies(&[], &bare));
    }

    #[test]
    fn selectors_read_as_written() {
        let mut selector = Selector::new(vec![("app".into(), "web".into())]);
        assert_eq!(selector_text(&selector), "`app: web`");
        selector.expressions =
            vec![requirement("tier", Operator::In, &["a", "b"]), requirement("canary", Operator::DoesNotExist, &[])];
        assert_eq!(selector_text(&selector), "`app: web, tier in (a, b), canary does not exist`");
        assert!(!unjudged(&selector));
        selector.expressions.push(requirement("x", Operator::In, &[]));
        assert!(unjudged(&selector), "`In` without values is refused");
        assert!(unjudged(&Selector::new(vec![("app".into(), "${APP}".into())])));
    }
}
