//! The tags phase: `GET /v2/<name>/tags/list` of the named (else the first listed) repository,
//! which picks the tag the pull check asks for (`latest`, else the first valid one).

use super::context::Cx;
use super::phase::{Next, Phase};
use super::pull::Pull;
use super::report::{Status, StepId, StepStatus, TagsReport};
use super::request::{Failure, HttpResponse, Method, LIST_BODY_LIMIT, MAX_TAGS};
use super::scopes::pull_scope;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::registry_json::parse_tags;

/// The tags of one repository.
pub(super) struct Tags {
    repository: String,
}

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

impl Tags {
    /// The tags of the repository the field names, else of the first one the catalog listed;
    /// without one, the probe is over.
    pub fn enter(cx: &mut Cx) -> Phase {
        let chosen = cx.settings.repository.clone().or_else(|| {
            cx.report
                .catalog
                .as_ref()
                .and_then(|c| c.repositories.iter().find(|r| is_repository(r)).cloned())
        });
        let Some(repository) = chosen else {
            cx.finding(F::NoRepository, "");
            for step in [StepId::Tags, StepId::Pull] {
                cx.report
                    .set_step(step, StepStatus::Skipped, StepText::NoRepository, &[], None);
            }
            return Phase::Finish;
        };
        if !is_repository(&repository) {
            cx.finding(F::RepositoryInvalid, "");
            cx.report
                .fail_step(StepId::Tags, StepText::TagsInvalid, &[], None);
            return Phase::Finish;
        }
        Phase::Tags(Tags { repository })
    }

    pub fn request(self, cx: &mut Cx) -> Next {
        let repository = self.repository.clone();
        let scope = pull_scope(&repository);
        cx.authorized(Phase::Tags(self), &scope, |cx, headers| {
            cx.report.set_step(
                StepId::Tags,
                StepStatus::Running,
                StepText::TagsRunning,
                &[("repository", &repository)],
                None,
            );
            let url = format!("{}/v2/{repository}/tags/list", cx.session.base());
            cx.build_request(Method::Get, url, headers, LIST_BODY_LIMIT)
        })
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let repository = self.repository;
        match response.status {
            200 => {
                let Some(mut tags) = parse_tags(&response.body) else {
                    cx.registry_error(StepId::Tags, response);
                    return Phase::Finish;
                };
                tags.truncate(MAX_TAGS);
                cx.report.permissions.list_tags = Status::Yes;
                cx.report.set_step(
                    StepId::Tags,
                    StepStatus::Ok,
                    StepText::TagsListed,
                    &[
                        ("repository", &repository),
                        ("count", &tags.len().to_string()),
                    ],
                    Some(200),
                );
                let tag = cx.settings.reference.clone().or_else(|| {
                    tags.iter()
                        .find(|t| *t == "latest")
                        .or_else(|| tags.iter().find(|t| is_tag(t)))
                        .cloned()
                });
                cx.report.tags = Some(TagsReport {
                    repository: repository.clone(),
                    tags,
                });
                match tag {
                    Some(tag) => Phase::Pull(Pull::new(repository, tag)),
                    None => {
                        cx.finding(F::NoTags, &repository);
                        Phase::Finish
                    }
                }
            }
            401 | 403 => {
                let scope = pull_scope(&repository);
                if cx.denied(StepId::Tags, &scope, response, F::TagsDenied, &repository) {
                    return Phase::Tags(Tags { repository });
                }
                cx.report.permissions.list_tags = Status::No;
                cx.report.fail_step(
                    StepId::Tags,
                    StepText::TagsDenied,
                    &[("repository", &repository)],
                    Some(response.status),
                );
                // Pulling may still be allowed: check the usual tag.
                let tag = cx
                    .settings
                    .reference
                    .clone()
                    .unwrap_or_else(|| "latest".into());
                Phase::Pull(Pull::new(repository, tag))
            }
            404 => {
                cx.finding(F::RepositoryNotFound, &repository);
                cx.report.set_step(
                    StepId::Tags,
                    StepStatus::Warn,
                    StepText::TagsNotFound,
                    &[("repository", &repository)],
                    Some(404),
                );
                Phase::Finish
            }
            _ => {
                cx.registry_error(StepId::Tags, response);
                Phase::Finish
            }
        }
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        cx.listing_failed(StepId::Tags, "tags", failure);
        Phase::Finish
    }
}
