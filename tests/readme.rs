//! The README's rules table is generated from the registry; this test keeps it from going stale.
//! `UPDATE_README=1 cargo test --test readme` rewrites it.
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
        table.push_str(&format!(
            "| [`{id}`](rules/{id}.md) | {} | {} | {fix} | {} |\n",
            meta.severity.as_str(),
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
