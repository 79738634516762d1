//! What the API server refuses in an object's metadata beyond what invalid-value checks (the
//! syntax of `metadata.name` and of label and annotation keys): per-kind name limits, the
//! namespace, `generateName`, the annotations' total size (`ValidateObjectMeta`,
//! pkg/apis/core/validation and apimachinery/pkg/api/validation/objectmeta.go;
//! `ValidateStatefulSetName`, `ValidateCronJobCreate`, `ValidateJob`), and the warning for
//! workload names that are not DNS labels (pkg/api/pod/warnings.go and friends).
use super::common::apivalidation::{dns1123_label_errors, dns1123_subdomain_errors, templated};
use super::common::validation::{FieldError, FieldPath, Val, refuse, warn};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::Node;

pub struct InvalidMetadata;

static META: RuleMeta = RuleMeta {
    id: "invalid-metadata",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "Metadata the API server refuses: a CronJob name over 52 characters, a StatefulSet name with dots, oversized annotations",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-metadata.md"),
    ..RuleMeta::DEFAULTS
};

/// StatefulSet names are DNS labels from 1.27 (kubernetes#114172), and the server warns about
/// other workloads' names that are not (kubernetes#114412).
const NAMES_AS_LABELS: KubeVersion = KubeVersion::new(1, 27);
/// `ValidateCronJobCreate`'s 52-character limit.
const CRONJOB_NAME_LIMIT: KubeVersion = KubeVersion::new(1, 22);
/// `ValidateJob`'s check that an Indexed Job's last pod hostname is a DNS label.
const INDEXED_JOB_NAME: KubeVersion = KubeVersion::new(1, 28);
/// apimachinery `TotalAnnotationSizeLimitB`.
const ANNOTATIONS_LIMIT: usize = 256 * 1024;

/// Kinds whose names (and `generateName` prefixes) are DNS-1123 subdomains.
const SUBDOMAIN_NAMED: &[&str] = &[
    "ConfigMap",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "Job",
    "Pod",
    "ReplicaSet",
    "ReplicationController",
    "Secret",
    "ServiceAccount",
    "PersistentVolumeClaim",
];

/// Kinds whose names the server warns about when they are not DNS labels.
const WARNED_WORKLOADS: &[&str] = &["Pod", "ReplicaSet", "Deployment", "Job", "CronJob", "ReplicationController"];

const DNS1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

impl Rule for InvalidMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(kind) = object.kind else { return };
        let builtin =
            matches!((object.group().unwrap_or("-"), kind), ("", _) | ("apps" | "extensions", _) | ("batch", _));
        let Some(metadata) = object.root.get("metadata").filter(|m| m.as_mapping().is_some()) else { return };
        let meta_path = FieldPath::root("metadata");
        annotations_size(metadata, &meta_path.child("annotations"), cx);
        if let Some(template) = object.pod_template()
            && let Some(template_meta) = template_metadata(object)
            && template.spec().span != metadata.span
        {
            let path = template_path(kind).child("annotations");
            annotations_size(template_meta, &path, cx);
        }
        if !builtin {
            return;
        }
        if let Some(node) = metadata.get("namespace")
            && let Some(namespace) = node.as_str()
            && !namespace.is_empty()
            && !templated(node)
        {
            for detail in dns1123_label_errors(namespace) {
                let error = FieldError::invalid(meta_path.child("namespace"), Val::str(namespace), detail);
                refuse(
                    cx,
                    &META,
                    node.span,
                    &error,
                    "a namespace is a DNS label: lowercase letters, digits and `-`, at most 63 characters",
                );
            }
        }
        let name = metadata.get("name").filter(|n| !templated(n));
        match name.and_then(|n| Some((n.as_str()?, n))) {
            Some((text, node)) if !text.is_empty() => name_checks(object, kind, text, node, &meta_path, cx),
            _ if name.is_none() => generate_name(metadata, kind, &meta_path, cx),
            _ => {}
        }
    }
}

fn template_metadata<'t>(object: &Object<'t, '_>) -> Option<&'t Node<'t>> {
    let path: &[&str] = match object.kind? {
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "metadata"],
        "Pod" => return None,
        "PodTemplate" => &["template", "metadata"],
        _ => &["spec", "template", "metadata"],
    };
    object.root.path(path)
}

fn template_path(kind: &str) -> FieldPath {
    match kind {
        "CronJob" => FieldPath::root("spec").at(&["jobTemplate", "spec", "template", "metadata"]),
        "PodTemplate" => FieldPath::root("template").child("metadata"),
        _ => FieldPath::root("spec").at(&["template", "metadata"]),
    }
}

/// `ValidateAnnotationsSize`: keys and values together at most 256 KiB.
fn annotations_size(metadata: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    let Some(entry) = metadata.entry("annotations") else { return };
    let total: usize = entry
        .value
        .entries()
        .iter()
        .map(|e| e.key.scalar_text().map_or(0, str::len) + e.value.scalar_text().map_or(0, str::len))
        .sum();
    if total > ANNOTATIONS_LIMIT {
        let error = FieldError::too_long(path.clone(), ANNOTATIONS_LIMIT);
        refuse(
            cx,
            &META,
            entry.key.span,
            &error,
            format!(
                "the annotations hold {total} bytes: move large data (a last-applied configuration, a dashboard) to a ConfigMap, or apply with `--server-side`"
            ),
        );
    }
}

fn name_checks(
    object: &Object<'_, '_>,
    kind: &str,
    name: &str,
    node: &Node<'_>,
    meta_path: &FieldPath,
    cx: &mut Context<'_>,
) {
    let target = cx.target();
    let path = meta_path.child("name");
    // invalid-value reports names that are no DNS subdomain at all.
    let subdomain = dns1123_subdomain_errors(name).is_empty();
    let group = object.group().unwrap_or("");
    if kind == "StatefulSet" && group == "apps" && subdomain && target >= NAMES_AS_LABELS {
        for detail in dns1123_label_errors(name) {
            let error = FieldError::invalid(path.clone(), Val::str(name), detail);
            refuse(
                cx,
                &META,
                node.span,
                &error,
                "a StatefulSet's name becomes its pods' hostnames: use a DNS label (no dots, at most 63 characters)",
            );
        }
    }
    if kind == "CronJob" && group == "batch" && target >= CRONJOB_NAME_LIMIT && name.len() > 52 {
        let error = FieldError::invalid(path.clone(), Val::str(name), "must be no more than 52 characters");
        refuse(
            cx,
            &META,
            node.span,
            &error,
            format!(
                "shorten the name to 52 characters or fewer (it has {}): the controller appends an 11-character suffix to name each Job",
                name.len()
            ),
        );
    }
    if kind == "Job"
        && group == "batch"
        && subdomain
        && target >= INDEXED_JOB_NAME
        && let Some(spec) = object.root.get("spec")
        && spec.get("completionMode").and_then(Node::as_str) == Some("Indexed")
        && let Some(completions) = spec.get("completions").and_then(Node::as_i64)
        && completions > 0
    {
        let hostname = format!("{name}-{}", completions - 1);
        if !dns1123_label_errors(&hostname).is_empty() {
            let error = FieldError::invalid(
                path.clone(),
                Val::str(name),
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            );
            refuse(
                cx,
                &META,
                node.span,
                &error,
                "an Indexed Job's pods are named `<job>-<index>` and need DNS-label hostnames: shorten the name, without dots",
            );
            return;
        }
    }
    let warned = WARNED_WORKLOADS.contains(&kind) && matches!(group, "" | "apps" | "batch");
    if warned && subdomain && target >= NAMES_AS_LABELS {
        let details = dns1123_label_errors(name);
        if !details.is_empty() {
            // The warning the API server sends (each kind's registry strategy, `WarningsOnCreate`).
            let used = if kind == "Pod" { "the Pod's hostname" } else { "Pod names and hostnames" };
            let message = format!(
                "{path}: this is used in {used}, which can result in surprising behavior; a DNS label is recommended: [{}]",
                details.join(" ")
            );
            warn(
                cx,
                &META,
                node.span,
                message,
                "pod hostnames come from this name: use a DNS label (no dots, at most 63 characters)",
            );
        }
    }
}

/// `ValidateObjectMeta` on `generateName` (the name's rule, with a trailing `-` allowed), when
/// no name is given.
fn generate_name(metadata: &Node<'_>, kind: &str, meta_path: &FieldPath, cx: &mut Context<'_>) {
    let Some(node) = metadata.get("generateName") else { return };
    let Some(prefix) = node.as_str() else { return };
    if prefix.is_empty() || templated(node) {
        return;
    }
    let masked = match prefix.strip_suffix('-') {
        Some(head) => format!("{head}a"),
        None => prefix.to_string(),
    };
    let label = |s: &str| dns1123_label_errors(s).into_iter().map(str::to_string).collect::<Vec<String>>();
    let details: Vec<String> = match kind {
        "Namespace" => label(&masked),
        "StatefulSet" if cx.target() >= NAMES_AS_LABELS => label(&masked),
        "Service" => {
            let mut details = label(&masked);
            if details.iter().any(|d| d.starts_with("a lowercase") || d == "must not contain dots")
                || !masked.starts_with(|c: char| c.is_ascii_lowercase())
            {
                details.retain(|d| !d.starts_with("a lowercase") && d != "must not contain dots");
                details.push(DNS1035.to_string());
            }
            details
        }
        _ if SUBDOMAIN_NAMED.contains(&kind) || kind == "StatefulSet" => dns1123_subdomain_errors(&masked),
        _ => return,
    };
    for detail in details {
        let error = FieldError::invalid(meta_path.child("generateName"), Val::str(prefix), detail);
        refuse(
            cx,
            &META,
            node.span,
            &error,
            "a generated name is this prefix and five random characters: use lowercase letters, digits and `-`",
        );
    }
}
