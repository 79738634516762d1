//! Helpers the rules about links share: one field naming another (a selector and labels, a port
//! and its name), where the useful help is the list of what exists and the closest spelling.
use crate::finding::Location;
use crate::index::{IndexView, ObjectId, Reference};
use crate::rules::{RuleMeta, RunRuleContext};

/// The candidate a misspelt name most likely meant (the project-wide rule, `suggest::closest`).
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    crate::suggest::closest(word, candidates.iter().copied())
}

/// Whether a name is a template's placeholder (`${VAR}`, `$(VAR)`, `<name>`, `{{ .x }}`),
/// filled in by a tool before the object reaches the cluster: not a name to look up.
pub fn is_placeholder(name: &str) -> bool {
    name.contains("${") || name.contains("$(") || name.contains("{{") || (name.contains('<') && name.contains('>'))
}

/// `a`, `b` and `c`: names in backticks, as messages quote them.
pub fn quoted_list<S: AsRef<str>>(names: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A label set as people write it in flow style, inside backticks: `app: web, tier: front`.
pub fn labels_text<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{}: {}", k.as_ref(), v.as_ref())).collect();
    format!("`{}`", inner.join(", "))
}

/// A port written as a string of digits: Kubernetes reads it as a port *name*, and a port name
/// must contain a letter, so the API server rejects it.
pub fn is_quoted_number(port: &str) -> bool {
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
}

/// Why a string cannot be a port name, by the rules the API server checks (an IANA service
/// name); the syntax itself lives in `k8s::names`.
pub fn port_name_problem(name: &str) -> Option<String> {
    crate::k8s::names::port_name(name).err().map(|reason| format!("a port name {reason}"))
}

/// `path:line` of an object of the index: where help says a target or its nearest match lives.
pub fn place_of(index: &IndexView<'_>, id: ObjectId) -> String {
    let path = index.path(id.file).map(|p| p.to_string()).unwrap_or_default();
    format!("{path}:{}", index.object(id).line)
}

/// Most objects of a kind the help of one missing name compares it with, the first in run
/// order: all of them in a namespace of one application, and a bounded search however many
/// objects a namespace holds (tests/linear_work.rs holds help to a fixed cost per finding).
const NEAR_NAMES: usize = 8;

/// A reference by name that matches no object, as `report_missing_name` words it.
pub struct MissingName<'m> {
    pub rule: &'static RuleMeta,
    pub kind: &'static str,
    pub name: &'m str,
    /// What follows when the target is really missing: `the container cannot start`.
    pub consequence: &'m str,
    /// What to do when the target is made outside the linted files; empty for nothing.
    pub remedy: &'m str,
}

/// Reports a reference whose name matches no object of its kind that a reference from
/// `namespace` could mean, with the closest name and where it lives. Silent when the run holds
/// no object of that kind there: the objects are kept elsewhere (Secrets outside git, Services
/// of another repository), and every reference would look missing.
pub fn report_missing_name(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    subject: ObjectId,
    namespace: Option<&str>,
    reference: &Reference,
    missing: MissingName<'_>,
) {
    report_missing_name_at(index, cx, subject, namespace, &reference.at, missing);
}

/// `report_missing_name` for a name read outside the reference rows (an HPA's target).
pub fn report_missing_name_at(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    subject: ObjectId,
    namespace: Option<&str>,
    at: &Location,
    missing: MissingName<'_>,
) {
    let MissingName { rule, kind, name, consequence, remedy } = missing;
    if index.kind_near(kind, namespace, 1).is_empty() {
        return;
    }
    let within = match namespace {
        Some(ns) => format!(" in namespace `{ns}`"),
        None => String::new(),
    };
    let there = if namespace.is_some() { " there" } else { "" };
    let message = format!(
        "no {kind} `{name}`{within} among the linted files, which hold other {kind}s{there}; if it is missing, {consequence}"
    );
    cx.report(rule, subject, at, message, || {
        let near = index.kind_near(kind, namespace, NEAR_NAMES);
        let mut names: Vec<&str> = near.iter().filter_map(|&id| index.object(id).info.name.as_deref()).collect();
        // The same name may be written in several files (overlays, one per environment).
        let mut seen = rustc_hash::FxHashSet::default();
        names.retain(|n| seen.insert(*n));
        index.work().similarity.fetch_add(names.len() as u64, std::sync::atomic::Ordering::Relaxed);
        if let Some(guess) = did_you_mean(name, &names)
            && let Some(&id) = near.iter().find(|&&id| index.object(id).info.name.as_deref() == Some(guess))
        {
            return Some(format!("did you mean {kind} `{guess}` ({})?", place_of(index, id)));
        }
        let shown: Vec<&str> = names.iter().copied().take(5).collect();
        let more = if names.len() > shown.len() { ", …" } else { "" };
        let listed = format!("the {kind}s{within} are {}{more}", quoted_list(&shown, "and"));
        Some(if remedy.is_empty() {
            listed
        } else {
            format!("{listed}; if this one is made outside these files, {remedy}")
        })
    });
}

/// `report_missing_name` for a reference whose name matches no object of its kind that a
/// reference from `namespace` could mean. Empty names (the schema stage's business) and
/// placeholders are not judged.
pub fn report_if_missing(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    subject: ObjectId,
    namespace: Option<&str>,
    reference: &Reference,
    missing: MissingName<'_>,
) {
    if missing.name.is_empty()
        || is_placeholder(missing.name)
        || !index.named(missing.kind, namespace, missing.name).is_empty()
    {
        return;
    }
    report_missing_name(index, cx, subject, namespace, reference, missing);
}

/// How help names the pods of an object: `Deployment/web`, with its file when it is not the
/// file of the object that refers to it.
pub fn describe_pods(index: &IndexView<'_>, pods: ObjectId, from: ObjectId) -> String {
    let name = index.object(pods).info.label().unwrap_or_else(|| "a pod template".to_string());
    if pods.file == from.file {
        return name;
    }
    match index.path(pods.file) {
        Some(path) => format!("{name} ({path})"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_written() {
        assert_eq!(quoted_list(&["a"], "or"), "`a`");
        assert_eq!(quoted_list(&["a", "b", "c"], "and"), "`a`, `b` and `c`");
        assert_eq!(labels_text(&[("app", "web"), ("tier", "front")]), "`app: web, tier: front`");
    }

    #[test]
    fn suggestions_are_close_or_absent() {
        assert_eq!(did_you_mean("htpp", &["metrics", "http"]), Some("http"));
        assert_eq!(did_you_mean("HTTP", &["http"]), Some("http"));
        assert_eq!(did_you_mean("grpc", &["metrics", "http"]), None);
        assert_eq!(did_you_mean("x", &[]), None);
    }

    #[test]
    fn port_names_follow_the_api_server() {
        assert!(is_quoted_number("8080"));
        assert!(!is_quoted_number("http") && !is_quoted_number("h2c") && !is_quoted_number(""));
        assert_eq!(port_name_problem("http-alt"), None);
        assert_eq!(port_name_problem("h2c"), None);
        assert!(port_name_problem("Metrics").is_some());
        assert!(port_name_problem("8080").is_some());
        assert!(port_name_problem("-http").is_some() && port_name_problem("a--b").is_some());
        assert!(port_name_problem("a-very-long-port-name").is_some());
    }
}
