//! The run context: what every file's checks may need to know about the other files before any
//! object is checked. CRDs (a custom resource may come before its definition), Namespaces and
//! their labels (Pod Security levels), and where a document comes from: a kustomization's
//! resource (with the namespace it sets) or patch, or a Helm template.
//!
//! Gathered in a pre-pass that parses only what it needs: the documents that mention a CRD or a
//! Namespace, and kustomization files, found by name.
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::index::references::string_pairs;
use crate::object::objects_in;
use crate::schema::catalog::DocSchema;
use crate::source::path;
use crate::yaml::{self, Limits, Node};

/// A Namespace object of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceFacts {
    pub labels: Vec<(String, String)>,
    /// The file that declares it.
    pub file: Arc<str>,
}

/// What a kustomization does with a file it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KustomizeRole {
    /// Listed under `resources`: its objects are built, in the kustomization's namespace.
    Resource,
    /// Listed under `patches`, `patchesStrategicMerge` or `patchesJson6902`: it changes objects
    /// defined elsewhere, so it names only what it changes.
    Patch,
    /// Listed under `patchesJson6902`: an RFC 6902 list of operations, not an object.
    JsonPatch,
    /// Read by kustomize itself, never built into objects: transformer configurations, generator
    /// and transformer plugin configs, CRD schema files, OpenAPI schemas, replacement files and
    /// the files a ConfigMap or Secret generator takes its data from.
    Config,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kustomized {
    /// The kustomization file that names this one.
    pub kustomization: Arc<str>,
    pub role: KustomizeRole,
    /// The `namespace` the kustomization (or one that includes it) sets on what it builds.
    pub namespace: Option<String>,
    /// Whether the kustomization (or one that includes it) writes labels into selectors
    /// (`commonLabels`, or `labels` with `includeSelectors: true`), creating a workload's
    /// `spec.selector` when the resource has none.
    pub labels_selectors: bool,
    /// Labels the kustomization (and those that include it) writes into pod templates
    /// (`commonLabels`, `labels` with `includeSelectors` or `includeTemplates`): what selectors
    /// see on the pods it builds.
    pub template_labels: Vec<(String, String)>,
}

/// Where a document comes from, beyond the file it is in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    pub kustomize: Option<Kustomized>,
    /// The chart template a document of `helm template` output was rendered from.
    pub helm_template: Option<Arc<str>>,
    /// Set when the document is a kustomization file itself.
    pub kustomization_file: Option<KustomizationFile>,
}

/// A kustomization being checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KustomizationFile {
    /// Its folder, when it was read from disk: the paths it lists are checked there. Text held in
    /// memory (standard input, a test) names no folder to look in.
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Default)]
pub struct RunContext {
    /// `(apiVersion, kind, schema)` of every CRD version among the inputs; the first file given
    /// wins when two define the same kind.
    pub crds: Vec<(String, String, DocSchema)>,
    pub namespaces: FxHashMap<String, NamespaceFacts>,
    /// Files a kustomization of the run names, by normalised path.
    kustomized: FxHashMap<String, Kustomized>,
    /// `(kind, name)` of the ConfigMaps and Secrets kustomization generators of the run make:
    /// objects of the build that are in no file, which references may name.
    pub generated: rustc_hash::FxHashSet<(&'static str, String)>,
    /// ValidatingAdmissionPolicies, their Bindings and what evaluating them needs.
    pub admission: crate::admission::Gathered,
    /// The policies compiled, once per run (by the engine).
    pub policies: Option<Arc<crate::admission::PolicySet>>,
}

impl std::fmt::Debug for RunContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunContext")
            .field("crds", &self.crds.len())
            .field("namespaces", &self.namespaces)
            .field("kustomized", &self.kustomized)
            .finish()
    }
}

/// What one file contributes to the run context.
#[derive(Default)]
pub struct ContextPart {
    pub crds: Vec<(String, String, DocSchema)>,
    pub namespaces: Vec<(String, NamespaceFacts)>,
    pub kustomization: Option<Kustomization>,
    pub admission: crate::admission::Part,
}

/// The parts of a kustomization file that say what happens to other files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kustomization {
    pub file: Arc<str>,
    pub namespace: Option<String>,
    /// Paths as written, relative to the kustomization's folder.
    pub resources: Vec<String>,
    /// Folders of `Component` kustomizations: built into this one like resources.
    pub components: Vec<String>,
    pub patches: Vec<String>,
    pub json_patches: Vec<String>,
    pub configs: Vec<String>,
    /// `commonLabels`, or `labels` with `includeSelectors: true`.
    pub labels_selectors: bool,
    /// Labels it writes into pod templates (see `Kustomized::template_labels`).
    pub template_labels: Vec<(String, String)>,
    /// `(kind, name)` of the ConfigMaps and Secrets its generators make.
    pub generated: Vec<(&'static str, String)>,
}

use crate::kustomize::FILE_NAMES as KUSTOMIZATION_NAMES;

pub fn is_kustomization(name: &str) -> bool {
    let file = Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or_default();
    KUSTOMIZATION_NAMES.contains(&file)
}

impl ContextPart {
    /// Reads what the run context needs from one file. Only documents that mention a CRD or a
    /// Namespace are parsed, so most files cost one scan of their bytes.
    pub fn gather(name: &Arc<str>, bytes: &[u8], limits: Limits) -> ContextPart {
        let mut part = ContextPart::default();
        let crd = memchr::memmem::Finder::new(b"CustomResourceDefinition");
        let namespace = memchr::memmem::Finder::new(b"Namespace");
        let policy = memchr::memmem::Finder::new(crate::admission::POLICY_MARK);
        let kustomization = is_kustomization(name);
        let mentions = |finder: &memchr::memmem::Finder<'_>| finder.find(bytes).is_some();
        if !kustomization && !mentions(&crd) && !mentions(&namespace) && !mentions(&policy) {
            return part;
        }
        let Ok(text) = std::str::from_utf8(bytes) else { return part };
        if crate::source::markdown::is_markdown(name) {
            // Each block of a page is its own stream, in the page's coordinates.
            let page = crate::source::markdown::read(text);
            for block in &page.blocks {
                let parsed = yaml::load_part(&page.view[..block.range.end], block.range.start, limits);
                part.read_documents(&parsed.documents, name, &page.view);
            }
            return part;
        }
        if kustomization {
            let loaded = yaml::load(text, limits);
            if let Some(root) = loaded.documents.first().and_then(|d| d.root.as_ref()) {
                part.kustomization = Some(read_kustomization(name, root));
            }
        }
        // Only the documents that mention a kind are parsed: a CRD in a large rendered file would
        // otherwise cost a second parse of the whole file, and its memory.
        let documents = yaml::document_parts(text, 0);
        let mut wanted: Vec<usize> = crd
            .find_iter(bytes)
            .chain(namespace.find_iter(bytes))
            .chain(policy.find_iter(bytes))
            .map(|at| documents.partition_point(|d| d.end <= at).min(documents.len() - 1))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        for range in wanted.into_iter().map(|i| documents[i].clone()) {
            let parsed = yaml::load_part(&text[..range.end], range.start, limits);
            part.read_documents(&parsed.documents, name, text);
        }
        part
    }

    /// The CRDs, Namespaces and admission policies among `documents`.
    fn read_documents(&mut self, documents: &[yaml::Document<'_>], name: &Arc<str>, text: &str) {
        for object in documents.iter().flat_map(objects_in) {
            self.admission.read(&object, name, text, true);
            if object.is_kind("CustomResourceDefinition") {
                self.crds.extend(crate::schema::crd::schemas_from_crd(object.root, name));
            } else if object.is_kind("Namespace")
                && let Some(ns) = object.name
            {
                let labels = string_pairs(object.root.path(&["metadata", "labels"]));
                self.namespaces.push((ns.to_string(), NamespaceFacts { labels, file: name.clone() }));
            }
        }
    }
}

impl ContextPart {
    /// Whether the file adds anything to the run context.
    pub fn shapes_context(&self) -> bool {
        !self.crds.is_empty()
            || !self.namespaces.is_empty()
            || self.kustomization.is_some()
            || !self.admission.is_empty()
    }
}

fn read_kustomization(name: &Arc<str>, root: &Node<'_>) -> Kustomization {
    use crate::kustomize;
    let strings = |key: &str| -> Vec<String> {
        root.get(key).map(Node::items).unwrap_or(&[]).iter().filter_map(|n| n.as_str().map(str::to_owned)).collect()
    };
    let paths_under = |key: &str, field: &str| -> Vec<String> {
        let items = root.get(key).map(Node::items).unwrap_or(&[]).iter();
        items.filter_map(|p| p.get(field).and_then(Node::as_str).map(str::to_owned)).collect()
    };
    // `patchesStrategicMerge` entries may be inline patches rather than file names.
    let mut patches: Vec<String> =
        strings("patchesStrategicMerge").into_iter().filter(|p| !kustomize::is_inline_patch(p)).collect();
    patches.extend(paths_under("patches", "path"));
    // kustomize refuses a bare path under `patches` (reported by the schema), but the file is
    // still meant as a patch: one mistake, not a patch full of missing fields too.
    patches.extend(strings("patches").into_iter().filter(|p| !kustomize::is_inline_patch(p)));
    let common_labels = root.get("commonLabels").and_then(Node::as_mapping).is_some_and(|m| !m.is_empty());
    let labels_in_selectors = root
        .get("labels")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .any(|l| l.get("includeSelectors").and_then(Node::as_bool) == Some(true));
    let pairs = |node: Option<&Node<'_>>| -> Vec<(String, String)> {
        node.map(Node::entries)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| Some((e.key.scalar_text()?.to_string(), e.value.scalar_text()?.to_string())))
            .collect()
    };
    let mut template_labels = pairs(root.get("commonLabels"));
    for item in root.get("labels").map(Node::items).unwrap_or(&[]) {
        let included = |key: &str| item.get(key).and_then(Node::as_bool) == Some(true);
        if included("includeSelectors") || included("includeTemplates") {
            template_labels.extend(pairs(item.get("pairs")));
        }
    }
    let mut configs =
        [strings("configurations"), strings("crds"), strings("generators"), strings("transformers")].concat();
    configs.extend(paths_under("replacements", "path"));
    configs.extend(root.path(&["openapi", "path"]).and_then(Node::as_str).map(str::to_owned));
    let mut generated = Vec::new();
    for (generator, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
        for item in root.get(generator).map(Node::items).unwrap_or(&[]) {
            generated.extend(item.get("name").and_then(Node::as_str).map(|n| (kind, n.to_string())));
            let files = item.get("files").map(Node::items).unwrap_or(&[]).iter().filter_map(Node::as_str);
            configs.extend(files.map(|f| kustomize::generator_file_path(f).to_string()));
            let envs = item.get("envs").map(Node::items).unwrap_or(&[]).iter().filter_map(Node::as_str);
            configs.extend(envs.map(str::to_owned));
            configs.extend(item.get("env").and_then(Node::as_str).map(str::to_owned));
        }
    }
    Kustomization {
        file: name.clone(),
        namespace: root.get("namespace").and_then(Node::as_str).map(str::to_owned),
        resources: [strings("resources"), strings("bases")].concat(),
        components: strings("components"),
        patches,
        json_patches: paths_under("patchesJson6902", "path"),
        configs,
        labels_selectors: common_labels || labels_in_selectors,
        template_labels,
        generated,
    }
}

/// A kustomization reached while following `resources`, with what the ones that include it
/// set on what it builds: namespace, labels into selectors, labels into pod templates, depth.
type Inclusion<'k> = (&'k Kustomization, Option<String>, bool, Vec<(String, String)>, usize);

impl RunContext {
    /// Joins the files' parts, in the order the files were given.
    pub fn from_parts(parts: impl IntoIterator<Item = ContextPart>) -> RunContext {
        let mut context = RunContext::default();
        let mut kustomizations = Vec::new();
        for part in parts {
            context.crds.extend(part.crds);
            for (name, facts) in part.namespaces {
                context.namespaces.entry(name).or_insert(facts);
            }
            context.admission.add(part.admission);
            if let Some(kustomization) = &part.kustomization {
                context.generated.extend(kustomization.generated.iter().cloned());
            }
            kustomizations.extend(part.kustomization);
        }
        // Deterministic when two files define the same kind: the first given wins.
        context.crds.reverse();
        context.kustomized = resolve_kustomizations(&kustomizations);
        context
    }

    /// Where a file's documents come from, as far as the run's kustomizations say.
    pub fn kustomized(&self, file: &str) -> Option<&Kustomized> {
        if self.kustomized.is_empty() {
            return None;
        }
        self.kustomized.get(&path::key(Path::new(""), file))
    }

    /// The Pod Security labels and other labels of a Namespace of the run.
    pub fn namespace(&self, name: &str) -> Option<&NamespaceFacts> {
        self.namespaces.get(name)
    }
}

/// Every file a kustomization names, directly or through a folder holding another
/// kustomization, with what it is there and the namespace the outermost one sets.
fn resolve_kustomizations(all: &[Kustomization]) -> FxHashMap<String, Kustomized> {
    let folder_of = |k: &Kustomization| path::key(Path::new(""), &k.file).rsplit_once('/').map(|(d, _)| d.to_string());
    let by_folder: FxHashMap<String, &Kustomization> =
        all.iter().map(|k| (folder_of(k).unwrap_or_default(), k)).collect();
    // A kustomization that another one includes is reached through it: its files then get the
    // outer namespace, as kustomize applies the outer transformer last. Outermost ones first;
    // where two overlays include one base, the first given wins.
    let included: Vec<String> = all
        .iter()
        .flat_map(|k| {
            let folder = folder_of(k).unwrap_or_default();
            k.resources.iter().chain(&k.components).map(move |r| path::key(Path::new(&folder), r))
        })
        .filter(|key| by_folder.contains_key(key))
        .collect();
    let (tops, inner): (Vec<&Kustomization>, Vec<&Kustomization>) =
        all.iter().partition(|k| !included.contains(&folder_of(k).unwrap_or_default()));
    let mut out: FxHashMap<String, Kustomized> = FxHashMap::default();
    for top in tops.into_iter().chain(inner) {
        let mut stack: Vec<Inclusion<'_>> = vec![(top, top.namespace.clone(), top.labels_selectors, Vec::new(), 0)];
        while let Some((k, namespace, outer_labels_selectors, outer_labels, depth)) = stack.pop() {
            let labels_selectors = outer_labels_selectors || k.labels_selectors;
            // The outer kustomization's labels are applied last, so they win.
            let mut template_labels = k.template_labels.clone();
            template_labels.extend(outer_labels);
            let folder = folder_of(k).unwrap_or_default();
            let base = Path::new(&folder);
            let lists = [
                (&k.resources, KustomizeRole::Resource),
                (&k.components, KustomizeRole::Resource),
                (&k.patches, KustomizeRole::Patch),
                (&k.json_patches, KustomizeRole::JsonPatch),
                (&k.configs, KustomizeRole::Config),
            ];
            for (paths, role) in lists {
                for written in paths {
                    let key = path::key(base, written);
                    if role == KustomizeRole::Resource
                        && let Some(inner) = by_folder.get(&key)
                    {
                        // Bounded: kustomize refuses cycles, podlint just stops following them.
                        if depth < 16 {
                            let namespace = namespace.clone().or_else(|| inner.namespace.clone());
                            stack.push((inner, namespace, labels_selectors, template_labels.clone(), depth + 1));
                        }
                        continue;
                    }
                    let entry = Kustomized {
                        kustomization: k.file.clone(),
                        role,
                        namespace: namespace.clone(),
                        labels_selectors,
                        template_labels: template_labels.clone(),
                    };
                    // A patch or a tool's file stays one whoever else names it as a resource.
                    let upgrade = |e: &Kustomized| e.role == KustomizeRole::Resource && role != KustomizeRole::Resource;
                    if out.get(&key).is_none_or(upgrade) {
                        out.insert(key, entry);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(name: &str, text: &str) -> ContextPart {
        ContextPart::gather(&Arc::from(name), text.as_bytes(), Limits::default())
    }

    #[test]
    fn namespaces_and_crds_are_gathered_from_the_documents_that_mention_them() {
        let text = "kind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n";
        let context = RunContext::from_parts([part("ns.yaml", text)]);
        let prod = context.namespace("prod").expect("gathered");
        assert_eq!(prod.labels, [("pod-security.kubernetes.io/enforce".to_string(), "restricted".to_string())]);
        assert!(context.crds.is_empty());
    }

    #[test]
    fn kustomizations_mark_their_resources_and_patches() {
        let base = part("k8s/base/kustomization.yaml", "resources: [deployment.yaml]\npatches:\n- path: patch.yaml\n");
        let overlay = part(
            "k8s/prod/kustomization.yaml",
            "namespace: prod\nresources: [../base, extra.yaml]\npatchesStrategicMerge: [replicas.yaml]\n",
        );
        let context = RunContext::from_parts([base, overlay]);
        let deployment = context.kustomized("./k8s/base/deployment.yaml").expect("a resource");
        assert_eq!((deployment.role, deployment.namespace.as_deref()), (KustomizeRole::Resource, Some("prod")));
        assert_eq!(context.kustomized("k8s/base/patch.yaml").map(|k| k.role), Some(KustomizeRole::Patch));
        assert_eq!(context.kustomized("k8s/prod/replicas.yaml").map(|k| k.role), Some(KustomizeRole::Patch));
        assert_eq!(context.kustomized("k8s/prod/extra.yaml").and_then(|k| k.namespace.as_deref()), Some("prod"));
        assert!(context.kustomized("k8s/other.yaml").is_none());
    }
}
