//! The authentication retry: `GET /v2/` again with the credentials (Basic) or the login token
//! (Bearer), which tells whether the account signs in.

use super::catalog::after_auth;
use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::{AuthScheme, StepId, StepStatus};
use super::request::{Failure, HttpResponse, Method, ERROR_BODY_LIMIT};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;

/// `GET /v2/` with the credentials or the login token.
pub(super) struct AuthRetry;

impl AuthRetry {
    pub fn request(self, cx: &mut Cx) -> Next {
        cx.authorized(Phase::AuthRetry(self), "", |cx, headers| {
            cx.report.set_step(
                StepId::Auth,
                StepStatus::Running,
                StepText::AuthRunning,
                &[],
                None,
            );
            let url = cx.session.endpoint.ping_url.clone();
            cx.build_request(Method::Get, url, headers, ERROR_BODY_LIMIT)
        })
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let status = response.status;
        match status {
            200 => {
                cx.report.auth_ok = true;
                let how = if cx.session.auth == Some(AuthScheme::Bearer) {
                    StepText::AuthTokenWorks
                } else {
                    StepText::AuthCredentialsWork
                };
                cx.report
                    .set_step(StepId::Auth, StepStatus::Ok, how, &[], Some(200));
                after_auth(cx)
            }
            401 | 403 => {
                cx.finding(F::CredentialsRejected, "");
                cx.report
                    .fail_step(StepId::Auth, StepText::AuthRejected, &[], Some(status));
                Phase::Finish
            }
            _ => {
                cx.registry_error(StepId::Auth, response);
                Phase::Finish
            }
        }
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        let origin = cx.session.origin();
        match failure {
            Failure::Connection(cause, message) => {
                let base = cx.session.base();
                cx.connection_failed(StepId::Auth, cause, &message, &base);
                return Phase::Finish;
            }
            Failure::Timeout => {
                let timeout = cx.after_timeout(&origin);
                cx.finding(F::Timeout, &timeout);
            }
            // A page's request with credentials that fails is its preflight's doing.
            _ if cx.settings.env.cors => cx.finding(F::PreflightRejected, ""),
            _ => {
                // No preflight without CORS: a network failure nothing named more exactly.
                cx.finding(F::Unreachable, &origin);
                cx.report
                    .fail_step(StepId::Auth, StepText::RequestFailed, &[], None);
                return Phase::Finish;
            }
        }
        cx.report
            .fail_step(StepId::Auth, StepText::AuthBlocked, &[], None);
        Phase::Finish
    }
}
