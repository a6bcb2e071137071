//! The scheme found, not assumed: when no scheme was typed and the assumed one fails to connect
//! (refused, reset, not TLS, a TLS port answering plain http, or nothing a page can reach), the
//! ping is sent once over the other scheme. If a registry answers there, the probe goes on with
//! it and says `use-http` / `use-https` with the fixed URL; else the first failure is reported.
//! Credentials never go over plain http to a host that is not loopback.

use super::{Failure, HttpResponse, NetworkCause, Phase, Probe};
use crate::messages::finding::FindingCode as F;
use crate::url_field::{Endpoint, PageProtocol, Scheme};

/// The assumed scheme's outcome, kept while the other one is tried.
#[derive(Clone, Debug)]
pub(super) struct FirstTry {
    outcome: Outcome,
    other: Endpoint,
}

#[derive(Clone, Debug)]
enum Outcome {
    Failed(Phase, Failure),
    Answered(HttpResponse),
}

/// True for an answer that a registry gives to `GET /v2/`.
fn is_registry(response: &HttpResponse) -> bool {
    matches!(response.status, 200 | 401)
        && (response.header("docker-distribution-api-version").is_some()
            || (response.status == 401 && response.header("www-authenticate").is_some()))
}

impl Probe {
    /// The ping over the other scheme, when this failure of the assumed one calls for it.
    pub(super) fn scheme_fallback(&mut self, phase: &Phase, failure: &Failure) -> Option<Phase> {
        let worth = match failure {
            Failure::Connection(cause, _) => matches!(
                cause,
                NetworkCause::Refused | NetworkCause::Reset | NetworkCause::NotTls
            ),
            // In a page: after the no-cors check found nothing either.
            Failure::Network => self.env.cors && *phase == Phase::PingNoCors,
            _ => false,
        };
        let first = Outcome::Failed(phase.clone(), failure.clone());
        worth.then(|| self.try_other_scheme(first))?
    }

    /// The same for an answer: a TLS port telling a plain-http request so.
    pub(super) fn scheme_fallback_answer(&mut self, response: &HttpResponse) -> Option<Phase> {
        self.try_other_scheme(Outcome::Answered(response.clone()))
    }

    fn try_other_scheme(&mut self, outcome: Outcome) -> Option<Phase> {
        // Tried once: the assumption is spent whatever the other scheme answers.
        if !std::mem::take(&mut self.scheme_assumed) {
            return None;
        }
        let other = self.endpoint.as_ref()?.with_other_scheme()?;
        // A page on https cannot reach plain http elsewhere (mixed content).
        let blocked = self.env.cors
            && self.env.page_protocol == Some(PageProtocol::Https)
            && other.scheme == Scheme::Http
            && !other.is_loopback();
        if blocked {
            return None;
        }
        self.other_scheme = Some(FirstTry { outcome, other });
        Some(Phase::OtherScheme)
    }

    /// The ping URL over the other scheme.
    pub(super) fn other_ping_url(&self) -> String {
        self.other_scheme
            .as_ref()
            .map(|t| t.other.ping_url.clone())
            .unwrap_or_default()
    }

    /// The other scheme answered: a registry → go on with it; anything else → the first try.
    pub(super) fn other_scheme_answered(&mut self, response: &HttpResponse) -> Phase {
        if !is_registry(response) {
            return self.first_try();
        }
        let Some(FirstTry { other, .. }) = self.other_scheme.take() else {
            return Phase::Finish;
        };
        let first = self.base();
        let code = match other.scheme {
            Scheme::Http => F::UseHttp,
            Scheme::Https => F::UseHttps,
        };
        self.finding_with(
            code,
            &[("detail", &super::origin_of(&first)), ("url", &other.url)],
        );
        if other.scheme == Scheme::Http && !other.is_loopback() && self.credentials.take().is_some()
        {
            let origin = super::origin_of(other.base_url());
            self.finding(F::InsecureCredentials, &origin);
        }
        if other.scheme == Scheme::Https {
            self.credentials = self.withheld.take();
        }
        self.endpoint = Some(other);
        self.ping_response(Phase::Ping, response)
    }

    /// Credentials held back from plain http stay unsent: say so (once).
    pub(super) fn credentials_withheld(&mut self) {
        if self.withheld.take().is_some() {
            let origin = super::origin_of(&self.base());
            self.finding(F::InsecureCredentials, &origin);
        }
    }

    /// The other scheme failed too: the first try's outcome is what is reported.
    pub(super) fn first_try(&mut self) -> Phase {
        let Some(FirstTry { outcome, .. }) = self.other_scheme.take() else {
            return Phase::Finish;
        };
        match outcome {
            Outcome::Failed(phase, failure) => self.ping_failure(phase, failure),
            Outcome::Answered(response) => self.ping_response(Phase::Ping, &response),
        }
    }
}
