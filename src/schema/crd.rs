//! Schemas for custom resources, from the CustomResourceDefinitions among the linted files.
use serde_json::{Value as Json, json};

use super::catalog::DocSchema;
use super::validate::to_json;
use crate::yaml::Node;

/// One schema per served version of the CRD: `(apiVersion, kind, schema)`.
pub fn schemas_from_crd(root: &Node<'_>, origin: &str) -> Vec<(String, String, DocSchema)> {
    let Some(spec) = root.get("spec") else { return Vec::new() };
    let (Some(group), Some(kind)) =
        (spec.get("group").and_then(Node::as_str), spec.path(&["names", "kind"]).and_then(Node::as_str))
    else {
        return Vec::new();
    };
    // apiextensions.k8s.io/v1beta1 kept one schema for all versions under spec.validation.
    let shared = spec.path(&["validation", "openAPIV3Schema"]);
    let mut versions: Vec<(&str, Option<&Node<'_>>)> = spec
        .get("versions")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| Some((v.get("name")?.as_str()?, v.path(&["schema", "openAPIV3Schema"]).or(shared))))
        .collect();
    if versions.is_empty()
        && let Some(version) = spec.get("version").and_then(Node::as_str)
    {
        versions.push((version, shared));
    }
    versions
        .into_iter()
        .filter_map(|(version, schema)| {
            let mut schema = to_json(schema?);
            to_resource_schema(&mut schema)?;
            let api_version = format!("{group}/{version}");
            let origin = format!("CustomResourceDefinition {}.{group} ({origin})", kind.to_ascii_lowercase());
            Some((api_version, kind.to_string(), DocSchema::new(schema, true, origin)))
        })
        .collect()
}

/// A CRD version's `openAPIV3Schema` made into the JSON Schema a custom resource is validated
/// against: the OpenAPI keywords rewritten, and `apiVersion`, `kind` and `metadata` allowed at
/// the root (the API server adds them to every CRD's schema). Shared by CRDs among the linted
/// files and the built-in ones (`crds.rs`), so both are judged alike. `None` for a root that
/// is not an object schema.
pub fn to_resource_schema(schema: &mut Json) -> Option<()> {
    to_json_schema(schema);
    let props = schema.as_object_mut()?.entry("properties").or_insert_with(|| json!({}));
    if let Some(props) = props.as_object_mut() {
        allow_envelope(props);
    }
    Some(())
}

fn allow_envelope(props: &mut serde_json::Map<String, Json>) {
    for key in ["apiVersion", "kind"] {
        props.entry(key).or_insert_with(|| json!({"type": "string"}));
    }
    props.entry("metadata").or_insert_with(|| json!({"type": "object"}));
}

/// OpenAPI 3.0 schema keywords that JSON Schema (2020-12) spells differently.
fn to_json_schema(schema: &mut Json) {
    let Json::Object(map) = schema else { return };
    // An embedded object (a template of another resource) has apiVersion, kind and metadata
    // whether or not its schema lists them.
    if map.remove("x-kubernetes-embedded-resource") == Some(Json::Bool(true))
        && let Some(Json::Object(props)) = map.get_mut("properties")
    {
        allow_envelope(props);
    }
    if map.remove("nullable") == Some(Json::Bool(true))
        && let Some(Json::String(t)) = map.get("type").cloned()
    {
        map.insert("type".into(), json!([t, "null"]));
    }
    if map.remove("x-kubernetes-int-or-string") == Some(Json::Bool(true)) {
        map.remove("type");
        map.insert("anyOf".into(), json!([{"type": "integer"}, {"type": "string"}]));
    }
    // OpenAPI 3.0 (like draft 4) makes exclusiveMinimum a flag on minimum.
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Json::Bool(exclusive)) = map.get(flag).cloned() {
            map.remove(flag);
            if exclusive && let Some(limit) = map.remove(bound) {
                map.insert(flag.into(), limit);
            }
        }
    }
    // CEL rules are the API server's to evaluate.
    map.remove("x-kubernetes-validations");
    for key in ["properties", "patternProperties"] {
        if let Some(Json::Object(props)) = map.get_mut(key) {
            props.values_mut().for_each(to_json_schema);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner @ Json::Object(_)) = map.get_mut(key) {
            to_json_schema(inner);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Json::Array(list)) = map.get_mut(key) {
            list.iter_mut().for_each(to_json_schema);
        }
    }
}
