//! Reading ValidatingAdmissionPolicies, their Bindings and what they need from the run (param
//! objects, Namespace objects, CRDs' resource names) out of YAML trees, into owned data that
//! outlives the trees. Nothing here evaluates; a field of the wrong shape is left out (the
//! schema stage reports it where the object is linted).
use std::sync::Arc;

use serde_json::Value as Json;

use super::matching::{LabelSelector, MatchResources, ResourceRule};
use crate::object::Object;
use crate::yaml::{Node, Span};

/// The API group of admission policies; v1, v1beta1 and v1alpha1 share the fields read here.
pub const GROUP: &str = "admissionregistration.k8s.io";
pub const POLICY_KIND: &str = "ValidatingAdmissionPolicy";
pub const BINDING_KIND: &str = "ValidatingAdmissionPolicyBinding";

/// A CEL expression as written, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub text: String,
    pub file: Arc<str>,
    /// The expression's scalar in its file.
    pub span: Span,
    /// 1-based line and column of `span.start`, for messages once the file's text is gone.
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedExpr {
    pub name: String,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationDef {
    pub expression: Expr,
    pub message: Option<String>,
    pub message_expression: Option<Expr>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamKind {
    pub api_version: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDef {
    pub name: String,
    pub file: Arc<str>,
    /// Whether the file is linted: its compile errors are findings there. A policy given with
    /// `--policy` or the configuration's `policies` is loaded only.
    pub linted: bool,
    /// `failurePolicy: Ignore`; the default is Fail.
    pub ignore_failures: bool,
    pub param_kind: Option<ParamKind>,
    /// `matchConstraints`; a policy without one matches nothing (the API server refuses it).
    pub match_constraints: Option<MatchResources>,
    pub match_conditions: Vec<NamedExpr>,
    pub variables: Vec<NamedExpr>,
    pub validations: Vec<ValidationDef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Audit,
    Warn,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<LabelSelector>,
    /// `parameterNotFoundAction: Deny`; Allow otherwise.
    pub deny_when_missing: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingDef {
    pub name: String,
    pub policy_name: String,
    pub file: Arc<str>,
    pub linted: bool,
    pub param_ref: Option<ParamRef>,
    pub match_resources: Option<MatchResources>,
    /// The strongest of `validationActions`; `None` when it names none (the API server refuses
    /// such a binding, so it enforces nothing here either).
    pub action: Option<Action>,
}

/// An object of the run that a policy may take as its params.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamObject {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
    pub value: Arc<Json>,
}

/// A CRD's resource: what a policy's `resources` call its objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrdResource {
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: u32) -> (u32, u32) {
    let before = text.get(..offset as usize).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

pub fn is_policy(object: &Object<'_, '_>) -> bool {
    object.is_kind(POLICY_KIND) && object.group() == Some(GROUP)
}

pub fn is_binding(object: &Object<'_, '_>) -> bool {
    object.is_kind(BINDING_KIND) && object.group() == Some(GROUP)
}

fn string(node: Option<&Node<'_>>) -> Option<String> {
    node.and_then(Node::as_str).map(str::to_owned)
}

fn strings(node: Option<&Node<'_>>) -> Vec<String> {
    node.map(Node::items).unwrap_or(&[]).iter().filter_map(|n| n.scalar_text().map(str::to_owned)).collect()
}

fn expr(node: Option<&Node<'_>>, file: &Arc<str>, text: &str) -> Option<Expr> {
    let node = node?;
    let source = node.as_str()?;
    let (line, column) = line_column(text, node.span.start);
    Some(Expr { text: source.to_string(), file: file.clone(), span: node.span, line, column })
}

fn named_exprs(node: Option<&Node<'_>>, file: &Arc<str>, text: &str) -> Vec<NamedExpr> {
    let items = node.map(Node::items).unwrap_or(&[]);
    items
        .iter()
        .filter_map(|item| {
            let name = string(item.get("name"))?;
            Some(NamedExpr { name, expr: expr(item.get("expression"), file, text)? })
        })
        .collect()
}

pub fn read_policy(root: &Node<'_>, file: &Arc<str>, text: &str, linted: bool) -> Option<PolicyDef> {
    let name = string(root.path(&["metadata", "name"]))?;
    let spec = root.get("spec");
    let spec_field = |key: &str| spec.and_then(|s| s.get(key));
    let param_kind = spec_field("paramKind")
        .and_then(|p| Some(ParamKind { api_version: string(p.get("apiVersion"))?, kind: string(p.get("kind"))? }));
    let validations = spec_field("validations")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| {
            Some(ValidationDef {
                expression: expr(v.get("expression"), file, text)?,
                message: string(v.get("message")).filter(|m| !m.trim().is_empty()),
                message_expression: expr(v.get("messageExpression"), file, text),
                reason: string(v.get("reason")),
            })
        })
        .collect();
    Some(PolicyDef {
        name,
        file: file.clone(),
        linted,
        ignore_failures: spec_field("failurePolicy").and_then(Node::as_str) == Some("Ignore"),
        param_kind,
        match_constraints: spec_field("matchConstraints").map(match_resources),
        match_conditions: named_exprs(spec_field("matchConditions"), file, text),
        variables: named_exprs(spec_field("variables"), file, text),
        validations,
    })
}

pub fn read_binding(root: &Node<'_>, file: &Arc<str>, linted: bool) -> Option<BindingDef> {
    let name = string(root.path(&["metadata", "name"]))?;
    let spec = root.get("spec")?;
    let policy_name = string(spec.get("policyName"))?;
    let action = strings(spec.get("validationActions"))
        .iter()
        .filter_map(|a| match a.as_str() {
            "Deny" => Some(Action::Deny),
            "Warn" => Some(Action::Warn),
            "Audit" => Some(Action::Audit),
            _ => None,
        })
        .max();
    let param_ref = spec.entry("paramRef").map(|entry| {
        let p = &entry.value;
        ParamRef {
            name: string(p.get("name")),
            namespace: string(p.get("namespace")),
            selector: p.get("selector").map(LabelSelector::read),
            deny_when_missing: p.get("parameterNotFoundAction").and_then(Node::as_str) == Some("Deny"),
            span: entry.key.span,
        }
    });
    Some(BindingDef {
        name,
        policy_name,
        file: file.clone(),
        linted,
        param_ref,
        match_resources: spec.get("matchResources").map(match_resources),
        action,
    })
}

fn match_resources(node: &Node<'_>) -> MatchResources {
    let rules = |key: &str| -> Vec<ResourceRule> {
        node.get(key)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|r| ResourceRule {
                api_groups: strings(r.get("apiGroups")),
                api_versions: strings(r.get("apiVersions")),
                resources: strings(r.get("resources")),
                operations: strings(r.get("operations")),
                resource_names: strings(r.get("resourceNames")),
                scope: string(r.get("scope")),
            })
            .collect()
    };
    MatchResources {
        namespace_selector: node.get("namespaceSelector").map(LabelSelector::read),
        object_selector: node.get("objectSelector").map(LabelSelector::read),
        resource_rules: rules("resourceRules"),
        exclude_resource_rules: rules("excludeResourceRules"),
        exact: node.get("matchPolicy").and_then(Node::as_str) == Some("Exact"),
    }
}

pub fn read_crd_resource(root: &Node<'_>) -> Option<CrdResource> {
    let spec = root.get("spec")?;
    Some(CrdResource {
        group: string(spec.get("group"))?,
        kind: string(spec.path(&["names", "kind"]))?,
        plural: string(spec.path(&["names", "plural"]))?,
        namespaced: spec.get("scope").and_then(Node::as_str) != Some("Cluster"),
    })
}

pub fn read_param(object: &Object<'_, '_>) -> Option<ParamObject> {
    Some(ParamObject {
        api_version: object.api_version?.to_string(),
        kind: object.kind?.to_string(),
        name: object.root.path(&["metadata", "name"]).and_then(Node::scalar_text)?.to_string(),
        namespace: object.namespace.map(str::to_owned),
        labels: crate::index::references::string_pairs(object.root.path(&["metadata", "labels"])),
        value: Arc::new(crate::schema::validate::to_json(object.root)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    const POLICY: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas
spec:
  failurePolicy: Ignore
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  variables:
  - name: min
    expression: int(params.data.min)
  validations:
  - expression: object.spec.replicas >= variables.min
    messageExpression: \"'too few: ' + string(object.spec.replicas)\"
    reason: Invalid
";

    #[test]
    fn policies_and_bindings_are_read_with_their_locations() {
        let loaded = load(POLICY, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("a document");
        let file: Arc<str> = Arc::from("p.yaml");
        let policy = read_policy(root, &file, POLICY, true).expect("a policy");
        assert_eq!(policy.name, "replicas");
        assert!(policy.ignore_failures);
        assert_eq!(policy.param_kind.as_ref().map(|p| p.kind.as_str()), Some("ConfigMap"));
        assert_eq!(policy.variables[0].name, "min");
        let validation = &policy.validations[0];
        assert_eq!(validation.expression.text, "object.spec.replicas >= variables.min");
        assert_eq!((validation.expression.line, validation.expression.column), (18, 17));
        assert_eq!(validation.reason.as_deref(), Some("Invalid"));
        let rules = &policy.match_constraints.as_ref().expect("constraints").resource_rules;
        assert_eq!(rules[0].resources, ["deployments"]);

        let binding = "kind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b}\nspec:\n  policyName: replicas\n  validationActions: [Audit, Warn]\n  paramRef: {name: limits, parameterNotFoundAction: Deny}\n";
        let loaded = load(binding, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("a document");
        let binding = read_binding(root, &file, true).expect("a binding");
        assert_eq!(binding.action, Some(Action::Warn), "the strongest action wins");
        let param_ref = binding.param_ref.expect("a paramRef");
        assert!(param_ref.deny_when_missing);
        assert_eq!(param_ref.name.as_deref(), Some("limits"));
    }
}
