//! The embedded Kubernetes JSON schemas, one set per supported minor version.
//!
//! # Data file
//! `data/kubernetes.json.zst` is produced by `tools/gen-schemas` (run by hand; see its header)
//! from the strict schemas in the PyPI package `kubernetes-validate` (see `NOTICE`). It is one
//! zstd frame (`-19 --long=27 -T1`). A 2^27 window is the decoder's default limit, so plain
//! `decode_all` reads it.
//!
//! Decompressed, it is one JSON object:
//! ```text
//! {"format": 1,
//!  "source": {"package": "kubernetes-validate", "url": …, "license": "Apache-2.0",
//!             "wheels": {"1.31.0": "<sha256>", "1.37.0": "<sha256>"}},
//!  "versions": ["1.24", …, "1.37"],
//!  "names": ["io.k8s.api.apps.v1.DaemonSet", …],  // every definition name, sorted
//!  "defs": [<schema>, …],                         // each distinct definition once
//!  "tables": {"1.30": [17, null, …], …},          // per version, per name: index into defs
//!  "gvks": ["apps/v1/Deployment", …],             // every "apiVersion/Kind", sorted as pairs
//!  "kinds": {"1.30": [[12, 40], …], …}}           // per version: [gvks index, names index]
//! ```
//! The core group's apiVersion has no group part (`v1/Pod`); a kind never contains `/`.
//! Per-version data is integers only: the first layout, with a name-keyed map per version,
//! spent 3 ms of the load parsing ~11k repeated strings.
//!
//! Definitions are Draft 2020-12 schemas whose `$ref`s read `#/$defs/<name>`, resolved against
//! the table of the version at hand. Sharing identical definitions across versions is what
//! keeps the data small: 1321 distinct definitions stand for 9010. Each definition is kept as
//! raw JSON and parsed on first use, because a run typically touches a few hundred of them
//! and parsing all of them eagerly cost more than everything else in the load together.
//!
//! # Differences from the upstream schemas
//! - No `description`s, `x-kubernetes-patch-*` or `x-kubernetes-unions` (size; none of them
//!   validates anything).
//! - `x-kubernetes-group-version-kind` became `kinds`, minus the apimachinery meta/v1
//!   envelopes (DeleteOptions, WatchEvent, Status, discovery lists): they are not objects one
//!   applies, and their GVK lists name every group version, including removed ones.
//! - IntOrString and Quantity use `anyOf` instead of `oneOf`: both branches accept `null`, so
//!   `oneOf` rejected a null `targetPort` that Kubernetes accepts.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::k8s::version::KubeVersion;

static DATA: &[u8] = include_bytes!("data/kubernetes.json.zst");
const FORMAT: u32 = 1;
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const REF_PREFIX: &str = "#/$defs/";

/// The schemas of every supported Kubernetes version, loaded on first use.
pub fn bundle() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| Bundle::from_compressed(DATA).expect("embedded schema bundle is corrupt"))
}

/// Every supported version's schemas; shared through [`bundle`].
pub struct Bundle {
    versions: Vec<KubeVersion>,
    /// Sorted, so a name's index is found by binary search.
    names: Vec<Box<str>>,
    defs: Vec<LazyDef>,
    /// Sorted by (apiVersion, kind).
    gvks: Vec<(Box<str>, Box<str>)>,
    /// Parallel to `versions`.
    per_version: Vec<VersionData>,
}

struct LazyDef {
    raw: Box<RawValue>,
    parsed: OnceLock<Value>,
}

struct VersionData {
    /// Per name index: the index into `defs`, if the version has that definition.
    table: Vec<Option<u32>>,
    /// (gvk index, name index), sorted by gvk index, hence by (apiVersion, kind).
    kinds: Vec<(u32, u32)>,
}

#[derive(Deserialize)]
struct RawBundle {
    format: u32,
    versions: Vec<String>,
    names: Vec<Box<str>>,
    defs: Vec<Box<RawValue>>,
    tables: HashMap<String, Vec<Option<u32>>>,
    gvks: Vec<Box<str>>,
    kinds: HashMap<String, Vec<(u32, u32)>>,
}

// Validators built from these schemas run on rayon threads, all reading the one bundle.
const _: () = {
    const fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Bundle>();
};

impl Bundle {
    fn from_compressed(data: &[u8]) -> Result<Bundle, String> {
        let json = zstd::stream::decode_all(data).map_err(|e| format!("zstd: {e}"))?;
        Bundle::from_json(&json)
    }

    /// Checks every index, so that lookups can index without further checks.
    fn from_json(json: &[u8]) -> Result<Bundle, String> {
        let raw: RawBundle = serde_json::from_slice(json).map_err(|e| format!("json: {e}"))?;
        if raw.format != FORMAT {
            return Err(format!("format {}, this podlint reads {FORMAT}", raw.format));
        }
        let RawBundle { versions, names, defs, mut tables, gvks, mut kinds, .. } = raw;
        if !names.is_sorted_by(|a, b| a < b) {
            return Err("names are not sorted".into());
        }
        let gvks = gvks
            .iter()
            .map(|gvk| {
                let (api_version, kind) = gvk.rsplit_once('/').ok_or_else(|| format!("malformed gvk {gvk}"))?;
                Ok((api_version.into(), kind.into()))
            })
            .collect::<Result<Vec<(Box<str>, Box<str>)>, String>>()?;
        if !gvks.is_sorted_by(|a, b| a < b) {
            return Err("gvks are not sorted".into());
        }

        let mut entries = Vec::with_capacity(versions.len());
        for key in &versions {
            let version: KubeVersion = key.parse()?;
            let table = tables.remove(key).ok_or_else(|| format!("{key}: no table"))?;
            if table.len() != names.len() || table.iter().flatten().any(|&d| d as usize >= defs.len()) {
                return Err(format!("{key}: table does not match names and defs"));
            }
            let kinds = kinds.remove(key).ok_or_else(|| format!("{key}: no kinds"))?;
            let in_range =
                |&(g, n): &(u32, u32)| (g as usize) < gvks.len() && table.get(n as usize).is_some_and(Option::is_some);
            if !kinds.iter().all(in_range) || !kinds.is_sorted_by(|a, b| a.0 < b.0) {
                return Err(format!("{key}: kinds are out of range or unsorted"));
            }
            entries.push((version, VersionData { table, kinds }));
        }
        entries.sort_by_key(|(version, _)| *version);
        if entries.is_empty() || entries.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err("no versions, or a version twice".into());
        }
        let (versions, per_version) = entries.into_iter().unzip();
        let defs = defs.into_iter().map(|raw| LazyDef { raw, parsed: OnceLock::new() }).collect();
        Ok(Bundle { versions, names, defs, gvks, per_version })
    }

    fn version_data(&self, version: KubeVersion) -> Option<&VersionData> {
        let index = self.versions.binary_search(&version).ok()?;
        Some(&self.per_version[index])
    }

    fn def_index(&self, data: &VersionData, name: &str) -> Option<usize> {
        let name_index = self.names.binary_search_by(|n| (**n).cmp(name)).ok()?;
        data.table[name_index].map(|d| d as usize)
    }

    fn def(&self, index: usize) -> &Value {
        let def = &self.defs[index];
        def.parsed.get_or_init(|| serde_json::from_str(def.raw.get()).expect("embedded schema definition is corrupt"))
    }

    /// Ascending.
    pub fn versions(&self) -> &[KubeVersion] {
        &self.versions
    }

    pub fn newest(&self) -> KubeVersion {
        *self.versions.last().expect("loading checked the bundle has versions")
    }

    pub fn oldest(&self) -> KubeVersion {
        *self.versions.first().expect("loading checked the bundle has versions")
    }

    /// Definition name serving apiVersion/kind at `version` (exact, case-sensitive match).
    pub fn definition_for(&self, version: KubeVersion, api_version: &str, kind: &str) -> Option<&str> {
        let data = self.version_data(version)?;
        let gvk = self.gvks.binary_search_by(|(a, k)| (&**a, &**k).cmp(&(api_version, kind))).ok()? as u32;
        let at = data.kinds.binary_search_by_key(&gvk, |&(g, _)| g).ok()?;
        Some(&self.names[data.kinds[at].1 as usize])
    }

    /// Every (apiVersion, kind) served at `version`, for case-insensitive kind matching and
    /// "did you mean". Sorted by apiVersion, then kind; empty for a version not in the bundle.
    pub fn kinds(&self, version: KubeVersion) -> impl Iterator<Item = (&str, &str)> {
        self.version_data(version).into_iter().flat_map(|data| data.kinds.iter()).map(|&(g, _)| {
            let (api_version, kind) = &self.gvks[g as usize];
            (&**api_version, &**kind)
        })
    }

    /// The versions in the bundle in which apiVersion/kind is served (to say "exists in
    /// 1.24–1.25 only"). Ascending.
    pub fn versions_serving(&self, api_version: &str, kind: &str) -> Vec<KubeVersion> {
        self.versions.iter().copied().filter(|&v| self.definition_for(v, api_version, kind).is_some()).collect()
    }

    /// One definition (for listing allowed property names, following `$ref`s).
    pub fn definition(&self, version: KubeVersion, name: &str) -> Option<&Value> {
        let index = self.def_index(self.version_data(version)?, name)?;
        Some(self.def(index))
    }

    /// A self-contained Draft 2020-12 schema for definition `name`, carrying only the
    /// definitions reachable from it, so that compiling a validator does not process the
    /// whole version's 500–900 definitions.
    pub fn root_schema(&self, version: KubeVersion, name: &str) -> Option<Value> {
        let data = self.version_data(version)?;
        let mut reachable = Map::new();
        let mut pending = vec![name];
        while let Some(next) = pending.pop() {
            if reachable.contains_key(next) {
                continue;
            }
            let Some(index) = self.def_index(data, next) else {
                // The generator checks every `$ref` target exists, so only `name` can miss.
                debug_assert_eq!(next, name, "dangling $ref in the embedded bundle");
                return None;
            };
            let def = self.def(index);
            push_refs(def, &mut pending);
            reachable.insert(next.to_owned(), def.clone());
        }
        let mut root = Map::new();
        root.insert("$schema".into(), DRAFT_2020_12.into());
        root.insert("$ref".into(), format!("{REF_PREFIX}{name}").into());
        root.insert("$defs".into(), Value::Object(reachable));
        Some(Value::Object(root))
    }
}

/// Pushes the definition names that `schema` refers to.
///
/// A CRD's JSONSchemaProps has a *property* named `$ref`, but its value is a schema object,
/// not a string, so checking the value's type is enough to tell the two apart.
fn push_refs<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(target) if key == "$ref" => {
                        if let Some(name) = target.strip_prefix(REF_PREFIX) {
                            out.push(name);
                        }
                    }
                    Value::Object(_) | Value::Array(_) => push_refs(value, out),
                    _ => {}
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| push_refs(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonschema::error::ValidationErrorKind;
    use serde_json::json;

    const V1_30: KubeVersion = KubeVersion::new(1, 30);

    fn validator(version: KubeVersion, api_version: &str, kind: &str) -> jsonschema::Validator {
        let b = bundle();
        let name = b
            .definition_for(version, api_version, kind)
            .unwrap_or_else(|| panic!("{api_version}/{kind} not served at {version}"));
        let schema = b.root_schema(version, name).expect("root schema");
        jsonschema::draft202012::new(&schema).expect("schema compiles")
    }

    fn error_kinds(v: &jsonschema::Validator, instance: &Value) -> Vec<(String, String)> {
        v.iter_errors(instance)
            .map(|e| {
                let kind = match e.kind() {
                    ValidationErrorKind::AdditionalProperties { .. } => "additionalProperties",
                    ValidationErrorKind::Type { .. } => "type",
                    ValidationErrorKind::Required { .. } => "required",
                    _ => "other",
                };
                (e.instance_path().as_str().to_owned(), kind.to_owned())
            })
            .collect()
    }

    fn pod(container: Value) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {"containers": [container]}
        })
    }

    fn deployment(replicas: Value) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
                }
            }
        })
    }

    #[test]
    fn versions_are_1_24_to_1_37_contiguous() {
        let b = bundle();
        let expected: Vec<_> = (24..=37).map(|m| KubeVersion::new(1, m)).collect();
        assert_eq!(b.versions(), expected.as_slice());
        assert_eq!(b.oldest(), KubeVersion::new(1, 24));
        assert_eq!(b.newest(), KubeVersion::new(1, 37));
    }

    #[test]
    fn finds_definitions_by_api_version_and_kind() {
        let b = bundle();
        assert_eq!(b.definition_for(V1_30, "apps/v1", "Deployment"), Some("io.k8s.api.apps.v1.Deployment"));
        // Exact match only: case-insensitive matching is the caller's job, via `kinds`.
        assert_eq!(b.definition_for(V1_30, "apps/v1", "deployment"), None);
        assert_eq!(b.definition_for(V1_30, "v1", "Deployment"), None);
        assert_eq!(b.definition_for(KubeVersion::new(1, 10), "v1", "Pod"), None);
    }

    #[test]
    fn pod_is_served_everywhere() {
        let b = bundle();
        assert_eq!(b.versions_serving("v1", "Pod"), b.versions());
        for &v in b.versions() {
            assert_eq!(b.definition_for(v, "v1", "Pod"), Some("io.k8s.api.core.v1.Pod"));
        }
    }

    #[test]
    fn removed_apis_are_not_served_after_removal() {
        let b = bundle();
        let cronjob = b.versions_serving("batch/v1beta1", "CronJob");
        assert_eq!(cronjob, [KubeVersion::new(1, 24)]);
        let flowschema = b.versions_serving("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema");
        assert!(flowschema.contains(&V1_30));
        assert!(!flowschema.contains(&KubeVersion::new(1, 32)));
    }

    #[test]
    fn meta_envelopes_are_not_kinds() {
        // Upstream lists DeleteOptions under apps/v1beta1, removed in 1.16.
        let b = bundle();
        assert!(b.versions_serving("apps/v1beta1", "DeleteOptions").is_empty());
        assert!(b.kinds(V1_30).all(|(_, kind)| kind != "WatchEvent"));
    }

    #[test]
    fn kinds_lists_served_kinds() {
        let b = bundle();
        let kinds: Vec<_> = b.kinds(V1_30).collect();
        assert!(kinds.contains(&("apps/v1", "Deployment")));
        assert!(kinds.contains(&("v1", "ConfigMap")));
        assert!(kinds.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(b.kinds(KubeVersion::new(1, 99)).count(), 0);
        for (api_version, kind) in kinds {
            let name = b.definition_for(V1_30, api_version, kind).expect("listed kind");
            assert!(b.definition(V1_30, name).is_some());
        }
    }

    #[test]
    fn descriptions_are_gone_but_a_property_named_description_stays() {
        let b = bundle();
        let props = b
            .definition(V1_30, "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps")
            .expect("JSONSchemaProps");
        assert!(props.get("description").is_none());
        assert!(props["properties"]["description"].is_object());
        let deployment = b.definition(V1_30, "io.k8s.api.apps.v1.Deployment");
        assert!(deployment.expect("Deployment").get("description").is_none());
    }

    #[test]
    fn root_schema_carries_only_reachable_definitions() {
        let b = bundle();
        let schema = b.root_schema(V1_30, "io.k8s.api.core.v1.ConfigMap").expect("ConfigMap");
        assert_eq!(schema["$ref"], "#/$defs/io.k8s.api.core.v1.ConfigMap");
        let defs = schema["$defs"].as_object().expect("$defs");
        assert!(defs.contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        assert!(!defs.contains_key("io.k8s.api.core.v1.PodSpec"));
        assert!(b.root_schema(V1_30, "io.k8s.api.core.v1.NoSuchThing").is_none());
    }

    #[test]
    fn pod_schema_accepts_a_minimal_pod() {
        let v = validator(V1_30, "v1", "Pod");
        let valid = pod(json!({"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}));
        assert_eq!(error_kinds(&v, &valid), []);
    }

    #[test]
    fn pod_schema_rejects_unknown_fields() {
        let v = validator(V1_30, "v1", "Pod");
        let typo = pod(json!({"name": "web", "image": "nginx:1.27", "ports": [{"containerport": 80}]}));
        let errors = error_kinds(&v, &typo);
        let at = "/spec/containers/0/ports/0".to_owned();
        assert!(errors.contains(&(at, "additionalProperties".to_owned())), "{errors:?}");
    }

    #[test]
    fn deployment_schema_checks_types() {
        let v = validator(V1_30, "apps/v1", "Deployment");
        assert_eq!(error_kinds(&v, &deployment(json!(3))), []);
        let errors = error_kinds(&v, &deployment(json!("3")));
        assert_eq!(errors, [("/spec/replicas".to_owned(), "type".to_owned())]);
    }

    #[test]
    fn int_or_string_accepts_null_string_and_int() {
        let v = validator(V1_30, "v1", "Service");
        let service = |target_port: Value| {
            json!({
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web"},
                "spec": {"ports": [{"port": 80, "targetPort": target_port}]}
            })
        };
        for ok in [json!(null), json!("http"), json!(8080)] {
            assert_eq!(error_kinds(&v, &service(ok.clone())), [], "targetPort {ok}");
        }
        assert!(!v.is_valid(&service(json!(true))));
        // The upstream form, for contrast: a null matches both branches, so oneOf fails.
        let upstream = json!({"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]});
        assert!(!jsonschema::draft202012::new(&upstream).expect("compiles").is_valid(&Value::Null));
    }

    #[test]
    fn every_kind_compiles() {
        // All fourteen versions take ~12 s in a debug build; the ends cover both wheels.
        let b = bundle();
        for version in [b.oldest(), b.newest()] {
            for (api_version, kind) in b.kinds(version) {
                let name = b.definition_for(version, api_version, kind).expect("listed kind");
                let schema = b.root_schema(version, name).expect("root schema");
                if let Err(e) = jsonschema::draft202012::new(&schema) {
                    panic!("{version} {api_version}/{kind}: {e}");
                }
            }
        }
    }

    #[test]
    fn every_definition_parses() {
        // Definitions are parsed lazily, so a corrupt one would otherwise surface mid-run.
        let b = bundle();
        for index in 0..b.defs.len() {
            assert!(b.def(index).is_object(), "definition {index}");
        }
    }

    /// Load and compile costs; run in release:
    /// `cargo test --release --lib schema::bundle -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing report, not a check"]
    fn timing() {
        use std::time::{Duration, Instant};
        fn best<T>(mut f: impl FnMut() -> T) -> Duration {
            (0..20)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(f());
                    start.elapsed()
                })
                .min()
                .expect("at least one run")
        }
        let json = zstd::stream::decode_all(DATA).expect("decompress");
        let load = || Bundle::from_json(&json).expect("load");
        let decompress = best(|| zstd::stream::decode_all(DATA).expect("decompress"));
        let parse = best(load);
        let total = best(|| Bundle::from_compressed(DATA).expect("load"));
        let every_def = best(|| {
            let b = load();
            (0..b.defs.len()).for_each(|i| _ = b.def(i));
        });
        println!(
            "data: {} bytes compressed, {} bytes JSON, {} distinct defs",
            DATA.len(),
            json.len(),
            load().defs.len()
        );
        println!("decompress {decompress:?} + parse {parse:?}: together {total:?}");
        println!("parsing every def eagerly would add {:?}", every_def.saturating_sub(parse));
        let b = bundle();
        for (api_version, kind) in [("v1", "Pod"), ("apps/v1", "Deployment"), ("v1", "Service")] {
            let name = b.definition_for(V1_30, api_version, kind).expect("kind");
            let cold = best(|| load().root_schema(V1_30, name).expect("root")).saturating_sub(parse);
            let warm = best(|| b.root_schema(V1_30, name).expect("root"));
            let schema = b.root_schema(V1_30, name).expect("root");
            let defs = schema["$defs"].as_object().map_or(0, Map::len);
            let compile = best(|| jsonschema::draft202012::new(&schema).expect("compile"));
            println!("{kind} at 1.30: {defs} defs; root_schema cold {cold:?}, warm {warm:?}; compile {compile:?}");
        }
    }
}
