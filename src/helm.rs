//! Helm charts: the reminder raised for a chart that is not rendered, and rendering charts with
//! `helm template` when the user asks (`--helm`, or `helm: {render: true}` in `.podlint.yaml`),
//! so that their output is linted in place of the chart.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::Engine;
use crate::engine::file::FileOutcome;
use crate::engine::finish::to_findings;
use crate::index::IndexPart;
use crate::k8s::version::KubeVersion;
use crate::rules::helm_chart_not_rendered;
use crate::source::chart::is_chart_file;
use crate::source::{Input, SourceFile};

/// How charts are rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmSettings {
    /// Render every chart found with `helm template` and lint the output.
    pub render: bool,
    /// Values files passed to every rendering (`-f`), as paths from the working folder.
    pub values: Vec<String>,
    /// `key=value` pairs passed to every rendering (`--set`).
    pub set: Vec<String>,
    /// The release name templates see as `.Release.Name`.
    pub release: Option<String>,
}

/// Helm's own default release name for `helm template CHART`.
const DEFAULT_RELEASE: &str = "release-name";

/// A chart's `Chart.yaml`: not a manifest, it stands for the chart, whose templates were not
/// rendered. Suppression comments in it and `--ignore` apply as in any file.
pub fn check_chart(engine: &Engine, path: Arc<str>, bytes: Vec<u8>) -> FileOutcome {
    let settings = &engine.settings;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let file = SourceFile::new(path.clone(), text);
    let loaded = crate::yaml::load(&file.text, settings.limits);
    let suppressions = crate::suppress::collect(&file, &loaded.documents, settings.snippets);
    let raw = helm_chart_not_rendered::finding(&file, &loaded.documents);
    let findings = to_findings(settings, Some(&file), &path, vec![raw], None);
    FileOutcome { findings, objects: 0, index: IndexPart { path, objects: Vec::new() }, suppressions }
}

/// The `helm` executable on PATH, if there is one.
pub fn find_helm() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(HELM)).find(|candidate| is_executable(candidate))
}

#[cfg(windows)]
const HELM: &str = "helm.exe";
#[cfg(not(windows))]
const HELM: &str = "helm";

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Replaces each chart among `inputs` (a `Chart.yaml` read from disk) by its rendered output,
/// named after the chart's folder. A chart that Helm cannot render (a required value missing, a
/// template error) stays out of the run and is reported in the returned errors with Helm's own
/// message: the run could not check what it was asked to, as with a file it cannot read.
pub fn render_charts(inputs: Vec<Input>, helm: &HelmSettings, target: KubeVersion) -> (Vec<Input>, Vec<String>) {
    use rayon::prelude::*;
    let Some(program) = find_helm() else {
        let charts = inputs.iter().filter(|i| is_rendered_chart(i)).count();
        let errors = if charts > 0 { vec![not_found()] } else { Vec::new() };
        return (inputs, errors);
    };
    let rendered: Vec<Result<Input, String>> = inputs
        .into_par_iter()
        .map(|input| match &input {
            Input::File(path) | Input::Walked(path) if is_chart_file(path) => render(&program, path, helm, target),
            _ => Ok(input),
        })
        .collect();
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    for outcome in rendered {
        match outcome {
            Ok(input) => kept.push(input),
            Err(message) => errors.push(message),
        }
    }
    (kept, errors)
}

fn is_rendered_chart(input: &Input) -> bool {
    matches!(input, Input::File(path) | Input::Walked(path) if is_chart_file(path))
}

/// What a user without Helm is told.
pub fn not_found() -> String {
    "`helm` is not on PATH, so charts cannot be rendered: install Helm (https://helm.sh/docs/intro/install/), \
     or render a chart yourself with `helm template CHART | podlint -`"
        .to_string()
}

/// The folder of a chart's `Chart.yaml`, as its name gives it (empty for the current folder).
fn chart_folder(chart_file: &str) -> String {
    Path::new(chart_file).parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The arguments of `helm template` for the chart in `folder`.
pub fn template_args(folder: &str, helm: &HelmSettings, target: KubeVersion) -> Vec<String> {
    let mut args = vec![
        "template".to_string(),
        helm.release.clone().unwrap_or_else(|| DEFAULT_RELEASE.to_string()),
        if folder.is_empty() { ".".to_string() } else { folder.to_string() },
        // Charts that branch on `.Capabilities.KubeVersion` render for the cluster podlint
        // checks against.
        "--kube-version".to_string(),
        format!("v{}.{}.0", target.major, target.minor),
    ];
    for values in &helm.values {
        args.extend(["--values".to_string(), values.clone()]);
    }
    for pair in &helm.set {
        args.extend(["--set".to_string(), pair.clone()]);
    }
    args
}

fn render(program: &Path, chart_file: &str, helm: &HelmSettings, target: KubeVersion) -> Result<Input, String> {
    let folder = chart_folder(chart_file);
    let shown = if folder.is_empty() { "." } else { folder.as_str() };
    let output = std::process::Command::new(program)
        .args(template_args(&folder, helm, target))
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{shown}: running helm: {}", crate::source::discover::describe_io(&e)))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.trim();
        let status = output.status.code().map_or("a signal".to_string(), |c| format!("exit status {c}"));
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        return Err(format!("{shown}: `helm template` failed ({status}){reason}"));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let text = name_templates_by_path(&text, &folder);
    Ok(Input::memory(shown, text.into_bytes()))
}

const SOURCE_MARKER: &str = "# Source: ";

/// Helm names each rendered document's template after the chart's name
/// (`# Source: web/templates/deployment.yaml`); findings should name the file on disk
/// (`deploy/web/templates/deployment.yaml`), so the chart's name is replaced by its folder.
fn name_templates_by_path(rendered: &str, folder: &str) -> String {
    let mut out = String::with_capacity(rendered.len() + 64);
    for line in rendered.split_inclusive('\n') {
        match line.strip_prefix(SOURCE_MARKER).and_then(|source| source.split_once('/')) {
            Some((_chart, inside)) => {
                out.push_str(SOURCE_MARKER);
                if !folder.is_empty() {
                    out.push_str(folder);
                    out.push('/');
                }
                out.push_str(inside);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_named_by_their_path_on_disk() {
        let rendered = "---\n# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/charts/db/templates/b.yaml\n";
        assert_eq!(
            name_templates_by_path(rendered, "./deploy/web"),
            "---\n# Source: ./deploy/web/templates/a.yaml\nkind: A\n---\n# Source: ./deploy/web/charts/db/templates/b.yaml\n"
        );
        assert_eq!(name_templates_by_path("# Source: web/templates/a.yaml\n", ""), "# Source: templates/a.yaml\n");
    }

    #[test]
    fn helm_gets_the_release_the_chart_and_the_values() {
        let helm = HelmSettings {
            render: true,
            values: vec!["prod.yaml".into()],
            set: vec!["image.tag=1.2".into()],
            release: None,
        };
        assert_eq!(
            template_args("./deploy/web", &helm, KubeVersion::new(1, 29)),
            [
                "template",
                "release-name",
                "./deploy/web",
                "--kube-version",
                "v1.29.0",
                "--values",
                "prod.yaml",
                "--set",
                "image.tag=1.2"
            ]
        );
    }
}
