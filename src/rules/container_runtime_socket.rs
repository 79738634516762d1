use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct ContainerRuntimeSocket;

static META: RuleMeta = RuleMeta {
    id: "container-runtime-socket",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "A hostPath volume mounts the node's container runtime socket (Docker, containerd, CRI-O)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/container-runtime-socket.md"),
    ..RuleMeta::DEFAULTS
};

/// Node paths that hand over the container runtime, and how messages name them. The paths are
/// the runtimes' default socket locations (Docker, containerd, CRI-O, cri-dockerd, k3s, and the
/// kubelet's former dockershim); a folder counts because the socket is in it.
const SOCKETS: &[(&str, &str)] = &[
    ("/var/run/docker.sock", "the Docker socket from the node"),
    ("/run/docker.sock", "the Docker socket from the node"),
    ("/var/run/docker", "the node's Docker run folder, which holds its sockets"),
    ("/run/docker", "the node's Docker run folder, which holds its sockets"),
    ("/var/run/dockershim.sock", "the dockershim socket from the node"),
    ("/var/run/cri-dockerd.sock", "the cri-dockerd socket from the node"),
    ("/run/cri-dockerd.sock", "the cri-dockerd socket from the node"),
    ("/var/run/containerd/containerd.sock", "the containerd socket from the node"),
    ("/run/containerd/containerd.sock", "the containerd socket from the node"),
    ("/var/run/containerd", "the node's containerd folder, which holds its socket"),
    ("/run/containerd", "the node's containerd folder, which holds its socket"),
    ("/run/k3s/containerd/containerd.sock", "the k3s containerd socket from the node"),
    ("/run/k3s/containerd", "the node's k3s containerd folder, which holds its socket"),
    ("/var/run/crio/crio.sock", "the CRI-O socket from the node"),
    ("/run/crio/crio.sock", "the CRI-O socket from the node"),
    ("/var/run/crio", "the node's CRI-O folder, which holds its socket"),
    ("/run/crio", "the node's CRI-O folder, which holds its socket"),
    ("/", "the node's whole filesystem, which holds the container runtime's socket"),
    ("/var/run", "the node's `/var/run`, which holds the container runtime's socket"),
    ("/run", "the node's `/run`, which holds the container runtime's socket"),
];

impl Rule for ContainerRuntimeSocket {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        for volume in template.spec().get("volumes").map(Node::items).unwrap_or(&[]) {
            let Some(path) = volume.path(&["hostPath", "path"]) else { continue };
            let Some(text) = path.as_str() else { continue };
            let normalised = normalise(text);
            let Some((_, what)) = SOCKETS.iter().find(|(socket, _)| *socket == normalised) else { continue };
            let volume_name =
                volume.get("name").and_then(Node::scalar_text).map_or_else(String::new, |n| format!(" `{n}`"));
            cx.report(
                &META,
                path.span,
                format!(
                    "volume{volume_name} mounts {what}: whoever runs in this pod controls every \
                     container on the node (root on the node)"
                ),
            )
            .help(
                "remove the volume unless the pod is a node agent that needs the runtime; if it is, say so \
                 at the `path:` line with `# podlint: ignore[container-runtime-socket] -- <why>`",
            );
        }
    }
}

/// `/var//run/./docker.sock/` is `/var/run/docker.sock`: the kubelet mounts what the path
/// resolves to, so spellings of the same path must compare equal.
fn normalise(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_path_compare_equal() {
        assert_eq!(normalise("/var/run/docker.sock"), "/var/run/docker.sock");
        assert_eq!(normalise("/var//run/./docker.sock/"), "/var/run/docker.sock");
        assert_eq!(normalise("/run/"), "/run");
        assert_eq!(normalise("/"), "/");
    }
}
