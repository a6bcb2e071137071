//! Token scopes: the ones the probe asks for (the catalog's, a repository's `pull`), a scope the
//! registry's challenge names instead (followed once), and `insufficient_scope` (named beside
//! the denial).

use super::context::Cx;
use super::report::{AuthScheme, StepId};
use super::request::HttpResponse;
use super::session::RealmRefused;
use crate::messages::finding::FindingCode as F;
use crate::protocol::challenge::parse_challenges;
use crate::protocol::remote_url::parse_remote_url;

/// Whether two URLs are the same once parsed (`https://a/t` and `https://A:443/t`).
fn same_url(a: &str, b: &str) -> bool {
    parse_remote_url(a).is_some_and(|a| Some(a) == parse_remote_url(b))
}

/// The catalog's token scope.
pub(super) const CATALOG_SCOPE: &str = "registry:catalog:*";

/// The token scope that pulling (and listing tags of) `repository` needs.
pub(super) fn pull_scope(repository: &str) -> String {
    format!("repository:{repository}:pull")
}

impl Cx<'_> {
    /// A 401 or 403 to `step`'s request, which needed `scope`: true when it is to be sent again
    /// with a token for the scope the registry named instead (once, see `follow_scope`); else
    /// the denial, `code` with `detail`, and the `insufficient_scope` the challenge names.
    pub fn denied(
        &mut self,
        step: StepId,
        scope: &str,
        response: &HttpResponse,
        code: F,
        detail: &str,
    ) -> bool {
        if self.follow_scope(step, scope, response) {
            return true;
        }
        self.finding(code, detail);
        self.insufficient_scope(scope, response);
        false
    }

    /// A 401 whose Bearer challenge names a scope other than the `asked` one: true when the
    /// request of `step` is to be retried once with a token for exactly that scope (docker does
    /// the same; ACR's tags endpoint wants `repository:<name>:metadata_read`, providers.md §6);
    /// false when this is the denial (no other scope, or already retried). A challenge naming
    /// another token service is followed only if it passes the checks the ping's passed
    /// (`Session::check_realm`), and the credentials go there by the same rule; one that
    /// fails them is named (`token-realm-insecure`) and not followed. A `service` the ping's
    /// challenge lacked (Artifact Registry's, providers.md §5.1) is added from this one.
    fn follow_scope(&mut self, step: StepId, asked: &str, response: &HttpResponse) -> bool {
        if response.status != 401 || self.session.auth != Some(AuthScheme::Bearer) {
            return false;
        }
        let Some(header) = response.header("www-authenticate") else {
            return false;
        };
        let challenges = parse_challenges(header);
        let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") else {
            return false;
        };
        let realm = match self.session.check_realm(bearer) {
            Ok(realm) => realm,
            Err(RealmRefused::Insecure(origin)) => {
                if !self.report.has(F::TokenRealmInsecure) {
                    self.finding(F::TokenRealmInsecure, &origin);
                }
                return false;
            }
            Err(RealmRefused::Invalid) => return false,
        };
        let session = &mut *self.session;
        let ours = session.realm.as_mut();
        let same = ours.as_ref().is_some_and(|r| same_url(&r.url, &realm.url));
        if let Some(ours) = ours.filter(|_| same) {
            if ours.service.is_none() {
                ours.service = realm.service.clone();
            }
        }
        let named = bearer.param("scope").map(str::trim).unwrap_or_default();
        let followed = session
            .named_scopes
            .iter()
            .any(|(s, a, _)| *s == step && a == asked);
        if named.is_empty() || named == asked || followed {
            return false;
        }
        if !same {
            session.other_realms.push((named.to_string(), realm));
        }
        session
            .named_scopes
            .push((step, asked.to_string(), named.to_string()));
        true
    }

    /// A 401 to a request that carried a token for `scope`: when the challenge says
    /// `insufficient_scope`, the finding says so (unless the token's own claims already did).
    fn insufficient_scope(&mut self, scope: &str, response: &HttpResponse) {
        if response.status != 401 || self.session.auth != Some(AuthScheme::Bearer) {
            return;
        }
        let Some(header) = response.header("www-authenticate") else {
            return;
        };
        let challenges = parse_challenges(header);
        let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") else {
            return;
        };
        if bearer.param("error") != Some("insufficient_scope")
            || self.session.ungranted.iter().any(|s| s == scope)
        {
            return;
        }
        let value = bearer.param("scope").unwrap_or(scope).to_string();
        self.finding_with(F::TokenInsufficientScope, &[("value", &value)]);
        self.session.ungranted.push(scope.to_string());
    }
}
