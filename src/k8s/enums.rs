//! String enums of the Kubernetes API, kept by hand.
//!
//! The JSON schemas podlint embeds (kubernetes-validate, generated from the
//! swagger v2 documents) declare almost none of these fields as enums: the API
//! types spell their values as Go constants and the API server enforces them in
//! hand-written validation, neither of which reaches the schema. This table puts
//! the values back so the schema stage can say `always` is a case mistake for
//! `Always` and that `Sometimes` is no pull policy at all.
//!
//! `strict` is set only where the API server rejects every other value on create
//! (a `field.NotSupported`/`field.Invalid` branch in its validation). Fields whose
//! set is open (Secret types, ResourceQuota scopes, LimitRange types) are listed
//! for case mistakes only. A strict set is the union over Kubernetes 1.24 to 1.37,
//! including values that need a feature gate, because a false error on a manifest
//! the cluster accepts costs users more than a missed one. For the same reason
//! the table cannot express per-context subsets (a Deployment's pod template
//! must use restartPolicy `Always`, an init container without the
//! ContainerRestartRules gate only `Always`): those belong to rules that see the
//! whole object.
//!
//! Sources (values and strictness were taken from these; no text was copied):
//! - kubernetes/kubernetes `pkg/apis/core/validation/validation.go`
//!   (`validatePullPolicy`, `validateContainerCommon`, `validateRestartPolicy`,
//!   `validateDNSPolicy`, `ValidatePreemptionPolicy`, `supportedPortProtocols`,
//!   `supportedServiceType`, `supportedSessionAffinityType`,
//!   `validExternalTrafficPolicies`, `supportedServiceInternalTrafficPolicy`,
//!   `supportedServiceIPFamily`, `supportedServiceIPFamilyPolicy`,
//!   `validateServiceTrafficDistribution`, `supportedHTTPSchemes`,
//!   `supportedAccessModes`, `supportedReclaimPolicy`, `supportedVolumeModes`,
//!   `validateTaintEffect`, `ValidateTolerations`, `ValidateNodeSelectorRequirement`,
//!   `validateSeccompProfileType`, `ValidateAppArmorProfileField`,
//!   `ValidateProcMountType`, `validFSGroupChangePolicies`,
//!   `validSupplementalGroupsPolicies`, `validSELinuxChangePolicies`,
//!   `validateMountPropagation`, `validateMountRecursiveReadOnly`,
//!   `supportedHostPathTypes`, `validateAzureDisk`, `validateResizePolicy`,
//!   `validateInitContainerRestartPolicy`, `validOS`, `supportedScheduleActions`,
//!   `supportedPodTopologySpreadNodePolicies`, `validateScopedResourceSelectorRequirement`,
//!   `ValidateSecret`, `validateLimitRangeTypeName`);
//! - `pkg/apis/apps/validation/validation.go` (`ValidateDeploymentStrategy`,
//!   `ValidateStatefulSetSpec`, `ValidateDaemonSetUpdateStrategy`,
//!   `ValidatePersistentVolumeClaimRetentionPolicyType`);
//! - `pkg/apis/batch/validation/validation.go` (`validateJobSpec`,
//!   `supportedPodFailurePolicyActions`, `supportedPodFailurePolicyOnExitCodesOperator`,
//!   `supportedPodFailurePolicyOnPodConditionsStatus`, `supportedPodReplacementPolicy`,
//!   `validateConcurrencyPolicy`);
//! - `pkg/apis/autoscaling/validation/validation.go` (`validMetricSourceTypes`,
//!   `validateMetricTarget`, `validSelectPolicyTypes`, `validPolicyTypes`);
//! - `pkg/apis/policy/validation/validation.go` (`supportedUnhealthyPodEvictionPolicies`);
//! - `pkg/apis/networking/validation/validation.go` (`ValidateNetworkPolicyPort`,
//!   `ValidateNetworkPolicySpec`, `supportedPathTypes`);
//! - `pkg/apis/discovery/validation/validation.go` (`supportedAddressTypes`,
//!   `supportedPortProtocols`);
//! - `pkg/apis/storage/validation/validation.go` (`validateReclaimPolicy`,
//!   `supportedVolumeBindingModes`);
//! - `pkg/apis/admissionregistration/validation/validation.go`
//!   (`supportedFailurePolicies`, `supportedMatchPolicies`,
//!   `supportedSideEffectClasses`, `supportedOperations`,
//!   `supportedReinvocationPolicies`, `validScopes`);
//! - `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go`
//!   (`ValidateLabelSelectorRequirement`);
//! - the Go API types in `staging/src/k8s.io/api/*/v1/types.go` for constant
//!   spellings, and the `description` texts of kubernetes-validate 1.37.0
//!   `_definitions.json` for values added after the validation code we read
//!   (Toleration `Lt`/`Gt`) and for the CRD scope and conversion strategy.
//!
//! `tools/check-enum-table.py` checks every definition/property pair against
//! the schemas of each Kubernetes version in the kubernetes-validate wheels;
//! run it after editing the table.

/// One string field of one schema definition whose values form a closed (or
/// conventional) set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumField {
    /// OpenAPI definition name, as in the schema: `io.k8s.api.core.v1.Container`.
    pub definition: &'static str,
    /// Property of that definition, as spelled in YAML: `imagePullPolicy`.
    pub property: &'static str,
    /// Canonical spellings, in the order the API documents them.
    pub values: &'static [&'static str],
    /// The API server rejects values outside `values`; only then may an unknown
    /// value be reported as an error.
    pub strict: bool,
    /// The property is an array and each item is one of `values`.
    pub list: bool,
}

/// The verdict on one value (for a `list` field, on one item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumCheck {
    Valid,
    /// Equal to a known value ignoring ASCII case; carries the canonical spelling.
    CaseMistake(&'static str),
    /// Not a known value; an error only if the field is `strict`.
    Invalid,
}

const fn strict(definition: &'static str, property: &'static str, values: &'static [&'static str]) -> EnumField {
    EnumField { definition, property, values, strict: true, list: false }
}

const fn strict_list(definition: &'static str, property: &'static str, values: &'static [&'static str]) -> EnumField {
    EnumField { definition, property, values, strict: true, list: true }
}

const fn open(definition: &'static str, property: &'static str, values: &'static [&'static str]) -> EnumField {
    EnumField { definition, property, values, strict: false, list: false }
}

const fn open_list(definition: &'static str, property: &'static str, values: &'static [&'static str]) -> EnumField {
    EnumField { definition, property, values, strict: false, list: true }
}

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES: &[&str] = &["File", "FallbackToLogsOnError"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const ACCESS_MODES: &[&str] = &["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
const VOLUME_MODES: &[&str] = &["Filesystem", "Block"];
const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const PROFILE_TYPES: &[&str] = &["RuntimeDefault", "Localhost", "Unconfined"];
const PREEMPTION_POLICIES: &[&str] = &["PreemptLowerPriority", "Never"];
const SELECTOR_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];
const FAILURE_POLICIES: &[&str] = &["Ignore", "Fail"];
const MATCH_POLICIES: &[&str] = &["Exact", "Equivalent"];
// v1 webhooks may only be created with None or NoneOnDryRun, but updates of
// webhooks first created through v1beta1 keep Some and Unknown.
const SIDE_EFFECTS: &[&str] = &["None", "NoneOnDryRun", "Some", "Unknown"];
const TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];
const NODE_INCLUSION_POLICIES: &[&str] = &["Honor", "Ignore"];
const QUOTA_SCOPES: &[&str] = &[
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
];

// One entry per line reads as a table; rustfmt would spread each over five.
#[rustfmt::skip]
pub static ENUM_FIELDS: &[EnumField] = &[
    // core/v1: containers
    strict("io.k8s.api.core.v1.Container", "imagePullPolicy", PULL_POLICIES),
    strict("io.k8s.api.core.v1.EphemeralContainer", "imagePullPolicy", PULL_POLICIES),
    strict("io.k8s.api.core.v1.Container", "terminationMessagePolicy", TERMINATION_MESSAGE_POLICIES),
    strict("io.k8s.api.core.v1.EphemeralContainer", "terminationMessagePolicy", TERMINATION_MESSAGE_POLICIES),
    // Init containers accept only Always without the ContainerRestartRules gate
    // (1.34+), which also opens OnFailure and Never to regular containers; the
    // definition is shared, so only the union can be strict here.
    strict("io.k8s.api.core.v1.Container", "restartPolicy", &["Always", "OnFailure", "Never"]),
    strict("io.k8s.api.core.v1.ContainerResizePolicy", "resourceName", &["cpu", "memory"]),
    strict("io.k8s.api.core.v1.ContainerResizePolicy", "restartPolicy", &["NotRequired", "RestartContainer"]),
    // Validation for container restart rules was not read; the schema names these.
    open("io.k8s.api.core.v1.ContainerRestartRule", "action", &["Restart"]),
    open("io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes", "operator", &["In", "NotIn"]),
    strict("io.k8s.api.core.v1.ContainerPort", "protocol", PROTOCOLS),
    strict("io.k8s.api.core.v1.HTTPGetAction", "scheme", &["HTTP", "HTTPS"]),
    strict("io.k8s.api.core.v1.SecurityContext", "procMount", &["Default", "Unmasked"]),
    strict("io.k8s.api.core.v1.SeccompProfile", "type", PROFILE_TYPES),
    strict("io.k8s.api.core.v1.AppArmorProfile", "type", PROFILE_TYPES),
    strict("io.k8s.api.core.v1.VolumeMount", "mountPropagation", &["None", "HostToContainer", "Bidirectional"]),
    strict("io.k8s.api.core.v1.VolumeMount", "recursiveReadOnly", &["Disabled", "IfPossible", "Enabled"]),
    // core/v1: pods
    strict("io.k8s.api.core.v1.PodSpec", "restartPolicy", &["Always", "OnFailure", "Never"]),
    strict("io.k8s.api.core.v1.PodSpec", "dnsPolicy", &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]),
    strict("io.k8s.api.core.v1.PodSpec", "preemptionPolicy", PREEMPTION_POLICIES),
    strict("io.k8s.api.core.v1.PodOS", "name", &["linux", "windows"]),
    strict("io.k8s.api.core.v1.PodSecurityContext", "fsGroupChangePolicy", &["OnRootMismatch", "Always"]),
    strict("io.k8s.api.core.v1.PodSecurityContext", "supplementalGroupsPolicy", &["Merge", "Strict"]),
    strict("io.k8s.api.core.v1.PodSecurityContext", "seLinuxChangePolicy", &["MountOption", "Recursive"]),
    // Lt and Gt came with the TaintTolerationComparisonOperators gate.
    strict("io.k8s.api.core.v1.Toleration", "operator", &["Equal", "Exists", "Lt", "Gt"]),
    strict("io.k8s.api.core.v1.Toleration", "effect", TAINT_EFFECTS),
    strict("io.k8s.api.core.v1.Taint", "effect", TAINT_EFFECTS),
    strict("io.k8s.api.core.v1.NodeSelectorRequirement", "operator", &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
    strict("io.k8s.api.core.v1.TopologySpreadConstraint", "whenUnsatisfiable", &["DoNotSchedule", "ScheduleAnyway"]),
    strict("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeAffinityPolicy", NODE_INCLUSION_POLICIES),
    strict("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeTaintsPolicy", NODE_INCLUSION_POLICIES),
    // core/v1: volumes
    // The empty string (no check on the path) is valid as well; `check` lets it through.
    strict("io.k8s.api.core.v1.HostPathVolumeSource", "type", &["DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"]),
    strict("io.k8s.api.core.v1.ImageVolumeSource", "pullPolicy", PULL_POLICIES),
    strict("io.k8s.api.core.v1.AzureDiskVolumeSource", "cachingMode", &["None", "ReadOnly", "ReadWrite"]),
    strict("io.k8s.api.core.v1.AzureDiskVolumeSource", "kind", &["Shared", "Dedicated", "Managed"]),
    strict("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeMode", VOLUME_MODES),
    strict_list("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes", ACCESS_MODES),
    strict("io.k8s.api.core.v1.PersistentVolumeSpec", "volumeMode", VOLUME_MODES),
    strict_list("io.k8s.api.core.v1.PersistentVolumeSpec", "accessModes", ACCESS_MODES),
    strict("io.k8s.api.core.v1.PersistentVolumeSpec", "persistentVolumeReclaimPolicy", &["Retain", "Delete", "Recycle"]),
    // core/v1: services and endpoints
    strict("io.k8s.api.core.v1.ServiceSpec", "type", &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
    strict("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity", &["ClientIP", "None"]),
    strict("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy", TRAFFIC_POLICIES),
    strict("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy", TRAFFIC_POLICIES),
    strict("io.k8s.api.core.v1.ServiceSpec", "ipFamilyPolicy", &["SingleStack", "PreferDualStack", "RequireDualStack"]),
    strict_list("io.k8s.api.core.v1.ServiceSpec", "ipFamilies", &["IPv4", "IPv6"]),
    // PreferSameZone and PreferSameNode joined PreferClose in 1.33.
    strict("io.k8s.api.core.v1.ServiceSpec", "trafficDistribution", &["PreferClose", "PreferSameZone", "PreferSameNode"]),
    strict("io.k8s.api.core.v1.ServicePort", "protocol", PROTOCOLS),
    strict("io.k8s.api.core.v1.EndpointPort", "protocol", PROTOCOLS),
    // core/v1: configuration and policy objects whose sets are open
    open("io.k8s.api.core.v1.Secret", "type", &["Opaque", "kubernetes.io/service-account-token", "kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/tls", "bootstrap.kubernetes.io/token"]),
    // Fully qualified custom types are allowed besides these.
    open("io.k8s.api.core.v1.LimitRangeItem", "type", &["Pod", "Container", "PersistentVolumeClaim"]),
    // The standard scope list grows with feature gates; not pinned down for
    // every version, so case mistakes only.
    open_list("io.k8s.api.core.v1.ResourceQuotaSpec", "scopes", QUOTA_SCOPES),
    open("io.k8s.api.core.v1.ScopedResourceSelectorRequirement", "scopeName", QUOTA_SCOPES),
    strict("io.k8s.api.core.v1.ScopedResourceSelectorRequirement", "operator", SELECTOR_OPERATORS),
    // apps/v1
    strict("io.k8s.api.apps.v1.DeploymentStrategy", "type", &["Recreate", "RollingUpdate"]),
    strict("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy", &["OrderedReady", "Parallel"]),
    strict("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type", &["RollingUpdate", "OnDelete"]),
    strict("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type", &["RollingUpdate", "OnDelete"]),
    strict("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted", &["Retain", "Delete"]),
    strict("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled", &["Retain", "Delete"]),
    // batch/v1
    strict("io.k8s.api.batch.v1.JobSpec", "completionMode", &["NonIndexed", "Indexed"]),
    strict("io.k8s.api.batch.v1.JobSpec", "podReplacementPolicy", &["TerminatingOrFailed", "Failed"]),
    strict("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy", &["Allow", "Forbid", "Replace"]),
    strict("io.k8s.api.batch.v1.PodFailurePolicyRule", "action", &["FailJob", "FailIndex", "Ignore", "Count"]),
    strict("io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement", "operator", &["In", "NotIn"]),
    strict("io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern", "status", &["True", "False", "Unknown"]),
    // autoscaling/v2
    strict("io.k8s.api.autoscaling.v2.MetricSpec", "type", &["Object", "Pods", "Resource", "ContainerResource", "External"]),
    strict("io.k8s.api.autoscaling.v2.MetricTarget", "type", &["Utilization", "Value", "AverageValue"]),
    strict("io.k8s.api.autoscaling.v2.HPAScalingRules", "selectPolicy", &["Max", "Min", "Disabled"]),
    strict("io.k8s.api.autoscaling.v2.HPAScalingPolicy", "type", &["Pods", "Percent"]),
    // policy/v1
    strict("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy", &["IfHealthyBudget", "AlwaysAllow"]),
    // networking/v1
    strict_list("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes", &["Ingress", "Egress"]),
    strict("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol", PROTOCOLS),
    strict("io.k8s.api.networking.v1.HTTPIngressPath", "pathType", &["Exact", "Prefix", "ImplementationSpecific"]),
    // discovery/v1
    strict("io.k8s.api.discovery.v1.EndpointSlice", "addressType", &["IPv4", "IPv6", "FQDN"]),
    strict("io.k8s.api.discovery.v1.EndpointPort", "protocol", PROTOCOLS),
    // storage/v1: unlike a PersistentVolume, a StorageClass cannot say Recycle.
    strict("io.k8s.api.storage.v1.StorageClass", "reclaimPolicy", &["Delete", "Retain"]),
    strict("io.k8s.api.storage.v1.StorageClass", "volumeBindingMode", &["Immediate", "WaitForFirstConsumer"]),
    // scheduling/v1
    strict("io.k8s.api.scheduling.v1.PriorityClass", "preemptionPolicy", PREEMPTION_POLICIES),
    // meta/v1. Only SubjectAccessReview label requirements, requests rather than
    // manifests, are validated with unknown operators allowed.
    strict("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "operator", SELECTOR_OPERATORS),
    // admissionregistration/v1
    strict("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "failurePolicy", FAILURE_POLICIES),
    strict("io.k8s.api.admissionregistration.v1.MutatingWebhook", "failurePolicy", FAILURE_POLICIES),
    strict("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "matchPolicy", MATCH_POLICIES),
    strict("io.k8s.api.admissionregistration.v1.MutatingWebhook", "matchPolicy", MATCH_POLICIES),
    strict("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "sideEffects", SIDE_EFFECTS),
    strict("io.k8s.api.admissionregistration.v1.MutatingWebhook", "sideEffects", SIDE_EFFECTS),
    strict("io.k8s.api.admissionregistration.v1.MutatingWebhook", "reinvocationPolicy", &["Never", "IfNeeded"]),
    strict_list("io.k8s.api.admissionregistration.v1.RuleWithOperations", "operations", &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"]),
    strict("io.k8s.api.admissionregistration.v1.RuleWithOperations", "scope", &["*", "Cluster", "Namespaced"]),
    strict("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec", "failurePolicy", FAILURE_POLICIES),
    // apiextensions/v1
    strict("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec", "scope", &["Namespaced", "Cluster"]),
    strict("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion", "strategy", &["None", "Webhook"]),
];

/// Allowed values for `property` of schema definition `definition`, if it is a known enum.
pub fn lookup(definition: &str, property: &str) -> Option<&'static EnumField> {
    ENUM_FIELDS.iter().find(|field| field.definition == definition && field.property == property)
}

/// Judges one value of `field` (one item, for a `list` field).
///
/// The empty string is `Valid`: Go decodes it like an absent field, so the API
/// server either defaults it or reports it as missing, which is another rule's
/// business.
pub fn check(field: &EnumField, value: &str) -> EnumCheck {
    if value.is_empty() || field.values.contains(&value) {
        return EnumCheck::Valid;
    }
    match field.values.iter().find(|known| known.eq_ignore_ascii_case(value)) {
        Some(canonical) => EnumCheck::CaseMistake(canonical),
        None => EnumCheck::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(definition: &str, property: &str) -> &'static EnumField {
        lookup(definition, property).unwrap_or_else(|| panic!("{definition}.{property} is not in the table"))
    }

    #[test]
    fn exact_values_are_valid() {
        let pull = field("io.k8s.api.core.v1.Container", "imagePullPolicy");
        assert_eq!(check(pull, "IfNotPresent"), EnumCheck::Valid);
        let service = field("io.k8s.api.core.v1.ServiceSpec", "type");
        assert_eq!(check(service, "ExternalName"), EnumCheck::Valid);
        let secret = field("io.k8s.api.core.v1.Secret", "type");
        assert_eq!(check(secret, "kubernetes.io/tls"), EnumCheck::Valid);
    }

    #[test]
    fn miscased_values_name_the_canonical_spelling() {
        let restart = field("io.k8s.api.core.v1.PodSpec", "restartPolicy");
        assert_eq!(check(restart, "always"), EnumCheck::CaseMistake("Always"));
        let pull = field("io.k8s.api.core.v1.Container", "imagePullPolicy");
        assert_eq!(check(pull, "ifnotpresent"), EnumCheck::CaseMistake("IfNotPresent"));
        let service = field("io.k8s.api.core.v1.ServiceSpec", "type");
        assert_eq!(check(service, "clusterip"), EnumCheck::CaseMistake("ClusterIP"));
        let os = field("io.k8s.api.core.v1.PodOS", "name");
        assert_eq!(check(os, "Linux"), EnumCheck::CaseMistake("linux"));
        let families = field("io.k8s.api.core.v1.ServiceSpec", "ipFamilies");
        assert_eq!(check(families, "ipv6"), EnumCheck::CaseMistake("IPv6"));
    }

    #[test]
    fn unknown_values_are_invalid() {
        let pull = field("io.k8s.api.core.v1.Container", "imagePullPolicy");
        assert_eq!(check(pull, "Sometimes"), EnumCheck::Invalid);
        // Whitespace is not forgiven: the API server compares bytes.
        assert_eq!(check(pull, "Always "), EnumCheck::Invalid);
        let secret = field("io.k8s.api.core.v1.Secret", "type");
        assert_eq!(check(secret, "example.com/custom"), EnumCheck::Invalid);
        assert!(!secret.strict, "custom Secret types are legal, so they must never be errors");
    }

    #[test]
    fn empty_is_left_to_other_rules() {
        let toleration = field("io.k8s.api.core.v1.Toleration", "operator");
        assert_eq!(check(toleration, ""), EnumCheck::Valid);
    }

    #[test]
    fn fields_the_brief_names_are_covered() {
        let strict_fields = [
            ("io.k8s.api.core.v1.Container", "imagePullPolicy"),
            ("io.k8s.api.core.v1.EphemeralContainer", "imagePullPolicy"),
            ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"),
            ("io.k8s.api.core.v1.Container", "restartPolicy"),
            ("io.k8s.api.core.v1.PodSpec", "restartPolicy"),
            ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"),
            ("io.k8s.api.core.v1.PodSpec", "preemptionPolicy"),
            ("io.k8s.api.core.v1.ContainerPort", "protocol"),
            ("io.k8s.api.core.v1.ServicePort", "protocol"),
            ("io.k8s.api.core.v1.EndpointPort", "protocol"),
            ("io.k8s.api.core.v1.ServiceSpec", "type"),
            ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"),
            ("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy"),
            ("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy"),
            ("io.k8s.api.core.v1.ServiceSpec", "ipFamilyPolicy"),
            ("io.k8s.api.core.v1.ServiceSpec", "ipFamilies"),
            ("io.k8s.api.core.v1.HTTPGetAction", "scheme"),
            ("io.k8s.api.apps.v1.DeploymentStrategy", "type"),
            ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"),
            ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"),
            ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"),
            ("io.k8s.api.batch.v1.JobSpec", "completionMode"),
            ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"),
            ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeMode"),
            ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes"),
            ("io.k8s.api.core.v1.PersistentVolumeSpec", "persistentVolumeReclaimPolicy"),
            ("io.k8s.api.core.v1.Toleration", "operator"),
            ("io.k8s.api.core.v1.Toleration", "effect"),
            ("io.k8s.api.core.v1.Taint", "effect"),
            ("io.k8s.api.core.v1.NodeSelectorRequirement", "operator"),
            ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "operator"),
            ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes"),
            ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"),
            ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"),
            ("io.k8s.api.core.v1.SeccompProfile", "type"),
            ("io.k8s.api.core.v1.AppArmorProfile", "type"),
            ("io.k8s.api.core.v1.SecurityContext", "procMount"),
            ("io.k8s.api.core.v1.PodSecurityContext", "fsGroupChangePolicy"),
            ("io.k8s.api.autoscaling.v2.MetricSpec", "type"),
            ("io.k8s.api.autoscaling.v2.MetricTarget", "type"),
            ("io.k8s.api.autoscaling.v2.HPAScalingRules", "selectPolicy"),
            ("io.k8s.api.autoscaling.v2.HPAScalingPolicy", "type"),
            ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy"),
            ("io.k8s.api.storage.v1.StorageClass", "reclaimPolicy"),
            ("io.k8s.api.storage.v1.StorageClass", "volumeBindingMode"),
        ];
        for (definition, property) in strict_fields {
            assert!(field(definition, property).strict, "{definition}.{property} should be strict");
        }
        assert!(!field("io.k8s.api.core.v1.Secret", "type").strict);
    }

    #[test]
    fn list_fields_are_marked() {
        for (definition, property) in [
            ("io.k8s.api.core.v1.ServiceSpec", "ipFamilies"),
            ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes"),
            ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes"),
        ] {
            assert!(field(definition, property).list, "{definition}.{property} holds a list");
        }
        assert!(!field("io.k8s.api.core.v1.ServiceSpec", "type").list);
    }

    #[test]
    fn values_added_in_later_versions_are_accepted() {
        let traffic = field("io.k8s.api.core.v1.ServiceSpec", "trafficDistribution");
        for value in ["PreferClose", "PreferSameZone", "PreferSameNode"] {
            assert_eq!(check(traffic, value), EnumCheck::Valid, "{value}");
        }
        let access = field("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes");
        assert_eq!(check(access, "ReadWriteOncePod"), EnumCheck::Valid);
    }

    #[test]
    fn no_entry_is_listed_twice() {
        for (i, a) in ENUM_FIELDS.iter().enumerate() {
            for b in &ENUM_FIELDS[i + 1..] {
                assert!(
                    (a.definition, a.property) != (b.definition, b.property),
                    "{}.{} appears twice",
                    a.definition,
                    a.property
                );
            }
        }
    }

    // A value equal to another ignoring case would make `CaseMistake` ambiguous.
    #[test]
    fn values_are_distinct_even_ignoring_case() {
        for field in ENUM_FIELDS {
            assert!(!field.values.is_empty(), "{}.{} has no values", field.definition, field.property);
            for (i, a) in field.values.iter().enumerate() {
                assert!(!a.is_empty() && a.trim() == *a, "{}.{}: bad value {a:?}", field.definition, field.property);
                for b in &field.values[i + 1..] {
                    assert!(!a.eq_ignore_ascii_case(b), "{}.{} lists {a} and {b}", field.definition, field.property);
                }
            }
        }
    }

    #[test]
    fn definition_names_look_like_openapi_names() {
        for field in ENUM_FIELDS {
            assert!(field.definition.starts_with("io.k8s."), "{}", field.definition);
            let kind = field.definition.rsplit('.').next().unwrap_or_default();
            assert!(kind.starts_with(|c: char| c.is_ascii_uppercase()), "{}", field.definition);
            assert!(field.property.starts_with(|c: char| c.is_ascii_lowercase()), "{}", field.property);
        }
    }
}
