//! Suppressions: comment directives and object annotations that silence findings.
//!
//! A stage of its own, in three steps: `parse` reads a directive, `scan` collects a file's table
//! while its text and tree are at hand, and the table here is applied once the rules that look
//! across the run have had their say, so that a comment in a Service's file also silences what
//! only the whole run could find. The table holds byte ranges and rule ids, plus where each
//! directive is written, so an unused one can be reported after the text is gone. Applying it
//! does not change it: an editor applies a file's table again after every change elsewhere.
mod parse;
mod scan;

use std::sync::{Arc, OnceLock};

use crate::finding::{Finding, Location, ObjectInfo, Severity};
use crate::rules::unused_suppression::{Complaint, Scope};
use crate::rules::{self, UNUSED_SUPPRESSION};

pub use scan::{collect, collect_part, region};

/// `metadata.annotations` key prefix that ignores one rule for an object: `<prefix><rule-id>`.
pub const ANNOTATION_PREFIX: &str = "ignore-check.podlint.dev/";
/// `metadata.annotations` key that ignores every rule for an object.
pub const ANNOTATION_ALL: &str = "podlint.dev/ignore-all";

/// A rule a suppression names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    All,
    Rule(&'static str),
}

impl Target {
    fn parse(id: &str) -> Option<Target> {
        if id == "all" {
            return Some(Target::All);
        }
        if let Some(rule) = rules::find(id) {
            return Some(Target::Rule(rule.meta().id));
        }
        // A policy's findings may be named before (or without) the run holding the policy.
        rules::dynamic::is_policy_id(id).then(|| Target::Rule(rules::dynamic::intern_id(id)))
    }

    fn id(self) -> &'static str {
        match self {
            Target::All => "all",
            Target::Rule(id) => id,
        }
    }

    fn matches(self, rule: &str) -> bool {
        match self {
            // A blanket suppression must not also hide that suppressions have gone stale: that
            // takes naming the rule.
            Target::All => rule != UNUSED_SUPPRESSION.id,
            Target::Rule(id) => id == rule,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Ignore,
    Disable,
    Enable,
    FileIgnore,
    Annotation,
    Malformed,
}

#[derive(Debug)]
enum Problem {
    Malformed(String),
    UnknownRule { id: Box<str>, suggestion: Option<&'static str> },
    NothingToEnable(Vec<&'static str>),
}

/// A comment directive or an annotation, kept for reporting.
#[derive(Debug)]
struct Directive {
    form: Form,
    /// `ignore[image-tag]` as normalised, or the annotation key.
    label: Box<str>,
    /// The comment text, or the annotation key.
    at: Location,
    object: Option<Arc<ObjectInfo>>,
    named: Vec<Target>,
    problems: Vec<Problem>,
}

/// One rule silenced over a byte range, on behalf of one directive.
#[derive(Debug)]
struct Cover {
    start: u32,
    /// `u32::MAX` for "to the end of the file".
    end: u32,
    target: Target,
    directive: usize,
    /// A `disable` range or a `file-ignore`: may span most of the file.
    wide: bool,
}

impl Cover {
    /// An empty range (a key with no value) still covers a finding at its start.
    fn contains(&self, at: u32) -> bool {
        self.start <= at && (at < self.end || at == self.start)
    }
}

/// A file's suppressions. Empty (and free) for the files that never spell `podlint`.
#[derive(Debug, Default)]
pub struct Suppressions {
    path: Option<Arc<str>>,
    directives: Vec<Directive>,
    covers: Vec<Cover>,
    lookup: OnceLock<CoverLookup>,
}

impl Suppressions {
    /// Joins the table of the next part of the same file.
    pub fn merge(&mut self, other: Suppressions) {
        let offset = self.directives.len();
        if self.path.is_none() {
            self.path = other.path;
        }
        self.directives.extend(other.directives);
        self.covers.extend(other.covers.into_iter().map(|c| Cover { directive: c.directive + offset, ..c }));
        self.lookup = OnceLock::new();
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// Whether a suppression covers a finding of `rule` at `at`. Nothing is marked used: this is
    /// for deciding early that a finding will not be shown.
    pub fn covers(&self, rule: &str, at: u32) -> bool {
        let mut covered = false;
        self.each_cover(at, |cover| covered |= cover.target.matches(rule));
        covered
    }

    /// Calls `found` with the index of every cover containing `at`.
    fn each_cover(&self, at: u32, mut found: impl FnMut(&Cover)) {
        if self.covers.is_empty() {
            return;
        }
        let lookup = self.lookup.get_or_init(|| CoverLookup::new(&self.covers));
        lookup.each(&self.covers, at, |i| found(&self.covers[i]));
    }

    /// Drops the findings a suppression covers, then adds the `unused-suppression` findings
    /// (which suppressions cover too). `judged` says whether a rule had its chance to report in
    /// this evaluation; only then is a suppression that silenced nothing called unused. Returns
    /// how many distinct findings were suppressed.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        judged: &dyn Fn(&'static str) -> bool,
        unused: Option<Severity>,
    ) -> usize {
        if self.directives.is_empty() {
            return 0;
        }
        let lookup = self.lookup.get_or_init(|| CoverLookup::new(&self.covers));
        let mut used = vec![false; self.covers.len()];
        let mut suppressed: Vec<(&'static str, crate::yaml::Span, String)> = Vec::new();
        let covers = &self.covers;
        let keep = |f: &Finding, used: &mut [bool], suppressed: &mut Vec<_>| {
            let mut covered = false;
            lookup.each(covers, f.location.span.start, |i| {
                if covers[i].target.matches(f.rule) {
                    used[i] = true;
                    covered = true;
                }
            });
            if covered {
                suppressed.push((f.rule, f.location.span, f.message.clone()));
            }
            !covered
        };
        findings.retain(|f| keep(f, &mut used, &mut suppressed));
        let mut complaints = self.complaints(unused, judged, &used);
        complaints.retain(|f| keep(f, &mut used, &mut suppressed));
        findings.append(&mut complaints);
        // An aliased node is checked once per alias; the run reports those findings once.
        suppressed.sort();
        suppressed.dedup();
        suppressed.len()
    }

    fn complaints(
        &self,
        unused: Option<Severity>,
        judged: &dyn Fn(&'static str) -> bool,
        used: &[bool],
    ) -> Vec<Finding> {
        let Some(severity) = unused else { return Vec::new() };
        let Some(path) = &self.path else { return Vec::new() };
        // A suppression that silences unused-suppression findings cannot itself be judged by that
        // rule without going round in circles.
        let judges = |target: Target| match target {
            Target::All => true,
            Target::Rule(id) => id != UNUSED_SUPPRESSION.id && judged(id),
        };
        let mut used_by: Vec<Vec<Target>> = vec![Vec::new(); self.directives.len()];
        for (cover, _) in self.covers.iter().zip(used).filter(|(_, used)| **used) {
            used_by[cover.directive].push(cover.target);
        }
        let mut out = Vec::new();
        for (index, directive) in self.directives.iter().enumerate() {
            let scope = match directive.form {
                // A malformed comment is reported for its reason alone, which names no scope.
                Form::Ignore | Form::Malformed => Scope::Node,
                Form::Disable | Form::Enable => Scope::Range,
                Form::FileIgnore => Scope::File,
                Form::Annotation => Scope::Object,
            };
            let mut complain = |complaint: Complaint<'_>| {
                let (message, help) = complaint.describe();
                out.push(Finding {
                    rule: UNUSED_SUPPRESSION.id,
                    severity,
                    message,
                    help: Some(help),
                    file: path.clone(),
                    location: directive.at.clone(),
                    object: directive.object.clone(),
                    fix: None,
                    fixed: false,
                });
            };
            let label = &*directive.label;
            for problem in &directive.problems {
                match problem {
                    Problem::Malformed(reason) => complain(Complaint::Malformed { reason }),
                    Problem::UnknownRule { id, suggestion } => {
                        complain(Complaint::UnknownRule { label, scope, id, suggestion: *suggestion })
                    }
                    Problem::NothingToEnable(rules) => complain(Complaint::NothingToEnable { label, rules }),
                }
            }
            if matches!(directive.form, Form::Enable | Form::Malformed) {
                continue;
            }
            let unused: Vec<&'static str> = directive
                .named
                .iter()
                .filter(|&&t| judges(t))
                .filter(|t| !used_by[index].contains(t))
                .map(|t| t.id())
                .collect();
            if !unused.is_empty() {
                complain(Complaint::Unused { label, scope, rules: &unused, named: directive.named.len() });
            }
        }
        out
    }
}

/// Covers sorted for point queries. Ranges that may span much of a file (`disable`,
/// `file-ignore`) are few and checked one by one; the others (a node, an object) are sorted by
/// start with the furthest end so far, so a query walks back only over covers that can still
/// reach it.
#[derive(Debug, Default)]
struct CoverLookup {
    wide: Vec<usize>,
    by_start: Vec<usize>,
    furthest_end: Vec<u32>,
}

impl CoverLookup {
    fn new(covers: &[Cover]) -> Self {
        let (wide, mut by_start): (Vec<usize>, Vec<usize>) = (0..covers.len()).partition(|&i| covers[i].wide);
        by_start.sort_by_key(|&i| (covers[i].start, i));
        let mut furthest = 0;
        let furthest_end = by_start
            .iter()
            .map(|&i| {
                furthest = furthest.max(covers[i].end);
                furthest
            })
            .collect();
        CoverLookup { wide, by_start, furthest_end }
    }

    fn each(&self, covers: &[Cover], at: u32, mut found: impl FnMut(usize)) {
        for &i in &self.wide {
            if covers[i].contains(at) {
                found(i);
            }
        }
        let after = self.by_start.partition_point(|&i| covers[i].start <= at);
        for position in (0..after).rev() {
            // No cover at or before this position ends at or after `at`.
            if self.furthest_end[position] < at {
                break;
            }
            let i = self.by_start[position];
            if covers[i].contains(at) {
                found(i);
            }
        }
    }
}
