//! Where an object's schema comes from: the embedded Kubernetes schemas, a `--schema-location`
//! folder laid out as kubeconform and the CRDs-catalog lay theirs out, a CRD among the linted
//! files, or the built-in CRD schemas (`crds.rs`). Validators are compiled on first use and shared by every thread.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use serde_json::Value;

use super::bundle::bundle;
use super::crds::builtin_crds;
use crate::k8s::version::KubeVersion;

/// A standalone schema document: a CRD's version schema or a file from a schema location.
pub struct DocSchema {
    pub root: Value,
    /// A CRD's structural schema prunes (and, with strict field validation, rejects) fields it
    /// does not declare even without `additionalProperties: false`; a plain JSON Schema file
    /// allows them unless it says otherwise.
    pub closed: bool,
    /// Where it came from, for messages.
    pub origin: String,
    validator: OnceLock<Option<Arc<jsonschema::Validator>>>,
}

impl DocSchema {
    pub fn new(root: Value, closed: bool, origin: String) -> Self {
        DocSchema { root, closed, origin, validator: OnceLock::new() }
    }

    pub fn validator(&self) -> Option<Arc<jsonschema::Validator>> {
        self.validator.get_or_init(|| jsonschema::validator_for(&self.root).ok().map(Arc::new)).clone()
    }
}

#[derive(Clone)]
pub enum SchemaRef {
    /// A definition of the embedded schemas, at the catalog's version.
    Builtin(&'static str),
    /// The embedded definition of the API an old apiVersion moved to: close enough to find
    /// misspelt and mistyped fields, but its required fields are not the old API's.
    Substitute(&'static str),
    Document(Arc<DocSchema>),
}

impl SchemaRef {
    pub fn substituted(self) -> SchemaRef {
        match self {
            SchemaRef::Builtin(def) => SchemaRef::Substitute(def),
            other => other,
        }
    }
}

/// Schemas looked up in `--schema-location` folders, including the misses, by (apiVersion, kind).
type Located = HashMap<(String, String), Option<Arc<DocSchema>>>;

pub struct Catalog {
    /// The version the user targets.
    pub target: KubeVersion,
    /// The embedded schemas' version closest to the target.
    pub version: KubeVersion,
    crds: HashMap<(String, String), Arc<DocSchema>>,
    locations: Vec<String>,
    located: Mutex<Located>,
    validators: RwLock<HashMap<&'static str, Option<Arc<jsonschema::Validator>>>>,
}

impl Catalog {
    pub fn new(target: KubeVersion, locations: Vec<String>) -> Self {
        let b = bundle();
        let version = target.clamp(b.oldest(), b.newest());
        Catalog {
            target,
            version,
            crds: HashMap::new(),
            locations,
            located: Mutex::new(HashMap::new()),
            validators: RwLock::new(HashMap::new()),
        }
    }

    pub fn add_crd(&mut self, api_version: String, kind: String, schema: DocSchema) {
        self.crds.insert((api_version, kind), Arc::new(schema));
    }

    pub fn crd_count(&self) -> usize {
        self.crds.len()
    }

    /// Kubernetes' own types first: nothing can redefine them. Then, for custom resources, the
    /// most deliberate source wins: a schema the user pointed at with `--schema-location`, then
    /// a CRD among the linted files (the version the user deploys), then the built-in schema.
    pub fn lookup(&self, api_version: &str, kind: &str) -> Option<SchemaRef> {
        if let Some(def) = bundle().definition_for(self.version, api_version, kind) {
            // The bundle is static, so its names are too.
            return Some(SchemaRef::Builtin(def));
        }
        let key = (api_version.to_string(), kind.to_string());
        if !self.locations.is_empty() {
            let mut located = self.located.lock().unwrap_or_else(|e| e.into_inner());
            let found = located
                .entry(key.clone())
                .or_insert_with(|| self.find_in_locations(api_version, kind).map(Arc::new))
                .clone();
            if let Some(found) = found {
                return Some(SchemaRef::Document(found));
            }
        }
        if let Some(crd) = self.crds.get(&key) {
            return Some(SchemaRef::Document(crd.clone()));
        }
        builtin_crds().lookup(api_version, kind).map(SchemaRef::Document)
    }

    /// The compiled validator for a built-in definition.
    pub fn builtin_validator(&self, def: &'static str) -> Option<Arc<jsonschema::Validator>> {
        if let Some(found) = self.validators.read().unwrap_or_else(|e| e.into_inner()).get(def) {
            return found.clone();
        }
        // Compiled outside the lock; two threads racing on a first use both compile, which costs
        // a millisecond once and keeps the lock off the validation path.
        let compiled = bundle()
            .root_schema(self.version, def)
            .and_then(|schema| jsonschema::draft202012::new(&schema).ok())
            .map(Arc::new);
        self.validators.write().unwrap_or_else(|e| e.into_inner()).entry(def).or_insert(compiled).clone()
    }

    fn find_in_locations(&self, api_version: &str, kind: &str) -> Option<DocSchema> {
        for location in &self.locations {
            for path in candidate_paths(location, api_version, kind, self.target) {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let Ok(root) = serde_json::from_str::<Value>(&text) else { continue };
                return Some(DocSchema::new(root, false, path.display().to_string()));
            }
        }
        None
    }
}

/// File names a schema for `api_version`/`kind` may have under `location`, in kubeconform's and
/// the CRDs-catalog's layouts. A location holding `{{` is a kubeconform path template.
pub fn candidate_paths(location: &str, api_version: &str, kind: &str, target: KubeVersion) -> Vec<PathBuf> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let kind_lower = kind.to_ascii_lowercase();
    let group_prefix = group.split('.').next().unwrap_or("");
    let kind_suffix = if group.is_empty() {
        format!("-{version}")
    } else {
        format!("-{}-{version}", group_prefix.to_ascii_lowercase())
    };
    if location.contains("{{") {
        let filled = location
            .replace("{{ .ResourceKind }}", &kind_lower)
            .replace("{{.ResourceKind}}", &kind_lower)
            .replace("{{ .ResourceAPIVersion }}", version)
            .replace("{{.ResourceAPIVersion}}", version)
            .replace("{{ .Group }}", if group.is_empty() { version } else { group })
            .replace("{{.Group}}", if group.is_empty() { version } else { group })
            .replace("{{ .KindSuffix }}", &kind_suffix)
            .replace("{{.KindSuffix}}", &kind_suffix)
            .replace("{{ .NormalizedKubernetesVersion }}", &format!("v{target}.0"))
            .replace("{{.NormalizedKubernetesVersion}}", &format!("v{target}.0"))
            .replace("{{ .StrictSuffix }}", "-strict")
            .replace("{{.StrictSuffix}}", "-strict");
        return vec![PathBuf::from(filled)];
    }
    let dir = PathBuf::from(location);
    let mut paths = Vec::new();
    if !group.is_empty() {
        paths.push(dir.join(group).join(format!("{kind_lower}_{version}.json")));
    }
    paths.push(dir.join(format!("{kind_lower}_{version}.json")));
    paths.push(dir.join(format!("{kind_lower}{kind_suffix}.json")));
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_of_kubeconform_and_the_crds_catalog() {
        let v = KubeVersion::new(1, 30);
        let paths = candidate_paths("schemas", "monitoring.coreos.com/v1", "ServiceMonitor", v);
        assert_eq!(
            paths,
            [
                PathBuf::from("schemas/monitoring.coreos.com/servicemonitor_v1.json"),
                PathBuf::from("schemas/servicemonitor_v1.json"),
                PathBuf::from("schemas/servicemonitor-monitoring-v1.json"),
            ]
        );
        let templated =
            candidate_paths("s/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json", "v1", "Pod", v);
        assert_eq!(templated, [PathBuf::from("s/v1/pod_v1.json")]);
    }
}
