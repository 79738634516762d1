//! Schema validation: the embedded Kubernetes schemas, CRDs found in the run, and schema folders,
//! templates and URLs given with `--schema-location` (`location`).
//!
//! Two passes per object. `walk` follows the schema over our tree and *normalises* it: a
//! miscased key, kind or enum value is renamed to what was meant (so every later stage lints the
//! object that was intended), and an unknown field is reported and removed (so nothing cascades
//! from it). `validate` then runs jsonschema over the normalised object for types, required
//! fields and ranges, and maps each error back to its node.
pub mod bundle;
pub mod catalog;
pub mod crd;
pub mod crds;
pub mod location;
pub mod validate;
pub mod values;
pub mod walk;

use serde_json::Value;

use crate::yaml::Span;

pub use catalog::{Catalog, SchemaRef};

/// What the schema stage found; the rules in `src/rules/` turn each into a finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Issue {
    /// A key that is a known field but for case.
    KeyCase {
        key: Span,
        written: String,
        canonical: String,
        quoted: bool,
    },
    /// A value that is a known value but for case: a `kind`, an `apiVersion`, an enum value.
    ValueCase {
        value: Span,
        written: String,
        canonical: String,
        field: String,
        quoted: bool,
    },
    UnknownField {
        key: Span,
        name: String,
        /// The type the field was found in ("Pod", "Container").
        parent: String,
        suggestion: Option<String>,
        placement: Option<Placement>,
    },
    InvalidType {
        value: Span,
        field: String,
        expected: String,
        found: &'static str,
        hint: TypeHint,
    },
    MissingRequired {
        at: Span,
        property: String,
        parent: String,
    },
    InvalidValue {
        value: Span,
        field: String,
        reason: String,
        help: Option<String>,
    },
    /// No schema describes this apiVersion/kind.
    UnknownKind {
        at: Span,
        api_version: String,
        kind: String,
        note: KindNote,
    },
}

impl Issue {
    /// The node the issue is about.
    pub fn span(&self) -> Span {
        match self {
            Issue::KeyCase { key, .. } | Issue::UnknownField { key, .. } => *key,
            Issue::ValueCase { value, .. } | Issue::InvalidType { value, .. } | Issue::InvalidValue { value, .. } => {
                *value
            }
            Issue::MissingRequired { at, .. } | Issue::UnknownKind { at, .. } => *at,
        }
    }
}

/// Where a misplaced field belongs.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    /// It is a field of the object under this key (`labels` under `metadata`).
    Under(String),
    /// It is a field of the object one level up, beside this key.
    Beside(String),
}

/// Why a value has the wrong type, when there is more to say than the types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeHint {
    None,
    /// A quoted number where a number belongs: remove the quotes.
    QuotedNumber,
    /// A number or boolean where a string belongs (env values, annotations): quote it.
    NeedsQuotes,
    /// `yes`/`no`/`on`/`off` read as a boolean under YAML 1.1 where a string belongs.
    YamlBoolean,
}

#[derive(Clone, Debug, PartialEq)]
pub enum KindNote {
    /// The kind is served under other apiVersions at the target version.
    ServedAs(Vec<String>),
    /// This apiVersion/kind exists only in these other Kubernetes versions.
    OnlyIn(Vec<String>),
    /// A custom resource of a group podlint has no schemas of, whose CRD was not among the
    /// linted files; with the built-in group its group is likely a typo of.
    NoCrd { nearest_group: Option<String> },
    /// A group built in, which has the kind in other versions only.
    OtherVersions { project: String, versions: Vec<String> },
    /// A group built in, which has no such kind; with the closest of its kinds.
    NotInGroup { project: String, nearest: Option<String> },
    /// Nothing is known about the kind.
    Unknown,
}

/// What `podlint schemas` prints: the Kubernetes versions built in, then every built-in
/// custom-resource group with its project, licence, kinds and versions.
pub fn builtin_listing() -> String {
    use std::fmt::Write as _;
    let b = bundle::bundle();
    let crds = crds::builtin_crds();
    let mut out = String::new();
    let versions: Vec<String> = b.versions().iter().map(ToString::to_string).collect();
    let _ = writeln!(out, "Kubernetes {} (from the PyPI package kubernetes-validate; Apache-2.0)", versions.join(", "));
    let groups: Vec<_> = crds.groups().collect();
    let kind_versions: usize = groups.iter().flat_map(|g| g.kinds).map(|(_, v)| v.len()).sum();
    let _ = writeln!(
        out,
        "Custom resources: {} groups, {kind_versions} kind versions, from {} at {} ({})",
        groups.len(),
        crds.source.repository,
        crds.source.commit,
        crds.source.license
    );
    let _ = writeln!(out, "A CRD among the linted files, or a --schema-location schema, takes precedence.\n");
    let width = groups.iter().map(|g| g.group.len()).max().unwrap_or(5);
    let _ = writeln!(out, "{:<width$}  KINDS (VERSIONS)  [PROJECT, UPSTREAM LICENCE]", "GROUP");
    for g in &groups {
        let kinds: Vec<String> = g.kinds.iter().map(|(kind, v)| format!("{kind} ({})", v.join(", "))).collect();
        let _ = writeln!(out, "{:<width$}  {}  [{}, {}]", g.group, kinds.join(", "), g.project, g.license);
    }
    out
}

/// The properties a schema allows, following `$ref`s.
pub fn properties(schema: &Value) -> Option<&serde_json::Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

/// The short name of a definition, for messages: `io.k8s.api.core.v1.PodSpec` → `PodSpec`.
pub fn short_name(definition: &str) -> &str {
    definition.rsplit('.').next().unwrap_or(definition)
}
