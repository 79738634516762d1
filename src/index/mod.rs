//! The object index: what every question across the run is answered from, built once per run
//! from one part per file, so that one file's part can be replaced (an editor's change, a round
//! of `--fix`) without reading the others again.
//!
//! Each lookup is a hash probe plus a walk over the objects that share the probed key; no
//! question scans the whole run. Keys are hashes of the strings (kind, label pair, namespace):
//! a collision only adds a candidate that the caller's exact check then drops.
pub mod labels;
pub mod references;
pub mod scaling;

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::finding::{Location, ObjectInfo};
pub use labels::{Label, PodLabels};
pub use references::{Reference, ReferenceRow, Selector, Target};

/// A file's place in the run: its position among the inputs.
pub type FileId = u32;

/// An object of the index: the file it is in and its position among that file's objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    pub file: FileId,
    pub local: u32,
}

/// What one file contributes to the index.
#[derive(Debug, Default)]
pub struct IndexPart {
    /// The file's name in reports.
    pub path: Arc<str>,
    pub objects: Vec<IndexedObject>,
}

/// The facts kept about one object: enough to answer questions about it after its file's text
/// and tree are gone.
#[derive(Debug)]
pub struct IndexedObject {
    pub info: Arc<ObjectInfo>,
    /// False for partial objects (patches), which name what they change, not all they are.
    pub complete: bool,
    /// The pods it makes, for a Pod or an object with a pod template.
    pub pod: Option<PodFacts>,
    pub references: Vec<Reference>,
    /// The line the object starts on, for help that says where a target lives.
    pub line: u32,
    pub facts: TargetFacts,
    /// Findings run rules made while the object's file was read, each waiting for the rule to
    /// see the whole run before it is reported or dropped.
    pub held: Vec<HeldFinding>,
}

/// A finding made in the per-file pass, kept with its location (the file's text is gone by the
/// time the run is judged) until its run rule decides (`RunRuleContext::release`).
#[derive(Debug)]
pub struct HeldFinding {
    pub rule: &'static str,
    pub at: Location,
    pub message: String,
    pub help: Option<String>,
}

impl IndexedObject {
    pub fn kind(&self) -> Option<&str> {
        self.info.kind.as_deref()
    }

    pub fn namespace(&self) -> Option<&str> {
        self.info.namespace.as_deref()
    }

    /// The findings `rule` held for this object.
    pub fn held_of<'o>(&'o self, rule: &'static str) -> impl Iterator<Item = &'o HeldFinding> + 'o {
        self.held.iter().filter(move |h| h.rule == rule)
    }

    pub fn references_of<'o>(&'o self, row: &'static ReferenceRow) -> impl Iterator<Item = &'o Reference> + 'o {
        self.references.iter().filter(move |r| std::ptr::eq(r.row, row))
    }

    fn labels(&self) -> Option<&PodLabels> {
        self.pod.as_ref().map(|p| &p.labels)
    }

    fn selected_by(&self, selector: &[Label]) -> bool {
        self.labels().is_some_and(|l| l.selected_by(selector))
    }
}

/// What references to an object may ask of it, gathered only for the kinds some rule of the run
/// points at.
#[derive(Debug, Default)]
pub struct TargetFacts {
    /// A ConfigMap's or Secret's keys (`data`, `stringData`, `binaryData`), sorted; `None` when
    /// it writes none of those fields (its data comes from elsewhere: a controller, a tool).
    pub keys: Option<Vec<String>>,
    /// A Service's ports: number and name, as written.
    pub ports: Vec<(Option<i64>, Option<String>)>,
    /// A Service that writes `clusterIP: None`: DNS names its pods one by one.
    pub headless: bool,
    /// A PersistentVolumeClaim's access modes, as written.
    pub access_modes: Vec<String>,
    /// The claims a StatefulSet's pod volumes name that its controller replaces by the claims
    /// of the `volumeClaimTemplates` of the same volume name (one per pod).
    pub templated_claims: Vec<String>,
    /// A custom resource's labels (its own and its `podMetadata`'s): an operator may make pods
    /// from it that no manifest shows.
    pub custom: Option<Vec<(String, String)>>,
    /// A HorizontalPodAutoscaler's own references: its target, metrics and bounds.
    pub scaler: Option<Box<scaling::ScalerFacts>>,
}

/// The pods an object makes, as selectors see them.
#[derive(Debug, Default)]
pub struct PodFacts {
    pub labels: PodLabels,
    /// Names of the container ports Endpoints resolve (app containers and native sidecars),
    /// each once, sorted.
    pub port_names: Vec<String>,
    /// Numbers of the same containers' ports, each once, sorted.
    pub port_numbers: Vec<i64>,
    /// Replicas and requests, kept when some rule of the run reads autoscalers.
    pub scale: Option<Box<scaling::ScaleFacts>>,
    /// How many of these pods may run at once, as written.
    pub at_once: PodsAtOnce,
}

/// How many pods an object runs at the same time, by what its manifest writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PodsAtOnce {
    /// A Pod, or a count of 1 (written or defaulted), or one that is not a number.
    #[default]
    One,
    /// `replicas` (or a Job's `parallelism`) above 1, as written.
    Count(i64),
    /// A DaemonSet: one per node.
    EveryNode,
}

/// Kinds of objects a rule may need in the run before it can reach a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectClass {
    /// Pods and objects with a pod template (not PodTemplate objects, which run nothing).
    Pods,
    /// Objects of this kind.
    Kind(&'static str),
}

/// Work the index did, counted so that a test can hold it to linear growth without timing.
#[derive(Debug, Default)]
pub struct Work {
    /// Hash probes.
    pub lookups: AtomicU64,
    /// Candidate objects examined after a probe, and objects walked to build lookup tables.
    pub candidates: AtomicU64,
    /// String-similarity comparisons made for "did you mean" help.
    pub similarity: AtomicU64,
}

/// A snapshot of `Work`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkCount {
    pub lookups: u64,
    pub candidates: u64,
    pub similarity: u64,
}

impl WorkCount {
    pub fn total(&self) -> u64 {
        self.lookups + self.candidates + self.similarity
    }
}

impl Work {
    pub fn count(&self) -> WorkCount {
        WorkCount {
            lookups: self.lookups.load(Relaxed),
            candidates: self.candidates.load(Relaxed),
            similarity: self.similarity.load(Relaxed),
        }
    }
}

#[derive(Debug, Default)]
pub struct ObjectIndex {
    parts: Vec<Option<Arc<IndexPart>>>,
    maps: OnceLock<Maps>,
    /// Spelling tables, built on first use for a scope (a namespace, objects without one, or
    /// the whole run): pods by (label key, a spelling signature of its value), for the keys
    /// selectors name. What finds a typo of a selector's value among the pods it could reach.
    spellings: Mutex<FxHashMap<u64, Arc<Table>>>,
}

fn spelling_key(key: u64, signature: u64) -> u64 {
    let mut hasher = FxHasher::default();
    (key, signature).hash(&mut hasher);
    hasher.finish()
}

/// Every label key and value some selector of the run names: pods' other labels can match no
/// selector, so the lookup tables leave them out.
#[derive(Debug, Default)]
struct Vocabulary {
    pairs: FxHashSet<Label>,
    keys: FxHashSet<u64>,
    values: FxHashSet<u64>,
}

impl Vocabulary {
    fn add_part(&mut self, part: &IndexPart) {
        for object in &part.objects {
            for reference in &object.references {
                if let Target::Selector(selector) = &reference.target {
                    self.add(&selector.hashed);
                }
            }
        }
    }

    fn add(&mut self, selector: &[Label]) {
        for &label in selector {
            self.pairs.insert(label);
            self.keys.insert(label.key);
            self.values.insert(label.value);
        }
    }

    fn covers(&self, selector: &[Label]) -> bool {
        selector.iter().all(|l| self.pairs.contains(l))
    }
}

/// Ids by key: one array of ids sorted by key, and where each key's ids start and end. No
/// allocation per key, which matters when every pod brings dozens of keys; one probe per lookup.
#[derive(Debug, Default)]
struct Table {
    ranges: FxHashMap<u64, (u32, u32)>,
    ids: Vec<ObjectId>,
}

impl Table {
    /// `entries` in any order; each key keeps at most `cap` ids, the first in run order.
    fn new(mut entries: Vec<(u64, ObjectId)>, cap: Option<usize>) -> Table {
        entries.sort_unstable();
        entries.dedup();
        let mut table = Table { ranges: FxHashMap::default(), ids: Vec::with_capacity(entries.len()) };
        for run in entries.chunk_by(|a, b| a.0 == b.0) {
            let start = table.ids.len() as u32;
            table.ids.extend(run.iter().take(cap.unwrap_or(usize::MAX)).map(|(_, id)| *id));
            table.ranges.insert(run[0].0, (start, table.ids.len() as u32));
        }
        table.ids.shrink_to_fit();
        table
    }

    fn get(&self, key: u64) -> &[ObjectId] {
        match self.ranges.get(&key) {
            Some(&(start, end)) => &self.ids[start as usize..end as usize],
            None => &[],
        }
    }

    #[cfg(test)]
    fn distinct_keys(&self) -> usize {
        self.ranges.len()
    }
}

/// The lookup tables, derived from the parts on first use after a change.
#[derive(Debug, Default)]
struct Maps {
    vocabulary: Vocabulary,
    by_kind: Table,
    /// Objects by kind and namespace (see `kind_namespace_key`).
    by_kind_namespace: Table,
    /// Objects by kind, namespace and name (see `name_key`).
    by_name: Table,
    pods: Vec<ObjectId>,
    /// Pods by label pair, key and value, each under `Reach::Anywhere` and under their own
    /// namespace: a selector walks only the pods it could reach.
    pods_by_pair: Table,
    pods_by_key: Table,
    pods_by_value: Table,
    pods_by_namespace: Table,
    /// Pods with at least one label, by namespace and in all: what a selector could ever match.
    labelled_by_namespace: Table,
    labelled: Vec<ObjectId>,
    /// Custom resources by namespace and name, and by namespace and label pair (see
    /// `custom_key`): what tells a selector written for an operator's pods.
    custom_by_name: Table,
    custom_by_pair: Table,
}

/// The key of a custom resource's name, or of one of its label pairs (`key=value`), in a
/// namespace.
fn custom_key(what: &str, namespace: Option<&str>, text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    ("custom resource", what, namespace, text).hash(&mut hasher);
    hasher.finish()
}

/// The entries of the tables, gathered before they are sorted.
#[derive(Default)]
struct Entries {
    by_name: Vec<(u64, ObjectId)>,
    /// Entries so far per key of the capped tables (key and value), so that a key every pod
    /// carries costs `NEAR_LIST` entries, not one per pod.
    counts: FxHashMap<u64, usize>,
    by_kind: Vec<(u64, ObjectId)>,
    by_kind_namespace: Vec<(u64, ObjectId)>,
    pods_by_pair: Vec<(u64, ObjectId)>,
    pods_by_key: Vec<(u64, ObjectId)>,
    pods_by_value: Vec<(u64, ObjectId)>,
    pods_by_namespace: Vec<(u64, ObjectId)>,
    labelled_by_namespace: Vec<(u64, ObjectId)>,
    custom_by_name: Vec<(u64, ObjectId)>,
    custom_by_pair: Vec<(u64, ObjectId)>,
}

fn hash_of(parts: &[&str]) -> u64 {
    let mut hasher = FxHasher::default();
    for part in parts {
        part.hash(&mut hasher);
    }
    hasher.finish()
}

/// Where a label lookup looks: the whole run, or one namespace (`None`: objects that set none).
#[derive(Clone, Copy)]
enum Reach<'a> {
    Anywhere,
    In(Option<&'a str>),
}

/// What a label table is keyed by.
#[derive(Clone, Copy)]
enum By {
    Pair(Label),
    Key(u64),
    Value(u64),
}

fn scoped(reach: Reach<'_>, by: By) -> u64 {
    let mut hasher = FxHasher::default();
    match reach {
        Reach::Anywhere => "anywhere".hash(&mut hasher),
        Reach::In(Some(ns)) => ("ns", ns).hash(&mut hasher),
        Reach::In(None) => "no namespace".hash(&mut hasher),
    }
    match by {
        By::Pair(label) => (0u8, label.key, label.value).hash(&mut hasher),
        By::Key(key) => (1u8, key).hash(&mut hasher),
        By::Value(value) => (2u8, value).hash(&mut hasher),
    }
    hasher.finish()
}

/// Two sorted lists of ids as one, sorted.
fn merge_sorted(a: &[ObjectId], b: &[ObjectId]) -> Vec<ObjectId> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The key of an object's identity; objects without a namespace have a key of their own.
fn name_key(kind: &str, namespace: Option<&str>, name: &str) -> u64 {
    let mut hasher = FxHasher::default();
    (kind, namespace, name).hash(&mut hasher);
    hasher.finish()
}

/// The key of a kind in a namespace; objects without one have a key of their own.
fn kind_namespace_key(kind: &str, namespace: Option<&str>) -> u64 {
    let mut hasher = FxHasher::default();
    ("kind in namespace", kind, namespace).hash(&mut hasher);
    hasher.finish()
}

/// The key of a namespace; objects without one have a key of their own.
fn namespace_key(namespace: Option<&str>) -> u64 {
    match namespace {
        Some(ns) => hash_of(&["ns", ns]),
        None => hash_of(&["no namespace"]),
    }
}

#[derive(Clone, Copy)]
enum Capped {
    Key,
    Value,
}

/// What gathering the tables' entries yields: the entries, the pods, the labelled pods.
type Gathered = (Entries, Vec<ObjectId>, Vec<ObjectId>);

impl Entries {
    /// Appends entries of objects that come later in the run, keeping the caps.
    fn append(&mut self, mut other: Entries) {
        self.by_kind.append(&mut other.by_kind);
        self.by_name.append(&mut other.by_name);
        self.by_kind_namespace.append(&mut other.by_kind_namespace);
        self.pods_by_pair.append(&mut other.pods_by_pair);
        self.pods_by_namespace.append(&mut other.pods_by_namespace);
        self.labelled_by_namespace.append(&mut other.labelled_by_namespace);
        self.custom_by_name.append(&mut other.custom_by_name);
        self.custom_by_pair.append(&mut other.custom_by_pair);
        for (key, id) in std::mem::take(&mut other.pods_by_key) {
            self.push_capped(Capped::Key, key, id);
        }
        for (key, id) in std::mem::take(&mut other.pods_by_value) {
            self.push_capped(Capped::Value, key, id);
        }
    }

    fn push_capped(&mut self, table: Capped, key: u64, id: ObjectId) {
        let count = self.counts.entry(key ^ table as u64).or_default();
        if *count >= NEAR_LIST {
            return;
        }
        let list = match table {
            Capped::Key => &mut self.pods_by_key,
            Capped::Value => &mut self.pods_by_value,
        };
        // A pod with two labels of one value counts once.
        if list.last() != Some(&(key, id)) {
            *count += 1;
            list.push((key, id));
        }
    }
}

impl Maps {
    /// The tables of these parts, in file order. Parts are read in parallel; the tables are
    /// the same whatever the number of threads.
    fn build<'p>(parts: impl Iterator<Item = (FileId, &'p IndexPart)> + Clone) -> Maps {
        use rayon::prelude::*;
        let parts: Vec<(FileId, &IndexPart)> = parts.collect();
        let vocabulary = parts
            .par_iter()
            .fold(Vocabulary::default, |mut vocabulary, (_, part)| {
                vocabulary.add_part(part);
                vocabulary
            })
            .reduce(Vocabulary::default, Vocabulary::merge);
        let mut maps = Maps { vocabulary, ..Maps::default() };
        // Folded and reduced in run order, so the capped tables keep the first pods of a key.
        let vocabulary = &maps.vocabulary;
        let (entries, pods, labelled) = parts
            .par_chunks(64)
            .fold(Gathered::default, |mut gathered, chunk| {
                for &(file, part) in chunk {
                    for (local, object) in part.objects.iter().enumerate() {
                        let id = ObjectId { file, local: local as u32 };
                        let (entries, pods, labelled) = &mut gathered;
                        vocabulary.gather(id, object, entries, pods, labelled);
                    }
                }
                gathered
            })
            .reduce(Gathered::default, |mut left, right| {
                left.0.append(right.0);
                left.1.extend(right.1);
                left.2.extend(right.2);
                left
            });
        maps.pods = pods;
        maps.labelled = labelled;
        let Entries {
            by_kind,
            by_kind_namespace,
            by_name,
            pods_by_pair,
            pods_by_key,
            pods_by_value,
            pods_by_namespace,
            labelled_by_namespace,
            custom_by_name,
            custom_by_pair,
            ..
        } = entries;
        let capped = Some(NEAR_LIST);
        let specs = vec![
            (by_kind, None),
            (by_kind_namespace, None),
            (by_name, None),
            (pods_by_pair, None),
            (pods_by_key, capped),
            (pods_by_value, capped),
            (pods_by_namespace, None),
            (labelled_by_namespace, None),
            (custom_by_name, None),
            (custom_by_pair, None),
        ];
        let mut tables =
            specs.into_par_iter().map(|(entries, cap)| Table::new(entries, cap)).collect::<Vec<_>>().into_iter();
        for slot in [
            &mut maps.by_kind,
            &mut maps.by_kind_namespace,
            &mut maps.by_name,
            &mut maps.pods_by_pair,
            &mut maps.pods_by_key,
            &mut maps.pods_by_value,
            &mut maps.pods_by_namespace,
            &mut maps.labelled_by_namespace,
            &mut maps.custom_by_name,
            &mut maps.custom_by_pair,
        ] {
            *slot = tables.next().unwrap_or_default();
        }
        maps
    }
}

impl Vocabulary {
    fn merge(mut self, other: Vocabulary) -> Vocabulary {
        self.pairs.extend(other.pairs);
        self.keys.extend(other.keys);
        self.values.extend(other.values);
        self
    }

    /// The table entries of one object (and whether it makes pods, with or without labels).
    fn gather(
        &self,
        id: ObjectId,
        object: &IndexedObject,
        entries: &mut Entries,
        pods: &mut Vec<ObjectId>,
        labelled: &mut Vec<ObjectId>,
    ) {
        if let Some(kind) = object.kind() {
            entries.by_kind.push((hash_of(&[kind]), id));
            entries.by_kind_namespace.push((kind_namespace_key(kind, object.namespace()), id));
            if let Some(name) = object.info.name.as_deref() {
                entries.by_name.push((name_key(kind, object.namespace(), name), id));
            }
        }
        if let Some(labels) = &object.facts.custom {
            let namespace = object.namespace();
            if let Some(name) = object.info.name.as_deref() {
                entries.custom_by_name.push((custom_key("name", namespace, name), id));
            }
            for (key, value) in labels {
                entries.custom_by_pair.push((custom_key("label", namespace, &format!("{key}={value}")), id));
            }
        }
        let Some(pod) = &object.pod else { return };
        pods.push(id);
        let namespace = namespace_key(object.namespace());
        entries.pods_by_namespace.push((namespace, id));
        if pod.labels.is_empty() {
            return;
        }
        entries.labelled_by_namespace.push((namespace, id));
        labelled.push(id);
        for &label in &pod.labels.hashed {
            let pair = self.pairs.contains(&label);
            let key = self.keys.contains(&label.key);
            let value = self.values.contains(&label.value);
            for reach in [Reach::Anywhere, Reach::In(object.namespace())] {
                if pair {
                    entries.pods_by_pair.push((scoped(reach, By::Pair(label)), id));
                }
                if key {
                    entries.push_capped(Capped::Key, scoped(reach, By::Key(label.key)), id);
                }
                if value {
                    entries.push_capped(Capped::Value, scoped(reach, By::Value(label.value)), id);
                }
            }
        }
    }
}

/// Pods a list by label key or value keeps: help walks only the first few of each (see
/// `IndexView::near_pods`), and a key that every pod of a large run carries would otherwise
/// cost a list as long as the run.
const NEAR_LIST: usize = 64;

impl ObjectIndex {
    /// Sets (or, with `None`, removes) the part of one file.
    pub fn set_part(&mut self, file: FileId, part: Option<Arc<IndexPart>>) {
        let file = file as usize;
        if self.parts.len() <= file {
            self.parts.resize(file + 1, None);
        }
        self.parts[file] = part;
        self.maps = OnceLock::new();
        self.spellings = Mutex::default();
    }

    pub fn part(&self, file: FileId) -> Option<&Arc<IndexPart>> {
        self.parts.get(file as usize).and_then(Option::as_ref)
    }

    fn parts(&self) -> impl Iterator<Item = (FileId, &IndexPart)> + Clone {
        self.parts.iter().enumerate().filter_map(|(i, p)| p.as_deref().map(|p| (i as FileId, p)))
    }

    fn maps(&self) -> &Maps {
        self.maps.get_or_init(|| Maps::build(self.parts()))
    }

    /// The whole run as it is.
    pub fn view<'i>(&'i self, work: &'i Work) -> IndexView<'i> {
        IndexView { index: self, own: None, replaced: None, focus: false, work, selections: Mutex::default() }
    }

    /// The run with one file's part replaced by another version of it, and questions about
    /// subjects limited to that file: what one file's findings need. The version is laid over
    /// the tables without rebuilding them, unless its selectors name labels the run's tables
    /// left out (an edited selector): then this view builds tables of its own.
    pub fn view_of_version<'i>(&'i self, file: FileId, part: &'i IndexPart, work: &'i Work) -> IndexView<'i> {
        let vocabulary = &self.maps().vocabulary;
        let new_labels = part.objects.iter().flat_map(|o| &o.references).any(|r| match &r.target {
            Target::Selector(selector) => !vocabulary.covers(&selector.hashed),
            Target::Name(_) | Target::Key { .. } | Target::Object { .. } | Target::Port(_) => false,
        });
        let own = new_labels.then(|| {
            let parts = self.parts().filter(move |(f, _)| *f != file).chain(std::iter::once((file, part)));
            let mut parts: Vec<(FileId, &IndexPart)> = parts.collect();
            parts.sort_by_key(|(f, _)| *f);
            Maps::build(parts.into_iter())
        });
        IndexView { index: self, own, replaced: Some((file, part)), focus: true, work, selections: Mutex::default() }
    }
}

/// A selection worked out once and shared by every question that asked for it.
pub struct Selected(Arc<OnceLock<Selection>>);

impl std::ops::Deref for Selected {
    type Target = Selection;

    fn deref(&self) -> &Selection {
        // `select` fills the slot before handing it out.
        self.0.get().unwrap_or(&NO_SELECTION)
    }
}

static NO_SELECTION: Selection = Selection { pods: Vec::new(), port_names: Vec::new(), port_numbers: Vec::new() };

/// What a Service's selector picks: the pods, and the ports they declare.
#[derive(Debug, Default)]
pub struct Selection {
    pub pods: Vec<ObjectId>,
    pub port_names: Vec<String>,
    pub port_numbers: Vec<i64>,
}

/// A selector in a namespace, by hash: its labels' hashes are SipHash, so two different
/// selectors share a key with odds of about 2^-64.
type SelectionKey = u64;

/// The index as the rules of one evaluation see it.
pub struct IndexView<'i> {
    index: &'i ObjectIndex,
    /// Tables built for this view, holding the replaced file's version.
    own: Option<Maps>,
    replaced: Option<(FileId, &'i IndexPart)>,
    /// Only the replaced file's objects are subjects (their findings are what is asked for).
    focus: bool,
    work: &'i Work,
    /// Identical selectors are answered once.
    selections: Mutex<FxHashMap<SelectionKey, Arc<OnceLock<Selection>>>>,
}

impl<'i> IndexView<'i> {
    pub fn work(&self) -> &'i Work {
        self.work
    }

    fn maps(&self) -> &Maps {
        self.own.as_ref().unwrap_or_else(|| self.index.maps())
    }

    /// The replaced file and its version, when the tables do not hold the version and it must
    /// be laid over them.
    fn overlay(&self) -> Option<(FileId, &'i IndexPart)> {
        self.replaced.filter(|_| self.own.is_none())
    }

    fn probe(&self) {
        self.work.lookups.fetch_add(1, Relaxed);
    }

    pub fn object(&self, id: ObjectId) -> &'i IndexedObject {
        self.part_of(id.file).map(|p| &p.objects[id.local as usize]).expect("ids come from the index")
    }

    fn part_of(&self, file: FileId) -> Option<&'i IndexPart> {
        match self.replaced {
            Some((replaced, part)) if replaced == file => Some(part),
            _ => self.index.part(file).map(|p| &**p),
        }
    }

    /// The name of the file an object is in.
    pub fn path(&self, file: FileId) -> Option<&'i Arc<str>> {
        self.part_of(file).map(|p| &p.path)
    }

    /// `base` (ids from the tables, sorted) with the replaced file's ids swapped for those of its
    /// version that pass `keep`, still sorted.
    fn merged(&self, base: &[ObjectId], keep: impl Fn(&IndexedObject) -> bool) -> Vec<ObjectId> {
        let Some((file, part)) = self.overlay() else { return base.to_vec() };
        let before = base.partition_point(|id| id.file < file);
        let after = base.partition_point(|id| id.file <= file);
        let mut out = Vec::with_capacity(base.len());
        out.extend_from_slice(&base[..before]);
        out.extend(
            part.objects
                .iter()
                .enumerate()
                .filter(|(_, o)| keep(o))
                .map(|(local, _)| ObjectId { file, local: local as u32 }),
        );
        out.extend_from_slice(&base[after..]);
        out
    }

    /// Whether an id from the tables is of the file the overlay replaces.
    fn overlaid(&self, id: ObjectId) -> bool {
        self.overlay().is_some_and(|(file, _)| file == id.file)
    }

    fn list<'m>(&self, table: &'m Table, key: u64) -> &'m [ObjectId] {
        self.probe();
        table.get(key)
    }

    /// The objects of a kind whose findings this evaluation asks for.
    pub fn subjects(&self, kind: &str) -> Vec<ObjectId> {
        if let (true, Some((file, part))) = (self.focus, self.replaced) {
            return part
                .objects
                .iter()
                .enumerate()
                .filter(|(_, o)| o.kind() == Some(kind))
                .map(|(local, _)| ObjectId { file, local: local as u32 })
                .collect();
        }
        let base = self.list(&self.maps().by_kind, hash_of(&[kind]));
        self.merged(base, |o| o.kind() == Some(kind))
    }

    /// The pods and objects with pod templates whose findings this evaluation asks for.
    pub fn pod_subjects(&self) -> Vec<ObjectId> {
        if let (true, Some((file, part))) = (self.focus, self.replaced) {
            return part
                .objects
                .iter()
                .enumerate()
                .filter(|(_, o)| o.pod.is_some())
                .map(|(local, _)| ObjectId { file, local: local as u32 })
                .collect();
        }
        self.probe();
        self.merged(&self.maps().pods, |o| o.pod.is_some())
    }

    /// Every object of a kind in the run, the replaced file's version included, whichever
    /// objects' findings this evaluation asks for: what a rule judges its subjects against.
    pub fn objects_of(&self, kind: &str) -> Vec<ObjectId> {
        let base = self.list(&self.maps().by_kind, hash_of(&[kind]));
        self.merged(base, |o| o.kind() == Some(kind))
    }

    /// The objects of a kind with this name that a reference from `namespace` could mean: those
    /// in that namespace and those that set none (applied wherever they are applied). With no
    /// namespace, only those that set none: a reference without one names no other namespace.
    pub fn named(&self, kind: &str, namespace: Option<&str>, name: &str) -> Vec<ObjectId> {
        let maps = self.maps();
        let own = self.list(&maps.by_name, name_key(kind, namespace, name));
        let unset: &[ObjectId] =
            if namespace.is_some() { self.list(&maps.by_name, name_key(kind, None, name)) } else { &[] };
        let base = merge_sorted(own, unset);
        self.merged(&base, |o| {
            o.kind() == Some(kind)
                && o.info.name.as_deref() == Some(name)
                && (o.namespace() == namespace || o.namespace().is_none())
        })
        .into_iter()
        .filter(|&id| {
            let object = self.object(id);
            object.kind() == Some(kind) && object.info.name.as_deref() == Some(name)
        })
        .collect()
    }

    /// Objects of a kind a reference from `namespace` could mean, whatever their name (as
    /// `named`): at most `cap`, the first in run order. Empty when the run holds none, so a
    /// reference to a kind the run keeps elsewhere (Secrets outside git) is not judged.
    pub fn kind_near(&self, kind: &str, namespace: Option<&str>, cap: usize) -> Vec<ObjectId> {
        let maps = self.maps();
        let own = self.list(&maps.by_kind_namespace, kind_namespace_key(kind, namespace));
        let unset: &[ObjectId] =
            if namespace.is_some() { self.list(&maps.by_kind_namespace, kind_namespace_key(kind, None)) } else { &[] };
        // The replaced file's ids may be dropped below: walk one more than asked of each list.
        let base = merge_sorted(&own[..own.len().min(cap + 1)], &unset[..unset.len().min(cap + 1)]);
        let fits =
            |o: &IndexedObject| o.kind() == Some(kind) && (o.namespace() == namespace || o.namespace().is_none());
        let mut found: Vec<ObjectId> =
            self.merged(&base, fits).into_iter().filter(|&id| fits(self.object(id))).collect();
        self.work.candidates.fetch_add(found.len() as u64, Relaxed);
        found.truncate(cap);
        found
    }

    /// Whether the run holds objects of a class: whether a rule that needs them could reach a
    /// verdict.
    pub fn holds(&self, class: ObjectClass) -> bool {
        let maps = self.maps();
        let (base, in_version): (&[ObjectId], bool) = match class {
            ObjectClass::Pods => {
                (&maps.pods, self.overlay().is_some_and(|(_, p)| p.objects.iter().any(|o| o.pod.is_some())))
            }
            ObjectClass::Kind(kind) => (
                self.list(&maps.by_kind, hash_of(&[kind])),
                self.overlay().is_some_and(|(_, p)| p.objects.iter().any(|o| o.kind() == Some(kind))),
            ),
        };
        in_version || base.iter().any(|&id| !self.overlaid(id))
    }

    /// The pods a selector picks in a namespace. Identical selectors are answered once.
    pub fn select(&self, namespace: Option<&str>, selector: &Selector) -> Selected {
        let hashed = &selector.hashed;
        let key = {
            let mut hasher = FxHasher::default();
            (namespace, hashed).hash(&mut hasher);
            hasher.finish()
        };
        // One slot per selector, filled by whichever thread asks first while the others wait
        // for it: each selector is worked out once, so the work counted is the same every run.
        let slot = self.selections.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
        slot.get_or_init(|| self.selection(namespace, hashed));
        Selected(slot)
    }

    fn selection(&self, namespace: Option<&str>, hashed: &[Label]) -> Selection {
        let pods: Vec<ObjectId> = self
            .candidates_for(namespace, hashed)
            .into_iter()
            .filter(|&id| {
                let object = self.object(id);
                same_namespace(namespace, object.namespace()) && object.selected_by(hashed)
            })
            .collect();
        let mut port_names: Vec<String> =
            pods.iter().filter_map(|&id| self.object(id).pod.as_ref()).flat_map(|p| p.port_names.clone()).collect();
        port_names.sort_unstable();
        port_names.dedup();
        let mut port_numbers: Vec<i64> =
            pods.iter().filter_map(|&id| self.object(id).pod.as_ref()).flat_map(|p| p.port_numbers.clone()).collect();
        port_numbers.sort_unstable();
        port_numbers.dedup();
        Selection { pods, port_names, port_numbers }
    }

    /// The lists a label lookup in `namespace` walks: the namespace's own and that of objects
    /// without one; everything for a selector without a namespace.
    fn reachable_lists<'m>(&self, map: &'m Table, namespace: Option<&str>, by: By) -> [&'m [ObjectId]; 2] {
        match namespace {
            None => [self.list(map, scoped(Reach::Anywhere, by)), &[]],
            Some(ns) => [self.list(map, scoped(Reach::In(Some(ns)), by)), self.list(map, scoped(Reach::In(None), by))],
        }
    }

    /// Pods that carry the selector's rarest pair among those it could reach: every pod it
    /// could select.
    fn candidates_for(&self, namespace: Option<&str>, selector: &[Label]) -> Vec<ObjectId> {
        let maps = self.maps();
        let [own, unset] = selector
            .iter()
            .map(|&label| self.reachable_lists(&maps.pods_by_pair, namespace, By::Pair(label)))
            .min_by_key(|[own, unset]| own.len() + unset.len())
            .unwrap_or([&[], &[]]);
        let base = merge_sorted(own, unset);
        let pair_in = |o: &IndexedObject| o.labels().is_some_and(|l| selector.iter().any(|&label| l.has(label)));
        let candidates = self.merged(&base, pair_in);
        self.work.candidates.fetch_add(candidates.len() as u64, Relaxed);
        candidates
    }

    /// Pods in namespaces the selector cannot reach that it would otherwise select, at most
    /// `limit`: the likeliest mistake after a typo is the right labels in the wrong namespace.
    /// Walks at most `WALK` pods of the rarest pair's list.
    pub fn selected_elsewhere(&self, namespace: Option<&str>, selector: &Selector, limit: usize) -> Vec<ObjectId> {
        const WALK: usize = 256;
        // A selector without a namespace reaches every namespace.
        if namespace.is_none() {
            return Vec::new();
        }
        let hashed = &selector.hashed;
        let maps = self.maps();
        let rarest = hashed
            .iter()
            .map(|&label| self.list(&maps.pods_by_pair, scoped(Reach::Anywhere, By::Pair(label))))
            .min_by_key(|list| list.len())
            .unwrap_or(&[]);
        let pair_in = |o: &IndexedObject| o.labels().is_some_and(|l| hashed.iter().any(|&label| l.has(label)));
        let walked: Vec<ObjectId> = self.merged(&rarest[..rarest.len().min(WALK)], pair_in);
        self.work.candidates.fetch_add(walked.len() as u64, Relaxed);
        walked
            .into_iter()
            .filter(|&id| {
                let object = self.object(id);
                !same_namespace(namespace, object.namespace()) && object.selected_by(hashed)
            })
            .take(limit)
            .collect()
    }

    /// The first `n` pods (all, or only labelled ones) a selector in `namespace` could reach,
    /// in run order. Walks at most `n` entries of each list it merges.
    fn first_reachable(&self, namespace: Option<&str>, labelled: bool, n: usize) -> Vec<ObjectId> {
        let maps = self.maps();
        let table = if labelled { &maps.labelled_by_namespace } else { &maps.pods_by_namespace };
        let lists: Vec<&[ObjectId]> = match namespace {
            // No namespace: applied wherever it is applied, so every pod could be a neighbour.
            None if labelled => vec![&maps.labelled],
            None => vec![&maps.pods],
            Some(ns) => vec![self.list(table, namespace_key(Some(ns))), self.list(table, namespace_key(None))],
        };
        let mut out: Vec<ObjectId> = Vec::with_capacity(n * lists.len());
        for list in lists {
            out.extend(list.iter().copied().filter(|&id| !self.overlaid(id)).take(n));
        }
        if let Some((file, part)) = self.overlay() {
            let version = part.objects.iter().enumerate().filter(|(_, o)| {
                o.labels().is_some_and(|l| !labelled || !l.is_empty()) && same_namespace(namespace, o.namespace())
            });
            out.extend(version.map(|(local, _)| ObjectId { file, local: local as u32 }).take(n));
        }
        self.work.candidates.fetch_add(out.len() as u64, Relaxed);
        out.sort_unstable();
        out.truncate(n);
        out
    }

    /// Whether any pod lives where a selector in `namespace` could reach it.
    pub fn has_pods_near(&self, namespace: Option<&str>) -> bool {
        !self.first_reachable(namespace, false, 1).is_empty()
    }

    /// The first `n` pods a selector in `namespace` could reach, in run order: what a selector
    /// with no pair to look up (only `matchExpressions`) is weighed against.
    pub fn pods_near(&self, namespace: Option<&str>, n: usize) -> Vec<ObjectId> {
        self.first_reachable(namespace, false, n)
    }

    /// A custom resource a selector in `namespace` was likely written for: one that explains
    /// every pair of the selector, each by a label of its own (or of its `podMetadata`) or by
    /// its name as the value (`prometheus: k8s`, `cnpg.io/cluster: pg`). Operators make pods
    /// from such resources and label them so, and no manifest shows those pods. A mistyped pair
    /// is explained by nothing, so a typo is still reported. A few probes per pair.
    pub fn operated_by(&self, namespace: Option<&str>, selector: &Selector) -> Option<ObjectId> {
        let maps = self.maps();
        let reach: Vec<Option<&str>> = match namespace {
            Some(_) => vec![namespace, None],
            None => vec![None],
        };
        let fits = |o: &IndexedObject| o.facts.custom.is_some() && same_namespace(namespace, o.namespace());
        let mut candidates: Vec<ObjectId> = Vec::new();
        let mut lookup = |table: &Table, key: &dyn Fn(Option<&str>) -> u64| {
            for &ns in &reach {
                let base = self.list(table, key(ns));
                candidates.extend(self.merged(base, fits));
            }
        };
        for (_, value) in selector.iter() {
            lookup(&maps.custom_by_name, &|ns| custom_key("name", ns, value));
        }
        let (key, value) = selector.first()?;
        let pair = format!("{key}={value}");
        lookup(&maps.custom_by_pair, &|ns| custom_key("label", ns, &pair));
        candidates.sort_unstable();
        candidates.dedup();
        self.work.candidates.fetch_add(candidates.len() as u64, Relaxed);
        candidates.into_iter().find(|&id| {
            let object = self.object(id);
            let (Some(labels), true) = (object.facts.custom.as_deref(), fits(object)) else { return false };
            let name = object.info.name.as_deref();
            selector.iter().all(|pair| labels.contains(pair) || name == Some(pair.1.as_str()))
        })
    }

    /// Whether any pod with labels lives where a selector in `namespace` could reach it.
    pub fn has_labelled_pods_near(&self, namespace: Option<&str>) -> bool {
        !self.first_reachable(namespace, true, 1).is_empty()
    }

    /// Pods a selector in `namespace` could reach with a label under `key` whose value is a typo
    /// of `value` (see `labels::near`), from the spelling tables (the overlay's version is
    /// looked at in `near_pods`).
    fn typos_of(&self, namespace: Option<&str>, key: &str, value: &str) -> Vec<ObjectId> {
        let key_hash = Label::of(key, "").key;
        let scopes: Vec<u64> = match namespace {
            None => vec![hash_of(&["anywhere"])],
            Some(ns) => vec![namespace_key(Some(ns)), namespace_key(None)],
        };
        let signatures = labels::signatures(value);
        let value_hash = Label::of(key, value).value;
        let mut found: Vec<ObjectId> = Vec::new();
        for scope in scopes {
            let table = self.spellings(scope);
            for &signature in &signatures {
                self.probe();
                let hits = table.get(spelling_key(key_hash, signature));
                // The tables are the index's own: a replaced file's ids there are of its old text.
                found.extend(hits.iter().copied().filter(|&id| self.replaced.is_none_or(|(f, _)| f != id.file)));
            }
        }
        // The same value is a pair, not a typo.
        found.retain(|&id| {
            self.object(id)
                .labels()
                .is_some_and(|l| !l.hashed.iter().any(|h| h.key == key_hash && h.value == value_hash))
        });
        // Strongest signature first, each pod once.
        let mut seen = FxHashSet::default();
        found.retain(|id| seen.insert(*id));
        found
    }

    /// The spelling table of the labelled pods of a scope (a namespace's, those without one, or
    /// every pod), built once per index: one walk over the scope's pods, whatever the keys.
    fn spellings(&self, scope: u64) -> Arc<Table> {
        if let Some(table) = self.index.spellings.lock().unwrap_or_else(|e| e.into_inner()).get(&scope) {
            return table.clone();
        }
        let maps = self.index.maps();
        let pods: &[ObjectId] =
            if scope == hash_of(&["anywhere"]) { &maps.labelled } else { maps.labelled_by_namespace.get(scope) };
        let mut entries = Vec::new();
        for &id in pods {
            let Some(labels) = self.index.part(id.file).and_then(|p| p.objects[id.local as usize].labels()) else {
                continue;
            };
            for (key, value) in &labels.text {
                let key_hash = Label::of(key, "").key;
                if maps.vocabulary.keys.contains(&key_hash) {
                    entries.extend(labels::signatures(value).into_iter().map(|s| (spelling_key(key_hash, s), id)));
                }
            }
        }
        self.work.candidates.fetch_add(pods.len() as u64, Relaxed);
        // Two threads may build the same table; both get the same one, and it is built once more
        // at most, without holding the lock while building.
        let table = Arc::new(Table::new(entries, Some(NEAR_LIST)));
        self.index.spellings.lock().unwrap_or_else(|e| e.into_inner()).entry(scope).or_insert(table).clone()
    }

    /// Labelled pods a selector in `namespace` could have meant, for "closest labels" help.
    /// All of them when there are at most `cap` (`Near::all`). Else at most `cap` of those close
    /// to it: with one of its pairs, with a typo of a pair's value under its key, or with a
    /// pair's value under another key (a typo of the key); and apart, at most `cap` that only
    /// share a key. Each list is walked for at most `WALK` entries, so the cost per selector is
    /// bounded however many pods a namespace holds.
    pub fn near_pods(&self, namespace: Option<&str>, selector: &Selector, cap: usize) -> Near {
        const WALK: usize = 16;
        let reachable = self.first_reachable(namespace, true, cap + 1);
        if reachable.len() <= cap {
            return Near { all: true, close: reachable, same_key: Vec::new() };
        }
        let hashed = &selector.hashed;
        let maps = self.maps();
        let lists = |map, by| self.reachable_lists(map, namespace, by);
        let typos: Vec<Vec<ObjectId>> = selector.iter().map(|(k, v)| self.typos_of(namespace, k, v)).collect();
        let tiers: [Vec<&[ObjectId]>; 4] = [
            hashed.iter().flat_map(|&l| lists(&maps.pods_by_pair, By::Pair(l))).collect(),
            typos.iter().map(Vec::as_slice).collect(),
            hashed.iter().flat_map(|&l| lists(&maps.pods_by_value, By::Value(l.value))).collect(),
            hashed.iter().flat_map(|&l| lists(&maps.pods_by_key, By::Key(l.key))).collect(),
        ];
        // Whether a pod's label shares with a selector pair, tier by tier.
        let shares = |tier: usize, (key, value): (&str, &str), (wanted_key, wanted_value): (&str, &str)| match tier {
            0 => key == wanted_key && value == wanted_value,
            1 => key == wanted_key && labels::near(value, wanted_value),
            2 => value == wanted_value,
            _ => key == wanted_key,
        };
        let mut near = Near::default();
        for (tier, lists) in tiers.iter().enumerate() {
            let mut found: Vec<ObjectId> = Vec::new();
            for list in lists {
                for &id in list.iter().take(WALK) {
                    self.work.candidates.fetch_add(1, Relaxed);
                    if !self.overlaid(id) && same_namespace(namespace, self.object(id).namespace()) {
                        found.push(id);
                    }
                }
            }
            // Typos come from the index's own tables, which never hold a version.
            let overlay = if tier == 1 { self.replaced } else { self.overlay() };
            if let Some((file, part)) = overlay {
                for (local, object) in part.objects.iter().enumerate() {
                    let Some(labels) = object.labels() else { continue };
                    let matches = labels.text.iter().any(|(k, v)| {
                        selector
                            .iter()
                            .any(|(wk, wv)| shares(tier, (k.as_str(), v.as_str()), (wk.as_str(), wv.as_str())))
                    });
                    if matches && same_namespace(namespace, object.namespace()) {
                        found.push(ObjectId { file, local: local as u32 });
                    }
                }
            }
            // Typos come strongest first; the other tiers in run order.
            if tier != 1 {
                found.sort_unstable();
            }
            let into = if tier < 3 { &mut near.close } else { &mut near.same_key };
            for id in found {
                if into.len() < cap && !into.contains(&id) {
                    into.push(id);
                }
            }
        }
        near.same_key.retain(|id| !near.close.contains(id));
        near
    }
}

/// The pods a selector could have meant (see `IndexView::near_pods`).
#[derive(Debug, Default)]
pub struct Near {
    /// The namespace has few pods: `close` holds every labelled one.
    pub all: bool,
    pub close: Vec<ObjectId>,
    /// Pods that only share a label key with the selector, when the namespace has many.
    pub same_key: Vec<ObjectId>,
}

/// A Service's pods are in its own namespace; an object without one gets the namespace it is
/// applied to, so it could be any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn pod(namespace: Option<&str>, labels: &[(&str, &str)]) -> IndexedObject {
        IndexedObject {
            info: Arc::new(ObjectInfo {
                kind: Some("Deployment".into()),
                namespace: namespace.map(str::to_owned),
                ..ObjectInfo::default()
            }),
            complete: true,
            pod: Some(PodFacts {
                labels: PodLabels::new(pairs(labels), &[]),
                port_names: vec!["http".into()],
                port_numbers: vec![],
                scale: None,
                at_once: PodsAtOnce::One,
            }),
            references: Vec::new(),
            line: 0,
            facts: TargetFacts::default(),
            held: Vec::new(),
        }
    }

    fn service(selector: &[(&str, &str)]) -> IndexedObject {
        let target = Target::Selector(Selector::new(pairs(selector)));
        let reference =
            Reference { row: &references::SERVICE_SELECTOR, target, at: Default::default(), optional: false };
        IndexedObject {
            info: Arc::new(ObjectInfo { kind: Some("Service".into()), ..ObjectInfo::default() }),
            complete: true,
            pod: None,
            references: vec![reference],
            line: 0,
            facts: TargetFacts::default(),
            held: Vec::new(),
        }
    }

    fn index(files: Vec<Vec<IndexedObject>>) -> ObjectIndex {
        let mut index = ObjectIndex::default();
        for (i, objects) in files.into_iter().enumerate() {
            index.set_part(i as FileId, Some(Arc::new(IndexPart { path: format!("{i}.yaml").into(), objects })));
        }
        index
    }

    #[test]
    fn namespaces_are_compatible_when_equal_or_unset() {
        assert!(same_namespace(None, Some("a")));
        assert!(same_namespace(Some("a"), Some("a")));
        assert!(!same_namespace(Some("a"), Some("b")));
    }

    #[test]
    fn selectors_find_pods_by_their_rarest_pair() {
        let index = index(vec![
            vec![pod(Some("a"), &[("app", "web"), ("tier", "front")]), pod(Some("b"), &[("app", "web")])],
            vec![pod(None, &[("app", "web"), ("tier", "front")]), service(&[("app", "web"), ("tier", "front")])],
        ]);
        let work = Work::default();
        let view = index.view(&work);
        let selector = Selector::new(pairs(&[("app", "web"), ("tier", "front")]));
        let picked = &view.select(Some("a"), &selector).pods;
        assert_eq!(picked, &[ObjectId { file: 0, local: 0 }, ObjectId { file: 1, local: 0 }]);
        assert_eq!(view.selected_elsewhere(Some("b"), &selector, 3).len(), 1);
        let walked = work.count().candidates;
        // The second identical question is answered from memory.
        let _ = view.select(Some("a"), &selector);
        assert_eq!(work.count().candidates, walked);
    }

    #[test]
    fn labels_no_selector_names_are_left_out_of_the_tables() {
        let index = index(vec![vec![pod(Some("a"), &[("app", "web"), ("team", "x")]), service(&[("app", "web")])]]);
        let maps = index.maps();
        // `app: web` under the whole run and under namespace `a`; `team` nowhere.
        assert_eq!(maps.pods_by_pair.distinct_keys(), 2);
        assert_eq!(maps.pods_by_key.distinct_keys(), 2);
        assert_eq!(maps.pods_by_value.distinct_keys(), 2);
    }

    #[test]
    fn objects_are_found_by_kind_namespace_and_name() {
        let named = |namespace: Option<&str>, name: &str| IndexedObject {
            info: Arc::new(ObjectInfo {
                kind: Some("Service".into()),
                name: Some(name.into()),
                namespace: namespace.map(str::to_owned),
                ..ObjectInfo::default()
            }),
            complete: true,
            pod: None,
            references: Vec::new(),
            line: 0,
            facts: TargetFacts::default(),
            held: Vec::new(),
        };
        let index = index(vec![vec![named(Some("a"), "web"), named(None, "web"), named(Some("b"), "web")]]);
        let work = Work::default();
        let view = index.view(&work);
        let ids = |found: Vec<ObjectId>| found.into_iter().map(|id| id.local).collect::<Vec<_>>();
        assert_eq!(ids(view.named("Service", Some("a"), "web")), [0, 1]);
        assert_eq!(ids(view.named("Service", None, "web")), [1]);
        assert!(view.named("Service", Some("a"), "api").is_empty());
        assert!(view.named("ConfigMap", Some("a"), "web").is_empty());
    }

    #[test]
    fn a_replaced_file_is_seen_in_place_of_the_old_one() {
        let index = index(vec![
            vec![pod(Some("a"), &[("app", "web")]), service(&[("app", "web")])],
            vec![pod(Some("a"), &[("app", "old")])],
        ]);
        let work = Work::default();
        let version = IndexPart { path: "1.yaml".into(), objects: vec![pod(Some("a"), &[("app", "web")])] };
        let view = index.view_of_version(1, &version, &work);
        assert!(view.own.is_none(), "the version names no new label: it is laid over the tables");
        let picked = &view.select(Some("a"), &Selector::new(pairs(&[("app", "web")]))).pods;
        assert_eq!(picked, &[ObjectId { file: 0, local: 0 }, ObjectId { file: 1, local: 0 }]);
        assert_eq!(view.subjects("Deployment"), [ObjectId { file: 1, local: 0 }]);
        assert!(view.select(Some("a"), &Selector::new(pairs(&[("app", "old")]))).pods.is_empty());
        // A version whose selector names a label no selector named before gets tables of its own.
        let selecting = IndexPart { path: "1.yaml".into(), objects: vec![service(&[("team", "x")])] };
        let view = index.view_of_version(1, &selecting, &work);
        assert!(view.own.is_some());
    }
}
