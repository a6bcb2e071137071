//! The connection test as a sans-IO state machine ([`Probe`]): it decides the next request from
//! the last response and contains no networking code and no clock. This module's public items
//! are what a driver needs: [`Action`], [`HttpRequest`], [`HttpResponse`], [`Failure`],
//! [`NetworkCause`], [`Environment`] and the bounds (`MAX_REQUESTS`, …).
//!
//! ```text
//! start ─┬─ URL invalid, or a repository of another registry ───────────────────────> report
//!        ├─ a page on https, plain http elsewhere (mixed content) ─────────────────> report
//!        └─ ping /v2/ ─┬─ 200 ──────────────────────────────────────────────┐
//!                      ├─ 401 Basic ─── auth retry ─────────────────────────┤  with credentials
//!                      ├─ 401 Bearer ─┬─ token "" ─── auth retry ───────────┤  with credentials
//!                      │              └─────────────────────────────────────┤  anonymous
//!                      ├─ 404 ─── v1 ping ─── report                        v
//!                      ├─ fails in a page ─── ping no-cors ─── report    catalog ◄─┐
//!                      ├─ fails (or a TLS port's 400), no scheme typed:     │  └───┘ next page
//!                      │     other scheme ─── a registry: as ping           │  (no catalog: skipped)
//!                      │                      else: as the first try        v
//!                      └─ any other answer; ping only ─── report          tags ─── pull ─── report
//!                                                                                 └─ 404 in a page: the pull for indexes
//!
//! before auth retry, catalog, tags or pull, without a token for its scope:
//!   token (scope) ─── back to it; fails in a page: token no-cors ─── back to it (first token: report)
//! a 401 naming another scope of the same realm, to catalog, tags or pull: token (that scope), once
//! replaying a page's CORS, before a request with Authorization: preflight ─── that request
//! in any phase: a redirect, the deadline or the 200th request ─── report
//! catalog ─── tags whatever it found; tags denied ─── the pull is still checked; no repository, no tag ─── report
//! ```
//!
//! Who owns what: `settings` (what the caller asked, never changed), `session` (the
//! endpoint, credentials, auth scheme, realm, tokens by scope, the CORS replay), and
//! `report_builder` (steps, findings, permissions, trace). Each phase is a value carrying its
//! own data, in its own file — `ping` (ping, its no-cors check, the v1 ping), `scheme`
//! (the other scheme), `auth` (the retry with credentials), `token` (the token service and
//! its no-cors check), `catalog`, `tags`, `pull`, `preflight` — each with one
//! `request`, one `on_response` and one `on_failure` returning the next phase, through a
//! `context::Cx` holding the three owners. `phase` routes each event to the phase, once.
//! Around them: `start` reads the request, `cors` replays a browser's CORS checks for a
//! page's origin where none applies, `scopes` follows a scope a challenge names, `network`
//! names failed connections, `trace` records every request for `report.trace` and
//! `report.curl`, `report` holds the report's types and the verdict rule.
//!
//! The driver loops: [`Probe::poll`] gives [`Action::Send`] (a request) or [`Action::Done`] (the
//! report); it performs the request and calls [`Probe::handle_response`] or
//! [`Probe::handle_failure`] with the elapsed time. Credentials come in with the request and
//! leave only as `Authorization` headers, to the registry's origin and to the token realm its
//! challenge names; never over plain http to a host that is not loopback, and never into the
//! report.

mod auth;
mod catalog;
mod context;
mod cors;
mod cors_snippet;
mod credential_expiry;
mod network;
mod phase;
mod ping;
mod preflight;
mod pull;
mod report;
mod report_builder;
mod repository;
mod request;
mod scheme;
mod scopes;
mod session;
mod settings;
mod start;
mod tags;
mod token;
mod trace;

pub use cors::page_origin;
pub use report::{
    AuthScheme, CatalogReport, Permissions, ProbeReport, ProbeStep, RanFrom, Status, StepId,
    StepStatus, TagsReport, Verdict,
};
pub use request::*;
pub use trace::TraceEntry;

use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::remote_url::parse_remote_url;
use context::Cx;
use phase::{Next, Phase};
use preflight::Preflight;
use report_builder::{Held, ReportBuilder};
use session::Session;
use settings::Settings;
use start::Start;

/// The probe state machine.
pub struct Probe {
    settings: Settings,
    report: ReportBuilder,
    state: State,
}

/// Talking to the registry, or over.
enum State {
    Going(Box<Going>),
    Over(Box<ProbeReport>),
}

/// A probe under way: the session, and the phase whose request goes next (or is out).
struct Going {
    session: Session,
    phase: Phase,
    /// The URL of the request out, while one is.
    sent: Option<String>,
}

impl Probe {
    /// Starts a probe. Nothing is sent until the first [`Probe::poll`].
    pub fn new(request: ProbeRequest, env: Environment) -> Probe {
        Probe::with_messages(request, env, Vec::new())
    }

    /// Like [`Probe::new`], with a console's own templates for findings (`<code>`), their
    /// fixes (`<code>.fix`) and step summaries (`step-…`), by code. A probe that cannot start
    /// (the URL is not valid, the repository is another registry's) is over at once.
    pub fn with_messages(
        request: ProbeRequest,
        env: Environment,
        messages: Vec<(String, String)>,
    ) -> Probe {
        let (settings, mut report, start) = start::start(request, env, messages);
        let state = match start {
            Start::Going(session, phase) => State::Going(Box::new(Going {
                session: *session,
                phase,
                sent: None,
            })),
            Start::Over(endpoint) => {
                State::Over(Box::new(report.build(&settings, endpoint.as_ref(), None)))
            }
        };
        Probe {
            settings,
            report,
            state,
        }
    }

    /// The steps that changed since the last call (for progress callbacks), in step order.
    pub fn take_progress(&mut self) -> Vec<ProbeStep> {
        self.report.take_progress()
    }

    /// The next request, or the report. Call it again after feeding the answer (or failure)
    /// of the request it gave; while that request is out it gives the report so far.
    pub fn poll(&mut self) -> Action {
        let going = match &mut self.state {
            State::Over(report) => return Action::Done(report.clone()),
            State::Going(going) if going.sent.is_some() => {
                return Action::Done(Box::new(self.report.build(
                    &self.settings,
                    Some(&going.session.endpoint),
                    going.session.auth,
                )));
            }
            State::Going(going) => going,
        };
        let mut cx = Cx {
            settings: &self.settings,
            session: &mut going.session,
            report: &mut self.report,
        };
        let mut phase = std::mem::replace(&mut going.phase, Phase::Finish);
        loop {
            if matches!(phase, Phase::Finish) {
                return Action::Done(self.finish());
            }
            // A preflight's requests (the OPTIONS, then the request that waited) were counted
            // and prepared when the request was made.
            let prepared = matches!(phase, Phase::Preflight(_));
            let (mut request, then) = match phase.request(&mut cx) {
                Next::Goto(next) => {
                    phase = next;
                    continue;
                }
                Next::Send(request, then) => (request, then),
            };
            let step = then.step();
            if !prepared {
                if cx.report.requests >= MAX_REQUESTS {
                    cx.finding(F::ProbeRequestLimit, &MAX_REQUESTS.to_string());
                    cx.report.fail_step(step, StepText::RequestLimit, &[], None);
                    phase = Phase::Finish;
                    continue;
                }
                cx.report.requests += 1;
                let preflight = cx
                    .session
                    .cors
                    .as_mut()
                    .is_some_and(|replay| replay.prepare(step, &mut request));
                if preflight {
                    phase = Phase::Preflight(Preflight::new(request, then));
                    continue;
                }
            }
            cx.report.trace.push(TraceEntry::sent(step, &request));
            going.phase = then;
            going.sent = Some(request.url.clone());
            return Action::Send(request);
        }
    }

    /// Feeds the response to the request last given by [`Probe::poll`].
    pub fn handle_response(&mut self, response: HttpResponse, elapsed_ms: f64) {
        let State::Going(going) = &mut self.state else {
            return;
        };
        let Some(url) = going.sent.take() else {
            return;
        };
        if let Some(entry) = self.report.trace.last_mut() {
            entry.answered(&response, elapsed_ms);
            if self.settings.env.server {
                entry.headers.remove("docker-ratelimit-source");
            }
        }
        let phase = std::mem::replace(&mut going.phase, Phase::Finish);
        if !matches!(phase, Phase::Preflight(_)) {
            let step = phase.step();
            self.report.add_time(step, elapsed_ms);
            if let Some(replay) = going.session.cors.as_mut() {
                replay.answered(step, &url, &response);
            }
        }
        let mut cx = Cx {
            settings: &self.settings,
            session: &mut going.session,
            report: &mut self.report,
        };
        going.phase = phase.on_response(&mut cx, &response);
    }

    /// Feeds a failure of the request last given by [`Probe::poll`].
    pub fn handle_failure(&mut self, failure: Failure, elapsed_ms: f64) {
        let State::Going(going) = &mut self.state else {
            return;
        };
        if going.sent.take().is_none() {
            return;
        }
        if let Some(entry) = self.report.trace.last_mut() {
            entry.failed(&failure, elapsed_ms);
        }
        let phase = std::mem::replace(&mut going.phase, Phase::Finish);
        if !matches!(phase, Phase::Preflight(_)) {
            self.report.add_time(phase.step(), elapsed_ms);
        }
        let mut cx = Cx {
            settings: &self.settings,
            session: &mut going.session,
            report: &mut self.report,
        };
        going.phase = phase.on_failure(&mut cx, failure);
    }

    /// The driver's deadline for the whole probe (`deadlineMs`; the server's `maxProbeMs`)
    /// passed; the request out, if any, is abandoned. The probe ends with what it confirmed so
    /// far, the step it was in failed, and `probe-deadline` naming that step; the verdict
    /// follows the usual rule. `deadline_ms` is the deadline as given, for the message.
    pub fn deadline_passed(&mut self, deadline_ms: f64, elapsed_ms: f64) {
        let State::Going(going) = &mut self.state else {
            return;
        };
        if matches!(going.phase, Phase::Finish) && going.sent.is_none() {
            return;
        }
        let step = going.phase.step();
        if going.sent.take().is_some() {
            if let Some(entry) = self.report.trace.last_mut() {
                entry.abandoned(elapsed_ms);
            }
            self.report.add_time(step, elapsed_ms);
        }
        let limit = format!("{} ms", deadline_ms.max(0.0).round());
        let mut cx = Cx {
            settings: &self.settings,
            session: &mut going.session,
            report: &mut self.report,
        };
        cx.finding_with(
            F::ProbeDeadline,
            &[("detail", &limit), ("step", step.as_str())],
        );
        cx.report.fail_step(step, StepText::Deadline, &[], None);
        going.phase = Phase::Finish;
    }

    /// The end: what only the whole probe tells (credentials never sent, an anonymous probe
    /// that got nothing, Harbor's wrong password, the CORS replay's findings, headers CORS
    /// hid), then the report.
    fn finish(&mut self) -> Box<ProbeReport> {
        let session = match &mut self.state {
            State::Over(report) => return report.clone(),
            State::Going(going) => &mut going.session,
        };
        let mut cx = Cx {
            settings: &self.settings,
            session,
            report: &mut self.report,
        };
        ping::credentials_withheld(&mut cx);
        let anonymous_bearer =
            session.given().is_none() && session.auth == Some(AuthScheme::Bearer);
        if anonymous_bearer {
            let host = session
                .realm
                .as_ref()
                .and_then(|realm| parse_remote_url(&realm.url))
                .and_then(|url| url.host_str().map(str::to_string))
                .unwrap_or_default();
            self.report.anonymous_gets_nothing(&host);
        }
        harbor_password_or_access(session, &mut self.report);
        if let Some(replay) = session.cors.take() {
            replay.report(session, &mut self.report);
        }
        if self.settings.env.cors && !self.report.hidden.is_empty() {
            let list = self.report.hidden.join(" and ");
            let account = session.username();
            self.report.finding(
                F::CorsHeadersHidden,
                &[("detail", &list)],
                account,
                Held::No,
            );
        }
        let report = Box::new(self.report.build(
            &self.settings,
            Some(&session.endpoint),
            session.auth,
        ));
        self.state = State::Over(report.clone());
        report
    }
}

/// Harbor issues tokens even for a wrong password (providers.md §7): when a password was
/// given and a token granted less than asked before a denial, the password may be wrong too.
fn harbor_password_or_access(session: &Session, report: &mut ReportBuilder) {
    let p = report.permissions;
    let denied = p.list_tags == Status::No || p.pull == Status::No;
    let harbor = session.provider() == crate::url_field::provider::Provider::Harbor;
    if harbor && session.given().is_some() && !session.ungranted.is_empty() && denied {
        report.finding(
            F::HarborPasswordOrAccess,
            &[("detail", "")],
            session.username(),
            Held::No,
        );
    }
}
