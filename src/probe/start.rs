//! The start of a probe: the request read against the URL field (the endpoint, Docker Hub's v1
//! URL read as its v2 API, the repository field as docker reads it), the environment's checks
//! decided before any request (mixed content, credentials over plain http, credential shapes and
//! lifetimes), and the settings it keeps to.

use super::cors::CorsReplay;
use super::report::{Permissions, ProbeStep, RanFrom, Status, StepId, StepStatus};
use super::repository::{read_repository, RepositoryField};
use super::request::*;
use super::{origin_of, Phase, Probe};
use crate::form::credentials::{check_password, check_username};
use crate::messages::diagnostic::Severity;
use crate::messages::finding::Finding;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::url_field::{validate_registry_url, PageProtocol, Scheme, UrlOptions};
use std::collections::HashSet;

impl Probe {
    /// Starts a probe. Nothing is sent until the first [`Probe::poll`].
    pub fn new(request: ProbeRequest, env: Environment) -> Probe {
        Probe::with_messages(request, env, Vec::new())
    }

    /// Like [`Probe::new`], with a console's own templates for findings (`<code>`), their
    /// fixes (`<code>.fix`) and step summaries (`step-…`), by code.
    pub fn with_messages(
        request: ProbeRequest,
        env: Environment,
        messages: Vec<(String, String)>,
    ) -> Probe {
        let options = UrlOptions {
            page_protocol: env.page_protocol,
        };
        let check = validate_registry_url(&request.url, &options);
        let scheme_assumed = check
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, "url-scheme-assumed" | "url-scheme-http-private"));
        let relayed = request
            .relayed_because
            .as_deref()
            .filter(|codes| !codes.is_empty())
            .map(|codes| {
                codes
                    .iter()
                    .take(8)
                    .map(|c| c.chars().take(40).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        let mut probe = Probe {
            env,
            endpoint: None,
            validated: None,
            credentials: None,
            // Read for the endpoint below (repository.rs).
            repository: None,
            reference: None,
            timeout_ms: request
                .timeout_ms
                .filter(|t| *t > 0)
                .map_or(DEFAULT_TIMEOUT_MS, |t| t.min(MAX_TIMEOUT_MS)),
            max_pages: request
                .max_catalog_pages
                .filter(|p| *p > 0)
                .unwrap_or(DEFAULT_MAX_CATALOG_PAGES),
            phase: Phase::Ping,
            in_flight: None,
            auth: None,
            realm: None,
            tokens: Vec::new(),
            api_version: None,
            permissions: Permissions {
                reach: Status::Unknown,
                list_images: Status::Unknown,
                list_tags: Status::Unknown,
                pull: Status::Unknown,
            },
            catalog: None,
            seen_pages: HashSet::new(),
            tags: None,
            steps: StepId::ALL
                .iter()
                .map(|&id| ProbeStep {
                    id,
                    status: StepStatus::Skipped,
                    summary: StepText::NotRun.render(&messages, &[]),
                    http_status: None,
                    duration_ms: None,
                })
                .collect(),
            changed: Vec::new(),
            findings: Vec::new(),
            hidden: Vec::new(),
            requests: 0,
            auth_ok: false,
            ping_only: request.ping_only.unwrap_or(false),
            page_size: request
                .catalog_page_size
                .and_then(|n| usize::try_from(n).ok())
                .map_or(CATALOG_PAGE_SIZE, |n| n.clamp(1, MAX_CATALOG_PAGE_SIZE)),
            link_seen: false,
            messages,
            cors: request
                .origin
                .as_deref()
                .filter(|_| !env.cors)
                .and_then(CorsReplay::new),
            trace: Vec::new(),
            rate_limit: None,
            scheme_assumed,
            other_scheme: None,
            ungranted: Vec::new(),
            named_scopes: Vec::new(),
            withheld: None,
            ran_from: match (env.cors, &relayed) {
                (true, _) => RanFrom::Browser,
                (false, Some(_)) => RanFrom::Relay,
                (false, None) => RanFrom::Node,
            },
        };
        if let Some(codes) = &relayed {
            probe.finding(F::RanOnServer, codes);
        }
        let endpoint = match (check.ok, check.endpoint) {
            (true, Some(endpoint)) => endpoint,
            _ => {
                let first = check
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or("", |d| d.message.as_str());
                probe.finding(F::UrlInvalid, first);
                probe.fail_step(StepId::Ping, StepText::UrlInvalid, &[], None);
                probe.phase = Phase::Finish;
                return probe;
            }
        };
        let endpoint = match endpoint.dockerhub_v2() {
            Some(v2) => {
                let slots = [("detail", endpoint.url.as_str()), ("url", v2.url.as_str())];
                probe.finding_with(F::DockerhubV1AsV2, &slots);
                probe.validated = Some(endpoint);
                v2
            }
            None => endpoint,
        };
        let field = request
            .repository
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match field.map(|text| read_repository(text, &endpoint)) {
            Some(RepositoryField::Here {
                repository,
                reference,
            }) => {
                probe.repository = Some(repository);
                probe.reference = reference;
            }
            Some(RepositoryField::Elsewhere(domain)) => {
                // Nothing is sent: the repository belongs to another registry.
                let fix = validate_registry_url(&domain, &UrlOptions::default())
                    .endpoint
                    .map_or(domain.clone(), |e| e.url);
                probe.finding_with(
                    F::RepositoryOtherRegistry,
                    &[("detail", &domain), ("url", &fix)],
                );
                probe.fail_step(StepId::Tags, StepText::RepositoryOtherRegistry, &[], None);
                probe.endpoint = Some(endpoint);
                probe.phase = Phase::Finish;
                return probe;
            }
            None => {}
        }
        let origin = origin_of(&endpoint.url);
        let plain_remote = endpoint.scheme == Scheme::Http && !endpoint.is_loopback();
        if env.cors && env.page_protocol == Some(PageProtocol::Https) && plain_remote {
            probe.finding(F::MixedContent, &origin);
            probe.fail_step(StepId::Ping, StepText::MixedContent, &[], None);
            probe.permissions.reach = Status::No;
            probe.phase = Phase::Finish;
        }
        let username = request.username.unwrap_or_default();
        if !username.trim().is_empty() && !probe.ping_only {
            if plain_remote && !scheme_assumed {
                probe.finding(F::InsecureCredentials, &origin);
            } else {
                let password = request.password.unwrap_or_default();
                // The shapes each provider documents, as in the form, plus what only the
                // password tells (an ACR access token).
                let mut shapes = Vec::new();
                check_username(Some(endpoint.provider), &username, &mut shapes);
                shapes.extend(check_password(endpoint.provider, &username, &password));
                for shape in shapes.iter().filter(|d| d.severity == Severity::Warning) {
                    let finding = Finding::from_diagnostic(shape, &probe.messages);
                    probe.findings.push(finding);
                }
                if let Some(now) = env.now_s {
                    probe.credential_expiry(endpoint.provider, &username, &password, now);
                }
                let credentials = (username.trim().to_string(), password);
                if plain_remote {
                    probe.withheld = Some(credentials);
                } else {
                    probe.credentials = Some(credentials);
                }
            }
        }
        probe.endpoint = Some(endpoint);
        probe
    }
}
