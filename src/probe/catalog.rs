//! The catalog phase: `GET /v2/_catalog?n=…`, page by page, following `Link` on the registry's
//! own origin (or `last` when CORS hides `Link`), up to the page cap. Providers without a usable
//! catalog (Docker Hub, GHCR, GitLab) skip it.

use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::{CatalogReport, Status, StepId, StepStatus};
use super::request::{Failure, HttpResponse, Method, LIST_BODY_LIMIT, MAX_REPOSITORIES};
use super::scopes::CATALOG_SCOPE;
use super::tags::Tags;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::link::{parse_next_link, resolve_same_origin};
use crate::protocol::registry_json::parse_catalog;
use crate::url_field::provider::Provider;
use crate::url_field::ApiVersion;
use std::collections::HashSet;

/// One catalog page, with what the pages before it showed.
pub(super) struct Catalog {
    /// The page's URL.
    url: String,
    /// Pages already read (a `Link` back to one of them ends the listing).
    seen: HashSet<String>,
    /// An earlier page had a readable `Link`.
    link_seen: bool,
    /// A `Link` was not followed: the listing is not complete.
    link_ignored: bool,
}

/// What comes after authentication: the catalog, or the tags where there is none.
pub(super) fn after_auth(cx: &mut Cx) -> Phase {
    if cx.session.endpoint.api_version == ApiVersion::V1 {
        return Phase::Finish;
    }
    let provider = cx.session.provider();
    if !provider.has_catalog() {
        let name = provider.display_name();
        cx.finding(F::CatalogUnavailable, name);
        cx.report.set_step(
            StepId::Catalog,
            StepStatus::Skipped,
            StepText::CatalogSkipped,
            &[("provider", name)],
            None,
        );
        return Tags::enter(cx);
    }
    Phase::Catalog(Catalog {
        url: catalog_url(cx, None),
        seen: HashSet::new(),
        link_seen: false,
        link_ignored: false,
    })
}

/// A catalog page: `n` and, after the first page, `last` (form-encoded, as distribution
/// writes it in its own `Link`).
fn catalog_url(cx: &Cx, last: Option<&str>) -> String {
    let page = format!("{}/v2/_catalog", cx.session.base());
    let Ok(mut url) = url::Url::parse(&page) else {
        return page;
    };
    url.query_pairs_mut()
        .append_pair("n", &cx.settings.page_size.to_string())
        .extend_pairs(last.map(|l| ("last", l)));
    url.into()
}

impl Catalog {
    pub fn request(self, cx: &mut Cx) -> Next {
        let url = self.url.clone();
        cx.authorized(Phase::Catalog(self), CATALOG_SCOPE, |cx, headers| {
            cx.report.set_step(
                StepId::Catalog,
                StepStatus::Running,
                StepText::CatalogRunning,
                &[],
                None,
            );
            cx.build_request(Method::Get, url, headers, LIST_BODY_LIMIT)
        })
    }

    pub fn on_response(mut self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let provider = cx.session.provider();
        match response.status {
            200 => {}
            401 | 403 => {
                let code = F::CatalogDenied;
                if cx.denied(StepId::Catalog, CATALOG_SCOPE, response, code, "") {
                    return Phase::Catalog(self);
                }
                cx.report.permissions.list_images = Status::No;
                if provider == Provider::Harbor {
                    cx.finding(F::HarborCatalogAdmin, "");
                }
                cx.report.set_step(
                    StepId::Catalog,
                    StepStatus::Fail,
                    StepText::CatalogDenied,
                    &[],
                    Some(response.status),
                );
                return Tags::enter(cx);
            }
            404 => {
                cx.finding(F::CatalogUnsupported, "");
                cx.report.set_step(
                    StepId::Catalog,
                    StepStatus::Warn,
                    StepText::CatalogUnsupported,
                    &[],
                    Some(404),
                );
                return Tags::enter(cx);
            }
            _ => {
                cx.registry_error(StepId::Catalog, response);
                return Tags::enter(cx);
            }
        }
        let Some(page) = parse_catalog(&response.body) else {
            cx.finding(F::CatalogInvalid, "");
            cx.report.set_step(
                StepId::Catalog,
                StepStatus::Warn,
                StepText::CatalogInvalid,
                &[],
                Some(200),
            );
            return Tags::enter(cx);
        };
        cx.report.permissions.list_images = Status::Yes;
        self.seen.insert(std::mem::take(&mut self.url));
        let full_page = page.len() >= cx.settings.page_size;
        let last = page.last().cloned();
        let catalog = cx.report.catalog.get_or_insert(CatalogReport {
            repositories: Vec::new(),
            complete: false,
            pages: 0,
        });
        catalog.pages += 1;
        let room = MAX_REPOSITORIES.saturating_sub(catalog.repositories.len());
        catalog.repositories.extend(page.into_iter().take(room));
        let (pages, count) = (catalog.pages, catalog.repositories.len());
        let next = self.next_page(cx, response, full_page, last);
        let (count, pages_text) = (count.to_string(), pages.to_string());
        let listed: [(&str, &str); 2] = [("count", &count), ("pages", &pages_text)];
        match next {
            Some(url) if pages < cx.settings.max_pages => {
                cx.report.set_step(
                    StepId::Catalog,
                    StepStatus::Running,
                    StepText::CatalogListed,
                    &listed,
                    Some(200),
                );
                self.url = url;
                return Phase::Catalog(self);
            }
            Some(_) => {
                cx.finding(F::CatalogTruncated, &pages_text);
                cx.report.set_step(
                    StepId::Catalog,
                    StepStatus::Ok,
                    StepText::CatalogListed,
                    &listed,
                    Some(200),
                );
            }
            None => {
                if let Some(c) = cx.report.catalog.as_mut() {
                    c.complete = !self.link_ignored;
                }
                if count == "0" {
                    if provider == Provider::Quay && cx.session.given().is_none() {
                        cx.finding(F::QuayAnonymous, "");
                    } else {
                        cx.finding(F::CatalogEmpty, "");
                    }
                    cx.report.set_step(
                        StepId::Catalog,
                        StepStatus::Warn,
                        StepText::CatalogEmpty,
                        &[],
                        Some(200),
                    );
                } else {
                    cx.report.set_step(
                        StepId::Catalog,
                        StepStatus::Ok,
                        StepText::CatalogListed,
                        &listed,
                        Some(200),
                    );
                }
            }
        }
        Tags::enter(cx)
    }

    /// The next page's URL: the `Link` target on the registry's origin, not a page already
    /// read; or, when CORS may hide `Link` from a full page, the page after `last`.
    fn next_page(
        &mut self,
        cx: &mut Cx,
        response: &HttpResponse,
        full_page: bool,
        last: Option<String>,
    ) -> Option<String> {
        self.link_seen |= response.header("link").is_some();
        let ignored = match response.header("link").and_then(parse_next_link) {
            Some(target) => match resolve_same_origin(&cx.session.endpoint.url, &target) {
                Some(next) if self.seen.contains(&next) => "points back to a page already read",
                Some(next) => return Some(next),
                None => "leaves the registry's origin",
            },
            // The page is full but no Link is readable: CORS may hide it, so continue with
            // `last` — unless an earlier page showed a Link, which makes this the last page.
            None if full_page && cx.settings.env.cors && !self.link_seen => {
                if !cx.report.hidden.contains(&"Link") {
                    cx.report.hidden.push("Link");
                }
                return last
                    .map(|l| catalog_url(cx, Some(&l)))
                    .filter(|n| !self.seen.contains(n));
            }
            None => return None,
        };
        cx.finding(F::CatalogLinkIgnored, ignored);
        self.link_ignored = true;
        None
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        cx.listing_failed(StepId::Catalog, "catalog", failure);
        Tags::enter(cx)
    }
}
