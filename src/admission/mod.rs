//! ValidatingAdmissionPolicies evaluated offline, and the custom rules of `.podlint.yaml`, both
//! written in CEL (`crate::cel`).
//!
//! Policies, their Bindings, Namespace objects and CRDs' resource names are gathered in the run
//! context's pre-pass (`load`), from the linted files and from `--policy` paths; the objects a
//! policy takes as params in a second scan, only when a policy has a `paramKind`. The engine
//! compiles every expression once per run (`PolicySet::compile`), then, in the per-file pass,
//! asks `check_object` about each object while its tree is loaded: the matcher (`matching`)
//! decides which bindings apply as the API server would on CREATE; the object is converted to a
//! CEL value only when one does, once, and shared by every policy and custom rule.
pub mod custom;
pub mod load;
pub mod matching;
pub mod resources;

use crate::cel;

/// Whether expressions are evaluated (the fixtures of policy verdicts need it).
pub const EVALUATES: bool = true;

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde_json::{Value as Json, json};

use crate::finding::Severity;
use crate::object::{Object, objects_in};
use crate::rules::{At, Context, RawFinding, RuleMeta};
use crate::yaml::{self, Limits, Node, Span};
use load::{Action, BindingDef, CrdResource, Expr, ParamKind, ParamObject, PolicyDef};
use matching::{Attributes, NamespaceLabels};

/// What one file contributes to the policies of the run.
#[derive(Debug, Default)]
pub struct Part {
    pub policies: Vec<PolicyDef>,
    pub bindings: Vec<BindingDef>,
    pub crds: Vec<CrdResource>,
    /// Namespace objects as JSON, for `namespaceObject`.
    pub namespaces: Vec<(String, Arc<Json>)>,
    pub params: Vec<ParamObject>,
}

impl Part {
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.bindings.is_empty() && self.params.is_empty()
    }

    /// Reads a policy, binding, CRD or Namespace object; other objects are not its business.
    pub fn read(&mut self, object: &Object<'_, '_>, file: &Arc<str>, text: &str, linted: bool) {
        if load::is_policy(object) {
            self.policies.extend(load::read_policy(object.root, file, text, linted));
        } else if load::is_binding(object) {
            self.bindings.extend(load::read_binding(object.root, file, linted));
        } else if object.is_kind("CustomResourceDefinition") {
            self.crds.extend(load::read_crd_resource(object.root));
        } else if object.is_kind("Namespace")
            && let Some(name) = object.name
        {
            self.namespaces.push((name.to_string(), Arc::new(crate::schema::validate::to_json(object.root))));
        }
    }
}

/// The bytes that mark a document the pre-pass must parse for policies.
pub const POLICY_MARK: &[u8] = b"ValidatingAdmissionPolicy";

/// Reads the policies and bindings of a file that is loaded, not linted (`--policy`).
pub fn gather_unlinted(name: &Arc<str>, text: &str, limits: Limits) -> Part {
    let mut part = Part::default();
    let loaded = yaml::load(text, limits);
    for document in &loaded.documents {
        for object in objects_in(document) {
            if load::is_policy(&object) || load::is_binding(&object) {
                part.read(&object, name, text, false);
            }
        }
    }
    part
}

/// The objects of a file that a policy of the run may take as params: only documents that
/// mention one of `kinds` are parsed.
pub fn gather_params(bytes: &[u8], limits: Limits, kinds: &[ParamKind]) -> Vec<ParamObject> {
    let finders: Vec<memchr::memmem::Finder<'_>> =
        kinds.iter().map(|k| memchr::memmem::Finder::new(k.kind.as_bytes())).collect();
    if !finders.iter().any(|f| f.find(bytes).is_some()) {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return Vec::new() };
    let documents = yaml::document_parts(text, 0);
    let mut wanted: Vec<usize> = finders
        .iter()
        .flat_map(|f| f.find_iter(bytes))
        .map(|at| documents.partition_point(|d| d.end <= at).min(documents.len().saturating_sub(1)))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut params = Vec::new();
    for range in wanted.into_iter().filter_map(|i| documents.get(i).cloned()) {
        let parsed = yaml::load_part(&text[..range.end], range.start, limits);
        for object in parsed.documents.iter().flat_map(objects_in) {
            let wanted = kinds.iter().any(|k| object.is_kind(&k.kind) && object.api_version == Some(&k.api_version));
            if wanted {
                params.extend(load::read_param(&object));
            }
        }
    }
    params
}

/// Everything the run's policies were gathered from.
#[derive(Debug, Default)]
pub struct Gathered {
    pub policies: Vec<PolicyDef>,
    pub bindings: Vec<BindingDef>,
    pub crds: Vec<CrdResource>,
    pub namespaces: FxHashMap<String, Arc<Json>>,
    pub params: Vec<ParamObject>,
    /// `--policy` paths that could not be read.
    pub errors: Vec<String>,
}

impl Gathered {
    /// Adds a file's part; of two policies (or bindings) of one name, the first given wins.
    pub fn add(&mut self, part: Part) {
        for policy in part.policies {
            if !self.policies.iter().any(|p| p.name == policy.name) {
                self.policies.push(policy);
            }
        }
        for binding in part.bindings {
            if !self.bindings.iter().any(|b| b.name == binding.name) {
                self.bindings.push(binding);
            }
        }
        self.crds.extend(part.crds);
        for (name, object) in part.namespaces {
            self.namespaces.entry(name).or_insert(object);
        }
        self.params.extend(part.params);
    }

    /// The param kinds of bound policies: what the second scan looks for.
    pub fn param_kinds(&self) -> Vec<ParamKind> {
        let mut kinds: Vec<ParamKind> = Vec::new();
        for policy in &self.policies {
            let bound = self.bindings.iter().any(|b| b.policy_name == policy.name);
            if let Some(kind) = policy.param_kind.as_ref().filter(|_| bound)
                && !kinds.contains(kind)
            {
                kinds.push(kind.clone());
            }
        }
        kinds
    }
}

/// An expression that does not compile, and where it is written.
#[derive(Clone, Debug)]
pub struct CompileFailure {
    pub policy: String,
    /// `validations[0].expression`, as the API server names the field.
    pub field: String,
    pub expr: Expr,
    pub message: String,
    pub linted: bool,
}

impl CompileFailure {
    /// `file:line:column: …`, for a policy that is loaded but not linted.
    pub fn describe(&self) -> String {
        format!(
            "{}:{}:{}: ValidatingAdmissionPolicy `{}`: {} does not compile: {}",
            self.expr.file, self.expr.line, self.expr.column, self.policy, self.field, self.message
        )
    }
}

struct Compiled {
    expr: Expr,
    /// `None` when it does not compile (the compile error is reported once, at the expression).
    program: Option<cel::Program>,
}

struct CompiledValidation {
    expression: Compiled,
    message: Option<String>,
    message_expression: Option<Compiled>,
    reason: Option<String>,
}

struct CompiledPolicy {
    def: PolicyDef,
    meta: &'static RuleMeta,
    conditions: Vec<(String, Compiled)>,
    variables: Vec<(String, Compiled)>,
    validations: Vec<CompiledValidation>,
}

struct Bound {
    policy: usize,
    binding: BindingDef,
}

/// The run's policies, compiled once, with what evaluating them needs from the run.
pub struct PolicySet {
    policies: Vec<CompiledPolicy>,
    bound: Vec<Bound>,
    pub failures: Vec<CompileFailure>,
    crds: Vec<CrdResource>,
    namespaces: FxHashMap<String, Arc<Json>>,
    namespace_labels: FxHashMap<String, Vec<(String, String)>>,
    params: Vec<ParamObject>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet").field("policies", &self.policies.len()).field("bound", &self.bound.len()).finish()
    }
}

fn compile(expr: &Expr, policy: &str, field: String, linted: bool, failures: &mut Vec<CompileFailure>) -> Compiled {
    let program = match cel::compile(&expr.text) {
        Ok(program) => Some(program),
        Err(error) => {
            failures.push(CompileFailure {
                policy: policy.to_string(),
                field,
                expr: expr.clone(),
                message: error.message,
                linted,
            });
            None
        }
    };
    Compiled { expr: expr.clone(), program }
}

impl PolicySet {
    /// Compiles every expression of the gathered policies once. `namespace_labels` are the
    /// labels of the run's Namespaces (the run context reads them for Pod Security too).
    pub fn compile(gathered: &Gathered, namespace_labels: FxHashMap<String, Vec<(String, String)>>) -> PolicySet {
        let mut failures = Vec::new();
        let policies: Vec<CompiledPolicy> = gathered
            .policies
            .iter()
            .map(|def| {
                let (name, linted) = (def.name.as_str(), def.linted);
                let mut named = |list: &[load::NamedExpr], field: &str| -> Vec<(String, Compiled)> {
                    list.iter()
                        .enumerate()
                        .map(|(i, n)| {
                            let at = format!("{field}[{i}].expression");
                            (n.name.clone(), compile(&n.expr, name, at, linted, &mut failures))
                        })
                        .collect()
                };
                let conditions = named(&def.match_conditions, "matchConditions");
                let variables = named(&def.variables, "variables");
                let validations = def
                    .validations
                    .iter()
                    .enumerate()
                    .map(|(i, v)| CompiledValidation {
                        expression: compile(
                            &v.expression,
                            name,
                            format!("validations[{i}].expression"),
                            linted,
                            &mut failures,
                        ),
                        message: v.message.clone(),
                        message_expression: v.message_expression.as_ref().map(|m| {
                            compile(m, name, format!("validations[{i}].messageExpression"), linted, &mut failures)
                        }),
                        reason: v.reason.clone(),
                    })
                    .collect();
                CompiledPolicy {
                    def: def.clone(),
                    meta: crate::rules::dynamic::policy_meta(name),
                    conditions,
                    variables,
                    validations,
                }
            })
            .collect();
        let bound = gathered
            .bindings
            .iter()
            .filter_map(|b| {
                let policy = policies.iter().position(|p| p.def.name == b.policy_name)?;
                Some(Bound { policy, binding: b.clone() })
            })
            .collect();
        PolicySet {
            policies,
            bound,
            failures,
            crds: gathered.crds.clone(),
            namespaces: gathered.namespaces.clone(),
            namespace_labels,
            params: gathered.params.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Whether a policy of this name is bound in the run: only then can its findings appear.
    pub fn enforces(&self, name: &str) -> bool {
        self.bound.iter().any(|b| self.policies[b.policy].def.name == name)
    }

    /// The compile errors of the policies of a linted file.
    pub fn failures_in<'s>(&'s self, file: &'s str, within: Span) -> impl Iterator<Item = &'s CompileFailure> + 's {
        self.failures.iter().filter(move |f| {
            f.linted && &*f.expr.file == file && within.start <= f.expr.span.start && f.expr.span.end <= within.end
        })
    }
}

impl NamespaceLabels for PolicySet {
    fn labels(&self, namespace: &str) -> Option<Vec<(String, String)>> {
        self.namespace_labels.get(namespace).cloned()
    }
}

/// Where a finding about `object` belongs: the deepest field among `paths` that the manifest
/// writes (the value of a scalar field, the key of a mapping or list), else the object.
pub fn place(object: &Object<'_, '_>, paths: &[Vec<String>]) -> Span {
    let mut best: Option<(usize, Span)> = None;
    for path in paths {
        let mut node = object.root;
        let mut at = None;
        for (depth, key) in path.iter().enumerate() {
            let Some(entry) = node.entry(key) else { break };
            node = &entry.value;
            let span = if node.as_scalar().is_some() { node.span } else { entry.key.span };
            at = Some((depth + 1, span));
        }
        // A lone top-level field (`spec`) says no more than the object does.
        if let Some((depth, span)) = at.filter(|(depth, _)| *depth >= 2 || path.len() == 1)
            && best.is_none_or(|(d, _)| depth > d)
        {
            best = Some((depth, span));
        }
    }
    best.map_or_else(|| object.anchor(), |(_, span)| span)
}

/// A dotted field path (`spec.template.spec`) as keys.
pub fn dotted(path: &str) -> Vec<String> {
    path.split('.').filter(|k| !k.is_empty()).map(str::to_owned).collect()
}

/// The object's CEL variables, made once per object and only when a policy or rule matches.
struct ObjectScope<'o, 't, 'a> {
    object: &'o Object<'t, 'a>,
    identity: &'o Identity,
    namespace_object: Option<Arc<Json>>,
    scope: OnceLock<cel::Scope>,
}

impl ObjectScope<'_, '_, '_> {
    fn base(&self) -> &cel::Scope {
        self.scope.get_or_init(|| {
            let mut scope = cel::Scope::new();
            scope.set_node("object", self.object.root);
            scope.set_null("oldObject");
            scope.set_json("request", &request_of(self.identity));
            match &self.namespace_object {
                Some(namespace) => scope.set_json("namespaceObject", namespace),
                None => scope.set_null("namespaceObject"),
            }
            scope.set_null("params");
            scope
        })
    }
}

/// An object's identity as the matcher and `request` see it.
struct Identity {
    group: String,
    version: String,
    kind: String,
    resource: String,
    name: String,
    namespace: Option<String>,
    labels: Vec<(String, String)>,
}

fn identity(object: &Object<'_, '_>, crds: &[CrdResource], kustomize_namespace: Option<&str>) -> Option<Identity> {
    let api_version = object.api_version?;
    let kind = object.kind?;
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let (resource, namespaced) = resources::resource_of(kind, group, crds);
    let written = object.namespace.or(kustomize_namespace);
    let namespace = match namespaced {
        Some(false) => None,
        // kubectl puts a namespaced object without one in `default`.
        Some(true) => Some(written.unwrap_or("default").to_string()),
        None => written.map(str::to_owned),
    };
    Some(Identity {
        group: group.to_string(),
        version: version.to_string(),
        kind: kind.to_string(),
        resource,
        name: object.root.path(&["metadata", "name"]).and_then(Node::scalar_text).unwrap_or_default().to_string(),
        namespace,
        labels: crate::index::references::string_pairs(object.root.path(&["metadata", "labels"])),
    })
}

fn request_of(identity: &Identity) -> Json {
    let kind = json!({"group": identity.group, "version": identity.version, "kind": identity.kind});
    let resource = json!({"group": identity.group, "version": identity.version, "resource": identity.resource});
    json!({
        "uid": "",
        "kind": kind,
        "resource": resource,
        "subResource": "",
        "requestKind": kind,
        "requestResource": resource,
        "requestSubResource": "",
        "name": identity.name,
        "namespace": identity.namespace.clone().unwrap_or_default(),
        "operation": "CREATE",
        "userInfo": {},
        "dryRun": false,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    })
}

fn severity_of(action: Action) -> Severity {
    match action {
        Action::Deny => Severity::Error,
        Action::Warn => Severity::Warning,
        Action::Audit => Severity::Info,
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Deny => "Deny",
        Action::Warn => "Warn",
        Action::Audit => "Audit",
    }
}

/// Checks one object against the run's policies and the custom rules, while its tree is loaded.
/// `kustomize_namespace` is the namespace a kustomization sets on it.
pub fn check_object(
    policies: Option<&PolicySet>,
    custom: &custom::CustomRules,
    object: &Object<'_, '_>,
    kustomize_namespace: Option<&str>,
    cx: &mut Context<'_>,
) {
    let policies = policies.filter(|p| !p.bound.is_empty());
    if policies.is_none() && custom.is_empty() {
        return;
    }
    let crds = policies.map_or(&[][..], |p| &p.crds[..]);
    let Some(identity) = identity(object, crds, kustomize_namespace) else { return };
    let namespace_object =
        policies.and_then(|p| identity.namespace.as_ref().and_then(|n| p.namespaces.get(n)).cloned());
    let scope = ObjectScope { object, identity: &identity, namespace_object, scope: OnceLock::new() };
    if let Some(policies) = policies {
        policies.check(object, &identity, &scope, cx);
    }
    custom.check(object, &identity.group, identity.namespace.as_deref(), || scope.base(), cx);
}

/// What one policy's evaluation under one binding (and one params object) found.
enum Verdict {
    /// A validation is false, or failed with failurePolicy Fail: message and where.
    Rejected { message: String, span: Span, reason: Option<String> },
}

impl PolicySet {
    fn check(
        &self,
        object: &Object<'_, '_>,
        identity: &Identity,
        scope: &ObjectScope<'_, '_, '_>,
        cx: &mut Context<'_>,
    ) {
        let attributes = Attributes {
            group: &identity.group,
            version: &identity.version,
            resource: &identity.resource,
            name: &identity.name,
            namespace: identity.namespace.as_deref(),
            labels: &identity.labels,
        };
        // The API server never runs admission policies on admission policies and their
        // bindings, so that a broken policy cannot lock out its own repair.
        let exempt = object.group() == Some(load::GROUP)
            && object.kind.is_some_and(|k| {
                matches!(
                    k,
                    "ValidatingAdmissionPolicy"
                        | "ValidatingAdmissionPolicyBinding"
                        | "MutatingAdmissionPolicy"
                        | "MutatingAdmissionPolicyBinding"
                )
            });
        for bound in self.bound.iter().filter(|_| !exempt) {
            let policy = &self.policies[bound.policy];
            let binding = &bound.binding;
            let Some(action) = binding.action else { continue };
            let Some(constraints) = &policy.def.match_constraints else { continue };
            if !constraints.matches(&attributes, self) {
                continue;
            }
            if binding.match_resources.as_ref().is_some_and(|m| !m.matches(&attributes, self)) {
                continue;
            }
            let severity = severity_of(action);
            let help = |reason: Option<&str>| {
                format!(
                    "ValidatingAdmissionPolicy `{}`, bound by `{}` ({}); reason: {}",
                    policy.def.name,
                    binding.name,
                    action_name(action),
                    reason.unwrap_or("Invalid")
                )
            };
            let mut report = |message: String, span: Span, reason: Option<&str>, severity: Severity| {
                cx.findings.push(RawFinding {
                    rule: policy.meta,
                    severity: Some(severity),
                    at: At::Span(span),
                    message,
                    help: Some(help(reason)),
                    fix: None,
                });
            };
            let params: Vec<Option<Arc<Json>>> = match &policy.def.param_kind {
                None => vec![None],
                Some(kind) => match self.resolve_params(kind, binding, identity.namespace.as_deref()) {
                    Params::Found(found) => found.into_iter().map(Some).collect(),
                    Params::NotInRun => {
                        // Said once, at the binding, when the binding is linted.
                        if !binding.linted {
                            report(not_in_run(kind, binding), object.anchor(), None, Severity::Info);
                        }
                        continue;
                    }
                    Params::Missing if binding.param_ref.as_ref().is_some_and(|r| r.deny_when_missing) => {
                        let message =
                            "no params found for policy binding with `Deny` parameterNotFoundAction".to_string();
                        report(message, object.anchor(), None, severity);
                        continue;
                    }
                    Params::Missing => continue,
                },
            };
            for param in params {
                let mut run = scope.base().clone();
                if let Some(param) = &param {
                    run.set_json("params", param);
                }
                for verdict in policy.evaluate(object, &mut run) {
                    let Verdict::Rejected { message, span, reason } = verdict;
                    report(message, span, reason.as_deref(), severity);
                }
            }
        }
        // A binding whose params kind the run does not hold: one notice, at its paramRef.
        if load::is_binding(object) {
            self.report_params_not_in_run(object, cx);
        }
    }

    fn report_params_not_in_run(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let name = object.root.path(&["metadata", "name"]).and_then(Node::scalar_text);
        for bound in &self.bound {
            let binding = &bound.binding;
            let policy = &self.policies[bound.policy];
            let (Some(kind), Some(param_ref)) = (&policy.def.param_kind, &binding.param_ref) else { continue };
            if !binding.linted || Some(binding.name.as_str()) != name || !contains(object.root.span, param_ref.span) {
                continue;
            }
            if self.params.iter().any(|p| p.kind == kind.kind && p.api_version == kind.api_version) {
                continue;
            }
            cx.findings.push(RawFinding {
                rule: policy.meta,
                severity: Some(Severity::Info),
                at: At::Span(param_ref.span),
                message: not_in_run(kind, binding),
                help: Some(format!(
                    "ValidatingAdmissionPolicy `{}` was not evaluated under this binding; lint the params with the policy, or give them with --policy",
                    policy.def.name
                )),
                fix: None,
            });
        }
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn not_in_run(kind: &ParamKind, binding: &BindingDef) -> String {
    format!(
        "the params of binding `{}` ({} `{}`) are not in the run, so its policy was not evaluated",
        binding.name, kind.kind, kind.api_version
    )
}

enum Params {
    Found(Vec<Arc<Json>>),
    /// The run holds no object of the params kind at all.
    NotInRun,
    /// The run holds objects of the kind, none of them the binding's.
    Missing,
}

impl PolicySet {
    fn resolve_params(&self, kind: &ParamKind, binding: &BindingDef, namespace: Option<&str>) -> Params {
        let of_kind: Vec<&ParamObject> =
            self.params.iter().filter(|p| p.kind == kind.kind && p.api_version == kind.api_version).collect();
        if of_kind.is_empty() {
            return Params::NotInRun;
        }
        let Some(param_ref) = &binding.param_ref else { return Params::Missing };
        // A namespaced params kind is looked up in the paramRef's namespace, else the object's.
        let wanted_namespace = param_ref.namespace.as_deref().or(namespace);
        let found: Vec<Arc<Json>> = of_kind
            .iter()
            .filter(|p| p.namespace.is_none() || p.namespace.as_deref() == wanted_namespace)
            .filter(|p| match (&param_ref.name, &param_ref.selector) {
                (Some(name), _) => &p.name == name,
                (None, Some(selector)) => selector.matches(&p.labels),
                (None, None) => false,
            })
            .map(|p| p.value.clone())
            .collect();
        if found.is_empty() { Params::Missing } else { Params::Found(found) }
    }
}

impl CompiledPolicy {
    /// Evaluates the policy in `scope` (the object's variables, and params): match conditions,
    /// variables in order, then every validation.
    fn evaluate(&self, object: &Object<'_, '_>, scope: &mut cel::Scope) -> Vec<Verdict> {
        let fail = !self.def.ignore_failures;
        for (name, condition) in &self.conditions {
            // A condition that does not compile is reported at the policy; the API server would
            // fail every request it matches, which would say the same thing once per object.
            let Some(program) = &condition.program else { return Vec::new() };
            match program.evaluate(scope) {
                Ok(cel::Outcome::Bool(true)) => {}
                Ok(cel::Outcome::Bool(false)) => return Vec::new(),
                Ok(other) if fail => {
                    let message = format!("matchCondition '{name}': {}", not_a_boolean(&other));
                    return vec![Verdict::Rejected { message, span: object.anchor(), reason: None }];
                }
                Err(error) if fail => {
                    let message = format!("failed to evaluate matchCondition '{name}': {}", error.message);
                    return vec![Verdict::Rejected { message, span: object.anchor(), reason: None }];
                }
                _ => return Vec::new(),
            }
        }
        for (name, variable) in &self.variables {
            if let Some(program) = &variable.program {
                // An error leaves the variable unset: reading it fails the validation that does.
                let _ = scope.bind_variable(name, program);
            }
        }
        let mut verdicts = Vec::new();
        for validation in &self.validations {
            let Some(program) = &validation.expression.program else { continue };
            let span = || place(object, program.object_paths());
            let failed = match program.evaluate(scope) {
                Ok(cel::Outcome::Bool(true)) => continue,
                Ok(cel::Outcome::Bool(false)) => {
                    let message = validation.message(scope);
                    verdicts.push(Verdict::Rejected { message, span: span(), reason: validation.reason.clone() });
                    continue;
                }
                Ok(other) => not_a_boolean(&other),
                Err(error) => error.message,
            };
            if fail {
                let message =
                    format!("expression '{}' resulted in error: {failed}", validation.expression.expr.text.trim());
                verdicts.push(Verdict::Rejected { message, span: span(), reason: validation.reason.clone() });
            }
        }
        verdicts
    }
}

fn not_a_boolean(outcome: &cel::Outcome) -> String {
    let type_name = match outcome {
        cel::Outcome::Bool(_) => "bool",
        cel::Outcome::String(_) => "string",
        cel::Outcome::Other { type_name, .. } => type_name,
    };
    format!("expected a boolean, the expression returned {type_name}")
}

impl CompiledValidation {
    /// The message the API server would send: `messageExpression`'s string when it yields one
    /// on a single line, else `message`, else `failed expression: <expression>`.
    fn message(&self, scope: &cel::Scope) -> String {
        if let Some(program) = self.message_expression.as_ref().and_then(|m| m.program.as_ref())
            && let Ok(cel::Outcome::String(text)) = program.evaluate(scope)
        {
            let text = text.trim();
            if !text.is_empty() && !text.contains(['\n', '\r']) {
                return text.to_string();
            }
        }
        match &self.message {
            Some(message) => message.clone(),
            None => format!("failed expression: {}", self.expression.expr.text.trim()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: []\n";

    fn paths(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter().map(|p| p.iter().map(|k| k.to_string()).collect()).collect()
    }

    #[test]
    fn findings_are_placed_at_the_deepest_field_the_manifest_writes() {
        let loaded = load(DEPLOYMENT, Limits::default());
        let object = Object::new(loaded.documents[0].root.as_ref().expect("a root"), 0, None);
        let text = |span: Span| &DEPLOYMENT[span.start as usize..span.end as usize];
        assert_eq!(text(place(&object, &paths(&[&["spec", "replicas"]]))), "1", "a scalar's value");
        assert_eq!(text(place(&object, &paths(&[&["metadata", "labels", "team"]]))), "labels", "the nearest key");
        let containers = paths(&[&["metadata", "name"], &["spec", "template", "spec", "containers"]]);
        assert_eq!(text(place(&object, &containers)), "containers", "the deepest of several");
        assert_eq!(text(place(&object, &paths(&[&["status", "replicas"]]))), "Deployment", "else the kind");
        assert_eq!(text(place(&object, &paths(&[&["spec", "paused"]]))), "Deployment", "`spec` alone says nothing");
        assert_eq!(dotted("spec.replicas"), ["spec", "replicas"]);
    }

    #[test]
    fn requests_describe_a_create_of_the_object() {
        let loaded = load(DEPLOYMENT, Limits::default());
        let object = Object::new(loaded.documents[0].root.as_ref().expect("a root"), 0, None);
        let identity = identity(&object, &[], Some("shop")).expect("an identity");
        assert_eq!((identity.resource.as_str(), identity.namespace.as_deref()), ("deployments", Some("shop")));
        let request = request_of(&identity);
        assert_eq!(request["operation"], "CREATE");
        assert_eq!(request["kind"], json!({"group": "apps", "version": "v1", "kind": "Deployment"}));
        assert_eq!(request["resource"]["resource"], "deployments");
        assert_eq!(request["namespace"], "shop");
        assert_eq!(request["userInfo"], json!({}));
        let namespace = load("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n", Limits::default());
        let namespace = Object::new(namespace.documents[0].root.as_ref().expect("a root"), 0, None);
        assert_eq!(identity_of_namespace(&namespace), None, "a Namespace is cluster-scoped");
    }

    fn identity_of_namespace(object: &Object<'_, '_>) -> Option<String> {
        identity(object, &[], Some("ignored")).and_then(|i| i.namespace)
    }

    #[test]
    fn params_are_found_by_name_or_selector_in_the_namespace() {
        let gathered = Gathered {
            params: vec![ParamObject {
                api_version: "v1".into(),
                kind: "ConfigMap".into(),
                name: "limits".into(),
                namespace: Some("config".into()),
                labels: vec![("policy".into(), "replicas".into())],
                value: Arc::new(json!({"data": {"min": "2"}})),
            }],
            ..Gathered::default()
        };
        let set = PolicySet::compile(&gathered, FxHashMap::default());
        let kind = ParamKind { api_version: "v1".into(), kind: "ConfigMap".into() };
        let binding = |name: Option<&str>, namespace: Option<&str>, selector: Option<&str>| BindingDef {
            name: "b".into(),
            policy_name: "p".into(),
            file: Arc::from("b.yaml"),
            linted: true,
            param_ref: Some(super::load::ParamRef {
                name: name.map(str::to_owned),
                namespace: namespace.map(str::to_owned),
                selector: selector.map(|s| {
                    let loaded = load(s, Limits::default());
                    matching::LabelSelector::read(loaded.documents[0].root.as_ref().expect("a selector"))
                }),
                deny_when_missing: true,
                span: Span::default(),
            }),
            match_resources: None,
            action: Some(Action::Deny),
        };
        let found = |b: &BindingDef, ns: Option<&str>| match set.resolve_params(&kind, b, ns) {
            Params::Found(found) => found.len(),
            Params::Missing => 0,
            Params::NotInRun => usize::MAX,
        };
        assert_eq!(found(&binding(Some("limits"), Some("config"), None), Some("shop")), 1);
        assert_eq!(found(&binding(Some("limits"), None, None), Some("shop")), 0, "the object's namespace");
        assert_eq!(found(&binding(Some("limits"), None, None), Some("config")), 1);
        assert_eq!(found(&binding(None, Some("config"), Some("matchLabels: {policy: replicas}")), None), 1);
        let other = ParamKind { api_version: "example.com/v1".into(), kind: "Limit".into() };
        assert!(matches!(set.resolve_params(&other, &binding(Some("x"), None, None), None), Params::NotInRun));
    }
}
