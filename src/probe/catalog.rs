//! The catalog phase: `GET /v2/_catalog?n=…`, page by page, following `Link` on the registry's
//! own origin (or `last` when CORS hides `Link`), up to the page cap. Providers without a usable
//! catalog (Docker Hub, GHCR, GitLab) skip it.

use super::{Failure, HttpResponse, Method, Status, StepId, StepStatus};
use super::{Phase, Poll, Probe};
use super::{LIST_BODY_LIMIT, MAX_REPOSITORIES};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::link::{parse_next_link, resolve_same_origin};
use crate::protocol::registry_json::parse_catalog;
use crate::url_field::provider::Provider;
use crate::url_field::ApiVersion;
use crate::CatalogReport;

/// The scope a catalog request needs from a token service.
use super::auth::CATALOG_SCOPE;

impl Probe {
    /// What comes after authentication: the catalog, or the tags where there is none.
    pub(super) fn after_auth(&mut self) -> Phase {
        if self
            .endpoint
            .as_ref()
            .is_some_and(|e| e.api_version == ApiVersion::V1)
        {
            return Phase::Finish;
        }
        let provider = self.provider();
        if matches!(
            provider,
            Provider::Dockerhub | Provider::Ghcr | Provider::Gitlab
        ) {
            let name = provider.display_name();
            self.finding(F::CatalogUnavailable, name);
            self.set_step(
                StepId::Catalog,
                StepStatus::Skipped,
                StepText::CatalogSkipped,
                &[("provider", name)],
                None,
            );
            return Phase::Tags;
        }
        Phase::Catalog {
            url: self.catalog_url(None),
        }
    }

    /// A catalog page: `n` and, after the first page, `last` (form-encoded, as distribution
    /// writes it in its own `Link`).
    fn catalog_url(&self, last: Option<&str>) -> String {
        let page = format!("{}/v2/_catalog", self.base());
        let Ok(mut url) = url::Url::parse(&page) else {
            return page;
        };
        url.query_pairs_mut()
            .append_pair("n", &self.page_size.to_string())
            .extend_pairs(last.map(|l| ("last", l)));
        url.into()
    }

    pub(super) fn poll_catalog(&mut self, url: &str) -> Poll {
        let phase = Phase::Catalog {
            url: url.to_string(),
        };
        self.authorized(&phase, CATALOG_SCOPE, |probe, headers| {
            probe.set_step(
                StepId::Catalog,
                StepStatus::Running,
                StepText::CatalogRunning,
                &[],
                None,
            );
            probe.request(Method::Get, url.to_string(), headers, LIST_BODY_LIMIT)
        })
    }

    pub(super) fn catalog_response(&mut self, url: String, response: &HttpResponse) -> Phase {
        let provider = self.provider();
        match response.status {
            200 => {}
            401 | 403 => {
                let retry = Phase::Catalog { url: url.clone() };
                if let Some(retry) = self.follow_scope(CATALOG_SCOPE, response, retry) {
                    return retry;
                }
                self.permissions.list_images = Status::No;
                self.finding(F::CatalogDenied, "");
                self.insufficient_scope(CATALOG_SCOPE, response);
                if provider == Provider::Harbor {
                    self.finding(F::HarborCatalogAdmin, "");
                }
                self.set_step(
                    StepId::Catalog,
                    StepStatus::Fail,
                    StepText::CatalogDenied,
                    &[],
                    Some(response.status),
                );
                return Phase::Tags;
            }
            404 => {
                self.finding(F::CatalogUnsupported, "");
                self.set_step(
                    StepId::Catalog,
                    StepStatus::Warn,
                    StepText::CatalogUnsupported,
                    &[],
                    Some(404),
                );
                return Phase::Tags;
            }
            _ => {
                self.registry_error(StepId::Catalog, response);
                return Phase::Tags;
            }
        }
        let Some(page) = parse_catalog(&response.body) else {
            self.finding(F::CatalogInvalid, "");
            self.set_step(
                StepId::Catalog,
                StepStatus::Warn,
                StepText::CatalogInvalid,
                &[],
                Some(200),
            );
            return Phase::Tags;
        };
        self.permissions.list_images = Status::Yes;
        self.seen_pages.insert(url);
        let full_page = page.len() >= self.page_size;
        let last = page.last().cloned();
        let catalog = self.catalog.get_or_insert(CatalogReport {
            repositories: Vec::new(),
            complete: false,
            pages: 0,
        });
        catalog.pages += 1;
        let room = MAX_REPOSITORIES.saturating_sub(catalog.repositories.len());
        catalog.repositories.extend(page.into_iter().take(room));
        let (pages, count) = (catalog.pages, catalog.repositories.len());
        let next = self.next_page(response, full_page, last);
        let (count, pages_text) = (count.to_string(), pages.to_string());
        let listed: [(&str, &str); 2] = [("count", &count), ("pages", &pages_text)];
        match next {
            Some(url) if pages < self.max_pages => {
                self.set_step(
                    StepId::Catalog,
                    StepStatus::Running,
                    StepText::CatalogListed,
                    &listed,
                    Some(200),
                );
                Phase::Catalog { url }
            }
            Some(_) => {
                self.finding(F::CatalogTruncated, &pages_text);
                self.set_step(
                    StepId::Catalog,
                    StepStatus::Ok,
                    StepText::CatalogListed,
                    &listed,
                    Some(200),
                );
                Phase::Tags
            }
            None => {
                let complete = !self
                    .findings
                    .iter()
                    .any(|f| f.code == F::CatalogLinkIgnored.code());
                if let Some(c) = self.catalog.as_mut() {
                    c.complete = complete;
                }
                if count == "0" {
                    if provider == Provider::Quay && self.credentials.is_none() {
                        self.finding(F::QuayAnonymous, "");
                    } else {
                        self.finding(F::CatalogEmpty, "");
                    }
                    self.set_step(
                        StepId::Catalog,
                        StepStatus::Warn,
                        StepText::CatalogEmpty,
                        &[],
                        Some(200),
                    );
                } else {
                    self.set_step(
                        StepId::Catalog,
                        StepStatus::Ok,
                        StepText::CatalogListed,
                        &listed,
                        Some(200),
                    );
                }
                Phase::Tags
            }
        }
    }

    /// The next page's URL: the `Link` target on the registry's origin, not a page already
    /// read; or, when CORS may hide `Link` from a full page, the page after `last`.
    fn next_page(
        &mut self,
        response: &HttpResponse,
        full_page: bool,
        last: Option<String>,
    ) -> Option<String> {
        let endpoint_url = self
            .endpoint
            .as_ref()
            .map(|e| e.url.clone())
            .unwrap_or_default();
        self.link_seen |= response.header("link").is_some();
        match response.header("link").and_then(parse_next_link) {
            Some(target) => match resolve_same_origin(&endpoint_url, &target) {
                Some(next) if self.seen_pages.contains(&next) => {
                    self.finding(F::CatalogLinkIgnored, "points back to a page already read");
                    None
                }
                Some(next) => Some(next),
                None => {
                    self.finding(F::CatalogLinkIgnored, "leaves the registry's origin");
                    None
                }
            },
            // The page is full but no Link is readable: CORS may hide it, so continue with
            // `last` — unless an earlier page showed a Link, which makes this the last page.
            None if full_page && self.env.cors && !self.link_seen => {
                if !self.hidden.contains(&"Link") {
                    self.hidden.push("Link");
                }
                last.map(|l| self.catalog_url(Some(&l)))
                    .filter(|n| !self.seen_pages.contains(n))
            }
            None => None,
        }
    }

    pub(super) fn catalog_failure(&mut self, failure: Failure) -> Phase {
        self.listing_failed(StepId::Catalog, "catalog", failure);
        Phase::Tags
    }
}
