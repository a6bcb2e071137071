//! What the probe found: one plain sentence each, with a fix where there is one.
//!
//! Finding codes are stable kebab-case identifiers like the form's diagnostic codes. A message
//! may carry a `{detail}` (an origin, a status, a list of headers), never a secret.

use crate::messages::diagnostic::{codes, Severity};
use serde::Serialize;
use tsify::Tsify;

/// One thing the probe found out (an error to fix, a warning, or information).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Finding {
    /// Stable kebab-case identifier.
    pub code: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// One English sentence.
    pub message: String,
    /// What to do, when there is a clear remedy.
    pub fix: Option<String>,
}

impl Finding {
    /// A finding of `code` with `detail` in its message.
    pub(crate) fn new(code: FindingCode, detail: &str, fix: Option<String>) -> Self {
        Finding {
            code: code.code(),
            severity: code.severity(),
            message: code.template().replace("{detail}", detail),
            fix,
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The permission advice of the product documentation.
pub(crate) const PERMISSION_ADVICE: &str = "Give the account read permission for all repositories: it must list images and tags, and pull images.";

codes! {
    /// Every probe finding code, with its severity and English message template.
    enum FindingCode;
    /// The URL field has errors.
    UrlInvalid = "url-invalid", Error, "The registry URL is not valid: {detail}";
    /// https page, http registry.
    MixedContent = "mixed-content", Error, "This https page cannot call the http registry {detail} (the browser blocks mixed content), so nothing was sent.";
    /// Credentials not sent over plain http.
    InsecureCredentials = "insecure-credentials", Warning, "The username and password were not sent, because {detail} uses plain http and is not on this machine.";
    /// Nothing answered.
    Unreachable = "unreachable", Error, "Nothing answered at {detail}: the host is unknown or refused the connection.";
    /// Something answered but CORS blocks the page.
    CorsBlocked = "cors-blocked", Error, "{detail} is reachable but blocks cross-origin requests from this page.";
    /// Headers the page cannot read.
    CorsHeadersHidden = "cors-headers-hidden", Warning, "The registry does not expose {detail} to this page, so the browser hides them.";
    /// Preflight answered 401.
    PreflightRejected = "preflight-rejected", Error, "The registry rejects the browser's preflight (OPTIONS) request, so no request with credentials can be sent from a page.";
    /// No answer in time.
    Timeout = "timeout", Error, "{detail} did not answer in time.";
    /// Neither /v2/ nor /v1/_ping.
    NotARegistry = "not-a-registry", Error, "{detail} answers, but not as a Docker registry (no /v2/ or /v1/_ping endpoint).";
    /// Only the v1 API.
    V1Only = "v1-only", Error, "This server only speaks the Docker Registry v1 API; use its v1 URL.";
    /// A 5xx or unexpected status.
    ServerError = "server-error", Error, "The registry answered {detail}; check the registry's logs.";
    /// Basic auth needed, none given.
    AuthRequired = "auth-required", Error, "The registry requires a username and password.";
    /// Anonymous access works.
    AnonymousAccess = "anonymous-access", Info, "The registry allows anonymous access; the username and password were not needed.";
    /// Wrong credentials.
    CredentialsRejected = "credentials-rejected", Error, "The registry rejected the username or password.";
    /// 401 without a readable challenge.
    ChallengeHidden = "challenge-hidden", Error, "The registry asks for authentication but hides its WWW-Authenticate header from this page.";
    /// A challenge we cannot use.
    ChallengeUnsupported = "challenge-unsupported", Error, "The registry asks for an authentication scheme this check does not support ({detail}).";
    /// Bearer without a usable realm.
    ChallengeInvalid = "challenge-invalid", Error, "The registry's Bearer challenge has no usable realm URL.";
    /// The token endpoint blocks CORS.
    TokenCorsBlocked = "token-cors-blocked", Error, "The token service at {detail} is reachable but blocks cross-origin requests, so this page cannot get a token.";
    /// The token endpoint does not answer.
    TokenUnreachable = "token-unreachable", Error, "The token service at {detail} did not answer.";
    /// The token endpoint gave no token.
    TokenInvalid = "token-invalid", Error, "The token service at {detail} answered without a token.";
    /// The token endpoint refused.
    TokenDenied = "token-denied", Error, "The token service at {detail} refused to issue a token.";
    /// An http realm for an https registry.
    TokenRealmInsecure = "token-realm-insecure", Error, "The registry sends clients to a plain-http token service ({detail}), so no credentials were sent there.";
    /// No usable catalog on this provider.
    CatalogUnavailable = "catalog-unavailable", Info, "{detail} offers no catalog listing; enter a repository to check tags and pulling.";
    /// Catalog denied.
    CatalogDenied = "catalog-denied", Warning, "The account cannot list images (the registry denied the catalog).";
    /// Catalog 404.
    CatalogUnsupported = "catalog-unsupported", Warning, "The registry does not offer the catalog API, so images cannot be listed.";
    /// Catalog body malformed.
    CatalogInvalid = "catalog-invalid", Warning, "The registry's catalog answer is not valid JSON.";
    /// Empty catalog.
    CatalogEmpty = "catalog-empty", Warning, "The catalog is empty: the registry lists no images for this account.";
    /// Page cap reached.
    CatalogTruncated = "catalog-truncated", Info, "Only the first {detail} catalog pages were read.";
    /// Link leaves the registry's origin or loops.
    CatalogLinkIgnored = "catalog-link-ignored", Warning, "The catalog's next-page link {detail} and was not followed.";
    /// Quay without credentials.
    QuayAnonymous = "quay-anonymous", Warning, "Quay lists no images unless authenticated, even for public repositories; add a username and password.";
    /// Harbor's catalog is admin-only.
    HarborCatalogAdmin = "harbor-catalog-admin", Info, "Harbor lists images through the catalog only for system administrators; tags and pulls are checked per repository instead.";
    /// No repository to check tags and pull with.
    NoRepository = "no-repository", Info, "No repository was given or listed, so tags and pulling were not checked.";
    /// Repository name invalid.
    RepositoryInvalid = "repository-invalid", Error, "The repository name is not valid: use lowercase letters, digits, '.', '_', '-' and '/'.";
    /// Repository not found.
    RepositoryNotFound = "repository-not-found", Warning, "The repository {detail} does not exist on this registry (or the account cannot see it).";
    /// Tags denied.
    TagsDenied = "tags-denied", Error, "The account cannot list the tags of {detail}.";
    /// No tags.
    NoTags = "no-tags", Warning, "The repository {detail} has no tags, so pulling was not checked.";
    /// Pull denied.
    PullDenied = "pull-denied", Error, "The account cannot pull {detail}.";
    /// Manifest missing.
    ManifestNotFound = "manifest-not-found", Warning, "The manifest of {detail} was not found (it may exist only as a multi-platform index), so pulling is unconfirmed.";
    /// A redirect of a request with credentials.
    RedirectRefused = "redirect-refused", Error, "The registry answered a request that carried credentials with a redirect, which is not followed so the credentials cannot travel elsewhere.";
    /// A later request blocked by CORS.
    CorsBlockedPath = "cors-blocked-path", Warning, "The registry blocked the {detail} request from this page (no CORS headers on that answer).";
}
