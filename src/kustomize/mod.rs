//! What podlint knows of kustomize: the kustomization file format (an embedded schema written
//! from kustomize's Go types), kustomize's own configuration kinds, how it reads the paths a
//! kustomization lists, and RFC 6902 patch files. The rules that judge kustomizations
//! (`kustomize-missing-path`, `kustomize-deprecated-field`, `json-patch-invalid`) live in
//! `src/rules/`; the run context (`src/context.rs`) records what each listed file is.
use std::sync::{Arc, OnceLock};

use crate::context::KustomizeRole;
use crate::schema::Issue;
use crate::schema::catalog::DocSchema;
use crate::yaml::{Node, ScalarStyle};

pub const API_GROUP: &str = "kustomize.config.k8s.io";
/// The apiVersion each kind must have (kustomize's `EnforceFields`).
pub const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
pub const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";

/// The kustomization format as a JSON Schema: every object closed, as kustomize decodes a
/// kustomization with unknown fields disallowed.
pub fn schema() -> Arc<DocSchema> {
    static SCHEMA: OnceLock<Arc<DocSchema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let text = include_str!("kustomization.schema.json");
            // Embedded and tested: a parse failure is a build mistake, not an input.
            let root = serde_json::from_str(text).unwrap_or(serde_json::Value::Bool(true));
            Arc::new(DocSchema::new(root, true, "the kustomization format".to_string()))
        })
        .clone()
}

/// A `patchesStrategicMerge` entry that is the patch itself rather than a file name: kustomize
/// tries the entry as a file first, and a file name holds no line break or `key: value`.
pub fn is_inline_patch(entry: &str) -> bool {
    entry.contains('\n') || entry.contains(": ")
}

/// Where kustomize fetches an entry from the network rather than the kustomization's folder:
/// URLs, `github.com/owner/repo//path` shorthands, `git@` and `?ref=` forms.
pub fn is_remote(entry: &str) -> bool {
    let lower = entry.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("git@")
        || lower.contains("?ref=")
        || lower.contains("?version=")
        || ["github.com/", "gitlab.com/", "bitbucket.org/"].iter().any(|host| lower.starts_with(host))
}

/// The file of a generator's `files` entry: `[key=]path`.
pub fn generator_file_path(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(_, path)| path)
}

/// The names kustomize looks for in a folder.
pub use crate::context::is_kustomization;
pub const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether a folder holds a kustomization, which kustomize requires of a folder it builds.
pub fn folder_has_kustomization(dir: &std::path::Path) -> bool {
    FILE_NAMES.iter().any(|name| dir.join(name).is_file())
}

/// Whether a document of a file a kustomization lists is a JSON 6902 patch: every file under
/// `patchesJson6902`, and a `patches` file whose document is a list (a strategic-merge patch is
/// a mapping).
pub fn is_json_patch(root: &Node<'_>, role: KustomizeRole) -> bool {
    role == KustomizeRole::JsonPatch || (role == KustomizeRole::Patch && root.as_sequence().is_some())
}

/// The kind a kustomization file declares, or `Kustomization` when it declares none.
pub fn kind_of(root: &Node<'_>) -> &'static str {
    match root.get("kind").and_then(Node::scalar_text) {
        Some(k) if k.eq_ignore_ascii_case("Component") => "Component",
        _ => "Kustomization",
    }
}

/// Checks a kustomization's `kind` and `apiVersion` as kustomize does (`EnforceFields`): either
/// may be left out, but what is written must be `Kustomization` (`kustomize.config.k8s.io/v1beta1`)
/// or `Component` (`kustomize.config.k8s.io/v1alpha1`).
pub fn identify(root: &Node<'_>, issues: &mut Vec<Issue>) {
    let quoted = |n: &Node<'_>| {
        n.as_scalar().is_some_and(|s| matches!(s.style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted))
    };
    let mut kind = "Kustomization";
    if let Some(node) = root.get("kind") {
        let written = node.scalar_text().unwrap_or_default();
        match ["Kustomization", "Component"].into_iter().find(|k| k.eq_ignore_ascii_case(written)) {
            Some(known) if known == written => kind = known,
            Some(known) => {
                kind = known;
                issues.push(Issue::ValueCase {
                    value: node.span,
                    written: written.to_string(),
                    canonical: known.to_string(),
                    field: "kind".into(),
                    quoted: quoted(node),
                });
            }
            None => issues.push(Issue::InvalidValue {
                value: node.span,
                field: "kind".into(),
                reason: format!("`{written}` is not a kind of kustomization file"),
                help: Some("the kind of a kustomization file is Kustomization or Component".into()),
            }),
        }
    }
    let required = if kind == "Component" { COMPONENT_VERSION } else { KUSTOMIZATION_VERSION };
    if let Some(node) = root.get("apiVersion") {
        let written = node.scalar_text().unwrap_or_default();
        if written == required {
            return;
        }
        issues.push(if written.eq_ignore_ascii_case(required) {
            Issue::ValueCase {
                value: node.span,
                written: written.to_string(),
                canonical: required.to_string(),
                field: "apiVersion".into(),
                quoted: quoted(node),
            }
        } else {
            Issue::InvalidValue {
                value: node.span,
                field: "apiVersion".into(),
                reason: format!("the apiVersion of a {kind} is {required}, not `{written}`"),
                help: Some(format!(
                    "a Kustomization is {KUSTOMIZATION_VERSION} and a Component {COMPONENT_VERSION}; kustomize refuses any other"
                )),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_parses_and_compiles() {
        let schema = schema();
        assert!(schema.root.get("properties").is_some());
        assert!(schema.validator().is_some());
    }

    #[test]
    fn remote_and_inline_entries() {
        for remote in [
            "https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6",
            "github.com/kubernetes-sigs/kustomize/examples/multibases",
            "git@github.com:owner/repo.git//base",
            "ssh://git@github.com/owner/repo.git",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        assert!(!is_remote("../base"));
        assert!(is_inline_patch("apiVersion: apps/v1\nkind: Deployment\n"));
        assert!(!is_inline_patch("patch.yaml"));
        assert_eq!(generator_file_path("app.properties=config/app.properties"), "config/app.properties");
        assert_eq!(generator_file_path("config/app.properties"), "config/app.properties");
    }
}
