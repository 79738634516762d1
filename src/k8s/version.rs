use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor release, the granularity at which APIs appear and disappear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u16,
    pub minor: u16,
}

impl KubeVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        KubeVersion { major, minor }
    }
}

impl KubeVersion {
    /// The newest release podlint has schemas and API facts for: the default target.
    pub const NEWEST: KubeVersion = KubeVersion::new(1, 37);
    /// The oldest release a target may be: the API lifecycle table starts there (schemas start
    /// at 1.24; older targets are validated with 1.24's).
    pub const OLDEST: KubeVersion = KubeVersion::new(1, 8);
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for KubeVersion {
    type Err = String;

    /// Accepts `1.30`, `1.30.2` and `v1.30.2`: users copy versions from `kubectl version` output.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim().trim_start_matches(['v', 'V']);
        let mut parts = trimmed.split('.');
        let bad = || format!("invalid Kubernetes version `{s}`: expected MAJOR.MINOR, for example 1.30");
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        match parts.next() {
            None => {}
            Some(patch) if patch.parse::<u32>().is_ok() && parts.next().is_none() => {}
            Some(_) => return Err(bad()),
        }
        let version = KubeVersion { major, minor };
        if !(KubeVersion::OLDEST..=KubeVersion::NEWEST).contains(&version) {
            return Err(format!(
                "Kubernetes version {version} is outside the range podlint knows, {} to {}",
                KubeVersion::OLDEST,
                KubeVersion::NEWEST
            ));
        }
        Ok(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_type() {
        assert_eq!("1.30".parse::<KubeVersion>(), Ok(KubeVersion::new(1, 30)));
        assert_eq!("v1.30.2".parse::<KubeVersion>(), Ok(KubeVersion::new(1, 30)));
        assert!("1".parse::<KubeVersion>().is_err());
        assert!("1.x".parse::<KubeVersion>().is_err());
        assert!("1.30.2.1".parse::<KubeVersion>().is_err());
        assert_eq!(
            "1.40".parse::<KubeVersion>(),
            Err("Kubernetes version 1.40 is outside the range podlint knows, 1.8 to 1.37".to_string())
        );
        assert!("2.0".parse::<KubeVersion>().is_err());
        assert!("1.7".parse::<KubeVersion>().is_err());
        assert_eq!("1.8".parse::<KubeVersion>(), Ok(KubeVersion::OLDEST));
        assert!(KubeVersion::new(1, 9) < KubeVersion::new(1, 16));
    }
}
