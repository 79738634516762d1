//! The README's rules table is generated from the registry; this test keeps it from going stale.
//! `UPDATE_README=1 cargo test --test readme` rewrites it.
mod common;

use std::path::Path;

use common::{run, stdout};
use podlint::rules::{self, FixAvailability};

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

fn rules_table() -> String {
    let mut table = String::from("| Rule | Default | Category | Fix | What it catches |\n|---|---|---|---|---|\n");
    for rule in rules::all() {
        let meta = rule.meta();
        let fix = match meta.fix {
            FixAvailability::None => "",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
            FixAvailability::Mixed => "safe/unsafe",
        };
        // An opt-in rule is off until selected: its severity is what it gets then.
        let default = match meta.status {
            rules::Status::OptIn => format!("off ({} when selected)", meta.severity.as_str()),
            _ => meta.severity.as_str().to_string(),
        };
        table.push_str(&format!(
            "| [`{id}`](rules/{id}.md) | {default} | {} | {fix} | {} |\n",
            meta.category.as_str(),
            meta.summary,
            id = meta.id
        ));
    }
    table
}

#[test]
fn readme_rules_table_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme.find(START).expect("rules:start marker") + START.len();
    let end = readme.find(END).expect("rules:end marker");
    let expected = rules_table();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, format!("{}{expected}{}", &readme[..start], &readme[end..])).expect("write README");
        return;
    }
    assert_eq!(
        &readme[start..end],
        expected,
        "README rules table is stale: run UPDATE_README=1 cargo test --test readme"
    );
}

/// The sample output on the README's first screen must be what podlint prints today.
#[test]
fn readme_sample_is_real_output() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let start = readme.find("<!-- sample:start -->").expect("sample:start marker");
    let end = readme.find("<!-- sample:end -->").expect("sample:end marker");
    let sample = &readme[start..end];
    let actual = stdout(&run(&["--color", "never", "examples/"], Path::new(env!("CARGO_MANIFEST_DIR"))));
    for line in sample.lines().filter(|l| {
        l.starts_with("error[") || l.starts_with("warning[") || l.contains(" --> ") || l.starts_with("Found ")
    }) {
        assert!(actual.contains(line), "README sample line is not in today's output: {line}");
    }
}

/// Each rule page's options section is generated from the rule's declarations (what `podlint
/// explain` prints); `UPDATE_README=1` rewrites the pages too.
#[test]
fn rule_pages_show_the_declared_options() {
    let mut stale = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        let page = rules::options::page(meta);
        if page == meta.doc {
            continue;
        }
        let path = format!("{}/rules/{}.md", env!("CARGO_MANIFEST_DIR"), meta.id);
        if std::env::var_os("UPDATE_README").is_some() {
            std::fs::write(&path, page).expect("write the rule page");
        } else {
            stale.push(path);
        }
    }
    assert!(stale.is_empty(), "options sections are stale (run UPDATE_README=1 cargo test --test readme): {stale:?}");
}
