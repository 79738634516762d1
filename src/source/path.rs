//! Lexical path arithmetic shared by every stage that compares paths: config globs, kustomize
//! references and report paths. Nothing here touches the file system: a file may be standard
//! input's made-up name, and a link should be reported where the user put it.
use std::path::{Component, Path, PathBuf};

/// Drops `.` parts and folds `..` into its parent; a leading `..` of a relative path stays.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let parent_is_named = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if parent_is_named {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `/`-separated, as globs and reports want paths on every platform.
pub fn slashed(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' { text.replace('\\', "/") } else { text.into_owned() }
}

/// A path given relative to `base` (or absolute), as a normalised `/`-separated key: two
/// spellings of one file (`./k8s/a.yaml`, `k8s/b/../a.yaml`) give one key.
pub fn key(base: &Path, path: &str) -> String {
    slashed(&normalize(&base.join(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_is_lexical() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a/../../b")), PathBuf::from("../../b"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(key(Path::new("k8s"), "./base/../a.yaml"), "k8s/a.yaml");
        assert_eq!(key(Path::new(""), "./k8s/a.yaml"), "k8s/a.yaml");
    }
}
