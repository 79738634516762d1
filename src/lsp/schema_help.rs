//! Hover and completion from the embedded Kubernetes schemas: where the cursor is in a block
//! YAML document (the keys above it, read from indentation, so a half-typed line that does not
//! parse yet still has a place), then the schema of the document's apiVersion/kind along that
//! path. The embedded schemas carry no descriptions (see `schema::bundle`), so a field is shown
//! with its type, whether it is required, and its allowed values.
use serde_json::Value;

use crate::k8s::version::KubeVersion;
use crate::schema::bundle::bundle;
use crate::schema::short_name;

/// One line of block YAML as the path reading sees it.
struct Line<'t> {
    /// Column of the first character; for a sequence item, of the `-`.
    indent: usize,
    item: bool,
    /// Column of the key (after `- ` on an item line).
    key_column: usize,
    /// The key, when the line is `key:` or `key: value`.
    key: Option<&'t str>,
    /// What follows `key:`, trimmed; empty for a parent key.
    value: &'t str,
}

fn read_line(line: &str) -> Option<Line<'_>> {
    let content = line.trim_start_matches(' ');
    let indent = line.len() - content.len();
    if content.is_empty() || content.starts_with('#') {
        return None;
    }
    let (item, rest) = match content.strip_prefix("- ").or_else(|| (content == "-").then_some("")) {
        Some(rest) => (true, rest.trim_start_matches(' ')),
        None => (false, content),
    };
    let key_column = line.len() - rest.len();
    let (key, value) = match rest.find(": ").or_else(|| rest.strip_suffix(':').map(|k| k.len())) {
        Some(colon) => {
            let key = rest[..colon].trim().trim_matches(['"', '\'']);
            let value = rest[colon + 1..].split(" #").next().unwrap_or("").trim();
            (Some(key).filter(|k| !k.is_empty() && !k.starts_with(['{', '['])), value)
        }
        None => (None, rest.trim()),
    };
    Some(Line { indent, item, key_column, key, value })
}

/// One step of a path: a key of a mapping, or any item of a sequence.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Key(String),
    Item,
}

/// Where the cursor is: the document's apiVersion and kind, the path of the mapping that holds
/// the cursor's line, and that line's key (when it has one) and value.
pub struct Place {
    pub api_version: String,
    pub kind: String,
    pub parent: Vec<Step>,
    pub key: Option<String>,
    /// Whether the cursor is on the key (hover) or past `key:` (values).
    pub on_key: bool,
}

/// The place of a cursor at `line0`, `column` (in bytes) in block YAML.
pub fn place(text: &str, line0: usize, column: usize) -> Option<Place> {
    let lines: Vec<&str> = text.lines().collect();
    let current = lines.get(line0)?;
    let column = column.min(current.len());
    // The document around the cursor: from the `---` above to the `---` below.
    let starts = |l: &&str| l.starts_with("---");
    let first = lines[..line0].iter().rposition(starts).map_or(0, |i| i + 1);
    let last = lines[line0 + 1..].iter().position(starts).map_or(lines.len(), |i| line0 + 1 + i);
    let top_level = |name: &str| {
        lines[first..last].iter().find_map(|l| l.strip_prefix(name)?.strip_prefix(':').map(|v| v.trim().to_string()))
    };
    let api_version = top_level("apiVersion")?;
    let kind = top_level("kind")?;

    let typed = &current[..column];
    let (mut parent, mut limit, key, on_key) = match read_line(current) {
        Some(line) => {
            let on_key = column <= line.key_column + line.key.map_or(usize::MAX / 2, str::len);
            let key = match line.key {
                Some(k) => Some(k.to_string()),
                // A key being typed, before its colon.
                None if !line.value.contains(' ') => Some(line.value.to_string()),
                None => None,
            };
            let mut parent = Vec::new();
            let limit = if line.item {
                parent.push(Step::Item);
                line.indent
            } else {
                line.key_column
            };
            (parent, limit, key, on_key)
        }
        // A blank line: the cursor's column is where a key would start.
        None => (Vec::new(), typed.len(), None, true),
    };
    let mut from_item = !parent.is_empty();
    for line in lines[first..line0].iter().rev().filter_map(|l| read_line(l)) {
        // A parent key is left of the cursor's column; a sequence's may sit at its `-`s' column.
        let parent_key = line.key_column < limit || (from_item && line.key_column == limit && !line.item);
        if line.key_column == limit && line.item && !from_item {
            // A sibling key opened this item: the item is the parent.
            parent.push(Step::Item);
            limit = line.indent;
            from_item = true;
            continue;
        }
        if parent_key && line.value.is_empty() {
            let Some(k) = line.key else { continue };
            parent.push(Step::Key(k.to_string()));
            limit = line.key_column;
            from_item = false;
            if line.item {
                parent.push(Step::Item);
                limit = line.indent;
                from_item = true;
            }
        }
        if limit == 0 && !from_item {
            break;
        }
    }
    parent.reverse();
    Some(Place { api_version, kind, parent, key, on_key })
}

/// The schema of a path in `apiVersion`/`kind`, with the name of the definition it is.
pub struct Field<'s> {
    pub schema: &'s Value,
    pub definition: Option<&'s str>,
}

fn resolve<'s>(version: KubeVersion, schema: &'s Value) -> Field<'s> {
    let mut schema = schema;
    let mut definition = None;
    for _ in 0..8 {
        let reference = schema
            .get("$ref")
            .or_else(|| {
                schema.get("allOf").and_then(Value::as_array).and_then(|a| a.first()).and_then(|s| s.get("$ref"))
            })
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"));
        let Some(name) = reference else { break };
        let Some(target) = bundle().definition(version, name) else { break };
        definition = Some(name);
        schema = target;
    }
    Field { schema, definition }
}

pub fn field(version: KubeVersion, api_version: &str, kind: &str, path: &[Step]) -> Option<Field<'static>> {
    let schemas = bundle();
    let version = if schemas.definition_for(version, api_version, kind).is_some() { version } else { schemas.newest() };
    let root = schemas.definition_for(version, api_version, kind)?;
    let mut field = Field { schema: schemas.definition(version, root)?, definition: Some(root) };
    for step in path {
        let next = match step {
            Step::Key(key) => field.schema.get("properties")?.get(key.as_str())?,
            Step::Item => field.schema.get("items")?,
        };
        field = resolve(version, next);
    }
    Some(field)
}

/// `string`, `integer`, `array of Container`, `map of string to string`, `Quantity`…
pub fn type_name(field: &Field<'_>) -> String {
    let version = KubeVersion::NEWEST;
    if let Some(name) = field.definition
        && field.schema.get("properties").is_some()
    {
        return short_name(name).to_string();
    }
    let schema = field.schema;
    if schema.get("anyOf").is_some() {
        return field.definition.map_or("int or string".to_string(), |n| short_name(n).to_string());
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    };
    match types.first().copied() {
        Some("array") => match schema.get("items") {
            Some(items) => format!("array of {}", type_name(&resolve(version, items))),
            None => "array".into(),
        },
        Some("object") => match schema.get("additionalProperties").filter(|a| a.is_object()) {
            Some(values) => format!("map of string to {}", type_name(&resolve(version, values))),
            None => "object".into(),
        },
        Some(t) => t.to_string(),
        None => field.definition.map_or("any".to_string(), |n| short_name(n).to_string()),
    }
}

/// The values `key` of the mapping at `parent` may take: the schema's enum, else podlint's
/// table of the API's string enums (which the schemas mostly lack).
pub fn enum_values(parent: &Field<'_>, key: &str) -> Vec<String> {
    let field = parent.schema.get("properties").and_then(|p| p.get(key)).map(|s| resolve(KubeVersion::NEWEST, s));
    let listed = field.as_ref().and_then(|f| f.schema.get("enum")).and_then(Value::as_array);
    let mut values: Vec<String> = listed.into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
    if values.is_empty()
        && let Some(known) = parent.definition.and_then(|d| crate::k8s::enums::lookup(d, key))
    {
        values = known.values.iter().map(|v| v.to_string()).collect();
    }
    values
}

pub fn is_required(parent: &Field<'_>, key: &str) -> bool {
    let required = parent.schema.get("required").and_then(Value::as_array);
    required.is_some_and(|r| r.iter().any(|k| k.as_str() == Some(key)))
}

/// The keys a mapping at this place may hold, each with its type and whether it is required.
pub fn keys(field: &Field<'_>) -> Vec<(String, String, bool)> {
    let version = KubeVersion::NEWEST;
    let Some(properties) = field.schema.get("properties").and_then(Value::as_object) else { return Vec::new() };
    properties
        .iter()
        .map(|(key, schema)| (key.clone(), type_name(&resolve(version, schema)), is_required(field, key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          imagePullPolicy: Always\n          ports:\n          - containerPort: 80\n";

    #[test]
    fn the_path_of_a_line_comes_from_the_keys_above_it() {
        let at = place(DEPLOYMENT, 7, 12).unwrap();
        assert_eq!((at.api_version.as_str(), at.kind.as_str()), ("apps/v1", "Deployment"));
        let path = |keys: &[&str]| -> Vec<Step> {
            keys.iter().map(|k| if *k == "[]" { Step::Item } else { Step::Key(k.to_string()) }).collect()
        };
        assert_eq!(at.parent, path(&["spec", "template", "spec", "containers", "[]"]));
        assert_eq!(at.key.as_deref(), Some("imagePullPolicy"));
        assert!(at.on_key);
        let item = place(DEPLOYMENT, 9, 14).unwrap();
        assert_eq!(item.parent, path(&["spec", "template", "spec", "containers", "[]", "ports", "[]"]));
        assert_eq!(item.key.as_deref(), Some("containerPort"));
        let first = place(DEPLOYMENT, 6, 11).unwrap();
        assert_eq!(first.parent, path(&["spec", "template", "spec", "containers", "[]"]));
    }

    #[test]
    fn fields_have_types_and_allowed_values() {
        let at = place(DEPLOYMENT, 7, 12).unwrap();
        let parent = field(KubeVersion::NEWEST, "apps/v1", "Deployment", &at.parent).unwrap();
        assert_eq!(parent.definition.map(short_name), Some("Container"));
        assert!(is_required(&parent, "name"));
        let keys = keys(&parent);
        assert!(keys.iter().any(|(k, t, _)| k == "ports" && t == "array of ContainerPort"), "{keys:?}");
        let mut path = at.parent.clone();
        path.push(Step::Key("imagePullPolicy".into()));
        let policy = field(KubeVersion::NEWEST, "apps/v1", "Deployment", &path).unwrap();
        assert_eq!(type_name(&policy), "string");
        assert_eq!(enum_values(&parent, "imagePullPolicy"), ["Always", "IfNotPresent", "Never"]);
    }
}
