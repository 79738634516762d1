//! CEL evaluation: what one ValidatingAdmissionPolicy validation costs per object, for three
//! representative expressions over a Deployment, and what converting the object costs (done
//! once per object, whatever the number of policies).
//!
//! `cargo bench --bench cel`.
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use podlint::cel::{Outcome, Scope, compile};
use podlint::yaml::{Limits, load};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A Deployment of about 40 fields.
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prod-web
  namespace: prod
  labels: {team: payments, environment: prod, app: web, tier: frontend, version: v1}
  annotations: {owner: team-payments, description: the web frontend}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web, team: payments}
    spec:
      serviceAccountName: web
      securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000}
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          ports: [{containerPort: 8080, name: http}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 512Mi}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
        - name: sidecar
          image: registry.example.com/proxy:2.0.0
          resources:
            limits: {cpu: 100m, memory: 64Mi}
";

const EXPRESSIONS: &[(&str, &str)] = &[
    ("field", "object.spec.replicas >= 2"),
    ("labels-all", "object.spec.replicas >= 2 && object.metadata.labels.all(k, k != \"\")"),
    (
        "containers-quantity",
        "object.spec.template.spec.containers.all(c, c.image.startsWith('registry.example.com/') \
         && quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))",
    ),
];

fn evaluation(c: &mut Criterion) {
    let loaded = load(DEPLOYMENT, Limits::default());
    let Some(root) = loaded.documents.first().and_then(|d| d.root.as_ref()) else { return };
    let mut scope = Scope::new();
    scope.set_node("object", root);
    for (name, expression) in EXPRESSIONS {
        let program = compile(expression).unwrap_or_else(|e| panic!("{expression}: {e}"));
        assert_eq!(program.evaluate(&scope), Ok(Outcome::Bool(true)));
        c.bench_function(&format!("cel/evaluate/{name}"), |b| b.iter(|| black_box(program.evaluate(&scope))));
    }
    c.bench_function("cel/compile/containers-quantity", |b| b.iter(|| black_box(compile(EXPRESSIONS[2].1))));
    c.bench_function("cel/convert-object", |b| {
        b.iter(|| {
            let mut scope = Scope::new();
            scope.set_node("object", root);
            black_box(scope)
        })
    });
    c.bench_function("cel/clone-scope", |b| b.iter(|| black_box(scope.clone())));
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
