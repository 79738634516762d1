//! Kubernetes objects found in YAML documents, and typed views of the parts rules share
//! (pod specs, containers, labels).
use crate::finding::ObjectInfo;
use crate::k8s::kinds::canonical_kind;
use crate::yaml::{Document, Entry, Node, Span};

#[derive(Clone, Copy, Debug)]
pub struct Object<'t, 'a> {
    pub root: &'t Node<'a>,
    /// 0-based document index within the file.
    pub document: usize,
    /// Position inside a `kind: List`, when the object is one of its items.
    pub list_item: Option<usize>,
    pub api_version: Option<&'t str>,
    /// The kind as intended: a built-in kind with its proper case, else as written.
    pub kind: Option<&'t str>,
    pub name: Option<&'t str>,
    pub namespace: Option<&'t str>,
    pub completeness: Completeness,
}

/// Whether an object says all it is, or only what it changes in another (a strategic-merge
/// patch, which may leave out required fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    Whole,
    Patch,
}

/// Whether a file holds test assertions rather than objects to create: kuttl and chainsaw name
/// them `<step>-assert*.yaml` and `<step>-errors*.yaml` (`00-assert.yaml`), and they state only
/// the fields a test expects, so they are partial objects.
pub fn is_assertion_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let step = rest.len() < stem.len();
    let rest = rest.trim_start_matches('-');
    step && (rest.starts_with("assert") || rest.starts_with("errors"))
}

/// A document is linted as a Kubernetes object only when it says it is one: an `apiVersion` of
/// the Kubernetes shape (`v1`, `apps/v1`, `example.com/v1alpha1`) and a `kind`. Keys count in any
/// case: `apiversion:` is a mistake to report, not a reason to skip the document. Everything
/// else a repository holds (`Chart.yaml`'s `apiVersion: v2` with no kind, Grafana's
/// `apiVersion: 1`, kustomize's `apiVersion: builtin`, values files with a `kind:` key, CI
/// configs) is not an object. A document that forgets `apiVersion` still is one when it names a
/// built-in kind and has `metadata`, which no tool's config file does by accident, or when
/// `kind` is all it holds: a manifest cut short, not anything else.
pub fn looks_like_object(node: &Node<'_>) -> bool {
    let key =
        |name: &str| node.entries().iter().find(|e| e.key.scalar_text().is_some_and(|k| k.eq_ignore_ascii_case(name)));
    let Some(kind) = key("kind") else { return false };
    match key("apiVersion") {
        Some(api_version) => api_version.value.as_str().is_some_and(|v| {
            is_api_version_shape(v) && !kind.value.scalar_text().is_some_and(|k| is_tool_config(v, k))
        }),
        None => {
            let builtin = kind.value.scalar_text().and_then(canonical_kind).is_some();
            let only_kind = node.entries().len() == 1;
            only_kind || builtin && key("metadata").is_some_and(|m| m.value.as_mapping().is_some())
        }
    }
}

/// Files of tools around Kubernetes that borrow its `apiVersion`/`kind` header but are never
/// sent to an API server: read by kubectl, kind, kubeadm, the kubelet, test harnesses. Each
/// tool's documentation names these kinds.
const TOOL_CONFIGS: &[(&str, &[&str])] = &[
    // A kubeconfig: `apiVersion: v1`, `kind: Config`.
    ("v1", &["Config"]),
    ("kind.x-k8s.io", &["Cluster"]),
    (
        "kubeadm.k8s.io",
        &[
            "ClusterConfiguration",
            "InitConfiguration",
            "JoinConfiguration",
            "ResetConfiguration",
            "UpgradeConfiguration",
        ],
    ),
    ("kubelet.config.k8s.io", &["KubeletConfiguration", "CredentialProviderConfig"]),
    ("kubeproxy.config.k8s.io", &["KubeProxyConfiguration"]),
    ("kubescheduler.config.k8s.io", &["KubeSchedulerConfiguration"]),
    (
        "apiserver.config.k8s.io",
        &[
            "AdmissionConfiguration",
            "EncryptionConfiguration",
            "AuthenticationConfiguration",
            "AuthorizationConfiguration",
            "EgressSelectorConfiguration",
            "TracingConfiguration",
        ],
    ),
    ("audit.k8s.io", &["Policy"]),
    ("kuttl.dev", &["TestSuite", "TestStep", "TestAssert"]),
    ("kudo.dev", &["TestSuite", "TestStep", "TestAssert"]),
    ("chainsaw.kyverno.io", &["Test", "Configuration", "StepTemplate"]),
    ("ctlptl.dev", &["Cluster", "Registry"]),
    ("k3d.io", &["Simple"]),
    ("skaffold", &["Config"]),
];

fn is_tool_config(api_version: &str, kind: &str) -> bool {
    // The core group's version stands for its group: `v1` for a kubeconfig.
    let group = api_version.rsplit_once('/').map_or(api_version, |(group, _)| group);
    TOOL_CONFIGS.iter().any(|(g, kinds)| *g == group && kinds.contains(&kind))
}

/// `v1`, `v2beta1`, `apps/v1`, `example.com/v1alpha1`: an optional group (a DNS-style name) and a
/// version. Case is not judged here (`Apps/V1` is a mistake in an object, reported later).
pub fn is_api_version_shape(text: &str) -> bool {
    let (group, version) = match text.rsplit_once('/') {
        Some((group, version)) => (Some(group), version),
        None => (None, text),
    };
    let group_ok = group.is_none_or(|g| {
        !g.is_empty()
            && g.len() <= 253
            && g.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && g.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
    });
    let version_ok = version.strip_prefix(['v', 'V']).is_some_and(|number| {
        let digits = number.bytes().take_while(u8::is_ascii_digit).count();
        let stage = number[digits..].trim_end_matches(|c: char| c.is_ascii_digit());
        digits > 0 && (stage.is_empty() || stage.eq_ignore_ascii_case("alpha") || stage.eq_ignore_ascii_case("beta"))
    });
    group_ok && version_ok
}

/// The objects of a document: the document itself, or the items of a `List`.
pub fn objects_in<'t, 'a>(document: &'t Document<'a>) -> Vec<Object<'t, 'a>> {
    let Some(root) = &document.root else { return Vec::new() };
    if !looks_like_object(root) {
        return Vec::new();
    }
    let object = Object::new(root, document.index, None);
    let is_list = object.kind.is_some_and(|k| k == "List" || k.ends_with("List"));
    if let (true, Some(items)) = (is_list, root.get("items").and_then(Node::as_sequence)) {
        return items
            .iter()
            .enumerate()
            .filter(|(_, item)| looks_like_object(item))
            .map(|(i, item)| Object::new(item, document.index, Some(i)))
            .collect();
    }
    vec![object]
}

/// Mutable roots of the same objects `objects_in` yields, in the same order: the schema stage
/// normalises them before any rule reads them.
pub fn object_roots_mut<'t, 'a>(document: &'t mut Document<'a>) -> Vec<&'t mut Node<'a>> {
    let Some(root) = &mut document.root else { return Vec::new() };
    if !looks_like_object(root) {
        return Vec::new();
    }
    let kind = root.get("kind").and_then(Node::scalar_text).map(|k| canonical_kind(k).unwrap_or(k));
    let is_list = kind.is_some_and(|k| k == "List" || k.ends_with("List"));
    if is_list && root.get("items").and_then(Node::as_sequence).is_some() {
        let items = root.entry_mut("items").map(|e| &mut e.value);
        if let Some(Node { value: crate::yaml::Value::Sequence(items), .. }) = items {
            return items.iter_mut().filter(|item| looks_like_object(item)).collect();
        }
        return Vec::new();
    }
    vec![root]
}

impl<'t, 'a> Object<'t, 'a> {
    pub fn new(root: &'t Node<'a>, document: usize, list_item: Option<usize>) -> Self {
        let kind = root.get("kind").and_then(Node::scalar_text).map(|k| canonical_kind(k).unwrap_or(k));
        let metadata = root.get("metadata");
        let meta_str = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Node::scalar_text);
        Object {
            root,
            document,
            list_item,
            api_version: root.get("apiVersion").and_then(Node::scalar_text),
            kind,
            name: meta_str("name").or_else(|| meta_str("generateName")),
            namespace: meta_str("namespace"),
            // `$patch` is a strategic-merge-patch directive: only a patch carries one. Files a
            // kustomization lists as patches are marked by the engine, which knows the run.
            completeness: if root.get("$patch").is_some() { Completeness::Patch } else { Completeness::Whole },
        }
    }

    pub fn info(&self) -> ObjectInfo {
        ObjectInfo {
            api_version: self.api_version.map(str::to_owned),
            kind: self.kind.map(str::to_owned),
            name: self.name.map(str::to_owned),
            namespace: self.namespace.map(str::to_owned),
        }
    }

    /// `apps` for `apps/v1`, the empty string for the core group (`v1`).
    pub fn group(&self) -> Option<&'t str> {
        self.api_version.map(|v| v.rsplit_once('/').map_or("", |(g, _)| g))
    }

    pub fn is_kind(&self, kind: &str) -> bool {
        self.kind == Some(kind)
    }

    /// The span a finding about the whole object points at: its `kind` value, else its first key.
    pub fn anchor(&self) -> Span {
        self.root
            .entry("kind")
            .map(|e| e.value.span)
            .or_else(|| self.root.entries().first().map(|e| e.key.span))
            .unwrap_or(self.root.span)
    }

    /// Where the pod template of a workload lives.
    pub fn pod_template(&self) -> Option<PodTemplate<'t, 'a>> {
        let kind = self.kind?;
        let (metadata, spec_entry) = match kind {
            "Pod" => (self.root.get("metadata"), self.root.entry("spec")?),
            "PodTemplate" => {
                let template = self.root.get("template")?;
                (template.get("metadata"), template.entry("spec")?)
            }
            "CronJob" => {
                let template = self.root.path(&["spec", "jobTemplate", "spec", "template"])?;
                (template.get("metadata"), template.entry("spec")?)
            }
            // Argo Rollouts: a Deployment with a rollout strategy, its pod template where a
            // Deployment has it (unless it points at a Deployment's with `workloadRef`).
            "Rollout" if self.group() == Some("argoproj.io") => {
                let template = self.root.path(&["spec", "template"])?;
                (template.get("metadata"), template.entry("spec")?)
            }
            _ if WORKLOAD_KINDS.contains(&kind) => {
                let template = self.root.path(&["spec", "template"])?;
                (template.get("metadata"), template.entry("spec")?)
            }
            _ => return None,
        };
        spec_entry.value.as_mapping()?;
        Some(PodTemplate { metadata, spec_entry })
    }

    /// Workloads whose pods are meant to keep running (so they need probes); Jobs and CronJobs
    /// run to completion.
    pub fn is_long_running(&self) -> bool {
        matches!(
            self.kind,
            Some(
                "Pod"
                    | "Deployment"
                    | "StatefulSet"
                    | "DaemonSet"
                    | "ReplicaSet"
                    | "ReplicationController"
                    | "DeploymentConfig"
                    | "Rollout"
            )
        )
    }
}

/// Kinds whose pod template sits at `spec.template` (CronJob, Pod and PodTemplate differ).
pub const WORKLOAD_KINDS: &[&str] =
    &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "DeploymentConfig"];

#[derive(Clone, Copy, Debug)]
pub struct PodTemplate<'t, 'a> {
    pub metadata: Option<&'t Node<'a>>,
    /// The `spec:` entry of the pod, so that "missing" findings can point at its key.
    pub spec_entry: &'t Entry<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    App,
    Init,
    Ephemeral,
}

impl ContainerKind {
    pub fn label(self) -> &'static str {
        match self {
            ContainerKind::App => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Container<'t, 'a> {
    pub kind: ContainerKind,
    pub node: &'t Node<'a>,
    pub name: Option<&'t str>,
}

impl<'t, 'a> Container<'t, 'a> {
    /// Where findings about something the container lacks point: its `name` entry, the line
    /// people recognise the container by.
    pub fn anchor(&self) -> Span {
        match self.node.entry("name") {
            Some(e) => e.key.span.to(e.value.span),
            None => self.node.entries().first().map_or(self.node.span, |e| e.key.span),
        }
    }

    pub fn describe(&self) -> String {
        match self.name {
            Some(name) => format!("{} `{name}`", self.kind.label()),
            None => self.kind.label().to_string(),
        }
    }

    /// An init container with `restartPolicy: Always` is a native sidecar: it runs for the
    /// pod's whole life, like an app container.
    pub fn is_native_sidecar(&self) -> bool {
        self.kind == ContainerKind::Init && self.node.get("restartPolicy").and_then(Node::scalar_text) == Some("Always")
    }
}

impl<'t, 'a> PodTemplate<'t, 'a> {
    pub fn spec(&self) -> &'t Node<'a> {
        &self.spec_entry.value
    }

    pub fn labels(&self) -> Option<&'t Node<'a>> {
        self.metadata.and_then(|m| m.get("labels"))
    }

    pub fn containers(&self) -> Vec<Container<'t, 'a>> {
        let spec = self.spec();
        let mut out = Vec::new();
        for (key, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::App),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            for node in spec.get(key).map(Node::items).unwrap_or(&[]) {
                if node.as_mapping().is_some() {
                    out.push(Container { kind, node, name: node.get("name").and_then(Node::scalar_text) });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    #[test]
    fn lists_expand_and_miscased_kinds_are_recognised() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: pod\n  metadata: {name: a}\n- kind: Service\n  metadata: {name: b}\n---\nreplicaCount: 3\n---\napiversion: v1\nKind: ConfigMap\n";
        let loaded = load(text, Limits::default());
        let objects: Vec<_> = loaded.documents.iter().flat_map(objects_in).collect();
        assert_eq!(objects.len(), 3);
        assert_eq!((objects[0].kind, objects[0].name, objects[0].list_item), (Some("Pod"), Some("a"), Some(0)));
        assert_eq!(objects[1].kind, Some("Service"));
        assert_eq!((objects[2].kind, objects[2].api_version, objects[2].document), (Some("ConfigMap"), Some("v1"), 2));
    }

    #[test]
    fn pod_templates_by_kind() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {a: b}}\n        spec:\n          initContainers: [{name: i, restartPolicy: Always}]\n          containers: [{name: c}]\n";
        let loaded = load(text, Limits::default());
        let objects = objects_in(&loaded.documents[0]);
        let template = objects[0].pod_template().unwrap();
        let containers = template.containers();
        assert_eq!(containers.len(), 2);
        assert!(containers[0].is_native_sidecar());
        assert_eq!(containers[1].name, Some("c"));
        assert!(template.labels().is_some());
        assert!(!objects[0].is_long_running());
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    #[test]
    fn test_assertion_files_by_name() {
        for name in ["tests/e2e/basic/00-assert.yaml", "01-errors.yaml", "02-assert-pods.yml", "00--assert.yaml"] {
            assert!(is_assertion_file(name), "{name}");
        }
        for name in ["00-install.yaml", "assert.yaml", "k8s/assertions.yaml", "10-deploy-errors-page.yaml"] {
            assert!(!is_assertion_file(name), "{name}");
        }
    }

    #[test]
    fn api_versions_of_the_kubernetes_shape() {
        for good in ["v1", "apps/v1", "networking.k8s.io/v1beta1", "example.com/v1alpha1", "V1", "x-y.io/v2beta2"] {
            assert!(is_api_version_shape(good), "{good}");
        }
        for bad in ["1", "v", "builtin", "v1.2", "apps/", "/v1", "apps/1", "v1gamma1", "a b/v1", "apps/v1/x", ""] {
            assert!(!is_api_version_shape(bad), "{bad}");
        }
    }

    fn first_object(text: &str) -> bool {
        let loaded = crate::yaml::load(text, crate::yaml::Limits::default());
        loaded.documents.first().and_then(|d| d.root.as_ref()).is_some_and(looks_like_object)
    }

    #[test]
    fn only_documents_that_say_they_are_objects_are_objects() {
        assert!(first_object("apiVersion: v1\nkind: Pod\n"));
        assert!(first_object("apiversion: apps/v1\nKind: Deployment\n"));
        assert!(first_object("kind: Deployment\nmetadata:\n  name: web\n"));
        // Helm's Chart.yaml, Grafana provisioning, kustomize builtins, a values file.
        assert!(!first_object("apiVersion: v2\nname: chart\nversion: 1.0.0\n"));
        assert!(!first_object("apiVersion: 1\nkind: datasources\n"));
        assert!(!first_object("apiVersion: builtin\nkind: LabelTransformer\n"));
        assert!(!first_object("kind: DaemonSet\nimage:\n  repository: fluent/fluent-bit\n"));
        assert!(!first_object("kind: Thing\nmetadata:\n  name: x\n"));
        assert!(first_object("kind:\n"));
        // Tool configs with the Kubernetes header: a kubeconfig, a kind cluster, a kuttl assert.
        assert!(!first_object("apiVersion: v1\nkind: Config\nclusters: []\n"));
        assert!(!first_object("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: []\n"));
        assert!(!first_object("apiVersion: kuttl.dev/v1beta1\nkind: TestAssert\ntimeout: 30\n"));
        assert!(first_object("apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: a}\n"));
    }
}
