use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::{ContainerKind, Object};
use crate::yaml::Node;

pub struct MissingResources;

static META: RuleMeta = RuleMeta {
    id: "missing-resources",
    severity: Severity::Warning,
    category: Category::Resources,
    summary: "A container has no CPU or memory request or limit",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-resources.md"),
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

/// The four settings, in the order messages list them: memory first, since a missing memory
/// limit is the one that takes a node down.
const SETTINGS: [(&str, &str, &str); 4] = [
    ("requests", "memory", "memory request"),
    ("limits", "memory", "memory limit"),
    ("requests", "cpu", "CPU request"),
    ("limits", "cpu", "CPU limit"),
];

impl Rule for MissingResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        // Pod-level resources (Kubernetes 1.32+) cover every container for what they set.
        let pod_level = template.spec().get("resources");
        for container in template.containers() {
            // The API rejects resources on ephemeral containers, so there is nothing to ask for.
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let resources = container.node.entry("resources");
            let missing: Vec<_> = SETTINGS
                .iter()
                .filter(|(list, name, _)| {
                    !sets(pod_level, list, name) && !sets(resources.map(|e| &e.value), list, name)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let what = if missing.len() == SETTINGS.len() {
                "no CPU or memory requests or limits".to_string()
            } else {
                join(&missing.iter().map(|(_, _, label)| format!("no {label}")).collect::<Vec<_>>())
            };
            let fields = missing.iter().map(|(list, name, _)| format!("`resources.{list}.{name}`")).collect::<Vec<_>>();
            let span = resources.map_or_else(|| container.anchor(), |e| e.key.span);
            let mut why = Vec::new();
            if missing.iter().any(|(list, _, _)| *list == "requests") {
                why.push("requests let the scheduler place the pod where it fits");
            }
            if missing.iter().any(|(list, _, _)| *list == "limits") {
                why.push("limits keep it from starving its neighbours");
            }
            cx.report(&META, span, format!("{} has {what}", container.describe())).help(format!(
                "set {}: {}",
                join(&fields),
                why.join("; ")
            ));
        }
    }
}

fn sets(resources: Option<&Node<'_>>, list: &str, name: &str) -> bool {
    resources.and_then(|r| r.get(list)).and_then(|l| l.get(name)).is_some_and(|v| !v.is_null())
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
