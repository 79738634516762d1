//! Labels as the index keeps them. A pod's labels are matched against selectors many times and
//! shown rarely, so every label is kept as hashes of its key and value, and only the labels
//! help may show are kept as text. A run of pods with dozens of long labels each then costs
//! sixteen bytes a label, not a copy of the labels.
use std::hash::{Hash, Hasher};

/// A label, by the hashes of its key and its value. SipHash with fixed keys: stable within a
/// run and well spread, so two different labels share hashes with odds of 2^-64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label {
    pub key: u64,
    pub value: u64,
}

fn hash_str(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Label {
    pub fn of(key: &str, value: &str) -> Label {
        Label { key: hash_str(key), value: hash_str(value) }
    }

    /// A selector's pairs, hashed once per question.
    pub fn all(pairs: &[(String, String)]) -> Vec<Label> {
        pairs.iter().map(|(k, v)| Label::of(k, v)).collect()
    }
}

/// Labels whose text a pod with many labels keeps: the keys workloads and Services are selected
/// by in practice. With the pod's own workload selector, these are the labels a near-miss
/// selector is near to.
pub const IDENTITY_KEYS: &[&str] = &[
    "app",
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "component",
    "name",
    "k8s-app",
    "tier",
    "role",
    "release",
    "version",
];

/// Pods with at most this many labels keep all of them as text.
pub const TEXT_LABELS: usize = 8;

/// A pod's labels.
#[derive(Debug, Default)]
pub struct PodLabels {
    /// Every label, in the order written.
    pub hashed: Vec<Label>,
    /// All labels when there are at most `TEXT_LABELS`; else those with an identity key (the
    /// workload's selector keys and `IDENTITY_KEYS`), at most `TEXT_LABELS`.
    pub text: Vec<(String, String)>,
    /// Labels without text.
    pub omitted: usize,
}

impl PodLabels {
    /// `identity` names the keys of the pod's own workload selector.
    pub fn new(all: Vec<(String, String)>, identity: &[&str]) -> PodLabels {
        let hashed = all.iter().map(|(k, v)| Label::of(k, v)).collect();
        let total = all.len();
        let text: Vec<(String, String)> = if total <= TEXT_LABELS {
            all
        } else {
            let identifying = |key: &str| identity.contains(&key) || IDENTITY_KEYS.contains(&key);
            all.into_iter().filter(|(k, _)| identifying(k)).take(TEXT_LABELS).collect()
        };
        PodLabels { hashed, omitted: total - text.len(), text }
    }

    pub fn is_empty(&self) -> bool {
        self.hashed.is_empty()
    }

    pub fn has(&self, label: Label) -> bool {
        self.hashed.contains(&label)
    }

    /// Whether a label has this key with another value.
    pub fn has_key_otherwise(&self, label: Label) -> bool {
        self.hashed.iter().any(|l| l.key == label.key && l.value != label.value)
    }

    /// Whether every pair of a selector is among the labels.
    pub fn selected_by(&self, selector: &[Label]) -> bool {
        selector.iter().all(|&label| self.has(label))
    }
}

/// Strings this long or shorter get one signature per deleted byte; a typo in a longer one
/// leaves its first or its last `ENDS` bytes as they were.
const SHORT: usize = 8;
const ENDS: usize = 5;

/// The spelling signatures of a label key or value, strongest first: its lowercase form; for a
/// short string, that form with one byte deleted at each place; and its first and its last
/// `ENDS` bytes. Two strings that share a signature differ by case, by one edit or an
/// adjacent swap, or only past a common start or before a common end (a typo, a suffix added),
/// so a near miss is found by hash lookups, not by comparing every pair of strings.
pub fn signatures(text: &str) -> Vec<u64> {
    let lower: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let hash = |tag: &[u8], bytes: &mut dyn Iterator<Item = u8>| {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(tag);
        let mut n = 0usize;
        for b in bytes {
            hasher.write_u8(b);
            n += 1;
        }
        hasher.write_usize(n);
        hasher.finish()
    };
    let mut out = vec![hash(b"whole", &mut lower.iter().copied())];
    if lower.len() <= SHORT {
        for skip in 0..lower.len() {
            let mut rest = lower.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, &b)| b);
            out.push(hash(b"whole", &mut rest));
        }
    }
    if lower.len() >= ENDS {
        out.push(hash(b"start", &mut lower[..ENDS].iter().copied()));
        out.push(hash(b"end", &mut lower[lower.len() - ENDS..].iter().copied()));
    }
    out
}

/// Whether two different strings are a typo apart (see `signatures`).
pub fn near(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let theirs = signatures(b);
    signatures(a).iter().any(|s| theirs.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn typos_are_near_and_other_words_are_not() {
        let typos = [("MyApp", "myapp"), ("web", "wbe"), ("frontend", "frontned"), ("api", "apii"), ("app", "ap")];
        for (a, b) in typos.into_iter().chain([("my-app-not-matching", "my-app")]) {
            assert!(near(a, b), "{a} {b}");
        }
        for (a, b) in [("web", "web"), ("web", "api"), ("frontend-a", "backend-b"), ("orders", "invoice")] {
            assert!(!near(a, b), "{a} {b}");
        }
    }

    #[test]
    fn many_labels_keep_only_identity_text() {
        let few = PodLabels::new(pairs(&[("app", "web"), ("team", "a")]), &[]);
        assert_eq!((few.text.len(), few.omitted), (2, 0));
        let mut many: Vec<(String, String)> = (0..20).map(|i| (format!("cost-center-{i}"), format!("v{i}"))).collect();
        many.push(("app".into(), "web".into()));
        many.push(("release".into(), "prod".into()));
        let labels = PodLabels::new(many, &["cost-center-3"]);
        let kept: Vec<&str> = labels.text.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kept, ["cost-center-3", "app", "release"]);
        assert_eq!(labels.omitted, 19);
        assert!(labels.selected_by(&Label::all(&pairs(&[("cost-center-7", "v7"), ("app", "web")]))));
        assert!(!labels.selected_by(&Label::all(&pairs(&[("app", "api")]))));
        assert!(labels.has_key_otherwise(Label::of("app", "api")));
    }
}
