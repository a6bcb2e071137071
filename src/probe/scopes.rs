//! Scopes named by the registry after a token was used: a challenge asking for another scope
//! than the one asked (followed once), and `insufficient_scope` (named beside the denial).

use super::{AuthScheme, HttpResponse, Phase, Probe};
use crate::messages::finding::FindingCode as F;
use crate::protocol::challenge::parse_challenges;
use crate::protocol::remote_url::parse_remote_url;

impl Probe {
    /// A 401 whose Bearer challenge names a scope other than the `asked` one, from the same
    /// realm: the request is retried once with a token for exactly that scope (docker does the
    /// same; ACR's tags endpoint wants `repository:<name>:metadata_read`, providers.md §6). The
    /// phase to retry, or `None` when this is the denial (no other scope, another realm, or
    /// already retried).
    pub(super) fn follow_scope(
        &mut self,
        asked: &str,
        response: &HttpResponse,
        retry: Phase,
    ) -> Option<Phase> {
        if response.status != 401 || self.auth != Some(AuthScheme::Bearer) {
            return None;
        }
        let step = retry.step();
        if self
            .named_scopes
            .iter()
            .any(|(s, a, _)| *s == step && a == asked)
        {
            return None;
        }
        let header = response.header("www-authenticate")?;
        let challenges = parse_challenges(header);
        let bearer = challenges.iter().find(|c| c.scheme == "bearer")?;
        let named = bearer.param("scope")?.trim();
        // Only the realm already checked (its scheme and host passed the first challenge's checks).
        let realm = bearer.param("realm").and_then(parse_remote_url)?;
        let ours = self.realm.as_ref().and_then(|(r, _)| parse_remote_url(r))?;
        if named.is_empty() || named == asked || realm != ours {
            return None;
        }
        self.named_scopes
            .push((step, asked.to_string(), named.to_string()));
        Some(retry)
    }

    /// A 401 to a request that carried a token for `scope`: when the challenge says
    /// `insufficient_scope`, the finding says so (unless the token's own claims already did).
    pub(super) fn insufficient_scope(&mut self, scope: &str, response: &HttpResponse) {
        if response.status != 401 || self.auth != Some(AuthScheme::Bearer) {
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
            || self.ungranted.iter().any(|s| s == scope)
        {
            return;
        }
        let value = bearer.param("scope").unwrap_or(scope).to_string();
        self.finding_with(F::TokenInsufficientScope, &[("value", &value)]);
        self.ungranted.push(scope.to_string());
    }
}
