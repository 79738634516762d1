//! Where an object's schema comes from: the embedded Kubernetes schemas, a `--schema-location`
//! (a folder laid out as kubeconform and the CRDs-catalog lay theirs out, a template, a URL:
//! `location`), a CRD among the linted files, or the built-in CRD schemas (`crds.rs`).
//! Validators are compiled on first use and shared by every thread.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use serde_json::Value;

use super::bundle::bundle;
use super::crds::builtin_crds;
use super::location;
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
    remote: location::Remote,
    validators: RwLock<HashMap<&'static str, Option<Arc<jsonschema::Validator>>>>,
}

impl Catalog {
    /// `cache`: where schemas fetched from URL locations are kept (see `location::Remote`).
    pub fn new(target: KubeVersion, locations: Vec<String>, cache: Option<PathBuf>) -> Self {
        let b = bundle();
        let version = target.clamp(b.oldest(), b.newest());
        Catalog {
            target,
            version,
            crds: HashMap::new(),
            locations,
            located: Mutex::new(HashMap::new()),
            remote: location::Remote::new(cache),
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
            for place in location::candidates(location, api_version, kind, self.target) {
                let text = if location::is_url(&place) {
                    self.remote.get(location, &place)
                } else {
                    std::fs::read_to_string(&place).ok()
                };
                let Some(root) = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) else { continue };
                return Some(DocSchema::new(root, false, place));
            }
        }
        None
    }

    /// Why `--schema-location` URLs could not be read, one line per location: usage errors of
    /// the run (exit 2), which still lints everything else.
    pub fn location_failures(&self) -> Vec<String> {
        self.remote.failures()
    }
}
