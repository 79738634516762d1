//! Lifecycle of Kubernetes built-in API group/versions: when each kind was deprecated, when the
//! API server stopped serving it, and what to move to.
//!
//! Where the facts come from (versions only; every note below is written for podlint):
//!
//! * **G**: the Kubernetes "Deprecated API Migration Guide"
//!   (kubernetes/website `content/en/docs/reference/using-api/deprecation-guide.md`, sections v1.16
//!   to v1.32). The guide is authoritative for `removed_in`, `replacement` and `replacement_since`.
//! * **S**: the API types' own `+k8s:prerelease-lifecycle-gen` tags in kubernetes/kubernetes
//!   (`staging/src/k8s.io/api/<group>/<version>/zz_generated.prerelease-lifecycle.go`, plus the
//!   kube-aggregator and apiextensions-apiserver copies). The API server builds its
//!   "X is deprecated in v1.N+, unavailable in v1.M+" warnings from these, and stops serving a beta
//!   version once it reaches the tagged removal release. The guide never says when something was
//!   *deprecated*, so `deprecated_in` comes from here whenever the type still exists in the source.
//! * **P**: Pluto's `versions.yaml` (FairwindsOps/pluto v5.24.0), component `k8s`. Used for alpha
//!   versions (which carry no lifecycle tags), for entries neither G nor S covers, and as a
//!   cross-check everywhere else.
//! * **K**: kube-no-trouble's Rego rule sets, as a cross-check only.
//!
//! Precedence when they disagree: G, then S, then P. Each disagreement is noted beside the entry
//! (`P says ...`). Pluto's quirks are dropped on purpose: its `FlowControl` kind (not a real kind),
//! its duplicated `audit.k8s.io/v1alpha1` Policy row, and all `*List` kinds.
//!
//! Deliberately absent: `snapshot.storage.k8s.io` (kubent lists it, but VolumeSnapshot* are CRDs
//! shipped by the CSI snapshotter, not built-in APIs), and third-party groups such as cert-manager
//! and Istio that Pluto also tracks.

use std::borrow::Cow;

use crate::k8s::version::KubeVersion;

/// One group/version/kind whose support ends (or ended) at a known Kubernetes release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiLifecycle {
    /// The manifest's `apiVersion`, `group/version` (or bare `version` for the core group).
    pub api_version: &'static str,
    pub kind: &'static str,
    /// `None` when no source records a deprecation before the removal.
    pub deprecated_in: Option<KubeVersion>,
    /// First release that no longer serves this apiVersion for this kind; `None` while it is only
    /// deprecated.
    pub removed_in: Option<KubeVersion>,
    /// The apiVersion to move to (same kind). `None` means the API is gone with nothing to migrate
    /// to, and `note` says what to do instead.
    pub replacement: Option<&'static str>,
    /// First release that serves `replacement`; `None` when no source records it.
    pub replacement_since: Option<KubeVersion>,
    /// The changes people trip over when they move to the replacement.
    pub note: &'static str,
}

/// What an API is at a given cluster version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiStatus {
    Removed(&'static ApiLifecycle),
    Deprecated(&'static ApiLifecycle),
}

impl ApiLifecycle {
    pub fn is_removed_at(&self, target: KubeVersion) -> bool {
        self.removed_in.is_some_and(|removed| target >= removed)
    }

    pub fn is_deprecated_at(&self, target: KubeVersion) -> bool {
        self.deprecated_in.is_some_and(|deprecated| target >= deprecated)
    }

    /// The apiVersion to recommend for a cluster at `target`.
    ///
    /// `replacement` is the guide's next step, which is sometimes itself a beta that has since gone
    /// away (flowcontrol v1beta1 → v1beta2 → v1). Telling someone on 1.30 to use v1beta2 would send
    /// them straight into a removed API, so this walks the chain past every step that `target` no
    /// longer serves, or that is deprecated there while its own successor is already available.
    /// Returns `None` when the chain ends in an API with no successor (PodSecurityPolicy).
    pub fn replacement_at(&self, target: KubeVersion) -> Option<&'static str> {
        let mut current = self.replacement?;
        // Each step moves to a different table entry, so the table length bounds the walk even if
        // a future edit introduced a cycle.
        for _ in 0..API_LIFECYCLES.len() {
            let Some(step) = lookup(current, self.kind) else {
                return Some(newest_served(self, current, target));
            };
            let successor_usable = step.replacement_since.is_none_or(|since| target >= since);
            if step.is_removed_at(target) || (step.is_deprecated_at(target) && successor_usable) {
                current = step.replacement?;
            } else {
                return Some(newest_served(self, current, target));
            }
        }
        Some(newest_served(self, current, target))
    }

    /// `note`, for a cluster at `target`: where the guide's advice names a version the target
    /// does not serve yet (flowcontrol), the note speaks of the version `replacement_at` picks.
    pub fn note_at(&self, target: KubeVersion) -> Cow<'static, str> {
        if !self.api_version.starts_with(FLOWCONTROL) {
            return Cow::Borrowed(self.note);
        }
        let Some(to) = self.replacement_at(target) else { return Cow::Borrowed(self.note) };
        let version = to.rsplit('/').next().unwrap_or(to);
        match (self.kind, version) {
            ("FlowSchema", _) => Cow::Owned(format!("FlowSchema fields are unchanged in {version}.")),
            ("PriorityLevelConfiguration", "v1") if self.api_version.ends_with("/v1beta3") => {
                Cow::Borrowed(PLC_V1BETA3_NOTE)
            }
            ("PriorityLevelConfiguration", "v1") => Cow::Borrowed(
                "v1 renames spec.limited.assuredConcurrencyShares to nominalConcurrencyShares, and an explicit 0 stays 0 (only an unset value defaults to 30).",
            ),
            ("PriorityLevelConfiguration", "v1beta3") => {
                Cow::Borrowed("v1beta3 renames spec.limited.assuredConcurrencyShares to nominalConcurrencyShares.")
            }
            _ => Cow::Borrowed(self.note),
        }
    }
}

const FLOWCONTROL: &str = "flowcontrol.apiserver.k8s.io/";

/// The versions of the flowcontrol group with the first release serving each (Kubernetes API
/// reference). The deprecation guide's chain skips v1beta3 (v1beta1 → v1beta2 → v1), while a
/// 1.26 to 1.28 cluster serves v1beta3 and not v1 yet.
const FLOWCONTROL_SERVED_FROM: &[(&str, KubeVersion)] = &[
    ("flowcontrol.apiserver.k8s.io/v1beta1", KubeVersion::new(1, 20)),
    ("flowcontrol.apiserver.k8s.io/v1beta2", KubeVersion::new(1, 23)),
    ("flowcontrol.apiserver.k8s.io/v1beta3", KubeVersion::new(1, 26)),
    ("flowcontrol.apiserver.k8s.io/v1", KubeVersion::new(1, 29)),
];

/// For a group whose served versions are known, the newest version newer than the entry's own
/// that `target` serves (not before it appeared, not after its removal); otherwise `guide`.
fn newest_served(entry: &ApiLifecycle, guide: &'static str, target: KubeVersion) -> &'static str {
    let Some(own) = FLOWCONTROL_SERVED_FROM.iter().position(|(v, _)| *v == entry.api_version) else { return guide };
    let served = |api_version: &str, since: KubeVersion| {
        since <= target && lookup(api_version, entry.kind).is_none_or(|e| !e.is_removed_at(target))
    };
    FLOWCONTROL_SERVED_FROM[own + 1..]
        .iter()
        .rev()
        .find(|(api_version, since)| served(api_version, *since))
        .map_or(guide, |(api_version, _)| api_version)
}

/// Exact lookup by the object's top-level apiVersion and kind.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static ApiLifecycle> {
    // Kinds repeat far less than apiVersions (many entries share `extensions/v1beta1` or
    // `storage.k8s.io/v1beta1`), so testing the kind first rejects most rows on one comparison.
    API_LIFECYCLES.iter().find(|entry| entry.kind == kind && entry.api_version == api_version)
}

/// What this API is at the target cluster version: removed (target >= removed_in), deprecated
/// (target >= deprecated_in), or None (fine).
pub fn status_at(api_version: &str, kind: &str, target: KubeVersion) -> Option<ApiStatus> {
    let entry = lookup(api_version, kind)?;
    if entry.is_removed_at(target) {
        Some(ApiStatus::Removed(entry))
    } else if entry.is_deprecated_at(target) {
        Some(ApiStatus::Deprecated(entry))
    } else {
        None
    }
}

/// All entries for a kind, to say "apps/v1beta1 Deployment was removed in 1.16; use apps/v1".
pub fn entries_for_kind(kind: &str) -> impl Iterator<Item = &'static ApiLifecycle> {
    API_LIFECYCLES.iter().filter(move |entry| entry.kind == kind)
}

const fn v(minor: u16) -> Option<KubeVersion> {
    Some(KubeVersion::new(1, minor))
}

const APPS_V1_SELECTOR: &str = "apps/v1 requires spec.selector, immutable after creation; copy the pod template's labels into spec.selector.matchLabels.";

const DEPLOYMENT_NOTE: &str = "apps/v1 requires spec.selector (immutable; use the template's labels) and drops spec.rollbackTo. Defaults change: progressDeadlineSeconds 600, revisionHistoryLimit 10, maxSurge and maxUnavailable 25%.";

const DAEMONSET_NOTE: &str = "apps/v1 requires spec.selector (immutable; use the template's labels) and drops spec.templateGeneration. updateStrategy now defaults to RollingUpdate; extensions/v1beta1 defaulted to OnDelete.";

const STATEFULSET_NOTE: &str = "apps/v1 requires spec.selector (immutable; use the template's labels). updateStrategy now defaults to RollingUpdate; apps/v1beta1 defaulted to OnDelete.";

const CONTROLLER_REVISION_NOTE: &str =
    "Normally written by the DaemonSet and StatefulSet controllers, not by hand; apps/v1 has the same fields.";

const INGRESS_NOTE: &str = "networking.k8s.io/v1: spec.backend becomes spec.defaultBackend; serviceName/servicePort become service.name and service.port.number (or service.port.name for named ports); every path needs pathType (ImplementationSpecific keeps the old matching).";

const WEBHOOK_NOTE: &str = "v1 makes sideEffects (None or NoneOnDryRun) and admissionReviewVersions required and webhook names unique; defaults change: failurePolicy Fail (was Ignore), matchPolicy Equivalent (was Exact), timeoutSeconds 10 (was 30).";

const SAR_NOTE: &str = "v1 renames spec.group to spec.groups.";

const REVIEW_NOTE: &str =
    "Created by clients at request time rather than kept in manifests; the v1 spec has the same fields.";

const NO_CHANGES: &str = "No schema changes; only the apiVersion changes.";

const RBAC_ALPHA_NOTE: &str = "v1alpha1 subjects use apiVersion where v1 uses apiGroup (rbac.authorization.k8s.io for User and Group, empty for ServiceAccount).";

const AUDIT_POLICY_NOTE: &str = "A kube-apiserver --audit-policy-file, not a cluster object; rewrite it as audit.k8s.io/v1 before upgrading the control plane.";

const AUDIT_EVENT_NOTE: &str = "Audit log records, not manifests; log consumers must parse audit.k8s.io/v1.";

const HPA_V2BETA1_NOTE: &str = "autoscaling/v2 wraps each metric target in a target block: targetAverageUtilization becomes target.type: Utilization plus target.averageUtilization, targetAverageValue becomes target.type: AverageValue plus target.averageValue, targetValue becomes target.type: Value plus target.value; metricName and selector move under metric.name and metric.selector.";

const HPA_V2BETA2_NOTE: &str = "autoscaling/v2 keeps the v2beta2 metric and target layout, so usually only the apiVersion changes; any v2beta1-style fields (targetAverageUtilization) must become target.type plus target.averageUtilization.";

const FLOWCONTROL_V1BETA1_NOTE: &str = "The guide sends v1beta1 to v1beta2, but v1beta2 was itself removed in 1.29; on 1.29 or later go straight to flowcontrol.apiserver.k8s.io/v1.";

const FLOWSCHEMA_V1_NOTE: &str =
    "FlowSchema fields are unchanged in v1. On 1.26 to 1.28, where v1 is not served yet, use v1beta3.";

const PLC_V1BETA2_NOTE: &str = "v1 renames spec.limited.assuredConcurrencyShares to nominalConcurrencyShares, and an explicit 0 stays 0 (only an unset value defaults to 30). On 1.26 to 1.28, where v1 is not served yet, use v1beta3 (same rename).";

const PLC_V1BETA3_NOTE: &str = "In v1, spec.limited.nominalConcurrencyShares defaults to 30 only when unset; an explicit 0 is no longer turned into 30.";

const VAP_NOTE: &str = "Alpha API, off by default; v1 is GA since 1.30. Compare the spec with v1 rather than only changing the apiVersion.";

const VAP_BINDING_NOTE: &str =
    "Alpha API, off by default; in v1 the binding's spec.validationActions (Deny, Warn, Audit) is required.";

const DRA_NOTE: &str = "Dynamic Resource Allocation changed shape between versions (from v1beta2 on, a device request's selection fields sit under requests[].exactly); convert the spec, do not just change the apiVersion.";

/// Ordered like the guide: by removal release, then by group. `lookup` does not depend on the
/// order.
pub static API_LIFECYCLES: &[ApiLifecycle] = &[
    // ---- Removed in 1.16 (G). ----
    // S tags the extensions/v1beta1 and apps/v1beta1 workload kinds deprecated in 1.8, when
    // apps/v1beta2 arrived; P says 1.9 for all of them.
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "Deployment",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: DEPLOYMENT_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta1",
        kind: "Deployment",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: DEPLOYMENT_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta2",
        kind: "Deployment",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: DEPLOYMENT_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta1",
        kind: "StatefulSet",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: STATEFULSET_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta2",
        kind: "StatefulSet",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: STATEFULSET_NOTE,
    },
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "DaemonSet",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: DAEMONSET_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta2",
        kind: "DaemonSet",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: DAEMONSET_NOTE,
    },
    // P records no deprecation for the ReplicaSet rows; S has 1.8 / 1.9.
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "ReplicaSet",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: APPS_V1_SELECTOR,
    },
    // G, P and K all list this row, but apps/v1beta1 never defined a ReplicaSet type (S), so there
    // is no deprecation date to record; kept so such a manifest still gets a clear answer.
    ApiLifecycle {
        api_version: "apps/v1beta1",
        kind: "ReplicaSet",
        deprecated_in: None,
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: APPS_V1_SELECTOR,
    },
    ApiLifecycle {
        api_version: "apps/v1beta2",
        kind: "ReplicaSet",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: APPS_V1_SELECTOR,
    },
    // Not in G, P or K; S tags both removed in 1.16, the release that stopped serving
    // apps/v1beta1 and apps/v1beta2 altogether.
    ApiLifecycle {
        api_version: "apps/v1beta1",
        kind: "ControllerRevision",
        deprecated_in: v(8),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: CONTROLLER_REVISION_NOTE,
    },
    ApiLifecycle {
        api_version: "apps/v1beta2",
        kind: "ControllerRevision",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("apps/v1"),
        replacement_since: v(9),
        note: CONTROLLER_REVISION_NOTE,
    },
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "NetworkPolicy",
        deprecated_in: v(9),
        removed_in: v(16),
        replacement: Some("networking.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    // S says deprecated in 1.11; P says 1.10.
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "PodSecurityPolicy",
        deprecated_in: v(11),
        removed_in: v(16),
        replacement: Some("policy/v1beta1"),
        replacement_since: v(10),
        note: "policy/v1beta1 PodSecurityPolicy was itself removed in 1.25 with no successor API; plan for Pod Security Admission instead of porting the policy.",
    },
    // ---- Removed in 1.22 (G). ----
    ApiLifecycle {
        api_version: "extensions/v1beta1",
        kind: "Ingress",
        deprecated_in: v(14),
        removed_in: v(22),
        replacement: Some("networking.k8s.io/v1"),
        replacement_since: v(19),
        note: "On 1.14 to 1.18 clusters the interim target is networking.k8s.io/v1beta1 (same fields). networking.k8s.io/v1: spec.backend becomes spec.defaultBackend; serviceName/servicePort become service.name and service.port.number (or service.port.name); every path needs pathType (ImplementationSpecific keeps the old matching).",
    },
    ApiLifecycle {
        api_version: "networking.k8s.io/v1beta1",
        kind: "Ingress",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("networking.k8s.io/v1"),
        replacement_since: v(19),
        note: INGRESS_NOTE,
    },
    ApiLifecycle {
        api_version: "networking.k8s.io/v1beta1",
        kind: "IngressClass",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("networking.k8s.io/v1"),
        replacement_since: v(19),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "admissionregistration.k8s.io/v1beta1",
        kind: "MutatingWebhookConfiguration",
        deprecated_in: v(16),
        removed_in: v(22),
        replacement: Some("admissionregistration.k8s.io/v1"),
        replacement_since: v(16),
        note: WEBHOOK_NOTE,
    },
    ApiLifecycle {
        api_version: "admissionregistration.k8s.io/v1beta1",
        kind: "ValidatingWebhookConfiguration",
        deprecated_in: v(16),
        removed_in: v(22),
        replacement: Some("admissionregistration.k8s.io/v1"),
        replacement_since: v(16),
        note: WEBHOOK_NOTE,
    },
    ApiLifecycle {
        api_version: "apiextensions.k8s.io/v1beta1",
        kind: "CustomResourceDefinition",
        deprecated_in: v(16),
        removed_in: v(22),
        replacement: Some("apiextensions.k8s.io/v1"),
        replacement_since: v(16),
        note: "v1 requires spec.scope and a structural spec.versions[*].schema.openAPIV3Schema; spec.version, validation, subresources and additionalPrinterColumns move into each spec.versions[] entry; JSONPath becomes jsonPath; preserveUnknownFields: true becomes x-kubernetes-preserve-unknown-fields in the schema; spec.conversion.webhookClientConfig becomes spec.conversion.webhook.clientConfig.",
    },
    // S: deprecated in 1.19; P says 1.10 (when v1 arrived).
    ApiLifecycle {
        api_version: "apiregistration.k8s.io/v1beta1",
        kind: "APIService",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("apiregistration.k8s.io/v1"),
        replacement_since: v(10),
        note: NO_CHANGES,
    },
    // S: deprecated in 1.19; P says 1.6 (when v1 arrived).
    ApiLifecycle {
        api_version: "authentication.k8s.io/v1beta1",
        kind: "TokenReview",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("authentication.k8s.io/v1"),
        replacement_since: v(6),
        note: REVIEW_NOTE,
    },
    // The four authorization kinds are missing from P. G says v1 is available since 1.6; K says
    // 1.19 (the deprecation release), which G overrides. G's 1.6 is for the group version: the
    // SelfSubjectRulesReview kind itself only appeared in 1.8 (S), a difference no supported
    // target (1.8 and later) can observe.
    ApiLifecycle {
        api_version: "authorization.k8s.io/v1beta1",
        kind: "SubjectAccessReview",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("authorization.k8s.io/v1"),
        replacement_since: v(6),
        note: SAR_NOTE,
    },
    ApiLifecycle {
        api_version: "authorization.k8s.io/v1beta1",
        kind: "LocalSubjectAccessReview",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("authorization.k8s.io/v1"),
        replacement_since: v(6),
        note: SAR_NOTE,
    },
    ApiLifecycle {
        api_version: "authorization.k8s.io/v1beta1",
        kind: "SelfSubjectAccessReview",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("authorization.k8s.io/v1"),
        replacement_since: v(6),
        note: REVIEW_NOTE,
    },
    ApiLifecycle {
        api_version: "authorization.k8s.io/v1beta1",
        kind: "SelfSubjectRulesReview",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("authorization.k8s.io/v1"),
        replacement_since: v(6),
        note: REVIEW_NOTE,
    },
    ApiLifecycle {
        api_version: "certificates.k8s.io/v1beta1",
        kind: "CertificateSigningRequest",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("certificates.k8s.io/v1"),
        replacement_since: v(19),
        note: "v1 requires spec.signerName (kubernetes.io/legacy-unknown can no longer be requested) and spec.usages (known values, no duplicates); approvers must set status.conditions[*].status.",
    },
    // S: deprecated in 1.19; P says 1.14 (when v1 arrived).
    ApiLifecycle {
        api_version: "coordination.k8s.io/v1beta1",
        kind: "Lease",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("coordination.k8s.io/v1"),
        replacement_since: v(14),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1beta1",
        kind: "ClusterRole",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1beta1",
        kind: "ClusterRoleBinding",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1beta1",
        kind: "Role",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1beta1",
        kind: "RoleBinding",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    // Alpha: from P only (G covers v1beta1); replacement_since is G's "rbac v1 since 1.8".
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1alpha1",
        kind: "ClusterRole",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1alpha1",
        kind: "ClusterRoleBinding",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: RBAC_ALPHA_NOTE,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1alpha1",
        kind: "Role",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "rbac.authorization.k8s.io/v1alpha1",
        kind: "RoleBinding",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("rbac.authorization.k8s.io/v1"),
        replacement_since: v(8),
        note: RBAC_ALPHA_NOTE,
    },
    ApiLifecycle {
        api_version: "scheduling.k8s.io/v1beta1",
        kind: "PriorityClass",
        deprecated_in: v(14),
        removed_in: v(22),
        replacement: Some("scheduling.k8s.io/v1"),
        replacement_since: v(14),
        note: NO_CHANGES,
    },
    // Alpha: dates from P, replacement_since from G's "scheduling v1 since 1.14".
    ApiLifecycle {
        api_version: "scheduling.k8s.io/v1alpha1",
        kind: "PriorityClass",
        deprecated_in: v(14),
        removed_in: v(17),
        replacement: Some("scheduling.k8s.io/v1"),
        replacement_since: v(14),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "CSIDriver",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(19),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "CSINode",
        deprecated_in: v(17),
        removed_in: v(22),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(17),
        note: NO_CHANGES,
    },
    // S: deprecated in 1.19 (the API server's own warning says so); P says 1.6.
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "StorageClass",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(6),
        note: NO_CHANGES,
    },
    // S: deprecated in 1.19; P says 1.13.
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "VolumeAttachment",
        deprecated_in: v(19),
        removed_in: v(22),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(13),
        note: NO_CHANGES,
    },
    // ---- Removed in 1.24: audit configuration (P only; G does not cover it). ----
    // P records no date for audit.k8s.io/v1, so replacement_since stays unknown.
    ApiLifecycle {
        api_version: "audit.k8s.io/v1alpha1",
        kind: "Policy",
        deprecated_in: v(21),
        removed_in: v(24),
        replacement: Some("audit.k8s.io/v1"),
        replacement_since: None,
        note: AUDIT_POLICY_NOTE,
    },
    ApiLifecycle {
        api_version: "audit.k8s.io/v1beta1",
        kind: "Policy",
        deprecated_in: v(21),
        removed_in: v(24),
        replacement: Some("audit.k8s.io/v1"),
        replacement_since: None,
        note: AUDIT_POLICY_NOTE,
    },
    ApiLifecycle {
        api_version: "audit.k8s.io/v1alpha1",
        kind: "Event",
        deprecated_in: v(21),
        removed_in: v(24),
        replacement: Some("audit.k8s.io/v1"),
        replacement_since: None,
        note: AUDIT_EVENT_NOTE,
    },
    ApiLifecycle {
        api_version: "audit.k8s.io/v1beta1",
        kind: "Event",
        deprecated_in: v(21),
        removed_in: v(24),
        replacement: Some("audit.k8s.io/v1"),
        replacement_since: None,
        note: AUDIT_EVENT_NOTE,
    },
    // ---- Removed in 1.25 (G). ----
    ApiLifecycle {
        api_version: "batch/v1beta1",
        kind: "CronJob",
        deprecated_in: v(21),
        removed_in: v(25),
        replacement: Some("batch/v1"),
        replacement_since: v(21),
        note: NO_CHANGES,
    },
    ApiLifecycle {
        api_version: "discovery.k8s.io/v1beta1",
        kind: "EndpointSlice",
        deprecated_in: v(21),
        removed_in: v(25),
        replacement: Some("discovery.k8s.io/v1"),
        replacement_since: v(21),
        note: "v1 replaces the per-endpoint topology map with nodeName and zone fields; topology survives only as the read-only deprecatedTopology.",
    },
    // S: deprecated in 1.22 (the API server warns "deprecated in v1.22+"); P says 1.19.
    ApiLifecycle {
        api_version: "events.k8s.io/v1beta1",
        kind: "Event",
        deprecated_in: v(22),
        removed_in: v(25),
        replacement: Some("events.k8s.io/v1"),
        replacement_since: v(19),
        note: "v1 renames involvedObject to regarding, allows only type Normal or Warning, and requires action, reason, reportingController and reportingInstance on new Events; firstTimestamp, lastTimestamp, count and source give way to eventTime, series and the reporting* fields.",
    },
    ApiLifecycle {
        api_version: "autoscaling/v2beta1",
        kind: "HorizontalPodAutoscaler",
        deprecated_in: v(22),
        removed_in: v(25),
        replacement: Some("autoscaling/v2"),
        replacement_since: v(23),
        note: HPA_V2BETA1_NOTE,
    },
    ApiLifecycle {
        api_version: "policy/v1beta1",
        kind: "PodDisruptionBudget",
        deprecated_in: v(21),
        removed_in: v(25),
        replacement: Some("policy/v1"),
        replacement_since: v(21),
        note: "In policy/v1 an empty spec.selector ({}) selects every pod in the namespace, where v1beta1 selected none; an omitted selector still selects none. Check for `selector: {}` before switching.",
    },
    ApiLifecycle {
        api_version: "policy/v1beta1",
        kind: "PodSecurityPolicy",
        deprecated_in: v(21),
        removed_in: v(25),
        replacement: None,
        replacement_since: None,
        note: "No replacement API: PodSecurityPolicy is gone. Enforce the Pod Security Standards with the built-in Pod Security Admission (pod-security.kubernetes.io/* namespace labels) or a third-party admission webhook, and delete the PSP objects and their RBAC.",
    },
    ApiLifecycle {
        api_version: "node.k8s.io/v1beta1",
        kind: "RuntimeClass",
        deprecated_in: v(22),
        removed_in: v(25),
        replacement: Some("node.k8s.io/v1"),
        replacement_since: v(20),
        note: NO_CHANGES,
    },
    // ---- Removed in 1.26 (G). ----
    ApiLifecycle {
        api_version: "autoscaling/v2beta2",
        kind: "HorizontalPodAutoscaler",
        deprecated_in: v(23),
        removed_in: v(26),
        replacement: Some("autoscaling/v2"),
        replacement_since: v(23),
        note: HPA_V2BETA2_NOTE,
    },
    // G: removed in 1.26, move to v1beta2 (available since 1.23). P has two rows that disagree:
    // kind `FlowControl` deprecated 1.23 / removed 1.26, and FlowSchema and
    // PriorityLevelConfiguration deprecated 1.24 / removed 1.29 with v1beta3 as the replacement.
    // K also says v1beta3. G wins on removal and replacement; S gives deprecated in 1.23.
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta1",
        kind: "FlowSchema",
        deprecated_in: v(23),
        removed_in: v(26),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1beta2"),
        replacement_since: v(23),
        note: FLOWCONTROL_V1BETA1_NOTE,
    },
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta1",
        kind: "PriorityLevelConfiguration",
        deprecated_in: v(23),
        removed_in: v(26),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1beta2"),
        replacement_since: v(23),
        note: FLOWCONTROL_V1BETA1_NOTE,
    },
    // ---- Removed in 1.27 (G). ----
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "CSIStorageCapacity",
        deprecated_in: v(24),
        removed_in: v(27),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(24),
        note: NO_CHANGES,
    },
    // ---- Removed in 1.29 (G). ----
    // G offers v1 (since 1.29) or v1beta3 (since 1.26); v1 is chosen because v1beta3 was removed
    // in 1.32. S and the API server's warning: deprecated in 1.26; P says 1.24.
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta2",
        kind: "FlowSchema",
        deprecated_in: v(26),
        removed_in: v(29),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
        replacement_since: v(29),
        note: FLOWSCHEMA_V1_NOTE,
    },
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta2",
        kind: "PriorityLevelConfiguration",
        deprecated_in: v(26),
        removed_in: v(29),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
        replacement_since: v(29),
        note: PLC_V1BETA2_NOTE,
    },
    // ---- Removed in 1.32 (G). ----
    // S and the API server's warning: both kinds deprecated in 1.29. P says 1.24 for FlowSchema
    // and 1.31 for PriorityLevelConfiguration.
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta3",
        kind: "FlowSchema",
        deprecated_in: v(29),
        removed_in: v(32),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
        replacement_since: v(29),
        note: "FlowSchema fields are unchanged in v1.",
    },
    ApiLifecycle {
        api_version: "flowcontrol.apiserver.k8s.io/v1beta3",
        kind: "PriorityLevelConfiguration",
        deprecated_in: v(29),
        removed_in: v(32),
        replacement: Some("flowcontrol.apiserver.k8s.io/v1"),
        replacement_since: v(29),
        note: PLC_V1BETA3_NOTE,
    },
    // ---- After the guide's last section (1.32): P, corrected by S where S has tags. ----
    // Alpha, so no S tags; G is silent. From P.
    ApiLifecycle {
        api_version: "admissionregistration.k8s.io/v1alpha1",
        kind: "ValidatingAdmissionPolicy",
        deprecated_in: v(28),
        removed_in: v(33),
        replacement: Some("admissionregistration.k8s.io/v1"),
        replacement_since: v(30),
        note: VAP_NOTE,
    },
    ApiLifecycle {
        api_version: "admissionregistration.k8s.io/v1alpha1",
        kind: "ValidatingAdmissionPolicyBinding",
        deprecated_in: v(28),
        removed_in: v(33),
        replacement: Some("admissionregistration.k8s.io/v1"),
        replacement_since: v(30),
        note: VAP_BINDING_NOTE,
    },
    // Alpha, from P. S's generated dates for v1alpha3 (1.34 / 1.37) are the introduced+3 defaults,
    // which the API server does not enforce for alpha versions, so P stands.
    ApiLifecycle {
        api_version: "resource.k8s.io/v1alpha3",
        kind: "ResourceSlice",
        deprecated_in: v(32),
        removed_in: v(34),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1alpha3",
        kind: "ResourceClaim",
        deprecated_in: v(32),
        removed_in: v(34),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1alpha3",
        kind: "DeviceClass",
        deprecated_in: v(32),
        removed_in: v(34),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1alpha3",
        kind: "ResourceClaimTemplate",
        deprecated_in: v(32),
        removed_in: v(34),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    // P: deprecated 1.33, removed 1.36, replacement v1beta2 (since 1.33). S (introduced 1.32, no
    // explicit tags) gives deprecated 1.35 and removal 1.38, and the API server enforces that
    // removal for betas, so S wins on dates. With deprecation at 1.35 the GA resource.k8s.io/v1
    // (since 1.34, per P's v1alpha3 rows) is already there, so it is the better target than
    // v1beta2, which is itself a beta on the same path out.
    ApiLifecycle {
        api_version: "resource.k8s.io/v1beta1",
        kind: "ResourceSlice",
        deprecated_in: v(35),
        removed_in: v(38),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1beta1",
        kind: "ResourceClaim",
        deprecated_in: v(35),
        removed_in: v(38),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1beta1",
        kind: "DeviceClass",
        deprecated_in: v(35),
        removed_in: v(38),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    ApiLifecycle {
        api_version: "resource.k8s.io/v1beta1",
        kind: "ResourceClaimTemplate",
        deprecated_in: v(35),
        removed_in: v(38),
        replacement: Some("resource.k8s.io/v1"),
        replacement_since: v(34),
        note: DRA_NOTE,
    },
    // Alpha, from P.
    ApiLifecycle {
        api_version: "storage.k8s.io/v1alpha1",
        kind: "VolumeAttributesClass",
        deprecated_in: v(31),
        removed_in: v(35),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(34),
        note: NO_CHANGES,
    },
    // P: deprecated 1.34 with no removal. S agrees on 1.34 and tags removal in 1.37, which the API
    // server enforces for betas; the API server's warning reads "unavailable in v1.37+".
    ApiLifecycle {
        api_version: "storage.k8s.io/v1beta1",
        kind: "VolumeAttributesClass",
        deprecated_in: v(34),
        removed_in: v(37),
        replacement: Some("storage.k8s.io/v1"),
        replacement_since: v(34),
        note: NO_CHANGES,
    },
    // Alpha, from P: deprecated and removed in the release that introduced v1beta1.
    ApiLifecycle {
        api_version: "storagemigration.k8s.io/v1alpha1",
        kind: "StorageVersionMigration",
        deprecated_in: v(35),
        removed_in: v(35),
        replacement: Some("storagemigration.k8s.io/v1beta1"),
        replacement_since: v(35),
        note: "Alpha objects are not carried over; recreate migrations against v1beta1.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn k(minor: u16) -> KubeVersion {
        KubeVersion::new(1, minor)
    }

    fn looks_like_group_version(s: &str) -> bool {
        matches!(s.split_once('/'), Some((group, version))
            if !group.is_empty() && version.starts_with('v') && !version.contains('/')
                && !s.contains(char::is_whitespace))
    }

    fn entry(api_version: &str, kind: &str) -> &'static ApiLifecycle {
        lookup(api_version, kind).unwrap_or_else(|| panic!("{api_version} {kind} missing from the table"))
    }

    #[test]
    fn spot_checks_against_the_guide() {
        let deploy = entry("extensions/v1beta1", "Deployment");
        assert_eq!(deploy.removed_in, v(16));
        assert_eq!(deploy.replacement, Some("apps/v1"));
        assert_eq!(deploy.replacement_since, v(9));

        assert_eq!(entry("networking.k8s.io/v1beta1", "Ingress").removed_in, v(22));
        assert_eq!(entry("extensions/v1beta1", "Ingress").removed_in, v(22));

        let cron = entry("batch/v1beta1", "CronJob");
        assert_eq!((cron.deprecated_in, cron.removed_in), (v(21), v(25)));
        assert_eq!(cron.replacement, Some("batch/v1"));

        assert_eq!(entry("autoscaling/v2beta2", "HorizontalPodAutoscaler").removed_in, v(26));
        assert_eq!(entry("autoscaling/v2beta1", "HorizontalPodAutoscaler").removed_in, v(25));

        for kind in ["FlowSchema", "PriorityLevelConfiguration"] {
            assert_eq!(entry("flowcontrol.apiserver.k8s.io/v1beta3", kind).removed_in, v(32));
            assert_eq!(entry("flowcontrol.apiserver.k8s.io/v1beta2", kind).removed_in, v(29));
            assert_eq!(entry("flowcontrol.apiserver.k8s.io/v1beta1", kind).removed_in, v(26));
        }

        let psp = entry("policy/v1beta1", "PodSecurityPolicy");
        assert_eq!(psp.replacement, None);
        assert_eq!(psp.removed_in, v(25));

        assert_eq!(entry("storage.k8s.io/v1beta1", "CSIStorageCapacity").removed_in, v(27));
        assert_eq!(entry("authorization.k8s.io/v1beta1", "SubjectAccessReview").removed_in, v(22));
        assert_eq!(entry("node.k8s.io/v1beta1", "RuntimeClass").replacement_since, v(20));
        assert_eq!(entry("policy/v1beta1", "PodDisruptionBudget").replacement, Some("policy/v1"));
    }

    #[test]
    fn status_at_boundaries() {
        let cron = ("batch/v1beta1", "CronJob");
        assert_eq!(status_at(cron.0, cron.1, k(20)), None);
        assert!(matches!(status_at(cron.0, cron.1, k(21)), Some(ApiStatus::Deprecated(_))));
        assert!(matches!(status_at(cron.0, cron.1, k(24)), Some(ApiStatus::Deprecated(_))));
        assert!(matches!(status_at(cron.0, cron.1, k(25)), Some(ApiStatus::Removed(_))));
        assert!(matches!(status_at(cron.0, cron.1, k(37)), Some(ApiStatus::Removed(_))));
    }

    #[test]
    fn removal_without_recorded_deprecation_is_silent_until_removal() {
        let rs = ("apps/v1beta1", "ReplicaSet");
        assert_eq!(status_at(rs.0, rs.1, k(15)), None);
        assert!(matches!(status_at(rs.0, rs.1, k(16)), Some(ApiStatus::Removed(_))));
    }

    #[test]
    fn deprecated_without_removal_stays_deprecated() {
        let probe = ApiLifecycle {
            api_version: "example.k8s.io/v1beta1",
            kind: "Probe",
            deprecated_in: v(30),
            removed_in: None,
            replacement: None,
            replacement_since: None,
            note: "",
        };
        assert!(probe.is_deprecated_at(k(99)));
        assert!(!probe.is_removed_at(k(99)));
    }

    #[test]
    fn current_apis_and_unknown_pairs_are_fine() {
        assert_eq!(status_at("apps/v1", "Deployment", k(37)), None);
        assert_eq!(status_at("batch/v1", "CronJob", k(37)), None);
        assert!(lookup("apps/v1beta1", "CronJob").is_none());
        assert!(lookup("Extensions/v1beta1", "Deployment").is_none());
    }

    #[test]
    fn entries_for_kind_lists_every_old_version() {
        let mut versions: Vec<_> = entries_for_kind("Deployment").map(|e| e.api_version).collect();
        versions.sort_unstable();
        assert_eq!(versions, ["apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"]);
        assert_eq!(entries_for_kind("Pod").count(), 0);
    }

    #[test]
    fn replacement_at_skips_versions_the_target_no_longer_serves() {
        let fs = entry("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
        assert_eq!(fs.replacement_at(k(24)), Some("flowcontrol.apiserver.k8s.io/v1beta2"));
        assert_eq!(fs.replacement_at(k(30)), Some("flowcontrol.apiserver.k8s.io/v1"));

        let old_psp = entry("extensions/v1beta1", "PodSecurityPolicy");
        assert_eq!(old_psp.replacement_at(k(15)), Some("policy/v1beta1"));
        assert_eq!(old_psp.replacement_at(k(25)), None);

        let ingress = entry("extensions/v1beta1", "Ingress");
        assert_eq!(ingress.replacement_at(k(22)), Some("networking.k8s.io/v1"));
    }

    #[test]
    fn no_duplicate_api_version_kind_pairs() {
        let mut seen = HashSet::new();
        for e in API_LIFECYCLES {
            assert!(seen.insert((e.api_version, e.kind)), "duplicate {} {}", e.api_version, e.kind);
        }
    }

    #[test]
    fn table_invariants() {
        for e in API_LIFECYCLES {
            let id = format!("{} {}", e.api_version, e.kind);
            assert!(e.deprecated_in.is_some() || e.removed_in.is_some(), "{id}: neither deprecated nor removed");
            if let (Some(dep), Some(rem)) = (e.deprecated_in, e.removed_in) {
                assert!(dep <= rem, "{id}: deprecated after removal");
            }
            if let Some(repl) = e.replacement {
                assert_ne!(repl, e.api_version, "{id}: replaced by itself");
                assert!(looks_like_group_version(repl), "{id}: bad replacement {repl}");
            } else {
                assert_eq!(e.replacement_since, None, "{id}: date for a missing replacement");
                assert!(e.note.contains("No replacement") || e.note.contains("no successor"));
            }
            // Users must have somewhere to go before the old version disappears.
            if let (Some(since), Some(rem)) = (e.replacement_since, e.removed_in) {
                assert!(since <= rem, "{id}: replacement arrives after removal");
            }
            assert!(looks_like_group_version(e.api_version), "{id}: bad apiVersion");
            assert!(!e.kind.ends_with("List"), "{id}: List kinds are not tracked");
            assert!(!e.note.is_empty(), "{id}: empty note");
            assert!(e.deprecated_in.into_iter().chain(e.removed_in).all(|x| x.major == 1), "{id}: not a 1.x release");
        }
    }
}
