//! The whole lint of one in-memory file, every rule and schema validation on: never panics, and
//! every finding's location is inside the file.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use podlint::Workspace;
use podlint::settings::Settings;

/// One linter for the session, as one run of podlint has: compiled validators are reused.
fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| Workspace::new(Settings::default(), Vec::new()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Not text: the same path a binary file takes in a real run.
        let _ = podlint::lint_memory(&[("fuzz.yaml", data)], &Settings { schema: false, ..Settings::default() });
        return;
    };
    for finding in &workspace().check_version("fuzz.yaml", text) {
        let span = finding.location.span;
        assert!(span.start <= span.end && span.end as usize <= data.len());
        assert!(finding.location.start.line >= 1 && finding.location.start.column >= 1);
        assert!(finding.location.start <= finding.location.end);
    }
});
