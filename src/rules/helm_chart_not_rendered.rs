use super::{At, Category, FixAvailability, RawFinding, RuleMeta};
use crate::finding::Severity;
use crate::source::SourceFile;
use crate::yaml::{Document, Span};

/// Raised for a Helm chart's `Chart.yaml` (see `crate::helm::check_chart`) when the chart is not
/// rendered: its templates are Helm's input, and only their output is Kubernetes manifests.
pub static META: RuleMeta = RuleMeta {
    id: "helm-chart-not-rendered",
    severity: Severity::Info,
    category: Category::Syntax,
    summary: "A Helm chart's templates are not linted unless the chart is rendered (`--helm`)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/helm-chart-not-rendered.md"),
    ..RuleMeta::DEFAULTS
};

/// The finding for the chart whose `Chart.yaml` is `file`, at the chart's `name:` (line 1 when
/// it has none).
pub fn finding(file: &SourceFile, documents: &[Document<'_>]) -> RawFinding {
    let name = documents
        .iter()
        .filter_map(|d| d.root.as_ref()?.as_mapping())
        .flatten()
        .find(|entry| entry.key.scalar_text() == Some("name"));
    let chart = name.and_then(|entry| entry.value.scalar_text()).unwrap_or_default();
    let at = name.map_or(Span::new(0, 0), |entry| entry.key.span);
    let folder = chart_folder(&file.path);
    let message = if chart.is_empty() {
        "this Helm chart was not rendered, so its templates were not linted".to_string()
    } else {
        format!("Helm chart `{chart}` was not rendered, so its templates were not linted")
    };
    let help = format!(
        "render it to lint it: `helm template {folder} | podlint -`, or `podlint --helm` (with helm on PATH) renders every chart it finds"
    );
    RawFinding { rule: &META, severity: None, at: At::Span(at), message, help: Some(help), fix: None }
}

/// The chart's folder as a user would type it: `Chart.yaml`'s folder, `.` for the current one.
fn chart_folder(chart_file: &str) -> String {
    let folder = std::path::Path::new(chart_file).parent().map(|p| p.to_string_lossy().into_owned());
    let folder = folder.unwrap_or_default();
    let folder = folder.strip_prefix("./").unwrap_or(&folder);
    if folder.is_empty() { ".".to_string() } else { folder.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_help_names_the_folder_as_typed() {
        assert_eq!(super::chart_folder("Chart.yaml"), ".");
        assert_eq!(super::chart_folder("./Chart.yaml"), ".");
        assert_eq!(super::chart_folder("./deploy/web/Chart.yaml"), "deploy/web");
        assert_eq!(super::chart_folder("/abs/web/Chart.yaml"), "/abs/web");
    }
}
