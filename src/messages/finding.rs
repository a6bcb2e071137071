//! What the probe found: one plain sentence each, with a fix where there is one.
//!
//! Finding codes are stable kebab-case identifiers like the form's diagnostic codes. A message
//! may carry a `{detail}` (an origin, a status, a list of headers), never a secret.

use super::{codes, fill, template, Messages};
use crate::messages::diagnostic::{Code, Diagnostic, Severity};
use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One thing the probe found out (an error to fix, a warning, or information).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct Finding {
    /// Stable kebab-case identifier (a string in JSON).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub code: ReportedCode,
    /// Error, warning or info.
    pub severity: Severity,
    /// One English sentence.
    pub message: String,
    /// What to do, when there is a clear remedy.
    pub fix: Option<String>,
    /// A configuration that applies the fix, for the server the probe recognised (CORS).
    pub snippet: Option<Snippet>,
}

/// A finding's code: one of the probe's, or a form field's that the probe reports as well (a
/// credential's shape, checked again with the provider the URL names). Serialized as the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ReportedCode {
    /// The probe's own.
    Probe(FindingCode),
    /// A form field's.
    Field(Code),
}

impl ReportedCode {
    /// The stable kebab-case identifier.
    pub fn code(self) -> &'static str {
        match self {
            ReportedCode::Probe(code) => code.code(),
            ReportedCode::Field(code) => code.code(),
        }
    }
}

impl PartialEq<FindingCode> for ReportedCode {
    fn eq(&self, other: &FindingCode) -> bool {
        *self == ReportedCode::Probe(*other)
    }
}

impl PartialEq<&str> for ReportedCode {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// A ready configuration block for a finding's fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Snippet {
    /// What it configures: `distribution` (the registry's `config.yml`) or `nginx`.
    pub server: String,
    /// The block, to paste as it is (nginx: fill in `proxy_pass`).
    pub text: String,
}

impl Finding {
    /// A finding of `code` with its `{slots}` (`detail`, `account`) filled in its message and
    /// fix, in the console's words where `messages` has them (keys `<code>`, `<code>.fix`).
    pub(crate) fn new(code: FindingCode, slots: &[(&str, &str)], messages: &Messages) -> Self {
        let fix = code
            .fix_template()
            .map(|english| fix_text(code.code(), english, slots, messages));
        Finding {
            code: ReportedCode::Probe(code),
            severity: code.severity(),
            message: code.render(messages, slots),
            fix,
            snippet: None,
        }
    }

    /// A form diagnostic reported by the probe (credential shapes): the same code, its
    /// message in the console's words where `messages` has them, its fix label as the fix.
    pub(crate) fn from_diagnostic(diagnostic: &Diagnostic, messages: &Messages) -> Self {
        let slots = [("detail", diagnostic.detail.as_str())];
        let fix = diagnostic.fix.as_ref().map(|fix| {
            let english = format!("{}.", fix.label);
            fix_text(diagnostic.code.code(), &english, &slots, messages)
        });
        Finding {
            code: ReportedCode::Field(diagnostic.code),
            severity: diagnostic.severity,
            message: fill(
                template(messages, diagnostic.code.code(), &diagnostic.message),
                &slots,
            ),
            fix,
            snippet: None,
        }
    }
}

/// A finding's fix in the console's words where `messages` has `<code>.fix`, slots filled.
fn fix_text(code: &str, english: &str, slots: &[(&str, &str)], messages: &Messages) -> String {
    fill(template(messages, &format!("{code}.fix"), english), slots)
}

/// How findings name the account when the probe has no username (`{account}`); a console
/// replaces it by this code like any message.
pub const ANONYMOUS_USERS: (&str, &str) = ("anonymous-users", "Anonymous users");

/// The `{account}` of findings: the username, or [`ANONYMOUS_USERS`] in the console's words.
pub(crate) fn account<'a>(username: Option<&'a str>, messages: &'a Messages) -> &'a str {
    username.unwrap_or_else(|| template(messages, ANONYMOUS_USERS.0, ANONYMOUS_USERS.1))
}

codes! {
    /// Every probe finding code, with its severity and English message template.
    enum FindingCode;
    /// The check ran on the console's server because the browser blocked it in the page.
    RanOnServer = "ran-on-server", Info, "This check ran on the console's server, because the browser blocked it in this page ({detail}).";
    /// The URL field has errors.
    UrlInvalid = "url-invalid", Error, "The registry URL is not valid: {detail}";
    /// https page, http registry.
    MixedContent = "mixed-content", Error, "This https page cannot call the http registry {detail} (the browser blocks mixed content), so nothing was sent.", fix "Use https for the registry, or run the check on the console's server (the relay); {detail} is only reachable from a page served over http.";
    /// Credentials not sent over plain http.
    InsecureCredentials = "insecure-credentials", Warning, "The username and password were not sent, because {detail} uses plain http and is not on this machine.", fix "Serve the registry over https.";
    /// Nothing answered.
    Unreachable = "unreachable", Error, "Nothing answered at {detail}: the host is unknown or refused the connection.", fix "Check the host name and port, and that this computer can reach the registry (network, VPN, proxy).";
    /// Something answered but CORS blocks the page.
    CorsBlocked = "cors-blocked", Error, "{detail} is reachable but blocks cross-origin requests from this page.", fix "Add Access-Control-Allow-Origin (this page's origin or *), Access-Control-Allow-Methods: GET, HEAD, OPTIONS, Access-Control-Allow-Headers: Authorization, Accept and Access-Control-Expose-Headers: Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest to the registry's responses, or run the check on the console's server (the relay).";
    /// Headers the page cannot read.
    CorsHeadersHidden = "cors-headers-hidden", Warning, "The registry does not expose {detail} to this page, so the browser hides them.", fix "Add Access-Control-Expose-Headers: Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest to the registry's responses.";
    /// Preflight answered 401.
    PreflightRejected = "preflight-rejected", Error, "The registry rejects the browser's preflight (OPTIONS) request, so no request with credentials can be sent from a page.", fix "Put a proxy in front of the registry that answers OPTIONS itself (204 with the CORS headers), such as nginx, or run the check on the console's server (the relay).";
    /// A server-side probe refused the address by its policy; nothing was sent.
    AddressNotAllowed = "address-not-allowed", Error, "The console's server does not connect to {detail}: it is not a public address, so nothing was sent.", fix "If this registry is on your network, ask the console's administrators to allow its host (allowHosts).";
    /// The egress proxy did not answer (Node, CLI, server); `{proxy}` is its origin.
    ProxyUnreachable = "proxy-unreachable", Error, "The proxy {proxy} did not answer, so {detail} could not be reached through it.", fix "Check the proxy setting (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, or the proxy option) and that the proxy is running.";
    /// The egress proxy answered 407.
    ProxyAuthRequired = "proxy-auth-required", Error, "The proxy {proxy} asks for credentials (407) that were not given or that it refused.", fix "Give the proxy's username and password in its URL (http://USER:PASSWORD@proxy.example:3128), as docker and npm take them.";
    /// The egress proxy wants a sign-in the probe cannot give.
    ProxyAuthUnsupported = "proxy-auth-unsupported", Error, "The proxy {proxy} asks for a sign-in this check does not support (only Basic credentials in the proxy URL are).", fix "Let the console's server through the proxy without that sign-in, or use a proxy that accepts Basic credentials.";
    /// The egress proxy refused to open a tunnel to the registry.
    ProxyRefused = "proxy-refused", Error, "The proxy {proxy} would not open a connection to {detail}.", fix "Ask the proxy's administrators to allow this host and port (CONNECT), or exempt the registry with NO_PROXY if it is reachable directly.";
    /// Behind a proxy, the console's server could not resolve the registry's name.
    ProxyNameUnresolved = "proxy-name-unresolved", Error, "The host name of {detail} does not resolve on the console's server, so its address could not be checked before asking the proxy.", fix "Check the host name; if on your network only the proxy resolves names, the console's administrators can let it (proxyResolves, serve --proxy-resolves).";
    /// The host name does not resolve (Node, CLI, server).
    DnsNotFound = "dns-not-found", Error, "The host name of {detail} does not resolve.", fix "Check the host name for a typo, and that this machine's DNS (or VPN) knows it.";
    /// Nothing listens on the port (Node, CLI, server).
    ConnectionRefused = "connection-refused", Error, "{detail} refused the connection: the host is up but nothing listens on that port.", fix "Check the port, and that the registry is running.";
    /// The connection was closed before an answer (Node, CLI, server).
    ConnectionReset = "connection-reset", Error, "{detail} closed the connection before answering.", fix "Check that this is the registry's port (a TLS port needs https://) and that no proxy or firewall cuts the connection.";
    /// A self-signed or unknown-CA certificate (Node, CLI, server).
    TlsUntrusted = "tls-untrusted", Error, "The certificate of {detail} is self-signed or from an unknown certificate authority.", fix "Trust the registry's CA for this check (the ca option, --ca for the CLI, or NODE_EXTRA_CA_CERTS); never turn certificate verification off.";
    /// An expired certificate (Node, CLI, server).
    TlsExpired = "tls-expired", Error, "The certificate of {detail} is not valid now (valid {validity}).", fix "Renew the registry's certificate.";
    /// A certificate for other names (Node, CLI, server).
    TlsNameMismatch = "tls-name-mismatch", Error, "The certificate of {detail} is for other names ({names}).", fix "Use a host name the certificate names, or issue a certificate for this one.";
    /// `https://` to a port that speaks plain http (Node, CLI, server).
    TlsNotTls = "tls-not-tls", Error, "{detail} speaks plain http, not https.", fix "Use {url}, or enable TLS on the registry.";
    /// `http://` to a port that speaks TLS (the server said so).
    HttpToTlsPort = "http-to-tls-port", Error, "{detail} speaks https: a plain-http request was sent to its TLS port.", fix "Use {url}.";
    /// Plain http to a host that is neither local nor private.
    TlsNotTlsPublic = "tls-not-tls-public", Warning, "{detail} is neither on this machine nor on a private network: plain http would expose the credentials, so enable TLS rather than switching to http.";
    /// Docker Hub's v1 URL was checked through Docker Hub's v2 API, as docker does.
    DockerhubV1AsV2 = "dockerhub-v1-as-v2", Info, "{detail} is Docker Hub's v1 address, whose registry API Docker retired: this check used Docker Hub's v2 API at {url}, as docker does.", fix "Save {url} as the registry URL.";
    /// The repository field names an image of another registry; nothing was sent.
    RepositoryOtherRegistry = "repository-other-registry", Error, "The repository names an image on {detail}, not on this registry, so nothing was checked.", fix "Enter {url} as the registry URL, or a repository of this registry.";
    /// The password is a one-off token that expires within 7 days.
    CredentialExpires = "credential-expires", Warning, "The password is {detail} that expires {value}: the connector will stop working then.", fix "Use {url} instead.";
    /// The password is a one-off token that has expired.
    CredentialExpired = "credential-expired", Error, "The password is {detail} that expired {value}.", fix "Use {url} instead.";
    /// The driver's deadline for the whole probe passed (`deadlineMs`; the server's `maxProbeMs`).
    ProbeDeadline = "probe-deadline", Warning, "The check stopped at its time limit ({detail}) during the {step} step: what it confirmed is shown, the rest is unknown.", fix "Check that the registry and its token service answer quickly; the console's administrators can give the check more time (maxProbeMs).";
    /// The probe sent as many requests as one check may ([`crate::probe::MAX_REQUESTS`]).
    ProbeRequestLimit = "probe-request-limit", Warning, "The check stopped after {detail} requests, the most one check sends: what it confirmed is shown, the rest is unknown.", fix "Ask for fewer catalog pages (maxCatalogPages), or check why the registry keeps asking for more requests.";
    /// No answer in time.
    Timeout = "timeout", Error, "{detail} did not answer in time.", fix "Check that the host and port are right and the server is running; a firewall may be dropping the connection.";
    /// Neither /v2/ nor /v1/_ping.
    NotARegistry = "not-a-registry", Error, "{detail} answers, but not as a Docker registry (no /v2/ or /v1/_ping endpoint).", fix "Check the URL: it should point at the registry's API, not its web page.";
    /// Only the v1 API.
    V1Only = "v1-only", Error, "This server only speaks the Docker Registry v1 API; use its v1 URL {detail}.", fix "Use {detail} as the registry URL.";
    /// A 5xx or unexpected status.
    ServerError = "server-error", Error, "The registry answered {detail}; check the registry's logs.";
    /// Basic auth needed, none given.
    AuthRequired = "auth-required", Error, "{detail} requires a username and password: anonymous users get no access.", fix "Enter the username and password of an account that can read the repositories.";
    /// Anonymous access works.
    AnonymousAccess = "anonymous-access", Info, "The registry allows anonymous access; the username and password were not needed.";
    /// Wrong credentials.
    CredentialsRejected = "credentials-rejected", Error, "The registry rejected the username or password.", fix "Check the username and password (or token) and that the account is enabled.";
    /// 401 without a readable challenge.
    ChallengeHidden = "challenge-hidden", Error, "The registry asks for authentication but hides its WWW-Authenticate header from this page.", fix "Add Access-Control-Expose-Headers: Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest to the registry's responses.";
    /// A challenge we cannot use.
    ChallengeUnsupported = "challenge-unsupported", Error, "The registry asks for an authentication scheme this check does not support ({detail}).";
    /// Bearer without a usable realm.
    ChallengeInvalid = "challenge-invalid", Error, "The registry's Bearer challenge has no usable realm URL.";
    /// The token endpoint blocks CORS.
    TokenCorsBlocked = "token-cors-blocked", Error, "The token service at {detail} is reachable but blocks cross-origin requests, so this page cannot get a token.", fix "Add CORS headers to the token service at {detail} (Access-Control-Allow-Origin, and Access-Control-Allow-Headers: Authorization), answering OPTIONS, or run the check on the console's server (the relay).";
    /// The token endpoint does not answer.
    TokenUnreachable = "token-unreachable", Error, "The token service at {detail} did not answer.";
    /// The token endpoint gave no token.
    TokenInvalid = "token-invalid", Error, "The token service at {detail} answered without a token.";
    /// The token endpoint refused.
    TokenDenied = "token-denied", Error, "The token service at {detail} refused to issue a token.", fix "Enter a username and password: the token service does not serve anonymous users.";
    /// An http realm for an https registry.
    TokenRealmInsecure = "token-realm-insecure", Error, "The registry sends clients to a plain-http token service ({detail}), so no credentials were sent there.", fix "Configure the registry's token realm with https.";
    /// No usable catalog on this provider.
    CatalogUnavailable = "catalog-unavailable", Info, "{detail} offers no catalog listing; enter a repository to check tags and pulling.";
    /// Catalog denied.
    CatalogDenied = "catalog-denied", Warning, "{account} cannot list images (the registry denied the catalog).", fix "Give the account read permission for all repositories: it must list images and tags, and pull images.";
    /// Catalog 404.
    CatalogUnsupported = "catalog-unsupported", Warning, "The registry does not offer the catalog API, so images cannot be listed.";
    /// Catalog body malformed.
    CatalogInvalid = "catalog-invalid", Warning, "The registry's catalog answer is not valid JSON.";
    /// Empty catalog.
    CatalogEmpty = "catalog-empty", Warning, "The catalog is empty: the registry lists no images for this account.", fix "Give the account read permission for all repositories: it must list images and tags, and pull images.";
    /// Page cap reached.
    CatalogTruncated = "catalog-truncated", Info, "Only the first {detail} catalog pages were read.";
    /// Link leaves the registry's origin or loops.
    CatalogLinkIgnored = "catalog-link-ignored", Warning, "The catalog's next-page link {detail} and was not followed.";
    /// Quay without credentials.
    QuayAnonymous = "quay-anonymous", Warning, "Quay lists no images unless authenticated, even for public repositories; add a username and password.";
    /// Harbor granted nothing to an account after a password was given: maybe a wrong password.
    HarborPasswordOrAccess = "harbor-password-or-access", Warning, "Harbor issues a token even for a wrong password, so {account} may have a wrong password as well as lack access.", fix "Check the password first (a robot account's name is robot$<project>+<name>), then the account's membership of the project.";
    /// Harbor lists the catalog for system administrators only.
    HarborCatalogAdmin = "harbor-catalog-admin", Info, "Harbor lists images through the catalog only for system administrators; tags and pulls are checked per repository instead.";
    /// No repository to check tags and pull with.
    NoRepository = "no-repository", Info, "No repository was given or listed, so tags and pulling were not checked.", fix "Enter a repository (for example library/alpine) to check tags and pulling.";
    /// Repository name invalid.
    RepositoryInvalid = "repository-invalid", Error, "The repository name is not valid: use lowercase letters, digits, '.', '_', '-' and '/'.";
    /// Repository not found.
    RepositoryNotFound = "repository-not-found", Warning, "The repository {detail} does not exist on this registry (or the account cannot see it).", fix "Check the repository name.";
    /// Tags denied.
    TagsDenied = "tags-denied", Error, "{account} cannot list the tags of {detail}.", fix "Give the account read permission for all repositories: it must list images and tags, and pull images.";
    /// No tags.
    NoTags = "no-tags", Warning, "The repository {detail} has no tags, so pulling was not checked.";
    /// Pull denied.
    PullDenied = "pull-denied", Error, "{account} cannot pull {detail}.", fix "Give the account read permission for all repositories: it must list images and tags, and pull images.";
    /// Manifest missing.
    ManifestNotFound = "manifest-not-found", Warning, "The manifest of {detail} was not found (it may exist only as a multi-platform index), so pulling is unconfirmed.";
    /// A redirect of a request with credentials.
    RedirectRefused = "redirect-refused", Error, "The registry answered a request that carried credentials with a redirect, which is not followed so the credentials cannot travel elsewhere.";
    /// A later request blocked by CORS.
    CorsBlockedPath = "cors-blocked-path", Warning, "The registry blocked the {detail} request from this page (no CORS headers on that answer).", fix "Make the registry (or its proxy) add the CORS headers to every response, errors included, and expose Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest.";
    /// The token service hands out tokens that live under a minute.
    TokenShortLived = "token-short-lived", Warning, "The token service at {detail} issues tokens that expire after {value} seconds, under a minute, so a long listing can outlive them.", fix "Configure the token service to issue tokens for at least 60 seconds (expires_in).";
    /// A JWT token grants less than the scope asked for.
    TokenScopePartial = "token-scope-partial", Info, "The token service at {detail} granted {account} less than asked: {value} was not granted.", fix "Grant {account} {value} in the token service's access rules: the account must list images and tags, and pull images.";
    /// A 401 after the token with `error="insufficient_scope"`.
    TokenInsufficientScope = "token-insufficient-scope", Info, "The registry refused the token for {value} (insufficient_scope): {account} lacks that access.", fix "Grant {account} {value} in the token service's access rules: the account must list images and tags, and pull images.";
    /// Under 10 % of the pull rate limit is left.
    RateLimitLow = "rate-limit-low", Warning, "{detail} allows {value} more pulls in this window (under 10 %); pulls fail with 429 once none are left.", fix "Authenticate with an account that has a higher pull limit, or wait for the window to reset.";
    /// The pull check got 429.
    RateLimited = "rate-limited", Error, "{detail} refused the pull check with 429 Too Many Requests: the pull rate limit is used up.", fix "Wait until the limit resets (Retry-After: {value}), or authenticate with an account that has a higher pull limit.";
    /// No scheme typed, https failed, a registry answers over http.
    UseHttp = "use-http", Warning, "{detail} does not answer over https, but a registry answers over plain http.", fix "Use {url}.";
    /// No scheme typed, http failed, a registry answers over https.
    UseHttps = "use-https", Warning, "{detail} does not answer over plain http, but a registry answers over https.", fix "Use {url}.";
    /// No Allow-Origin on an answer (replayed for a page's origin).
    CorsOriginMissing = "cors-origin-missing", Warning, "{detail} sends no Access-Control-Allow-Origin header, so a page on {origin} cannot read its answers.", fix "Add Access-Control-Allow-Origin: {origin} to every answer of {detail}, as in the snippet.";
    /// Allow-Origin names another origin.
    CorsOriginMismatch = "cors-origin-mismatch", Warning, "{detail} allows pages on {value}, not on {origin}.", fix "Allow {origin} in Access-Control-Allow-Origin, as in the snippet.";
    /// Allow-Origin sent twice (a proxy and the registry).
    CorsOriginDuplicated = "cors-origin-duplicated", Warning, "{detail} sends Access-Control-Allow-Origin more than once ({value}), which browsers reject; a proxy and the registry usually both add it.", fix "Send it once: let the proxy hide the registry's own CORS headers (proxy_hide_header), as in the snippet.";
    /// The preflight got 401/403.
    CorsPreflightUnauthorized = "cors-preflight-unauthorized", Warning, "{detail} answers the browser's preflight (OPTIONS) with {value}, so no request with credentials can be sent from a page.", fix "Answer OPTIONS before authentication, in a proxy in front of the registry, as in the snippet.";
    /// The preflight got 404/405 or another failure status.
    CorsPreflightUnsupported = "cors-preflight-unsupported", Warning, "{detail} answers the browser's preflight (OPTIONS) with {value}, so no request with credentials can be sent from a page.", fix "Answer OPTIONS with 204 and the CORS headers, as in the snippet.";
    /// Allow-Headers does not name Authorization.
    CorsHeadersNotAllowed = "cors-headers-not-allowed", Warning, "The preflight answer of {detail} does not name the {value} request header in Access-Control-Allow-Headers, so browsers may refuse to send it (by the Fetch standard, * does not cover Authorization).", fix "List {value} in Access-Control-Allow-Headers, as in the snippet.";
    /// Headers a page needs are not exposed.
    CorsExposeMissing = "cors-expose-missing", Warning, "{detail} does not expose {value} to pages, so the browser hides them.", fix "List {value} in Access-Control-Expose-Headers, as in the snippet.";
    /// A hosted registry that cannot send CORS.
    CorsProviderUnsupported = "cors-provider-unsupported", Warning, "{detail} sends no usable CORS headers and cannot be configured to, so a page cannot check it.", fix "Run the check on the console's server (the relay).";
}
