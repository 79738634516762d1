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

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prod-web
  namespace: prod
  labels:
    team: payments
    environment: prod
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          resources:
            limits:
              memory: 512Mi
              cpu: 500m
        - name: sidecar
          image: registry.example.com/proxy:2.0.0
";

/// Each expression is written to evaluate to `true` when the library behaves as Kubernetes'
/// does; most come from the Kubernetes documentation of the CEL libraries and of
/// ValidatingAdmissionPolicy.
fn assert_all_true(expressions: &[&str]) {
    let mut scope = scope_with_object(DEPLOYMENT);
    scope.set_json("params", &serde_json::json!({"maxReplicas": 5, "registry": "registry.example.com/"}));
    let failures: Vec<String> = expressions
        .iter()
        .filter_map(|expression| match compile(expression).map(|p| p.evaluate(&scope)) {
            Ok(Ok(Outcome::Bool(true))) => None,
            other => Some(format!("{expression}: {other:?}")),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn standard_cel_and_admission_policy_examples() {
    assert_all_true(&[
        "object.spec.replicas <= 5",
        "object.spec.replicas <= params.maxReplicas",
        "object.metadata.name.startsWith(\"prod\")",
        "has(object.spec.template.spec.securityContext)",
        "!has(object.spec.template.spec.hostNetwork)",
        "object.spec.template.spec.containers.all(c, c.image.startsWith(params.registry))",
        "object.spec.template.spec.containers.exists(c, c.name == 'sidecar')",
        "object.spec.template.spec.containers.exists_one(c, c.name == 'web')",
        "object.spec.template.spec.containers.map(c, c.name) == ['web', 'sidecar']",
        "object.spec.template.spec.containers.filter(c, c.name.endsWith('car')).size() == 1",
        "size(object.spec.template.spec.containers) == 2",
        "'team' in object.metadata.labels",
        "object.metadata.labels.environment in ['prod', 'staging']",
        "object.metadata.name.matches('^prod-[a-z]+$')",
        "object.metadata.labels.all(k, k != '')",
        "'object.spec.replicas must be no greater than ' + string(params.maxReplicas) == 'object.spec.replicas must be no greater than 5'",
        "int('5') == 5 && double(1) == 1.0 && string(2) == '2' && uint(3) == 3u",
        "1 < 1.5 && 2u > 1 && 1 == 1.0",
        "type(object.spec.replicas) == int && type(object.metadata) == map",
        "object.spec.replicas > 2 ? true : false",
        "[1, 2] + [3] == [1, 2, 3]",
        "{'a': 1}.a == 1",
        "oldObject == null",
    ]);
}

#[test]
fn optional_types() {
    assert_all_true(&[
        "object.?spec.?replicas.orValue(1) == 3",
        "object.?spec.?paused.orValue(false) == false",
        "!object.?spec.?paused.hasValue()",
        "object.?metadata.?labels[?'team'].hasValue()",
        "object.?metadata.?labels[?'team'].value() == 'payments'",
        "optional.of(1).hasValue() && optional.of(3).value() == 3",
        "optional.none().orValue(2) == 2",
        "optional.none().or(optional.of(4)).value() == 4",
        "optional.ofNonZeroValue('').hasValue() == false",
        "[?optional.none(), ?optional.of(1)] == [1]",
        "{?'a': optional.none(), 'b': 2} == {'b': 2}",
    ]);
}

#[test]
fn strings_extension() {
    assert_all_true(&[
        "'abc'.charAt(1) == 'b'",
        "\"abc\".indexOf(\"c\") == 2",
        "'abcabc'.indexOf('c', 3) == 5",
        "'abcabc'.lastIndexOf('b') == 4",
        "'TacoCat'.lowerAscii() == 'tacocat'",
        "'TacoCat'.upperAscii() == 'TACOCAT'",
        "'a-b-c'.replace('-', '_') == 'a_b_c'",
        "'a-b-c'.replace('-', '_', 1) == 'a_b-c'",
        "'a,b,c'.split(',') == ['a', 'b', 'c']",
        "'a,b,c'.split(',', 2) == ['a', 'b,c']",
        "'tacocat'.substring(4) == 'cat'",
        "'tacocat'.substring(0, 4) == 'taco'",
        "'  x \\t'.trim() == 'x'",
        "['a', 'b'].join('-') == 'a-b'",
        "['a', 'b'].join() == 'ab'",
        "strings.quote('a\"b') == '\"a\\\\\"b\"'",
        "'%s has %d replicas'.format([object.metadata.name, object.spec.replicas]) == 'prod-web has 3 replicas'",
        "'abc'.reverse() == 'cba'",
    ]);
}

#[test]
fn kubernetes_lists_and_sets() {
    assert_all_true(&[
        "[1, 2, 3].isSorted()",
        "!['a', 'c', 'b'].isSorted()",
        "[1, 2, 3].sum() == 6",
        "[1.5, 2.5].sum() == 4.0",
        "[].sum() == 0",
        "[3, 1, 2].min() == 1",
        "[3, 1, 2].max() == 3",
        "['b', 'a'].min() == 'a'",
        "[1, 2, 2, 3].indexOf(2) == 1",
        "[1, 2, 2, 3].lastIndexOf(2) == 2",
        "['a'].indexOf('z') == -1",
        "object.spec.template.spec.containers.map(c, c.name).indexOf('sidecar') == 1",
        "sets.contains([1, 2, 3], [2, 3])",
        "!sets.contains([1, 2], [4])",
        "sets.equivalent([1, 2], [2, 1, 1])",
        "sets.intersects([1, 2], [2, 5])",
        "!sets.intersects([1], [2])",
        "[3, 1, 2].sort() == [1, 2, 3]",
        "[1, [2, 3]].flatten() == [1, 2, 3]",
        "[1, 1, 2].distinct() == [1, 2]",
    ]);
}

#[test]
fn kubernetes_regex() {
    assert_all_true(&[
        "'abc 123'.find('[0-9]+') == '123'",
        "'abc'.find('[0-9]+') == ''",
        "'123 abc 456'.findAll('[0-9]+') == ['123', '456']",
        "'123 abc 456'.findAll('[0-9]+', 1) == ['123']",
        "'abc'.matches('^[a-z]*$')",
    ]);
}

#[test]
fn kubernetes_urls() {
    assert_all_true(&[
        "url('https://example.com:80/').getPort() == '80'",
        "url('https://example.com/').getPort() == ''",
        "url('https://example.com:80/').getHost() == 'example.com:80'",
        "url('https://example.com:80/').getHostname() == 'example.com'",
        "url('https://[::1]:80/').getHostname() == '::1'",
        "url('https://[::1]:80/').getHost() == '[::1]:80'",
        "url('https://example.com/path').getScheme() == 'https'",
        "url('/absolute-path').getScheme() == ''",
        "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
        "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
        "url('https://example.com/').getQuery() == {}",
        "isURL('https://example.com:80/')",
        "isURL('/absolute-path')",
        "!isURL('../relative-path')",
        "!isURL('example.com')",
        "!isURL('https://exa mple.com/')",
    ]);
}

#[test]
fn kubernetes_quantities() {
    assert_all_true(&[
        "quantity(\"1Gi\").isGreaterThan(quantity(\"512Mi\"))",
        "quantity(object.spec.template.spec.containers[0].resources.limits.memory).isLessThan(quantity('1Gi'))",
        "isQuantity('1.3G') && !isQuantity('1.3GB')",
        "quantity('50k').isInteger() && quantity('50k').asInteger() == 50000",
        "!quantity('500m').isInteger()",
        "quantity('50.5').asApproximateFloat() == 50.5",
        "quantity('1Gi').sign() == 1 && quantity('-1').sign() == -1 && quantity('0').sign() == 0",
        "quantity('50k').add(quantity('20k')) == quantity('70k')",
        "quantity('50k').add(20) == quantity('50020')",
        "quantity('50k').sub(quantity('20k')) == quantity('30k')",
        "quantity('50k').sub(20) == quantity('49980')",
        "quantity('1Gi').compareTo(quantity('1Mi')) == 1",
        "quantity('1Mi').compareTo(quantity('1Gi')) == -1",
        "quantity('1000m').compareTo(quantity('1')) == 0",
        "quantity('200M').isLessThan(quantity('1G'))",
        "quantity('1Gi') == quantity('1024Mi')",
    ]);
    let scope = Scope::new();
    assert!(eval("quantity('1.3GB')", &scope).is_err());
    assert!(eval("quantity('500m').asInteger()", &scope).is_err());
}

#[test]
fn kubernetes_ips_and_cidrs() {
    assert_all_true(&[
        "ip(\"10.0.0.1\").family() == 4",
        "ip('::1').family() == 6",
        "isIP('192.168.0.1') && isIP('::1') && !isIP('192.168.0.1/24') && !isIP('010.0.0.1')",
        "!isIP('::ffff:192.168.0.1') && !isIP('fe80::1%eth0')",
        "ip.isCanonical('127.0.0.1') && !ip.isCanonical('2001:db8:0:0:0:0:0:1')",
        "ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()",
        "ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()",
        "ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()",
        "ip('169.254.169.254').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast()",
        "ip('192.168.0.1').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()",
        "string(ip('::1')) == '::1'",
        "ip('10.0.0.1') == ip('10.0.0.1') && ip('10.0.0.1') != ip('10.0.0.2')",
        "cidr(\"192.168.0.0/24\").containsIP(ip(\"192.168.0.1\"))",
        "cidr('192.168.0.0/24').containsIP('192.168.0.1') && !cidr('192.168.0.0/24').containsIP('192.168.1.1')",
        "cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))",
        "!cidr('192.168.10.0/24').containsCIDR('192.168.0.0/16')",
        "cidr('192.168.0.0/24').ip() == ip('192.168.0.0')",
        "cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')",
        "cidr('::1/128').prefixLength() == 128",
        "string(cidr('192.168.0.0/24')) == '192.168.0.0/24'",
        "isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')",
    ]);
}

#[test]
fn kubernetes_formats() {
    assert_all_true(&[
        "!format.dns1123Label().validate('my-name').hasValue()",
        "format.dns1123Label().validate('My_Name').hasValue()",
        "!format.dns1123Subdomain().validate('a.b.c').hasValue()",
        "format.dns1035Label().validate('1abc').hasValue()",
        "!format.qualifiedName().validate('example.com/team').hasValue()",
        "!format.dns1123LabelPrefix().validate('web-').hasValue()",
        "!format.labelValue().validate('').hasValue()",
        "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
        "!format.byte().validate('aGVsbG8=').hasValue() && format.byte().validate('a').hasValue()",
        "!format.date().validate('2024-02-29').hasValue() && format.date().validate('2023-02-29').hasValue()",
        "!format.datetime().validate('2024-01-01T10:00:00Z').hasValue()",
        "!format.uri().validate('https://example.com').hasValue()",
        "format.named('dns1123Label').hasValue() && !format.named('nope').hasValue()",
        "format.named('dns1123Label').value().validate('UPPER').value().size() == 1",
    ]);
}

#[test]
fn kubernetes_semver() {
    assert_all_true(&[
        "isSemver('1.0.0') && !isSemver('v1.0.0') && !isSemver('1.0') && !isSemver('01.0.0')",
        "isSemver('v1.0', true)",
        "semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3",
        "semver('1.0.0').isLessThan(semver('1.1.0'))",
        "semver('2.0.0').isGreaterThan(semver('1.9.9'))",
        "semver('1.0.0-alpha').isLessThan(semver('1.0.0'))",
        "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))",
        "semver('1.2.3').compareTo(semver('2.0.0')) == -1",
        "semver('1.0.0+build.1') == semver('1.0.0')",
        "semver('v01.02', true) == semver('1.2.0')",
    ]);
}

#[test]
fn library_values_can_be_bound_as_variables_and_shown() {
    let mut scope = scope_with_object(DEPLOYMENT);
    let memory =
        compile("quantity(object.spec.template.spec.containers[0].resources.limits.memory)").expect("compiles");
    scope.bind_variable("memory", &memory).expect("evaluates");
    let names = compile("object.spec.template.spec.containers.map(c, c.name)").expect("compiles");
    scope.bind_variable("names", &names).expect("evaluates");
    assert_eq!(eval("variables.memory.isLessThan(quantity('1Gi'))", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(
        eval("variables.names.indexOf('sidecar') == 1 && size(variables.names) == 2", &scope),
        Ok(Outcome::Bool(true))
    );
    assert_eq!(
        eval("variables.memory", &scope),
        Ok(Outcome::Other { type_name: "kubernetes.Quantity".into(), display: "quantity(\"536870912\")".into() })
    );
    assert_eq!(
        eval("[ip('::1'), 1]", &scope),
        Ok(Outcome::Other { type_name: "list".into(), display: "[ip(\"::1\"), 1]".into() })
    );
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    const TOKENS: &[&str] = &[
        "object",
        "spec",
        "replicas",
        "metadata",
        "labels",
        "params",
        "variables",
        "oldObject",
        ".",
        ".?",
        "?",
        ":",
        "(",
        ")",
        "[",
        "]",
        "[?",
        "{",
        "}",
        ",",
        "'x'",
        "\"\"",
        "1",
        "-1",
        "2u",
        "1.5",
        "true",
        "null",
        "b'x'",
        "&&",
        "||",
        "!",
        "==",
        "!=",
        "<",
        ">=",
        "+",
        "-",
        "*",
        "/",
        "%",
        "in",
        "has",
        "all",
        "exists",
        "exists_one",
        "map",
        "filter",
        "size",
        "x",
        "c",
        "quantity",
        "ip",
        "cidr",
        "url",
        "semver",
        "format",
        "dns1123Label",
        "validate",
        "optional",
        "of",
        "none",
        "orValue",
        "value",
        "hasValue",
        "sum",
        "min",
        "max",
        "isSorted",
        "indexOf",
        "find",
        "findAll",
        "split",
        "join",
        "charAt",
        "substring",
        "format",
        "sets",
        "contains",
        "string",
        "int",
        "type",
        "dyn",
        "Foo",
        "Foo{a: 1}",
        "{?",
        "sortBy",
        "lists",
        "range",
        "math",
        "greatest",
        "strings",
        "quote",
        "'%s'",
        "'%d'",
        "'%.2f'",
        "'1Gi'",
        "'10.0.0.1'",
        "'10.0.0.0/8'",
        "'http://a:1/'",
        "'1.2.3'",
        "9223372036854775807",
    ];

    fn expression() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TOKENS), 1..14).prop_map(|tokens| tokens.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Whatever a policy author writes, compiling and evaluating it returns a result.
        #[test]
        fn compiling_and_evaluating_any_token_soup_never_panics(text in expression()) {
            let scope = scope_with_object(DEPLOYMENT);
            if let Ok(program) = compile(&text) {
                let _ = program.evaluate(&scope);
                let _ = program.object_paths();
            }
        }

        #[test]
        fn compiling_any_text_never_panics(text in "[ -~¢€\n\t]{0,60}") {
            let _ = compile(&text);
        }
    }
}

#[test]
fn deep_expressions_compile_and_evaluate_or_fail_cleanly() {
    let scope = Scope::new();
    let sum = format!("1{}", " + 1".repeat(300));
    assert_eq!(eval(&sum, &scope), Ok(Outcome::Other { type_name: "int".into(), display: "301".into() }));
    let parens = format!("{}1{}", "(".repeat(90), ")".repeat(90));
    assert_eq!(eval(&parens, &scope), Ok(Outcome::Other { type_name: "int".into(), display: "1".into() }));
    let too_nested = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    assert!(compile(&too_nested).is_err());
    let too_long = format!("1{}", " + 1".repeat(600));
    assert!(compile(&too_long).err().is_some_and(|e| e.message.contains("nests too deeply")));
    let nots = format!("{}true", "!".repeat(1000));
    assert_eq!(eval(&nots, &scope), Ok(Outcome::Bool(true)));
}

#[test]
fn errors_are_absorbed_by_logical_operators_as_in_cel() {
    let scope = scope_with_object(DEPLOYMENT);
    assert_eq!(eval("false && object.spec.missing", &scope), Ok(Outcome::Bool(false)));
    assert_eq!(eval("object.spec.missing && false", &scope), Ok(Outcome::Bool(false)));
    assert_eq!(eval("object.spec.missing || true", &scope), Ok(Outcome::Bool(true)));
    assert_eq!(eval("object.spec.missing || false", &scope), Err(EvalError { message: "no such key: missing".into() }));
    assert_eq!(
        eval("object.spec.template.spec.containers[0].resources.limits.gpu == 1", &scope),
        Err(EvalError { message: "no such key: gpu".into() })
    );
    assert_eq!(
        eval("object.spec.template.spec.containers[5].name", &scope),
        Err(EvalError { message: "index out of range: 5".into() })
    );
    assert!(
        eval("object.metadata.name.startWith('prod')", &scope).err().is_some_and(|e| e.message.contains("startWith"))
    );
    assert!(eval("object.spec.replicas > 'a'", &scope).is_err());
}

#[test]
fn scopes_share_their_values() {
    let base = scope_with_object(DEPLOYMENT);
    let mut with_params = base.clone();
    with_params.set_json("params", &serde_json::json!({"maxReplicas": 2}));
    assert_eq!(eval("object.spec.replicas <= params.maxReplicas", &with_params), Ok(Outcome::Bool(false)));
    assert_eq!(eval("params", &base), Err(EvalError { message: "undeclared reference to 'params'".into() }));
    let mut nulled = base.clone();
    nulled.set_null("params");
    assert_eq!(eval("params == null", &nulled), Ok(Outcome::Bool(true)));
}
#[test]
fn two_variable_comprehensions_are_refused_by_name() {
    for text in ["{'a': 1}.all(k, v, v > 0)", "[1, 2].transformList(i, v, i + v)", "{'a': 1}.transformMap(k, v, v)"] {
        let error = compile(text).err().expect("refused");
        assert!(error.message.contains("two-variable comprehensions"), "{text}: {error:?}");
        // A call is placed at its opening parenthesis.
        assert_eq!(error.offset, text.find('('), "{text}");
    }
}
