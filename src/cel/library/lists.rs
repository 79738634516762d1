//! The Kubernetes lists library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf` on
//! lists), its regex library (`find`, `findAll`), and cel-go's sets extension
//! (`sets.contains`, `sets.equivalent`, `sets.intersects`).
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use cel::Env;
use cel::ExecutionError;
use cel::common::types::{DYN_TYPE, INT_TYPE, LIST_TYPE, STRING_TYPE};
use cel::common::value::{CowVal, Val};

use super::fail;
use super::support::*;

fn items<'b, 'v>(list: &'b (dyn Val + 'v)) -> Result<Vec<&'b (dyn Val + 'v)>, ExecutionError> {
    let iterable =
        list.as_iterable().ok_or_else(|| fail(format!("expected a list, got {}", list.get_type().name())))?;
    let mut iter = iterable.iter();
    let mut out = Vec::new();
    while let Some(item) = iter.next() {
        out.push(item);
    }
    Ok(out)
}

fn compare(a: &dyn Val, b: &dyn Val) -> Result<Ordering, ExecutionError> {
    a.as_comparer().ok_or_else(|| fail(format!("values of type {} cannot be ordered", a.get_type().name())))?.compare(b)
}

fn extreme<'b, 'v>(args: Args<'b, 'v>, name: &str, keep: Ordering) -> Returns<'b, 'v> {
    let list = items(&*args[0])?;
    let mut best = *list.first().ok_or_else(|| fail(format!("{name} called on empty list")))?;
    for item in &list[1..] {
        if compare(*item, best)? == keep {
            best = *item;
        }
    }
    Ok(CowVal::Owned(best.clone_as_boxed()))
}

fn sum<'b, 'v>(args: Args<'b, 'v>) -> Returns<'b, 'v> {
    let list = items(&*args[0])?;
    let Some((first, rest)) = list.split_first() else { return int(0) };
    let mut total: Box<dyn Val + 'v> = first.clone_as_boxed();
    for item in rest {
        let adder = total
            .as_adder()
            .ok_or_else(|| fail(format!("values of type {} cannot be added", total.get_type().name())))?;
        let next = adder.add(*item)?.into_owned();
        total = next;
    }
    Ok(CowVal::Owned(total))
}

fn index_of<'b, 'v>(args: &Args<'b, 'v>, last: bool) -> Returns<'b, 'v> {
    let list = items(&*args[0])?;
    let needle = &*args[1];
    let found = if last {
        list.iter().rposition(|item| item.equals(needle))
    } else {
        list.iter().position(|item| item.equals(needle))
    };
    int(found.map_or(-1, |i| i as i64))
}

thread_local! {
    /// Policies use a handful of patterns over and over: compile each once per thread.
    static PATTERNS: RefCell<HashMap<String, regex::Regex>> = RefCell::new(HashMap::new());
}

fn with_regex<T>(pattern: &str, f: impl FnOnce(&regex::Regex) -> T) -> Result<T, ExecutionError> {
    PATTERNS.with(|patterns| {
        let mut patterns = patterns.borrow_mut();
        if !patterns.contains_key(pattern) {
            let compiled =
                regex::Regex::new(pattern).map_err(|e| fail(format!("invalid regular expression {pattern:?}: {e}")))?;
            if patterns.len() > 256 {
                patterns.clear();
            }
            patterns.insert(pattern.to_owned(), compiled);
        }
        let compiled = patterns.get(pattern).ok_or_else(|| fail("regular expression cache"))?;
        Ok(f(compiled))
    })
}

fn find_all<'b, 'v>(text: &str, pattern: &str, limit: i64) -> Returns<'b, 'v> {
    let found = with_regex(pattern, |re| {
        let matches = re.find_iter(text).map(|m| m.as_str().to_owned());
        if limit < 0 { matches.collect::<Vec<_>>() } else { matches.take(limit as usize).collect() }
    })?;
    strings(found)
}

fn contains_all(haystack: &[&dyn Val], needles: &[&dyn Val]) -> bool {
    needles.iter().all(|n| haystack.iter().any(|h| h.equals(*n)))
}

pub fn declare(env: &mut Env) {
    let list = || LIST_TYPE;
    member(env, "isSorted", list(), vec![], |args| {
        let list = items(&*args[0])?;
        for pair in list.windows(2) {
            if compare(pair[0], pair[1])? == Ordering::Greater {
                return boolean(false);
            }
        }
        boolean(true)
    });
    member(env, "sum", list(), vec![], sum);
    member(env, "min", list(), vec![], |args| extreme(args, "min", Ordering::Less));
    member(env, "max", list(), vec![], |args| extreme(args, "max", Ordering::Greater));
    member(env, "indexOf", list(), vec![DYN_TYPE], |args| index_of(&args, false));
    member(env, "lastIndexOf", list(), vec![DYN_TYPE], |args| index_of(&args, true));

    member(env, "find", STRING_TYPE, vec![STRING_TYPE], |args| {
        let (text, pattern) = (string_arg(&args, 0)?, string_arg(&args, 1)?);
        string(with_regex(pattern, |re| re.find(text).map(|m| m.as_str().to_owned()).unwrap_or_default())?)
    });
    member(env, "findAll", STRING_TYPE, vec![STRING_TYPE], |args| {
        find_all(string_arg(&args, 0)?, string_arg(&args, 1)?, -1)
    });
    member(env, "findAll", STRING_TYPE, vec![STRING_TYPE, INT_TYPE], |args| {
        find_all(string_arg(&args, 0)?, string_arg(&args, 1)?, int_arg(&args, 2)?)
    });

    global(env, "sets.contains", vec![list(), list()], |args| {
        boolean(contains_all(&items(&*args[0])?, &items(&*args[1])?))
    });
    global(env, "sets.equivalent", vec![list(), list()], |args| {
        let (a, b) = (items(&*args[0])?, items(&*args[1])?);
        boolean(contains_all(&a, &b) && contains_all(&b, &a))
    });
    global(env, "sets.intersects", vec![list(), list()], |args| {
        let (a, b) = (items(&*args[0])?, items(&*args[1])?);
        boolean(a.iter().any(|x| b.iter().any(|y| x.equals(*y))))
    });
}
