//! The start of a probe: the request read against the URL field (the endpoint, Docker Hub's v1
//! URL read as its v2 API, the repository field as docker reads it), the environment's checks
//! decided before any request (mixed content, credentials over plain http, credential shapes and
//! lifetimes), and the settings it keeps to.

use super::cors::CorsReplay;
use super::credential_expiry::credential_expiry;
use super::phase::Phase;
use super::ping::Ping;
use super::report::{RanFrom, Status, StepId, StepStatus};
use super::report_builder::{Held, ReportBuilder};
use super::repository::{read_repository, RepositoryField};
use super::request::*;
use super::session::{origin_of, Credentials, Session};
use super::settings::Settings;
use crate::form::credentials::{check_password, check_username};
use crate::messages::diagnostic::Severity;
use crate::messages::finding::Finding;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::url_field::{validate_registry_url, Endpoint, PageProtocol, Scheme, UrlOptions};

/// How a probe starts.
pub(super) enum Start {
    /// Talking to the registry, from this phase.
    Going(Box<Session>, Phase),
    /// Over before any request (the URL is not valid, the repository is another registry's):
    /// the report gives this endpoint.
    Over(Option<Endpoint>),
}

/// A failed step and its finding, decided before any request.
fn refuse(
    report: &mut ReportBuilder,
    code: F,
    slots: &[(&str, &str)],
    step: StepId,
    text: StepText,
) {
    report.finding(code, slots, None, Held::No);
    report.set_step(step, StepStatus::Fail, text, &[], None);
}

/// Reads the request: the settings, the report so far, and where the probe starts.
pub(super) fn start(
    request: ProbeRequest,
    env: Environment,
    messages: Vec<(String, String)>,
) -> (Settings, ReportBuilder, Start) {
    let mut report = ReportBuilder::new(messages);
    let check = validate_registry_url(
        &request.url,
        &UrlOptions {
            page_protocol: env.page_protocol,
        },
    );
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
    let mut settings = Settings {
        env,
        timeout_ms: request
            .timeout_ms
            .filter(|t| *t > 0)
            .map_or(DEFAULT_TIMEOUT_MS, |t| t.min(MAX_TIMEOUT_MS)),
        max_pages: request
            .max_catalog_pages
            .filter(|p| *p > 0)
            .unwrap_or(DEFAULT_MAX_CATALOG_PAGES),
        page_size: request
            .catalog_page_size
            .and_then(|n| usize::try_from(n).ok())
            .map_or(CATALOG_PAGE_SIZE, |n| n.clamp(1, MAX_CATALOG_PAGE_SIZE)),
        ping_only: request.ping_only.unwrap_or(false),
        ran_from: match (env.cors, &relayed) {
            (true, _) => RanFrom::Browser,
            (false, Some(_)) => RanFrom::Relay,
            (false, None) => RanFrom::Node,
        },
        repository: None,
        reference: None,
        validated: None,
    };
    if let Some(codes) = &relayed {
        report.finding(F::RanOnServer, &[("detail", codes)], None, Held::No);
    }
    let endpoint = match (check.ok, check.endpoint) {
        (true, Some(endpoint)) => endpoint,
        _ => {
            let first = check
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map_or("", |d| d.message.as_str());
            let slots = [("detail", first)];
            refuse(
                &mut report,
                F::UrlInvalid,
                &slots,
                StepId::Ping,
                StepText::UrlInvalid,
            );
            return (settings, report, Start::Over(None));
        }
    };
    let endpoint = match endpoint.dockerhub_v2() {
        Some(v2) => {
            let slots = [("detail", endpoint.url.as_str()), ("url", v2.url.as_str())];
            report.finding(F::DockerhubV1AsV2, &slots, None, Held::No);
            settings.validated = Some(endpoint);
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
            settings.repository = Some(repository);
            settings.reference = reference;
        }
        Some(RepositoryField::Elsewhere(domain)) => {
            // Nothing is sent: the repository belongs to another registry.
            let fix = validate_registry_url(&domain, &UrlOptions::default())
                .endpoint
                .map_or(domain.clone(), |e| e.url);
            let slots = [("detail", domain.as_str()), ("url", &fix)];
            let (code, text) = (
                F::RepositoryOtherRegistry,
                StepText::RepositoryOtherRegistry,
            );
            refuse(&mut report, code, &slots, StepId::Tags, text);
            return (settings, report, Start::Over(Some(endpoint)));
        }
        None => {}
    }
    let assumed = check.scheme_assumed;
    let origin = origin_of(&endpoint.url);
    let plain_remote = endpoint.scheme == Scheme::Http && !endpoint.is_loopback();
    let mut phase = Phase::Ping(Ping { assumed });
    if env.cors && env.page_protocol == Some(PageProtocol::Https) && plain_remote {
        let slots = [("detail", origin.as_str())];
        refuse(
            &mut report,
            F::MixedContent,
            &slots,
            StepId::Ping,
            StepText::MixedContent,
        );
        report.permissions.reach = Status::No;
        phase = Phase::Finish;
    }
    let mut credentials = Credentials::None;
    let username = request.username.unwrap_or_default();
    if !username.trim().is_empty() && !settings.ping_only {
        if plain_remote && !assumed {
            let slots = [("detail", origin.as_str())];
            report.finding(F::InsecureCredentials, &slots, None, Held::No);
        } else {
            let password = request.password.unwrap_or_default();
            // The shapes each provider documents, as in the form, plus what only the
            // password tells (an ACR access token).
            let mut shapes = Vec::new();
            check_username(Some(endpoint.provider), &username, &mut shapes);
            shapes.extend(check_password(endpoint.provider, &username, &password));
            for shape in shapes.iter().filter(|d| d.severity == Severity::Warning) {
                report.push(Finding::from_diagnostic(shape, &report.messages));
            }
            if let Some(now) = env.now_s {
                credential_expiry(&mut report, endpoint.provider, &username, &password, now);
            }
            let username = username.trim().to_string();
            credentials = if plain_remote {
                Credentials::Withheld(username, password)
            } else {
                Credentials::Given(username, password)
            };
        }
    }
    let session = Session {
        endpoint,
        credentials,
        auth: None,
        realm: None,
        other_realms: Vec::new(),
        tokens: Vec::new(),
        named_scopes: Vec::new(),
        ungranted: Vec::new(),
        cors: request
            .origin
            .as_deref()
            .filter(|_| !env.cors)
            .and_then(CorsReplay::new),
    };
    (settings, report, Start::Going(Box::new(session), phase))
}
