//! The protocol state a probe builds up while talking to the registry: the endpoint (always
//! there), the credentials, the authentication scheme, the token realm and the tokens by scope,
//! the scopes the registry named, and the CORS replay's knowledge of what was preflighted.

use super::cors::CorsReplay;
use super::report::{AuthScheme, StepId};
use crate::protocol::challenge::Challenge;
use crate::protocol::remote_url::{origin, parse_remote_url};
use crate::url_field::provider::Provider;
use crate::url_field::{Endpoint, Scheme};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};

/// The account's credentials as the probe holds them.
pub(super) enum Credentials {
    /// Anonymous.
    None,
    /// Sent to the registry and its token realm as their challenges ask.
    Given(String, String),
    /// Held back from an assumed plain-http URL to a host that is not loopback: sent only if the
    /// registry turns out to speak https.
    Withheld(String, String),
}

/// The token service a Bearer challenge named.
pub(super) struct Realm {
    /// Its URL (checked: https, or loopback).
    pub url: String,
    /// The challenge's `service`, when it has one.
    pub service: Option<String>,
}

/// Why a Bearer challenge's realm is not used.
pub(super) enum RealmRefused {
    /// No realm, or not an http(s) URL.
    Invalid,
    /// Plain http to a host that is not loopback, where credentials would go or the registry
    /// speaks https (its origin).
    Insecure(String),
}

/// The `Authorization` a request needs.
pub(super) enum Authorization {
    /// These headers (none for anonymous access).
    Headers(Vec<(&'static str, String)>),
    /// A token for the scope must be fetched first.
    NeedsToken,
}

/// The session with the registry.
pub(super) struct Session {
    /// What the probe talks to (the other scheme's once it answered there).
    pub endpoint: Endpoint,
    /// The account.
    pub credentials: Credentials,
    /// The scheme the ping's answer asked for.
    pub auth: Option<AuthScheme>,
    /// The token service, for Bearer.
    pub realm: Option<Realm>,
    /// Another token service a resource challenge named for a scope (checked as the first).
    pub other_realms: Vec<(String, Realm)>,
    /// Tokens by scope (`""` is the login check's); `None` where none could be had.
    pub tokens: Vec<(String, Option<String>)>,
    /// For a step's requests, the scope the probe asked for and the other one the registry's
    /// challenge named (ACR's tags want `metadata_read`): that step then uses the named one.
    pub named_scopes: Vec<(StepId, String, String)>,
    /// Scopes a token was issued for without all the access asked (already reported).
    pub ungranted: Vec<String>,
    /// The browser's CORS checks, replayed for a page's origin (Node and the server only).
    pub cors: Option<CorsReplay>,
}

/// `Basic` credentials (RFC 7617).
pub(super) fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

/// `scheme://host[:port]` of `url` (the URL itself when it does not parse).
pub(super) fn origin_of(url: &str) -> String {
    parse_remote_url(url).map_or_else(|| url.to_string(), |u| origin(&u))
}

impl Session {
    pub fn provider(&self) -> Provider {
        self.endpoint.provider
    }

    /// The registry's base URL (scheme, host, port and path prefix).
    pub fn base(&self) -> String {
        self.endpoint.base_url().to_string()
    }

    /// The registry's origin.
    pub fn origin(&self) -> String {
        origin_of(self.endpoint.base_url())
    }

    /// The credentials the probe sends.
    pub fn given(&self) -> Option<(&str, &str)> {
        match &self.credentials {
            Credentials::Given(user, password) => Some((user, password)),
            _ => None,
        }
    }

    /// The account's name as findings give it (`None`: anonymous).
    pub fn username(&self) -> Option<&str> {
        self.given().map(|(user, _)| user)
    }

    /// Forgets the credentials (the registry needs none), saying whether there were any.
    pub fn drop_credentials(&mut self) -> bool {
        let had = self.given().is_some();
        if had {
            self.credentials = Credentials::None;
        }
        had
    }

    /// The Basic header of the credentials sent, if any.
    pub fn basic_header(&self) -> Vec<(&'static str, String)> {
        self.given()
            .map(|(u, p)| vec![("Authorization", basic(u, p))])
            .unwrap_or_default()
    }

    /// The token service for `scope`: the one a resource challenge named for it, else the
    /// ping's.
    pub fn realm_for(&self, scope: &str) -> Option<&Realm> {
        self.other_realms
            .iter()
            .find(|(s, _)| s == scope)
            .map(|(_, realm)| realm)
            .or(self.realm.as_ref())
    }

    /// The origin of the token service for `scope` (for messages).
    pub fn realm_origin(&self, scope: &str) -> String {
        self.realm_for(scope)
            .map(|r| origin_of(&r.url))
            .unwrap_or_default()
    }

    /// The token service a Bearer challenge names, if the probe may use it: an http(s) URL, and
    /// never plain http to a host that is not loopback where credentials would go there or the
    /// registry speaks https (that realm would see the password, or hand out a token for an
    /// https registry in the clear).
    pub fn check_realm(&self, bearer: &Challenge) -> Result<Realm, RealmRefused> {
        let realm = bearer
            .param("realm")
            .and_then(parse_remote_url)
            .ok_or(RealmRefused::Invalid)?;
        let loopback = crate::url_field::host::is_loopback(realm.host_str().unwrap_or_default());
        let registry_https = self.endpoint.scheme == Scheme::Https;
        if realm.scheme() != "https" && !loopback && (self.given().is_some() || registry_https) {
            return Err(RealmRefused::Insecure(origin(&realm)));
        }
        Ok(Realm {
            url: realm.into(),
            service: bearer.param("service").map(str::to_string),
        })
    }

    /// The scope to ask for `asked` in `step`: the one the registry named instead, if it did.
    pub fn scope_for(&self, step: StepId, asked: &str) -> String {
        self.named_scopes
            .iter()
            .find(|(s, a, _)| *s == step && a == asked)
            .map_or(asked, |(_, _, named)| named.as_str())
            .to_string()
    }

    /// The Authorization header for `scope`.
    pub fn authorization(&self, scope: &str) -> Authorization {
        match self.auth {
            Some(AuthScheme::Basic) => Authorization::Headers(self.basic_header()),
            Some(AuthScheme::Bearer) => match self.tokens.iter().find(|(s, _)| s == scope) {
                Some((_, Some(token))) => {
                    Authorization::Headers(vec![("Authorization", format!("Bearer {token}"))])
                }
                Some((_, None)) => Authorization::Headers(Vec::new()),
                None => Authorization::NeedsToken,
            },
            _ => Authorization::Headers(Vec::new()),
        }
    }

    /// Whether the pull check keeps each `Accept` CORS-safelisted (≤ 128 bytes), asking for
    /// image manifests and then, on 404, for indexes: in a page (`cors`), and when replaying a
    /// page's CORS. Elsewhere one `HEAD` asks for all four types.
    pub fn accept_in_two(&self, cors: bool) -> bool {
        cors || self.cors.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::basic;

    #[test]
    fn basic_is_rfc7617() {
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
