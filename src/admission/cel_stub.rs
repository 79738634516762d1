//! TEMPORARY: the signatures of `crate::cel` (helper A's module, not merged yet), so that the
//! policy engine compiles and its matching can be tested. Every expression compiles and every
//! evaluation fails. Removed when `crate::cel` lands.
#![allow(dead_code)]

pub const EVALUATES: bool = false;

pub struct Program {
    paths: Vec<Vec<String>>,
}
#[derive(Debug)]
pub struct CompileError {
    pub message: String,
    pub offset: Option<usize>,
}
#[derive(Debug)]
pub struct EvalError {
    pub message: String,
}
pub enum Outcome {
    Bool(bool),
    String(String),
    Other { type_name: String, display: String },
}

pub fn compile(expression: &str) -> Result<Program, CompileError> {
    if expression.trim().is_empty() {
        return Err(CompileError { message: "empty expression".into(), offset: None });
    }
    Ok(Program { paths: Vec::new() })
}

impl Program {
    pub fn object_paths(&self) -> &[Vec<String>] {
        &self.paths
    }
    pub fn uses(&self, _variable: &str) -> bool {
        false
    }
    pub fn variables_used(&self) -> Vec<String> {
        Vec::new()
    }
    pub fn evaluate(&self, _scope: &Scope) -> Result<Outcome, EvalError> {
        Err(EvalError { message: "the CEL engine is not merged yet".into() })
    }
}

#[derive(Clone, Default)]
pub struct Scope {}
impl Scope {
    pub fn new() -> Scope {
        Scope {}
    }
    pub fn set_node(&mut self, _name: &str, _node: &crate::yaml::Node<'_>) {}
    pub fn set_json(&mut self, _name: &str, _value: &serde_json::Value) {}
    pub fn set_null(&mut self, _name: &str) {}
    pub fn bind_variable(&mut self, _name: &str, _program: &Program) -> Result<(), EvalError> {
        Ok(())
    }
}
