//! The connection test as a sans-IO state machine: it decides the next request from the last
//! response and contains no networking code and no clock.
//!
//! ```text
//!            ┌──────────── 200 ─────────────────────────────┐
//!  ping ─────┤ 401 Basic ── auth (retry with credentials) ──┤
//!   │        │ 401 Bearer ─ token ── auth (retry, token) ───┼─> catalog (pages) ─> tags ─> pull ─> done
//!   │        └ 404 ─ /v1/_ping ─ done                       │      (skipped on Docker Hub, GHCR, GitLab)
//!   └ TypeError ─ same URL, mode no-cors: opaque → "blocks CORS"; TypeError → "unreachable"
//! ```
//! One file per phase holds that phase's request, response and failure handling: [`ping`]
//! (`/v2/`, the no-cors check, `/v1/_ping`), [`scheme`] (the other scheme, when none was typed and
//! the assumed one fails), [`auth`] (the retry with credentials and the token service, with the
//! token's lifetime and granted scopes), [`catalog`] (pages), [`tags`] (tags and pull, with the
//! rate limit); [`report`] holds the verdict. Across phases: [`start`] reads the request (the
//! endpoint, the [`repository`] field as docker reads it, [`credential_expiry`]), [`scopes`]
//! follows a scope a challenge names, [`deadline`] ends the probe at the driver's deadline,
//! [`record`] keeps findings and steps, [`cors`] replays a browser's CORS checks for a page's
//! origin where no CORS applies (a preflight before each request that needs one), [`trace`]
//! records every request for `report.trace` and `report.curl`. This file dispatches to them.
//!
//! The driver loops: [`Probe::poll`] gives [`Action::Send`] (a request) or [`Action::Done`] (the
//! report); it performs the request and calls [`Probe::handle_response`] or
//! [`Probe::handle_failure`] with the elapsed time. Credentials come in with the request and
//! leave only as `Authorization` headers, to the registry's origin and to the token realm its
//! challenge names; never over plain http to a host that is not loopback, and never into the
//! report.

mod auth;
mod catalog;
mod cors;
mod cors_snippet;
mod credential_expiry;
mod deadline;
mod network;
mod ping;
mod record;
mod report;
mod repository;
mod request;
mod scheme;
mod scopes;
mod start;
mod tags;
mod trace;

pub use cors::page_origin;
pub use report::{
    AuthScheme, CatalogReport, Permissions, ProbeReport, ProbeStep, RanFrom, Status, StepId,
    StepStatus, TagsReport, Verdict,
};
pub use request::*;
pub use trace::TraceEntry;

use crate::messages::finding::{Finding, FindingCode as F};
use crate::messages::step::StepText;
use crate::protocol::remote_url::{origin, parse_remote_url};
use crate::url_field::provider::Provider;
use crate::url_field::{ApiVersion, Endpoint};
use std::collections::HashSet;

/// Where the probe is: the request to send next, or (in flight) the one sent.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Ping,
    PingNoCors,
    V1Ping,
    /// No scheme was typed and the assumed one failed: the ping over the other one.
    OtherScheme,
    AuthRetry,
    Token {
        scope: String,
        then: Box<Phase>,
    },
    TokenNoCors {
        realm: String,
        scope: String,
        then: Box<Phase>,
    },
    Catalog {
        url: String,
    },
    Tags,
    Pull {
        repository: String,
        tag: String,
        /// The second `HEAD` of a page (or the CORS replay): the index types, after the image
        /// manifest types found nothing.
        indexes: bool,
    },
    Finish,
}

impl Phase {
    /// The step a request of this phase belongs to.
    fn step(&self) -> StepId {
        match self {
            Phase::Ping
            | Phase::PingNoCors
            | Phase::V1Ping
            | Phase::OtherScheme
            | Phase::Finish => StepId::Ping,
            Phase::AuthRetry => StepId::Auth,
            Phase::Token { .. } | Phase::TokenNoCors { .. } => StepId::Token,
            Phase::Catalog { .. } => StepId::Catalog,
            Phase::Tags => StepId::Tags,
            Phase::Pull { .. } => StepId::Pull,
        }
    }
}

/// What a phase's `poll` decided.
enum Poll {
    /// Send this request (the phase is then in flight).
    Send(HttpRequest),
    /// Nothing to send in this phase: go on with another.
    Goto(Phase),
}

/// The `Authorization` a request needs.
enum Authorization {
    /// These headers (none for anonymous access).
    Headers(Vec<(&'static str, String)>),
    /// A token for the scope must be fetched first.
    NeedsToken,
}

/// The probe state machine.
pub struct Probe {
    env: Environment,
    endpoint: Option<Endpoint>,
    /// The endpoint as validated, when the probe talks to another one (Docker Hub's v1 URL is
    /// checked through its v2 API); the report gives this one.
    validated: Option<Endpoint>,
    credentials: Option<(String, String)>,
    repository: Option<String>,
    /// The tag or digest the repository field names (`alpine:3.20`), checked instead of the
    /// usual `latest`.
    reference: Option<String>,
    timeout_ms: u32,
    max_pages: u32,
    phase: Phase,
    in_flight: Option<Phase>,
    auth: Option<AuthScheme>,
    realm: Option<(String, Option<String>)>,
    tokens: Vec<(String, Option<String>)>,
    api_version: Option<ApiVersion>,
    permissions: Permissions,
    catalog: Option<CatalogReport>,
    seen_pages: HashSet<String>,
    tags: Option<TagsReport>,
    steps: Vec<ProbeStep>,
    /// Steps changed since the last [`Probe::take_progress`].
    changed: Vec<StepId>,
    findings: Vec<Finding>,
    hidden: Vec<&'static str>,
    requests: u32,
    auth_ok: bool,
    ping_only: bool,
    page_size: usize,
    link_seen: bool,
    /// The console's templates, by code.
    messages: Vec<(String, String)>,
    ran_from: RanFrom,
    /// The browser's CORS checks, replayed for a page's origin (Node and the server only).
    cors: Option<cors::CorsReplay>,
    trace: Vec<TraceEntry>,
    rate_limit: Option<crate::protocol::rate_limit::RateLimit>,
    /// No scheme was typed and the other one has not been tried yet (it is tried once, when the
    /// assumed one fails).
    scheme_assumed: bool,
    /// The assumed scheme's failure, kept while the other scheme is tried.
    other_scheme: Option<scheme::FirstTry>,
    /// Credentials held back from an assumed plain-http URL to a host that is not loopback:
    /// sent only if the registry turns out to speak https.
    withheld: Option<(String, String)>,
    /// Scopes a token was issued for without all the access asked (already reported).
    ungranted: Vec<String>,
    /// For a step's requests, the scope the probe asked for and the other one the registry's
    /// challenge named (ACR's tags want `metadata_read`): that step then uses the named one.
    named_scopes: Vec<(StepId, String, String)>,
}

/// `scheme://host[:port]` of `url` (the URL itself when it does not parse).
fn origin_of(url: &str) -> String {
    parse_remote_url(url).map_or_else(|| url.to_string(), |u| origin(&u))
}

impl Probe {
    /// The steps that changed since the last call (for progress callbacks), in step order (the
    /// order of `steps`).
    pub fn take_progress(&mut self) -> Vec<ProbeStep> {
        let changed = std::mem::take(&mut self.changed);
        self.steps
            .iter()
            .filter(|step| changed.contains(&step.id))
            .cloned()
            .collect()
    }

    /// The next request, or the report.
    pub fn poll(&mut self) -> Action {
        if let Some(request) = self.cors.as_mut().and_then(cors::CorsReplay::take_deferred) {
            self.trace
                .push(TraceEntry::sent(self.step_in_flight(), &request));
            return Action::Send(request);
        }
        loop {
            let phase = std::mem::replace(&mut self.phase, Phase::Finish);
            let next = match &phase {
                Phase::Finish => return Action::Done(Box::new(self.report())),
                Phase::Ping | Phase::PingNoCors | Phase::V1Ping | Phase::OtherScheme => {
                    self.poll_ping(&phase)
                }
                Phase::AuthRetry | Phase::Token { .. } | Phase::TokenNoCors { .. } => {
                    self.poll_auth(&phase)
                }
                Phase::Catalog { url } => self.poll_catalog(url),
                Phase::Tags | Phase::Pull { .. } => self.poll_tags(&phase),
            };
            match next {
                Poll::Send(_) if self.requests >= MAX_REQUESTS => {
                    let limit = MAX_REQUESTS.to_string();
                    self.finding(F::ProbeRequestLimit, &limit);
                    self.fail_step(phase.step(), StepText::RequestLimit, &[], None);
                }
                Poll::Send(request) => {
                    let step = phase.step();
                    self.in_flight = Some(phase);
                    self.requests += 1;
                    let request = match &mut self.cors {
                        Some(replay) => replay.prepare(step, request),
                        None => request,
                    };
                    self.trace.push(TraceEntry::sent(step, &request));
                    return Action::Send(request);
                }
                Poll::Goto(next) => self.phase = next,
            }
        }
    }

    /// Feeds the response to the request last given by [`Probe::poll`].
    pub fn handle_response(&mut self, response: HttpResponse, elapsed_ms: f64) {
        if self.in_flight.is_none() {
            return;
        }
        if let Some(entry) = self.trace.last_mut() {
            entry.answered(&response, elapsed_ms);
            if self.env.server {
                entry.headers.remove("docker-ratelimit-source");
            }
        }
        if let Some(replay) = self.cors.as_mut().filter(|r| r.preflighting()) {
            replay.preflight_answered(&response);
            return;
        }
        let Some(phase) = self.in_flight.take() else {
            return;
        };
        let step = phase.step();
        self.add_time(step, elapsed_ms);
        if let (Some(replay), Some(entry)) = (self.cors.as_mut(), self.trace.last()) {
            replay.answered(step, &entry.url, &response);
        }
        self.phase = match phase {
            Phase::Ping | Phase::PingNoCors | Phase::V1Ping | Phase::OtherScheme => {
                self.ping_response(phase, &response)
            }
            Phase::AuthRetry | Phase::Token { .. } | Phase::TokenNoCors { .. } => {
                self.auth_response(phase, &response)
            }
            Phase::Catalog { url } => self.catalog_response(url, &response),
            Phase::Tags | Phase::Pull { .. } => self.tags_response(phase, &response),
            Phase::Finish => Phase::Finish,
        };
    }

    /// Feeds a failure of the request last given by [`Probe::poll`].
    pub fn handle_failure(&mut self, failure: Failure, elapsed_ms: f64) {
        if self.in_flight.is_none() {
            return;
        }
        if let Some(entry) = self.trace.last_mut() {
            entry.failed(&failure, elapsed_ms);
        }
        if let Some(replay) = self.cors.as_mut().filter(|r| r.preflighting()) {
            replay.preflight_failed();
            return;
        }
        let Some(phase) = self.in_flight.take() else {
            return;
        };
        let step = phase.step();
        self.add_time(step, elapsed_ms);
        self.phase = match (phase, failure) {
            (_, Failure::Redirect) => {
                self.finding(F::RedirectRefused, "");
                self.fail_step(step, StepText::Redirected, &[], None);
                Phase::Finish
            }
            (
                phase @ (Phase::Ping | Phase::PingNoCors | Phase::V1Ping | Phase::OtherScheme),
                failure,
            ) => self.ping_failure(phase, failure),
            (
                phase @ (Phase::AuthRetry | Phase::Token { .. } | Phase::TokenNoCors { .. }),
                failure,
            ) => self.auth_failure(phase, failure),
            (Phase::Catalog { .. }, failure) => self.catalog_failure(failure),
            (phase @ (Phase::Tags | Phase::Pull { .. }), failure) => {
                self.tags_failure(&phase, failure)
            }
            (Phase::Finish, _) => Phase::Finish,
        };
    }

    /// The step of the request in flight (the preflight's is its request's).
    fn step_in_flight(&self) -> StepId {
        self.in_flight.as_ref().map_or(StepId::Ping, Phase::step)
    }

    fn provider(&self) -> Provider {
        self.endpoint
            .as_ref()
            .map_or(Provider::Other, |e| e.provider)
    }

    fn base(&self) -> String {
        self.endpoint
            .as_ref()
            .map(|e| e.base_url().to_string())
            .unwrap_or_default()
    }

    fn ping_url(&self) -> String {
        self.endpoint
            .as_ref()
            .map(|e| e.ping_url.clone())
            .unwrap_or_default()
    }

    fn request(
        &self,
        method: Method,
        url: String,
        headers: Vec<(&'static str, String)>,
        limit: usize,
    ) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers,
            no_cors: false,
            body_limit: limit,
            timeout_ms: self.timeout_ms,
        }
    }
}
