//! The Pod Security Standards as the PodSecurity admission controller applies them: levels, the
//! policy versions, and the namespace labels that choose both per mode.
//!
//! Facts from the Kubernetes documentation ("Pod Security Admission", "Pod Security Standards")
//! and from kubernetes/pod-security-admission (Apache-2.0), `api/` and `policy/`.
use crate::k8s::version::KubeVersion;

/// A Pod Security Standards level; each admits less than the one before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Privileged, Level::Baseline, Level::Restricted];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == text)
            .ok_or_else(|| format!("`{text}` is not a Pod Security level (privileged, baseline or restricted)"))
    }
}

/// What the controller does with a violation, by the label that set the level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// The pod is refused.
    Enforce,
    /// The client is warned.
    Warn,
    /// The audit log records it.
    Audit,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Enforce, Mode::Warn, Mode::Audit];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Audit => "audit",
        }
    }

    /// `pod-security.kubernetes.io/<mode>`.
    pub fn label(self) -> String {
        format!("{LABEL_PREFIX}{}", self.as_str())
    }
}

pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// The version of the policy a level is judged by: the checks of that Kubernetes release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyVersion {
    /// The newest the cluster knows: the target version.
    Latest,
    /// `v1.N`.
    Minor(u16),
}

impl PolicyVersion {
    /// The release whose checks apply on a cluster of `target`: a version newer than the
    /// cluster is judged as the newest it knows, as the controller does.
    pub fn effective(self, target: KubeVersion) -> u16 {
        let newest = if target.major > 1 { u16::MAX } else { target.minor };
        match self {
            PolicyVersion::Latest => newest,
            PolicyVersion::Minor(minor) => minor.min(newest),
        }
    }

    /// As the controller names it in messages: `latest` or `v1.30`.
    pub fn label(self) -> String {
        match self {
            PolicyVersion::Latest => "latest".to_string(),
            PolicyVersion::Minor(minor) => format!("v1.{minor}"),
        }
    }

    fn parse(text: &str) -> Option<PolicyVersion> {
        if text == "latest" {
            return Some(PolicyVersion::Latest);
        }
        let minor = text.strip_prefix("v1.")?;
        // The controller's own parser: `v1.N` with N a decimal number without sign or padding.
        if minor.is_empty() || (minor.len() > 1 && minor.starts_with('0')) || !minor.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        minor.parse().ok().map(PolicyVersion::Minor)
    }
}

/// The level and version one mode judges by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub mode: Mode,
    pub level: Level,
    pub version: PolicyVersion,
    /// A label the controller cannot read, and what it does instead.
    pub invalid: Option<String>,
}

/// The policies a Namespace's labels set, one per mode it gives a level. `None` when it gives
/// none of the three a level: the cluster's defaults apply, which podlint cannot see. As the controller
/// reads them: an unreadable enforce level judges as `restricted`, an unreadable warn or audit
/// level as `privileged` (they fail open), an unreadable version as `latest`.
pub fn namespace_policies(labels: &[(String, String)]) -> Option<Vec<Policy>> {
    let label = |name: &str| labels.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut policies = Vec::new();
    for mode in Mode::ALL {
        let version_label = format!("{}-version", mode.label());
        let Some(level_text) = label(&mode.label()) else { continue };
        let mut invalid = Vec::new();
        let level = level_text.parse::<Level>().unwrap_or_else(|_| {
            invalid.push(format!("{}={level_text:?} is not a level", mode.label()));
            if mode == Mode::Enforce { Level::Restricted } else { Level::Privileged }
        });
        let version = match label(&version_label) {
            None => PolicyVersion::Latest,
            Some(text) => PolicyVersion::parse(text).unwrap_or_else(|| {
                invalid.push(format!("{version_label}={text:?} is not \"latest\" or \"v1.x\""));
                PolicyVersion::Latest
            }),
        };
        let invalid = (!invalid.is_empty()).then(|| invalid.join("; "));
        policies.push(Policy { mode, level, version, invalid });
    }
    // A version label alone sets no level: the namespace is judged as one without labels.
    (!policies.is_empty()).then_some(policies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn namespace_labels_choose_level_and_version_per_mode() {
        let policies = namespace_policies(&labels(&[
            ("pod-security.kubernetes.io/enforce", "baseline"),
            ("pod-security.kubernetes.io/enforce-version", "v1.30"),
            ("pod-security.kubernetes.io/warn", "restricted"),
        ]))
        .expect("labelled");
        assert_eq!(policies.len(), 2);
        assert_eq!(
            (policies[0].mode, policies[0].level, policies[0].version),
            (Mode::Enforce, Level::Baseline, PolicyVersion::Minor(30))
        );
        assert_eq!(
            (policies[1].mode, policies[1].level, policies[1].version.label()),
            (Mode::Warn, Level::Restricted, "latest".to_string())
        );
        assert!(namespace_policies(&labels(&[("team", "a")])).is_none());
        assert!(namespace_policies(&labels(&[("pod-security.kubernetes.io/enforce-version", "v1.30")])).is_none());
    }

    #[test]
    fn unreadable_labels_are_read_as_the_controller_reads_them() {
        let policies = namespace_policies(&labels(&[
            ("pod-security.kubernetes.io/enforce", "strict"),
            ("pod-security.kubernetes.io/audit", "baseline"),
            ("pod-security.kubernetes.io/audit-version", "1.30"),
        ]))
        .expect("labelled");
        assert_eq!((policies[0].level, policies[0].invalid.is_some()), (Level::Restricted, true));
        assert_eq!(
            (policies[1].level, policies[1].version, policies[1].invalid.is_some()),
            (Level::Baseline, PolicyVersion::Latest, true)
        );
        let fails_open =
            namespace_policies(&labels(&[("pod-security.kubernetes.io/warn", "strict")])).expect("labelled");
        assert_eq!(fails_open[0].level, Level::Privileged);
    }

    #[test]
    fn versions_newer_than_the_cluster_are_judged_as_the_cluster() {
        let target = KubeVersion::new(1, 30);
        assert_eq!(PolicyVersion::Minor(33).effective(target), 30);
        assert_eq!(PolicyVersion::Minor(25).effective(target), 25);
        assert_eq!(PolicyVersion::Latest.effective(target), 30);
        assert_eq!(PolicyVersion::parse("v1.05"), None);
    }
}
