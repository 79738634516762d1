//! The version a release is published under is written in many places users copy from: the
//! README's install snippets, the pre-commit shim that pins the wheel, the changelog. Cargo.toml
//! is the one source; these tests fail when any other place names a different version.
use std::path::Path;
use std::process::Command;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {}: {e}", full.display()))
}

fn cargo_version() -> String {
    let manifest = read("Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("version = ")).expect("Cargo.toml has a package version");
    line.trim_start_matches("version = ").trim_matches('"').to_string()
}

/// Every version written after `marker` in `text`: `rev: v0.1.0` → `0.1.0`.
fn versions_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn podlint_version_is_cargo_tomls() {
    let out = Command::new(env!("CARGO_BIN_EXE_podlint")).arg("--version").output().expect("podlint runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("podlint {}", cargo_version()));
}

#[test]
fn readme_install_snippets_name_the_current_version() {
    let version = cargo_version();
    let readme = read("README.md");
    let install = readme
        .split("<!-- install:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- install:end -->").next())
        .expect("README has an install section between <!-- install:start --> and <!-- install:end -->");
    // Each way to install must be there, each pinned to this version.
    let pinned = [
        ("pipx install podlint==", "pip"),
        ("uv tool install podlint==", "uv"),
        ("releases/download/v", "installers"),
        ("cargo install --locked podlint@", "cargo"),
        ("podlint/podlint:", "container image"),
        ("podlint.git#v", "container build"),
    ];
    for (marker, what) in pinned {
        let found = versions_after(install, marker);
        assert!(!found.is_empty(), "the install section has no {what} snippet (`{marker}`)");
        for v in found {
            assert_eq!(v, version, "{what} snippet `{marker}{v}` is not Cargo.toml's {version}");
        }
    }
    assert!(install.contains("podlint-installer.sh") && install.contains("podlint-installer.ps1"));
    assert!(readme.contains(&format!("The current release is {version}")));

    // The integrations: every pre-commit `rev` and every `uses: podlint/podlint@`.
    let revs = versions_after(&readme, "rev: v");
    let uses = versions_after(&readme, "uses: podlint/podlint@v");
    assert!(!revs.is_empty() && !uses.is_empty(), "README shows the pre-commit and Action snippets");
    for v in revs.into_iter().chain(uses) {
        assert_eq!(v, version, "README names version {v}, Cargo.toml {version}");
    }
    // The first screen's command builds the checkout with the pinned dependency versions.
    assert!(readme.contains("$ cargo install --locked --path . && podlint examples/"));
}

#[test]
fn python_packages_pin_the_current_version() {
    let version = cargo_version();
    let shim = read("pyproject.toml");
    assert!(
        shim.contains(&format!("version = \"{version}\"")),
        "pyproject.toml (the pre-commit shim) is not at {version}"
    );
    assert!(
        shim.contains(&format!("\"podlint=={version}\"")),
        "the pre-commit shim must install the wheel of its own version, {version}"
    );
    // The wheel takes its version from Cargo.toml (maturin), so it must not write one.
    let wheel = read("python/pyproject.toml");
    assert!(wheel.contains("dynamic = [\"version\"]") && !wheel.lines().any(|l| l.starts_with("version")));
    assert!(wheel.contains("bindings = \"bin\""));
    for v in versions_after(&read("python/README.md"), "rev: v") {
        assert_eq!(v, version);
    }
}

#[test]
fn changelog_has_the_current_release() {
    let version = cargo_version();
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.lines().any(|l| l.starts_with(&format!("## {version}"))),
        "CHANGELOG.md has no `## {version}` section"
    );
}

#[test]
fn license_is_the_apache_text_cargo_toml_names() {
    let manifest = read("Cargo.toml");
    assert!(manifest.contains("license = \"Apache-2.0\""));
    let license = read("LICENSE");
    assert!(license.contains("Apache License") && license.contains("Version 2.0, January 2004"));
    assert!(license.contains("END OF TERMS AND CONDITIONS"));
}
