//! A kind's resource name, as a policy's `resources` list writes it (`Deployment` →
//! `deployments`): a CRD of the run says its plural; a built-in kind follows the API server's
//! plurals, which the guess below gets right for every built-in kind but the ones listed.
use super::load::CrdResource;

/// Built-in kinds whose resource is not the guessed plural.
const IRREGULAR: &[(&str, &str)] = &[("Endpoints", "endpoints")];

/// apimachinery's `UnsafeGuessKindToResource`: lowercase, then `s` → `ses`, `y` → `ies`, else
/// `s` appended.
pub fn guess_plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix('y') {
        return format!("{stem}ies");
    }
    if lower.ends_with('s') {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

/// The resource of `kind` in `group`, with whether it lives in namespaces (`None` when the run
/// and the built-in tables do not say).
pub fn resource_of(kind: &str, group: &str, crds: &[CrdResource]) -> (String, Option<bool>) {
    if let Some(crd) = crds.iter().find(|c| c.kind == kind && c.group == group) {
        return (crd.plural.clone(), Some(crd.namespaced));
    }
    let builtin = crate::k8s::kinds::canonical_kind(kind).is_some_and(|k| k == kind) && !group.contains('.')
        || group.ends_with(".k8s.io");
    let plural = IRREGULAR.iter().find(|(k, _)| *k == kind).map_or_else(|| guess_plural(kind), |(_, r)| r.to_string());
    let namespaced = builtin.then(|| !crate::k8s::kinds::is_cluster_scoped(kind));
    (plural, namespaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_kinds_get_their_api_server_plurals() {
        let cases = [
            ("Deployment", "deployments"),
            ("Ingress", "ingresses"),
            ("NetworkPolicy", "networkpolicies"),
            ("StorageClass", "storageclasses"),
            ("Endpoints", "endpoints"),
            ("CSIStorageCapacity", "csistoragecapacities"),
            ("IPAddress", "ipaddresses"),
            ("ComponentStatus", "componentstatuses"),
            ("ValidatingAdmissionPolicy", "validatingadmissionpolicies"),
            ("ConfigMap", "configmaps"),
        ];
        for (kind, plural) in cases {
            assert_eq!(resource_of(kind, "", &[]).0, plural, "{kind}");
        }
        let crd = CrdResource { group: "x.io".into(), kind: "Mouse".into(), plural: "mice".into(), namespaced: true };
        assert_eq!(resource_of("Mouse", "x.io", &[crd]), ("mice".to_string(), Some(true)));
        assert_eq!(resource_of("Namespace", "", &[]), ("namespaces".to_string(), Some(false)));
    }
}
