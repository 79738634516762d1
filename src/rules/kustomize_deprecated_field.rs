//! Kustomization fields kustomize 5 deprecates (kustomize's `CheckDeprecatedFields` and
//! `FixKustomization`, api/types/kustomization.go). Where `kustomize edit fix` would rewrite the
//! field to one that builds the same output, and the rewrite is a plain edit of the text, the
//! finding carries it as a fix.
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::{Edit, Fix, Severity};
use crate::kustomize::is_inline_patch;
use crate::object::Object;
use crate::yaml::{Entry, Node, Span};

pub struct KustomizeDeprecatedField;

static META: RuleMeta = RuleMeta {
    id: "kustomize-deprecated-field",
    severity: Severity::Warning,
    category: Category::Api,
    summary: "A kustomization uses a field kustomize deprecates (`bases`, `patchesStrategicMerge`, `commonLabels`, `vars`, …)",
    fix: FixAvailability::Safe,
    doc: include_str!("../../rules/kustomize-deprecated-field.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for KustomizeDeprecatedField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if cx.provenance.kustomization_file.is_none() {
            return;
        }
        let root = object.root;
        let has = |key: &str| root.entries().iter().any(|e| e.key.scalar_text() == Some(key));
        for entry in root.entries() {
            let Some(key) = entry.key.scalar_text() else { continue };
            let (replacement, fix) = match key {
                "bases" => ("resources", (!has("resources")).then(|| rename_key(entry, "resources"))),
                "imageTags" => ("images", (!has("images")).then(|| rename_key(entry, "images"))),
                "patchesJson6902" => ("patches", (!has("patches")).then(|| rename_key(entry, "patches"))),
                "patchesStrategicMerge" => {
                    let exact = !has("patches") && !has("patchesJson6902");
                    ("patches", exact.then(|| strategic_merge_to_patches(entry, cx.text)).flatten())
                }
                "commonLabels" => {
                    ("labels", (!has("labels")).then(|| common_labels_to_labels(entry, cx.text)).flatten())
                }
                "vars" => ("replacements", None),
                "helmChartInflationGenerator" => ("helmCharts", None),
                _ => continue,
            };
            let message = format!("`{key}` is deprecated in kustomize 5; use `{replacement}`");
            let reported = cx.report(&META, entry.key.span, message);
            match key {
                "commonLabels" => {
                    reported.help(
                        "`labels` changes selectors only with `includeSelectors: true`; the fix keeps it, which \
                         is exactly what `commonLabels` did (and what `kustomize edit fix` writes). Leave it out \
                         only for new workloads: a Deployment's selector cannot change once applied",
                    );
                }
                "vars" => {
                    reported.help("rewrite each var as a `replacements` entry (a source field and target fields); there is no mechanical fix");
                }
                "helmChartInflationGenerator" => {
                    reported.help("move each chart to `helmCharts` (and `helmGlobals`); the fields are renamed");
                }
                "patchesStrategicMerge" if fix.is_none() => {
                    reported.help("list each file as `- path: FILE` under `patches` (inline patches as `- patch: |`)");
                }
                _ => {}
            }
            if let Some(fix) = fix {
                reported.fix(fix);
            }
        }
        // A generator's single `env` file became the `envs` list.
        for generator in ["configMapGenerator", "secretGenerator"] {
            for item in root.get(generator).map(Node::items).unwrap_or(&[]) {
                let Some(env) = item.entry("env").filter(|e| e.key.scalar_text() == Some("env")) else { continue };
                let fix = (item.get("envs").is_none() && env.value.as_str().is_some()).then(|| {
                    let value = source(cx.text, env.value.span);
                    Fix::safe(vec![
                        edit(env.key.span, "envs"),
                        Edit {
                            start: env.value.span.start,
                            end: env.value.span.end,
                            replacement: format!("[{value}]"),
                        },
                    ])
                });
                let reported =
                    cx.report(&META, env.key.span, format!("`env` in `{generator}` is deprecated; use `envs`"));
                if let Some(fix) = fix {
                    reported.fix(fix);
                }
            }
        }
    }
}

fn edit(span: Span, replacement: &str) -> Edit {
    Edit { start: span.start, end: span.end, replacement: replacement.to_string() }
}

fn source(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).unwrap_or_default()
}

fn rename_key(entry: &Entry<'_>, to: &str) -> Fix {
    Fix::safe(vec![edit(entry.key.span, to)])
}

/// `patchesStrategicMerge: [a.yaml]` → `patches: [{path: a.yaml}]`: the patch transformer reads
/// a strategic-merge file the same way. Inline patches would need their text re-indented as a
/// block scalar, so a list holding one gets no fix.
fn strategic_merge_to_patches(entry: &Entry<'_>, text: &str) -> Option<Fix> {
    let items = entry.value.as_sequence()?;
    if items.is_empty() || items.iter().any(|i| i.as_str().is_none_or(is_inline_patch)) {
        return None;
    }
    let flow = source(text, entry.value.span).starts_with('[');
    let mut edits = vec![edit(entry.key.span, "patches")];
    for item in items {
        let written = source(text, item.span);
        let replacement = if flow { format!("{{path: {written}}}") } else { format!("path: {written}") };
        edits.push(Edit { start: item.span.start, end: item.span.end, replacement });
    }
    Some(Fix::safe(edits))
}

/// `commonLabels: {k: v}` → `labels: [{pairs: {k: v}, includeSelectors: true}]`, the rewrite
/// `kustomize edit fix` makes: with `includeSelectors` the label transformer uses the same field
/// list as `commonLabels` (metadata, selectors and templates), so the build is unchanged.
fn common_labels_to_labels(entry: &Entry<'_>, text: &str) -> Option<Fix> {
    let pairs = entry.value.as_mapping()?;
    // Comments between the pairs would be lost in the rewrite.
    if pairs.is_empty() || source(text, entry.value.span).contains('#') {
        return None;
    }
    // Written as flow text below: only plain label characters (and quotes) are copied safely.
    let plain = |span: Span| {
        let s = source(text, span);
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./\"'".contains(&b))
    };
    if !pairs.iter().all(|p| plain(p.key.span) && plain(p.value.span)) {
        return None;
    }
    let written: Vec<String> =
        pairs.iter().map(|p| format!("{}: {}", source(text, p.key.span), source(text, p.value.span))).collect();
    let replacement = format!("labels: [{{pairs: {{{}}}, includeSelectors: true}}]", written.join(", "));
    Some(Fix::safe(vec![Edit { start: entry.key.span.start, end: entry.value.span.end, replacement }]))
}
