//! Built-in schemas for widely used custom resources (Gateway API, cert-manager, Prometheus
//! operator, Argo, Flux, Istio, …), so that they are validated without their CRDs in the run.
//!
//! # Data file
//! `data/crds.json.zst` is produced by `tools/gen-crd-schemas` (run by hand; see its header)
//! from the JSON schemas of the datreeio/CRDs-catalog (MIT; see `NOTICE`). It is a zstd stream
//! of several frames, so that a run decompresses only the groups it meets:
//! - frame 1, the index, decompressed on the first lookup of a kind the Kubernetes schemas do
//!   not know (never for a run of built-in kinds only):
//!   ```text
//!   {"format": 1,
//!    "source": {"repository": …, "commit": "<sha>", "license": "MIT"},
//!    "groups": [{"group": "cert-manager.io", "project": "cert-manager", "license": "Apache-2.0",
//!                "offset": 1234, "size": 567,     // bytes, counted from the end of frame 1
//!                "kinds": [["Certificate", ["v1"]], …]}, …]}   // groups sorted by name
//!   ```
//! - then one frame per group, decompressed on the first lookup of one of its kinds:
//!   ```text
//!   {"defs": [<schema>, …],                    // each distinct schema once
//!    "kinds": [["Certificate", "v1", 0], …]}   // kind, version, index into defs
//!   ```
//!
//! A schema is one CRD version's `openAPIV3Schema` as the catalog converted it, minus
//! descriptions and other annotations; each is parsed on first use and finished exactly as a
//! CRD found among the linted files is (`crd::to_resource_schema`): `nullable`,
//! `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource` rewritten, and the result
//! closed (unknown fields are rejected, as the API server's strict field validation does),
//! except under `x-kubernetes-preserve-unknown-fields`. CEL `x-kubernetes-validations` are not
//! evaluated: the generator drops them.
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::catalog::DocSchema;
use super::crd::to_resource_schema;

static DATA: &[u8] = include_bytes!("data/crds.json.zst");
const FORMAT: u32 = 1;

/// The built-in CRD schemas, their index read on first use.
pub fn builtin_crds() -> &'static BuiltinCrds {
    static CRDS: OnceLock<BuiltinCrds> = OnceLock::new();
    CRDS.get_or_init(|| BuiltinCrds::from_data(DATA).expect("embedded CRD schemas are corrupt"))
}

pub struct BuiltinCrds {
    pub source: Source,
    /// Sorted by group name.
    groups: Vec<Group>,
    /// The group frames, after the index frame.
    frames: &'static [u8],
}

#[derive(Deserialize)]
pub struct Source {
    pub repository: String,
    pub commit: String,
    pub license: String,
}

#[derive(Deserialize)]
struct RawIndex {
    format: u32,
    source: Source,
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
struct RawGroup {
    group: String,
    project: String,
    license: String,
    offset: usize,
    size: usize,
    kinds: Vec<(String, Vec<String>)>,
}

struct Group {
    info: RawGroup,
    loaded: OnceLock<Loaded>,
}

/// One group's schemas, decompressed; each parsed on first use.
struct Loaded {
    /// (kind, version) → index into `defs`.
    kinds: HashMap<(String, String), usize>,
    defs: Vec<LazySchema>,
}

struct LazySchema {
    raw: Box<RawValue>,
    /// `None` when the schema does not parse as an object schema (the generator checks this,
    /// so it stays a theoretical miss, not a panic mid-run).
    parsed: OnceLock<Option<Arc<DocSchema>>>,
}

#[derive(Deserialize)]
struct RawGroupData {
    defs: Vec<Box<RawValue>>,
    kinds: Vec<(String, String, usize)>,
}

/// A kind and the versions of it built in.
pub type KindVersions = (String, Vec<String>);

/// One group as `podlint schemas` lists it.
pub struct GroupInfo<'a> {
    pub group: &'a str,
    pub project: &'a str,
    pub license: &'a str,
    pub kinds: &'a [(String, Vec<String>)],
}

// Looked up from rayon threads, like the Kubernetes bundle.
const _: () = {
    const fn assert_sync<T: Sync + Send>() {}
    assert_sync::<BuiltinCrds>();
};

impl BuiltinCrds {
    fn from_data(data: &'static [u8]) -> Result<BuiltinCrds, String> {
        let index_size =
            zstd::zstd_safe::find_frame_compressed_size(data).map_err(|e| format!("index frame: zstd error {e}"))?;
        let index = zstd::stream::decode_all(&data[..index_size]).map_err(|e| format!("index: {e}"))?;
        let raw: RawIndex = serde_json::from_slice(&index).map_err(|e| format!("index: {e}"))?;
        if raw.format != FORMAT {
            return Err(format!("format {}, this podlint reads {FORMAT}", raw.format));
        }
        let frames = &data[index_size..];
        if raw.groups.iter().any(|g| g.offset.checked_add(g.size).is_none_or(|end| end > frames.len())) {
            return Err("a group's frame lies outside the data".into());
        }
        if !raw.groups.is_sorted_by(|a, b| a.group < b.group) {
            return Err("groups are not sorted".into());
        }
        let groups = raw.groups.into_iter().map(|info| Group { info, loaded: OnceLock::new() }).collect();
        Ok(BuiltinCrds { source: raw.source, groups, frames })
    }

    fn group(&self, name: &str) -> Option<&Group> {
        let at = self.groups.binary_search_by(|g| g.info.group.as_str().cmp(name)).ok()?;
        Some(&self.groups[at])
    }

    /// The schema of apiVersion/kind (exact match), decompressing its group on first use.
    pub fn lookup(&self, api_version: &str, kind: &str) -> Option<Arc<DocSchema>> {
        let (group_name, version) = api_version.split_once('/')?;
        let group = self.group(group_name)?;
        // The index says whether the group has the kind: a miss costs no decompression.
        if !group.info.kinds.iter().any(|(k, versions)| k == kind && versions.iter().any(|v| v == version)) {
            return None;
        }
        let loaded = group.loaded.get_or_init(|| self.load(&group.info));
        let def = &loaded.defs[*loaded.kinds.get(&(kind.to_string(), version.to_string()))?];
        def.parsed
            .get_or_init(|| {
                let mut root = serde_json::from_str(def.raw.get()).ok()?;
                to_resource_schema(&mut root)?;
                let origin = format!("built-in schema of {group_name} {kind}, from the CRDs-catalog");
                Some(Arc::new(DocSchema::new(root, true, origin)))
            })
            .clone()
    }

    fn load(&self, info: &RawGroup) -> Loaded {
        let frame = &self.frames[info.offset..info.offset + info.size];
        // The data is compiled in and checked by the tests, so a failure here is a build defect;
        // an empty group keeps the run going (its kinds stay unknown) rather than panicking.
        let parsed = zstd::stream::decode_all(frame)
            .ok()
            .and_then(|json| serde_json::from_slice::<RawGroupData>(&json).ok())
            .unwrap_or(RawGroupData { defs: Vec::new(), kinds: Vec::new() });
        debug_assert!(!parsed.defs.is_empty(), "built-in CRD group {} is corrupt", info.group);
        let defs: Vec<LazySchema> =
            parsed.defs.into_iter().map(|raw| LazySchema { raw, parsed: OnceLock::new() }).collect();
        let kinds = parsed
            .kinds
            .into_iter()
            .filter(|(_, _, index)| *index < defs.len())
            .map(|(kind, version, index)| ((kind, version), index))
            .collect();
        Loaded { kinds, defs }
    }

    /// Every group, for `podlint schemas`.
    pub fn groups(&self) -> impl Iterator<Item = GroupInfo<'_>> {
        self.groups.iter().map(|g| GroupInfo {
            group: &g.info.group,
            project: &g.info.project,
            license: &g.info.license,
            kinds: &g.info.kinds,
        })
    }

    /// Whether the group is built in (for any kind).
    pub fn has_group(&self, group: &str) -> bool {
        self.group(group).is_some()
    }

    /// A built-in group's project and its kinds, each with the versions built in.
    pub fn kinds_of(&self, group: &str) -> Option<(&str, &[KindVersions])> {
        self.group(group).map(|g| (g.info.project.as_str(), g.info.kinds.as_slice()))
    }

    /// The kind of a built-in group spelt as `kind` is but for case (`certificate`).
    pub fn kind_ignoring_case(&self, api_version: &str, kind: &str) -> Option<&str> {
        let (group, _) = api_version.split_once('/')?;
        let (_, kinds) = self.kinds_of(group)?;
        kinds.iter().map(|(k, _)| k.as_str()).find(|k| k.eq_ignore_ascii_case(kind) && *k != kind)
    }

    /// Every group built in, sorted.
    pub fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|g| g.info.group.as_str())
    }

    /// How many groups have been decompressed (for tests: a run loads only what it meets).
    #[cfg(test)]
    fn loaded_groups(&self) -> usize {
        self.groups.iter().filter(|g| g.loaded.get().is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(api_version: &str, kind: &str) -> Arc<DocSchema> {
        builtin_crds().lookup(api_version, kind).unwrap_or_else(|| panic!("{api_version} {kind} is built in"))
    }

    #[test]
    fn finds_popular_kinds_by_exact_name() {
        for (api_version, kind) in [
            ("cert-manager.io/v1", "Certificate"),
            ("gateway.networking.k8s.io/v1", "HTTPRoute"),
            ("gateway.networking.k8s.io/v1beta1", "HTTPRoute"),
            ("monitoring.coreos.com/v1", "ServiceMonitor"),
            ("argoproj.io/v1alpha1", "Rollout"),
            ("argoproj.io/v1alpha1", "Workflow"),
            ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
            ("keda.sh/v1alpha1", "ScaledObject"),
            ("acid.zalan.do/v1", "postgresql"),
        ] {
            assert!(schema(api_version, kind).closed);
        }
        let crds = builtin_crds();
        assert!(crds.lookup("cert-manager.io/v1", "certificate").is_none());
        assert!(crds.lookup("cert-manager.io/v9", "Certificate").is_none());
        assert!(crds.lookup("v1", "Pod").is_none());
        assert!(crds.has_group("keda.sh") && !crds.has_group("example.com"));
    }

    #[test]
    fn a_lookup_decompresses_only_its_group() {
        // Fresh data, not the shared instance other tests load groups of.
        let crds = BuiltinCrds::from_data(DATA).expect("loads");
        assert_eq!(crds.loaded_groups(), 0);
        assert!(crds.lookup("example.com/v1", "Widget").is_none());
        assert!(crds.lookup("keda.sh/v1alpha1", "NoSuchKind").is_none());
        assert_eq!(crds.loaded_groups(), 0);
        assert!(crds.lookup("keda.sh/v1alpha1", "ScaledObject").is_some());
        assert_eq!(crds.loaded_groups(), 1);
    }

    #[test]
    fn every_schema_compiles() {
        let crds = builtin_crds();
        let mut count = 0;
        for group in crds.groups() {
            for (kind, versions) in group.kinds {
                for version in versions {
                    let api_version = format!("{}/{version}", group.group);
                    let doc = schema(&api_version, kind);
                    assert!(doc.validator().is_some(), "{api_version} {kind} does not compile");
                    count += 1;
                }
            }
        }
        assert!(count > 600, "{count} kind versions");
    }

    #[test]
    fn semantics_of_custom_resources() {
        let cert = schema("cert-manager.io/v1", "Certificate");
        let validator = cert.validator().expect("compiles");
        let base = json!({
            "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
            "metadata": {"name": "web", "labels": {"a": "b"}},
            "spec": {"secretName": "web-tls", "issuerRef": {"name": "letsencrypt"}, "dnsNames": ["a.example"]}
        });
        assert!(validator.is_valid(&base));
        let mut typo = base.clone();
        typo["spec"]["secretname"] = json!("x");
        assert!(!validator.is_valid(&typo), "unknown fields are rejected");

        // x-kubernetes-int-or-string: a port may be a number or a name.
        let monitor = schema("monitoring.coreos.com/v1", "ServiceMonitor");
        let validator = monitor.validator().expect("compiles");
        let endpoint = |port: serde_json::Value| {
            json!({"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "m"},
                   "spec": {"selector": {}, "endpoints": [{"targetPort": port}]}})
        };
        assert!(validator.is_valid(&endpoint(json!(8080))));
        assert!(validator.is_valid(&endpoint(json!("metrics"))));
        assert!(!validator.is_valid(&endpoint(json!(true))));

        // x-kubernetes-preserve-unknown-fields: a webhook solver's config is free-form, although
        // the catalog's converter closed it.
        let issuer = schema("cert-manager.io/v1", "ClusterIssuer");
        let validator = issuer.validator().expect("compiles");
        let webhook = json!({"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer", "metadata": {"name": "i"},
            "spec": {"acme": {"server": "https://acme.example", "privateKeySecretRef": {"name": "k"},
              "solvers": [{"dns01": {"webhook": {"groupName": "g", "solverName": "s", "config": {"anything": [1]}}}}]}}});
        assert!(
            validator.is_valid(&webhook),
            "{:?}",
            validator.iter_errors(&webhook).map(|e| e.to_string()).collect::<Vec<_>>()
        );
    }
}
