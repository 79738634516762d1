//! The object index: what every question across the run is answered from, built once per run
//! from one part per file, so that one file's part can be replaced (an editor's change, a round
//! of `--fix`) without reading the others again.
//!
//! Each lookup is a hash probe plus a walk over the objects that share the probed key; no
//! question scans the whole run. Keys are hashes of the strings (kind, label pair, namespace):
//! a collision only adds a candidate that the caller's exact check then drops.
pub mod references;

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHasher};

use crate::finding::ObjectInfo;
pub use references::{Reference, ReferenceRow, Target};

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
}

impl IndexedObject {
    pub fn kind(&self) -> Option<&str> {
        self.info.kind.as_deref()
    }

    pub fn namespace(&self) -> Option<&str> {
        self.info.namespace.as_deref()
    }

    pub fn references_of<'o>(&'o self, row: &'static ReferenceRow) -> impl Iterator<Item = &'o Reference> + 'o {
        self.references.iter().filter(move |r| std::ptr::eq(r.row, row))
    }
}

/// The pods an object makes, as selectors see them.
#[derive(Debug, Default)]
pub struct PodFacts {
    pub labels: Vec<(String, String)>,
    /// Names of the container ports Endpoints resolve (app containers and native sidecars),
    /// each once, sorted.
    pub port_names: Vec<String>,
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
    /// Candidate objects examined after a probe.
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

    pub fn add(&self, other: WorkCount) {
        self.lookups.fetch_add(other.lookups, Relaxed);
        self.candidates.fetch_add(other.candidates, Relaxed);
        self.similarity.fetch_add(other.similarity, Relaxed);
    }
}

#[derive(Debug, Default)]
pub struct ObjectIndex {
    parts: Vec<Option<Arc<IndexPart>>>,
    maps: OnceLock<Maps>,
}

/// The lookup tables, derived from the parts on first use after a change.
#[derive(Debug, Default)]
struct Maps {
    by_kind: FxHashMap<u64, Vec<ObjectId>>,
    pods: Vec<ObjectId>,
    /// Pods by label pair, key and value, each under `Reach::Anywhere` and under their own
    /// namespace: a selector walks only the pods it could reach.
    pods_by_pair: FxHashMap<u64, Vec<ObjectId>>,
    pods_by_key: FxHashMap<u64, Vec<ObjectId>>,
    pods_by_value: FxHashMap<u64, Vec<ObjectId>>,
    pods_by_namespace: FxHashMap<u64, Vec<ObjectId>>,
    /// Pods with at least one label, by namespace and in all: what a selector could ever match.
    labelled_by_namespace: FxHashMap<u64, Vec<ObjectId>>,
    labelled: Vec<ObjectId>,
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

fn scoped(reach: Reach<'_>, parts: &[&str]) -> u64 {
    let mut hasher = FxHasher::default();
    match reach {
        Reach::Anywhere => "anywhere".hash(&mut hasher),
        Reach::In(Some(ns)) => ("ns", ns).hash(&mut hasher),
        Reach::In(None) => "no namespace".hash(&mut hasher),
    }
    for part in parts {
        part.hash(&mut hasher);
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

/// The key of a namespace; objects without one have a key of their own.
fn namespace_key(namespace: Option<&str>) -> u64 {
    match namespace {
        Some(ns) => hash_of(&["ns", ns]),
        None => hash_of(&["no namespace"]),
    }
}

impl Maps {
    fn build(parts: &[Option<Arc<IndexPart>>]) -> Maps {
        let mut maps = Maps::default();
        for (file, part) in parts.iter().enumerate() {
            let Some(part) = part else { continue };
            for (local, object) in part.objects.iter().enumerate() {
                let id = ObjectId { file: file as FileId, local: local as u32 };
                maps.add(id, object);
            }
        }
        maps
    }

    fn add(&mut self, id: ObjectId, object: &IndexedObject) {
        if let Some(kind) = object.kind() {
            self.by_kind.entry(hash_of(&[kind])).or_default().push(id);
        }
        let Some(pod) = &object.pod else { return };
        self.pods.push(id);
        let namespace = namespace_key(object.namespace());
        self.pods_by_namespace.entry(namespace).or_default().push(id);
        if !pod.labels.is_empty() {
            self.labelled_by_namespace.entry(namespace).or_default().push(id);
            self.labelled.push(id);
        }
        for (key, value) in &pod.labels {
            for reach in [Reach::Anywhere, Reach::In(object.namespace())] {
                self.pods_by_pair.entry(scoped(reach, &[key, value])).or_default().push(id);
                push_once(self.pods_by_key.entry(scoped(reach, &[key])).or_default(), id);
                push_once(self.pods_by_value.entry(scoped(reach, &[value])).or_default(), id);
            }
        }
    }
}

/// Ids arrive in order, so a repeat is the last one (two labels with one value).
fn push_once(list: &mut Vec<ObjectId>, id: ObjectId) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}

impl ObjectIndex {
    /// Sets (or, with `None`, removes) the part of one file.
    pub fn set_part(&mut self, file: FileId, part: Option<Arc<IndexPart>>) {
        let file = file as usize;
        if self.parts.len() <= file {
            self.parts.resize(file + 1, None);
        }
        self.parts[file] = part;
        self.maps = OnceLock::new();
    }

    pub fn part(&self, file: FileId) -> Option<&Arc<IndexPart>> {
        self.parts.get(file as usize).and_then(Option::as_ref)
    }

    fn maps(&self) -> &Maps {
        self.maps.get_or_init(|| Maps::build(&self.parts))
    }

    /// The whole run as it is.
    pub fn view<'i>(&'i self, work: &'i Work) -> IndexView<'i> {
        IndexView { index: self, replaced: None, focus: false, work, selections: Mutex::default() }
    }

    /// The run with one file's part replaced by another version of it, and questions about
    /// subjects limited to that file: what one file's findings need, without rebuilding.
    pub fn view_of_version<'i>(&'i self, file: FileId, part: &'i IndexPart, work: &'i Work) -> IndexView<'i> {
        IndexView { index: self, replaced: Some((file, part)), focus: true, work, selections: Mutex::default() }
    }
}

/// What a Service's selector picks: the pods, and the port names they declare.
#[derive(Debug, Default)]
pub struct Selection {
    pub pods: Vec<ObjectId>,
    pub port_names: Vec<String>,
}

type SelectionKey = (Option<String>, Vec<(String, String)>);

/// The index as the rules of one evaluation see it.
pub struct IndexView<'i> {
    index: &'i ObjectIndex,
    replaced: Option<(FileId, &'i IndexPart)>,
    /// Only the replaced file's objects are subjects (their findings are what is asked for).
    focus: bool,
    work: &'i Work,
    /// Identical selectors are answered once.
    selections: Mutex<FxHashMap<SelectionKey, Arc<Selection>>>,
}

impl<'i> IndexView<'i> {
    pub fn work(&self) -> &'i Work {
        self.work
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

    /// `base` (ids of the whole index, sorted) with the replaced file's ids swapped for those of
    /// its new version that pass `keep`, still sorted.
    fn merged(&self, base: &'i [ObjectId], keep: impl Fn(&IndexedObject) -> bool) -> Vec<ObjectId> {
        let Some((file, part)) = self.replaced else { return base.to_vec() };
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

    fn list(&self, map: &'i FxHashMap<u64, Vec<ObjectId>>, key: u64) -> &'i [ObjectId] {
        self.probe();
        map.get(&key).map_or(&[], Vec::as_slice)
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
        let base = self.list(&self.index.maps().by_kind, hash_of(&[kind]));
        self.merged(base, |o| o.kind() == Some(kind))
    }

    /// Whether the run holds objects of a class: whether a rule that needs them could reach a
    /// verdict.
    pub fn holds(&self, class: ObjectClass) -> bool {
        let maps = self.index.maps();
        let in_base = |ids: &[ObjectId]| ids.iter().any(|id| self.replaced.is_none_or(|(file, _)| id.file != file));
        let (base, in_version): (&[ObjectId], bool) = match class {
            ObjectClass::Pods => {
                (&maps.pods, self.replaced.is_some_and(|(_, p)| p.objects.iter().any(|o| o.pod.is_some())))
            }
            ObjectClass::Kind(kind) => (
                self.list(&maps.by_kind, hash_of(&[kind])),
                self.replaced.is_some_and(|(_, p)| p.objects.iter().any(|o| o.kind() == Some(kind))),
            ),
        };
        in_version || in_base(base)
    }

    /// The pods a selector picks in a namespace. Identical selectors are answered once.
    pub fn select(&self, namespace: Option<&str>, selector: &[(String, String)]) -> Arc<Selection> {
        let key = (namespace.map(str::to_owned), selector.to_vec());
        if let Some(found) = self.selections.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return found.clone();
        }
        let pods: Vec<ObjectId> = self
            .candidates_for(namespace, selector)
            .into_iter()
            .filter(|&id| {
                let object = self.object(id);
                same_namespace(namespace, object.namespace())
                    && object.pod.as_ref().is_some_and(|p| selects(selector, &p.labels))
            })
            .collect();
        let mut port_names: Vec<String> =
            pods.iter().filter_map(|&id| self.object(id).pod.as_ref()).flat_map(|p| p.port_names.clone()).collect();
        port_names.sort_unstable();
        port_names.dedup();
        let selection = Arc::new(Selection { pods, port_names });
        self.selections.lock().unwrap_or_else(|e| e.into_inner()).insert(key, selection.clone());
        selection
    }

    /// The lists a label lookup in `namespace` walks: the namespace's own and that of objects
    /// without one; everything for a selector without a namespace.
    fn reachable_lists(
        &self,
        map: &'i FxHashMap<u64, Vec<ObjectId>>,
        namespace: Option<&str>,
        parts: &[&str],
    ) -> [&'i [ObjectId]; 2] {
        match namespace {
            None => [self.list(map, scoped(Reach::Anywhere, parts)), &[]],
            Some(ns) => {
                [self.list(map, scoped(Reach::In(Some(ns)), parts)), self.list(map, scoped(Reach::In(None), parts))]
            }
        }
    }

    /// Pods that carry the selector's rarest pair among those it could reach: every pod it
    /// could select.
    fn candidates_for(&self, namespace: Option<&str>, selector: &[(String, String)]) -> Vec<ObjectId> {
        let maps = self.index.maps();
        let [own, unset] = selector
            .iter()
            .map(|(k, v)| self.reachable_lists(&maps.pods_by_pair, namespace, &[k, v]))
            .min_by_key(|[own, unset]| own.len() + unset.len())
            .unwrap_or([&[], &[]]);
        let base = merge_sorted(own, unset);
        let pair_in =
            |o: &IndexedObject| o.pod.as_ref().is_some_and(|p| selector.iter().any(|pair| p.labels.contains(pair)));
        let candidates = self.merged(&base, pair_in);
        self.work.candidates.fetch_add(candidates.len() as u64, Relaxed);
        candidates
    }

    /// Pods in namespaces the selector cannot reach that it would otherwise select, at most
    /// `limit`: the likeliest mistake after a typo is the right labels in the wrong namespace.
    /// Walks at most `WALK` pods of the rarest pair's list.
    pub fn selected_elsewhere(
        &self,
        namespace: Option<&str>,
        selector: &[(String, String)],
        limit: usize,
    ) -> Vec<ObjectId> {
        const WALK: usize = 256;
        // A selector without a namespace reaches every namespace.
        if namespace.is_none() {
            return Vec::new();
        }
        let maps = self.index.maps();
        let rarest = selector
            .iter()
            .map(|(k, v)| self.list(&maps.pods_by_pair, scoped(Reach::Anywhere, &[k, v])))
            .min_by_key(|list| list.len())
            .unwrap_or(&[]);
        let pair_in =
            |o: &IndexedObject| o.pod.as_ref().is_some_and(|p| selector.iter().any(|pair| p.labels.contains(pair)));
        let walked: Vec<ObjectId> = self.merged(&rarest[..rarest.len().min(WALK)], pair_in);
        self.work.candidates.fetch_add(walked.len() as u64, Relaxed);
        walked
            .into_iter()
            .filter(|&id| {
                let object = self.object(id);
                !same_namespace(namespace, object.namespace())
                    && object.pod.as_ref().is_some_and(|p| selects(selector, &p.labels))
            })
            .take(limit)
            .collect()
    }

    /// The first `n` pods (all, or only labelled ones) a selector in `namespace` could reach,
    /// in run order. Walks at most `n` entries of each list it merges.
    fn first_reachable(&self, namespace: Option<&str>, labelled: bool, n: usize) -> Vec<ObjectId> {
        let maps = self.index.maps();
        let table = if labelled { &maps.labelled_by_namespace } else { &maps.pods_by_namespace };
        let lists: Vec<&[ObjectId]> = match namespace {
            // No namespace: applied wherever it is applied, so every pod could be a neighbour.
            None if labelled => vec![&maps.labelled],
            None => vec![&maps.pods],
            Some(ns) => vec![self.list(table, namespace_key(Some(ns))), self.list(table, namespace_key(None))],
        };
        let replaced = self.replaced.map(|(file, _)| file);
        let mut out: Vec<ObjectId> = Vec::with_capacity(n * lists.len());
        for list in lists {
            let kept = list.iter().copied().filter(|id| Some(id.file) != replaced).take(n);
            out.extend(kept);
        }
        if let Some((file, part)) = self.replaced {
            let version = part.objects.iter().enumerate().filter(|(_, o)| {
                o.pod.as_ref().is_some_and(|p| !labelled || !p.labels.is_empty())
                    && same_namespace(namespace, o.namespace())
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

    /// Whether any pod with labels lives where a selector in `namespace` could reach it.
    pub fn has_labelled_pods_near(&self, namespace: Option<&str>) -> bool {
        !self.first_reachable(namespace, true, 1).is_empty()
    }

    /// Labelled pods a selector in `namespace` could have meant, for "closest labels" help: all
    /// of them when there are at most `cap`. Else at most `cap` of those that share something
    /// with the selector, closest first: a pair, then a key, then a value (a typo keeps one or
    /// the other). Each list is walked for at most `WALK` entries, so the cost per selector is
    /// bounded however many pods a namespace holds.
    pub fn near_pods(&self, namespace: Option<&str>, selector: &[(String, String)], cap: usize) -> Vec<ObjectId> {
        const WALK: usize = 16;
        let reachable = self.first_reachable(namespace, true, cap + 1);
        if reachable.len() <= cap {
            return reachable;
        }
        let maps = self.index.maps();
        let lists = |map, parts: &[&str]| self.reachable_lists(map, namespace, parts);
        let pairs = selector.iter().flat_map(|(k, v)| lists(&maps.pods_by_pair, &[k, v]));
        let keys = selector.iter().flat_map(|(k, _)| lists(&maps.pods_by_key, &[k]));
        let values = selector.iter().flat_map(|(_, v)| lists(&maps.pods_by_value, &[v]));
        // Whether a label (k, v) shares with a selector pair (sk, sv), tier by tier.
        let shares = |tier: usize, k: &str, v: &str, sk: &str, sv: &str| match tier {
            0 => k == sk && v == sv,
            1 => k == sk,
            _ => v == sv,
        };
        let lists: [Vec<&[ObjectId]>; 3] = [pairs.collect(), keys.collect(), values.collect()];
        let mut near: Vec<ObjectId> = Vec::new();
        for (tier, lists) in lists.iter().enumerate() {
            let mut found: Vec<ObjectId> = Vec::new();
            for list in lists {
                for &id in list.iter().take(WALK) {
                    self.work.candidates.fetch_add(1, Relaxed);
                    let replaced = self.replaced.is_some_and(|(file, _)| file == id.file);
                    if !replaced && same_namespace(namespace, self.object(id).namespace()) {
                        found.push(id);
                    }
                }
            }
            if let Some((file, part)) = self.replaced {
                for (local, object) in part.objects.iter().enumerate() {
                    let Some(pod) = &object.pod else { continue };
                    let matches =
                        pod.labels.iter().any(|(k, v)| selector.iter().any(|(sk, sv)| shares(tier, k, v, sk, sv)));
                    if matches && same_namespace(namespace, object.namespace()) {
                        found.push(ObjectId { file, local: local as u32 });
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            for id in found {
                if near.len() == cap {
                    return near;
                }
                if !near.contains(&id) {
                    near.push(id);
                }
            }
        }
        near
    }
}

/// A Service's pods are in its own namespace; an object without one gets the namespace it is
/// applied to, so it could be any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Whether every selector pair is among the labels.
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector.iter().all(|pair| labels.contains(pair))
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
            pod: Some(PodFacts { labels: pairs(labels), port_names: vec!["http".into()] }),
            references: Vec::new(),
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
    fn selection_needs_every_pair_and_a_compatible_namespace() {
        let labels = pairs(&[("app", "web"), ("tier", "front")]);
        assert!(selects(&pairs(&[("app", "web")]), &labels));
        assert!(!selects(&pairs(&[("app", "web"), ("tier", "back")]), &labels));
        assert!(same_namespace(None, Some("a")));
        assert!(!same_namespace(Some("a"), Some("b")));
    }

    #[test]
    fn selectors_find_pods_by_their_rarest_pair() {
        let index = index(vec![
            vec![pod(Some("a"), &[("app", "web"), ("tier", "front")]), pod(Some("b"), &[("app", "web")])],
            vec![pod(None, &[("app", "web"), ("tier", "front")])],
        ]);
        let work = Work::default();
        let view = index.view(&work);
        let selector = pairs(&[("app", "web"), ("tier", "front")]);
        let picked = &view.select(Some("a"), &selector).pods;
        assert_eq!(picked, &[ObjectId { file: 0, local: 0 }, ObjectId { file: 1, local: 0 }]);
        assert_eq!(view.selected_elsewhere(Some("b"), &selector, 3).len(), 1);
        // The rarest pair (`tier: front`, two pods) was walked, not `app: web` (three).
        assert_eq!(work.count().candidates, 4);
        // The second identical question is answered from memory.
        let _ = view.select(Some("a"), &selector);
        assert_eq!(work.count().candidates, 4);
    }

    #[test]
    fn a_replaced_file_is_seen_in_place_of_the_old_one() {
        let index = index(vec![vec![pod(Some("a"), &[("app", "web")])], vec![pod(Some("a"), &[("app", "old")])]]);
        let work = Work::default();
        let version = IndexPart { path: "1.yaml".into(), objects: vec![pod(Some("a"), &[("app", "web")])] };
        let view = index.view_of_version(1, &version, &work);
        let picked = &view.select(Some("a"), &pairs(&[("app", "web")])).pods;
        assert_eq!(picked, &[ObjectId { file: 0, local: 0 }, ObjectId { file: 1, local: 0 }]);
        assert_eq!(view.subjects("Deployment"), [ObjectId { file: 1, local: 0 }]);
        assert!(view.select(Some("a"), &pairs(&[("app", "old")])).pods.is_empty());
    }
}
