//! Paths as CI tools want them. GitHub resolves a relative annotation or SARIF path against the
//! repository root (`$GITHUB_WORKSPACE`), not against the step's working directory, so a path
//! that is right for a terminal can point at the wrong file there.
use std::path::{Path, PathBuf};

use crate::source::path::{normalize, slashed};

/// The folders findings' paths are made relative to. Gathered by the binary; reporters never
/// look at the environment or the file system themselves.
#[derive(Clone, Debug, Default)]
pub struct PathBase {
    /// The directory relative paths were given against.
    pub cwd: Option<PathBuf>,
    /// The repository root on a GitHub runner, in every spelling it may have (as set, and with
    /// symbolic links resolved, since `cwd` comes from `getcwd`, which resolves them).
    pub workspace: Vec<PathBuf>,
}

impl PathBase {
    /// Reads the current directory and `$GITHUB_WORKSPACE`.
    pub fn from_env() -> Self {
        let cwd = std::env::current_dir().ok();
        let mut workspace = Vec::new();
        if let Some(ws) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) {
            let ws = PathBuf::from(ws);
            let ws = match &cwd {
                Some(cwd) if ws.is_relative() => cwd.join(ws),
                _ => ws,
            };
            let ws = normalize(&ws);
            if let Ok(real) = std::fs::canonicalize(&ws)
                && real != ws
            {
                workspace.push(real);
            }
            workspace.insert(0, ws);
        }
        PathBase { cwd, workspace }
    }

    /// The root that relative paths are reported against: the workspace when there is one.
    pub fn root(&self) -> Option<&Path> {
        self.workspace.first().map(PathBuf::as_path).or(self.cwd.as_deref())
    }
}

/// Where a finding's file is, for a reader that is not in podlint's working directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Relative to the workspace (when set and the file is under it) or else to the current
    /// directory, `/`-separated, with no `.` or `..` parts.
    Relative(String),
    /// Under neither: the absolute path.
    Absolute(String),
}

impl Resolved {
    pub fn as_str(&self) -> &str {
        match self {
            Resolved::Relative(p) | Resolved::Absolute(p) => p,
        }
    }
}

/// Resolves `file` (as given on the command line, or the `--stdin-filename` name).
pub fn resolve(file: &str, base: &PathBase) -> Resolved {
    let path = Path::new(file);
    let absolute = if path.is_absolute() {
        normalize(path)
    } else if let Some(cwd) = &base.cwd {
        normalize(&cwd.join(path))
    } else {
        return Resolved::Relative(slashed(&normalize(path)));
    };
    for root in base.workspace.iter().chain(base.cwd.as_ref()) {
        if let Ok(rest) = absolute.strip_prefix(root)
            && rest.components().next().is_some()
        {
            return Resolved::Relative(slashed(rest));
        }
    }
    Resolved::Absolute(slashed(&absolute))
}

/// The path for a GitHub annotation: relative to the workspace when it is set (the runner reads
/// a relative path against it), else as given without a leading `./`.
pub fn for_github(file: &str, base: &PathBase) -> String {
    if base.workspace.is_empty() {
        return strip_dot_slash(file).to_string();
    }
    match resolve(file, base) {
        // Outside the workspace, an absolute path at least names the file in the log.
        Resolved::Relative(p) | Resolved::Absolute(p) => p,
    }
}

pub fn strip_dot_slash(mut file: &str) -> &str {
    while let Some(rest) = file.strip_prefix("./") {
        file = rest.trim_start_matches('/');
    }
    file
}

/// Percent-encodes a `/`-separated path for a URI: everything but RFC 3986's unreserved
/// characters and `/`. (`:` too, so that a first segment never reads as a scheme.)
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `file:` URI for an absolute path.
pub fn file_uri(absolute: &str) -> String {
    let path = uri_encode(absolute);
    // A Windows path (`C:/x`) needs the extra slash of an empty authority.
    if path.starts_with('/') { format!("file://{path}") } else { format!("file:///{path}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(cwd: &str, workspace: &[&str]) -> PathBase {
        PathBase { cwd: Some(cwd.into()), workspace: workspace.iter().map(PathBuf::from).collect() }
    }

    #[test]
    fn relative_to_the_workspace_then_the_cwd() {
        let in_repo = base("/repo/deploy", &["/repo"]);
        assert_eq!(resolve("./k8s/a.yaml", &in_repo), Resolved::Relative("deploy/k8s/a.yaml".into()));
        assert_eq!(resolve("../top.yaml", &in_repo), Resolved::Relative("top.yaml".into()));
        assert_eq!(resolve("/repo/x/b.yaml", &in_repo), Resolved::Relative("x/b.yaml".into()));
        assert_eq!(resolve("/elsewhere/c.yaml", &in_repo), Resolved::Absolute("/elsewhere/c.yaml".into()));

        let local = base("/home/me/app", &[]);
        assert_eq!(resolve("./k8s/./a.yaml", &local), Resolved::Relative("k8s/a.yaml".into()));
        assert_eq!(resolve("/home/me/app/k8s/a.yaml", &local), Resolved::Relative("k8s/a.yaml".into()));
        assert_eq!(resolve("../other/a.yaml", &local), Resolved::Absolute("/home/me/other/a.yaml".into()));
    }

    #[test]
    fn github_paths_are_as_given_outside_actions() {
        assert_eq!(for_github("./k8s/a.yaml", &base("/x", &[])), "k8s/a.yaml");
        assert_eq!(for_github(".//k8s/a.yaml", &base("/x", &[])), "k8s/a.yaml");
        assert_eq!(for_github("k8s/a.yaml", &base("/repo/sub", &["/repo"])), "sub/k8s/a.yaml");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_encode("k8s/a b,c:d%e.yaml"), "k8s/a%20b%2Cc%3Ad%25e.yaml");
        assert_eq!(uri_encode("é.yaml"), "%C3%A9.yaml");
        assert_eq!(file_uri("/tmp/a b.yaml"), "file:///tmp/a%20b.yaml");
    }
}
