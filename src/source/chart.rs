//! Helm charts as discovery meets them: a folder holding `Chart.yaml` is a chart, and most of
//! what it holds is Helm's input, not Kubernetes manifests (Helm's chart layout:
//! https://helm.sh/docs/topics/charts/#the-chart-file-structure).
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// The file that makes a folder a chart. Helm requires this exact spelling.
pub const CHART_FILE: &str = "Chart.yaml";

/// Whether `name` (a path as reports show it) is a chart's `Chart.yaml`.
pub fn is_chart_file(name: &str) -> bool {
    Path::new(name).file_name().is_some_and(|n| n == CHART_FILE)
}

/// Whether a file at `relative` (its path inside a chart's folder) is Helm's input rather than a
/// manifest: values files and their schema, `Chart.lock`, and everything under `templates/`
/// (Go templates), `charts/` (subcharts, each with its own templates) and `ci/` (values files
/// that chart-testing renders the chart with). `Chart.yaml` itself is not: it stands for the
/// chart. `crds/` is not either: Helm applies those files verbatim, so they are manifests.
pub fn is_helm_input(relative: &Path) -> bool {
    let mut parts = relative.components().filter(|c| !matches!(c, Component::CurDir));
    let Some(Component::Normal(first)) = parts.next() else { return false };
    let first = first.to_string_lossy();
    if parts.next().is_some() {
        return in_helm_folder(&first);
    }
    let lower = first.to_ascii_lowercase();
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    first == "Chart.lock" || first == "values.schema.json" || (yaml && lower.contains("values"))
}

/// Whether a chart's top-level folder holds Helm's input (see `is_helm_input`).
fn in_helm_folder(first: &str) -> bool {
    matches!(first, "templates" | "charts" | "ci")
}

/// The charts found among a walk's files, and the files that are Helm's input.
pub struct Charts {
    /// Folders of the charts met, outermost only: a subchart is rendered by its parent.
    roots: HashSet<PathBuf>,
    /// The walk's root and, when a chart's folder holds it, the root's path inside that chart.
    root: PathBuf,
    outer: Option<PathBuf>,
}

impl Charts {
    /// The charts of a walk from `root` that found `files`.
    pub fn find(root: &Path, files: &[PathBuf]) -> Charts {
        Charts::among(root, enclosing_chart(root), files)
    }

    fn among(root: &Path, outer: Option<PathBuf>, files: &[PathBuf]) -> Charts {
        let mut candidates: Vec<&Path> = files
            .iter()
            .filter(|f| f.file_name().is_some_and(|n| n == CHART_FILE))
            .filter_map(|f| f.parent())
            .collect();
        // Parents before their subcharts.
        candidates.sort_by_key(|dir| dir.components().count());
        let mut charts = Charts { roots: HashSet::new(), root: root.to_path_buf(), outer };
        for dir in candidates {
            if !charts.is_helm_input(&dir.join(CHART_FILE)) {
                charts.roots.insert(dir.to_path_buf());
            }
        }
        charts
    }

    /// Whether a walked file is Helm's input of a chart met (see `is_helm_input`): the nearest
    /// chart folder above it decides.
    pub fn is_helm_input(&self, file: &Path) -> bool {
        for dir in file.ancestors().skip(1) {
            if self.roots.contains(dir) {
                return file.strip_prefix(dir).is_ok_and(is_helm_input);
            }
        }
        match (&self.outer, file.strip_prefix(&self.root)) {
            (Some(inside), Ok(below)) => is_helm_input(&inside.join(below)),
            _ => false,
        }
    }
}

/// When `path` lies inside a chart's folder (not at its top), its path inside that chart;
/// for a walk that starts inside a chart (`podlint chart/templates`).
fn enclosing_chart(path: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(path).ok()?;
    for dir in absolute.ancestors().skip(1) {
        if dir.join(CHART_FILE).is_file() {
            return absolute.strip_prefix(dir).ok().map(Path::to_path_buf);
        }
    }
    None
}

/// Whether a file named on the command line is a chart's template (under `templates/`,
/// `charts/` or `ci/` of the chart above it): such a file is Go template text, not a manifest,
/// and is linted as a walked file would be.
pub fn is_named_template(path: &Path) -> bool {
    let Some(inside) = enclosing_chart(path) else { return false };
    inside.components().count() > 1
        && inside.components().next().is_some_and(|c| in_helm_folder(&c.as_os_str().to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_input_follows_the_chart_layout() {
        for input in [
            "values.yaml",
            "values-prod.yml",
            "prod-values.yaml",
            "values.schema.json",
            "templates/deployment.yaml",
            "templates/tests/test-connection.yaml",
            "charts/redis/Chart.yaml",
            "charts/redis/crds/crd.yaml",
            "ci/default-values.yaml",
            "./values.yaml",
        ] {
            assert!(is_helm_input(Path::new(input)), "{input}");
        }
        for manifest in ["Chart.yaml", "crds/widgets.yaml", "examples/pod.yaml", "files/config.yaml", "service.yaml"] {
            assert!(!is_helm_input(Path::new(manifest)), "{manifest}");
        }
    }

    #[test]
    fn subcharts_are_not_charts_of_their_own() {
        let files: Vec<PathBuf> = [
            "./web/Chart.yaml",
            "./web/charts/db/Chart.yaml",
            "./web/charts/db/crds/x.yaml",
            "./web/crds/y.yaml",
            "./other/Chart.yaml",
            "./other/values.yaml",
            "./pod.yaml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let charts = Charts::among(Path::new("."), None, &files);
        let kept: Vec<&str> =
            files.iter().filter(|f| !charts.is_helm_input(f)).map(|f| f.to_str().unwrap_or_default()).collect();
        assert_eq!(kept, ["./web/Chart.yaml", "./web/crds/y.yaml", "./other/Chart.yaml", "./pod.yaml"]);
        // A walk that starts in a chart's templates.
        let files = vec![PathBuf::from("web/templates/a.yaml"), PathBuf::from("web/templates/sub/b.yaml")];
        let charts = Charts::among(Path::new("web/templates"), Some("templates".into()), &files);
        assert!(files.iter().all(|f| charts.is_helm_input(f)));
    }
}
