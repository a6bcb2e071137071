//! What a phase works with: the settings (read only), the session and the report builder, with
//! the few things a phase does through more than one of them (a finding in the account's name,
//! a request with the probe's timeout, a request authorized for a scope, a registry's error).

use super::phase::{Next, Phase};
use super::report::{AuthScheme, StepId};
use super::report_builder::{Held, ReportBuilder};
use super::request::{HttpRequest, HttpResponse, Method};
use super::session::{Authorization, Session};
use super::settings::Settings;
use super::token::Token;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::registry_json::parse_error_code;

/// The three owners a phase may touch, besides its own data.
pub(super) struct Cx<'a> {
    pub settings: &'a Settings,
    pub session: &'a mut Session,
    pub report: &'a mut ReportBuilder,
}

/// Denials that an anonymous probe of a token registry holds until the end (see [`Held`]).
const ANONYMOUS_DENIALS: [F; 5] = [
    F::CatalogDenied,
    F::TagsDenied,
    F::PullDenied,
    F::TokenScopePartial,
    F::TokenInsufficientScope,
];

impl Cx<'_> {
    pub fn finding(&mut self, code: F, detail: &str) {
        self.finding_with(code, &[("detail", detail)]);
    }

    /// A finding with more slots than `{detail}` (`{account}` is always filled).
    pub fn finding_with(&mut self, code: F, slots: &[(&str, &str)]) {
        let anonymous_bearer =
            self.session.given().is_none() && self.session.auth == Some(AuthScheme::Bearer);
        let held = if anonymous_bearer && ANONYMOUS_DENIALS.contains(&code) {
            Held::UntilAnonymousGetsSomething
        } else {
            Held::No
        };
        let username = self.session.username();
        self.report.finding(code, slots, username, held);
    }

    /// A request with the probe's timeout.
    pub fn build_request(
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
            timeout_ms: self.settings.timeout_ms,
        }
    }

    /// `phase`'s request for `scope` (the one the registry named instead, if it did), built by
    /// `build` with the `Authorization` it needs; or, first, the token for that scope.
    pub fn authorized(
        &mut self,
        phase: Phase,
        scope: &str,
        build: impl FnOnce(&mut Self, Vec<(&'static str, String)>) -> HttpRequest,
    ) -> Next {
        let scope = self.session.scope_for(phase.step(), scope);
        match self.session.authorization(&scope) {
            Authorization::Headers(headers) => Next::Send(build(self, headers), phase),
            Authorization::NeedsToken => Next::Goto(Phase::Token(Token::new(scope, phase))),
        }
    }

    /// A registry error answer: the finding with its status and error code, the step failed.
    pub fn registry_error(&mut self, step: StepId, response: &HttpResponse) {
        let code = parse_error_code(&response.body)
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let detail = format!("HTTP {}{code}", response.status);
        self.finding(F::ServerError, &detail);
        self.report.fail_step(
            step,
            StepText::RegistryError,
            &[("detail", &detail)],
            Some(response.status),
        );
    }

    /// `origin (after N ms)`, for a timeout's finding.
    pub fn after_timeout(&self, origin: &str) -> String {
        format!("{origin} (after {} ms)", self.settings.timeout_ms)
    }
}
