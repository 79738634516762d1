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
    pub fn mistakes(&self) -> usize {
        self.files.iter().flat_map(|f| &f.docs).filter(|d| d.mistake.is_some()).count()
    }
}

/// `docs` objects, one per YAML document, laid out as a repository of many teams' manifests.
pub fn generate(docs: usize, seed: u64) -> Corpus {
    let mut g = Gen {
        rng: Rng::new(seed),
        files: Vec::new(),
        names: BTreeSet::new(),
        rendered: [None, None, None],
        rendered_count: 0,
        docs_left: docs,
        marked: None,
    };
    g.run();
    Corpus { files: g.files }
}

/// Every object is written as one document: a mistake chosen for an object changes only that
/// object, so the planted count is exact.
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
}

/// One object's document, with the kind its file may be named after.
struct Doc {
    kind: &'static str,
    text: String,
    mistake: Option<Mistake>,
}

impl Gen {
    fn run(&mut self) {
        if self.docs_left == 0 {
            return;
        }
        let crd = Doc { kind: "CustomResourceDefinition", text: CRD.into(), mistake: None };
        self.push_file("crds/backups.ops.example.com.yaml".into(), vec![crd]);
        self.docs_left -= 1;
        while self.docs_left > 0 {
            let app = self.app();
            let mut docs = self.bundle(&app);
            docs.truncate(self.docs_left);
            self.docs_left -= docs.len();
            self.place(&app, docs);
        }
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
            infos.push(DocInfo { start: text.len(), kind: doc.kind, mistake: doc.mistake });
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
                file.docs.push(DocInfo { start: file.text.len(), kind: doc.kind, mistake: doc.mistake });
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
                docs.push(Doc { kind: $kind, text, mistake: std::mem::take(&mut self.marked) });
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
            out!(
                o,
                4,
                "verbs: {}",
                self.rng.pick(&["[get, list, watch]", "[get, list, watch, create, update, patch]", "[\"*\"]"])
            );
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
                    out!(o, 2, "replicas: {}", self.rng.range(1, 12));
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
                    out!(o, 6, "maxSurge: {}", self.rng.pick(&["25%", "1", "0"]));
                    out!(o, 6, "maxUnavailable: {}", self.rng.pick(&["25%", "0", "1"]));
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
        if self.rng.percent(60) {
            out!(o, ind + 6, "app.kubernetes.io/version: \"{}\"", app.version);
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
        out!(o, 2, "{min}: {}", self.rng.range(1, 3));
        out!(o, 2, "maxReplicas: {}", self.rng.range(4, 30));
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
