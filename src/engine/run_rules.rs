//! The rules that look across the run, over the object index. They report through the same
//! path as every rule: severity from the settings, then the file's suppressions and sorting.
use rustc_hash::FxHashMap;

use super::Engine;
use super::finish::to_finding;
use crate::finding::Finding;
use crate::index::{FileId, IndexView};
use crate::rules::{self, RuleMeta, RunRuleContext, Shown};
use crate::suppress::Suppressions;
use crate::yaml::Span;

/// Runs every active run rule; findings come back with the file they belong to.
pub fn run(engine: &Engine, view: &IndexView<'_>, shown: &dyn Shown) -> Vec<(FileId, Finding)> {
    let settings = &engine.settings;
    let mut out = Vec::new();
    for rule in &engine.rules.per_run {
        let mut cx = RunRuleContext::new(&engine.context, settings.kubernetes_version, &settings.options, shown);
        rule.check_run(view, &mut cx);
        for (object, raw) in cx.findings {
            let Some(path) = view.path(object.file) else { continue };
            let info = view.object(object).info.clone();
            if let Some(finding) = to_finding(settings, None, path, raw, Some(&info)) {
                out.push((object.file, finding));
            }
        }
    }
    out
}

/// Whether a rule had its chance to report in an evaluation: it is active, and the run holds
/// what it needs to reach a verdict. A suppression naming a rule that was not judged is not
/// called unused.
pub fn judged<'a>(engine: &'a Engine, view: Option<&'a IndexView<'a>>) -> impl Fn(&'static str) -> bool + 'a {
    move |id| {
        let Some(rule) = rules::find(id) else { return false };
        let meta = rule.meta();
        if !rules::is_builtin(id) {
            // A policy's findings are judged where the run binds the policy; a custom rule's
            // where the configuration defines it.
            let defined = match id.strip_prefix(rules::dynamic::POLICY_PREFIX) {
                Some(name) => engine.context.policies.as_ref().is_some_and(|p| p.enforces(name)),
                None => engine.settings.custom_rules.metas().any(|m| m.id == id),
            };
            return defined && engine.settings.severity_of(meta).is_some();
        }
        engine.rules.is_active(id) && meta.needs.iter().all(|&class| view.is_some_and(|v| v.holds(class)))
    }
}

/// Decides early whether a finding will be shown, from the files' suppression tables and
/// per-file ignores, so that a suppressed finding's help is never computed.
pub struct Visibility<'a> {
    pub engine: &'a Engine,
    pub suppressions: FxHashMap<FileId, &'a Suppressions>,
    pub paths: FxHashMap<FileId, &'a str>,
}

impl Shown for Visibility<'_> {
    fn shown(&self, rule: &'static RuleMeta, file: FileId, span: Span) -> bool {
        if self.suppressions.get(&file).is_some_and(|s| s.covers(rule.id, span.start)) {
            return false;
        }
        let paths = &self.engine.settings.paths;
        !self.paths.get(&file).is_some_and(|path| paths.ignores(path, rule))
    }
}
