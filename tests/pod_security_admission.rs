//! The PodSecurity admission controller's own fixtures (tests/data/pod-security-admission, from
//! kubernetes/pod-security-admission by tools/pod-security-fixtures.py): for every policy version
//! and level podlint supports, every pod the controller refuses gets a finding of the rule for
//! the check that refuses it; every pod it allows gets none. Run as a user
//! would: `--isolated --select pod-security --pod-security LEVEL --kubernetes-version 1.N`.
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TempDir, findings, json, run};

/// The rules that may refuse a case, by the controller's check the case is named after.
fn rules_for(case: &str, level: &str) -> &'static [&'static str] {
    let check = case.trim_end_matches(|c: char| c.is_ascii_digit());
    match check {
        "allowprivilegeescalation" => &["pod-security-privilege-escalation"],
        "apparmorprofile" => &["pod-security-apparmor"],
        "capabilities_baseline" | "capabilities_restricted" => &["pod-security-capabilities"],
        "hostnamespaces" => &["pod-security-host-namespaces"],
        // At restricted, the volume types check stands in for the hostPath one.
        "hostpathvolumes" if level == "restricted" => &["pod-security-volume-types"],
        "hostpathvolumes" => &["pod-security-host-path"],
        "hostports" => &["pod-security-host-ports"],
        "hostprobesandhostlifecycle" => &["pod-security-probe-host"],
        "privileged" => &["pod-security-privileged"],
        "procmount" | "procmount_restricted" => &["pod-security-proc-mount"],
        "restrictedvolumes" => &["pod-security-volume-types"],
        "runasnonroot" => &["pod-security-run-as-non-root"],
        "runasuser" => &["pod-security-run-as-user"],
        "seccompprofile_baseline" | "seccompprofile_restricted" => &["pod-security-seccomp"],
        "selinuxoptions" => &["pod-security-selinux"],
        "sysctls" => &["pod-security-sysctls"],
        "windowshostprocess" => &["pod-security-host-process"],
        _ => panic!("no rule is known for the controller's check behind case {case}"),
    }
}

struct Case {
    expect: String,
    name: String,
    pod: String,
}

#[test]
fn every_fixture_of_the_admission_controller_is_judged_as_the_controller_judges_it() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pod-security-admission");
    let table = std::fs::read_to_string(data.join("cases.tsv")).expect("cases.tsv");
    let mut groups: BTreeMap<(String, String), Vec<Case>> = BTreeMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [level, version, expect, name, pod] = fields[..] else { panic!("malformed line: {line}") };
        let case = Case { expect: expect.to_string(), name: name.to_string(), pod: pod.to_string() };
        groups.entry((level.to_string(), version.to_string())).or_default().push(case);
    }
    let versions: std::collections::BTreeSet<u32> =
        groups.keys().map(|(_, v)| v.trim_start_matches("1.").parse().expect("minor")).collect();
    assert_eq!(versions, (24..=37).collect(), "every supported policy version has fixtures");

    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for ((level, version), cases) in &groups {
        let dir = TempDir::new("psa");
        for case in cases {
            let pod = std::fs::read(data.join("pods").join(format!("{}.yaml", case.pod))).expect("pod");
            dir.write(&format!("{}/{}.yaml", case.expect, case.name), pod);
        }
        let out = run(
            &[
                "--isolated",
                "--select",
                "pod-security",
                "--pod-security",
                level,
                "--kubernetes-version",
                version,
                "--format",
                "json",
                ".",
            ],
            &dir.0,
        );
        let report = json(&out);
        let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (file, rule, line, column) in findings(&report) {
            by_file
                .entry(file.trim_start_matches("./").to_string())
                .or_default()
                .push(format!("{rule}@{line}:{column}"));
        }
        let (mut caught, mut refused, mut clean, mut allowed) = (0, 0, 0, 0);
        for case in cases {
            let file = format!("{}/{}.yaml", case.expect, case.name);
            let found = by_file.get(&file).cloned().unwrap_or_default();
            if case.expect == "fail" {
                refused += 1;
                let expected = rules_for(&case.name, level);
                // Some fixtures break a second check too (a privileged container that does not
                // set allowPrivilegeEscalation): the controller names both, and so may podlint.
                let right = found.iter().any(|f| expected.iter().any(|r| f.split('@').next() == Some(r)));
                if right {
                    caught += 1;
                } else {
                    failures.push(format!("{level} {version} {file}: expected {expected:?}, found {found:?}"));
                }
            } else {
                allowed += 1;
                if found.is_empty() {
                    clean += 1;
                } else {
                    failures.push(format!("{level} {version} {file}: allowed by the controller, found {found:?}"));
                }
            }
        }
        summary.push(format!(
            "{level:<10} {version:<5} refused {caught}/{refused} caught, allowed {clean}/{allowed} clean"
        ));
    }
    println!("{}", summary.join("\n"));
    assert!(
        failures.is_empty(),
        "{} of the controller's fixtures judged otherwise:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
