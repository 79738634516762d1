//! What the API server refuses in PodDisruptionBudgets, HorizontalPodAutoscalers and RBAC
//! objects beyond the schema (`pkg/apis/policy/validation` `ValidatePodDisruptionBudgetSpec`,
//! `pkg/apis/autoscaling/validation` `validateHorizontalPodAutoscalerSpec` and the metric and
//! behavior checks under it, `pkg/apis/rbac/validation` `ValidatePolicyRule`,
//! `ValidateRoleBinding`, `ValidateClusterRoleBinding`, `validateRoleBindingSubject`).
use super::common::api_strings::{
    dns1123_subdomain, go_string_slice, int_or_string_value, path_segment_name, percent, templated,
};
use super::common::validation::{FieldError, FieldPath, Val, refuse};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::quantity::Quantity;
use crate::object::{Completeness, Object};
use crate::yaml::Node;

pub struct InvalidPolicy;

static META: RuleMeta = RuleMeta {
    id: "invalid-policy",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "A PodDisruptionBudget, HorizontalPodAutoscaler or RBAC object the API server refuses",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-policy.md"),
    ..RuleMeta::DEFAULTS
};

const RBAC: &str = "rbac.authorization.k8s.io";

impl Rule for InvalidPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let whole = object.completeness == Completeness::Whole;
        match (object.group(), object.kind) {
            (Some("policy"), Some("PodDisruptionBudget")) => pdb(object, cx),
            (Some("autoscaling"), Some("HorizontalPodAutoscaler")) => hpa(object, whole, cx),
            (Some(RBAC), Some("Role" | "ClusterRole")) if rbac_version(object) => role(object, whole, cx),
            (Some(RBAC), Some("RoleBinding" | "ClusterRoleBinding")) if rbac_version(object) => binding(object, cx),
            _ => {}
        }
    }
}

/// v1 and v1beta1 default subjects' API groups alike; v1alpha1 subjects differ.
fn rbac_version(object: &Object<'_, '_>) -> bool {
    matches!(object.api_version, Some("rbac.authorization.k8s.io/v1" | "rbac.authorization.k8s.io/v1beta1"))
}

fn judged<'t, 'a>(node: Option<&'t Node<'a>>) -> Option<&'t Node<'a>> {
    node.filter(|n| !n.is_null() && !templated(n))
}

fn pdb(object: &Object<'_, '_>, cx: &mut Context<'_>) {
    let Some(spec) = object.root.get("spec") else { return };
    let path = FieldPath::root("spec");
    let min = judged(spec.get("minAvailable"));
    let max = judged(spec.get("maxUnavailable"));
    if let (Some(_), Some(max_node)) = (min, max) {
        let value = Val::Raw("policy.PodDisruptionBudgetSpec{…}".to_string());
        let error = FieldError::invalid(path.clone(), value, "minAvailable and maxUnavailable cannot be both set");
        let at = spec.entry("maxUnavailable").map_or(max_node.span, |e| e.key.span);
        refuse(cx, &META, at, &error, "keep one of `minAvailable` and `maxUnavailable`");
    }
    for (key, node) in [("minAvailable", min), ("maxUnavailable", max)] {
        let Some(node) = node else { continue };
        let field = path.child(key);
        if let Some(value) = node.as_i64() {
            if value < 0 {
                let error = FieldError::invalid(field, Val::Int(value), "must be greater than or equal to 0");
                refuse(cx, &META, node.span, &error, "give a number of pods (0 or more) or a percentage such as `50%`");
            }
        } else if let Some(text) = node.as_str() {
            let shown = Val::Raw(int_or_string_value(text));
            let messages = percent(text);
            let help = "give a number of pods without quotes, or a percentage such as `50%`";
            for message in &messages {
                refuse(cx, &META, node.span, &FieldError::invalid(field.clone(), shown.clone(), message.clone()), help);
            }
            let over = text.strip_suffix('%').and_then(|d| d.parse::<u64>().ok()).is_some_and(|p| p > 100);
            if messages.is_empty() && over {
                let error = FieldError::invalid(field, shown, "must not be greater than 100%");
                refuse(cx, &META, node.span, &error, "a percentage of the selected pods is at most `100%`");
            }
        }
    }
}

fn hpa(object: &Object<'_, '_>, whole: bool, cx: &mut Context<'_>) {
    let Some(spec) = object.root.get("spec").filter(|s| s.as_mapping().is_some()) else { return };
    let path = FieldPath::root("spec");
    let min_node = judged(spec.get("minReplicas"));
    let min = min_node.and_then(Node::as_i64);
    // HPAScaleToZero is an alpha gate: without it the lower bound is 1.
    if let (Some(node), Some(value)) = (min_node, min)
        && value < 1
    {
        let detail =
            if cx.target().minor >= 16 { "must be greater than or equal to 1" } else { "must be greater than 0" };
        let error = FieldError::invalid(path.child("minReplicas"), Val::Int(value), detail);
        refuse(cx, &META, node.span, &error, "an autoscaler keeps at least one replica: `minReplicas: 1` or more");
    }
    if let Some(node) = judged(spec.get("maxReplicas"))
        && let Some(max) = node.as_i64()
    {
        let field = path.child("maxReplicas");
        if max < 1 {
            let error = FieldError::invalid(field, Val::Int(max), "must be greater than 0");
            refuse(
                cx,
                &META,
                node.span,
                &error,
                "`maxReplicas` is the most replicas the autoscaler may run: 1 or more",
            );
        } else if let Some(min) = min.filter(|m| max < *m) {
            let error = FieldError::invalid(field, Val::Int(max), "must be greater than or equal to `minReplicas`");
            let help =
                format!("`maxReplicas` ({max}) is below `minReplicas` ({min}): raise it, or lower `minReplicas`");
            refuse(cx, &META, node.span, &error, help);
        }
    }
    if let Some(target) = spec.get("scaleTargetRef").filter(|t| t.as_mapping().is_some()) {
        object_reference(target, &path.child("scaleTargetRef"), cx);
    }
    let v2 = matches!(object.api_version, Some("autoscaling/v2" | "autoscaling/v2beta2"));
    if !v2 {
        return;
    }
    for (i, metric) in spec.get("metrics").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        metric_spec(metric, &path.child("metrics").index(i), whole, cx);
    }
    if let Some(behavior) = spec.get("behavior").filter(|b| b.as_mapping().is_some()) {
        for direction in ["scaleUp", "scaleDown"] {
            if let Some(rules) = behavior.get(direction).filter(|r| r.as_mapping().is_some()) {
                scaling_rules(rules, &path.at(&["behavior", direction]), cx);
            }
        }
    }
}

/// `ValidateCrossVersionObjectReference`: kind and name present and usable in a URL path.
fn object_reference(reference: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    for key in ["kind", "name"] {
        let Some(node) = judged(reference.get(key)) else { continue };
        let Some(text) = node.as_str() else { continue };
        let field = path.child(key);
        let help = if key == "kind" {
            "name the kind of the scaled object, such as `Deployment`"
        } else {
            "name the scaled object"
        };
        if text.is_empty() {
            refuse(cx, &META, node.span, &FieldError::required(field, ""), help);
            continue;
        }
        for message in path_segment_name(text) {
            refuse(cx, &META, node.span, &FieldError::invalid(field.clone(), Val::str(text), message), help);
        }
    }
}

/// The metric sources of a `MetricSpec`, by the key that holds each and its `type`.
const SOURCES: &[(&str, &str)] = &[
    ("object", "Object"),
    ("external", "External"),
    ("pods", "Pods"),
    ("resource", "Resource"),
    ("containerResource", "ContainerResource"),
];

/// `validateMetricSpec` and the source checks under it.
fn metric_spec(metric: &Node<'_>, path: &FieldPath, whole: bool, cx: &mut Context<'_>) {
    if metric.as_mapping().is_none() {
        return;
    }
    let Some(kind) = metric.get("type").and_then(Node::as_str) else { return };
    let Some(&(expected, _)) = SOURCES.iter().find(|(_, k)| *k == kind) else { return };
    let present: Vec<&str> = SOURCES.iter().map(|(key, _)| *key).filter(|k| judged(metric.get(k)).is_some()).collect();
    if whole && !present.contains(&expected) {
        let error = FieldError::required(path.child(expected), "must populate information for the given metric source");
        let at = metric.get("type").map_or(metric.span, |t| t.span);
        refuse(cx, &META, at, &error, format!("a metric of type `{kind}` describes it under `{expected}`"));
    }
    if present.len() > 1 {
        for key in present.iter().filter(|k| **k != expected) {
            let error = FieldError::forbidden(path.child(key), "must populate the given metric source only");
            let at = metric.entry(key).map_or(metric.span, |e| e.key.span);
            refuse(cx, &META, at, &error, format!("a metric of type `{kind}` has only `{expected}`: remove `{key}`"));
        }
    }
    // Upstream validates the first source present, in its order.
    let Some(first) = present.first() else { return };
    let Some(source) = metric.get(first).filter(|s| s.as_mapping().is_some()) else { return };
    let source_path = path.child(first);
    if let Some(name) = judged(source.path(&["metric", "name"])).and_then(|n| Some((n, n.as_str()?))) {
        for message in path_segment_name(name.1) {
            let error = FieldError::invalid(source_path.at(&["metric", "name"]), Val::str(name.1), message);
            refuse(cx, &META, name.0.span, &error, "a metric name may not contain `/` or `%`");
        }
    }
    let Some(target) = source.get("target").filter(|t| t.as_mapping().is_some()) else { return };
    let target_path = source_path.child("target");
    metric_target(target, &target_path, cx);
    let has = |key: &str| judged(target.get(key)).is_some();
    let at = target.span;
    match *first {
        "resource" | "containerResource" => {
            if !has("averageUtilization") && !has("averageValue") {
                let error = FieldError::required(
                    target_path.child("averageUtilization"),
                    "must set either a target raw value or a target utilization",
                );
                refuse(
                    cx,
                    &META,
                    at,
                    &error,
                    "a resource metric targets `averageUtilization` (percent of requests) or `averageValue`; `value` is not used",
                );
            }
            if has("averageUtilization") && has("averageValue") {
                let error = FieldError::forbidden(
                    target_path.child("averageValue"),
                    "may not set both a target raw value and a target utilization",
                );
                refuse(cx, &META, at, &error, "keep `averageUtilization` or `averageValue`");
            }
        }
        "pods" => {
            if !has("averageValue") {
                let error = FieldError::required(
                    target_path.child("averageValue"),
                    "must specify a positive target averageValue",
                );
                refuse(cx, &META, at, &error, "a pods metric targets an `averageValue` per pod");
            }
        }
        "object" => {
            if !has("value") && !has("averageValue") {
                let error = FieldError::required(
                    target_path.child("averageValue"),
                    "must set either a target value or averageValue",
                );
                refuse(cx, &META, at, &error, "an object metric targets a `value` or an `averageValue`");
            }
        }
        _ => {
            if !has("value") && !has("averageValue") {
                let error = FieldError::required(
                    target_path.child("averageValue"),
                    "must set either a target value for metric or a per-pod target",
                );
                refuse(cx, &META, at, &error, "an external metric targets a `value` or an `averageValue`");
            }
            if has("value") && has("averageValue") {
                let error = FieldError::forbidden(
                    target_path.child("value"),
                    "may not set both a target value for metric and a per-pod target",
                );
                refuse(cx, &META, at, &error, "keep `value` or `averageValue`");
            }
        }
    }
}

/// `validateMetricTarget`: positive values and utilization.
fn metric_target(target: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    for key in ["value", "averageValue"] {
        let Some(node) = judged(target.get(key)) else { continue };
        let text = node.scalar_text().unwrap_or_default();
        let Ok(quantity) = Quantity::parse(text).or_else(|_| Quantity::parse_json_string(text)) else { continue };
        if quantity.is_zero() || quantity.is_negative() {
            let shown = if quantity.is_zero() { "0" } else { text };
            let error = FieldError::invalid(path.child(key), Val::Raw(shown.to_string()), "must be positive");
            refuse(cx, &META, node.span, &error, "a target is a positive quantity");
        }
    }
    if let Some(node) = judged(target.get("averageUtilization"))
        && let Some(value) = node.as_i64()
        && value < 1
    {
        let error = FieldError::invalid(path.child("averageUtilization"), Val::Int(value), "must be greater than 0");
        refuse(cx, &META, node.span, &error, "a utilization target is a percentage of the requests, 1 or more");
    }
}

/// `validateScalingRules` and `validateScalingPolicy`.
fn scaling_rules(rules: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    if let Some(node) = judged(rules.get("stabilizationWindowSeconds"))
        && let Some(value) = node.as_i64()
    {
        let field = path.child("stabilizationWindowSeconds");
        let detail = if value < 0 {
            Some("must be greater than or equal to zero")
        } else if value > 3600 {
            Some("must be less than or equal to 3600")
        } else {
            None
        };
        if let Some(detail) = detail {
            refuse(
                cx,
                &META,
                node.span,
                &FieldError::invalid(field, Val::Int(value), detail),
                "give a window from 0 to 3600 seconds",
            );
        }
    }
    for (i, policy) in rules.get("policies").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        let policy_path = path.child("policies").index(i);
        if let Some(node) = judged(policy.get("value"))
            && let Some(value) = node.as_i64()
            && value <= 0
        {
            let error = FieldError::invalid(policy_path.child("value"), Val::Int(value), "must be greater than zero");
            refuse(cx, &META, node.span, &error, "a policy changes the replicas by 1 or more pods or percent");
        }
        if let Some(node) = judged(policy.get("periodSeconds"))
            && let Some(value) = node.as_i64()
        {
            let detail = if value <= 0 {
                Some("must be greater than zero")
            } else if value > 1800 {
                Some("must be less than or equal to 1800")
            } else {
                None
            };
            if let Some(detail) = detail {
                let error = FieldError::invalid(policy_path.child("periodSeconds"), Val::Int(value), detail);
                refuse(cx, &META, node.span, &error, "give a period from 1 to 1800 seconds");
            }
        }
    }
}

fn string_items<'t>(rule: &'t Node<'_>, key: &str) -> Option<Vec<&'t str>> {
    rule.get(key).filter(|l| !l.is_null()).map(|l| l.items().iter().filter_map(Node::scalar_text).collect())
}

/// `ValidatePolicyRule` for each rule of a Role or ClusterRole.
fn role(object: &Object<'_, '_>, whole: bool, cx: &mut Context<'_>) {
    let namespaced = object.is_kind("Role");
    for (i, rule) in object.root.get("rules").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        if rule.as_mapping().is_none() || rule.entries().iter().any(|e| templated(&e.value)) {
            continue;
        }
        let path = FieldPath::root("rules").index(i);
        if let Some(verbs) = rule.get("verbs").filter(|v| v.as_sequence().is_some_and(<[Node]>::is_empty)) {
            let error = FieldError::required(path.child("verbs"), "verbs must contain at least one value");
            refuse(cx, &META, verbs.span, &error, "list what the rule allows, for example `verbs: [get, list, watch]`");
        }
        let urls = string_items(rule, "nonResourceURLs").unwrap_or_default();
        let groups = string_items(rule, "apiGroups");
        let resources = string_items(rule, "resources");
        if !urls.is_empty() {
            let at = rule.entry("nonResourceURLs").map_or(rule.span, |e| e.key.span);
            let value = Val::Raw(go_string_slice("[]string", &urls));
            let field = path.child("nonResourceURLs");
            if namespaced {
                let error = FieldError::invalid(
                    field.clone(),
                    value.clone(),
                    "namespaced rules cannot apply to non-resource URLs",
                );
                refuse(cx, &META, at, &error, "grant non-resource URLs (such as `/healthz`) in a ClusterRole");
            }
            let names = string_items(rule, "resourceNames").unwrap_or_default();
            if groups.as_ref().is_some_and(|g| !g.is_empty())
                || resources.as_ref().is_some_and(|r| !r.is_empty())
                || !names.is_empty()
            {
                let error = FieldError::invalid(
                    field,
                    value,
                    "rules cannot apply to both regular resources and non-resource URLs",
                );
                refuse(cx, &META, at, &error, "split the rule in two: one for resources, one for non-resource URLs");
            }
            continue;
        }
        if !whole {
            continue;
        }
        if groups.as_ref().is_none_or(Vec::is_empty) {
            let at = rule.entry("apiGroups").map_or(rule.span, |e| e.value.span);
            let error =
                FieldError::required(path.child("apiGroups"), "resource rules must supply at least one api group");
            refuse(
                cx,
                &META,
                at,
                &error,
                "name the resources' API group: `apiGroups: [\"\"]` for the core group (pods, secrets, …)",
            );
        }
        if resources.as_ref().is_none_or(Vec::is_empty) {
            let at = rule.entry("resources").map_or(rule.span, |e| e.value.span);
            let error =
                FieldError::required(path.child("resources"), "resource rules must supply at least one resource");
            refuse(cx, &META, at, &error, "list the resources the rule is about, for example `resources: [pods]`");
        }
    }
}

/// `ValidateRoleBinding`, `ValidateClusterRoleBinding` and `validateRoleBindingSubject`.
fn binding(object: &Object<'_, '_>, cx: &mut Context<'_>) {
    let cluster = object.is_kind("ClusterRoleBinding");
    if let Some(role_ref) = object.root.get("roleRef").filter(|r| r.as_mapping().is_some()) {
        let path = FieldPath::root("roleRef");
        if let Some(node) = judged(role_ref.get("apiGroup"))
            && let Some(group) = node.as_str()
            && group != RBAC
        {
            let error = FieldError::unsupported(path.child("apiGroup"), Val::str(group), &[RBAC]);
            refuse(cx, &META, node.span, &error, format!("a binding refers to a role of `apiGroup: {RBAC}`"));
        }
        if let Some(node) = judged(role_ref.get("kind"))
            && let Some(kind) = node.as_str()
        {
            let allowed: &[&str] = if cluster { &["ClusterRole"] } else { &["Role", "ClusterRole"] };
            if !allowed.contains(&kind) {
                let error = FieldError::unsupported(path.child("kind"), Val::str(kind), allowed);
                let help = if cluster && kind == "Role" {
                    "a ClusterRoleBinding can grant only a ClusterRole; bind a Role with a RoleBinding in its namespace"
                } else {
                    "a binding refers to a `Role` or a `ClusterRole`"
                };
                refuse(cx, &META, node.span, &error, help);
            }
        }
        if let Some(node) = judged(role_ref.get("name"))
            && let Some(name) = node.as_str()
        {
            let field = path.child("name");
            if name.is_empty() {
                refuse(
                    cx,
                    &META,
                    node.span,
                    &FieldError::required(field.clone(), ""),
                    "name the role the binding grants",
                );
            }
            for message in path_segment_name(name) {
                refuse(
                    cx,
                    &META,
                    node.span,
                    &FieldError::invalid(field.clone(), Val::str(name), message),
                    "name the role as it is named",
                );
            }
        }
    }
    for (i, subject) in object.root.get("subjects").map(Node::items).unwrap_or(&[]).iter().enumerate() {
        if subject.as_mapping().is_none() || subject.entries().iter().any(|e| templated(&e.value)) {
            continue;
        }
        subject_checks(subject, &FieldPath::root("subjects").index(i), cluster, cx);
    }
}

fn subject_checks(subject: &Node<'_>, path: &FieldPath, cluster: bool, cx: &mut Context<'_>) {
    let Some(kind_node) = subject.get("kind") else { return };
    let Some(kind) = kind_node.as_str() else { return };
    let name_node = subject.get("name");
    let name = name_node.and_then(Node::as_str);
    // An apiGroup left out or empty is defaulted: "" for ServiceAccounts, RBAC's for the others.
    let group_node = subject.get("apiGroup").filter(|g| g.as_str().is_some_and(|g| !g.is_empty()));
    if let (Some(node), Some("")) = (name_node, name) {
        refuse(
            cx,
            &META,
            node.span,
            &FieldError::required(path.child("name"), ""),
            "name the subject the binding grants to",
        );
    }
    match kind {
        "ServiceAccount" => {
            if let (Some(node), Some(name)) = (name_node, name.filter(|n| !n.is_empty())) {
                for message in dns1123_subdomain(name) {
                    let error = FieldError::invalid(path.child("name"), Val::str(name), message);
                    refuse(
                        cx,
                        &META,
                        node.span,
                        &error,
                        "name the ServiceAccount as it is named: lowercase letters, digits, `-` and `.`",
                    );
                }
            }
            if let Some(node) = group_node {
                let group = node.as_str().unwrap_or_default();
                let error = FieldError::unsupported(path.child("apiGroup"), Val::str(group), &[""]);
                refuse(cx, &META, node.span, &error, "a ServiceAccount subject has `apiGroup: \"\"` (or none)");
            }
            let namespace = subject.get("namespace").and_then(Node::scalar_text).unwrap_or("");
            if cluster && namespace.is_empty() {
                let at = subject.get("namespace").map_or(kind_node.span, |n| n.span);
                let error = FieldError::required(path.child("namespace"), "");
                refuse(cx, &META, at, &error, "a ClusterRoleBinding names the ServiceAccount's `namespace`");
            }
        }
        "User" | "Group" => {
            if let Some(node) = group_node
                && node.as_str() != Some(RBAC)
            {
                let group = node.as_str().unwrap_or_default();
                let error = FieldError::unsupported(path.child("apiGroup"), Val::str(group), &[RBAC]);
                refuse(cx, &META, node.span, &error, format!("a {kind} subject has `apiGroup: {RBAC}` (or none)"));
            }
        }
        _ => {
            let error =
                FieldError::unsupported(path.child("kind"), Val::str(kind), &["ServiceAccount", "User", "Group"]);
            refuse(cx, &META, kind_node.span, &error, "a subject is a `ServiceAccount`, a `User` or a `Group`");
        }
    }
}
