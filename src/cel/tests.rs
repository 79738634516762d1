use super::*;
use crate::yaml::{Limits, load};

fn scope_with_object(yaml: &str) -> Scope {
    let loaded = load(yaml, Limits::default());
    let mut scope = Scope::new();
    let root = &loaded.documents[0].root;
    scope.set_node("object", root.as_ref().expect("a document"));
    scope
}

fn eval(expression: &str, scope: &Scope) -> Result<Outcome, EvalError> {
    compile(expression).unwrap_or_else(|e| panic!("{expression}: {e:?}")).evaluate(scope)
}

#[test]
fn basic_expressions_over_an_object() {
    let scope = scope_with_object("spec:\n  replicas: 3\nmetadata:\n  name: prod-web\n  labels:\n    team: a\n");
    assert_eq!(eval("object.spec.replicas >= 2", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(eval("object.spec.replicas <= 2", &scope), Ok(Outcome::Bool(false)));
    assert_eq!(eval("object.metadata.name.startsWith('prod')", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(eval("'x' + object.metadata.name", &scope), Ok(Outcome::String("xprod-web".into())));
    assert_eq!(eval("object.metadata.labels.all(k, k != '')", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(eval("has(object.spec.template)", &scope), Ok(Outcome::Bool(false)));
    assert_eq!(
        eval("object.?spec.?template.orValue(1)", &scope),
        Ok(Outcome::Other { type_name: "int".into(), display: "1".into() })
    );
    assert_eq!(eval("object.spec.template", &scope), Err(EvalError { message: "no such key: template".into() }));
}

#[test]
fn compile_errors_carry_the_byte_offset_of_the_fault() {
    let error = |text: &str| compile(text).err().expect("a compile error");
    assert_eq!(error("object.spec.replicas >= ").offset, Some(24));
    assert_eq!(error("a\n  && b)").offset, Some(8));
    assert_eq!(error("object.spec.(").offset, Some(12));
    assert_eq!(error("object.spec.x == \u{a2}\u{a2} )").offset, Some(17));
    let undeclared = error("object.spec.x == 1 && foo.bar == 1");
    assert_eq!(undeclared, CompileError { message: "undeclared reference to 'foo'".into(), offset: Some(22) });
}

#[test]
fn comprehension_variables_and_type_names_are_declared() {
    assert!(compile("object.spec.containers.all(c, c.image != '' && type(c) == map)").is_ok());
    assert!(compile("object.spec.containers.exists(c, c.name == object.metadata.name)").is_ok());
    assert!(compile("[1].map(x, x + y)").is_err());
}

fn paths(expression: &str) -> Vec<Vec<String>> {
    compile(expression).expect("compiles").object_paths().to_vec()
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

#[test]
fn object_paths_follow_selections_indexes_and_presence_tests() {
    assert_eq!(paths("object.spec.replicas >= 2"), vec![path(&["spec", "replicas"])]);
    assert_eq!(paths("object.metadata.labels['team'] == 'a'"), vec![path(&["metadata", "labels", "team"])]);
    assert_eq!(paths("has(object.metadata.labels.team)"), vec![path(&["metadata", "labels", "team"])]);
    assert_eq!(paths("object.?spec.?replicas.orValue(1) > 0"), vec![path(&["spec", "replicas"])]);
    assert_eq!(paths("object.spec.containers.all(c, c.image.startsWith('x'))"), vec![path(&["spec", "containers"])]);
    assert_eq!(paths("object.spec.containers[0].image == 'x'"), vec![path(&["spec", "containers"])]);
    assert_eq!(
        paths("has(object.spec.replicas) && object.spec.replicas > 1 || object.metadata.name == ''"),
        vec![path(&["spec", "replicas"]), path(&["metadata", "name"])]
    );
    assert_eq!(paths("params.max > 1"), Vec::<Vec<String>>::new());
}

#[test]
fn top_level_variables_and_variables_used() {
    let program =
        compile("variables.isProd && object.spec.replicas < params.min && has(variables.x.y)").expect("compiles");
    assert!(program.uses("object") && program.uses("params") && program.uses("variables"));
    assert!(!program.uses("request") && !program.uses("oldObject"));
    assert_eq!(program.variables_used(), vec!["isProd".to_string(), "x".to_string()]);
}

#[test]
fn bound_variables_are_visible_to_later_evaluations() {
    let mut scope = scope_with_object("spec:\n  replicas: 3\n");
    let double = compile("object.spec.replicas * 2").expect("compiles");
    scope.bind_variable("double", &double).expect("evaluates");
    let broken = compile("object.spec.missing").expect("compiles");
    assert_eq!(scope.bind_variable("broken", &broken), Err(EvalError { message: "no such key: missing".into() }));
    assert_eq!(eval("variables.double == 6", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(
        eval("variables.broken", &scope),
        Err(EvalError { message: "variable 'broken' failed: no such key: missing".into() })
    );
    assert_eq!(eval("variables.absent", &scope), Err(EvalError { message: "no such key: absent".into() }));
}

#[test]
fn request_from_json_old_object_null_and_authorizer_absent() {
    let mut scope = Scope::new();
    scope.set_json(
        "request",
        &serde_json::json!({"operation": "CREATE", "namespace": "prod", "kind": {"kind": "Deployment"}}),
    );
    assert_eq!(
        eval("request.operation == 'CREATE' && request.kind.kind == 'Deployment'", &scope),
        Ok(Outcome::Bool(true))
    );
    assert_eq!(eval("oldObject == null", &scope), Ok(Outcome::Bool(true)));
    let error = eval("authorizer.group('apps').resource('deployments').check('create').allowed()", &scope).err();
    assert!(error.is_some_and(|e| e.message.contains("authorizer is not available offline")));
}
