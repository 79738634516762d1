use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;

pub struct ImageTag;

static META: RuleMeta = RuleMeta {
    id: "image-tag",
    severity: Severity::Warning,
    category: Category::Images,
    summary: "A container image has no tag or uses `latest`",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/image-tag.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for ImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        for container in template.containers() {
            let Some(image_node) = container.node.get("image") else { continue };
            let Some(image) = image_node.as_str() else { continue };
            let problem = match image_tag(image) {
                Tag::Pinned => continue,
                Tag::Missing => "has no tag, so it runs whatever `latest` is when the node pulls it",
                Tag::Latest => "uses the `latest` tag, which moves",
            };
            cx.report(&META, image_node.span, format!("image `{image}` of {} {problem}", container.describe())).help(
                format!(
                    "pin a version tag or a digest, for example `{}:1.2.3` or `{}@sha256:…`",
                    repository(image),
                    repository(image)
                ),
            );
        }
    }
}

enum Tag {
    Pinned,
    Missing,
    Latest,
}

/// Image references are `[registry[:port]/]path[:tag][@digest]`; a digest pins whatever the
/// tag says, and a colon before the last `/` belongs to a registry port, not a tag.
fn image_tag(image: &str) -> Tag {
    if image.contains('@') {
        return Tag::Pinned;
    }
    let last_segment = image.rsplit('/').next().unwrap_or(image);
    match last_segment.rsplit_once(':') {
        None => Tag::Missing,
        Some((_, "latest")) => Tag::Latest,
        Some(_) => Tag::Pinned,
    }
}

fn repository(image: &str) -> &str {
    let cut = image.rfind('/').map_or(0, |i| i + 1);
    match image[cut..].rfind(':') {
        Some(i) => &image[..cut + i],
        None => image,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_digests_and_registry_ports() {
        assert!(matches!(image_tag("nginx"), Tag::Missing));
        assert!(matches!(image_tag("nginx:latest"), Tag::Latest));
        assert!(matches!(image_tag("localhost:5000/app"), Tag::Missing));
        assert!(matches!(image_tag("localhost:5000/app:1.0"), Tag::Pinned));
        assert!(matches!(image_tag("nginx@sha256:abc"), Tag::Pinned));
        assert!(matches!(image_tag("nginx:latest@sha256:abc"), Tag::Pinned));
        assert_eq!(repository("localhost:5000/app:1.0"), "localhost:5000/app");
        assert_eq!(repository("nginx"), "nginx");
    }
}
