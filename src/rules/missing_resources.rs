use super::{Category, Context, FixAvailability, OptionSpec, Rule, RuleMeta};
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
    options: &[
        &MEMORY_REQUEST,
        &MEMORY_LIMIT,
        &CPU_REQUEST,
        &CPU_LIMIT,
        &EPHEMERAL_STORAGE_REQUEST,
        &EPHEMERAL_STORAGE_LIMIT,
    ],
    ..RuleMeta::DEFAULTS
};

static MEMORY_REQUEST: OptionSpec = OptionSpec::flag("memory-request", true, "require a memory request");
static MEMORY_LIMIT: OptionSpec = OptionSpec::flag("memory-limit", true, "require a memory limit");
static CPU_REQUEST: OptionSpec = OptionSpec::flag("cpu-request", true, "require a CPU request");
/// Many teams set no CPU limit on purpose: a limit throttles a container even when the node
/// has idle CPU, and the request already guarantees its share.
static CPU_LIMIT: OptionSpec = OptionSpec::flag(
    "cpu-limit",
    true,
    "require a CPU limit (turn off when the team sets none on purpose, to avoid throttling)",
);
static EPHEMERAL_STORAGE_REQUEST: OptionSpec =
    OptionSpec::flag("ephemeral-storage-request", false, "require an ephemeral-storage request");
static EPHEMERAL_STORAGE_LIMIT: OptionSpec =
    OptionSpec::flag("ephemeral-storage-limit", false, "require an ephemeral-storage limit");

/// One setting a container may be asked for.
struct Setting {
    list: &'static str,
    resource: &'static str,
    label: &'static str,
    option: &'static OptionSpec,
}

/// The settings, in the order messages list them: memory first, since a missing memory limit
/// is the one that takes a node down.
const SETTINGS: [Setting; 6] = [
    Setting { list: "requests", resource: "memory", label: "memory request", option: &MEMORY_REQUEST },
    Setting { list: "limits", resource: "memory", label: "memory limit", option: &MEMORY_LIMIT },
    Setting { list: "requests", resource: "cpu", label: "CPU request", option: &CPU_REQUEST },
    Setting { list: "limits", resource: "cpu", label: "CPU limit", option: &CPU_LIMIT },
    Setting {
        list: "requests",
        resource: "ephemeral-storage",
        label: "ephemeral-storage request",
        option: &EPHEMERAL_STORAGE_REQUEST,
    },
    Setting {
        list: "limits",
        resource: "ephemeral-storage",
        label: "ephemeral-storage limit",
        option: &EPHEMERAL_STORAGE_LIMIT,
    },
];

/// The four settings required by default: missing all of them has a message of its own.
const DEFAULT_FOUR: usize = 4;

impl Rule for MissingResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        let options = cx.options(&META);
        let required: Vec<&Setting> = SETTINGS.iter().filter(|s| options.flag(s.option)).collect();
        if required.is_empty() {
            return;
        }
        // Pod-level resources (Kubernetes 1.32+) cover every container for what they set.
        let pod_level = template.spec().get("resources");
        for container in template.containers() {
            // The API rejects resources on ephemeral containers, so there is nothing to ask for.
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let resources = container.node.entry("resources");
            let missing: Vec<&Setting> = required
                .iter()
                .copied()
                .filter(|s| !sets(pod_level, s) && !sets(resources.map(|e| &e.value), s))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let cpu_and_memory = |s: &&Setting| s.resource == "cpu" || s.resource == "memory";
            let what = if missing.len() == DEFAULT_FOUR && missing.iter().all(cpu_and_memory) {
                "no CPU or memory requests or limits".to_string()
            } else {
                join(&missing.iter().map(|s| format!("no {}", s.label)).collect::<Vec<_>>())
            };
            let fields = missing.iter().map(|s| format!("`resources.{}.{}`", s.list, s.resource)).collect::<Vec<_>>();
            let span = resources.map_or_else(|| container.anchor(), |e| e.key.span);
            let mut why = Vec::new();
            if missing.iter().any(|s| s.list == "requests") {
                why.push("requests let the scheduler place the pod where it fits".to_string());
            }
            if missing.iter().any(|s| s.list == "limits") {
                why.push("limits keep it from starving its neighbours".to_string());
            }
            // A CPU limit is the one teams leave out on purpose: say how to stop asking.
            if missing.iter().any(|s| std::ptr::eq(s.option, &CPU_LIMIT)) {
                why.push(
                    "no CPU limits on purpose? set `cpu-limit: false` under `rules.missing-resources`".to_string(),
                );
            }
            cx.report(&META, span, format!("{} has {what}", container.describe())).help(format!(
                "set {}: {}",
                join(&fields),
                why.join("; ")
            ));
        }
    }
}

fn sets(resources: Option<&Node<'_>>, setting: &Setting) -> bool {
    resources.and_then(|r| r.get(setting.list)).and_then(|l| l.get(setting.resource)).is_some_and(|v| !v.is_null())
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
