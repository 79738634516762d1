//! What the API server refuses in a workload's spec beyond the schema: the checks of
//! `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`,
//! `ValidateDaemonSetSpec` (pkg/apis/apps/validation), `ValidateReplicationControllerSpec`
//! (pkg/apis/core/validation) and `validateJobSpec`, `validateCronJobSpec`
//! (pkg/apis/batch/validation) that need no cluster state.
use super::common::apivalidation::{IntOrString, NEGATIVE, templated};
use super::common::cron::{Flavor, parse_standard};
use super::common::validation::{FieldError, FieldPath, Val, go_quote, refuse, warn};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::Node;

pub struct InvalidWorkloadSpec;

static META: RuleMeta = RuleMeta {
    id: "invalid-workload-spec",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "A workload spec the API server refuses: negative counts, bad rolling-update settings, an unparseable CronJob schedule",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-workload-spec.md"),
    ..RuleMeta::DEFAULTS
};

/// robfig/cron v3 (and with it `TZ=` prefixes) from 1.22.
const CRON_V3: KubeVersion = KubeVersion::new(1, 22);
/// `TZ`/`CRON_TZ` in a new CronJob's schedule is refused from 1.29 (kubernetes#116252); before,
/// the server warned.
const TZ_REFUSED: KubeVersion = KubeVersion::new(1, 29);
/// `spec.timeZone` is beta and on from 1.25 (dropped before, with its gate off).
const TIME_ZONE: KubeVersion = KubeVersion::new(1, 25);
/// DaemonSet `maxSurge` is beta and on from 1.22; the rule on surge and unavailability with it.
const DAEMONSET_SURGE: KubeVersion = KubeVersion::new(1, 22);

impl Rule for InvalidWorkloadSpec {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(kind) = object.kind else { return };
        let group = object.group().unwrap_or("");
        let Some(spec) = object.root.get("spec") else { return };
        let path = FieldPath::root("spec");
        match (group, kind) {
            ("apps" | "extensions", "Deployment") => deployment(spec, &path, group, cx),
            ("apps" | "extensions", "ReplicaSet") => {
                replicated(spec, &path, cx);
                empty_selector(spec, &path, "deployment", cx);
            }
            ("apps", "StatefulSet") => stateful_set(spec, &path, cx),
            ("apps" | "extensions", "DaemonSet") => daemon_set(spec, &path, group, cx),
            ("", "ReplicationController") => replicated(spec, &path, cx),
            ("batch", "Job") => job(spec, &path, cx),
            ("batch", "CronJob") => cron_job(spec, &path, cx),
            _ => {}
        }
    }
}

/// An integer field, unless absent, templated or of another type (the schema stage's).
fn int<'n>(node: &'n Node<'_>, key: &str) -> Option<(i64, &'n Node<'n>)> {
    let value = node.get(key)?;
    Some((value.as_i64()?, value))
}

/// `ValidateNonnegativeField` on each of `keys` under `node`.
fn non_negative(node: &Node<'_>, path: &FieldPath, keys: &[&str], cx: &mut Context<'_>) {
    for key in keys {
        if let Some((n, value)) = int(node, key)
            && n < 0
        {
            let error = FieldError::invalid(path.child(key), Val::Int(n), NEGATIVE);
            refuse(cx, &META, value.span, &error, format!("set `{key}` to 0 or more"));
        }
    }
}

fn replicated(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    non_negative(spec, path, &["replicas", "minReadySeconds"], cx);
}

/// `selector: {}`: no `matchLabels` or `matchExpressions` entries. A missing selector is
/// missing-required-field's.
fn empty_selector(spec: &Node<'_>, path: &FieldPath, kind: &str, cx: &mut Context<'_>) {
    let Some(selector) = spec.get("selector") else { return };
    if selector.as_mapping().is_none() {
        return;
    }
    let count = |key: &str| selector.get(key).map_or(0, Node::count);
    if count("matchLabels") + count("matchExpressions") > 0 {
        return;
    }
    let value = label_selector_value(selector);
    let error =
        FieldError::invalid(path.child("selector"), Val::Raw(value), format!("empty selector is invalid for {kind}"));
    refuse(
        cx,
        &META,
        selector.span,
        &error,
        "select the pods by the labels of the pod template: `matchLabels: {app: <name>}`",
    );
}

/// Go's `%#v` of a `metav1.LabelSelector`, as the server prints one in an error (map keys
/// sorted, as `fmt` sorts them).
fn label_selector_value(selector: &Node<'_>) -> String {
    let text = |n: Option<&Node<'_>>| go_quote(n.and_then(Node::scalar_text).unwrap_or(""));
    let labels = match selector.get("matchLabels") {
        Some(node) if node.as_mapping().is_some() => {
            let mut pairs: Vec<(String, String)> =
                node.entries().iter().map(|e| (text(Some(&e.key)), text(Some(&e.value)))).collect();
            pairs.sort();
            let pairs: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[string]string{{{}}}", pairs.join(", "))
        }
        _ => "map[string]string(nil)".to_string(),
    };
    let expressions = match selector.get("matchExpressions") {
        Some(node) if node.as_sequence().is_some() => {
            let items: Vec<String> = node
                .items()
                .iter()
                .map(|e| {
                    let values = match e.get("values").and_then(Node::as_sequence) {
                        Some(values) => {
                            let values: Vec<String> = values.iter().map(|v| text(Some(v))).collect();
                            format!("[]string{{{}}}", values.join(", "))
                        }
                        None => "[]string(nil)".to_string(),
                    };
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                        text(e.get("key")),
                        text(e.get("operator"))
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
        _ => "[]v1.LabelSelectorRequirement(nil)".to_string(),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

fn deployment(spec: &Node<'_>, path: &FieldPath, group: &str, cx: &mut Context<'_>) {
    non_negative(spec, path, &["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"], cx);
    empty_selector(spec, path, "deployment", cx);
    if let Some((deadline, node)) = int(spec, "progressDeadlineSeconds") {
        let min_ready = int(spec, "minReadySeconds").map_or(0, |(n, _)| n);
        if deadline >= 0 && deadline <= min_ready {
            let error = FieldError::invalid(
                path.child("progressDeadlineSeconds"),
                Val::Int(deadline),
                "must be greater than minReadySeconds",
            );
            refuse(
                cx,
                &META,
                node.span,
                &error,
                format!("make it more than `minReadySeconds` ({min_ready}); the default is 600"),
            );
        }
    }
    let Some(strategy) = spec.get("strategy") else { return };
    let strategy_path = path.child("strategy");
    let kind = strategy.get("type").and_then(Node::as_str).unwrap_or("RollingUpdate");
    let rolling = strategy.entry("rollingUpdate").filter(|e| !e.value.is_null());
    match (kind, rolling) {
        ("Recreate", Some(entry)) => {
            let error = FieldError::forbidden(
                strategy_path.child("rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
            );
            refuse(cx, &META, entry.key.span, &error, "remove `rollingUpdate`, or set `type: RollingUpdate`");
        }
        ("RollingUpdate", Some(entry)) => {
            let ru_path = strategy_path.child("rollingUpdate");
            let field = |key: &str| entry.value.get(key).and_then(|n| Some((IntOrString::of(n)?, n)));
            let unavailable = field("maxUnavailable");
            let surge = field("maxSurge");
            for (key, value) in [("maxUnavailable", &unavailable), ("maxSurge", &surge)] {
                if let Some((v, node)) = value
                    && let Some(error) = v.check_int_or_percent(&ru_path.child(key))
                {
                    refuse(cx, &META, node.span, &error, "write a non-negative integer or a percentage such as `25%`");
                }
            }
            if let Some((v, node)) = &unavailable
                && let Some(error) = v.check_at_most_100_percent(&ru_path.child("maxUnavailable"))
            {
                refuse(cx, &META, node.span, &error, "at most `100%` of the pods can be unavailable");
            }
            // An absent field is defaulted (25% in apps, 1 in extensions/v1beta1), never 0.
            let _ = group;
            if let (Some((u, node)), Some((s, _))) = (&unavailable, &surge)
                && u.value() == 0
                && s.value() == 0
            {
                let error = FieldError::invalid(
                    ru_path.child("maxUnavailable"),
                    u.go_value(),
                    "may not be 0 when `maxSurge` is 0",
                );
                refuse(cx, &META, node.span, &error, "let at least one pod be unavailable or surge during a rollout");
            }
        }
        _ => {}
    }
}

fn daemon_set(spec: &Node<'_>, path: &FieldPath, group: &str, cx: &mut Context<'_>) {
    non_negative(spec, path, &["minReadySeconds", "templateGeneration", "revisionHistoryLimit"], cx);
    empty_selector(spec, path, "daemonset", cx);
    let Some(strategy) = spec.get("updateStrategy") else { return };
    let default_type = if group == "extensions" { "OnDelete" } else { "RollingUpdate" };
    if strategy.get("type").and_then(Node::as_str).unwrap_or(default_type) != "RollingUpdate" {
        return;
    }
    let Some(rolling) = strategy.get("rollingUpdate").filter(|n| !n.is_null()) else { return };
    let ru_path = path.at(&["updateStrategy", "rollingUpdate"]);
    let field = |key: &str| rolling.get(key).and_then(|n| Some((IntOrString::of(n)?, n)));
    let unavailable = field("maxUnavailable");
    let surge = if cx.target() >= DAEMONSET_SURGE { field("maxSurge") } else { None };
    for (key, value) in [("maxUnavailable", &unavailable), ("maxSurge", &surge)] {
        if let Some((v, node)) = value {
            let at = ru_path.child(key);
            for error in [v.check_int_or_percent(&at), v.check_at_most_100_percent(&at)].into_iter().flatten() {
                refuse(cx, &META, node.span, &error, "write a non-negative integer or a percentage up to `100%`");
            }
        }
    }
    if cx.target() < DAEMONSET_SURGE {
        return;
    }
    // apps/v1 defaults an absent maxUnavailable to 1 and an absent maxSurge to 0.
    let unavailable_value = unavailable.as_ref().map_or(1, |(v, _)| v.value());
    let surge_value = surge.as_ref().map_or(0, |(v, _)| v.value());
    if unavailable_value != 0 && surge_value != 0 {
        if let Some((s, node)) = &surge {
            let error = FieldError::invalid(
                ru_path.child("maxSurge"),
                s.go_value(),
                "may not be set when maxUnavailable is non-zero",
            );
            let help = if unavailable.is_none() {
                "`maxUnavailable` defaults to 1: set `maxUnavailable: 0` to surge instead"
            } else {
                "set one of `maxSurge` and `maxUnavailable` to 0"
            };
            refuse(cx, &META, node.span, &error, help);
        }
    } else if unavailable_value == 0
        && surge_value == 0
        && let Some((_, node)) = &unavailable
    {
        let error = FieldError::required(ru_path.child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
        refuse(cx, &META, node.span, &error, "let at least one pod be unavailable, or set `maxSurge`");
    }
}

fn stateful_set(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    replicated(spec, path, cx);
    empty_selector(spec, path, "statefulset", cx);
    if let Some(ordinals) = spec.get("ordinals")
        && let Some((n, node)) = int(ordinals, "start")
        && n < 0
    {
        // The server names the path with a dot inside one child: `spec.ordinals.start`.
        let error = FieldError::invalid(path.child("ordinals.start"), Val::Int(n), NEGATIVE);
        refuse(cx, &META, node.span, &error, "ordinals start at 0 or more");
    }
    let Some(strategy) = spec.get("updateStrategy") else { return };
    let kind = strategy.get("type").and_then(Node::as_str).unwrap_or("RollingUpdate");
    let Some(rolling) = strategy.entry("rollingUpdate").filter(|e| !e.value.is_null()) else { return };
    let ru_path = path.at(&["updateStrategy", "rollingUpdate"]);
    match kind {
        "OnDelete" => {
            let partition = int(&rolling.value, "partition").map_or(0, |(n, _)| n);
            // `maxUnavailable` prints as a pointer whose address no one can predict: the
            // value is given as far as it can be.
            let max = if rolling.value.get("maxUnavailable").is_some() {
                "(*intstr.IntOrString)(…)"
            } else {
                "(*intstr.IntOrString)(nil)"
            };
            let value = format!("apps.RollingUpdateStatefulSetStrategy{{Partition:{partition}, MaxUnavailable:{max}}}");
            let error =
                FieldError::invalid(ru_path, Val::Raw(value), "only allowed for updateStrategy 'RollingUpdate'");
            refuse(cx, &META, rolling.key.span, &error, "remove `rollingUpdate`, or set `type: RollingUpdate`");
        }
        "RollingUpdate" => non_negative(&rolling.value, &ru_path, &["partition"], cx),
        _ => {}
    }
}

fn job(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    job_spec(spec, path, cx);
}

/// `validateJobSpec`: for a Job's spec and a CronJob's `jobTemplate.spec` alike.
fn job_spec(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    non_negative(
        spec,
        path,
        &[
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes",
        ],
        cx,
    );
    let mode = spec.get("completionMode").and_then(Node::as_str);
    if spec.get("completionMode").is_some_and(templated) {
        return;
    }
    let indexed = mode == Some("Indexed");
    let completions = int(spec, "completions");
    let per_index = int(spec, "backoffLimitPerIndex");
    let max_failed = int(spec, "maxFailedIndexes");
    if let Some((_, node)) = max_failed
        && spec.get("backoffLimitPerIndex").is_none_or(Node::is_null)
    {
        let error = FieldError::required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified");
        refuse(cx, &META, node.span, &error, "set `backoffLimitPerIndex` too, or remove `maxFailedIndexes`");
    }
    if indexed {
        if spec.get("completions").is_none_or(Node::is_null)
            && let Some(entry) = spec.entry("completionMode")
        {
            let error = FieldError::required(path.child("completions"), "when completion mode is Indexed");
            refuse(
                cx,
                &META,
                entry.value.span,
                &error,
                "set `completions`: an Indexed Job runs one pod per index, 0 to completions-1",
            );
        }
        if let Some((p, node)) = int(spec, "parallelism")
            && p > 100_000
        {
            let error = FieldError::invalid(
                path.child("parallelism"),
                Val::Int(p),
                "must be less than or equal to 100000 when completion mode is Indexed",
            );
            refuse(cx, &META, node.span, &error, "run at most 100000 pods at once");
        }
        if let (Some((c, _)), Some((m, node))) = (completions, max_failed)
            && m > c
        {
            let error = FieldError::invalid(
                path.child("maxFailedIndexes"),
                Val::Int(m),
                "must be less than or equal to completions",
            );
            refuse(cx, &META, node.span, &error, format!("at most {c} indexes can fail"));
        }
    } else if mode.is_none_or(|m| m == "NonIndexed") {
        for (key, value) in [("backoffLimitPerIndex", per_index), ("maxFailedIndexes", max_failed)] {
            if let Some((n, node)) = value {
                let error = FieldError::invalid(path.child(key), Val::Int(n), "requires indexed completion mode");
                refuse(cx, &META, node.span, &error, "set `completionMode: Indexed`, or remove it");
            }
        }
    }
}

fn cron_job(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    non_negative(spec, path, &["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"], cx);
    if let Some(node) = spec.get("schedule")
        && let Some(schedule) = node.as_str()
        && !templated(node)
    {
        schedule_format(schedule, node, spec, &path.child("schedule"), cx);
    }
    if cx.target() >= TIME_ZONE
        && let Some(node) = spec.get("timeZone")
        && let Some(zone) = node.as_str()
        && !templated(node)
    {
        time_zone(zone, node, &path.child("timeZone"), cx);
    }
    let Some(template) = spec.path(&["jobTemplate", "spec"]) else { return };
    let template_path = path.at(&["jobTemplate", "spec"]);
    job_spec(template, &template_path, cx);
    if let Some(entry) = template.entry("selector").filter(|e| !e.value.is_null()) {
        let error = FieldError::invalid(
            template_path.child("selector"),
            Val::Raw(label_selector_value(&entry.value)),
            "`selector` will be auto-generated",
        );
        refuse(cx, &META, entry.key.span, &error, "remove the selector: the CronJob's Jobs get one of their own");
    }
    if let Some(node) = template.get("manualSelector")
        && node.as_bool() == Some(true)
    {
        let error =
            FieldError::unsupported(template_path.child("manualSelector"), Val::Raw("true".into()), &["nil", "false"]);
        refuse(cx, &META, node.span, &error, "remove `manualSelector`");
    }
}

fn schedule_format(schedule: &str, node: &Node<'_>, spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    let target = cx.target();
    let flavor = if target >= CRON_V3 { Flavor::V3 } else { Flavor::V1 };
    let has_tz = schedule.contains("TZ");
    let mut rest = schedule;
    if flavor == Flavor::V3 && (schedule.starts_with("TZ=") || schedule.starts_with("CRON_TZ=")) {
        // The zone needs a time-zone database to judge; the fields after it do not.
        match schedule.find(' ') {
            Some(space) => rest = schedule[space..].trim(),
            None => return,
        }
    }
    if let Err(reason) = parse_standard(rest, flavor) {
        let error = FieldError::invalid(path.clone(), Val::str(schedule), reason);
        refuse(
            cx,
            &META,
            node.span,
            &error,
            "write five fields, minute hour day-of-month month day-of-week (`0 3 * * *` is every day at 03:00), or a macro such as `@daily`",
        );
    }
    if flavor == Flavor::V1 || !has_tz {
        return;
    }
    if target >= TZ_REFUSED {
        let error = FieldError::invalid(
            path.clone(),
            Val::str(schedule),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        );
        refuse(cx, &META, node.span, &error, "move the zone to `spec.timeZone` (for example `timeZone: Europe/Paris`)");
    } else if target >= TIME_ZONE && spec.get("timeZone").is_some_and(|n| !n.is_null()) {
        let error = FieldError::invalid(
            path.clone(),
            Val::str(schedule),
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
        );
        refuse(cx, &META, node.span, &error, "keep the zone in `spec.timeZone` only");
    } else if target >= KubeVersion::new(1, 23) {
        let message = format!(
            "CRON_TZ or TZ used in {path} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
        );
        warn(cx, &META, node.span, message, "use `spec.timeZone` (Kubernetes 1.25 and later)");
    }
}

/// `validateTimeZone`, without its last step, `time.LoadLocation`, which needs the server's
/// time-zone database: only names that no database can hold are refused.
fn time_zone(zone: &str, node: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    let help = "write an IANA time-zone name such as `Etc/UTC` or `America/New_York`";
    if zone.is_empty() {
        let error = FieldError::invalid(path.clone(), Val::str(zone), "timeZone must be nil or non-empty string");
        refuse(cx, &META, node.span, &error, "remove `timeZone`, or name a zone");
        return;
    }
    let part_ok = |part: &str| {
        part != "."
            && part != ".."
            && !part.starts_with('-')
            && (1..=14).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    };
    if !zone.split('/').all(part_ok) {
        let error = FieldError::invalid(path.clone(), Val::str(zone), format!("unknown time zone {zone}"));
        refuse(cx, &META, node.span, &error, help);
        return;
    }
    if zone.eq_ignore_ascii_case("Local") {
        let error = FieldError::invalid(
            path.clone(),
            Val::str(zone),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        );
        refuse(cx, &META, node.span, &error, help);
    }
}
