//! `--fix` and `--diff`: apply findings' byte-range edits to the original text, so that
//! comments, blank lines, key order, quoting and indentation elsewhere stay as they were.
//!
//! Fixes are applied in rounds: each round takes the applicable fixes whose edits do not overlap
//! (in file order, so the choice is deterministic), applies them, and lints the result again;
//! later rounds pick up fixes that overlapped. A round whose result does not parse, or has a
//! finding the original did not have, is not kept.
use std::collections::{BTreeMap, HashMap};

use crate::finding::{Applicability, Edit, Finding};
use crate::source::Input;
use crate::source::discover::describe_io;
use crate::workspace::Workspace;

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

#[cfg(test)]
fn overlaps(a: &Edit, b: &Edit) -> bool {
    // Two insertions at one point would be applied in an order nobody chose.
    a.start < b.end && b.start < a.end || a.start == b.start
}

/// The edits a round has taken, by start. They never overlap, so an edit overlaps one of them
/// exactly when one starts inside it (or where it starts), or the one before it reaches into it.
#[derive(Default)]
struct Taken<'f> {
    by_start: BTreeMap<u32, &'f Edit>,
}

impl<'f> Taken<'f> {
    fn contains(&self, edit: &Edit) -> bool {
        self.by_start.get(&edit.start).is_some_and(|t| *t == edit)
    }

    fn overlaps(&self, edit: &Edit) -> bool {
        let inside = self.by_start.range(edit.start..edit.end.max(edit.start + 1)).next().is_some();
        let before = self.by_start.range(..edit.start).next_back().is_some_and(|(_, t)| t.end > edit.start);
        inside || before
    }
}

/// The fixes of one round: applicable, in file order, none overlapping another.
pub fn choose(findings: &[Finding], unsafe_fixes: bool) -> Vec<&Finding> {
    let mut candidates: Vec<&Finding> = findings.iter().filter(|f| applicable(f, unsafe_fixes)).collect();
    candidates.sort_by_key(|f| f.fix.as_ref().and_then(|x| x.edits.iter().map(|e| e.start).min()).unwrap_or(0));
    let mut taken = Taken::default();
    let mut chosen = Vec::new();
    for finding in candidates {
        let Some(fix) = &finding.fix else { continue };
        // The same edit from two findings (a node reached through two aliases) is one edit.
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !taken.contains(e)).collect();
        let clash = new.iter().enumerate().any(|(i, e)| {
            taken.overlaps(e)
                || new[..i].iter().any(|other| other.start < e.end && e.start < other.end || other.start == e.start)
        });
        if clash {
            continue;
        }
        for edit in new {
            taken.by_start.insert(edit.start, edit);
        }
        chosen.push(finding);
    }
    chosen
}

/// Applies edits that do not overlap, building the result front to back (one pass over the
/// text however many edits a large file gets).
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.to_vec();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for edit in edits {
        let (start, end) = (edit.start as usize, edit.end as usize);
        let valid = start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end);
        if !valid || start < cursor {
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
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
    // Each fixed finding is reported as it was on the original text, found by what it is.
    let mut as_found: HashMap<(&'static str, &str), &Finding> = HashMap::new();
    for f in &original {
        *allowed.entry((f.rule, f.message.clone())).or_default() += 1;
        as_found.entry(key(f)).or_insert(f);
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
            let at_start = as_found.get(&key(f)).copied().unwrap_or(f);
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

/// What fixing a workspace did.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// Unified diffs of the files that would change, in file order (`--diff`).
    pub diffs: Vec<String>,
    /// Whether any file changed (or, with `--diff`, would).
    pub changed: bool,
    /// Fixed texts of in-memory inputs (standard input), which are not written anywhere.
    pub texts: Vec<(String, String)>,
    /// Files where fixing stopped early, each with why.
    pub refused: Vec<String>,
    /// Files that could not be read or written.
    pub errors: Vec<String>,
    /// The findings repaired, as they were before, each with `fixed` set.
    pub fixed: Vec<Finding>,
}

/// Fixes every file of a workspace that has an applicable fix, to a fixed point. Each round
/// lints the new version against the rest of the workspace (`Workspace::check_version`), so the
/// files are fixed in parallel. Unless `diff_only`, changed files are written atomically and
/// the workspace is updated, so that its report says what remains.
pub fn fix_workspace(workspace: &mut Workspace, unsafe_fixes: bool, diff_only: bool) -> FixOutcome {
    use rayon::prelude::*;
    let first = workspace.report();
    let mut candidates: Vec<&str> = Vec::new();
    for finding in &first.findings {
        // Findings mapped to a Helm template name a file that is not the one read.
        if applicable(finding, unsafe_fixes)
            && finding.location.template.is_none()
            && !candidates.contains(&&*finding.file)
        {
            candidates.push(&finding.file);
        }
    }
    let ws = &*workspace;
    type Fixed = Result<(String, FixResult, bool), String>;
    let results: Vec<(&str, Fixed)> = candidates
        .par_iter()
        .map(|&name| {
            let text = ws.text_of(name);
            let fixed = text.map(|(text, in_memory)| {
                let result = fix_text(&text, unsafe_fixes, |t| ws.check_version(name, t));
                (text, result, in_memory)
            });
            (name, fixed)
        })
        .collect();
    let mut outcome = FixOutcome::default();
    let mut updates = Vec::new();
    for (name, result) in results {
        let (original, result, in_memory) = match result {
            Ok(done) => done,
            Err(message) => {
                outcome.errors.push(message);
                continue;
            }
        };
        if let Some(why) = &result.refused {
            outcome.refused.push(format!("{name}: {why}"));
        }
        if result.text == original {
            continue;
        }
        outcome.changed = true;
        if diff_only {
            outcome.diffs.push(unified_diff(name, &original, &result.text));
            continue;
        }
        let fixed = result.fixed.into_iter().map(|f| Finding { fixed: true, ..f });
        if in_memory {
            updates.push(Input::memory(name, result.text.as_bytes()));
            outcome.texts.push((name.to_string(), result.text));
            outcome.fixed.extend(fixed);
            continue;
        }
        match crate::output::write_atomically(std::path::Path::new(name), result.text.as_bytes()) {
            Ok(()) => {
                outcome.fixed.extend(fixed);
                updates.push(Input::File(name.to_string()));
            }
            Err(e) => outcome.errors.push(format!("{name}: writing the fixed file: {}", describe_io(&e))),
        }
    }
    if !updates.is_empty() {
        workspace.update(updates);
    }
    outcome
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
