use super::common::links::{labels_text, quoted_list};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::{Entry, Node, Span};

pub struct SelectorMismatch;

static META: RuleMeta = RuleMeta {
    id: "selector-mismatch",
    severity: Severity::Error,
    category: Category::Workloads,
    summary: "A workload's selector does not select its own pod template",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/selector-mismatch.md"),
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

/// How a kind writes its selector.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `matchLabels` and `matchExpressions`; an empty one is rejected.
    LabelSelector,
    /// A plain label map; an empty one is filled in from the template's labels.
    Map,
    /// A Job's LabelSelector, which the API server writes itself unless `manualSelector: true`.
    ManualLabelSelector,
}

impl Rule for SelectorMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(kind) = object.kind else { return };
        let (spec, form) = match kind {
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => (object.root.get("spec"), Form::LabelSelector),
            "ReplicationController" | "DeploymentConfig" => (object.root.get("spec"), Form::Map),
            "Job" => (object.root.get("spec"), Form::ManualLabelSelector),
            "CronJob" => (object.root.path(&["spec", "jobTemplate", "spec"]), Form::ManualLabelSelector),
            _ => return,
        };
        let Some(spec) = spec else { return };
        // An absent selector is a missing required field (or defaulted), reported elsewhere.
        let Some(selector) = spec.entry("selector").filter(|e| !e.value.is_null()) else { return };
        if form == Form::ManualLabelSelector && spec.get("manualSelector").and_then(Node::as_bool) != Some(true) {
            return;
        }
        let Some(template) = spec.get("template") else { return };
        let labels = match template.path(&["metadata", "labels"]) {
            None => Vec::new(),
            Some(node) if node.is_null() => Vec::new(),
            Some(node) => {
                let Some(entries) = node.as_mapping() else { return };
                entries.iter().filter_map(|e| Some((e.key.scalar_text()?, e.value.scalar_text()?))).collect()
            }
        };
        let mut check = Check { kind, labels, cx };
        match form {
            Form::Map => {
                for entry in selector.value.entries() {
                    check.match_label(entry);
                }
            }
            Form::LabelSelector | Form::ManualLabelSelector => check.label_selector(selector, form),
        }
    }
}

struct Check<'c, 'r, 't> {
    kind: &'t str,
    /// The pod template's labels, exactly as written: label keys and values are case-sensitive.
    labels: Vec<(&'t str, &'t str)>,
    cx: &'c mut Context<'r>,
}

impl<'t> Check<'_, '_, 't> {
    fn label(&self, key: &str) -> Option<&'t str> {
        self.labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn report(&mut self, span: Span, message: String) {
        let labels = if self.labels.is_empty() {
            "the template has no labels".to_string()
        } else {
            format!("the template's labels are {}", labels_text(&self.labels))
        };
        let help =
            format!("the API server rejects a {} whose selector does not select its pod template; {labels}", self.kind);
        self.cx.report(&META, span, message).help(help);
    }

    fn label_selector(&mut self, selector: &'t Entry<'_>, form: Form) {
        let node = &selector.value;
        // A selector of the wrong type is the schema stage's to report.
        if node.as_mapping().is_none() {
            return;
        }
        let match_labels = node.get("matchLabels");
        let expressions = node.get("matchExpressions");
        if form == Form::LabelSelector && is_empty(match_labels) && is_empty(expressions) {
            self.empty(selector);
            return;
        }
        for entry in match_labels.map(Node::entries).unwrap_or(&[]) {
            self.match_label(entry);
        }
        for item in expressions.map(Node::items).unwrap_or(&[]) {
            self.expression(item);
        }
    }

    fn empty(&mut self, selector: &Entry<'_>) {
        // Labels written straight under `selector`, as a ReplicationController takes them, are
        // unknown fields to a LabelSelector and leave it empty.
        let stray: Vec<(&str, &str)> = selector
            .value
            .entries()
            .iter()
            .filter_map(|e| Some((e.key.scalar_text()?, e.value.scalar_text()?)))
            .filter(|(k, _)| *k != "matchLabels" && *k != "matchExpressions")
            .collect();
        let help = if !stray.is_empty() {
            format!(
                "a {} selector takes its labels under `matchLabels`: `matchLabels: {{{}}}`",
                self.kind,
                flow(&stray)
            )
        } else if !self.labels.is_empty() {
            format!("select the pod template's labels, for example `matchLabels: {{{}}}`", flow(&self.labels))
        } else {
            "give the pod template labels and select them with `matchLabels`".to_string()
        };
        self.cx
            .report(
                &META,
                selector.key.span,
                format!(
                    "`selector` is empty, so it would select every pod in the namespace; the API server rejects it for a {}",
                    self.kind
                ),
            )
            .help(help);
    }

    fn match_label(&mut self, entry: &Entry<'_>) {
        let (Some(key), Some(wanted)) = (entry.key.scalar_text(), entry.value.scalar_text()) else { return };
        if entry.value.is_null() {
            return;
        }
        let span = entry.key.span.to(entry.value.span);
        match self.label(key) {
            Some(have) if have == wanted => {}
            Some(have) => self.report(
                span,
                format!("`selector` requires `{key}: {wanted}`, but the pod template has `{key}: {have}`"),
            ),
            None => self.report(
                span,
                format!("`selector` requires label `{key}: {wanted}`, but the pod template has no `{key}` label"),
            ),
        }
    }

    fn expression(&mut self, item: &Node<'_>) {
        let Some(key) = item.get("key").and_then(Node::scalar_text) else { return };
        let Some(operator) = item.get("operator").and_then(Node::scalar_text) else { return };
        let values: Vec<&str> =
            item.get("values").map(Node::items).unwrap_or(&[]).iter().filter_map(Node::scalar_text).collect();
        let have = self.label(key);
        let has_text = |have: &str| format!("the pod template has `{key}: {have}`");
        let lacks_text = format!("the pod template has no `{key}` label");
        let message = match operator {
            // In and NotIn without values, and unknown operators, are invalid selectors the API
            // server reports as such; whether they match is moot.
            "In" if !values.is_empty() => match have {
                Some(have) if values.contains(&have) => return,
                Some(have) => {
                    format!("`selector` requires label `{key}` to be {}, but {}", one_of(&values), has_text(have))
                }
                None => format!("`selector` requires label `{key}` to be {}, but {lacks_text}", one_of(&values)),
            },
            "NotIn" if !values.is_empty() => match have {
                Some(have) if values.contains(&have) => {
                    format!(
                        "`selector` requires label `{key}` not to be {}, but {}",
                        quoted_list(&values, "or"),
                        has_text(have)
                    )
                }
                _ => return,
            },
            "Exists" => match have {
                Some(_) => return,
                None => format!("`selector` requires label `{key}`, but {lacks_text}"),
            },
            "DoesNotExist" => match have {
                Some(have) => format!(
                    "`selector` requires the pod template not to have label `{key}`, but it has `{key}: {have}`"
                ),
                None => return,
            },
            _ => return,
        };
        self.report(item.span, message);
    }
}

fn is_empty(node: Option<&Node<'_>>) -> bool {
    node.is_none_or(|n| {
        n.is_null() || n.as_mapping().is_some_and(<[_]>::is_empty) || n.as_sequence().is_some_and(<[_]>::is_empty)
    })
}

fn one_of(values: &[&str]) -> String {
    match values {
        [one] => format!("`{one}`"),
        _ => format!("one of {}", quoted_list(values, "or")),
    }
}

/// Pairs as the inside of a flow mapping, for help that shows what to write.
fn flow(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
}
