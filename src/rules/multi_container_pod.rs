use super::{Category, Context, FixAvailability, OptionSpec, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::object::{ContainerKind, Object};

pub struct MultiContainerPod;

static META: RuleMeta = RuleMeta {
    id: "multi-container-pod",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A pod runs more than one app container",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/multi-container-pod.md"),
    options: &[&ALLOWED_SIDECARS],
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

/// Helpers a team has decided belong beside their main container (a mesh proxy, a log shipper).
static ALLOWED_SIDECARS: OptionSpec =
    OptionSpec::strings("allowed-sidecars", &[], "container names that do not count as app containers");

/// Native sidecars are on by default from 1.29 (beta; GA in 1.33): before that, suggesting
/// them would suggest something the cluster ignores.
const NATIVE_SIDECARS: KubeVersion = KubeVersion::new(1, 29);

impl Rule for MultiContainerPod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        // Only `containers` counts: native sidecars (init containers with `restartPolicy:
        // Always`) are the sanctioned way to run helpers, and ordinary init containers finish
        // before the app starts.
        let options = cx.options(&META);
        let allowed = options.strings(&ALLOWED_SIDECARS);
        let apps: Vec<_> = template
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::App)
            .filter(|c| !c.name.is_some_and(|name| allowed.iter().any(|a| a == name)))
            .collect();
        if apps.len() < 2 {
            return;
        }
        let Some(entry) = template.spec().entry("containers") else { return };
        let names: Vec<String> =
            apps.iter().map(|c| c.name.map_or("an unnamed container".to_string(), |n| format!("`{n}`"))).collect();
        let main = &names[0];
        let extra = join(&names[1..]);
        let message = format!(
            "{} app containers in one pod ({}); the guideline is one pod, one container",
            apps.len(),
            names.join(", ")
        );
        let (own, they, them, names_of) = if apps.len() == 2 {
            ("a workload of its own", "it is a helper", "it a native sidecar (an init container", "its name")
        } else {
            ("workloads of their own", "they are helpers", "them native sidecars (init containers", "their names")
        };
        let native = if cx.target() >= NATIVE_SIDECARS {
            format!("make {them} with `restartPolicy: Always`) or ")
        } else {
            String::new()
        };
        let help = format!(
            "give {extra} {own}; if {they} that must run beside {main}, {native}list {names_of} under \
             `rules: {{multi-container-pod: {{allowed-sidecars: [...]}}}}` in `.podlint.yaml`"
        );
        cx.report(&META, entry.key.span, message).help(help);
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
