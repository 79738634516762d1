//! podlint against the upstream manifests of ../shared/corpus (skipped where it is absent): the
//! valid examples get no error-level finding beyond the three disagreements listed below, and
//! kubeconform's deliberately invalid fixtures are each caught, at the places pinned here, and
//! of Polaris' policy-failure fixtures exactly the schema-invalid ones get a schema error.
mod common;

use std::path::{Path, PathBuf};

use common::{corpus_dir, files_under, is_manifest};
use podlint::finding::Severity;
use podlint::settings::Settings;

/// (path within the corpus, line, column, rule) of every error-level finding.
fn errors(corpus: &Path, paths: &[PathBuf], settings: &Settings) -> Vec<(String, u32, u32, String)> {
    let paths: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let report = podlint::lint(&paths, settings);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let prefix = format!("{}/", corpus.to_string_lossy());
    let mut errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            let file = f.file.strip_prefix(prefix.as_str()).unwrap_or(&f.file).to_string();
            (file, f.location.start.line, f.location.start.column, f.rule.to_string())
        })
        .collect();
    errors.sort();
    errors
}

fn entry(file: &str, line: u32, column: u32, rule: &str) -> (String, u32, u32, String) {
    (file.to_string(), line, column, rule.to_string())
}

#[test]
fn valid_upstream_examples_get_no_error() {
    let Some(corpus) = corpus_dir() else { return };
    let mut paths = vec![corpus.join("kubernetes__website"), corpus.join("GoogleCloudPlatform__microservices-demo")];
    // kubernetes/examples outside `_archived` (kept for history, not maintained).
    paths.extend(files_under(&corpus.join("kubernetes__examples"), &|p| {
        !p.components().any(|c| c.as_os_str() == "_archived")
    }));
    // kubeconform's fixtures that its own tests expect to validate.
    let valid = [
        "valid.yaml",
        "valid.json",
        "valid_version.yaml",
        "multi_valid.yaml",
        "multi_valid_source.yaml",
        "list_valid.yaml",
        "list_empty_valid.yaml",
        "int_or_string.yaml",
        "null_array.yaml",
        "null_string.yaml",
        "generate_name.yaml",
    ];
    paths.extend(valid.iter().map(|f| corpus.join("yannh__kubeconform/fixtures").join(f)));

    // The website snapshot dates from mid-2021 (PodSecurityPolicy, flowcontrol v1beta1), so the
    // examples are judged at the oldest version podlint knows, where their APIs are still served.
    let settings = Settings { kubernetes_version: "1.24".parse().expect("version"), ..Settings::default() };
    let website = "kubernetes__website/content/en/examples";
    assert_eq!(
        errors(&corpus, &paths, &settings),
        vec![
            // The corpus keeps only files that pass its filters: this component's
            // `otel-collector.yaml` holds `{{` and was left out, so the path it lists is missing.
            entry(
                "GoogleCloudPlatform__microservices-demo/kustomize/components/google-cloud-operations/kustomization.yaml",
                18,
                5,
                "kustomize-missing-path"
            ),
            // `process-item-$ITEM` is a template for sed to expand, not a name.
            entry(&format!("{website}/application/job/job-tmpl.yaml"), 4, 9, "invalid-value"),
            // A server-side-apply patch that sets only `replicas`: a partial object on purpose.
            entry(
                &format!("{website}/application/ssa/nginx-deployment-replicas-only.yaml"),
                5,
                1,
                "missing-required-field"
            ),
            // `ipFamily` was removed in 1.20; the page predates the example's update to `ipFamilies`.
            entry(&format!("{website}/service/networking/dual-stack-ipv6-svc.yaml"), 6, 3, "unknown-field"),
        ]
    );
}

#[test]
fn kubeconform_invalid_fixtures_are_caught() {
    let Some(corpus) = corpus_dir() else { return };
    let fixtures = corpus.join("yannh__kubeconform/fixtures");
    let invalid = [
        "invalid.yaml",
        "list_invalid.yaml",
        "multi_invalid.yaml",
        "multi_invalid_resources.yaml",
        "extra_property.yaml",
        "duplicate_property.yaml",
        "missing_apiversion.yaml",
        "missing_kind_value.yaml",
    ];
    let paths: Vec<PathBuf> = invalid.iter().map(|f| fixtures.join(f)).collect();
    let settings = Settings { kubernetes_version: "1.24".parse().expect("version"), ..Settings::default() };
    let at = |file: &str, line, column, rule| entry(&format!("yannh__kubeconform/fixtures/{file}"), line, column, rule);
    let mut expected = vec![
        at("duplicate_property.yaml", 7, 3, "unknown-field"),
        at("duplicate_property.yaml", 10, 7, "selector-mismatch"),
        at("duplicate_property.yaml", 16, 7, "duplicate-key"),
        at("extra_property.yaml", 7, 3, "unknown-field"),
        at("extra_property.yaml", 10, 7, "selector-mismatch"),
        at("invalid.yaml", 6, 13, "invalid-type"),
        at("invalid.yaml", 9, 3, "unknown-field"),
        at("list_invalid.yaml", 26, 15, "invalid-type"),
        at("list_invalid.yaml", 29, 5, "unknown-field"),
        at("missing_apiversion.yaml", 1, 7, "missing-required-field"),
        at("missing_kind_value.yaml", 1, 5, "missing-required-field"),
        at("multi_invalid.yaml", 12, 11, "invalid-type"),
    ];
    expected.extend([1, 3, 5, 7, 9].map(|line| at("multi_invalid_resources.yaml", line, 5, "missing-required-field")));
    expected.sort();
    assert_eq!(errors(&corpus, &paths, &settings), expected);
}

/// Polaris' `failure*` fixtures fail a Polaris policy; most are valid Kubernetes. The schema
/// rules must flag exactly those that are not. The list below is what kubernetes-validate 1.37.0
/// (`-k 1.30.0 --strict`) rejected, 21 of 166 files, plus one it cannot see (it knows no enums).
#[test]
fn polaris_failure_fixtures_are_flagged_exactly_where_schema_invalid() {
    let Some(corpus) = corpus_dir() else { return };
    let checks = corpus.join("FairwindsOps__polaris/test/checks");
    let is_failure =
        |p: &Path| is_manifest(p) && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("failure"));
    let paths = files_under(&checks, &is_failure);
    assert_eq!(paths.len(), 166, "the corpus changed; re-run kubernetes-validate over it");
    let schema_rules =
        ["field-case", "unknown-field", "invalid-type", "missing-required-field", "invalid-value"].map(String::from);
    let mut settings = Settings { kubernetes_version: "1.30".parse().expect("version"), ..Settings::default() };
    settings.select_rules(Some(&schema_rules), &[], &[]);
    // `errors` is sorted by file, so dedup leaves each flagged file once.
    let mut flagged: Vec<String> = errors(&corpus, &paths, &settings)
        .into_iter()
        .map(|(file, ..)| file.trim_start_matches("FairwindsOps__polaris/test/checks/").to_string())
        .collect();
    flagged.dedup();
    assert_eq!(
        flagged,
        [
            "insecureCapabilities/failure.pod.yaml",
            "missingPodDisruptionBudget/failure-bad-ns.yaml",
            "missingPodDisruptionBudget/failure.bad-name.yaml",
            "missingPodDisruptionBudget/failure.empty-labels.yaml",
            "missingPodDisruptionBudget/failure.no-labels.yaml",
            "missingPodDisruptionBudget/failure.no-metadata.yaml",
            "missingPodDisruptionBudget/failure.wrong-place.yaml",
            "missingPodDisruptionBudget/failure.yaml",
            "notReadOnlyRootFilesystem/failure.pod.yaml",
            "notReadOnlyRootFilesystem/failure.two_cont_one_unspecified.yaml",
            "notReadOnlyRootFilesystem/failure.yaml",
            "pdbMinAvailableGreaterThanHPAMinReplicas/failure-gt-percent.yaml",
            "pdbMinAvailableGreaterThanHPAMinReplicas/failure-gt-scalar.yaml",
            "privilegeEscalationAllowed/failure.pod.yaml",
            "privilegeEscalationAllowed/failure.pod_unspecified.yaml",
            // `procMount: Other`: the API server accepts only Default and Unmasked.
            "procMount/failure.yaml",
            "runAsPrivileged/failure.pod.yaml",
            "runAsPrivileged/failure.two_cont.yaml",
            "runAsPrivileged/failure.two_cont_one_unspecified.yaml",
            "runAsPrivileged/failure.yaml",
            "tagNotSpecified/failure.latest.yaml",
            "tagNotSpecified/failure.yaml",
        ]
    );
}
