//! The API server's validation of a pod spec (kubernetes/kubernetes
//! `pkg/apis/core/validation/validation.go`: `ValidatePodSpec` and what it calls), for what the
//! schema cannot say: names unique across lists, references between fields, one-of unions,
//! values that depend on each other. Each check names the upstream function it follows; paths
//! and details are the server's, so findings read as `kubectl apply` prints them.
//!
//! What other rules already report is left to them: enum values, port ranges, container and
//! port name syntax (invalid-value), named probe ports (probe-port), limits below requests
//! (limit-below-request), memory units (memory-units).
use rustc_hash::FxHashSet;

use super::resources::quantity_of;
use super::validation::{FieldError, FieldPath, Val, go_quote};
use crate::k8s::names;
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::{Node, Span};

/// One refusal: where it points, the server's error, and what to write instead.
pub struct Refusal {
    pub span: Span,
    pub error: FieldError,
    pub help: String,
}

/// Where a kind keeps its pod spec, as the server's paths name it; `None` for kinds whose pod
/// template the API server does not validate as such (custom resources other than Argo
/// Rollouts, which the controller turns into ReplicaSets the server then validates).
pub fn spec_path(object: &Object<'_, '_>) -> Option<FieldPath> {
    let kind = object.kind?;
    let group = object.group()?;
    let spec = FieldPath::root("spec");
    let path = match (kind, group) {
        ("Pod", "") => spec,
        ("PodTemplate", "") => FieldPath::root("template").child("spec"),
        ("ReplicationController", "") => spec.at(&["template", "spec"]),
        ("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet", "apps" | "extensions") => {
            spec.at(&["template", "spec"])
        }
        ("Job", "batch") => spec.at(&["template", "spec"]),
        ("CronJob", "batch") => spec.at(&["jobTemplate", "spec", "template", "spec"]),
        ("Rollout", "argoproj.io") => spec.at(&["template", "spec"]),
        _ => return None,
    };
    Some(path)
}

/// A field's value as Go decodes it: an explicit `null` is no value at all.
pub fn field<'t, 'a>(node: &'t Node<'a>, key: &str) -> Option<&'t Node<'a>> {
    node.get(key).filter(|n| !n.is_null())
}

/// A string value the server would see, unless it is a template placeholder still to render.
pub fn text<'t>(node: &'t Node<'_>) -> Option<&'t str> {
    node.as_str().filter(|s| !s.contains("{{"))
}

fn str_field<'t>(node: &'t Node<'_>, key: &str) -> Option<&'t str> {
    field(node, key).and_then(text)
}

/// Whether a mapping or list holds a template placeholder anywhere: its contents are not yet
/// what the server will see.
fn templated(node: &Node<'_>) -> bool {
    match node.as_scalar() {
        Some(s) => s.text.contains("{{"),
        None => {
            node.entries().iter().any(|e| templated(&e.key) || templated(&e.value))
                || node.items().iter().any(templated)
        }
    }
}

/// The containers of a pod spec by list, with the path of each.
pub struct Containers<'t, 'a> {
    pub init: Vec<(&'t Node<'a>, FieldPath)>,
    pub app: Vec<(&'t Node<'a>, FieldPath)>,
    pub ephemeral: Vec<(&'t Node<'a>, FieldPath)>,
}

impl<'t, 'a> Containers<'t, 'a> {
    pub fn of(spec: &'t Node<'a>, base: &FieldPath) -> Self {
        let list = |key: &str| -> Vec<(&'t Node<'a>, FieldPath)> {
            let path = base.child(key);
            field(spec, key)
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .filter(|(_, c)| c.as_mapping().is_some())
                .map(|(i, c)| (c, path.index(i)))
                .collect()
        };
        Containers { app: list("containers"), init: list("initContainers"), ephemeral: list("ephemeralContainers") }
    }

    /// Every container, in the order the server's warnings visit them (`VisitContainersWithPath`:
    /// init, regular, ephemeral).
    pub fn all(&self) -> impl Iterator<Item = &(&'t Node<'a>, FieldPath)> {
        self.init.iter().chain(&self.app).chain(&self.ephemeral)
    }
}

pub struct PodSpecCheck<'t, 'a> {
    pub spec: &'t Node<'a>,
    pub base: FieldPath,
    pub target: KubeVersion,
    /// Volumes the owner adds to each pod: a StatefulSet's `volumeClaimTemplates`, claims.
    pub claim_templates: Vec<&'t str>,
    pub out: Vec<Refusal>,
}

impl<'t, 'a> PodSpecCheck<'t, 'a> {
    fn push(&mut self, span: Span, error: FieldError, help: impl Into<String>) {
        self.out.push(Refusal { span, error, help: help.into() });
    }

    /// `ValidatePodSpec` for what needs no cluster state.
    pub fn run(mut self) -> Vec<Refusal> {
        let spec = self.spec;
        let volumes = self.volumes();
        let containers = Containers::of(spec, &self.base);
        self.container_names(&containers);
        // Native sidecars (`restartPolicy: Always` on an init container) came with the
        // SidecarContainers gate, on by default from 1.29; before, the field is dropped and the
        // container is an ordinary init container.
        let sidecars_exist = self.target >= KubeVersion::new(1, 29);
        for (container, path) in &containers.app {
            self.container_common(container, path, &volumes);
            self.probes_and_hooks(container, path);
        }
        for (container, path) in &containers.init {
            self.container_common(container, path, &volumes);
            let sidecar = sidecars_exist && str_field(container, "restartPolicy") == Some("Always");
            if sidecar {
                self.probes_and_hooks(container, path);
            } else {
                self.init_container_forbidden(container, path);
            }
        }
        for (container, path) in &containers.ephemeral {
            self.container_common(container, path, &volumes);
        }
        self.host_ports(&containers);
        self.dns();
        self.tolerations();
        self.node_affinity();
        self.topology_spread();
        self.out
    }

    // --- containers ---------------------------------------------------------------------------

    /// `validateContainers`, `validateInitContainers`, `validateEphemeralContainers`: a name is
    /// unique across the three lists. The server reports the duplicate where it checks it:
    /// among regular containers at the later one, an init container against every regular
    /// container and earlier init container, an ephemeral container against all.
    fn container_names(&mut self, containers: &Containers<'t, 'a>) {
        let name_of = |c: &Node<'a>| str_field(c, "name").filter(|n| !n.is_empty()).map(str::to_owned);
        let mut seen: FxHashSet<String> = FxHashSet::default();
        for (container, path) in &containers.app {
            if let Some(name) = name_of(container)
                && !seen.insert(name.clone())
            {
                self.duplicate_container(container, path, &name);
            }
        }
        for (container, path) in &containers.init {
            if let Some(name) = name_of(container)
                && !seen.insert(name.clone())
            {
                self.duplicate_container(container, path, &name);
            }
        }
        for (container, path) in &containers.ephemeral {
            if let Some(name) = name_of(container)
                && !seen.insert(name.clone())
            {
                self.duplicate_container(container, path, &name);
            }
        }
    }

    fn duplicate_container(&mut self, container: &Node<'_>, path: &FieldPath, name: &str) {
        let Some(node) = field(container, "name") else { return };
        self.push(
            node.span,
            FieldError::duplicate(path.child("name"), Val::str(name)),
            "container names must be unique across containers, initContainers and ephemeralContainers: rename one",
        );
    }

    /// `validateContainerCommon`: ports, env, envFrom, volume mounts and devices, resources.
    fn container_common(&mut self, container: &'t Node<'a>, path: &FieldPath, volumes: &Volumes<'t>) {
        self.port_names(container, path);
        self.env(container, path);
        self.env_from(container, path);
        self.volume_mounts(container, path, volumes);
        self.volume_devices(container, path, volumes);
        self.resources(container, path);
    }

    /// `validateContainerPorts`: a port name is unique within its container. Names that are
    /// not valid IANA service names are invalid-value's to report, and the server does not
    /// count them.
    fn port_names(&mut self, container: &Node<'_>, path: &FieldPath) {
        let Some(ports) = field(container, "ports") else { return };
        let mut seen = FxHashSet::default();
        for (i, port) in ports.items().iter().enumerate() {
            let Some(node) = field(port, "name") else { continue };
            let Some(name) = text(node) else { continue };
            if name.is_empty() || names::port_name(name).is_err() {
                continue;
            }
            if !seen.insert(name) {
                self.push(
                    node.span,
                    FieldError::duplicate(path.child("ports").index(i).child("name"), Val::str(name)),
                    "port names must be unique within a container: rename this port or remove the duplicate",
                );
            }
        }
    }

    /// `ValidateEnv` and `validateEnvVarValueFrom`.
    fn env(&mut self, container: &Node<'_>, path: &FieldPath) {
        let Some(env) = field(container, "env") else { return };
        for (i, var) in env.items().iter().enumerate() {
            let var_path = path.child("env").index(i);
            if let Some(node) = field(var, "name")
                && let Some(name) = text(node)
                && !name.is_empty()
                && let Some(detail) = self.env_name_problem(name)
            {
                self.push(
                    node.span,
                    FieldError::invalid(var_path.child("name"), Val::str(name), detail),
                    "environment variable names take letters, digits, `_`, `-` and `.`, and do not start with a digit",
                );
            }
            let Some(value_from) = field(var, "valueFrom") else { continue };
            if value_from.as_mapping().is_none() || templated(value_from) {
                continue;
            }
            let sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"]
                .iter()
                .filter(|k| field(value_from, k).is_some())
                .count();
            let value = field(var, "value").and_then(Node::scalar_text).unwrap_or("");
            let from_path = var_path.child("valueFrom");
            if sources > 0 && !value.is_empty() {
                let span = var.entry("value").map_or(value_from.span, |e| e.key.span.to(e.value.span));
                self.push(
                    span,
                    FieldError::invalid(from_path, Val::str(""), "may not be specified when `value` is not empty"),
                    "an environment variable takes either `value` or `valueFrom`: remove one",
                );
            } else if sources > 1 {
                self.push(
                    value_from.span,
                    FieldError::invalid(from_path, Val::str(""), "may not have more than one field specified at a time"),
                    "`valueFrom` takes one source: keep one of fieldRef, resourceFieldRef, configMapKeyRef and secretKeyRef",
                );
            }
        }
    }

    /// `validation.IsEnvVarName`, or `IsRelaxedEnvVarName` where the RelaxedEnvironmentVariable
    /// Validation gate is on by default (beta in 1.32, GA in 1.34).
    fn env_name_problem(&self, name: &str) -> Option<String> {
        if self.target >= KubeVersion::new(1, 32) {
            let printable = name.chars().all(|c| c.is_ascii() && !c.is_ascii_control() && c != '=');
            return (!printable).then(|| {
                "a valid environment variable name must consist only of printable ASCII characters other than '='"
                    .to_string()
            });
        }
        let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'));
        let rest_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !first_ok || !rest_ok {
            return Some(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                    .to_string(),
            );
        }
        match name {
            "." => Some("must not be '.'".to_string()),
            ".." => Some("must not be '..'".to_string()),
            _ if name.starts_with("..") => Some("must not start with '..'".to_string()),
            _ => None,
        }
    }

    /// `ValidateEnvFrom`: the prefix is an environment variable name; one source per entry.
    fn env_from(&mut self, container: &Node<'_>, path: &FieldPath) {
        let Some(env_from) = field(container, "envFrom") else { return };
        for (i, source) in env_from.items().iter().enumerate() {
            if let Some(node) = field(source, "prefix")
                && let Some(prefix) = text(node)
                && !prefix.is_empty()
                && let Some(detail) = self.env_name_problem(prefix)
            {
                self.push(
                    node.span,
                    FieldError::invalid(path.child("envFrom").index(i).child("prefix"), Val::str(prefix), detail),
                    "the prefix is put before every imported name, so it must be a valid environment variable name itself",
                );
            }
            if field(source, "configMapRef").is_some() && field(source, "secretRef").is_some() {
                // Upstream reports this at the list, not the item.
                self.push(
                    source.span,
                    FieldError::invalid(
                        path.child("envFrom"),
                        Val::str(""),
                        "may not have more than one field specified at a time",
                    ),
                    "split this entry in two: one with configMapRef, one with secretRef",
                );
            }
        }
    }

    /// `ValidateVolumeMounts`: every mount names a declared volume, mount paths are unique in a
    /// container, `subPath` and `subPathExpr` stay inside the volume and exclude each other.
    fn volume_mounts(&mut self, container: &Node<'_>, path: &FieldPath, volumes: &Volumes<'t>) {
        let Some(mounts) = field(container, "volumeMounts") else { return };
        let mounts_path = path.child("volumeMounts");
        let mut mount_paths = FxHashSet::default();
        for (i, mount) in mounts.items().iter().enumerate() {
            let idx = mounts_path.index(i);
            if let Some(node) = field(mount, "name")
                && let Some(name) = text(node)
                && !name.is_empty()
                && volumes.complete
                && !volumes.names.contains(name)
            {
                self.push(node.span, FieldError::not_found(idx.child("name"), Val::str(name)), volumes.help(name));
            }
            if let Some(node) = field(mount, "mountPath")
                && let Some(mount_path) = text(node)
                && !mount_path.is_empty()
                && !mount_paths.insert(mount_path)
            {
                self.push(
                    node.span,
                    FieldError::invalid(idx.child("mountPath"), Val::str(mount_path), "must be unique"),
                    "two mounts of one container cannot share a mountPath: change one, or remove the duplicate",
                );
            }
            let sub_path = field(mount, "subPath").and_then(text).filter(|s| !s.is_empty());
            // Upstream names the list, not the item, in these two paths (`volumeMounts.subPath`).
            if let (Some(sub), Some(node)) = (sub_path, field(mount, "subPath")) {
                self.descending_path(node.span, mounts_path.child("subPath"), sub);
            }
            if let Some(node) = field(mount, "subPathExpr")
                && let Some(expr) = text(node)
                && !expr.is_empty()
            {
                if sub_path.is_some() {
                    self.push(
                        node.span,
                        FieldError::invalid(
                            idx.child("subPathExpr"),
                            Val::str(expr),
                            "subPathExpr and subPath are mutually exclusive",
                        ),
                        "keep subPath for a fixed path or subPathExpr for one built from environment variables, not both",
                    );
                }
                self.descending_path(node.span, mounts_path.child("subPathExpr"), expr);
            }
        }
    }

    /// `validateLocalDescendingPath`: relative, and no `..` element.
    fn descending_path(&mut self, span: Span, path: FieldPath, value: &str) {
        if value.starts_with('/') {
            self.push(
                span,
                FieldError::invalid(path.clone(), Val::str(value), "must be a relative path"),
                "a sub-path is a path inside the volume: remove the leading `/`",
            );
        }
        if value.split(['/', '\\']).any(|part| part == "..") {
            self.push(
                span,
                FieldError::invalid(path, Val::str(value), "must not contain '..'"),
                "a sub-path cannot leave its volume: remove the `..`",
            );
        }
    }

    /// `ValidateVolumeDevices`: a device names a declared volume backed by a claim.
    fn volume_devices(&mut self, container: &Node<'_>, path: &FieldPath, volumes: &Volumes<'t>) {
        let Some(devices) = field(container, "volumeDevices") else { return };
        for (i, device) in devices.items().iter().enumerate() {
            let Some(node) = field(device, "name") else { continue };
            let Some(name) = text(node) else { continue };
            if name.is_empty() || !volumes.complete {
                continue;
            }
            let name_path = path.child("volumeDevices").index(i).child("name");
            match volumes.claim_backed.iter().find(|(n, _)| *n == name) {
                None => self.push(node.span, FieldError::not_found(name_path, Val::str(name)), volumes.help(name)),
                Some((_, false)) => self.push(
                    node.span,
                    FieldError::invalid(
                        name_path,
                        Val::str(name),
                        "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                    ),
                    "a raw block device comes from a persistentVolumeClaim or ephemeral volume; mount other volumes with volumeMounts",
                ),
                Some((_, true)) => {}
            }
        }
    }

    /// `ValidateContainerResourceRequirements` for what limit-below-request does not cover:
    /// resources that cannot be overcommitted (extended resources such as `nvidia.com/gpu`, and
    /// hugepages) need a limit when requested, and a request equal to it; extended resources
    /// count whole units.
    fn resources(&mut self, container: &Node<'_>, path: &FieldPath) {
        let Some(resources) = field(container, "resources") else { return };
        let res_path = path.child("resources");
        let limits = field(resources, "limits");
        let requests = field(resources, "requests");
        let mut has_cpu_or_memory = false;
        let mut hugepages: Option<Span> = None;
        for (list, key) in [(limits, "limits"), (requests, "requests")] {
            for entry in list.map(Node::entries).unwrap_or(&[]) {
                let Some(name) = entry.key.as_str() else { continue };
                if matches!(name, "cpu" | "memory") {
                    has_cpu_or_memory = true;
                }
                if name.starts_with("hugepages-") {
                    hugepages.get_or_insert(entry.key.span);
                }
                if !is_extended_resource(name) {
                    continue;
                }
                if let Some(Ok(quantity)) = quantity_of(&entry.value)
                    && quantity.nanos().is_some_and(|n| n % 1_000_000_000 != 0)
                {
                    self.push(
                        entry.value.span,
                        FieldError::invalid(
                            res_path.child(key).key(name),
                            Val::str(entry.value.scalar_text().unwrap_or_default()),
                            "must be an integer",
                        ),
                        format!("`{name}` is counted in whole devices: write a whole number"),
                    );
                }
            }
        }
        for entry in requests.map(Node::entries).unwrap_or(&[]) {
            let Some(name) = entry.key.as_str() else { continue };
            if !is_extended_resource(name) && !name.starts_with("hugepages-") {
                continue;
            }
            let limit = limits.and_then(|l| field(l, name));
            match limit {
                None if limits.is_none_or(|l| !templated(l)) => self.push(
                    entry.key.span,
                    FieldError::required(
                        res_path.child("limits"),
                        "Limit must be set for non overcommitable resources",
                    ),
                    format!("`{name}` cannot be overcommitted: set `limits.{name}` to the same value as the request"),
                ),
                Some(limit) => {
                    let (Some(Ok(request_q)), Some(Ok(limit_q))) = (quantity_of(&entry.value), quantity_of(limit))
                    else {
                        continue;
                    };
                    let (Some(request_n), Some(limit_n)) = (request_q.nanos(), limit_q.nanos()) else { continue };
                    // A request above the limit is limit-below-request's finding.
                    if request_n < limit_n {
                        self.push(
                            entry.value.span,
                            FieldError::invalid(
                                res_path.child("requests"),
                                Val::str(&request_q.to_decimal_string()),
                                format!("must be equal to {name} limit of {}", limit_q.to_decimal_string()),
                            ),
                            format!("`{name}` cannot be overcommitted: request the same amount as the limit, or leave the request out"),
                        );
                    }
                }
                None => {}
            }
        }
        if let (Some(span), false) = (hugepages, has_cpu_or_memory) {
            self.push(
                span,
                FieldError::forbidden(res_path, "HugePages require cpu or memory"),
                "request or limit cpu or memory beside the hugepages",
            );
        }
    }

    // --- probes and lifecycle hooks -------------------------------------------------------------

    /// `validateLivenessProbe`, `validateReadinessProbe`, `validateStartupProbe`,
    /// `validateLifecycle` for regular containers and native sidecars.
    fn probes_and_hooks(&mut self, container: &Node<'_>, path: &FieldPath) {
        for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
            let Some(probe) = field(container, key) else { continue };
            if probe.as_mapping().is_none() {
                continue;
            }
            let probe_path = path.child(key);
            self.handler(probe, &probe_path, &["exec", "httpGet", "tcpSocket", "grpc"], "probe");
            for number in
                ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]
            {
                if let Some(node) = field(probe, number)
                    && let Some(n) = node.as_i64()
                    && n < 0
                {
                    self.push(
                        node.span,
                        FieldError::invalid(
                            probe_path.child(number),
                            Val::Int(n),
                            "must be greater than or equal to 0",
                        ),
                        format!("`{number}` cannot be negative"),
                    );
                }
            }
            if key != "readinessProbe"
                && let Some(node) = field(probe, "successThreshold")
                && let Some(n) = node.as_i64()
                && n != 1
                && n >= 0
            {
                let what = if key == "livenessProbe" { "liveness" } else { "startup" };
                self.push(
                    node.span,
                    FieldError::invalid(probe_path.child("successThreshold"), Val::Int(n), "must be 1"),
                    format!(
                        "a {what} probe succeeds on its first success: write `successThreshold: 1` or leave it out"
                    ),
                );
            }
            if let Some(node) = field(probe, "terminationGracePeriodSeconds")
                && let Some(n) = node.as_i64()
            {
                if key == "readinessProbe" {
                    self.push(
                        node.span,
                        FieldError::invalid(
                            probe_path.child("terminationGracePeriodSeconds"),
                            Val::Int(n),
                            "must not be set for readinessProbes",
                        ),
                        "a failing readiness probe does not restart the container: remove terminationGracePeriodSeconds",
                    );
                } else if n <= 0 {
                    self.push(
                        node.span,
                        FieldError::invalid(
                            probe_path.child("terminationGracePeriodSeconds"),
                            Val::Int(n),
                            "must be greater than 0",
                        ),
                        "write a positive number of seconds, or leave it out to use the pod's",
                    );
                }
            }
        }
        if let Some(lifecycle) = field(container, "lifecycle") {
            for hook in ["postStart", "preStop"] {
                let Some(handler) = field(lifecycle, hook) else { continue };
                if handler.as_mapping().is_some() {
                    // tcpSocket is deprecated in hooks but still accepted.
                    let hook_path = path.at(&["lifecycle", hook]);
                    self.handler(handler, &hook_path, &["exec", "httpGet", "tcpSocket", "sleep"], "hook");
                }
            }
        }
    }

    /// `validateHandler`: exactly one action. The server reports each action after the first,
    /// in its own order (exec, httpGet, tcpSocket, grpc, sleep), whatever the YAML's.
    fn handler(&mut self, handler: &Node<'_>, path: &FieldPath, actions: &[&str], what: &str) {
        if templated(handler) {
            return;
        }
        let present: Vec<(&str, Span)> = actions
            .iter()
            .filter_map(|a| handler.entry(a).filter(|e| !e.value.is_null()).map(|e| (*a, e.key.span)))
            .collect();
        match present.as_slice() {
            [] => {
                let span = handler.span;
                self.push(
                    span,
                    FieldError::required(path.clone(), "must specify a handler type"),
                    format!("a {what} needs one action: {}", actions.join(", ")),
                );
            }
            [(first, _), rest @ ..] => {
                for (action, span) in rest {
                    self.push(
                        *span,
                        FieldError::forbidden(path.child(action), "may not specify more than 1 handler type"),
                        format!("a {what} runs one action: keep `{first}` or `{action}`, not both"),
                    );
                }
            }
        }
    }

    /// `validateInitContainers`: an init container that is not a native sidecar runs to
    /// completion, so it takes no probes and no lifecycle hooks.
    fn init_container_forbidden(&mut self, container: &Node<'_>, path: &FieldPath) {
        for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
            let Some(entry) = container.entry(key).filter(|e| !e.value.is_null()) else { continue };
            let help = if self.target >= KubeVersion::new(1, 29) {
                format!("remove `{key}`, or make this init container a sidecar with `restartPolicy: Always`")
            } else {
                format!("remove `{key}`: init containers run to completion (native sidecars need Kubernetes 1.29)")
            };
            self.push(
                entry.key.span,
                FieldError::forbidden(
                    path.child(key),
                    "may not be set for init containers without restartPolicy=Always",
                ),
                help,
            );
        }
    }

    /// `checkHostPortConflicts`: one host port per protocol and host IP among the regular
    /// containers, and within each init container.
    fn host_ports(&mut self, containers: &Containers<'t, 'a>) {
        let mut shared = FxHashSet::default();
        for (container, path) in &containers.app {
            self.host_ports_of(container, path, &mut shared);
        }
        for (container, path) in &containers.init {
            let mut own = FxHashSet::default();
            self.host_ports_of(container, path, &mut own);
        }
    }

    fn host_ports_of(&mut self, container: &Node<'_>, path: &FieldPath, seen: &mut FxHashSet<String>) {
        for (i, port) in field(container, "ports").map(Node::items).unwrap_or(&[]).iter().enumerate() {
            let Some(node) = field(port, "hostPort") else { continue };
            let Some(host_port) = node.as_i64().filter(|p| *p != 0) else { continue };
            let protocol = field(port, "protocol").map_or(Some("TCP"), text).unwrap_or("?");
            let Some(host_ip) = field(port, "hostIP").map_or(Some(""), text) else { continue };
            let key = format!("{protocol}/{host_ip}/{host_port}");
            if !seen.insert(key.clone()) {
                self.push(
                    node.span,
                    FieldError::duplicate(path.child("ports").index(i).child("hostPort"), Val::Str(key)),
                    "a host port can be bound once per protocol and host IP: pick another hostPort",
                );
            }
        }
    }

    // --- pod-level fields --------------------------------------------------------------------

    /// `validatePodDNSConfig`.
    fn dns(&mut self) {
        let spec = self.spec;
        let config = field(spec, "dnsConfig");
        if let Some(policy) = field(spec, "dnsPolicy")
            && text(policy) == Some("None")
        {
            let Some(config) = config else {
                self.push(
                    policy.span,
                    FieldError::required(self.base.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"),
                    "with `dnsPolicy: None` the pod gets only the DNS settings of dnsConfig: add dnsConfig with nameservers",
                );
                return;
            };
            if field(config, "nameservers").is_none_or(|n| n.items().is_empty() && n.as_sequence().is_some()) {
                self.push(
                    config.span,
                    FieldError::required(
                        self.base.at(&["dnsConfig", "nameservers"]),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None",
                    ),
                    "list at least one nameserver IP under dnsConfig.nameservers",
                );
                return;
            }
        }
        let Some(config) = config else { return };
        for (key, max, detail) in [
            ("nameservers", 3, "must not have more than 3 nameservers"),
            ("searches", 32, "must not have more than 32 search paths"),
        ] {
            let Some(list) = field(config, key) else { continue };
            let items = list.items();
            if items.len() > max && !templated(list) {
                let rendered: Vec<String> =
                    items.iter().map(|i| go_quote(i.scalar_text().unwrap_or_default())).collect();
                self.push(
                    list.span,
                    FieldError::invalid(
                        self.base.at(&["dnsConfig", key]),
                        Val::Raw(format!("[]string{{{}}}", rendered.join(", "))),
                        detail,
                    ),
                    format!("the resolver reads at most {max} {key}: keep {max}"),
                );
            }
        }
    }

    /// `ValidateTolerations`.
    fn tolerations(&mut self) {
        let Some(list) = field(self.spec, "tolerations") else { return };
        let path = self.base.child("tolerations");
        for (i, toleration) in list.items().iter().enumerate() {
            if toleration.as_mapping().is_none() || templated(toleration) {
                continue;
            }
            let idx = path.index(i);
            let key = str_field(toleration, "key").unwrap_or("");
            let operator = str_field(toleration, "operator").unwrap_or("");
            let value = str_field(toleration, "value").unwrap_or("");
            let effect = str_field(toleration, "effect").unwrap_or("");
            let anchor = toleration.entries().first().map_or(toleration.span, |e| e.key.span);
            if key.is_empty() && operator != "Exists" {
                let span = field(toleration, "operator").map_or(anchor, |n| n.span);
                self.push(
                    span,
                    FieldError::invalid(
                        idx.child("operator"),
                        Val::str(operator),
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                    ),
                    "name the taint's key, or write `operator: Exists` to tolerate every taint",
                );
            }
            if field(toleration, "tolerationSeconds").is_some() && effect != "NoExecute" {
                let span = field(toleration, "effect").map_or(anchor, |n| n.span);
                self.push(
                    span,
                    FieldError::invalid(idx.child("effect"), Val::str(effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"),
                    "tolerationSeconds bounds how long a pod stays on a node tainted NoExecute: set `effect: NoExecute`, or remove tolerationSeconds",
                );
            }
            if operator == "Exists" && !value.is_empty() {
                let span = field(toleration, "value").map_or(anchor, |n| n.span);
                self.push(
                    span,
                    FieldError::invalid(
                        idx.child("operator"),
                        Val::str(value),
                        "value must be empty when `operator` is 'Exists'",
                    ),
                    "`Exists` matches any value: remove `value`, or use `operator: Equal`",
                );
            }
        }
    }

    /// `validateNodeAffinity` → `ValidateNodeSelectorRequirement`: the values an operator takes.
    fn node_affinity(&mut self) {
        let Some(affinity) = self.spec.path(&["affinity", "nodeAffinity"]).filter(|n| !n.is_null()) else { return };
        let base = self.base.at(&["affinity", "nodeAffinity"]);
        let required = "requiredDuringSchedulingIgnoredDuringExecution";
        if let Some(terms) = affinity.get(required).and_then(|r| field(r, "nodeSelectorTerms")) {
            let terms_path = base.at(&[required, "nodeSelectorTerms"]);
            for (i, term) in terms.items().iter().enumerate() {
                self.selector_term(term, &terms_path.index(i));
            }
        }
        let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
        if let Some(list) = field(affinity, preferred) {
            for (i, item) in list.items().iter().enumerate() {
                if let Some(term) = field(item, "preference") {
                    self.selector_term(term, &base.child(preferred).index(i).child("preference"));
                }
            }
        }
    }

    fn selector_term(&mut self, term: &Node<'_>, path: &FieldPath) {
        let Some(expressions) = field(term, "matchExpressions") else { return };
        for (j, requirement) in expressions.items().iter().enumerate() {
            if templated(requirement) {
                continue;
            }
            let Some(operator) = str_field(requirement, "operator") else { continue };
            let values = field(requirement, "values");
            let count = values.map_or(0, |v| v.items().len());
            let req_path = path.child("matchExpressions").index(j);
            let anchor = requirement.entry("operator").map_or(requirement.span, |e| e.value.span);
            let values_path = req_path.child("values");
            match operator {
                "In" | "NotIn" if count == 0 => self.push(
                    values.map_or(anchor, |v| v.span),
                    FieldError::required(values_path, "must be specified when `operator` is 'In' or 'NotIn'"),
                    format!("list the label values `{operator}` compares with, or use `Exists`/`DoesNotExist`"),
                ),
                "Exists" | "DoesNotExist" if count > 0 => self.push(
                    values.map_or(anchor, |v| v.span),
                    FieldError::forbidden(
                        values_path,
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ),
                    format!("`{operator}` looks at the key only: remove `values`, or use `In`/`NotIn`"),
                ),
                "Gt" | "Lt" if count != 1 => self.push(
                    values.map_or(anchor, |v| v.span),
                    FieldError::required(values_path, "must be specified single value when `operator` is 'Lt' or 'Gt'"),
                    format!("`{operator}` compares with one integer: write one value, such as `values: [\"4\"]`"),
                ),
                _ => {}
            }
        }
    }

    /// `validateTopologySpreadConstraints`: a positive maxSkew and a topology key.
    fn topology_spread(&mut self) {
        let Some(list) = field(self.spec, "topologySpreadConstraints") else { return };
        let path = self.base.child("topologySpreadConstraints");
        for (i, constraint) in list.items().iter().enumerate() {
            let idx = path.index(i);
            if let Some(node) = field(constraint, "maxSkew")
                && let Some(n) = node.as_i64()
                && n <= 0
            {
                self.push(
                    node.span,
                    FieldError::invalid(idx.child("maxSkew"), Val::Int(n), "must be greater than zero"),
                    "maxSkew is how many more pods one domain may hold than another: write 1 or more",
                );
            }
            if let Some(node) = field(constraint, "topologyKey")
                && text(node) == Some("")
            {
                self.push(
                    node.span,
                    FieldError::required(idx.child("topologyKey"), "can not be empty"),
                    "name the node label that defines the domains, such as `topology.kubernetes.io/zone`",
                );
            }
        }
    }

    // --- volumes -----------------------------------------------------------------------------

    /// `ValidateVolumes` → `validateVolumeSource`: names are unique and each volume has one
    /// source (none at all is defaulted to emptyDir, so it is no error).
    fn volumes(&mut self) -> Volumes<'t> {
        let spec = self.spec;
        let mut volumes = Volumes { names: FxHashSet::default(), claim_backed: Vec::new(), complete: true };
        let Some(list) = field(spec, "volumes") else {
            for name in &self.claim_templates {
                volumes.names.insert(name);
                volumes.claim_backed.push((name, true));
            }
            return volumes;
        };
        if list.as_sequence().is_none() || templated(list) {
            volumes.complete = false;
            return volumes;
        }
        for name in &self.claim_templates {
            volumes.names.insert(name);
            volumes.claim_backed.push((name, true));
        }
        let path = self.base.child("volumes");
        for (i, volume) in list.items().iter().enumerate() {
            let idx = path.index(i);
            let Some(name_node) = field(volume, "name") else { continue };
            let Some(name) = text(name_node) else {
                // A name the linter cannot read (a number, a placeholder): mounts may name it.
                volumes.complete = false;
                continue;
            };
            // The StatefulSet controller replaces a template volume named like a claim template
            // with the claim (`updateStorage`): the pod never holds both.
            if self.claim_templates.contains(&name) {
                continue;
            }
            if !volumes.names.insert(name) {
                self.push(
                    name_node.span,
                    FieldError::duplicate(idx.child("name"), Val::str(name)),
                    "volume names must be unique in a pod: rename one, or remove the duplicate",
                );
            }
            let mut first: Option<&str> = None;
            for (source, printed) in VOLUME_SOURCES {
                let Some(entry) = volume.entry(source).filter(|e| !e.value.is_null()) else { continue };
                match first {
                    None => first = Some(source),
                    Some(first) => self.push(
                        entry.key.span,
                        FieldError::forbidden(idx.child(printed), "may not specify more than 1 volume type"),
                        format!("a volume has one source: keep `{first}` or `{source}`, and move the other to a volume of its own"),
                    ),
                }
            }
            let claim = first.is_some_and(|s| s == "persistentVolumeClaim" || s == "ephemeral");
            volumes.claim_backed.push((name, claim));
        }
        volumes
    }
}

/// The volumes a pod declares, for the references its containers make.
pub struct Volumes<'t> {
    names: FxHashSet<&'t str>,
    /// Each name, and whether its volume is backed by a claim (a block device's only source).
    claim_backed: Vec<(&'t str, bool)>,
    /// Whether every volume's name could be read: otherwise a reference cannot be called
    /// unknown.
    complete: bool,
}

impl Volumes<'_> {
    fn help(&self, name: &str) -> String {
        let mut declared: Vec<&str> = self.names.iter().copied().collect();
        declared.sort_unstable();
        if declared.is_empty() {
            format!("the pod declares no volumes: add a volume named `{name}` under `volumes`")
        } else {
            let list = declared.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            format!("the pod declares {list}: name one of them, or add a volume named `{name}`")
        }
    }
}

/// Volume sources in the order `validateVolumeSource` checks them, with the name it prints in
/// the path (upstream misspells three: `cephFS`, `downwarAPI`, `storageos` for its field
/// names `cephfs`, `downwardAPI`, `storageos`).
const VOLUME_SOURCES: &[(&str, &str)] = &[
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
];

/// Extended resources (`helper.IsExtendedResourceName`): a name with a domain other than
/// kubernetes.io, not a quota's `requests.` form. The server counts them in whole units and
/// never overcommits them.
pub fn is_extended_resource(name: &str) -> bool {
    let Some((domain, _)) = name.split_once('/') else { return false };
    !domain.contains("kubernetes.io") && !name.starts_with("requests.") && names::qualified_name(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_resources_have_a_foreign_domain() {
        assert!(is_extended_resource("nvidia.com/gpu"));
        assert!(is_extended_resource("example.com/foo"));
        assert!(!is_extended_resource("cpu"));
        assert!(!is_extended_resource("hugepages-2Mi"));
        assert!(!is_extended_resource("kubernetes.io/something"));
    }
}
