//! A path a kustomization lists that is not there: `kustomize build` stops at it.
use std::path::Path;

use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::kustomize::{folder_has_kustomization, generator_file_path, is_inline_patch, is_remote};
use crate::object::Object;
use crate::yaml::Node;

pub struct KustomizeMissingPath;

static META: RuleMeta = RuleMeta {
    id: "kustomize-missing-path",
    severity: Severity::Error,
    category: Category::Syntax,
    summary: "A kustomization lists a file or folder that does not exist, so `kustomize build` fails",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/kustomize-missing-path.md"),
    ..RuleMeta::DEFAULTS
};

/// What kustomize accepts at an entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A file, or a folder holding a kustomization (`resources`, `bases`, `components`).
    FileOrKustomization,
    /// A file (patches, generator sources, configurations, schemas).
    File,
    /// A file, or a folder of plugin configs built as a kustomization (`generators`,
    /// `transformers`).
    FileOrFolder,
}

impl Rule for KustomizeMissingPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(dir) = cx.provenance.kustomization_file.as_ref().and_then(|k| k.dir.clone()) else { return };
        let root = object.root;
        let mut entries: Vec<(&Node<'_>, &str, Expect)> = Vec::new();
        for key in ["resources", "bases", "components"] {
            entries.extend(items(root.get(key)).map(|n| (n, key, Expect::FileOrKustomization)));
        }
        for key in ["configurations", "crds"] {
            entries.extend(items(root.get(key)).map(|n| (n, key, Expect::File)));
        }
        for key in ["generators", "transformers", "validators"] {
            entries.extend(items(root.get(key)).map(|n| (n, key, Expect::FileOrFolder)));
        }
        let inline = |n: &&Node<'_>| n.as_str().is_some_and(is_inline_patch);
        entries.extend(
            items(root.get("patchesStrategicMerge"))
                .filter(|n| !inline(n))
                .map(|n| (n, "patchesStrategicMerge", Expect::File)),
        );
        for key in ["patches", "patchesJson6902", "replacements"] {
            entries.extend(items(root.get(key)).filter_map(|p| p.get("path")).map(|n| (n, key, Expect::File)));
        }
        entries.extend(root.path(&["openapi", "path"]).map(|n| (n, "openapi", Expect::File)));
        for generator in ["configMapGenerator", "secretGenerator"] {
            for item in items(root.get(generator)) {
                for key in ["files", "envs"] {
                    entries.extend(items(item.get(key)).map(|n| (n, generator, Expect::File)));
                }
                entries.extend(item.get("env").map(|n| (n, generator, Expect::File)));
            }
        }
        for (node, list, expect) in entries {
            let Some(written) = node.as_str() else { continue };
            let path = if list.ends_with("Generator") { generator_file_path(written) } else { written };
            if path.is_empty() || is_remote(path) {
                continue;
            }
            let Some(problem) = problem(&dir.join(path), expect) else { continue };
            let message = format!("`{list}` lists `{path}`, which {problem}");
            let shown = if dir.as_os_str().is_empty() { ".".to_string() } else { dir.display().to_string() };
            cx.report(&META, node.span, message).help(format!(
                "`kustomize build` fails here; paths are relative to the kustomization's folder (`{shown}`)"
            ));
        }
    }
}

fn items<'t, 'a>(node: Option<&'t Node<'a>>) -> impl Iterator<Item = &'t Node<'a>> {
    node.map(Node::items).unwrap_or(&[]).iter()
}

fn problem(path: &Path, expect: Expect) -> Option<&'static str> {
    let Ok(meta) = std::fs::metadata(path) else { return Some("does not exist") };
    match expect {
        Expect::FileOrKustomization if meta.is_dir() && !folder_has_kustomization(path) => {
            Some("is a folder without a kustomization.yaml (kustomize builds a folder only through one)")
        }
        Expect::File if meta.is_dir() => Some("is a folder, not a file"),
        _ => None,
    }
}
