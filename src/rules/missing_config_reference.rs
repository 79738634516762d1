use super::common::links::{MissingName, did_you_mean, is_placeholder, place_of, quoted_list, report_missing_name};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{CONFIG_ROWS, Points, Reference, Target};
use crate::index::{IndexView, ObjectClass, ObjectId};

pub struct MissingConfigReference;

static META: RuleMeta = RuleMeta {
    id: "missing-config-reference",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A ConfigMap or Secret a pod names, or a key it reads, is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-config-reference.md"),
    scope: Scope::Run,
    // Pods carry most of the references; without this their objects would not enter the index.
    needs: &[ObjectClass::Pods],
    references: &CONFIG_ROWS,
    ..RuleMeta::DEFAULTS
};

/// ConfigMaps every namespace has, made by the cluster.
const BUILT_IN_CONFIG_MAPS: &[&str] = &["kube-root-ca.crt"];

impl Rule for MissingConfigReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let subjects = index.pod_subjects();
        cx.each(
            &subjects,
            || (),
            |subject, _, cx| {
                let object = index.object(subject);
                let namespace = object.namespace();
                for reference in &object.references {
                    if reference.optional || !CONFIG_ROWS.iter().any(|row| std::ptr::eq(*row, reference.row)) {
                        continue;
                    }
                    let Points::Named(kind) = reference.row.points else { continue };
                    check(index, cx, subject, namespace, kind, reference);
                }
            },
        );
    }
}

fn check(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    subject: ObjectId,
    namespace: Option<&str>,
    kind: &'static str,
    reference: &Reference,
) {
    let (name, key) = match &reference.target {
        Target::Name(name) => (name.as_str(), None),
        Target::Key { name, key } => (name.as_str(), Some(key.as_str())),
        _ => return,
    };
    // An empty name is the schema stage's finding, not a missing object.
    if name.is_empty() || is_placeholder(name) || key.is_some_and(is_placeholder) || known(cx, kind, name) {
        return;
    }
    let found = index.named(kind, namespace, name);
    let Some(key) = key else {
        if found.is_empty() {
            // imagePullSecrets cannot say `optional: true`.
            let remedy = match reference.row.id {
                "image-pull-secret" => "suppress the finding",
                _ => "mark the reference `optional: true` or suppress the finding",
            };
            let consequence = consequence(reference);
            let missing = MissingName { rule: &META, kind, name, consequence, remedy };
            report_missing_name(index, cx, subject, namespace, reference, missing);
        }
        return;
    };
    // A missing name is reported once, at the name; keys of a target whose data is written
    // elsewhere (no data field at all) cannot be judged.
    let mut key_lists = Vec::new();
    for &id in &found {
        match &index.object(id).facts.keys {
            Some(keys) => key_lists.push((id, keys)),
            None => return,
        }
    }
    if key_lists.is_empty() || key_lists.iter().any(|(_, keys)| keys.binary_search_by(|k| k.as_str().cmp(key)).is_ok())
    {
        return;
    }
    let (target, keys) = key_lists[0];
    let message = format!("{kind} `{name}` has no key `{key}`, so {}", consequence(reference));
    cx.report(&META, subject, &reference.at, message, || {
        let names: Vec<&str> = keys.iter().map(String::as_str).collect();
        let place = place_of(index, target);
        Some(if names.is_empty() {
            format!("{kind} `{name}` ({place}) holds no keys")
        } else {
            let listed = format!("{kind} `{name}` ({place}) has {}", quoted_list(&names, "and"));
            match did_you_mean(key, &names) {
                Some(guess) => format!("{listed}; did you mean `{guess}`?"),
                None => listed,
            }
        })
    });
    if let Some((_, raw)) = cx.findings.last_mut() {
        raw.severity(Severity::Error);
    }
}

/// What a reference that does not resolve does to the object that writes it.
fn consequence(reference: &Reference) -> &'static str {
    match reference.row.id {
        "image-pull-secret" => "pulls from a private registry fail",
        "volume-config-map" | "volume-secret" | "projected-config-map" | "projected-secret" => {
            "the volume cannot be mounted and the pod does not start"
        }
        _ => "the container cannot start (CreateContainerConfigError)",
    }
}

/// Names that exist without a file of the run saying so.
fn known(cx: &RunRuleContext<'_>, kind: &'static str, name: &str) -> bool {
    (kind == "ConfigMap" && BUILT_IN_CONFIG_MAPS.contains(&name))
        || cx.run.generated.contains(&(kind, name.to_string()))
}
