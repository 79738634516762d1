//! Markdown pages: the manifests of their code blocks, reported at the page's own lines.
mod common;

use common::{TempDir, findings, json, run, stdout};

fn located(dir: &TempDir, args: &[&str]) -> Vec<(String, u64, u64)> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    findings(&json(&run(&all, &dir.0))).into_iter().map(|(_, rule, line, column)| (rule, line, column)).collect()
}

fn expect(pairs: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    pairs.iter().map(|(r, l, c)| (r.to_string(), *l, *c)).collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    resources: {requests: {cpu: 10m, memory: 8Mi}, limits: {cpu: 10m, memory: 8Mi}}\n    livenessProbe: {tcpSocket: {port: 80}}\n    readinessProbe: {tcpSocket: {port: 80}}\n    securityContext: {readOnlyRootFilesystem: true}\n";

#[test]
fn the_readme_example_at_the_page_lines() {
    let dir = TempDir::new("md-example");
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/tutorial.md")).expect("example");
    dir.write("tutorial.md", page);
    assert_eq!(
        located(&dir, &["tutorial.md"]),
        expect(&[
            ("missing-liveness-probe", 27, 12),
            ("missing-resources", 27, 12),
            ("image-tag", 28, 19),
            ("field-case", 36, 4),
            ("field-case", 37, 10),
            ("service-selector", 41, 6),
            ("removed-api", 50, 15),
        ])
    );
}

#[test]
fn lists_tildes_untagged_fences_and_other_languages() {
    let dir = TempDir::new("md-kinds");
    let indented: String =
        POD.replace("image: nginx:1.27", "image: nginx").lines().map(|l| format!("   {l}\n")).collect();
    let page = format!(
        "# Page\n\napiversion: v1 in prose\n\n```sh\ncat <<EOF\napiVersion: v1\nkind: pod\nEOF\n```\n\n\
         1. step\n\n   ~~~YAML title=\"pod.yaml\"\n{indented}   ~~~\n\n\
         ```\n{}```\n\n```python\nx = {{'apiVersion': 'v1', 'kind': 'pod'}}\n```\n",
        POD.replace("kind: Pod", "kind: pod").replace("name: web\n  labels", "name: web2\n  labels")
    );
    dir.write("page.md", page);
    // The tilde fence in a list: line 14 is its opening fence; `image: nginx` is its 10th line.
    // The untagged fence opens at line 31: `kind: pod` is its 2nd line.
    assert_eq!(located(&dir, &["page.md"]), expect(&[("image-tag", 24, 15), ("field-case", 33, 7)]));
}

#[test]
fn fragments_placeholders_and_directives_stay_quiet() {
    let dir = TempDir::new("md-quiet");
    let page = format!(
        "Elided:\n\n```yaml\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    ...\n    spec:\n      containers: []\n```\n\n\
         Partial:\n\n```yaml\nspec:\n  replicas: 3\n```\n\n\
         Placeholder:\n\n```yaml\n{}```\n\n\
         <!-- podlint: ignore -->\n```yaml\napiversion: v1\nkind: pod\n```\n\n\
         <!-- podlint: ignore[image-tag] -->\n```yaml\n{}```\n\n\
         Suppressed inside:\n\n```yaml\n{}```\n",
        POD.replace("image: nginx:1.27", "image: <your-image>").replace("name: web\n  labels", "name: a\n  labels"),
        POD.replace("image: nginx:1.27", "image: nginx").replace("name: web\n  labels", "name: b\n  labels"),
        POD.replace("image: nginx:1.27", "image: nginx # podlint: ignore[image-tag]")
            .replace("name: web\n  labels", "name: c\n  labels"),
    );
    dir.write("quiet.md", page);
    assert_eq!(located(&dir, &["quiet.md"]), expect(&[]));
    // A page of fragments only gets one notice.
    dir.write("fragments.md", "```yaml\nspec:\n  replicas: 3\n```\n\n```yaml\nkind: Pod\nspec: [\n```\n");
    assert_eq!(located(&dir, &["fragments.md"]), expect(&[("not-a-manifest", 1, 1)]));
}

#[test]
fn a_service_in_one_block_selects_the_pods_of_another() {
    let dir = TempDir::new("md-cross");
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: wbe\n  ports:\n  - port: 80\n";
    dir.write("cross.md", format!("```yaml\n{POD}```\n\nThen:\n\n```yaml\n{service}```\n"));
    // The Service's selector is at line 6 of the second block, which opens at line 20.
    assert_eq!(located(&dir, &["cross.md"]), expect(&[("service-selector", 26, 3)]));
    dir.write("cross.md", format!("```yaml\n{POD}```\n\nThen:\n\n```yaml\n{}```\n", service.replace("wbe", "web")));
    assert_eq!(located(&dir, &["cross.md"]), expect(&[]));
}

#[test]
fn fix_edits_the_blocks_in_place() {
    let dir = TempDir::new("md-fix");
    let quoted: String = POD.replace("kind: Pod", "kind: pod").lines().map(|l| format!("> {l}\n")).collect();
    let page = format!(
        "Intro ```yaml``` prose,\r\nkind: pod\r\n\n- item\n\n  ```yaml\n{}  ```\n\n> ```yaml\n{quoted}> ```\n",
        POD.replace("apiVersion", "apiversion").lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    dir.write("fix.md", &page);
    let out = run(&["--fix", "fix.md"], &dir.0);
    assert!(out.status.success(), "{}", stdout(&out));
    let expected = page.replacen("  apiversion", "  apiVersion", 1).replacen("> kind: pod", "> kind: Pod", 1);
    assert_eq!(dir.read("fix.md"), expected);
}

#[test]
fn walks_include_markdown_only_when_asked() {
    let dir = TempDir::new("md-walk");
    dir.write("k8s/README.md", "```yaml\napiversion: v1\nkind: Pod\n```\n");
    dir.write("k8s/pod.yaml", POD);
    assert_eq!(located(&dir, &["k8s"]), expect(&[]));
    assert_eq!(located(&dir, &["--markdown", "k8s"]), expect(&[("field-case", 2, 1)]));
}

#[test]
fn a_namespace_in_one_block_sets_the_pod_security_of_another() {
    let dir = TempDir::new("md-namespace");
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: locked\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n";
    let pod = POD.replace("name: web\n  labels", "name: web\n  namespace: locked\n  labels").replace(
        "    securityContext: {readOnlyRootFilesystem: true}\n",
        "    securityContext: {readOnlyRootFilesystem: true, privileged: true}\n",
    );
    dir.write("ns.md", format!("```yaml\n{namespace}```\n\n```yaml\n{pod}```\n"));
    let report = json(&run(&["--format", "json", "ns.md"], &dir.0));
    let privileged: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "pod-security-privileged")
        .collect();
    assert_eq!(privileged.len(), 1, "{report}");
    assert_eq!((privileged[0]["line"].as_u64(), privileged[0]["severity"].as_str()), (Some(25), Some("error")));
}
