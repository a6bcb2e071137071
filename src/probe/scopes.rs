//! Token scopes: the ones the probe asks for (the catalog's, a repository's `pull`), a scope the
//! registry's challenge names instead (followed once), and `insufficient_scope` (named beside
//! the denial).

use super::context::Cx;
use super::report::{AuthScheme, StepId};
use super::request::HttpResponse;
use crate::messages::finding::FindingCode as F;
use crate::protocol::challenge::parse_challenges;
use crate::protocol::remote_url::parse_remote_url;

/// The catalog's token scope.
pub(super) const CATALOG_SCOPE: &str = "registry:catalog:*";

/// The token scope that pulling (and listing tags of) `repository` needs.
pub(super) fn pull_scope(repository: &str) -> String {
    format!("repository:{repository}:pull")
}

impl Cx<'_> {
    /// A 401 whose Bearer challenge names a scope other than the `asked` one, from the same
    /// realm: true when the request of `step` is to be retried once with a token for exactly
    /// that scope (docker does the same; ACR's tags endpoint wants
    /// `repository:<name>:metadata_read`, providers.md §6); false when this is the denial (no
    /// other scope, another realm, or already retried).
    pub fn follow_scope(&mut self, step: StepId, asked: &str, response: &HttpResponse) -> bool {
        if response.status != 401 || self.session.auth != Some(AuthScheme::Bearer) {
            return false;
        }
        let session = &mut *self.session;
        if session
            .named_scopes
            .iter()
            .any(|(s, a, _)| *s == step && a == asked)
        {
            return false;
        }
        let Some(header) = response.header("www-authenticate") else {
            return false;
        };
        let challenges = parse_challenges(header);
        let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") else {
            return false;
        };
        let Some(named) = bearer.param("scope").map(str::trim) else {
            return false;
        };
        // Only the realm already checked (its scheme and host passed the first challenge's checks).
        let realm = bearer.param("realm").and_then(parse_remote_url);
        let ours = session
            .realm
            .as_ref()
            .and_then(|r| parse_remote_url(&r.url));
        if named.is_empty() || named == asked || realm.is_none() || realm != ours {
            return false;
        }
        session
            .named_scopes
            .push((step, asked.to_string(), named.to_string()));
        true
    }

    /// A 401 to a request that carried a token for `scope`: when the challenge says
    /// `insufficient_scope`, the finding says so (unless the token's own claims already did).
    pub fn insufficient_scope(&mut self, scope: &str, response: &HttpResponse) {
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
