//! The phases of a probe as values, each carrying its own data, and the one dispatch per event:
//! [`Phase::request`] (what to send, or which phase comes instead), [`Phase::on_response`] and
//! [`Phase::on_failure`] (the phase that comes next). See the diagram in [`super`].

use super::auth::AuthRetry;
use super::catalog::Catalog;
use super::context::Cx;
use super::ping::{Ping, PingNoCors, V1Ping};
use super::preflight::Preflight;
use super::pull::Pull;
use super::report::StepId;
use super::request::{Failure, HttpRequest, HttpResponse};
use super::scheme::OtherScheme;
use super::tags::Tags;
use super::token::{Token, TokenNoCors};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;

/// Where the probe is: the phase whose request goes next, or whose request is out.
pub(super) enum Phase {
    /// `GET /v2/`.
    Ping(Ping),
    /// In a page, after the ping failed: the same URL with `mode: 'no-cors'`.
    PingNoCors(PingNoCors),
    /// No `/v2/`: `GET /v1/_ping`.
    V1Ping(V1Ping),
    /// No scheme was typed and the assumed one failed: the ping over the other one.
    OtherScheme(OtherScheme),
    /// `GET /v2/` again, with the credentials (Basic) or the login token (Bearer).
    AuthRetry(AuthRetry),
    /// The token service, for one scope.
    Token(Token),
    /// In a page, after the token service failed: its realm with `mode: 'no-cors'`.
    TokenNoCors(TokenNoCors),
    /// `GET /v2/_catalog`, one page.
    Catalog(Catalog),
    /// `GET /v2/<name>/tags/list`.
    Tags(Tags),
    /// `HEAD /v2/<name>/manifests/<tag>`.
    Pull(Pull),
    /// The CORS preflight a page's browser sends before a request with `Authorization`
    /// (replayed for a page's origin where no CORS applies); the request waits in it.
    Preflight(Preflight),
    /// Nothing more to send: the report.
    Finish,
}

/// What a phase's request decided.
pub(super) enum Next {
    /// Send this request; its answer goes to this phase.
    Send(HttpRequest, Phase),
    /// Nothing to send here: go on with this phase.
    Goto(Phase),
}

impl Phase {
    /// The step a request of this phase belongs to (a preflight's is its request's).
    pub fn step(&self) -> StepId {
        match self {
            Phase::Ping(_)
            | Phase::PingNoCors(_)
            | Phase::V1Ping(_)
            | Phase::OtherScheme(_)
            | Phase::Finish => StepId::Ping,
            Phase::AuthRetry(_) => StepId::Auth,
            Phase::Token(_) | Phase::TokenNoCors(_) => StepId::Token,
            Phase::Catalog(_) => StepId::Catalog,
            Phase::Tags(_) => StepId::Tags,
            Phase::Pull(_) => StepId::Pull,
            Phase::Preflight(p) => p.step(),
        }
    }

    /// The phase's request, or the phase to go on with.
    pub fn request(self, cx: &mut Cx) -> Next {
        match self {
            Phase::Ping(p) => p.request(cx),
            Phase::PingNoCors(p) => p.request(cx),
            Phase::V1Ping(p) => p.request(cx),
            Phase::OtherScheme(p) => p.request(cx),
            Phase::AuthRetry(p) => p.request(cx),
            Phase::Token(p) => p.request(cx),
            Phase::TokenNoCors(p) => p.request(cx),
            Phase::Catalog(p) => p.request(cx),
            Phase::Tags(p) => p.request(cx),
            Phase::Pull(p) => p.request(cx),
            Phase::Preflight(p) => p.request(cx),
            Phase::Finish => Next::Goto(Phase::Finish),
        }
    }

    /// The answer to this phase's request: the phase that comes next.
    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        match self {
            Phase::Ping(p) => p.on_response(cx, response),
            Phase::PingNoCors(p) => p.on_response(cx, response),
            Phase::V1Ping(p) => p.on_response(cx, response),
            Phase::OtherScheme(p) => p.on_response(cx, response),
            Phase::AuthRetry(p) => p.on_response(cx, response),
            Phase::Token(p) => p.on_response(cx, response),
            Phase::TokenNoCors(p) => p.on_response(cx, response),
            Phase::Catalog(p) => p.on_response(cx, response),
            Phase::Tags(p) => p.on_response(cx, response),
            Phase::Pull(p) => p.on_response(cx, response),
            Phase::Preflight(p) => p.on_response(cx, response),
            Phase::Finish => Phase::Finish,
        }
    }

    /// This phase's request got no answer: the phase that comes next. A redirect of a request
    /// (credentials may ride on it) ends the probe in any phase.
    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        match (self, failure) {
            (Phase::Preflight(p), failure) => p.on_failure(cx, failure),
            (phase, Failure::Redirect) => {
                cx.finding(F::RedirectRefused, "");
                cx.report
                    .fail_step(phase.step(), StepText::Redirected, &[], None);
                Phase::Finish
            }
            (Phase::Ping(p), failure) => p.on_failure(cx, failure),
            (Phase::PingNoCors(p), failure) => p.on_failure(cx, failure),
            (Phase::V1Ping(p), failure) => p.on_failure(cx, failure),
            (Phase::OtherScheme(p), failure) => p.on_failure(cx, failure),
            (Phase::AuthRetry(p), failure) => p.on_failure(cx, failure),
            (Phase::Token(p), failure) => p.on_failure(cx, failure),
            (Phase::TokenNoCors(p), failure) => p.on_failure(cx, failure),
            (Phase::Catalog(p), failure) => p.on_failure(cx, failure),
            (Phase::Tags(p), failure) => p.on_failure(cx, failure),
            (Phase::Pull(p), failure) => p.on_failure(cx, failure),
            (Phase::Finish, _) => Phase::Finish,
        }
    }
}
