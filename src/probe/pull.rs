//! The pull phase: `HEAD` of one manifest (which does not count as a pull on Docker Hub), for
//! a single image or a multi-platform index; the rate limit its answer announces.

use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::{Status, StepId, StepStatus};
use super::request::{Failure, HttpResponse, Method, INDEX_ACCEPT, MANIFEST_ACCEPT};
use super::scopes::pull_scope;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::rate_limit::parse_rate_limit;

/// `HEAD` of `repository:tag`.
pub(super) struct Pull {
    repository: String,
    tag: String,
    /// The second `HEAD` of a page (or the CORS replay): the index types, after the image
    /// manifest types found nothing.
    indexes: bool,
}

impl Pull {
    pub fn new(repository: String, tag: String) -> Pull {
        Pull {
            repository,
            tag,
            indexes: false,
        }
    }

    pub fn request(self, cx: &mut Cx) -> Next {
        let accept = match (cx.session.accept_in_two(cx.settings.env.cors), self.indexes) {
            (false, _) => format!("{INDEX_ACCEPT},{MANIFEST_ACCEPT}"),
            (true, false) => MANIFEST_ACCEPT.to_string(),
            (true, true) => INDEX_ACCEPT.to_string(),
        };
        let (repository, tag) = (self.repository.clone(), self.tag.clone());
        let scope = pull_scope(&repository);
        cx.authorized(Phase::Pull(self), &scope, |cx, mut headers| {
            cx.report.set_step(
                StepId::Pull,
                StepStatus::Running,
                StepText::PullRunning,
                &[("image", &format!("{repository}:{tag}"))],
                None,
            );
            headers.push(("Accept", accept));
            let url = format!("{}/v2/{repository}/manifests/{tag}", cx.session.base());
            cx.build_request(Method::Head, url, headers, 0)
        })
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let name = format!("{}:{}", self.repository, self.tag);
        read_rate_limit(cx, response);
        match response.status {
            200 => {
                cx.report.permissions.pull = Status::Yes;
                // Content-Type is CORS-safelisted: a page reads it too.
                let index = response
                    .header("content-type")
                    .is_some_and(|t| INDEX_ACCEPT.split(',').any(|i| t.starts_with(i)));
                let text = if index {
                    StepText::PullOkIndex
                } else {
                    StepText::PullOk
                };
                cx.report.set_step(
                    StepId::Pull,
                    StepStatus::Ok,
                    text,
                    &[("image", &name)],
                    Some(200),
                );
            }
            // No image manifest by that tag: a multi-platform index may be (distribution answers
            // an index asked without its type 404, as GHCR does).
            404 if cx.session.accept_in_two(cx.settings.env.cors) && !self.indexes => {
                return Phase::Pull(Pull {
                    indexes: true,
                    ..self
                });
            }
            status @ (401 | 403) => {
                let scope = pull_scope(&self.repository);
                if cx.denied(StepId::Pull, &scope, response, F::PullDenied, &name) {
                    return Phase::Pull(self);
                }
                cx.report.permissions.pull = Status::No;
                cx.report.fail_step(
                    StepId::Pull,
                    StepText::PullDenied,
                    &[("image", &name)],
                    Some(status),
                );
            }
            404 => {
                cx.finding(F::ManifestNotFound, &name);
                cx.report.set_step(
                    StepId::Pull,
                    StepStatus::Warn,
                    StepText::PullManifestNotFound,
                    &[],
                    Some(404),
                );
            }
            429 => {
                let origin = cx.session.origin();
                let retry = response.header("retry-after").unwrap_or("?");
                let retry: String = retry.chars().take(40).collect();
                cx.finding_with(F::RateLimited, &[("detail", &origin), ("value", &retry)]);
                cx.report.fail_step(
                    StepId::Pull,
                    StepText::RegistryError,
                    &[("detail", "HTTP 429")],
                    Some(429),
                );
            }
            _ => cx.registry_error(StepId::Pull, response),
        }
        Phase::Finish
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        cx.listing_failed(StepId::Pull, "manifest", failure);
        Phase::Finish
    }
}

/// The pull rate limit a manifest answer announces (Docker Hub's `ratelimit-*`, read from
/// the `HEAD`, which does not count as a pull); a warning under 10 % left.
fn read_rate_limit(cx: &mut Cx, response: &HttpResponse) {
    let Some(mut limit) = parse_rate_limit(|name| response.header(name)) else {
        return;
    };
    if cx.settings.env.server {
        // The source is the console server's egress address: not the page user's to see.
        limit.source = None;
    }
    if limit.is_low() && response.status != 429 {
        let origin = cx.session.origin();
        let value = format!("{} of {}", limit.remaining, limit.limit);
        cx.finding_with(F::RateLimitLow, &[("detail", &origin), ("value", &value)]);
    }
    cx.report.rate_limit = Some(limit);
}
