//! The tags and pull phases: `GET /v2/<name>/tags/list` of the named (else the first listed)
//! repository, then `HEAD` of one manifest (`latest`, else the first valid tag), which does
//! not count as a pull on Docker Hub.

use super::{Failure, HttpResponse, Method, Status, StepId, StepStatus};
use super::{Phase, Poll, Probe};
use super::{INDEX_ACCEPT, LIST_BODY_LIMIT, MANIFEST_ACCEPT, MAX_TAGS};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::rate_limit::parse_rate_limit;
use crate::protocol::registry_json::parse_tags;
use crate::TagsReport;

/// Repository names as distribution accepts them (lowercase path components).
fn is_repository(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        })
}

fn is_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric() || b == b'_')
        && tag.len() <= 128
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Whether the pull check must keep each `Accept` CORS-safelisted (≤ 128 bytes), so asks for
/// image manifests and then, on 404, for indexes: in a page, and when replaying a page's CORS.
/// Elsewhere one `HEAD` asks for all four types.
fn probe_accept_in_two(probe: &Probe) -> bool {
    probe.env.cors || probe.cors.is_some()
}

/// The token scope that pulling (and listing tags of) `repository` needs.
fn pull_scope(repository: &str) -> String {
    format!("repository:{repository}:pull")
}

impl Probe {
    pub(super) fn poll_tags(&mut self, phase: &Phase) -> Poll {
        if let Phase::Pull {
            repository,
            tag,
            indexes,
        } = phase
        {
            let accept = match (probe_accept_in_two(self), indexes) {
                (false, _) => format!("{INDEX_ACCEPT},{MANIFEST_ACCEPT}"),
                (true, false) => MANIFEST_ACCEPT.to_string(),
                (true, true) => INDEX_ACCEPT.to_string(),
            };
            return self.authorized(phase, &pull_scope(repository), |probe, mut headers| {
                probe.set_step(
                    StepId::Pull,
                    StepStatus::Running,
                    StepText::PullRunning,
                    &[("image", &format!("{repository}:{tag}"))],
                    None,
                );
                headers.push(("Accept", accept));
                let url = format!("{}/v2/{repository}/manifests/{tag}", probe.base());
                probe.request(Method::Head, url, headers, 0)
            });
        }
        let chosen = self.repository.clone().or_else(|| {
            self.catalog
                .as_ref()
                .and_then(|c| c.repositories.iter().find(|r| is_repository(r)).cloned())
        });
        let Some(repository) = chosen else {
            self.finding(F::NoRepository, "");
            self.set_step(
                StepId::Tags,
                StepStatus::Skipped,
                StepText::NoRepository,
                &[],
                None,
            );
            self.set_step(
                StepId::Pull,
                StepStatus::Skipped,
                StepText::NoRepository,
                &[],
                None,
            );
            return Poll::Goto(Phase::Finish);
        };
        if !is_repository(&repository) {
            self.finding(F::RepositoryInvalid, "");
            self.fail_step(StepId::Tags, StepText::TagsInvalid, &[], None);
            return Poll::Goto(Phase::Finish);
        }
        self.repository = Some(repository.clone());
        self.authorized(phase, &pull_scope(&repository), |probe, headers| {
            probe.set_step(
                StepId::Tags,
                StepStatus::Running,
                StepText::TagsRunning,
                &[("repository", &repository)],
                None,
            );
            let url = format!("{}/v2/{repository}/tags/list", probe.base());
            probe.request(Method::Get, url, headers, LIST_BODY_LIMIT)
        })
    }

    pub(super) fn tags_response(&mut self, phase: Phase, response: &HttpResponse) -> Phase {
        match phase {
            Phase::Pull {
                repository,
                tag,
                indexes,
            } => self.pull_response(&repository, &tag, indexes, response),
            _ => self.on_tags(response),
        }
    }

    fn on_tags(&mut self, response: &HttpResponse) -> Phase {
        let repository = self.repository.clone().unwrap_or_default();
        match response.status {
            200 => match parse_tags(&response.body) {
                Some(mut tags) => {
                    tags.truncate(MAX_TAGS);
                    self.permissions.list_tags = Status::Yes;
                    self.set_step(
                        StepId::Tags,
                        StepStatus::Ok,
                        StepText::TagsListed,
                        &[
                            ("repository", &repository),
                            ("count", &tags.len().to_string()),
                        ],
                        Some(200),
                    );
                    let tag = self.reference.clone().or_else(|| {
                        tags.iter()
                            .find(|t| *t == "latest")
                            .or_else(|| tags.iter().find(|t| is_tag(t)))
                            .cloned()
                    });
                    self.tags = Some(TagsReport {
                        repository: repository.clone(),
                        tags,
                    });
                    match tag {
                        Some(tag) => Phase::Pull {
                            repository,
                            tag,
                            indexes: false,
                        },
                        None => {
                            self.finding(F::NoTags, &repository);
                            Phase::Finish
                        }
                    }
                }
                None => {
                    self.registry_error(StepId::Tags, response);
                    Phase::Finish
                }
            },
            401 | 403 => {
                if let Some(retry) =
                    self.follow_scope(&pull_scope(&repository), response, Phase::Tags)
                {
                    return retry;
                }
                self.permissions.list_tags = Status::No;
                self.finding(F::TagsDenied, &repository);
                self.insufficient_scope(&pull_scope(&repository), response);
                self.fail_step(
                    StepId::Tags,
                    StepText::TagsDenied,
                    &[("repository", &repository)],
                    Some(response.status),
                );
                // Pulling may still be allowed: check the usual tag.
                Phase::Pull {
                    repository,
                    tag: self.reference.clone().unwrap_or_else(|| "latest".into()),
                    indexes: false,
                }
            }
            404 => {
                self.finding(F::RepositoryNotFound, &repository);
                self.set_step(
                    StepId::Tags,
                    StepStatus::Warn,
                    StepText::TagsNotFound,
                    &[("repository", &repository)],
                    Some(404),
                );
                Phase::Finish
            }
            _ => {
                self.registry_error(StepId::Tags, response);
                Phase::Finish
            }
        }
    }

    fn pull_response(
        &mut self,
        repository: &str,
        tag: &str,
        indexes: bool,
        response: &HttpResponse,
    ) -> Phase {
        let name = format!("{repository}:{tag}");
        self.read_rate_limit(response);
        match response.status {
            200 => {
                self.permissions.pull = Status::Yes;
                // Content-Type is CORS-safelisted: a page reads it too.
                let index = response
                    .header("content-type")
                    .is_some_and(|t| INDEX_ACCEPT.split(',').any(|i| t.starts_with(i)));
                let text = if index {
                    StepText::PullOkIndex
                } else {
                    StepText::PullOk
                };
                self.set_step(
                    StepId::Pull,
                    StepStatus::Ok,
                    text,
                    &[("image", &name)],
                    Some(200),
                );
            }
            // No image manifest by that tag: a multi-platform index may be (distribution answers
            // an index asked without its type 404, as GHCR does).
            404 if probe_accept_in_two(self) && !indexes => {
                return Phase::Pull {
                    repository: repository.to_string(),
                    tag: tag.to_string(),
                    indexes: true,
                };
            }
            status @ (401 | 403) => {
                let retry = Phase::Pull {
                    repository: repository.to_string(),
                    tag: tag.to_string(),
                    indexes,
                };
                if let Some(retry) = self.follow_scope(&pull_scope(repository), response, retry) {
                    return retry;
                }
                self.permissions.pull = Status::No;
                self.finding(F::PullDenied, &name);
                self.insufficient_scope(&pull_scope(repository), response);
                self.fail_step(
                    StepId::Pull,
                    StepText::PullDenied,
                    &[("image", &name)],
                    Some(status),
                );
            }
            404 => {
                self.finding(F::ManifestNotFound, &name);
                self.set_step(
                    StepId::Pull,
                    StepStatus::Warn,
                    StepText::PullManifestNotFound,
                    &[],
                    Some(404),
                );
            }
            429 => {
                let origin = super::origin_of(&self.base());
                let retry = response.header("retry-after").unwrap_or("?");
                let retry: String = retry.chars().take(40).collect();
                self.finding_with(F::RateLimited, &[("detail", &origin), ("value", &retry)]);
                self.fail_step(
                    StepId::Pull,
                    StepText::RegistryError,
                    &[("detail", "HTTP 429")],
                    Some(429),
                );
            }
            _ => self.registry_error(StepId::Pull, response),
        }
        Phase::Finish
    }

    /// The pull rate limit a manifest answer announces (Docker Hub's `ratelimit-*`, read from
    /// the `HEAD`, which does not count as a pull); a warning under 10 % left.
    fn read_rate_limit(&mut self, response: &HttpResponse) {
        let Some(mut limit) = parse_rate_limit(|name| response.header(name)) else {
            return;
        };
        if self.env.server {
            // The source is the console server's egress address: not the page user's to see.
            limit.source = None;
        }
        if limit.is_low() && response.status != 429 {
            let origin = super::origin_of(&self.base());
            let value = format!("{} of {}", limit.remaining, limit.limit);
            self.finding_with(F::RateLimitLow, &[("detail", &origin), ("value", &value)]);
        }
        self.rate_limit = Some(limit);
    }

    pub(super) fn tags_failure(&mut self, phase: &Phase, failure: Failure) -> Phase {
        match phase {
            Phase::Pull { .. } => self.listing_failed(StepId::Pull, "manifest", failure),
            _ => self.listing_failed(StepId::Tags, "tags", failure),
        }
        Phase::Finish
    }
}
