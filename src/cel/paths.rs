//! What an expression reads, found from its tree without evaluating it: the `object.…` fields
//! (to place a finding at the line a reader must look at), the `variables.…` it needs, the
//! top-level variables it names, and the names it uses that nothing declares.
use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, operators};

use super::VARIABLES;

/// Type names an expression may write as identifiers, e.g. `type(x) == string`.
const TYPE_NAMES: &[&str] = &[
    "bool",
    "bytes",
    "double",
    "duration",
    "dyn",
    "int",
    "list",
    "map",
    "null_type",
    "optional_type",
    "string",
    "timestamp",
    "type",
    "uint",
];

/// Namespaces of functions called as `namespace.function(…)`.
const FUNCTION_NAMESPACES: &[&str] = &["optional", "format", "strings", "math", "lists", "base64", "sets", "ip"];

#[derive(Default)]
pub struct Analysis {
    pub object_paths: Vec<Vec<String>>,
    pub variables_used: Vec<String>,
    pub top_level: Vec<&'static str>,
    /// Identifiers that are neither variables, types nor comprehension variables, with their node.
    pub undeclared: Vec<(String, u64)>,
    /// Calls the engine cannot evaluate, with why, and their node.
    pub unsupported: Vec<(String, u64)>,
    /// The nesting depth of the tree, which bounds the interpreter's recursion.
    pub depth: usize,
}

pub fn analyse(expr: &IdedExpr) -> Analysis {
    let mut analysis = Analysis::default();
    let mut bound = Vec::new();
    walk(expr, &mut bound, &mut analysis);
    analysis.depth = depth(expr);
    analysis
}

fn depth(expr: &IdedExpr) -> usize {
    let entries = |entries: &[cel::common::ast::IdedEntryExpr]| {
        entries
            .iter()
            .map(|entry| match &entry.expr {
                EntryExpr::MapEntry(entry) => depth(&entry.key).max(depth(&entry.value)),
                EntryExpr::StructField(field) => depth(&field.value),
            })
            .max()
            .unwrap_or(0)
    };
    1 + match &expr.expr {
        Expr::Call(call) => call.target.iter().map(|t| depth(t)).chain(call.args.iter().map(depth)).max().unwrap_or(0),
        Expr::Select(select) => depth(&select.operand),
        Expr::List(list) => list.elements.iter().map(depth).max().unwrap_or(0),
        Expr::Map(map) => entries(&map.entries),
        Expr::Struct(structure) => entries(&structure.entries),
        Expr::Comprehension(c) => [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result]
            .into_iter()
            .map(depth)
            .max()
            .unwrap_or(0),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => 0,
    }
}

fn walk<'e>(expr: &'e IdedExpr, bound: &mut Vec<&'e str>, out: &mut Analysis) {
    if !bound.contains(&"object")
        && let Some(path) = path_from(expr, "object")
    {
        if !path.is_empty() && !out.object_paths.contains(&path) {
            out.object_paths.push(path);
        }
        note_top_level("object", out);
        return;
    }
    if !bound.contains(&"variables")
        && let Some(path) = path_from(expr, "variables")
    {
        if let Some(name) = path.into_iter().next()
            && !out.variables_used.contains(&name)
        {
            out.variables_used.push(name);
        }
        note_top_level("variables", out);
        return;
    }
    match &expr.expr {
        Expr::Ident(name) => {
            if bound.contains(&name.as_str()) {
                return;
            }
            if let Some(variable) = VARIABLES.iter().find(|v| **v == name) {
                note_top_level(variable, out);
            } else if !TYPE_NAMES.contains(&name.as_str()) {
                out.undeclared.push((name.clone(), expr.id));
            }
        }
        Expr::Call(call) => {
            if is_two_variable_comprehension(call) {
                out.unsupported.push((
                    format!(
                        "two-variable comprehensions (`{}(k, v, …)`) are not supported by podlint's CEL engine",
                        call.func_name
                    ),
                    expr.id,
                ));
                return;
            }
            walk_call(call, bound, out)
        }
        Expr::Select(select) => walk(&select.operand, bound, out),
        Expr::List(list) => list.elements.iter().for_each(|e| walk(e, bound, out)),
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(entry) => {
                        walk(&entry.key, bound, out);
                        walk(&entry.value, bound, out);
                    }
                    EntryExpr::StructField(field) => walk(&field.value, bound, out),
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &structure.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(entry) => {
                        walk(&entry.key, bound, out);
                        walk(&entry.value, bound, out);
                    }
                    EntryExpr::StructField(field) => walk(&field.value, bound, out),
                }
            }
        }
        Expr::Comprehension(comprehension) => {
            walk(&comprehension.iter_range, bound, out);
            walk(&comprehension.accu_init, bound, out);
            let depth = bound.len();
            bound.push(&comprehension.iter_var);
            if let Some(second) = &comprehension.iter_var2 {
                bound.push(second);
            }
            bound.push(&comprehension.accu_var);
            walk(&comprehension.loop_cond, bound, out);
            walk(&comprehension.loop_step, bound, out);
            walk(&comprehension.result, bound, out);
            bound.truncate(depth);
        }
        Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// `m.all(k, v, …)` and the other macros of cel-go's two-variable comprehensions extension,
/// which the `cel` crate does not expand: left as calls, their variables would otherwise read
/// as undeclared names.
fn is_two_variable_comprehension(call: &CallExpr) -> bool {
    const MACROS: &[&str] =
        &["all", "exists", "exists_one", "existsOne", "transformList", "transformMap", "transformMapEntry"];
    call.target.is_some()
        && MACROS.contains(&call.func_name.as_str())
        && (call.args.len() == 3 || call.args.len() == 4)
        && call.args[..2].iter().all(|arg| matches!(arg.expr, Expr::Ident(_)))
}

fn walk_call<'e>(call: &'e CallExpr, bound: &mut Vec<&'e str>, out: &mut Analysis) {
    if let Some(target) = &call.target {
        let is_namespace = matches!(&target.expr, Expr::Ident(name)
            if FUNCTION_NAMESPACES.contains(&name.as_str()) && !bound.contains(&name.as_str()));
        if !is_namespace {
            walk(target, bound, out);
        }
    }
    call.args.iter().for_each(|arg| walk(arg, bound, out));
}

fn note_top_level(name: &str, out: &mut Analysis) {
    if let Some(variable) = VARIABLES.iter().find(|v| **v == name)
        && !out.top_level.contains(variable)
    {
        out.top_level.push(variable);
    }
}

/// The fields below `root` that `expr` reads, when `expr` is a chain of field selections,
/// presence tests, optional selections and string-literal indexes starting at `root`.
fn path_from(expr: &IdedExpr, root: &str) -> Option<Vec<String>> {
    match &expr.expr {
        Expr::Ident(name) if name == root => Some(Vec::new()),
        Expr::Select(select) => {
            let mut path = path_from(&select.operand, root)?;
            path.push(select.field.clone());
            Some(path)
        }
        Expr::Call(call)
            if call.target.is_none()
                && call.args.len() == 2
                && matches!(
                    call.func_name.as_str(),
                    operators::INDEX | operators::OPT_INDEX | operators::OPT_SELECT
                ) =>
        {
            let Expr::Literal(LiteralValue::String(key)) = &call.args[1].expr else { return None };
            let mut path = path_from(&call.args[0], root)?;
            path.push(key.inner().to_owned());
            Some(path)
        }
        _ => None,
    }
}
