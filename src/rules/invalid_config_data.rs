//! What the API server refuses in configuration and storage objects beyond the schema: Secret
//! and ConfigMap data (`ValidateSecret`, `ValidateConfigMap`, and the base64 decoding of
//! `[]byte` fields before them), PersistentVolumeClaims and PersistentVolumes
//! (`ValidatePersistentVolumeClaimSpec`, `ValidatePersistentVolumeSpec`) and StorageClasses
//! (`ValidateStorageClass`). Enum values (access modes, reclaim policies, binding modes) are the
//! schema stage's (invalid-value); absent required fields it knows of are missing-required-field.
use std::collections::BTreeMap;

use super::common::api_strings::{config_map_key, go_base64_decode, templated};
use super::common::validation::{FieldError, FieldPath, Val, refuse};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::quantity::Quantity;
use crate::object::{Completeness, Object};
use crate::yaml::{Node, Span};

pub struct InvalidConfigData;

static META: RuleMeta = RuleMeta {
    id: "invalid-config-data",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "A Secret, ConfigMap, PersistentVolume(Claim) or StorageClass the API server refuses: bad base64, \
              bad keys, missing type keys, no access mode or size",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-config-data.md"),
    ..RuleMeta::DEFAULTS
};

/// `core.MaxSecretSize`: the limit of a Secret's or ConfigMap's data, 1 MiB.
const MAX_DATA_SIZE: usize = 1024 * 1024;

impl Rule for InvalidConfigData {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.group() != Some("") && !object.is_kind("StorageClass") {
            return;
        }
        let whole = object.completeness == Completeness::Whole;
        match object.kind {
            Some("Secret") => secret(object, whole, cx),
            Some("ConfigMap") => config_map(object, cx),
            Some("PersistentVolumeClaim") if whole => {
                if let Some(spec) = object.root.get("spec") {
                    claim_spec(spec, &FieldPath::root("spec"), cx);
                }
            }
            Some("PersistentVolume") if whole => {
                if let Some(spec) = object.root.get("spec") {
                    volume_spec(spec, cx);
                }
            }
            Some("StorageClass") if object.group() == Some("storage.k8s.io") => storage_class(object, cx),
            _ => {}
        }
    }
}

/// `v1` of `apiVersion: v1`, for the decoder's message.
fn version<'a>(object: &Object<'a, '_>) -> &'a str {
    object.api_version.map_or("v1", |v| v.rsplit_once('/').map_or(v, |(_, version)| version))
}

/// A `[]byte` field's value as the server decodes it, or the decoder's refusal reported at the
/// value. `None` for values that are not strings (the schema stage reports those) and templates.
fn decode(object: &Object<'_, '_>, value: &Node<'_>, cx: &mut Context<'_>) -> Option<Vec<u8>> {
    if templated(value) {
        return None;
    }
    let text = value.as_str()?;
    match go_base64_decode(text) {
        Ok(bytes) => Some(bytes),
        Err(at) => {
            let kind = object.kind.unwrap_or("Secret");
            let message = format!(
                "{kind} in version {:?} cannot be handled as a {kind}: illegal base64 data at input byte {at}",
                version(object)
            );
            let help = if kind == "Secret" {
                "values under `data` must be base64-encoded (`echo -n 'value' | base64`); use `stringData` for plain \
                 text, which the server encodes itself"
            } else {
                "values under `binaryData` must be base64-encoded (`base64 -w0 file`); put text under `data` instead"
            };
            cx.report(&META, value.span, message).help(help);
            None
        }
    }
}

/// Reports a key that `IsConfigMapKey` refuses, as the server names it (`data[bad key]`).
fn check_key(key: &Node<'_>, bag: &str, cx: &mut Context<'_>) {
    let Some(text) = key.scalar_text() else { return };
    if text.contains("{{") {
        return;
    }
    for message in config_map_key(text) {
        let error = FieldError::invalid(FieldPath::root(bag).key(text), Val::str(text), message);
        refuse(
            cx,
            &META,
            key.span,
            &error,
            "keys may hold only letters, digits, `-`, `_` and `.`, such as `app.properties`",
        );
    }
}

struct SecretKey {
    size: usize,
    /// Decoded bytes, when they could be read.
    bytes: Option<Vec<u8>>,
}

fn secret(object: &Object<'_, '_>, whole: bool, cx: &mut Context<'_>) {
    let root = object.root;
    // The server merges `stringData` into `data` before validating, so both name data keys and
    // errors about either say `data[…]`.
    let mut keys: BTreeMap<String, SecretKey> = BTreeMap::new();
    for entry in root.get("data").map(Node::entries).unwrap_or(&[]) {
        check_key(&entry.key, "data", cx);
        let Some(key) = entry.key.scalar_text() else { continue };
        let bytes = decode(object, &entry.value, cx);
        let size = bytes.as_ref().map_or(0, Vec::len);
        keys.insert(key.to_string(), SecretKey { size, bytes });
    }
    for entry in root.get("stringData").map(Node::entries).unwrap_or(&[]) {
        check_key(&entry.key, "data", cx);
        let Some(key) = entry.key.scalar_text() else { continue };
        let bytes = entry.value.scalar_text().filter(|_| !entry.value.is_null()).map(|t| t.as_bytes().to_vec());
        let size = bytes.as_ref().map_or(0, Vec::len);
        keys.insert(key.to_string(), SecretKey { size, bytes });
    }
    let total: usize = keys.values().map(|k| k.size).sum();
    if total > MAX_DATA_SIZE {
        let at = root.entry("data").or_else(|| root.entry("stringData")).map_or(object.anchor(), |e| e.key.span);
        let error = FieldError::too_long(FieldPath::root("data"), MAX_DATA_SIZE);
        refuse(cx, &META, at, &error, "a Secret holds at most 1 MiB: split it, or mount the data from elsewhere");
    }
    if !whole {
        return;
    }
    let Some(type_node) = root.get("type") else { return };
    let Some(kind) = type_node.as_str() else { return };
    let data = FieldPath::root("data");
    let required = |key: &str| FieldError::required(data.key(key), "");
    let has = |key: &str| keys.contains_key(key);
    let at = type_node.span;
    match kind {
        "kubernetes.io/service-account-token" => {
            let annotation = "kubernetes.io/service-account.name";
            let name = root.path(&["metadata", "annotations", annotation]).and_then(Node::scalar_text);
            if name.is_none_or(str::is_empty) {
                let path = FieldPath::root("metadata").child("annotations").key(annotation);
                let help = format!("name the ServiceAccount the token is for in the annotation `{annotation}`");
                refuse(cx, &META, at, &FieldError::required(path, ""), help);
            }
        }
        "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
            let key = if kind == "kubernetes.io/dockercfg" { ".dockercfg" } else { ".dockerconfigjson" };
            match keys.get(key) {
                None => {
                    let help = format!("a Secret of type `{kind}` holds the registry credentials under `{key}`");
                    refuse(cx, &META, at, &required(key), help);
                }
                Some(SecretKey { bytes: Some(bytes), .. }) => {
                    if let Some(reason) = go_json_object_error(bytes) {
                        let error = FieldError::invalid(data.key(key), Val::str("<secret contents redacted>"), reason);
                        let node = secret_value_node(root, key).map_or(at, |n| n.span);
                        refuse(
                            cx,
                            &META,
                            node,
                            &error,
                            format!("`{key}` must hold a JSON object of registry credentials"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            let help = "a Secret of type `kubernetes.io/basic-auth` holds `username`, `password` or both";
            refuse(cx, &META, at, &required("username"), help);
            refuse(cx, &META, at, &required("password"), help);
        }
        "kubernetes.io/ssh-auth" if keys.get("ssh-privatekey").is_none_or(|k| k.size == 0 && k.bytes.is_some()) => {
            let help = "a Secret of type `kubernetes.io/ssh-auth` holds the private key under `ssh-privatekey`";
            refuse(cx, &META, at, &required("ssh-privatekey"), help);
        }
        "kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                if !has(key) {
                    let help = "a Secret of type `kubernetes.io/tls` holds the certificate under `tls.crt` and its key \
                                under `tls.key`";
                    refuse(cx, &META, at, &required(key), help);
                }
            }
        }
        _ => {}
    }
}

fn secret_value_node<'t, 'a>(root: &'t Node<'a>, key: &str) -> Option<&'t Node<'a>> {
    root.path(&["stringData", key]).or_else(|| root.path(&["data", key]))
}

/// Why Go's `json.Unmarshal` into a `map[string]interface{}` refuses `bytes`, worded as Go
/// words its common errors; `None` when it accepts them.
fn go_json_object_error(bytes: &[u8]) -> Option<String> {
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = first else { return Some("unexpected end of JSON input".to_string()) };
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(_) | serde_json::Value::Null) => None,
        Ok(other) => {
            let what = match other {
                serde_json::Value::Array(_) => "array",
                serde_json::Value::String(_) => "string",
                serde_json::Value::Number(_) => "number",
                _ => "bool",
            };
            Some(format!("json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"))
        }
        Err(e) if e.is_eof() => Some("unexpected end of JSON input".to_string()),
        Err(e) => {
            let c = bytes[first];
            if !matches!(c, b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') {
                Some(format!("invalid character {} looking for beginning of value", go_char(c)))
            } else {
                Some(e.to_string())
            }
        }
    }
}

/// How Go's JSON errors quote a character: `'x'`, or `'\n'`-style escapes.
fn go_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        c if c.is_ascii_graphic() || c == b' ' => format!("'{}'", c as char),
        c => format!("'\\x{c:02x}'"),
    }
}

fn config_map(object: &Object<'_, '_>, cx: &mut Context<'_>) {
    let root = object.root;
    let data = root.get("data").map(Node::entries).unwrap_or(&[]);
    let binary = root.get("binaryData").map(Node::entries).unwrap_or(&[]);
    let mut total = 0;
    for entry in data {
        check_key(&entry.key, "data", cx);
        let Some(key) = entry.key.scalar_text() else { continue };
        if binary.iter().any(|b| b.key.scalar_text() == Some(key)) {
            let path = FieldPath::root("data").key(key);
            let error = FieldError::invalid(path, Val::str(key), "duplicate of key present in binaryData");
            refuse(
                cx,
                &META,
                entry.key.span,
                &error,
                "a key may be in `data` or in `binaryData`, not both: rename one",
            );
        }
        total += entry.value.scalar_text().filter(|_| !entry.value.is_null()).map_or(0, str::len);
    }
    for entry in binary {
        check_key(&entry.key, "binaryData", cx);
        total += decode(object, &entry.value, cx).map_or(0, |b| b.len());
    }
    if total > MAX_DATA_SIZE {
        let at = root.entry("data").or_else(|| root.entry("binaryData")).map_or(object.anchor(), |e| e.key.span);
        let error = FieldError::too_long(FieldPath::root(""), MAX_DATA_SIZE);
        refuse(cx, &META, at, &error, "a ConfigMap holds at most 1 MiB: split it, or mount the data from elsewhere");
    }
}

/// The span a finding about something absent from `node` points at: its key in the parent,
/// when known, else the node.
fn absent_at(parent: &Node<'_>, key: &str, fallback: Span) -> Span {
    parent.entry(key).map_or(fallback, |e| e.key.span)
}

const ACCESS_MODE_HELP: &str = "list how the volume is mounted, for example `accessModes: [ReadWriteOnce]`";

/// Checks the access modes of a claim or volume; `detail` is the Required message.
fn access_modes(spec: &Node<'_>, path: &FieldPath, anchor: Span, detail: &str, cx: &mut Context<'_>) {
    let path = path.child("accessModes");
    match spec.get("accessModes") {
        None => {
            refuse(cx, &META, anchor, &FieldError::required(path, detail), ACCESS_MODE_HELP);
        }
        Some(modes) if modes.as_sequence().is_some_and(<[Node]>::is_empty) => {
            refuse(cx, &META, modes.span, &FieldError::required(path, detail), ACCESS_MODE_HELP);
        }
        Some(modes) => {
            let names: Vec<&str> = modes.items().iter().filter_map(Node::as_str).collect();
            let known = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"];
            if names.contains(&"ReadWriteOncePod") && names.iter().any(|m| known.contains(m)) {
                let error = FieldError::forbidden(path, "may not use ReadWriteOncePod with other access modes");
                refuse(cx, &META, modes.span, &error, "`ReadWriteOncePod` must be the only access mode");
            }
        }
    }
}

/// `ValidatePersistentVolumeClaimSpec`, for what the schema cannot say.
fn claim_spec(spec: &Node<'_>, path: &FieldPath, cx: &mut Context<'_>) {
    if spec.as_mapping().is_none() {
        return;
    }
    let anchor = spec.span;
    access_modes(spec, path, anchor, "at least 1 access mode is required", cx);
    let storage_path = path.child("resources").key("storage");
    let help = "request the volume's size, for example `resources: {requests: {storage: 1Gi}}`";
    match spec.path(&["resources", "requests", "storage"]) {
        None => {
            let at = spec
                .path(&["resources", "requests"])
                .map(|r| r.span)
                .or_else(|| spec.get("resources").map(|r| r.span))
                .unwrap_or(anchor);
            refuse(cx, &META, at, &FieldError::required(storage_path, ""), help);
        }
        Some(value) if !templated(value) => {
            let text = value.scalar_text().unwrap_or_default();
            let parsed = Quantity::parse(text).or_else(|_| Quantity::parse_json_string(text));
            if let Ok(quantity) = parsed
                && (quantity.is_zero() || quantity.is_negative())
            {
                let shown = if quantity.is_zero() { "0" } else { text };
                let error = FieldError::invalid(storage_path, Val::str(shown), "must be greater than zero");
                refuse(cx, &META, value.span, &error, help);
            }
        }
        Some(_) => {}
    }
}

/// The volume sources of a PersistentVolume, in the order `ValidatePersistentVolumeSpec`
/// counts them, with the name its "more than 1" error gives each. `flexVolume` is counted
/// without that error.
const VOLUME_SOURCES: &[(&str, &str)] = &[
    ("hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("nfs", "nfs"),
    ("rbd", "rbd"),
    ("quobyte", "quobyte"),
    ("cephfs", "cephFS"),
    ("iscsi", "iscsi"),
    ("cinder", "cinder"),
    ("fc", "fc"),
    ("flexVolume", ""),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("scaleIO", "scaleIO"),
    ("local", "local"),
    ("storageos", "storageos"),
    ("csi", "csi"),
];

/// `ValidatePersistentVolumeSpec`: access modes, capacity, exactly one volume source.
fn volume_spec(spec: &Node<'_>, cx: &mut Context<'_>) {
    if spec.as_mapping().is_none() {
        return;
    }
    let path = FieldPath::root("spec");
    access_modes(spec, &path, spec.span, "", cx);
    let capacity = spec.get("capacity");
    if capacity.is_none_or(|c| c.as_mapping().is_some_and(<[_]>::is_empty)) {
        let at = capacity.map_or(spec.span, |c| c.span);
        let help = "give the volume's size, for example `capacity: {storage: 10Gi}`";
        refuse(cx, &META, at, &FieldError::required(path.child("capacity"), ""), help);
    }
    let mut sources = 0;
    for (key, name) in VOLUME_SOURCES {
        let Some(entry) = spec.entry(key).filter(|e| !e.value.is_null()) else { continue };
        if sources > 0 && !name.is_empty() {
            let error = FieldError::forbidden(path.child(name), "may not specify more than 1 volume type");
            refuse(cx, &META, entry.key.span, &error, "a PersistentVolume has exactly one volume source: keep one");
        } else {
            sources += 1;
        }
    }
    if sources == 0 {
        let help =
            "say where the volume is, for example `csi: {driver: …, volumeHandle: …}` or `nfs: {server: …, path: …}`";
        refuse(
            cx,
            &META,
            absent_at(spec, "capacity", spec.span),
            &FieldError::required(path, "must specify a volume type"),
            help,
        );
    }
}

/// `ValidateStorageClass`: a provisioner must be named.
fn storage_class(object: &Object<'_, '_>, cx: &mut Context<'_>) {
    let Some(provisioner) = object.root.get("provisioner") else { return };
    if provisioner.as_str() == Some("") {
        let error = FieldError::required(FieldPath::root("provisioner"), "");
        refuse(
            cx,
            &META,
            provisioner.span,
            &error,
            "name the volume plugin, for example `provisioner: ebs.csi.aws.com`",
        );
    }
}
