use super::common::resources::{quantity_of, requirements};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct LimitBelowRequest;

static META: RuleMeta = RuleMeta {
    id: "limit-below-request",
    severity: Severity::Error,
    category: Category::Resources,
    summary: "A resource limit is below its request, which the API server rejects",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/limit-below-request.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for LimitBelowRequest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        for block in requirements(object) {
            let (Some(requests), Some(limits)) = (block.node.get("requests"), block.node.get("limits")) else {
                continue;
            };
            for limit in limits.entries() {
                let Some(resource) = limit.key.scalar_text() else { continue };
                // Resource names are case-sensitive API keys, so no case-insensitive fallback.
                let Some(request) = requests.entries().iter().find(|e| e.key.scalar_text() == Some(resource)) else {
                    continue;
                };
                // Unparsable values are `memory-units` findings; nothing to compare here.
                let (Some(Ok(limit_value)), Some(Ok(request_value))) =
                    (quantity_of(&limit.value), quantity_of(&request.value))
                else {
                    continue;
                };
                if limit_value >= request_value {
                    continue;
                }
                let (limit_text, request_text) = (text(&limit.value), text(&request.value));
                let name = match resource {
                    "cpu" => "CPU".to_string(),
                    "memory" => "memory".to_string(),
                    other => format!("`{other}`"),
                };
                cx.report(
                    &META,
                    limit.value.span,
                    format!(
                        "{} has a {name} limit of `{limit_text}`, below its request of `{request_text}`",
                        block.owner
                    ),
                )
                .help(format!(
                    "the API server rejects a limit below its request: raise the limit to at least `{request_text}` or \
                     lower the request"
                ));
            }
        }
    }
}

fn text<'n>(node: &'n Node<'_>) -> &'n str {
    node.scalar_text().map_or("", str::trim)
}
