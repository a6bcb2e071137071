//! The probe's step summaries: one sentence per state of a step, each with a stable code
//! (`step-…`) that a console can replace like any other message. Named `{slots}` are filled in.

use super::texts;

texts! {
    /// Every step summary, with its code and English template.
    enum StepText;

    /// A step that did not run.
    NotRun = "step-not-run", "Not run.";
    /// The URL has errors: nothing was sent.
    UrlInvalid = "step-url-invalid", "The URL is not valid.";
    /// An https page and an http registry: nothing was sent.
    MixedContent = "step-mixed-content", "Blocked as mixed content before any request.";
    /// The ping is under way.
    PingRunning = "step-ping-running", "Contacting the registry.";
    /// `/v2/` answered 200.
    PingOk = "step-ping-ok", "The registry answers (API {version}).";
    /// `/v2/` answered with a Bearer challenge.
    PingToken = "step-ping-token", "The registry answers (API {version}) and uses token authentication.";
    /// `/v2/` answered with a Basic challenge.
    PingBasic = "step-ping-basic", "The registry answers (API {version}) and uses Basic authentication.";
    /// `/v2/` answered 401 with no readable challenge.
    PingAuthHidden = "step-ping-auth-hidden", "The registry answers and asks for authentication.";
    /// `/v2/` answered 404.
    PingNoV2 = "step-ping-no-v2", "There is no /v2/ endpoint at this URL.";
    /// Neither `/v2/` nor `/v1/_ping`.
    PingNotRegistry = "step-ping-not-registry", "No registry API answers at this URL.";
    /// Only `/v1/_ping` answered.
    PingV1Only = "step-ping-v1-only", "Only the v1 API answers.";
    /// The page may not read the registry's answers.
    PingCorsBlocked = "step-ping-cors-blocked", "The registry answers but blocks cross-origin requests from this page.";
    /// Nothing answered.
    PingUnreachable = "step-ping-unreachable", "Nothing answered.";
    /// The connection failed for a cause the environment tells (DNS, refused, TLS).
    ConnectionFailed = "step-connection-failed", "The connection failed.";
    /// No answer before the timeout.
    PingTimeout = "step-ping-timeout", "No answer in time.";
    /// Anonymous access works.
    AuthNotRequired = "step-auth-not-required", "No authentication is required.";
    /// The retry with credentials is under way.
    AuthRunning = "step-auth-running", "Checking the credentials.";
    /// The token was accepted.
    AuthTokenWorks = "step-auth-token-works", "The token works.";
    /// The credentials were accepted.
    AuthCredentialsWork = "step-auth-credentials-work", "The credentials work.";
    /// The credentials were rejected.
    AuthRejected = "step-auth-rejected", "The credentials were rejected.";
    /// The challenge is hidden by CORS.
    AuthHidden = "step-auth-hidden", "The authentication scheme is hidden from this page.";
    /// A Bearer challenge without a usable realm.
    AuthChallengeInvalid = "step-auth-challenge-invalid", "The token challenge is unusable.";
    /// A plain-http realm that is not contacted.
    AuthRealmInsecure = "step-auth-realm-insecure", "The token service is not safe to use.";
    /// Credentials needed, none given.
    AuthRequired = "step-auth-required", "Credentials are required.";
    /// A challenge scheme this check does not speak.
    AuthUnsupported = "step-auth-unsupported", "Unsupported authentication scheme.";
    /// The first token was refused.
    AuthFailed = "step-auth-failed", "Authentication failed.";
    /// The token service is blocked by CORS.
    AuthNoToken = "step-auth-no-token", "No token, so no authentication.";
    /// The request with credentials failed in a page.
    AuthBlocked = "step-auth-blocked", "The request with credentials could not be sent from this page.";
    /// A token request is under way.
    TokenRunning = "step-token-running", "Asking the token service for a token.";
    /// A token was issued.
    TokenOk = "step-token-ok", "Got a token from {realm}.";
    /// No token was issued.
    TokenRefused = "step-token-refused", "No token was issued.";
    /// The token service blocks the page.
    TokenCorsBlocked = "step-token-cors-blocked", "The token service blocks cross-origin requests.";
    /// The token service did not answer.
    TokenUnreachable = "step-token-unreachable", "The token service did not answer.";
    /// The provider has no catalog.
    CatalogSkipped = "step-catalog-skipped", "{provider} offers no catalog listing.";
    /// A catalog page is under way.
    CatalogRunning = "step-catalog-running", "Listing images.";
    /// The catalog was denied.
    CatalogDenied = "step-catalog-denied", "The account cannot list images.";
    /// The catalog answered 404.
    CatalogUnsupported = "step-catalog-unsupported", "The catalog API is not offered.";
    /// The catalog body was not readable.
    CatalogInvalid = "step-catalog-invalid", "The catalog answer could not be read.";
    /// Pages read so far.
    CatalogListed = "step-catalog-listed", "Listed {count} images in {pages} page(s).";
    /// An empty catalog.
    CatalogEmpty = "step-catalog-empty", "The catalog is empty.";
    /// No repository to check tags or pulling with.
    NoRepository = "step-no-repository", "No repository to check.";
    /// The repository name is invalid.
    TagsInvalid = "step-tags-invalid", "The repository name is not valid.";
    /// A tag list is under way.
    TagsRunning = "step-tags-running", "Listing the tags of {repository}.";
    /// Tags listed.
    TagsListed = "step-tags-listed", "{repository} has {count} tag(s).";
    /// Tags denied.
    TagsDenied = "step-tags-denied", "The tags of {repository} cannot be listed.";
    /// The repository does not exist.
    TagsNotFound = "step-tags-not-found", "{repository} was not found.";
    /// The pull check is under way.
    PullRunning = "step-pull-running", "Checking that {image} can be pulled.";
    /// The manifest can be pulled.
    PullOk = "step-pull-ok", "{image} can be pulled.";
    /// The tag is a multi-platform image (an index) that can be pulled.
    PullOkIndex = "step-pull-ok-index", "{image} can be pulled: it is a multi-platform image.";
    /// No credentials on a token registry: a token per request's scope, no login check.
    AuthAnonymousTokens = "step-auth-anonymous-tokens", "No credentials: each request asks the token service for its own scope, as docker does.";
    /// The repository field names another registry.
    RepositoryOtherRegistry = "step-repository-other-registry", "The repository is on another registry.";
    /// The manifest cannot be pulled.
    PullDenied = "step-pull-denied", "{image} cannot be pulled.";
    /// The manifest does not exist.
    PullManifestNotFound = "step-pull-manifest-not-found", "The manifest was not found.";
    /// A redirect of a request with credentials.
    Redirected = "step-redirected", "The registry redirected a request that carried credentials.";
    /// An error status.
    RegistryError = "step-registry-error", "The registry answered {detail}.";
    /// The probe's deadline passed during this step.
    Deadline = "step-deadline", "Stopped at the check's time limit.";
    /// The probe sent as many requests as it may during this step.
    RequestLimit = "step-request-limit", "Stopped: the check sent as many requests as it may.";
    /// A catalog, tags or manifest request with no answer.
    RequestFailed = "step-request-failed", "The request failed.";
}
