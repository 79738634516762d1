//! `--fix` and `--diff`: apply findings' byte-range edits to the original text, so that
//! comments, blank lines, key order, quoting and indentation elsewhere stay as they were.
//!
//! Fixes are applied in rounds: each round takes the applicable fixes whose edits do not overlap
//! (in file order, so the choice is deterministic), applies them, and lints the result again;
//! later rounds pick up fixes that overlapped. A round whose result does not parse, or has a
//! finding the original did not have, is not kept.
use crate::finding::{Applicability, Edit, Finding};
use std::collections::HashMap;

/// Rounds before podlint stops looking for more fixes; real files settle in one or two.
pub const MAX_ROUNDS: usize = 8;

#[derive(Debug)]
pub struct FixResult {
    pub text: String,
    /// Findings whose fix was applied, as they were reported on the original text.
    pub fixed: Vec<Finding>,
    /// Why fixing stopped early, when it did.
    pub refused: Option<String>,
}

pub fn applicable(finding: &Finding, unsafe_fixes: bool) -> bool {
    finding.fix.as_ref().is_some_and(|f| {
        f.applicability == Applicability::Safe || (unsafe_fixes && f.applicability == Applicability::Unsafe)
    })
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    // Two insertions at one point would be applied in an order nobody chose.
    a.start < b.end && b.start < a.end || a.start == b.start
}

/// The fixes of one round: applicable, in file order, none overlapping another.
pub fn choose(findings: &[Finding], unsafe_fixes: bool) -> Vec<&Finding> {
    let mut candidates: Vec<&Finding> = findings.iter().filter(|f| applicable(f, unsafe_fixes)).collect();
    candidates.sort_by_key(|f| f.fix.as_ref().and_then(|x| x.edits.iter().map(|e| e.start).min()).unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut chosen = Vec::new();
    for finding in candidates {
        let Some(fix) = &finding.fix else { continue };
        // The same edit from two findings (a node reached through two aliases) is one edit.
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !taken.contains(e)).collect();
        if new.iter().any(|e| taken.iter().any(|t| overlaps(e, t))) {
            continue;
        }
        taken.extend(new);
        chosen.push(finding);
    }
    chosen
}

/// Applies edits that do not overlap, from the end of the text backwards so that earlier
/// offsets stay valid.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.to_vec();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    let mut out = text.to_string();
    for edit in edits.iter().rev() {
        let (start, end) = (edit.start as usize, edit.end as usize);
        if start <= end && end <= out.len() && out.is_char_boundary(start) && out.is_char_boundary(end) {
            out.replace_range(start..end, &edit.replacement);
        }
    }
    out
}

/// What a finding is, apart from where: fixing text moves positions.
fn key(finding: &Finding) -> (&'static str, &str) {
    (finding.rule, &finding.message)
}

/// Fixes `text` to a fixed point. `lint` lints a version of the file's text.
pub fn fix_text(text: &str, unsafe_fixes: bool, lint: impl Fn(&str) -> Vec<Finding>) -> FixResult {
    let original = lint(text);
    let mut allowed: HashMap<(&'static str, String), usize> = HashMap::new();
    for f in &original {
        *allowed.entry((f.rule, f.message.clone())).or_default() += 1;
    }
    let mut current = text.to_string();
    let mut findings = original.clone();
    let mut fixed = Vec::new();
    let mut refused = None;
    for _ in 0..MAX_ROUNDS {
        let chosen = choose(&findings, unsafe_fixes);
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<&Edit> = chosen.iter().flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter())).collect();
        let candidate = apply(&current, &edits);
        if candidate == current {
            break;
        }
        let after = lint(&candidate);
        let mut counts: HashMap<(&'static str, &str), usize> = HashMap::new();
        for f in &after {
            *counts.entry(key(f)).or_default() += 1;
        }
        let gained = counts
            .iter()
            .find(|((rule, message), n)| **n > allowed.get(&(*rule, (*message).to_string())).copied().unwrap_or(0));
        if let Some(((rule, message), _)) = gained {
            refused = Some(format!(
                "a fix would introduce a new finding ({rule}: {message}); the file was fixed only up to that point"
            ));
            break;
        }
        // Report each fixed finding as it was on the original text where it still matches.
        for f in &chosen {
            let at_start = original.iter().find(|o| key(o) == key(f)).unwrap_or(f);
            fixed.push(at_start.clone());
        }
        current = candidate;
        findings = after;
    }
    FixResult { text: current, fixed, refused }
}

/// A unified diff that `patch -p1` applies (paths are prefixed `a/` and `b/`).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let path = path.trim_start_matches("./");
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, replacement: &str) -> Edit {
        Edit { start, end, replacement: replacement.into() }
    }

    #[test]
    fn edits_apply_back_to_front() {
        let text = "apiversion: v1\nkind: pod\n";
        let a = edit(0, 10, "apiVersion");
        let b = edit(21, 24, "Pod");
        assert_eq!(apply(text, &[&b, &a]), "apiVersion: v1\nkind: Pod\n");
    }

    #[test]
    fn overlapping_edits_wait_for_the_next_round() {
        assert!(overlaps(&edit(0, 5, "x"), &edit(4, 6, "y")));
        assert!(overlaps(&edit(3, 3, "x"), &edit(3, 3, "y")));
        assert!(!overlaps(&edit(0, 5, "x"), &edit(5, 6, "y")));
    }

    #[test]
    fn diffs_carry_git_style_paths() {
        let diff = unified_diff("./k8s/a.yaml", "kind: pod\n", "kind: Pod\n");
        assert!(
            diff.starts_with("--- a/k8s/a.yaml\n+++ b/k8s/a.yaml\n@@ -1 +1 @@\n-kind: pod\n+kind: Pod\n"),
            "{diff}"
        );
    }
}
