//! `--fix` (safe and unsafe fixes) on arbitrary text: the result parses at least as well as the
//! input (no new syntax finding), and fixing the result changes nothing.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use podlint::Workspace;
use podlint::settings::Settings;

fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| Workspace::new(Settings { snippets: false, ..Settings::default() }, Vec::new()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lint = |t: &str| workspace().check_version("fuzz.yaml", t);
    let syntax_errors = |t: &str| lint(t).iter().filter(|f| f.rule == "yaml-syntax").count();
    let fixed = podlint::fix::fix_text(text, true, lint);
    if fixed.text != text {
        assert!(syntax_errors(&fixed.text) <= syntax_errors(text), "the fix broke the YAML:\n{}", fixed.text);
        let again = podlint::fix::fix_text(&fixed.text, true, lint);
        assert_eq!(again.text, fixed.text, "a second fix changed the text");
    }
});
