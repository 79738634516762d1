//! A synthetic but realistic Kubernetes corpus for benchmarks, deterministic from a seed.
//!
//! Shared by the `gen-corpus` tool, the criterion benches and the tests through `#[path]`, so
//! that a benchmark input never needs to be checked in. Objects come in application bundles
//! (workload, Service, ConfigMap, RBAC, ...) so that cross-object rules see what they see in real
//! repositories: Services that select their workload's pods, probes that name real ports. About
//! 5% of objects carry one mistake of the kind podlint exists to find; the rest are clean, so
//! the findings of a run say how many mistakes were planted, not how noisy the generator is.
#![allow(dead_code)] // each includer uses a different part

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// splitmix64: tiny, fast, and fully specified, so a seed gives the same corpus on every
/// platform and toolchain (a `rand` upgrade could silently change every benchmark input).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is far below what matters here).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        &items[self.below(items.len())]
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b"0123456789abcdef"[self.below(16)])).collect()
    }

    fn base64(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s: String = (0..len).map(|_| char::from(ALPHABET[self.below(64)])).collect();
        // A last group of one character and three `=` encodes nothing: the API server refuses it.
        // Dropped after drawing, so that the rest of the corpus stays as it was.
        if s.len() % 4 == 1 {
            s.pop();
        }
        while !s.len().is_multiple_of(4) {
            s.push('=');
        }
        s
    }
}

/// One generated file, its path relative to the corpus root.
pub struct File {
    pub path: String,
    pub text: String,
    pub docs: Vec<DocInfo>,
}

/// Where a document starts in its file and what was planted in it, so that tests can hold
/// podlint's findings against the generator's intent.
pub struct DocInfo {
    pub start: usize,
    pub kind: &'static str,
    pub mistake: Option<Mistake>,
    pub facts: Facts,
}

/// What the generator wrote into a document that cross-object rules read, kept so that tests can
/// check a shape's claim (most Services unmatched, few distinct selectors) without parsing YAML.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// `metadata.namespace` as written: `None` for cluster-scoped objects and objects written
    /// without one (which podlint, like `kubectl apply -n`, lets match any namespace).
    pub namespace: Option<String>,
    /// A Service's `spec.selector`.
    pub selector: Vec<(String, String)>,
    /// A workload's pod template labels.
    pub pod_labels: Vec<(String, String)>,
}

pub struct Corpus {
    pub files: Vec<File>,
}

impl Corpus {
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }

    pub fn docs(&self) -> usize {
        self.files.iter().map(|f| f.docs.len()).sum()
    }

    /// Objects that carry a planted mistake.
    /// Documents podlint should flag (a marked Service for an operator's pods is not one).
    pub fn mistakes(&self) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.docs)
            .filter(|d| d.mistake.is_some_and(|m| m != Mistake::OperatorPods))
            .count()
    }
}

/// `docs` objects, one per YAML document, laid out as a repository of many teams' manifests: the
/// `mixed` shape.
pub fn generate(docs: usize, seed: u64) -> Corpus {
    generate_shape(Shape::Mixed, docs, seed)
}

/// The inputs the benchmark is measured on. `Mixed` is the realistic average the published
/// throughput comes from; each other shape is a layout that real repositories have and that could
/// make some stage of podlint more than linear in the number of documents, which an average
/// corpus would never show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Many teams' applications in many namespaces, about 5% of objects with one planted mistake.
    Mixed,
    /// An operator-heavy repository: most Services select pods that an operator makes from a
    /// custom resource, so no file holds them, and podlint looks for the closest pods of every
    /// one. Services are marked `NoPodsInRun` (or `SelectorTypo` for the few near misses among
    /// ordinary apps); nothing else is planted.
    OrphanServices,
    /// Thousands of objects in one namespace: half of the files say `namespace: prod`, half say
    /// none. Nothing divides the cross-object search. A few Services are left behind by removed
    /// apps (`NoPodsInRun`) or have a typo (`SelectorTypo`); nothing else is planted.
    OneNamespace,
    /// Eight selectors shared by every Service and by many workloads in four namespaces: each
    /// Service selects hundreds of pod templates. About one Service in ten names a targetPort no
    /// pod declares (`MissingTargetPort`); nothing else is planted.
    SharedSelector,
    /// The mixed corpus's documents in one multi-document file, mistakes included.
    OneFile,
    /// Pod templates and Services with 30 to 60 long labels, Service selectors of 5 to 10 pairs,
    /// about one in eight off by one pair (`SelectorTypo`); nothing else is planted.
    LongLabels,
    /// A whole repository: hundreds of CRDs and their custom resources, Namespaces with Pod
    /// Security labels, Helm charts (Chart.yaml, values.yaml, rendered output), kustomize folders
    /// with partial patches (`PartialPatch`), a hidden tool config, around mixed applications
    /// that carry mixed's 5% of mistakes. Chart.yaml is marked `NotAManifest`: its `apiVersion`
    /// makes it look like an object.
    RepoMix,
}

impl Shape {
    pub const ALL: [Shape; 7] = [
        Shape::Mixed,
        Shape::OrphanServices,
        Shape::OneNamespace,
        Shape::SharedSelector,
        Shape::OneFile,
        Shape::LongLabels,
        Shape::RepoMix,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Mixed => "mixed",
            Shape::OrphanServices => "orphan-services",
            Shape::OneNamespace => "one-namespace",
            Shape::SharedSelector => "shared-selector",
            Shape::OneFile => "one-file",
            Shape::LongLabels => "long-labels",
            Shape::RepoMix => "repo-mix",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Exactly `docs` YAML documents of the given shape, the same for the same seed.
pub fn generate_shape(shape: Shape, docs: usize, seed: u64) -> Corpus {
    if shape == Shape::OneFile {
        return one_file(generate(docs, seed));
    }
    let mut g = Gen {
        rng: Rng::new(seed),
        files: Vec::new(),
        names: BTreeSet::new(),
        rendered: [None, None, None],
        rendered_count: 0,
        docs_left: docs,
        marked: None,
        facts: Facts::default(),
        crds: Vec::new(),
        next_suffix: Default::default(),
        scaled: (1, false),
    };
    match shape {
        Shape::Mixed | Shape::OneFile => g.run(),
        Shape::OrphanServices => g.orphan_services(),
        Shape::OneNamespace => g.one_namespace(),
        Shape::SharedSelector => g.shared_selector(),
        Shape::LongLabels => g.long_labels(),
        Shape::RepoMix => g.repo_mix(docs),
    }
    Corpus { files: g.files }
}

/// The corpus's documents in order, each after a `---` line, in one file. What sat between two
/// documents (the `---` line, a `# Source:` comment) is dropped, so each document is copied alone.
fn one_file(corpus: Corpus) -> Corpus {
    let mut out = File { path: "all-in-one.yaml".into(), text: String::new(), docs: Vec::new() };
    for file in corpus.files {
        let starts: Vec<usize> = file.docs.iter().map(|d| d.start).collect();
        for (i, info) in file.docs.into_iter().enumerate() {
            let end = match starts.get(i + 1) {
                // Every document but a file's first follows a `---` line, and every document
                // ends with a newline, so the marker is the last "\n---\n" before the next one.
                Some(&next) => file.text[..next].rfind("\n---\n").expect("a document marker") + 1,
                None => file.text.len(),
            };
            out.text.push_str("---\n");
            let start = out.text.len();
            out.text.push_str(&file.text[info.start..end]);
            out.docs.push(DocInfo { start, ..info });
        }
    }
    Corpus { files: if out.docs.is_empty() { Vec::new() } else { vec![out] } }
}

/// Every object is written as one document: a mistake chosen for an object changes only that
/// object, so the planted count is exact.
///
/// The last four are not slips of the kind `mixed` plants but documents that the shapes beyond it
/// write on purpose, which podlint reports all the same; marking them keeps "every finding is on
/// a marked document" true for every shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mistake {
    MiscasedKey,
    RemovedApi,
    StringPort,
    NumericValue,
    MilliMemory,
    MissingProbe,
    MissingResources,
    LatestTag,
    SelectorTypo,
    /// A Service for pods that an operator makes from a custom resource, or a Service left behind
    /// by a removed app: nothing in the files carries its labels.
    NoPodsInRun,
    /// A Service for an operator's pods that selects them by the labels of the custom resource
    /// they are made from: no pod of the files matches, and podlint says nothing, knowing the
    /// operator makes them. Not a mistake; marked so that the shapes' counts can tell it.
    OperatorPods,
    /// A named targetPort that none of the selected pods declares.
    MissingTargetPort,
    /// A kustomize strategic-merge patch: a fragment of a Deployment, not a whole one.
    PartialPatch,
    /// YAML that is not a Kubernetes object but has an `apiVersion` (Helm's Chart.yaml).
    NotAManifest,
    /// A Role or ClusterRole rule with `verbs: ["*"]`. Not drawn like the others: the generator
    /// always wrote such rules, and marks them so that the text (and published figures) stay the
    /// same while rbac-wildcard reports them.
    WildcardVerbs,
}

use Mistake::*;

/// What each kind can get wrong, as people get it wrong.
const WORKLOAD_MISTAKES: &[Mistake] =
    &[MiscasedKey, RemovedApi, StringPort, NumericValue, MilliMemory, MissingProbe, MissingResources, LatestTag];
const BATCH_MISTAKES: &[Mistake] = &[MiscasedKey, NumericValue, MilliMemory, MissingResources, LatestTag];
const SERVICE_MISTAKES: &[Mistake] = &[MiscasedKey, StringPort, SelectorTypo];
const VERSIONED_MISTAKES: &[Mistake] = &[MiscasedKey, RemovedApi];
const DATA_MISTAKES: &[Mistake] = &[MiscasedKey, NumericValue];
const NAME_ONLY_MISTAKES: &[Mistake] = &[MiscasedKey];

const TEAMS: &[&str] = &[
    "payments",
    "checkout",
    "search",
    "identity",
    "catalog",
    "platform",
    "data",
    "ml",
    "web",
    "mobile",
    "observability",
    "messaging",
    "billing",
    "growth",
];
const NOUNS: &[&str] = &[
    "orders",
    "cart",
    "invoice",
    "ledger",
    "user",
    "session",
    "profile",
    "search",
    "index",
    "feed",
    "catalog",
    "pricing",
    "inventory",
    "shipping",
    "notify",
    "email",
    "report",
    "export",
    "import",
    "audit",
    "token",
    "auth",
    "gateway",
    "media",
    "thumbnail",
    "rank",
    "recommend",
    "fraud",
    "risk",
    "quote",
    "tax",
    "coupon",
    "review",
];
const ROLES: &[&str] = &["api", "worker", "web", "service", "consumer", "scheduler", "proxy", "backend", "sync"];
const ENVS: &[&str] = &["dev", "staging", "prod"];
const ENV_NAMES: &[&str] = &[
    "LOG_LEVEL",
    "LOG_FORMAT",
    "HTTP_PORT",
    "METRICS_PORT",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_POOL_SIZE",
    "REDIS_URL",
    "KAFKA_BROKERS",
    "KAFKA_TOPIC",
    "CACHE_TTL_SECONDS",
    "FEATURE_FLAGS",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "REQUEST_TIMEOUT",
    "MAX_CONNECTIONS",
    "WORKER_CONCURRENCY",
    "S3_BUCKET",
    "AWS_REGION",
    "JAVA_OPTS",
    "GOMAXPROCS",
    "TZ",
    "SENTRY_ENVIRONMENT",
    "UPSTREAM_URL",
    "RETRY_BACKOFF_MS",
];

#[derive(Clone, Copy, PartialEq)]
enum Workload {
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

struct App {
    team: &'static str,
    env: &'static str,
    name: String,
    role: &'static str,
    namespace: String,
    version: String,
    image: String,
    workload: Workload,
    port: u16,
    /// Whether the container exposes a `metrics` port (and the Service forwards to it).
    metrics: bool,
}

impl App {
    fn instance(&self) -> String {
        format!("{}-{}", self.name, self.env)
    }
}

/// Indentation for `out!`: deep enough for the deepest line any generator writes.
const SPACES: &str = "                                                            ";

/// One line at an indentation: the generators read like the YAML they write.
macro_rules! out {
    ($o:expr, $ind:expr, $($arg:tt)*) => {{
        $o.push_str(&SPACES[..$ind]);
        let _ = write!($o, $($arg)*);
        $o.push('\n');
    }};
}

struct Gen {
    rng: Rng,
    files: Vec<File>,
    names: BTreeSet<String>,
    /// Per environment, a large "rendered" file (helm template output) being filled, and how
    /// many documents it should reach: these make the few large files of a real repository.
    rendered: [Option<(File, usize)>; 3],
    rendered_count: usize,
    docs_left: usize,
    /// Set by `mistake` when the object being written gets one; taken when it is added.
    marked: Option<Mistake>,
    /// Filled as the object being written is written; taken when it is added. Never drawn from
    /// the random stream, so recording facts leaves the corpus as it was.
    facts: Facts,
    /// The CRDs written so far (repo-mix), for the custom resources that follow them.
    crds: Vec<Crd>,
    /// Per scope and base name, the suffix `unique` tries first.
    next_suffix: std::collections::HashMap<String, usize>,
    /// The replica count the last workload wrote and whether its container requests nothing,
    /// for the HPA that may follow: its range holds the count, and it is marked when its
    /// utilization metrics cannot be computed. Never drawn from the random stream.
    scaled: (usize, bool),
}

/// One object's document, with the kind its file may be named after.
struct Doc {
    kind: &'static str,
    text: String,
    mistake: Option<Mistake>,
    facts: Facts,
}

impl Doc {
    fn new(kind: &'static str, text: String) -> Self {
        Doc { kind, text, mistake: None, facts: Facts::default() }
    }
}

impl Gen {
    fn run(&mut self) {
        if self.docs_left == 0 {
            return;
        }
        let crd = Doc::new("CustomResourceDefinition", CRD.into());
        self.push_file("crds/backups.ops.example.com.yaml".into(), vec![crd]);
        self.docs_left -= 1;
        while self.docs_left > 0 {
            self.mixed_app();
        }
        self.flush_rendered();
    }

    /// One application of the mixed corpus, laid out as `place` chooses.
    fn mixed_app(&mut self) {
        let app = self.app();
        let mut docs = self.bundle(&app);
        docs.truncate(self.docs_left);
        self.docs_left -= docs.len();
        self.place(&app, docs);
    }

    fn flush_rendered(&mut self) {
        for slot in &mut self.rendered {
            if let Some((file, _)) = slot.take() {
                self.files.push(file);
            }
        }
    }

    fn push_file(&mut self, path: String, docs: Vec<Doc>) {
        let mut text = String::new();
        if self.rng.percent(20) {
            text.push_str("# Managed by the platform team's deploy pipeline: edit the source, not this file.\n");
        }
        let mut infos = Vec::with_capacity(docs.len());
        for (i, doc) in docs.into_iter().enumerate() {
            if i > 0 || self.rng.percent(40) {
                text.push_str("---\n");
            }
            infos.push(DocInfo { start: text.len(), kind: doc.kind, mistake: doc.mistake, facts: doc.facts });
            text.push_str(&doc.text);
        }
        self.files.push(File { path, text, docs: infos });
    }

    /// Lays an application's documents out as repositories do: one file per app, one file per
    /// object in a folder per app, or appended to a large rendered release file.
    fn place(&mut self, app: &App, docs: Vec<Doc>) {
        let layout = self.rng.below(100);
        if layout < 15 {
            // One release file per environment at a time: names are unique within one.
            let env = ENVS.iter().position(|e| *e == app.env).expect("a known environment");
            let (file, target) = self.rendered[env].get_or_insert_with(|| {
                self.rendered_count += 1;
                let path = format!("rendered/{}/release-{:03}.yaml", app.env, self.rendered_count);
                (File { path, text: String::new(), docs: Vec::new() }, self.rng.range(40, 200))
            });
            for doc in docs {
                let template = doc.kind.to_lowercase();
                let _ = write!(file.text, "---\n# Source: {}/templates/{template}.yaml\n", app.name);
                file.docs.push(DocInfo {
                    start: file.text.len(),
                    kind: doc.kind,
                    mistake: doc.mistake,
                    facts: doc.facts,
                });
                file.text.push_str(&doc.text);
            }
            if file.docs.len() >= *target {
                let (file, _) = self.rendered[env].take().expect("just filled");
                self.files.push(file);
            }
        } else if layout < 85 {
            let path = format!("apps/{}/{}/{}.yaml", app.team, app.env, app.name);
            self.push_file(path, docs);
        } else {
            let mut seen: Vec<&str> = Vec::new();
            for doc in docs {
                let mut stem = doc.kind.to_lowercase();
                let n = seen.iter().filter(|k| **k == doc.kind).count();
                seen.push(doc.kind);
                if n > 0 {
                    let _ = write!(stem, "-{}", n + 1);
                }
                let path = format!("apps/{}/{}/{}/{stem}.yaml", app.team, app.env, app.name);
                self.push_file(path, vec![doc]);
            }
        }
    }

    fn app(&mut self) -> App {
        let team = *self.rng.pick(TEAMS);
        let env = *self.rng.pick(ENVS);
        let role = *self.rng.pick(ROLES);
        let base = format!("{}-{role}", self.rng.pick(NOUNS));
        let mut name = base.clone();
        let mut n = 2;
        while !self.names.insert(format!("{team}/{env}/{name}")) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let workload = match self.rng.below(100) {
            0..60 => Workload::Deployment,
            60..72 => Workload::StatefulSet,
            72..77 => Workload::DaemonSet,
            77..85 => Workload::Job,
            _ => Workload::CronJob,
        };
        let version = format!("{}.{}.{}", self.rng.range(0, 4), self.rng.range(0, 30), self.rng.range(0, 12));
        let registry =
            self.rng.pick(&["registry.example.com", "ghcr.io/example", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
        let image = format!("{registry}/{team}/{name}:{version}");
        let namespace = if self.rng.percent(70) { format!("{team}-{env}") } else { team.to_string() };
        let port = *self.rng.pick(&[8080, 8000, 3000, 9000, 5000, 8443, 80]);
        let metrics = self.rng.percent(50);
        App { team, env, name, role, namespace, version, image, workload, port, metrics }
    }

    /// A mistake for this object, about one time in twenty.
    fn mistake(&mut self, possible: &[Mistake]) -> Option<Mistake> {
        if !self.rng.percent(5) {
            return None;
        }
        self.marked = Some(*self.rng.pick(possible));
        self.marked
    }

    /// The documents of one application, each with its kind (used for file names).
    fn bundle(&mut self, app: &App) -> Vec<Doc> {
        let mut docs = Vec::new();
        macro_rules! add {
            ($kind:expr, $text:expr) => {{
                let text = $text;
                let (mistake, facts) = (std::mem::take(&mut self.marked), std::mem::take(&mut self.facts));
                docs.push(Doc { kind: $kind, text, mistake, facts });
            }};
        }
        let long_running = matches!(app.workload, Workload::Deployment | Workload::StatefulSet | Workload::DaemonSet);
        let has_sa = app.workload == Workload::DaemonSet || self.rng.percent(80);
        if has_sa {
            add!("ServiceAccount", self.service_account(app));
        }
        let has_config = self.rng.percent(if long_running { 85 } else { 55 });
        if has_config {
            add!("ConfigMap", self.config_map(app));
        }
        let has_secret = self.rng.percent(if long_running { 65 } else { 30 });
        if has_secret {
            add!("Secret", self.secret(app));
        }
        if has_sa && app.workload == Workload::DaemonSet {
            add!("ClusterRole", self.cluster_role(app));
            add!("ClusterRoleBinding", self.cluster_role_binding(app));
        } else if has_sa && self.rng.percent(40) {
            add!("Role", self.role(app));
            add!("RoleBinding", self.role_binding(app));
        }
        match app.workload {
            Workload::Deployment => add!("Deployment", self.workload(app, has_config, has_secret, has_sa)),
            Workload::StatefulSet => {
                add!("Service", self.service(app, true));
                add!("StatefulSet", self.workload(app, has_config, has_secret, has_sa));
            }
            Workload::DaemonSet => add!("DaemonSet", self.workload(app, has_config, has_secret, has_sa)),
            Workload::Job => add!("Job", self.workload(app, has_config, has_secret, has_sa)),
            Workload::CronJob => add!("CronJob", self.workload(app, has_config, has_secret, has_sa)),
        }
        if matches!(app.workload, Workload::Deployment | Workload::StatefulSet) {
            if self.rng.percent(92) {
                add!("Service", self.service(app, false));
                if app.workload == Workload::Deployment && self.rng.percent(35) {
                    add!("Ingress", self.ingress(app));
                }
            }
            if app.workload == Workload::Deployment && self.rng.percent(50) {
                add!("HorizontalPodAutoscaler", self.hpa(app));
            }
            if self.rng.percent(60) {
                add!("PodDisruptionBudget", self.pdb(app));
            }
        }
        if long_running && self.rng.percent(50) {
            add!("NetworkPolicy", self.network_policy(app));
        }
        if app.workload == Workload::StatefulSet && self.rng.percent(60) {
            add!("Backup", self.backup(app));
        }
        docs
    }

    fn metadata(&mut self, o: &mut String, app: &App, name: &str, namespaced: bool, m: Option<Mistake>) {
        out!(o, 0, "metadata:");
        out!(o, 2, "name: {name}");
        if namespaced {
            let key = if m == Some(MiscasedKey) { "Namespace" } else { "namespace" };
            out!(o, 2, "{key}: {}", app.namespace);
            if m != Some(MiscasedKey) {
                self.facts.namespace = Some(app.namespace.clone());
            }
        }
        out!(o, 2, "labels:");
        let full = self.rng.percent(30);
        self.labels(o, 4, app, full);
        if self.rng.percent(30) {
            out!(o, 2, "annotations:");
            out!(o, 4, "meta.helm.sh/release-name: {}", app.instance());
            out!(o, 4, "meta.helm.sh/release-namespace: {}", app.namespace);
            if self.rng.percent(30) {
                out!(o, 4, "argocd.argoproj.io/sync-wave: \"{}\"", self.rng.range(0, 5));
            }
            if self.rng.percent(20) {
                out!(o, 4, "owner: team-{}@example.com", app.team);
            }
        }
    }

    fn labels(&mut self, o: &mut String, ind: usize, app: &App, full: bool) {
        out!(o, ind, "app.kubernetes.io/name: {}", app.name);
        out!(o, ind, "app.kubernetes.io/instance: {}", app.instance());
        if full {
            out!(o, ind, "app.kubernetes.io/version: \"{}\"", app.version);
            out!(o, ind, "app.kubernetes.io/component: {}", app.role);
            out!(o, ind, "app.kubernetes.io/part-of: {}", app.team);
            out!(o, ind, "app.kubernetes.io/managed-by: Helm");
            out!(o, ind, "helm.sh/chart: {}-{}", app.name, app.version);
        }
    }

    fn selector_labels(&mut self, o: &mut String, ind: usize, app: &App, typo: bool) {
        let name = if typo { swap_letters(&app.name) } else { app.name.clone() };
        out!(o, ind, "app.kubernetes.io/name: {name}");
        out!(o, ind, "app.kubernetes.io/instance: {}", app.instance());
    }

    fn service_account(&mut self, app: &App) -> String {
        let m = self.mistake(NAME_ONLY_MISTAKES);
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: ServiceAccount");
        self.metadata(&mut o, app, &app.name, true, m);
        if self.rng.percent(40) {
            out!(o, 0, "automountServiceAccountToken: false");
        }
        o
    }

    fn config_map(&mut self, app: &App) -> String {
        let m = self.mistake(DATA_MISTAKES);
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: ConfigMap");
        self.metadata(&mut o, app, &format!("{}-config", app.name), true, None);
        out!(o, 0, "{}:", if m == Some(MiscasedKey) { "Data" } else { "data" });
        out!(o, 2, "LOG_LEVEL: {}", self.rng.pick(&["info", "debug", "warn"]));
        if m == Some(NumericValue) {
            out!(o, 2, "CACHE_TTL_SECONDS: {}", self.rng.range(30, 3600));
        } else {
            out!(o, 2, "CACHE_TTL_SECONDS: \"{}\"", self.rng.range(30, 3600));
        }
        let files = self.rng.range(0, 2);
        let first = self.rng.below(3);
        for i in 0..files {
            let big = i == 0 && self.rng.percent(1);
            match (first + i) % 3 {
                _ if big => self.dashboard(&mut o, app),
                0 => self.app_config(&mut o, app),
                1 => self.nginx_conf(&mut o, app),
                _ => self.properties(&mut o, app),
            }
        }
        o
    }

    fn app_config(&mut self, o: &mut String, app: &App) {
        out!(o, 2, "config.yaml: |");
        out!(o, 4, "server:");
        out!(o, 6, "port: {}", app.port);
        out!(o, 6, "readTimeout: {}s", self.rng.range(5, 60));
        out!(o, 6, "writeTimeout: {}s", self.rng.range(5, 60));
        out!(o, 4, "database:");
        out!(o, 6, "host: {}-db.{}.svc.cluster.local", app.name, app.namespace);
        out!(o, 6, "pool: {}", self.rng.range(5, 50));
        let sections = self.rng.range(0, 3);
        for s in 0..sections {
            out!(o, 4, "{}:", self.rng.pick(&["features", "upstreams", "limits", "cache", "retry", "tracing"]));
            for k in 0..self.rng.range(2, 8) {
                out!(
                    o,
                    6,
                    "{}_{s}_{k}: {}",
                    self.rng.pick(NOUNS),
                    self.rng.pick(&["true", "false", "100", "2.5", "on"])
                );
            }
        }
    }

    fn nginx_conf(&mut self, o: &mut String, app: &App) {
        out!(o, 2, "nginx.conf: |");
        out!(o, 4, "worker_processes auto;");
        out!(o, 4, "events {{ worker_connections {}; }}", self.rng.pick(&[512, 1024, 4096]));
        out!(o, 4, "http {{");
        out!(o, 6, "server {{");
        out!(o, 8, "listen 80;");
        for _ in 0..self.rng.range(1, 3) {
            let path = self.rng.pick(NOUNS);
            out!(o, 8, "location /{path}/ {{");
            out!(o, 10, "proxy_pass http://127.0.0.1:{}/;", app.port);
            out!(o, 10, "proxy_set_header Host $host;");
            out!(o, 10, "proxy_read_timeout {}s;", self.rng.range(10, 120));
            out!(o, 8, "}}");
        }
        out!(o, 6, "}}");
        out!(o, 4, "}}");
    }

    fn properties(&mut self, o: &mut String, app: &App) {
        out!(o, 2, "application.properties: |-");
        out!(o, 4, "spring.application.name={}", app.name);
        out!(o, 4, "server.port={}", app.port);
        for _ in 0..self.rng.range(3, 14) {
            let a = self.rng.pick(NOUNS);
            let b = self.rng.pick(&["enabled", "timeout", "size", "url", "retries"]);
            out!(o, 4, "{}.{a}.{b}={}", app.team, self.rng.range(1, 500));
        }
    }

    /// Grafana dashboards and the like: the rare large ConfigMap every repository has.
    fn dashboard(&mut self, o: &mut String, app: &App) {
        out!(o, 2, "dashboard.json: |");
        out!(o, 4, "{{");
        out!(o, 6, "\"title\": \"{} overview\",", app.name);
        out!(o, 6, "\"panels\": [");
        let panels = self.rng.range(10, 40);
        for p in 0..panels {
            out!(o, 8, "{{");
            out!(o, 10, "\"id\": {p},");
            out!(o, 10, "\"type\": \"{}\",", self.rng.pick(&["timeseries", "stat", "gauge", "table"]));
            out!(o, 10, "\"title\": \"{} {}\",", self.rng.pick(NOUNS), self.rng.pick(&["rate", "errors", "latency"]));
            out!(
                o,
                10,
                "\"targets\": [{{\"expr\": \"sum(rate(http_requests_total{{app=\\\"{}\\\"}}[5m]))\"}}],",
                app.name
            );
            out!(o, 10, "\"gridPos\": {{\"h\": 8, \"w\": 12, \"x\": {}, \"y\": {}}}", (p % 2) * 12, p * 8);
            out!(o, 8, "}}{}", if p + 1 < panels { "," } else { "" });
        }
        out!(o, 6, "]");
        out!(o, 4, "}}");
    }

    fn secret(&mut self, app: &App) -> String {
        let m = self.mistake(DATA_MISTAKES);
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: Secret");
        self.metadata(&mut o, app, &format!("{}-secrets", app.name), true, None);
        out!(o, 0, "type: Opaque");
        out!(o, 0, "data:");
        for key in ["db-password", "api-key", "session-secret"].iter().take(self.rng.range(1, 3)) {
            let len = self.rng.range(16, 64);
            out!(o, 2, "{key}: {}", self.rng.base64(len));
        }
        match m {
            Some(MiscasedKey) => out!(o, 0, "stringdata:"),
            _ => out!(o, 0, "stringData:"),
        }
        match m {
            Some(NumericValue) => out!(o, 2, "DB_PORT: {}", self.rng.range(3000, 6000)),
            _ => out!(o, 2, "DB_PORT: \"{}\"", self.rng.range(3000, 6000)),
        }
        o
    }

    fn rbac_api(&mut self) -> (Option<Mistake>, &'static str) {
        let m = self.mistake(VERSIONED_MISTAKES);
        let api =
            if m == Some(RemovedApi) { "rbac.authorization.k8s.io/v1beta1" } else { "rbac.authorization.k8s.io/v1" };
        (m, api)
    }

    fn rules(&mut self, o: &mut String, m: Option<Mistake>) {
        out!(o, 0, "rules:");
        for i in 0..self.rng.range(1, 4) {
            let groups = if m == Some(MiscasedKey) && i == 0 { "apigroups" } else { "apiGroups" };
            let (group, resources) = *self.rng.pick(&[
                ("\"\"", "[configmaps, secrets]"),
                ("apps", "[deployments]"),
                ("\"\"", "[pods, pods/log]"),
                ("batch", "[jobs]"),
                ("coordination.k8s.io", "[leases]"),
            ]);
            out!(o, 2, "- {groups}: [{group}]");
            out!(o, 4, "resources: {resources}");
            let verbs = *self.rng.pick(&["[get, list, watch]", "[get, list, watch, create, update, patch]", "[\"*\"]"]);
            if verbs == "[\"*\"]" && self.marked.is_none() {
                self.marked = Some(WildcardVerbs);
            }
            out!(o, 4, "verbs: {verbs}");
        }
    }

    fn role(&mut self, app: &App) -> String {
        let (m, api) = self.rbac_api();
        let mut o = String::new();
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: Role");
        self.metadata(&mut o, app, &app.name, true, None);
        self.rules(&mut o, m);
        o
    }

    fn cluster_role(&mut self, app: &App) -> String {
        let (m, api) = self.rbac_api();
        let mut o = String::new();
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: ClusterRole");
        self.metadata(&mut o, app, &format!("{}-{}", app.namespace, app.name), false, None);
        self.rules(&mut o, m);
        o
    }

    fn binding(&mut self, app: &App, kind: &str, role_kind: &str, name: &str, namespaced: bool) -> String {
        let (m, api) = self.rbac_api();
        let mut o = String::new();
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: {kind}");
        self.metadata(&mut o, app, name, namespaced, None);
        out!(o, 0, "{}:", if m == Some(MiscasedKey) { "roleref" } else { "roleRef" });
        out!(o, 2, "apiGroup: rbac.authorization.k8s.io");
        out!(o, 2, "kind: {role_kind}");
        out!(o, 2, "name: {name}");
        out!(o, 0, "subjects:");
        out!(o, 2, "- kind: ServiceAccount");
        out!(o, 4, "name: {}", app.name);
        out!(o, 4, "namespace: {}", app.namespace);
        o
    }

    fn role_binding(&mut self, app: &App) -> String {
        self.binding(app, "RoleBinding", "Role", &app.name.clone(), true)
    }

    fn cluster_role_binding(&mut self, app: &App) -> String {
        self.binding(app, "ClusterRoleBinding", "ClusterRole", &format!("{}-{}", app.namespace, app.name), false)
    }

    fn workload(&mut self, app: &App, config: bool, secret: bool, sa: bool) -> String {
        let possible = match app.workload {
            Workload::Job | Workload::CronJob => BATCH_MISTAKES,
            _ => WORKLOAD_MISTAKES,
        };
        let m = self.mistake(possible);
        let (kind, api) = match (app.workload, m == Some(RemovedApi)) {
            (Workload::Deployment, false) => ("Deployment", "apps/v1"),
            (Workload::Deployment, true) => ("Deployment", *self.rng.pick(&["extensions/v1beta1", "apps/v1beta2"])),
            (Workload::StatefulSet, false) => ("StatefulSet", "apps/v1"),
            (Workload::StatefulSet, true) => ("StatefulSet", "apps/v1beta1"),
            (Workload::DaemonSet, false) => ("DaemonSet", "apps/v1"),
            (Workload::DaemonSet, true) => ("DaemonSet", "extensions/v1beta1"),
            (Workload::Job, _) => ("Job", "batch/v1"),
            (Workload::CronJob, _) => ("CronJob", "batch/v1"),
        };
        let mut o = String::new();
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: {kind}");
        self.metadata(&mut o, app, &app.name, true, None);
        out!(o, 0, "spec:");
        let pod_ind = match app.workload {
            Workload::Deployment | Workload::StatefulSet | Workload::DaemonSet => {
                if app.workload != Workload::DaemonSet {
                    let replicas = self.rng.range(1, 12);
                    self.scaled = (replicas, m == Some(MissingResources));
                    out!(o, 2, "replicas: {replicas}");
                }
                if app.workload == Workload::StatefulSet {
                    out!(o, 2, "serviceName: {}-headless", app.name);
                    out!(o, 2, "podManagementPolicy: {}", self.rng.pick(&["OrderedReady", "Parallel"]));
                }
                if app.workload == Workload::Deployment && self.rng.percent(50) {
                    out!(o, 2, "revisionHistoryLimit: {}", self.rng.range(3, 10));
                    out!(o, 2, "strategy:");
                    out!(o, 4, "type: RollingUpdate");
                    out!(o, 4, "rollingUpdate:");
                    let surge = self.rng.pick(&["25%", "1", "0"]);
                    let unavailable = self.rng.pick(&["25%", "0", "1"]);
                    out!(o, 6, "maxSurge: {surge}");
                    // The API server refuses a rollout that may neither add nor remove a pod.
                    let unavailable = if (*surge, *unavailable) == ("0", "0") { "1" } else { unavailable };
                    out!(o, 6, "maxUnavailable: {unavailable}");
                }
                out!(o, 2, "selector:");
                out!(o, 4, "matchLabels:");
                self.selector_labels(&mut o, 6, app, false);
                2
            }
            Workload::Job => {
                out!(o, 2, "backoffLimit: {}", self.rng.range(0, 6));
                out!(o, 2, "ttlSecondsAfterFinished: {}", self.rng.pick(&[600, 3600, 86400]));
                2
            }
            Workload::CronJob => {
                out!(o, 2, "schedule: \"{} {} * * *\"", self.rng.range(0, 59), self.rng.range(0, 23));
                out!(o, 2, "concurrencyPolicy: {}", self.rng.pick(&["Forbid", "Replace", "Allow"]));
                out!(o, 2, "successfulJobsHistoryLimit: {}", self.rng.range(1, 5));
                out!(o, 2, "failedJobsHistoryLimit: {}", self.rng.range(1, 5));
                out!(o, 2, "jobTemplate:");
                out!(o, 4, "spec:");
                out!(o, 6, "backoffLimit: {}", self.rng.range(0, 6));
                6
            }
        };
        self.pod_template(&mut o, pod_ind, app, m, config, secret, sa);
        if app.workload == Workload::StatefulSet {
            out!(o, 2, "volumeClaimTemplates:");
            out!(o, 4, "- metadata:");
            out!(o, 8, "name: data");
            out!(o, 6, "spec:");
            out!(o, 8, "accessModes: [ReadWriteOnce]");
            out!(o, 8, "storageClassName: {}", self.rng.pick(&["gp3", "standard", "premium-rwo"]));
            out!(o, 8, "resources:");
            out!(o, 10, "requests:");
            out!(o, 12, "storage: {}Gi", self.rng.pick(&[10, 20, 50, 100, 500]));
        }
        o
    }

    #[allow(clippy::too_many_arguments)]
    fn pod_template(
        &mut self,
        o: &mut String,
        ind: usize,
        app: &App,
        m: Option<Mistake>,
        config: bool,
        secret: bool,
        sa: bool,
    ) {
        let batch = matches!(app.workload, Workload::Job | Workload::CronJob);
        out!(o, ind, "template:");
        out!(o, ind + 2, "metadata:");
        out!(o, ind + 4, "labels:");
        self.selector_labels(o, ind + 6, app, false);
        self.facts.pod_labels = vec![
            ("app.kubernetes.io/name".into(), app.name.clone()),
            ("app.kubernetes.io/instance".into(), app.instance()),
        ];
        if self.rng.percent(60) {
            out!(o, ind + 6, "app.kubernetes.io/version: \"{}\"", app.version);
            self.facts.pod_labels.push(("app.kubernetes.io/version".into(), app.version.clone()));
        }
        if self.rng.percent(40) {
            out!(o, ind + 4, "annotations:");
            if config {
                out!(o, ind + 6, "checksum/config: {}", self.rng.hex(64));
            }
            out!(o, ind + 6, "prometheus.io/scrape: \"true\"");
            out!(o, ind + 6, "prometheus.io/port: \"9090\"");
        }
        let s = ind + 4;
        out!(o, ind + 2, "spec:");
        if sa {
            let key = if m == Some(MiscasedKey) && self.rng.percent(50) {
                "serviceaccountname"
            } else {
                "serviceAccountName"
            };
            out!(o, s, "{key}: {}", app.name);
        }
        if batch {
            out!(o, s, "restartPolicy: {}", self.rng.pick(&["OnFailure", "Never"]));
        }
        out!(o, s, "terminationGracePeriodSeconds: {}", self.rng.pick(&[30, 60, 120]));
        if self.rng.percent(35) {
            out!(o, s, "securityContext:");
            out!(o, s + 2, "runAsNonRoot: true");
            out!(o, s + 2, "runAsUser: {}", self.rng.pick(&[1000, 10001, 65532]));
            out!(o, s + 2, "fsGroup: 2000");
            out!(o, s + 2, "seccompProfile:");
            out!(o, s + 4, "type: RuntimeDefault");
        }
        if !batch && self.rng.percent(20) {
            out!(o, s, "affinity:");
            out!(o, s + 2, "podAntiAffinity:");
            out!(o, s + 4, "preferredDuringSchedulingIgnoredDuringExecution:");
            out!(o, s + 6, "- weight: 100");
            out!(o, s + 8, "podAffinityTerm:");
            out!(o, s + 10, "topologyKey: kubernetes.io/hostname");
            out!(o, s + 10, "labelSelector:");
            out!(o, s + 12, "matchLabels:");
            self.selector_labels(o, s + 14, app, false);
        }
        if app.workload == Workload::DaemonSet || self.rng.percent(15) {
            out!(o, s, "tolerations:");
            out!(o, s + 2, "- key: node-role.kubernetes.io/control-plane");
            out!(o, s + 4, "operator: Exists");
            out!(o, s + 4, "effect: NoSchedule");
        }
        if self.rng.percent(20) {
            out!(o, s, "nodeSelector:");
            out!(o, s + 2, "kubernetes.io/os: linux");
        }
        let migrate = self.rng.percent(15);
        // A proxy sidecar, as a native sidecar (an init container that keeps running) the way
        // current charts write it.
        let sidecar = !batch && self.rng.percent(10);
        if migrate || sidecar {
            out!(o, s, "initContainers:");
        }
        if migrate {
            out!(o, s + 2, "- name: migrate");
            out!(o, s + 4, "image: {}", app.image);
            out!(o, s + 4, "command: [\"/app/migrate\", \"--up\"]");
            self.resources(o, s + 4, false, false);
        }
        if sidecar {
            out!(o, s + 2, "- name: envoy");
            out!(o, s + 4, "image: envoyproxy/envoy:v1.{}.{}", self.rng.range(28, 33), self.rng.range(0, 5));
            out!(o, s + 4, "restartPolicy: Always");
            out!(o, s + 4, "args: [\"-c\", \"/etc/envoy/envoy.yaml\"]");
            self.resources(o, s + 4, false, false);
        }
        out!(o, s, "containers:");
        self.container(o, s + 2, app, m, config, secret);
        out!(o, s, "volumes:");
        out!(o, s + 2, "- name: tmp");
        out!(o, s + 4, "emptyDir: {{}}");
        if config {
            out!(o, s + 2, "- name: config");
            out!(o, s + 4, "configMap:");
            out!(o, s + 6, "name: {}-config", app.name);
        }
        if secret {
            out!(o, s + 2, "- name: secrets");
            out!(o, s + 4, "secret:");
            out!(o, s + 6, "secretName: {}-secrets", app.name);
            out!(o, s + 6, "defaultMode: 0440");
        }
        if app.workload == Workload::DaemonSet {
            out!(o, s + 2, "- name: varlog");
            out!(o, s + 4, "hostPath:");
            out!(o, s + 6, "path: /var/log");
        }
    }

    fn container(&mut self, o: &mut String, ind: usize, app: &App, m: Option<Mistake>, config: bool, secret: bool) {
        let long_running = !matches!(app.workload, Workload::Job | Workload::CronJob);
        let c = ind + 2;
        out!(o, ind, "- name: {}", app.name);
        match m {
            Some(LatestTag) if self.rng.percent(50) => {
                out!(o, c, "image: {}", app.image.rsplit_once(':').map_or("", |(i, _)| i))
            }
            Some(LatestTag) => out!(o, c, "image: {}:latest", app.image.rsplit_once(':').map_or("", |(i, _)| i)),
            _ => out!(o, c, "image: {}", app.image),
        }
        let pull = if m == Some(MiscasedKey) { "imagepullpolicy" } else { "imagePullPolicy" };
        out!(o, c, "{pull}: IfNotPresent");
        if self.rng.percent(40) {
            out!(o, c, "args:");
            out!(o, c + 2, "- --config=/etc/{}/config.yaml", app.name);
            out!(o, c + 2, "- --log-format=json");
            if self.rng.percent(50) {
                out!(o, c + 2, "- --metrics-addr=:9090");
            }
        }
        if long_running {
            out!(o, c, "ports:");
            out!(o, c + 2, "- name: http");
            match m {
                Some(StringPort) => out!(o, c + 4, "containerPort: \"{}\"", app.port),
                Some(MiscasedKey) => out!(o, c + 4, "containerport: {}", app.port),
                _ => out!(o, c + 4, "containerPort: {}", app.port),
            }
            out!(o, c + 4, "protocol: TCP");
            if app.metrics {
                out!(o, c + 2, "- name: metrics");
                out!(o, c + 4, "containerPort: 9090");
                out!(o, c + 4, "protocol: TCP");
            }
        }
        out!(o, c, "env:");
        let n = self.rng.range(2, 7);
        let start = self.rng.below(ENV_NAMES.len());
        for i in 0..n {
            let name = ENV_NAMES[(start + i) % ENV_NAMES.len()];
            out!(o, c + 2, "- name: {name}");
            let value = match self.rng.below(8) {
                0 => format!("\"{}\"", self.rng.range(1, 500)),
                1 => (*self.rng.pick(&["info", "json", "\"true\"", "\"false\"", "eu-west-1"])).to_string(),
                2 => format!("http://{}.{}.svc.cluster.local:{}", self.rng.pick(NOUNS), app.namespace, app.port),
                _ => format!("{}-{}", app.name, self.rng.pick(NOUNS)),
            };
            if i == 0 && m == Some(NumericValue) {
                out!(o, c + 4, "value: {}", self.rng.range(1, 500));
            } else {
                out!(o, c + 4, "value: {value}");
            }
        }
        out!(o, c + 2, "- name: POD_NAME");
        out!(o, c + 4, "valueFrom:");
        out!(o, c + 6, "fieldRef:");
        out!(o, c + 8, "fieldPath: metadata.name");
        if secret {
            out!(o, c + 2, "- name: DB_PASSWORD");
            out!(o, c + 4, "valueFrom:");
            out!(o, c + 6, "secretKeyRef:");
            out!(o, c + 8, "name: {}-secrets", app.name);
            out!(o, c + 8, "key: db-password");
        }
        if config && self.rng.percent(50) {
            out!(o, c, "envFrom:");
            out!(o, c + 2, "- configMapRef:");
            out!(o, c + 6, "name: {}-config", app.name);
        }
        if m != Some(MissingResources) {
            self.resources(o, c, m == Some(MilliMemory), true);
        }
        if long_running {
            // 1: no liveness probe, 2: no readiness probe, 3: neither.
            let missing = if m == Some(MissingProbe) { self.rng.range(1, 3) } else { 0 };
            if missing & 1 == 0 {
                self.probe(o, c, "livenessProbe", "/healthz");
            }
            if missing & 2 == 0 {
                self.probe(o, c, "readinessProbe", "/ready");
            }
            if self.rng.percent(10) {
                self.probe(o, c, "startupProbe", "/healthz");
            }
        }
        out!(o, c, "volumeMounts:");
        out!(o, c + 2, "- name: tmp");
        out!(o, c + 4, "mountPath: /tmp");
        if config {
            out!(o, c + 2, "- name: config");
            out!(o, c + 4, "mountPath: /etc/{}", app.name);
            out!(o, c + 4, "readOnly: true");
        }
        if secret {
            out!(o, c + 2, "- name: secrets");
            out!(o, c + 4, "mountPath: /var/run/secrets/{}", app.name);
            out!(o, c + 4, "readOnly: true");
        }
        if app.workload == Workload::StatefulSet {
            out!(o, c + 2, "- name: data");
            out!(o, c + 4, "mountPath: /data");
        }
        if app.workload == Workload::DaemonSet {
            out!(o, c + 2, "- name: varlog");
            out!(o, c + 4, "mountPath: /var/log");
            out!(o, c + 4, "readOnly: true");
        }
        if self.rng.percent(40) {
            out!(o, c, "securityContext:");
            out!(o, c + 2, "allowPrivilegeEscalation: false");
            out!(o, c + 2, "readOnlyRootFilesystem: true");
            out!(o, c + 2, "capabilities:");
            out!(o, c + 4, "drop:");
            out!(o, c + 6, "- ALL");
        }
    }

    fn resources(&mut self, o: &mut String, ind: usize, milli_memory: bool, limits: bool) {
        let cpu = *self.rng.pick(&[50, 100, 200, 250, 500]);
        let mem = *self.rng.pick(&[64, 128, 256, 512, 1024]);
        out!(o, ind, "resources:");
        out!(o, ind + 2, "requests:");
        out!(o, ind + 4, "cpu: {cpu}m");
        if milli_memory {
            out!(o, ind + 4, "memory: {mem}m");
        } else {
            out!(o, ind + 4, "memory: {mem}Mi");
        }
        if limits {
            out!(o, ind + 2, "limits:");
            out!(o, ind + 4, "cpu: {}", self.rng.pick(&["\"1\"", "500m", "2", "1500m"]));
            out!(o, ind + 4, "memory: {}Mi", mem * 2);
        } else {
            out!(o, ind + 2, "limits:");
            out!(o, ind + 4, "cpu: {cpu}m");
            out!(o, ind + 4, "memory: {mem}Mi");
        }
    }

    fn probe(&mut self, o: &mut String, ind: usize, key: &str, path: &str) {
        out!(o, ind, "{key}:");
        if self.rng.percent(80) {
            out!(o, ind + 2, "httpGet:");
            out!(o, ind + 4, "path: {path}");
            out!(o, ind + 4, "port: http");
        } else {
            out!(o, ind + 2, "tcpSocket:");
            out!(o, ind + 4, "port: http");
        }
        out!(o, ind + 2, "initialDelaySeconds: {}", self.rng.pick(&[0, 5, 10, 30]));
        out!(o, ind + 2, "periodSeconds: {}", self.rng.pick(&[5, 10, 15]));
        if self.rng.percent(50) {
            out!(o, ind + 2, "timeoutSeconds: {}", self.rng.range(1, 5));
            out!(o, ind + 2, "failureThreshold: {}", self.rng.range(3, 6));
        }
    }

    fn service(&mut self, app: &App, headless: bool) -> String {
        let m = self.mistake(SERVICE_MISTAKES);
        let name = if headless { format!("{}-headless", app.name) } else { app.name.clone() };
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: Service");
        self.metadata(&mut o, app, &name, true, None);
        out!(o, 0, "spec:");
        if headless {
            out!(o, 2, "clusterIP: None");
        } else {
            out!(o, 2, "type: {}", self.rng.pick(&["ClusterIP", "ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]));
        }
        out!(o, 2, "selector:");
        self.selector_labels(&mut o, 4, app, m == Some(SelectorTypo));
        let name = if m == Some(SelectorTypo) { swap_letters(&app.name) } else { app.name.clone() };
        self.facts.selector =
            vec![("app.kubernetes.io/name".into(), name), ("app.kubernetes.io/instance".into(), app.instance())];
        out!(o, 2, "ports:");
        out!(o, 4, "- name: http");
        match m {
            Some(StringPort) => out!(o, 6, "port: \"80\""),
            _ => out!(o, 6, "port: 80"),
        }
        let target = if m == Some(MiscasedKey) { "targetport" } else { "targetPort" };
        out!(o, 6, "{target}: http");
        out!(o, 6, "protocol: TCP");
        if app.metrics && self.rng.percent(70) {
            out!(o, 4, "- name: metrics");
            out!(o, 6, "port: 9090");
            out!(o, 6, "targetPort: metrics");
        }
        o
    }

    fn ingress(&mut self, app: &App) -> String {
        let m = self.mistake(&[MiscasedKey, RemovedApi, StringPort]);
        let mut o = String::new();
        if m == Some(RemovedApi) {
            out!(o, 0, "apiVersion: extensions/v1beta1");
        } else {
            out!(o, 0, "apiVersion: networking.k8s.io/v1");
        }
        out!(o, 0, "kind: Ingress");
        self.metadata(&mut o, app, &app.name, true, None);
        out!(o, 0, "spec:");
        out!(o, 2, "ingressClassName: nginx");
        let host = format!("{}.{}.{}.example.com", app.name, app.team, app.env);
        out!(o, 2, "tls:");
        out!(o, 4, "- hosts: [{host}]");
        out!(o, 6, "secretName: {}-tls", app.name);
        out!(o, 2, "rules:");
        out!(o, 4, "- host: {host}");
        out!(o, 6, "http:");
        out!(o, 8, "paths:");
        for i in 0..self.rng.range(1, 3) {
            out!(o, 10, "- path: /{}", if i == 0 { "" } else { self.rng.pick(NOUNS) });
            let key = if m == Some(MiscasedKey) && i == 0 { "pathtype" } else { "pathType" };
            out!(o, 12, "{key}: Prefix");
            out!(o, 12, "backend:");
            out!(o, 14, "service:");
            out!(o, 16, "name: {}", app.name);
            out!(o, 16, "port:");
            if m == Some(StringPort) && i == 0 {
                out!(o, 18, "number: \"80\"");
            } else {
                out!(o, 18, "number: 80");
            }
        }
        o
    }

    fn hpa(&mut self, app: &App) -> String {
        let m = self.mistake(VERSIONED_MISTAKES);
        let mut o = String::new();
        let api = if m == Some(RemovedApi) { "autoscaling/v2beta2" } else { "autoscaling/v2" };
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: HorizontalPodAutoscaler");
        self.metadata(&mut o, app, &app.name, true, None);
        out!(o, 0, "spec:");
        out!(o, 2, "scaleTargetRef:");
        out!(o, 4, "apiVersion: apps/v1");
        out!(o, 4, "kind: Deployment");
        out!(o, 4, "name: {}", app.name);
        let min = if m == Some(MiscasedKey) { "minreplicas" } else { "minReplicas" };
        let (replicas, unmeasured) = self.scaled;
        out!(o, 2, "{min}: {}", self.rng.range(1, 3).min(replicas));
        out!(o, 2, "maxReplicas: {}", self.rng.range(4, 30).max(replicas));
        // Utilization is a share of requests: without them the HPA cannot measure (hpa-target).
        if unmeasured && self.marked.is_none() {
            self.marked = Some(MissingResources);
        }
        out!(o, 2, "metrics:");
        for resource in ["cpu", "memory"].iter().take(self.rng.range(1, 2)) {
            out!(o, 4, "- type: Resource");
            out!(o, 6, "resource:");
            out!(o, 8, "name: {resource}");
            out!(o, 8, "target:");
            out!(o, 10, "type: Utilization");
            out!(o, 10, "averageUtilization: {}", self.rng.range(50, 85));
        }
        o
    }

    fn pdb(&mut self, app: &App) -> String {
        let m = self.mistake(VERSIONED_MISTAKES);
        let mut o = String::new();
        let api = if m == Some(RemovedApi) { "policy/v1beta1" } else { "policy/v1" };
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: PodDisruptionBudget");
        self.metadata(&mut o, app, &app.name, true, None);
        out!(o, 0, "spec:");
        let key = if m == Some(MiscasedKey) { "minavailable" } else { "minAvailable" };
        out!(o, 2, "{key}: {}", self.rng.pick(&["1", "50%"]));
        out!(o, 2, "selector:");
        out!(o, 4, "matchLabels:");
        self.selector_labels(&mut o, 6, app, false);
        o
    }

    fn network_policy(&mut self, app: &App) -> String {
        let m = self.mistake(VERSIONED_MISTAKES);
        let mut o = String::new();
        let api = if m == Some(RemovedApi) { "extensions/v1beta1" } else { "networking.k8s.io/v1" };
        out!(o, 0, "apiVersion: {api}");
        out!(o, 0, "kind: NetworkPolicy");
        self.metadata(&mut o, app, &format!("{}-ingress", app.name), true, None);
        out!(o, 0, "spec:");
        out!(o, 2, "podSelector:");
        out!(o, 4, "matchLabels:");
        self.selector_labels(&mut o, 6, app, false);
        let key = if m == Some(MiscasedKey) { "policytypes" } else { "policyTypes" };
        out!(o, 2, "{key}: [Ingress]");
        out!(o, 2, "ingress:");
        out!(o, 4, "- from:");
        out!(o, 8, "- namespaceSelector:");
        out!(o, 12, "matchLabels:");
        out!(o, 14, "kubernetes.io/metadata.name: {}", self.rng.pick(&["ingress-nginx", "monitoring", "istio-system"]));
        out!(o, 8, "- podSelector:");
        out!(o, 12, "matchLabels:");
        out!(o, 14, "app.kubernetes.io/part-of: {}", app.team);
        out!(o, 6, "ports:");
        out!(o, 8, "- port: {}", app.port);
        out!(o, 10, "protocol: TCP");
        o
    }

    fn backup(&mut self, app: &App) -> String {
        let m = self.mistake(&[NumericValue]);
        let mut o = String::new();
        out!(o, 0, "apiVersion: ops.example.com/v1");
        out!(o, 0, "kind: Backup");
        self.metadata(&mut o, app, &app.name, true, None);
        out!(o, 0, "spec:");
        out!(o, 2, "schedule: \"{} 3 * * *\"", self.rng.range(0, 59));
        if m == Some(NumericValue) {
            out!(o, 2, "retentionDays: \"{}\"", self.rng.range(7, 90));
        } else {
            out!(o, 2, "retentionDays: {}", self.rng.range(7, 90));
        }
        out!(o, 2, "target:");
        out!(o, 4, "kind: StatefulSet");
        out!(o, 4, "name: {}", app.name);
        out!(o, 2, "storage:");
        out!(o, 4, "bucket: s3://backups-{}/{}", app.env, app.name);
        out!(o, 4, "encrypted: true");
        o
    }
}

/// The custom resource definition the `Backup` objects are validated against.
const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.ops.example.com
spec:
  group: ops.example.com
  scope: Namespaced
  names:
    kind: Backup
    plural: backups
    singular: backup
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [schedule, target]
              properties:
                schedule:
                  type: string
                retentionDays:
                  type: integer
                  minimum: 1
                target:
                  type: object
                  properties:
                    kind:
                      type: string
                    name:
                      type: string
                storage:
                  type: object
                  properties:
                    bucket:
                      type: string
                    encrypted:
                      type: boolean
";

/// `orders-api` → `odrers-api`: the transposition typo that label selectors hide so well.
fn swap_letters(s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    if b.len() >= 3 {
        b.swap(1, 2);
    }
    String::from_utf8(b).expect("ASCII names")
}

// The shapes beyond `mixed`. They write their own workloads and Services, whose labels and
// selectors are the point of each shape, and borrow mixed's containers' resources and probes.

type Pairs = Vec<(String, String)>;

fn pair(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_string(), value.into())
}

fn write_pairs(o: &mut String, ind: usize, pairs: &[(String, String)]) {
    for (k, v) in pairs {
        out!(o, ind, "{k}: {v}");
    }
}

/// A one-letter slip that surely changes the text: the first two different adjacent letters after
/// the first character swapped (`orders` → `odrers`), else the last letter doubled.
fn near_miss(s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    for i in 1..b.len().saturating_sub(1) {
        if b[i] != b[i + 1] && b[i].is_ascii_lowercase() && b[i + 1].is_ascii_lowercase() {
            b.swap(i, i + 1);
            return String::from_utf8(b).expect("ASCII");
        }
    }
    let last = s.chars().last().unwrap_or('x');
    format!("{s}{last}")
}

/// A label key with a slip in its name part, the prefix left alone.
fn key_near_miss(key: &str) -> String {
    match key.rsplit_once('/') {
        Some((prefix, name)) => format!("{prefix}/{}", near_miss(name)),
        None => near_miss(key),
    }
}

/// Label values are at most 63 characters and end with a letter or digit.
fn label_value(mut value: String) -> String {
    value.truncate(63);
    while value.ends_with(['-', '.']) {
        value.pop();
    }
    value
}

/// A Deployment or StatefulSet whose labels the shape chose.
struct Pods<'a> {
    kind: &'static str,
    name: &'a str,
    namespace: Option<&'a str>,
    labels: &'a [(String, String)],
    match_labels: &'a [(String, String)],
    template_labels: &'a [(String, String)],
    /// Named container ports; the first is the one the probes use.
    ports: &'a [(&'static str, u16)],
    image: &'a str,
}

/// A Service whose selector the shape chose.
struct Svc<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    labels: &'a [(String, String)],
    selector: &'a [(String, String)],
    /// (name, port, targetPort): a targetPort of digits is written as a number.
    ports: &'a [(String, u16, String)],
    headless: bool,
}

/// An operator and the pods it makes from each of its custom resources: the Services of an
/// operator-heavy repository select these labels, which no file carries.
struct Operator {
    kind: &'static str,
    group: &'static str,
    plural: &'static str,
    app: &'static str,
    /// (component, port name, port) of the pods each custom resource turns into.
    parts: &'static [(&'static str, &'static str, u16)],
}

const OPERATORS: &[Operator] = &[
    Operator {
        kind: "KafkaCluster",
        group: "streaming.example.com",
        plural: "kafkaclusters",
        app: "kafka",
        parts: &[("broker", "tcp-clients", 9092), ("controller", "tcp-controller", 9093)],
    },
    Operator {
        kind: "PostgresCluster",
        group: "databases.example.com",
        plural: "postgresclusters",
        app: "postgres",
        parts: &[("primary", "postgres", 5432), ("replica", "postgres", 5432), ("pooler", "pgbouncer", 6432)],
    },
    Operator {
        kind: "RedisFailover",
        group: "cache.example.com",
        plural: "redisfailovers",
        app: "redis",
        parts: &[("redis", "redis", 6379), ("sentinel", "sentinel", 26379)],
    },
    Operator {
        kind: "SearchCluster",
        group: "search.example.com",
        plural: "searchclusters",
        app: "elasticsearch",
        parts: &[("master", "transport", 9300), ("data", "http", 9200)],
    },
    Operator {
        kind: "RabbitmqCluster",
        group: "messaging.example.com",
        plural: "rabbitmqclusters",
        app: "rabbitmq",
        parts: &[("server", "amqp", 5672)],
    },
    Operator {
        kind: "MongoReplicaSet",
        group: "databases.example.com",
        plural: "mongoreplicasets",
        app: "mongodb",
        parts: &[("mongod", "mongodb", 27017)],
    },
    Operator {
        kind: "Prometheus",
        group: "monitoring.example.com",
        plural: "prometheuses",
        app: "prometheus",
        parts: &[("server", "web", 9090)],
    },
    Operator {
        kind: "Alertmanager",
        group: "monitoring.example.com",
        plural: "alertmanagers",
        app: "alertmanager",
        parts: &[("server", "web", 9093)],
    },
    Operator {
        kind: "ObjectStoreTenant",
        group: "storage.example.com",
        plural: "objectstoretenants",
        app: "minio",
        parts: &[("server", "s3", 9000), ("console", "console", 9090)],
    },
    Operator {
        kind: "NatsCluster",
        group: "messaging.example.com",
        plural: "natsclusters",
        app: "nats",
        parts: &[("server", "client", 4222)],
    },
];

/// A platform's namespaces: infrastructure run by operators, and teams'. About thirty, whatever
/// the corpus's size, as in a real cluster: a larger repository has fuller namespaces.
const ORPHAN_NAMESPACES: &[&str] = &[
    "kafka",
    "databases",
    "redis",
    "search",
    "messaging",
    "monitoring",
    "object-storage",
    "nats",
    "logging",
    "cert-manager",
    "ingress",
    "vault",
    "argocd",
    "data-platform",
    "ml-serving",
    "payments",
    "checkout",
    "search-api",
    "identity",
    "catalog",
    "platform",
    "data",
    "ml",
    "web",
    "mobile",
    "observability",
    "billing",
    "growth",
    "orders",
    "fraud",
];

/// The selectors every Service of the shared-selector shape uses, with the ports all the pods
/// that carry them declare (the first one, `http`, is the probes').
type LabelPairs = &'static [(&'static str, &'static str)];
type PortList = &'static [(&'static str, u16)];
const SHARED_GROUPS: &[(LabelPairs, PortList)] = &[
    (&[("app", "frontend")], &[("http", 8080), ("metrics", 9090)]),
    (&[("app", "backend")], &[("http", 8080), ("grpc", 9000)]),
    (&[("app", "api"), ("tier", "web")], &[("http", 8000), ("metrics", 9090)]),
    (&[("app", "worker")], &[("http", 8080)]),
    (&[("app", "cache")], &[("http", 8080), ("redis", 6379)]),
    (&[("app", "search"), ("tier", "data")], &[("http", 9200), ("transport", 9300)]),
    (&[("app", "checkout")], &[("http", 8080), ("grpc", 9000), ("metrics", 9090)]),
    (&[("app", "gateway"), ("tier", "edge")], &[("http", 8080), ("https", 8443), ("admin", 9901)]),
];
const SHARED_NAMESPACES: &[&str] = &["shop", "shop-canary", "storefront", "edge"];
/// Port names that look right and that no pod of the shared-selector shape declares.
const UNDECLARED_PORTS: &[&str] = &["grpc-web", "admin-ui", "debug", "health"];

/// Label families of an enterprise's policies: cost allocation, compliance, topology.
const LONG_KEYS: &[&str] = &[
    "example.com/team-cost-center",
    "finance.example.com/budget-line-item",
    "compliance.example.com/data-classification-control",
    "topology.example.com/preferred-zone-affinity",
    "observability.example.com/log-retention-class",
    "security.example.com/threat-model-review",
    "platform.example.com/golden-path-template",
];
const LONG_WORDS: &[&str] = &[
    "allocation",
    "restricted",
    "quarterly",
    "production-critical",
    "shared-services",
    "customer-facing",
    "internal-only",
    "tier-one",
    "pci-scope",
    "gdpr-reviewed",
];

/// Areas and domains of the CRDs of repo-mix: every CRD gets a group of its own.
const CRD_AREAS: &[&str] = &[
    "databases",
    "networking",
    "storage",
    "monitoring",
    "security",
    "messaging",
    "batch",
    "policy",
    "backup",
    "config",
    "dns",
    "certs",
    "gateway",
    "mesh",
    "ml",
    "queue",
    "cache",
    "search",
    "identity",
    "billing",
];
const CRD_DOMAINS: &[&str] = &[
    "example.com",
    "acme.io",
    "corp.example.net",
    "platform.example.org",
    "infra.example.dev",
    "cloud.example.com",
    "ops.acme.io",
    "data.example.io",
    "k8s.example.org",
    "internal.example.com",
    "labs.example.net",
    "apps.example.dev",
    "edge.example.com",
    "sre.acme.io",
    "core.example.org",
    "eng.example.io",
    "dev.acme.io",
    "prod.example.net",
    "team.example.com",
    "tools.example.org",
];
const CRD_KINDS: &[&str] = &[
    "Cluster",
    "Backup",
    "Certificate",
    "Policy",
    "Route",
    "Pipeline",
    "Instance",
    "Bucket",
    "Queue",
    "Topic",
    "User",
    "Database",
    "Schedule",
    "Alert",
    "Dashboard",
    "Gateway",
    "Listener",
    "Tenant",
    "Workspace",
    "Snapshot",
    "Cache",
    "Issuer",
    "Probe",
    "Rule",
    "Restore",
    "Mirror",
    "Replica",
    "Index",
    "Model",
    "Endpoint",
];

/// The fields a repo-mix CRD may give its `spec`, and the values its custom resources write.
#[derive(Clone, Copy)]
enum Field {
    /// A string, one of these (written quoted).
    Text(&'static [&'static str]),
    /// A string the schema restricts to these.
    Choice(&'static [&'static str]),
    Int(usize, usize),
    Flag,
    /// A list of host names.
    Hosts,
    /// `{name, key}` of a Secret.
    SecretRef,
}

const CR_FIELDS: &[(&str, Field)] = &[
    ("replicas", Field::Int(1, 9)),
    ("version", Field::Text(&["1.4.2", "2.0.1", "3.11.0", "0.9.7"])),
    ("image", Field::Text(&["registry.example.com/platform/agent:1.8.0", "ghcr.io/example/sync:2.3.1"])),
    ("schedule", Field::Text(&["0 3 * * *", "*/15 * * * *", "30 1 * * 0"])),
    ("retention", Field::Text(&["7d", "30d", "90d", "365d"])),
    ("tier", Field::Choice(&["gold", "silver", "bronze"])),
    ("region", Field::Choice(&["eu-west-1", "us-east-1", "ap-southeast-2"])),
    ("enabled", Field::Flag),
    ("paused", Field::Flag),
    ("hosts", Field::Hosts),
    ("port", Field::Int(1024, 65535)),
    ("priority", Field::Int(0, 1000)),
    ("storageSize", Field::Text(&["10Gi", "50Gi", "1Ti"])),
    ("owner", Field::Text(&["team-payments@example.com", "sre@example.com", "data-platform@example.com"])),
    ("timeoutSeconds", Field::Int(1, 300)),
    ("maxConnections", Field::Int(10, 10000)),
    ("logLevel", Field::Choice(&["debug", "info", "warn", "error"])),
    ("endpoint", Field::Text(&["https://api.example.com", "https://hooks.example.net/v1"])),
    ("credentials", Field::SecretRef),
];

/// A CRD of repo-mix, remembered so that custom resources of its kind can follow it.
struct Crd {
    group: String,
    kind: &'static str,
    plural: String,
    namespaced: bool,
    /// Indices into CR_FIELDS; the first `required` of them are required.
    fields: Vec<usize>,
    required: usize,
}

fn plural(kind: &str) -> String {
    let lower = kind.to_lowercase();
    if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else if lower.ends_with('s') || lower.ends_with('x') || lower.ends_with('h') {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

/// Where a unit's documents go, in order; the last unit of a run is cut to the documents left.
enum Out {
    /// A manifest file, decorated as `push_file` decorates them.
    File(String, Vec<Doc>),
    /// A file read by a tool (Chart.yaml, kustomization.yaml): one document, written as is.
    Plain(String, Doc),
    /// `helm template` output: each document after a `# Source:` comment naming the template.
    Rendered(String, String, Vec<Doc>),
}

impl Gen {
    /// Writes a unit's files, cut to the documents left: a unit lists workloads before the
    /// Services that select them, so a cut never leaves a Service whose pods were cut away.
    fn emit(&mut self, outs: Vec<Out>) {
        for out in outs {
            if self.docs_left == 0 {
                return;
            }
            match out {
                Out::File(path, mut docs) => {
                    docs.truncate(self.docs_left);
                    self.docs_left -= docs.len();
                    self.push_file(path, docs);
                }
                Out::Plain(path, doc) => {
                    self.docs_left -= 1;
                    let info = DocInfo { start: 0, kind: doc.kind, mistake: doc.mistake, facts: doc.facts };
                    self.files.push(File { path, text: doc.text, docs: vec![info] });
                }
                Out::Rendered(path, chart, mut docs) => {
                    docs.truncate(self.docs_left);
                    self.docs_left -= docs.len();
                    let mut file = File { path, text: String::new(), docs: Vec::new() };
                    for doc in docs {
                        let template = doc.kind.to_lowercase();
                        let _ = write!(file.text, "---\n# Source: {chart}/templates/{template}.yaml\n");
                        let (kind, mistake, facts) = (doc.kind, doc.mistake, doc.facts);
                        file.docs.push(DocInfo { start: file.text.len(), kind, mistake, facts });
                        file.text.push_str(&doc.text);
                    }
                    self.files.push(file);
                }
            }
        }
    }

    /// `base`, or `base-2`, `base-3`...: the first not yet taken in `scope`. Where the last
    /// search for `base` stopped is remembered: at 100,000 documents a base is taken hundreds of
    /// times, and trying every suffix from 2 each time made the generator quadratic.
    fn unique(&mut self, scope: &str, base: &str) -> String {
        let key = format!("{scope}/{base}");
        let mut n = self.next_suffix.get(&key).copied().unwrap_or(1);
        let mut name = if n == 1 { base.to_string() } else { format!("{base}-{n}") };
        while !self.names.insert(format!("{scope}/{name}")) {
            n += 1;
            name = format!("{base}-{n}");
        }
        self.next_suffix.insert(key, n + 1);
        name
    }

    fn plain_metadata(o: &mut String, name: &str, namespace: Option<&str>, labels: &[(String, String)]) {
        out!(o, 0, "metadata:");
        out!(o, 2, "name: {name}");
        if let Some(namespace) = namespace {
            out!(o, 2, "namespace: {namespace}");
        }
        if !labels.is_empty() {
            out!(o, 2, "labels:");
            write_pairs(o, 4, labels);
        }
    }

    fn pods(&mut self, p: &Pods) -> Doc {
        let mut o = String::new();
        out!(o, 0, "apiVersion: apps/v1");
        out!(o, 0, "kind: {}", p.kind);
        Self::plain_metadata(&mut o, p.name, p.namespace, p.labels);
        out!(o, 0, "spec:");
        out!(o, 2, "replicas: {}", self.rng.range(1, 6));
        if p.kind == "StatefulSet" {
            out!(o, 2, "serviceName: {}", p.name);
        }
        out!(o, 2, "selector:");
        out!(o, 4, "matchLabels:");
        write_pairs(&mut o, 6, p.match_labels);
        out!(o, 2, "template:");
        out!(o, 4, "metadata:");
        out!(o, 6, "labels:");
        write_pairs(&mut o, 8, p.template_labels);
        out!(o, 4, "spec:");
        if self.rng.percent(40) {
            out!(o, 6, "securityContext:");
            out!(o, 8, "runAsNonRoot: true");
            out!(o, 8, "seccompProfile:");
            out!(o, 10, "type: RuntimeDefault");
        }
        out!(o, 6, "containers:");
        out!(o, 8, "- name: app");
        out!(o, 10, "image: {}", p.image);
        out!(o, 10, "ports:");
        for (name, port) in p.ports {
            out!(o, 12, "- name: {name}");
            out!(o, 14, "containerPort: {port}");
        }
        out!(o, 10, "env:");
        for name in ENV_NAMES.iter().skip(self.rng.below(ENV_NAMES.len() - 3)).take(3) {
            out!(o, 12, "- name: {name}");
            out!(o, 14, "value: {}-{}", p.name, self.rng.pick(NOUNS));
        }
        self.resources(&mut o, 10, false, true);
        // `probe` names the port `http`, which every shape's pods declare first.
        self.probe(&mut o, 10, "livenessProbe", "/healthz");
        self.probe(&mut o, 10, "readinessProbe", "/ready");
        let facts = Facts {
            namespace: p.namespace.map(str::to_string),
            selector: Vec::new(),
            pod_labels: p.template_labels.to_vec(),
        };
        Doc { kind: p.kind, text: o, mistake: None, facts }
    }

    fn svc(&mut self, s: &Svc) -> Doc {
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: Service");
        Self::plain_metadata(&mut o, s.name, s.namespace, s.labels);
        out!(o, 0, "spec:");
        // Drawn either way, so that a headless Service leaves the rest of the corpus as it was.
        let service_type = self.rng.pick(&["ClusterIP", "ClusterIP", "ClusterIP", "NodePort"]);
        if s.headless {
            out!(o, 2, "clusterIP: None");
        } else {
            out!(o, 2, "type: {service_type}");
        }
        out!(o, 2, "selector:");
        write_pairs(&mut o, 4, s.selector);
        out!(o, 2, "ports:");
        for (name, port, target) in s.ports {
            out!(o, 4, "- name: {name}");
            out!(o, 6, "port: {port}");
            out!(o, 6, "targetPort: {target}");
            out!(o, 6, "protocol: TCP");
        }
        let facts =
            Facts { namespace: s.namespace.map(str::to_string), selector: s.selector.to_vec(), pod_labels: Vec::new() };
        Doc { kind: "Service", text: o, mistake: None, facts }
    }

    fn plain_config_map(&mut self, name: &str, namespace: Option<&str>, labels: &[(String, String)]) -> Doc {
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: ConfigMap");
        Self::plain_metadata(&mut o, name, namespace, labels);
        out!(o, 0, "data:");
        for key in ENV_NAMES.iter().skip(self.rng.below(ENV_NAMES.len() - 6)).take(self.rng.range(2, 6)) {
            out!(o, 2, "{key}: \"{}-{}\"", self.rng.pick(NOUNS), self.rng.range(1, 500));
        }
        let facts = Facts { namespace: namespace.map(str::to_string), ..Facts::default() };
        Doc { kind: "ConfigMap", text: o, mistake: None, facts }
    }

    fn image(&mut self, team: &str, name: &str) -> String {
        let registry =
            self.rng.pick(&["registry.example.com", "ghcr.io/example", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
        format!("{registry}/{team}/{name}:{}.{}.{}", self.rng.range(0, 4), self.rng.range(0, 30), self.rng.range(0, 12))
    }

    fn apiextensions_crd(o: &mut String, group: &str, kind: &str, plural: &str, namespaced: bool) {
        out!(o, 0, "apiVersion: apiextensions.k8s.io/v1");
        out!(o, 0, "kind: CustomResourceDefinition");
        out!(o, 0, "metadata:");
        out!(o, 2, "name: {plural}.{group}");
        out!(o, 0, "spec:");
        out!(o, 2, "group: {group}");
        out!(o, 2, "scope: {}", if namespaced { "Namespaced" } else { "Cluster" });
        out!(o, 2, "names:");
        out!(o, 4, "kind: {kind}");
        out!(o, 4, "listKind: {kind}List");
        out!(o, 4, "plural: {plural}");
        out!(o, 4, "singular: {}", kind.to_lowercase());
    }

    // ---- orphan-services ----

    fn orphan_services(&mut self) {
        let mut crd_written = [false; OPERATORS.len()];
        while self.docs_left > 0 {
            let namespace = *self.rng.pick(ORPHAN_NAMESPACES);
            if self.rng.percent(60) {
                let op = self.rng.below(OPERATORS.len());
                let mut outs = Vec::new();
                if !std::mem::replace(&mut crd_written[op], true) {
                    let o = &OPERATORS[op];
                    let path = format!("operators/crds/{}.{}.yaml", o.plural, o.group);
                    outs.push(Out::File(path, vec![operator_crd(o)]));
                }
                outs.push(self.operated_instance(&OPERATORS[op], namespace));
                self.emit(outs);
            } else {
                let out = self.matched_app(namespace);
                self.emit(vec![out]);
            }
        }
    }

    /// A custom resource and the Services for the pods its operator will make: none of them
    /// selects a pod of the run.
    fn operated_instance(&mut self, op: &Operator, namespace: &str) -> Out {
        let base = format!("{}-{}", op.app, self.rng.pick(NOUNS));
        let instance = self.unique(namespace, &base);
        let labels = vec![
            pair("app.kubernetes.io/name", op.app),
            pair("app.kubernetes.io/instance", instance.clone()),
            pair("app.kubernetes.io/managed-by", format!("{}-operator", op.app)),
        ];
        let mut docs = Vec::new();
        let mut o = String::new();
        out!(o, 0, "apiVersion: {}/v1", op.group);
        out!(o, 0, "kind: {}", op.kind);
        Self::plain_metadata(&mut o, &instance, Some(namespace), &labels[..2]);
        out!(o, 0, "spec:");
        out!(o, 2, "version: \"{}.{}.{}\"", self.rng.range(1, 8), self.rng.range(0, 20), self.rng.range(0, 9));
        out!(o, 2, "replicas: {}", self.rng.pick(&[1, 3, 3, 5]));
        out!(o, 2, "storage:");
        out!(o, 4, "size: {}Gi", self.rng.pick(&[10, 50, 100, 500]));
        out!(o, 4, "storageClassName: {}", self.rng.pick(&["gp3", "standard", "premium-rwo"]));
        self.resources(&mut o, 2, false, true);
        out!(o, 2, "monitoring: {}", self.rng.pick(&["true", "false"]));
        docs.push(Doc {
            facts: Facts { namespace: Some(namespace.into()), ..Facts::default() },
            ..Doc::new(op.kind, o)
        });

        for &(component, port_name, port) in op.parts.iter().take(self.rng.range(1, op.parts.len())) {
            let mut selector = labels[..2].to_vec();
            selector.push(pair("app.kubernetes.io/component", component));
            let ports = vec![(port_name.to_string(), port, port_name.to_string())];
            let name = format!("{instance}-{component}");
            let svc = Svc {
                name: &name,
                namespace: Some(namespace),
                labels: &labels,
                selector: &selector,
                ports: &ports,
                headless: false,
            };
            docs.push(self.orphan_service(&svc));
            if self.rng.percent(50) {
                let name = format!("{instance}-{component}-headless");
                docs.push(self.orphan_service(&Svc { name: &name, headless: true, ..svc }));
            }
        }
        if self.rng.percent(40) {
            let ports = vec![("metrics".to_string(), 9187, "9187".to_string())];
            let name = format!("{instance}-metrics");
            let svc = Svc {
                name: &name,
                namespace: Some(namespace),
                labels: &labels,
                selector: &labels[..2],
                ports: &ports,
                headless: false,
            };
            let mut doc = self.svc(&svc);
            doc.mistake = Some(OperatorPods);
            docs.push(doc);
        }
        if self.rng.percent(40) {
            docs.push(self.plain_config_map(&format!("{instance}-config"), Some(namespace), &labels));
        }
        Out::File(format!("platform/{namespace}/{instance}.yaml"), docs)
    }

    /// A Service for pods an operator makes: it selects no pod of the run.
    fn orphan_service(&mut self, svc: &Svc<'_>) -> Doc {
        let mut doc = self.svc(svc);
        doc.mistake = Some(NoPodsInRun);
        doc
    }

    /// An ordinary app whose Service selects its pods, but for one in ten: a slip in a selector's
    /// key or value.
    fn matched_app(&mut self, namespace: &str) -> Out {
        let base = format!("{}-{}", self.rng.pick(NOUNS), self.rng.pick(ROLES));
        let name = self.unique(namespace, &base);
        let instance = format!("{name}-{namespace}");
        let labels = vec![
            pair("app.kubernetes.io/name", name.clone()),
            pair("app.kubernetes.io/instance", instance.clone()),
            pair("app.kubernetes.io/part-of", namespace),
        ];
        let mut template = labels[..2].to_vec();
        template
            .push(pair("app.kubernetes.io/version", format!("v{}.{}", self.rng.range(1, 4), self.rng.range(0, 30))));
        let port = *self.rng.pick(&[8080, 8000, 3000, 9000]);
        let image = self.image(namespace, &name);
        let mut docs = Vec::new();
        if self.rng.percent(50) {
            docs.push(self.plain_config_map(&format!("{name}-config"), Some(namespace), &labels));
        }
        let kind = if self.rng.percent(85) { "Deployment" } else { "StatefulSet" };
        docs.push(self.pods(&Pods {
            kind,
            name: &name,
            namespace: Some(namespace),
            labels: &labels,
            match_labels: &labels[..2],
            template_labels: &template,
            ports: &[("http", port)],
            image: &image,
        }));
        let mut selector = labels[..2].to_vec();
        let slip = self.rng.percent(10);
        if slip {
            if self.rng.percent(50) {
                selector[0].0 = key_near_miss(&selector[0].0);
            } else {
                selector[0].1 = near_miss(&selector[0].1);
            }
        }
        let ports = vec![("http".to_string(), 80, "http".to_string())];
        let mut doc = self.svc(&Svc {
            name: &name,
            namespace: Some(namespace),
            labels: &labels,
            selector: &selector,
            ports: &ports,
            // A StatefulSet's governing Service (its `serviceName`) is headless.
            headless: kind == "StatefulSet",
        });
        if slip {
            doc.mistake = Some(SelectorTypo);
        }
        docs.push(doc);
        Out::File(format!("apps/{namespace}/{name}.yaml"), docs)
    }

    // ---- one-namespace ----

    fn one_namespace(&mut self) {
        while self.docs_left > 0 {
            // Half the files name the namespace; the other half leave it to `kubectl apply -n`.
            let namespace = if self.rng.percent(50) { Some("prod") } else { None };
            let base = format!("{}-{}", self.rng.pick(NOUNS), self.rng.pick(ROLES));
            let name = self.unique("prod", &base);
            let team = *self.rng.pick(TEAMS);
            let labels = vec![
                pair("app.kubernetes.io/name", name.clone()),
                pair("app.kubernetes.io/instance", format!("{name}-prod")),
                pair("app.kubernetes.io/part-of", team),
            ];
            let mut docs = Vec::new();
            if self.rng.percent(6) {
                // A Service whose app was removed: its pods are gone from the repository.
                let ports = vec![("http".to_string(), 80, "http".to_string())];
                let mut doc = self.svc(&Svc {
                    name: &name,
                    namespace,
                    labels: &labels,
                    selector: &labels[..2],
                    ports: &ports,
                    headless: false,
                });
                doc.mistake = Some(NoPodsInRun);
                docs.push(doc);
            } else {
                if self.rng.percent(50) {
                    let mut o = String::new();
                    out!(o, 0, "apiVersion: v1");
                    out!(o, 0, "kind: ServiceAccount");
                    Self::plain_metadata(&mut o, &name, namespace, &labels);
                    let facts = Facts { namespace: namespace.map(str::to_string), ..Facts::default() };
                    docs.push(Doc { facts, ..Doc::new("ServiceAccount", o) });
                }
                if self.rng.percent(70) {
                    docs.push(self.plain_config_map(&format!("{name}-config"), namespace, &labels));
                }
                let mut template = labels[..2].to_vec();
                template.push(pair("app.kubernetes.io/part-of", team));
                let port = *self.rng.pick(&[8080, 8000, 3000, 9000]);
                let metrics = self.rng.percent(50);
                let ports: &[(&str, u16)] =
                    if metrics { &[("http", port), ("metrics", 9090)] } else { &[("http", port)] };
                let image = self.image(team, &name);
                let kind = if self.rng.percent(85) { "Deployment" } else { "StatefulSet" };
                docs.push(self.pods(&Pods {
                    kind,
                    name: &name,
                    namespace,
                    labels: &labels,
                    match_labels: &labels[..2],
                    template_labels: &template,
                    ports,
                    image: &image,
                }));
                // A StatefulSet always has its governing Service (the one its `serviceName` names).
                let with_service = self.rng.percent(92);
                if with_service || kind == "StatefulSet" {
                    let mut selector = labels[..2].to_vec();
                    let slip = self.rng.percent(3);
                    if slip {
                        selector[0].1 = near_miss(&selector[0].1);
                    }
                    let mut svc_ports = vec![("http".to_string(), 80, "http".to_string())];
                    if metrics {
                        svc_ports.push(("metrics".to_string(), 9090, "metrics".to_string()));
                    }
                    let mut doc = self.svc(&Svc {
                        name: &name,
                        namespace,
                        labels: &labels,
                        selector: &selector,
                        ports: &svc_ports,
                        headless: kind == "StatefulSet",
                    });
                    if slip {
                        doc.mistake = Some(SelectorTypo);
                    }
                    docs.push(doc);
                }
            }
            if docs.len() > 1 && self.rng.percent(30) {
                let outs = docs
                    .into_iter()
                    .map(|doc| Out::File(format!("prod/{name}/{}.yaml", doc.kind.to_lowercase()), vec![doc]))
                    .collect();
                self.emit(outs);
            } else {
                self.emit(vec![Out::File(format!("prod/{name}.yaml"), docs)]);
            }
        }
    }

    // ---- shared-selector ----

    fn shared_selector(&mut self) {
        while self.docs_left > 0 {
            let namespace = *self.rng.pick(SHARED_NAMESPACES);
            let (group, group_ports) = *self.rng.pick(SHARED_GROUPS);
            let selector: Pairs = group.iter().map(|(k, v)| pair(k, *v)).collect();
            let app = group[0].1;
            let base = format!("{app}-{}", self.rng.pick(NOUNS));
            let name = self.unique(namespace, &base);
            let mut labels = selector.clone();
            labels.push(pair("app.kubernetes.io/instance", name.clone()));
            let mut template = labels.clone();
            template.push(pair("version", format!("v{}.{}", self.rng.range(1, 4), self.rng.range(0, 30))));
            let image = self.image(app, &name);
            let mut docs = Vec::new();
            if self.rng.percent(40) {
                docs.push(self.plain_config_map(&format!("{name}-config"), Some(namespace), &labels));
            }
            let ports: Vec<(&'static str, u16)> = group_ports.to_vec();
            docs.push(self.pods(&Pods {
                kind: "Deployment",
                name: &name,
                namespace: Some(namespace),
                labels: &labels,
                match_labels: &labels,
                template_labels: &template,
                ports: &ports,
                image: &image,
            }));
            if self.rng.percent(55) {
                // Services of one app, one per audience or port (`frontend-orders-public`), all
                // with the app's selector: each one selects every Deployment of the app.
                let mut svc_ports = Vec::new();
                for &(port_name, port) in ports.iter().take(self.rng.range(1, ports.len())) {
                    let target = if self.rng.percent(20) { port.to_string() } else { port_name.to_string() };
                    svc_ports.push((port_name.to_string(), port, target));
                }
                let undeclared = self.rng.percent(10);
                if undeclared {
                    let port_name = *self.rng.pick(UNDECLARED_PORTS);
                    svc_ports.push((port_name.to_string(), 9999, port_name.to_string()));
                }
                let suffix = *self.rng.pick(&["public", "internal", "lb", "svc", "grpc", "metrics"]);
                let svc_name = self.unique(&format!("service:{namespace}"), &format!("{name}-{suffix}"));
                let mut doc = self.svc(&Svc {
                    name: &svc_name,
                    namespace: Some(namespace),
                    labels: &labels,
                    selector: &selector,
                    ports: &svc_ports,
                    headless: false,
                });
                if undeclared {
                    doc.mistake = Some(MissingTargetPort);
                }
                docs.push(doc);
            }
            self.emit(vec![Out::File(format!("{namespace}/{name}.yaml"), docs)]);
        }
    }

    // ---- long-labels ----

    fn long_labels(&mut self) {
        // Each team's policy labels, drawn once: every workload of the team carries them.
        let mut team_labels: Vec<Option<Pairs>> = vec![None; TEAMS.len()];
        while self.docs_left > 0 {
            let t = self.rng.below(TEAMS.len());
            let team = TEAMS[t];
            if team_labels[t].is_none() {
                let n = self.rng.range(20, 35);
                let pairs = (0..n).map(|i| self.long_pair(team, i)).collect();
                team_labels[t] = Some(pairs);
            }
            let shared = team_labels[t].clone().expect("just drawn");
            let namespace = team;
            let base = format!("{}-{}", self.rng.pick(NOUNS), self.rng.pick(ROLES));
            let name = self.unique(namespace, &base);
            let mut labels = vec![
                pair("app.kubernetes.io/name", name.clone()),
                pair("app.kubernetes.io/instance", format!("{name}-{team}")),
            ];
            labels.extend(shared.iter().cloned());
            let own = self.rng.range(8, 23);
            for i in 0..own {
                let mut p = self.long_pair(&name, 100 + i);
                p.0 = p.0.replacen("team-", "component-", 1);
                labels.push(p);
            }
            let match_labels = labels[..4].to_vec();
            let port = *self.rng.pick(&[8080, 8000, 3000, 9000]);
            let image = self.image(team, &name);
            let mut docs = Vec::new();
            if self.rng.percent(50) {
                docs.push(self.plain_config_map(&format!("{name}-config"), Some(namespace), &labels[..2]));
            }
            // The pod template carries the long set; the Deployment's own labels stay short.
            docs.push(self.pods(&Pods {
                kind: "Deployment",
                name: &name,
                namespace: Some(namespace),
                labels: &labels[..2],
                match_labels: &match_labels,
                template_labels: &labels,
                ports: &[("http", port)],
                image: &image,
            }));
            for _ in 0..self.rng.range(1, 2) {
                // The name and instance pairs and 3 to 8 of the others: 5 to 10 pairs.
                let mut selector = labels[..2].to_vec();
                let mut extra: Vec<usize> = (2..labels.len()).collect();
                for _ in 0..self.rng.range(3, 8) {
                    let i = extra.swap_remove(self.rng.below(extra.len()));
                    selector.push(labels[i].clone());
                }
                let slip = self.rng.percent(12);
                if slip {
                    let i = self.rng.range(2, selector.len() - 1);
                    let key = key_near_miss(&selector[i].0);
                    if self.rng.percent(50) && !labels.iter().any(|(k, _)| *k == key) {
                        selector[i].0 = key;
                    } else {
                        selector[i].1 = label_value(near_miss(&selector[i].1));
                    }
                }
                let svc_name = self.unique(&format!("service:{namespace}"), &name);
                let ports = vec![("http".to_string(), 80, "http".to_string())];
                let mut doc = self.svc(&Svc {
                    name: &svc_name,
                    namespace: Some(namespace),
                    labels: &labels[..(2 + shared.len())],
                    selector: &selector,
                    ports: &ports,
                    headless: false,
                });
                if slip {
                    doc.mistake = Some(SelectorTypo);
                }
                docs.push(doc);
            }
            self.emit(vec![Out::File(format!("teams/{team}/{name}.yaml"), docs)]);
        }
    }

    /// One long label, `finance.example.com/budget-line-item-7: payments-allocation-3f9c0e1a-q3`.
    fn long_pair(&mut self, owner: &str, i: usize) -> (String, String) {
        let key = format!("{}-{i}", self.rng.pick(LONG_KEYS));
        let value = format!(
            "{owner}-{}-{}-{}-{}",
            self.rng.pick(LONG_WORDS),
            self.rng.pick(NOUNS),
            self.rng.hex(8),
            self.rng.pick(ENVS)
        );
        (key, label_value(value))
    }

    // ---- repo-mix ----

    fn repo_mix(&mut self, docs: usize) {
        self.emit(vec![Out::Plain(".pre-commit-config.yaml".into(), Doc::new("ToolConfig", PRE_COMMIT.into()))]);
        // The mixed apps' Backups need theirs.
        let crd = Doc::new("CustomResourceDefinition", CRD.into());
        self.emit(vec![Out::File("crds/backups.ops.example.com.yaml".into(), vec![crd])]);
        let namespaces: Vec<(String, &str)> = TEAMS
            .iter()
            .flat_map(|team| {
                ENVS.iter().map(move |env| (format!("{team}-{env}"), *team)).chain([(team.to_string(), *team)])
            })
            .collect();
        for (namespace, team) in namespaces {
            let doc = self.namespace(&namespace, team);
            self.emit(vec![Out::File(format!("cluster/namespaces/{namespace}.yaml"), vec![doc])]);
        }
        // A few hundred CRDs, spread over the run so that custom resources follow each one.
        let crd_target = (docs / 50).min(400);
        while self.docs_left > 0 {
            let written = docs - self.docs_left;
            if self.crds.len() < crd_target && self.crds.len() * docs <= crd_target * written {
                let out = self.repo_crd();
                self.emit(vec![out]);
                continue;
            }
            match self.rng.below(100) {
                0..25 if !self.crds.is_empty() => {
                    let out = self.custom_resources();
                    self.emit(vec![out]);
                }
                0..40 => {
                    let outs = self.helm_chart();
                    self.emit(outs);
                }
                40..55 => {
                    let outs = self.kustomize_app();
                    self.emit(outs);
                }
                _ => self.mixed_app(),
            }
        }
        self.flush_rendered();
    }

    fn namespace(&mut self, name: &str, team: &str) -> Doc {
        let mut o = String::new();
        out!(o, 0, "apiVersion: v1");
        out!(o, 0, "kind: Namespace");
        out!(o, 0, "metadata:");
        out!(o, 2, "name: {name}");
        out!(o, 2, "labels:");
        out!(o, 4, "kubernetes.io/metadata.name: {name}");
        let level = *self.rng.pick(&["baseline", "baseline", "restricted", "privileged"]);
        out!(o, 4, "pod-security.kubernetes.io/enforce: {level}");
        out!(o, 4, "pod-security.kubernetes.io/enforce-version: {}", self.rng.pick(&["latest", "v1.30"]));
        out!(o, 4, "pod-security.kubernetes.io/audit: restricted");
        out!(o, 4, "pod-security.kubernetes.io/warn: restricted");
        out!(o, 4, "team: {team}");
        if self.rng.percent(50) {
            out!(o, 2, "annotations:");
            out!(o, 4, "owner: team-{team}@example.com");
        }
        Doc::new("Namespace", o)
    }

    fn repo_crd(&mut self) -> Out {
        let i = self.crds.len();
        let mut group =
            format!("{}.{}", CRD_AREAS[i % CRD_AREAS.len()], CRD_DOMAINS[(i / CRD_AREAS.len()) % CRD_DOMAINS.len()]);
        if i >= CRD_AREAS.len() * CRD_DOMAINS.len() {
            group = format!("v{}.{group}", i / (CRD_AREAS.len() * CRD_DOMAINS.len()));
        }
        let kind = *self.rng.pick(CRD_KINDS);
        let plural = plural(kind);
        let namespaced = self.rng.percent(85);
        let mut fields: Vec<usize> = (0..CR_FIELDS.len()).filter(|_| self.rng.percent(35)).collect();
        while fields.len() < 3 {
            let f = self.rng.below(CR_FIELDS.len());
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let required = self.rng.range(1, 2);
        let mut o = String::new();
        Self::apiextensions_crd(&mut o, &group, kind, &plural, namespaced);
        if self.rng.percent(40) {
            out!(o, 4, "shortNames: [{}]", plural.chars().take(3).collect::<String>());
        }
        out!(o, 2, "versions:");
        let beta = self.rng.percent(30);
        for version in if beta { &["v1", "v1beta1"][..] } else { &["v1"][..] } {
            out!(o, 4, "- name: {version}");
            out!(o, 6, "served: true");
            out!(o, 6, "storage: {}", *version == "v1");
            if *version == "v1beta1" {
                out!(o, 6, "deprecated: true");
            }
            out!(o, 6, "subresources:");
            out!(o, 8, "status: {{}}");
            out!(o, 6, "additionalPrinterColumns:");
            out!(o, 8, "- name: Ready");
            out!(o, 10, "type: string");
            out!(o, 10, "jsonPath: .status.conditions[?(@.type==\"Ready\")].status");
            out!(o, 8, "- name: Age");
            out!(o, 10, "type: date");
            out!(o, 10, "jsonPath: .metadata.creationTimestamp");
            out!(o, 6, "schema:");
            out!(o, 8, "openAPIV3Schema:");
            out!(o, 10, "type: object");
            out!(o, 10, "description: {kind} is the Schema for the {plural} API.");
            out!(o, 10, "properties:");
            out!(o, 12, "spec:");
            out!(o, 14, "type: object");
            let names: Vec<&str> = fields[..required].iter().map(|&f| CR_FIELDS[f].0).collect();
            out!(o, 14, "required: [{}]", names.join(", "));
            out!(o, 14, "properties:");
            for &f in &fields {
                let (name, field) = CR_FIELDS[f];
                out!(o, 16, "{name}:");
                field_schema(&mut o, 18, field);
            }
            out!(o, 12, "status:");
            out!(o, 14, "type: object");
            out!(o, 14, "x-kubernetes-preserve-unknown-fields: true");
        }
        let path = format!("crds/{plural}.{group}.yaml");
        self.crds.push(Crd { group, kind, plural, namespaced, fields, required });
        Out::File(path, vec![Doc::new("CustomResourceDefinition", o)])
    }

    fn custom_resources(&mut self) -> Out {
        let c = self.rng.below(self.crds.len());
        let team = *self.rng.pick(TEAMS);
        let env = *self.rng.pick(ENVS);
        let namespace = format!("{team}-{env}");
        let (group, kind, plural, namespaced) = {
            let crd = &self.crds[c];
            (crd.group.clone(), crd.kind, crd.plural.clone(), crd.namespaced)
        };
        let mut docs = Vec::new();
        let mut first = None;
        for _ in 0..self.rng.range(1, 3) {
            let scope =
                if namespaced { format!("cr:{plural}.{group}/{namespace}") } else { format!("cr:{plural}.{group}") };
            let base = format!("{}-{}", self.rng.pick(NOUNS), env);
            let name = self.unique(&scope, &base);
            first.get_or_insert_with(|| name.clone());
            let mut o = String::new();
            out!(o, 0, "apiVersion: {group}/v1");
            out!(o, 0, "kind: {kind}");
            let ns = namespaced.then_some(namespace.as_str());
            Self::plain_metadata(&mut o, &name, ns, &[pair("app.kubernetes.io/part-of", team)]);
            out!(o, 0, "spec:");
            let crd = &self.crds[c];
            let fields: Vec<(usize, bool)> =
                crd.fields.iter().enumerate().map(|(i, &f)| (f, i < crd.required)).collect();
            for (f, required) in fields {
                if required || self.rng.percent(70) {
                    let (name, field) = CR_FIELDS[f];
                    self.field_value(&mut o, name, field);
                }
            }
            let facts = Facts { namespace: ns.map(str::to_string), ..Facts::default() };
            docs.push(Doc { facts, ..Doc::new(kind, o) });
        }
        // Named after its first object, unique among the CRD's in this namespace.
        let first = first.expect("at least one object");
        Out::File(format!("platform/{team}/{env}/{group}/{}-{first}.yaml", kind.to_lowercase()), docs)
    }

    fn field_value(&mut self, o: &mut String, name: &str, field: Field) {
        match field {
            Field::Text(values) => out!(o, 2, "{name}: \"{}\"", self.rng.pick(values)),
            Field::Choice(values) => out!(o, 2, "{name}: {}", self.rng.pick(values)),
            Field::Int(lo, hi) => out!(o, 2, "{name}: {}", self.rng.range(lo, hi)),
            Field::Flag => out!(o, 2, "{name}: {}", self.rng.pick(&["true", "false"])),
            Field::Hosts => {
                out!(o, 2, "{name}:");
                for _ in 0..self.rng.range(1, 3) {
                    out!(o, 4, "- {}.{}.example.com", self.rng.pick(NOUNS), self.rng.pick(TEAMS));
                }
            }
            Field::SecretRef => {
                out!(o, 2, "{name}:");
                out!(o, 4, "name: {}-credentials", self.rng.pick(NOUNS));
                out!(o, 4, "key: {}", self.rng.pick(&["password", "token", "api-key"]));
            }
        }
    }

    /// A chart's Chart.yaml and values.yaml (once per chart) and its output rendered for one
    /// environment, as repositories that commit `helm template` output keep them.
    fn helm_chart(&mut self) -> Vec<Out> {
        let app = self.app();
        let docs = self.bundle(&app);
        let mut outs = Vec::new();
        let chart_dir = format!("charts/{}/{}", app.team, app.name);
        if self.names.insert(format!("chart:{chart_dir}")) {
            let mut o = String::new();
            out!(o, 0, "apiVersion: v2");
            out!(o, 0, "name: {}", app.name);
            out!(o, 0, "description: A Helm chart for {} ({} team)", app.name, app.team);
            out!(o, 0, "type: application");
            out!(o, 0, "version: {}.{}.{}", self.rng.range(0, 3), self.rng.range(0, 20), self.rng.range(0, 9));
            out!(o, 0, "appVersion: \"{}\"", app.version);
            out!(o, 0, "maintainers:");
            out!(o, 2, "- name: team-{}", app.team);
            out!(o, 4, "email: team-{}@example.com", app.team);
            if self.rng.percent(30) {
                out!(o, 0, "dependencies:");
                out!(o, 2, "- name: common");
                out!(o, 4, "version: 2.x.x");
                out!(o, 4, "repository: oci://registry.example.com/charts");
            }
            let chart = Doc { mistake: Some(NotAManifest), ..Doc::new("HelmChart", o) };
            outs.push(Out::Plain(format!("{chart_dir}/Chart.yaml"), chart));
            let mut o = String::new();
            out!(o, 0, "replicaCount: {}", self.rng.range(1, 5));
            out!(o, 0, "image:");
            out!(o, 2, "repository: {}", app.image.rsplit_once(':').map_or("", |(i, _)| i));
            out!(o, 2, "tag: \"{}\"", app.version);
            out!(o, 2, "pullPolicy: IfNotPresent");
            out!(o, 0, "service:");
            out!(o, 2, "type: ClusterIP");
            out!(o, 2, "port: {}", app.port);
            out!(o, 0, "ingress:");
            out!(o, 2, "enabled: {}", self.rng.pick(&["true", "false"]));
            out!(o, 2, "className: nginx");
            out!(o, 0, "resources:");
            out!(o, 2, "requests:");
            out!(o, 4, "cpu: 100m");
            out!(o, 4, "memory: 128Mi");
            out!(o, 0, "metrics:");
            out!(o, 2, "enabled: {}", app.metrics);
            out!(o, 0, "nodeSelector: {{}}");
            out!(o, 0, "tolerations: []");
            outs.push(Out::Plain(format!("{chart_dir}/values.yaml"), Doc::new("HelmValues", o)));
        }
        let path = format!("rendered/{}/{}/{}.yaml", app.team, app.env, app.name);
        outs.push(Out::Rendered(path, app.name.clone(), docs));
        outs
    }

    /// A kustomize folder: the app's objects a file each, patches that change the Deployment and
    /// the ConfigMap, and the kustomization.yaml that lists them, last.
    fn kustomize_app(&mut self) -> Vec<Out> {
        let mut app = self.app();
        app.workload = Workload::Deployment;
        let docs = self.bundle(&app);
        let dir = format!("deploy/{}/{}/{}", app.team, app.env, app.name);
        let mut resources = Vec::new();
        let mut outs = Vec::new();
        let has_config = docs.iter().any(|d| d.kind == "ConfigMap");
        for doc in docs {
            let mut stem = doc.kind.to_lowercase();
            if resources.contains(&format!("{stem}.yaml")) {
                stem.push_str("-2");
            }
            resources.push(format!("{stem}.yaml"));
            outs.push(Out::File(format!("{dir}/{stem}.yaml"), vec![doc]));
        }
        let mut patches = Vec::new();
        let mut o = String::new();
        out!(o, 0, "apiVersion: apps/v1");
        out!(o, 0, "kind: Deployment");
        out!(o, 0, "metadata:");
        out!(o, 2, "name: {}", app.name);
        out!(o, 0, "spec:");
        out!(o, 2, "replicas: {}", self.rng.range(2, 12));
        patches.push(("patch-replicas.yaml", Doc { mistake: Some(PartialPatch), ..Doc::new("Deployment", o) }));
        if self.rng.percent(50) {
            let mut o = String::new();
            out!(o, 0, "apiVersion: apps/v1");
            out!(o, 0, "kind: Deployment");
            out!(o, 0, "metadata:");
            out!(o, 2, "name: {}", app.name);
            out!(o, 0, "spec:");
            out!(o, 2, "template:");
            out!(o, 4, "spec:");
            out!(o, 6, "containers:");
            out!(o, 8, "- name: {}", app.name);
            out!(o, 10, "resources:");
            out!(o, 12, "limits:");
            out!(o, 14, "memory: {}Mi", self.rng.pick(&[512, 1024, 2048]));
            patches.push(("patch-resources.yaml", Doc { mistake: Some(PartialPatch), ..Doc::new("Deployment", o) }));
        }
        let config_patch = has_config && self.rng.percent(50);
        if config_patch {
            // A whole ConfigMap, as strategic-merge patches of ConfigMaps usually are.
            let mut o = String::new();
            out!(o, 0, "apiVersion: v1");
            out!(o, 0, "kind: ConfigMap");
            out!(o, 0, "metadata:");
            out!(o, 2, "name: {}-config", app.name);
            out!(o, 0, "data:");
            out!(o, 2, "LOG_LEVEL: {}", self.rng.pick(&["debug", "warn"]));
            patches.push(("patch-config.yaml", Doc::new("ConfigMap", o)));
        }
        let mut o = String::new();
        out!(o, 0, "apiVersion: kustomize.config.k8s.io/v1beta1");
        out!(o, 0, "kind: Kustomization");
        out!(o, 0, "namespace: {}", app.namespace);
        out!(o, 0, "labels:");
        out!(o, 2, "- pairs:");
        out!(o, 6, "app.kubernetes.io/part-of: {}", app.team);
        out!(o, 0, "resources:");
        for r in &resources {
            out!(o, 2, "- {r}");
        }
        // `patchesStrategicMerge` is deprecated (kustomize 5): a clean kustomization lists every
        // patch under `patches`.
        out!(o, 0, "patches:");
        for (file, _) in &patches {
            out!(o, 2, "- path: {file}");
        }
        out!(o, 0, "images:");
        out!(o, 2, "- name: {}", app.image.rsplit_once(':').map_or("", |(i, _)| i));
        out!(o, 4, "newTag: \"{}\"", app.version);
        for (file, doc) in patches {
            outs.push(Out::Plain(format!("{dir}/{file}"), doc));
        }
        outs.push(Out::Plain(format!("{dir}/kustomization.yaml"), Doc::new("Kustomization", o)));
        outs
    }
}

fn field_schema(o: &mut String, ind: usize, field: Field) {
    match field {
        Field::Text(_) => out!(o, ind, "type: string"),
        Field::Choice(values) => {
            out!(o, ind, "type: string");
            out!(o, ind, "enum: [{}]", values.join(", "));
        }
        Field::Int(lo, hi) => {
            out!(o, ind, "type: integer");
            out!(o, ind, "minimum: {lo}");
            out!(o, ind, "maximum: {hi}");
        }
        Field::Flag => out!(o, ind, "type: boolean"),
        Field::Hosts => {
            out!(o, ind, "type: array");
            out!(o, ind, "items:");
            out!(o, ind + 2, "type: string");
        }
        Field::SecretRef => {
            out!(o, ind, "type: object");
            out!(o, ind, "required: [name]");
            out!(o, ind, "properties:");
            out!(o, ind + 2, "name:");
            out!(o, ind + 4, "type: string");
            out!(o, ind + 2, "key:");
            out!(o, ind + 4, "type: string");
        }
    }
}

/// The CRD of an operator's custom resource.
fn operator_crd(op: &Operator) -> Doc {
    let mut o = String::new();
    Gen::apiextensions_crd(&mut o, op.group, op.kind, op.plural, true);
    o.push_str(
        "  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [version, replicas]
              properties:
                version:
                  type: string
                replicas:
                  type: integer
                  minimum: 1
                storage:
                  type: object
                  properties:
                    size:
                      type: string
                    storageClassName:
                      type: string
                resources:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                monitoring:
                  type: boolean
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
",
    );
    Doc::new("CustomResourceDefinition", o)
}

/// A tool's configuration that sits beside the manifests (hidden, so podlint's walk skips it).
const PRE_COMMIT: &str = "\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: check-yaml
        args: [--allow-multiple-documents]
        exclude: ^charts/.*/templates/
      - id: end-of-file-fixer
      - id: trailing-whitespace
  - repo: https://github.com/adrienverge/yamllint
    rev: v1.35.1
    hooks:
      - id: yamllint
        args: [-c, .yamllint.yaml]
  - repo: local
    hooks:
      - id: render-charts
        name: render Helm charts
        entry: scripts/render-charts.sh
        language: script
        files: ^charts/
        pass_filenames: false
";
