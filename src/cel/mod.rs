//! CEL as the Kubernetes API server evaluates it for ValidatingAdmissionPolicy: the `cel` crate
//! (cel-rust) parses and interprets standard CEL, and this module adds what Kubernetes adds on
//! top (its libraries in `library`), the variables of an admission request (`Scope`), and what
//! a linter needs to place a finding (`Program::object_paths`).
//!
//! An expression is compiled once per run and evaluated once per object it applies to; an
//! object's YAML tree is converted once (`Scope::set_node`) and shared by every policy that
//! evaluates it, so evaluation never copies the object.
mod convert;
mod library;
mod paths;

use std::fmt;
use std::sync::{Arc, OnceLock};

use cel::common::types::{CelBool, CelNull, CelString};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Env, ExecutionError, Value};

/// The top-level variables of a ValidatingAdmissionPolicy expression.
pub const VARIABLES: &[&str] =
    &["object", "oldObject", "params", "request", "namespaceObject", "variables", "authorizer"];

/// A compiled CEL expression: parsed and checked once per run, evaluated many times.
pub struct Program {
    program: cel::Program,
    object_paths: Vec<Vec<String>>,
    variables_used: Vec<String>,
    top_level: Vec<&'static str>,
    depth: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub message: String,
    /// Byte offset in the expression text.
    pub offset: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}
impl std::error::Error for EvalError {}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Bool(bool),
    String(String),
    Other { type_name: String, display: String },
}

/// The environment every program is compiled and run in: standard CEL, its extensions that
/// Kubernetes enables, and the Kubernetes libraries. Built once per process.
fn env() -> &'static Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| Arc::new(library::environment()))
}

/// Trees up to this deep are evaluated on the caller's thread: the interpreter recurses once or
/// more per level, and an unoptimised build overflows a 2 MiB thread stack (the default for
/// spawned threads and rayon's workers) at about 55 levels of `a + b + …`.
const INLINE_DEPTH: usize = 24;

/// Deeper trees run on a thread of their own with this much stack; the parser gives up at 96
/// nested parentheses, and the tree is at most a few levels deeper than the text's nesting.
const DEEP_STACK: usize = 256 << 20;

/// Trees deeper than this are refused rather than evaluated; the parser's own limit (96
/// nested parentheses) is reached before this by anything but long chains of binary
/// operators.
const MAX_DEPTH: usize = 500;

pub fn compile(expression: &str) -> Result<Program, CompileError> {
    // The parser recurses several frames per nesting level: run it where the stack is ample.
    let compiled = std::thread::scope(|threads| {
        std::thread::Builder::new()
            .name("cel-compile".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(threads, || compile_here(expression))
            .map(|thread| thread.join())
    });
    match compiled {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(CompileError { message: "the CEL compiler failed on this expression".into(), offset: None }),
        Err(e) => Err(CompileError { message: format!("could not start the CEL compiler: {e}"), offset: None }),
    }
}

fn compile_here(expression: &str) -> Result<Program, CompileError> {
    let program = env().compile(expression).map_err(|errors| {
        let first = errors.errors.first();
        CompileError {
            message: first.map_or_else(|| errors.to_string(), |e| e.msg.clone()),
            offset: first.and_then(|e| offset_of(expression, e.pos)),
        }
    })?;
    let source_info = program.source_info();
    let analysis = paths::analyse(program.expression());
    if let Some((message, id)) = analysis.unsupported.first() {
        return Err(CompileError {
            message: message.clone(),
            offset: source_info.offset_for(*id).and_then(|(start, _)| char_to_byte(expression, start as usize)),
        });
    }
    if let Some((name, id)) = analysis.undeclared.first() {
        return Err(CompileError {
            message: format!("undeclared reference to '{name}'"),
            offset: source_info.offset_for(*id).and_then(|(start, _)| char_to_byte(expression, start as usize)),
        });
    }
    if analysis.depth > MAX_DEPTH {
        return Err(CompileError {
            message: format!("expression nests too deeply ({} levels, at most {MAX_DEPTH})", analysis.depth),
            offset: None,
        });
    }
    Ok(Program {
        depth: analysis.depth,
        object_paths: analysis.object_paths,
        variables_used: analysis.variables_used,
        top_level: analysis.top_level,
        program,
    })
}

/// The parser reports a (1-based line, 1-based column in characters) position.
fn offset_of(expression: &str, (line, column): (isize, isize)) -> Option<usize> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let column = usize::try_from(column).ok()?.saturating_sub(1);
    let line_start: usize = expression.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = expression.get(line_start..)?;
    Some(line_start + rest.char_indices().nth(column).map_or(rest.len(), |(i, _)| i))
}

fn char_to_byte(text: &str, chars: usize) -> Option<usize> {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).nth(chars)
}

impl Program {
    /// Field paths under the variable `object` that the expression reads, found statically:
    /// `object.spec.replicas >= 2` → `[["spec", "replicas"]]`. A path stops where an index is
    /// not a string literal (a list index, a computed key), so a macro over a list reports the
    /// list's path.
    pub fn object_paths(&self) -> &[Vec<String>] {
        &self.object_paths
    }

    /// Whether the expression names this top-level variable.
    pub fn uses(&self, variable: &str) -> bool {
        self.top_level.contains(&variable)
    }

    /// Names `variables.<name>` the expression reads.
    pub fn variables_used(&self) -> Vec<String> {
        self.variables_used.clone()
    }

    pub fn evaluate(&self, scope: &Scope) -> Result<Outcome, EvalError> {
        if self.uses("authorizer") {
            return Err(EvalError {
                message: "the authorizer is not available offline: an expression that uses `authorizer` cannot be evaluated without an API server".into(),
            });
        }
        self.on_enough_stack(|| {
            let mut context = Context::with_env(Arc::clone(env()));
            context.set_variable_resolver(scope);
            let value = Value::resolve_val(self.program.expression(), &context).map_err(eval_error)?;
            Ok(outcome(&*value))
        })
    }

    /// Runs `evaluate` here, or for a deep tree on a thread with stack enough for it.
    fn on_enough_stack<T: Send>(&self, evaluate: impl FnOnce() -> Result<T, EvalError> + Send) -> Result<T, EvalError> {
        if self.depth <= INLINE_DEPTH {
            return evaluate();
        }
        let evaluated = std::thread::scope(|threads| {
            std::thread::Builder::new()
                .name("cel-evaluate".into())
                .stack_size(DEEP_STACK)
                .spawn_scoped(threads, evaluate)
                .map(|thread| thread.join())
        });
        match evaluated {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(EvalError { message: "the CEL interpreter failed on this expression".into() }),
            Err(e) => Err(EvalError { message: format!("could not start the CEL interpreter: {e}") }),
        }
    }

    /// Evaluates to a value that outlives the scope, for `Scope::bind_variable`.
    fn evaluate_owned(&self, scope: &Scope) -> Result<Arc<dyn Val>, EvalError> {
        self.on_enough_stack(|| {
            let mut context = Context::with_env(Arc::clone(env()));
            context.set_variable_resolver(scope);
            let value = Value::resolve_val(self.program.expression(), &context).map_err(eval_error)?;
            convert::detach(&*value).map_err(eval_error)
        })
    }
}

fn outcome(value: &dyn Val) -> Outcome {
    if let Some(b) = value.downcast_ref::<CelBool>() {
        return Outcome::Bool(*b.inner());
    }
    if let Some(s) = value.downcast_ref::<CelString>() {
        return Outcome::String(s.inner().to_owned());
    }
    Outcome::Other { type_name: value.get_type().name().to_owned(), display: convert::display(value) }
}

pub(crate) fn eval_error(error: ExecutionError) -> EvalError {
    let message = match error {
        ExecutionError::NoSuchKey(key) => format!("no such key: {key}"),
        ExecutionError::UndeclaredReference(name) => format!("undeclared reference to '{name}'"),
        ExecutionError::FunctionError { function, message } if function.is_empty() => message,
        ExecutionError::IndexOutOfBounds(Value::Int(index)) => format!("index out of range: {index}"),
        other => other.to_string(),
    };
    EvalError { message }
}

/// The variables of one evaluation. Cheap to clone: values are shared, so an object is
/// converted once and read by every policy that matches it.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Shared until a clone sets a variable of its own.
    values: Arc<Vec<NamedValue>>,
    variables: Arc<Variables>,
}

/// A top-level variable and its value.
type NamedValue = (Box<str>, Arc<dyn Val>);

impl Default for Scope {
    fn default() -> Self {
        Scope::new()
    }
}

impl Scope {
    /// No variables but `oldObject`, which is null as on CREATE.
    pub fn new() -> Scope {
        Scope { values: Arc::new(vec![("oldObject".into(), Arc::new(CelNull))]), variables: Arc::default() }
    }

    fn set(&mut self, name: &str, value: Arc<dyn Val>) {
        let values = Arc::make_mut(&mut self.values);
        match values.iter_mut().find(|(n, _)| &**n == name) {
            Some((_, slot)) => *slot = value,
            None => values.push((name.into(), value)),
        }
    }

    pub fn set_node(&mut self, name: &str, node: &crate::yaml::Node<'_>) {
        self.set(name, Arc::from(convert::from_node(node)));
    }

    pub fn set_json(&mut self, name: &str, value: &serde_json::Value) {
        self.set(name, Arc::from(convert::from_json(value)));
    }

    pub fn set_null(&mut self, name: &str) {
        self.set(name, Arc::new(CelNull));
    }

    /// Evaluates `program` here and makes its value `variables.<name>` for later evaluations.
    /// On error the variable stays unset, and reading it is an error naming it and the cause.
    pub fn bind_variable(&mut self, name: &str, program: &Program) -> Result<(), EvalError> {
        let result = program.evaluate_owned(self);
        let stored = result.clone().map_err(|e| e.message);
        let variables = Arc::make_mut(&mut self.variables);
        match variables.entries.iter_mut().find(|(n, _)| n == name) {
            Some((_, slot)) => *slot = stored,
            None => variables.entries.push((name.to_owned(), stored)),
        }
        result.map(|_| ())
    }
}

impl VariableResolver for Scope {
    fn resolve<'b>(&'b self, name: &str) -> Option<CowVal<'b, 'b>> {
        if name == "variables" {
            return Some(CowVal::Borrowed(&*self.variables));
        }
        self.values.iter().find(|(n, _)| &**n == name).map(|(_, value)| CowVal::Borrowed(&**value))
    }
}

/// `variables`: the values of a policy's `spec.variables` evaluated so far, or why one failed.
#[derive(Clone, Debug, Default)]
struct Variables {
    entries: Vec<(String, VariableValue)>,
}

/// A variable's value, or why its expression failed.
type VariableValue = Result<Arc<dyn Val>, String>;

static VARIABLES_TYPE: cel::common::types::Type = cel::common::types::Type::new_unspecified_type("variables");

impl Val for Variables {
    fn get_type(&self) -> &cel::common::types::Type {
        &VARIABLES_TYPE
    }

    fn cel_type() -> &'static cel::common::types::Type {
        &VARIABLES_TYPE
    }

    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }

    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(self.clone())
    }
}

impl cel::common::traits::Indexer for Variables {
    fn get<'b, 'v>(&'b self, index: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let Some(name) = index.downcast_ref::<CelString>() else {
            return Err(library::fail("variables are named by strings"));
        };
        let name = name.inner();
        match self.entries.iter().find(|(n, _)| n == name) {
            Some((_, Ok(value))) => Ok(CowVal::Borrowed(&**value)),
            Some((_, Err(cause))) => Err(library::fail(format!("variable '{name}' failed: {cause}"))),
            None => Err(ExecutionError::NoSuchKey(Arc::new(name.to_owned()))),
        }
    }

    fn steal<'v>(self: Box<Self>, index: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        self.get(index).map(CowVal::into_owned)
    }
}

#[cfg(test)]
mod tests;

/// Policies are compiled once and evaluated from many threads.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<Program>();
    shared_between_threads::<Scope>();
};
