//! The probe's result: the verdict, the six steps, permissions, catalog and tags, and the
//! verdict rule ([`verdict`]).

use super::trace::TraceEntry;
use crate::messages::finding::{Finding, FindingCode as F};
use crate::messages::verdict::VerdictText;
use crate::protocol::rate_limit::RateLimit;
use crate::url_field::{ApiVersion, Endpoint};
use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Where a probe ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum RanFrom {
    /// In a page or worker (CORS applies).
    Browser,
    /// In Node (the CLI, a script, a server's own use).
    Node,
    /// On the console's server, for a page whose own check the browser blocked.
    Relay,
}

/// The six steps of a probe, in the order they run and are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum StepId {
    /// `GET /v2/`: is a registry answering, which API version, which authentication.
    Ping,
    /// The retry with credentials (or a token).
    Auth,
    /// The token service (bearer authentication).
    Token,
    /// `GET /v2/_catalog`, page by page.
    Catalog,
    /// `GET /v2/<name>/tags/list`.
    Tags,
    /// `HEAD /v2/<name>/manifests/<tag>`.
    Pull,
}

impl StepId {
    /// Every step, in order.
    pub const ALL: [StepId; 6] = [
        StepId::Ping,
        StepId::Auth,
        StepId::Token,
        StepId::Catalog,
        StepId::Tags,
        StepId::Pull,
    ];

    /// The step's name as the report writes it (`ping`, `auth`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            StepId::Ping => "ping",
            StepId::Auth => "auth",
            StepId::Token => "token",
            StepId::Catalog => "catalog",
            StepId::Tags => "tags",
            StepId::Pull => "pull",
        }
    }
}

/// Overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Everything the connector needs works: tags, pull, and the catalog where offered.
    Ok,
    /// Nothing needed is denied, but something optional failed or is unconfirmed.
    Partial,
    /// Not usable: unreachable, authentication failed, or tags or pull denied.
    Failed,
}

/// A permission's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Confirmed.
    Yes,
    /// Denied.
    No,
    /// Not established.
    Unknown,
}

/// The registry's authentication scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// No authentication needed.
    None,
    /// HTTP Basic.
    Basic,
    /// Bearer tokens from a token service.
    Bearer,
}

/// What the account can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    /// The registry answers.
    pub reach: Status,
    /// The catalog lists images.
    pub list_images: Status,
    /// A repository's tags can be listed.
    pub list_tags: Status,
    /// A manifest can be pulled.
    pub pull: Status,
}

/// The catalog as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct CatalogReport {
    /// Repository names, in the registry's order.
    pub repositories: Vec<String>,
    /// True when the last page was reached.
    pub complete: bool,
    /// Pages read.
    pub pages: u32,
}

/// Tags of the checked repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct TagsReport {
    /// Repository.
    pub repository: String,
    /// Its tags.
    pub tags: Vec<String>,
}

/// A step's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// Under way.
    Running,
    /// Worked.
    Ok,
    /// Worked in part.
    Warn,
    /// Failed.
    Fail,
    /// Not run.
    Skipped,
}

/// One step of the probe: ping, auth, token, catalog, tags or pull.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ProbeStep {
    /// Which step.
    pub id: StepId,
    /// State.
    pub status: StepStatus,
    /// One sentence.
    pub summary: String,
    /// The last HTTP status seen in this step.
    pub http_status: Option<u16>,
    /// Time spent in this step's requests.
    pub duration_ms: Option<f64>,
}

/// The probe's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    /// `ok`: the registry is reached, authentication works, the tags of the named (or first
    /// listed) repository are listed and one of its manifests can be pulled, and the catalog is
    /// listed where the provider offers one. `failed`: the registry is not reached,
    /// authentication fails, or the account cannot list that repository's tags or pull it
    /// (an anonymous probe that gets nothing says `auth-required`). `partial`: nothing needed
    /// is denied, but something optional failed or could not be confirmed (the catalog denied
    /// or unavailable, no repository to check, no tags, a manifest not found).
    pub verdict: Verdict,
    /// The verdict as one sentence for the person at the form (`verdict-…` codes).
    pub summary: String,
    /// Where the probe ran.
    pub ran_from: RanFrom,
    /// The normalized endpoint.
    pub endpoint: Option<Endpoint>,
    /// API version confirmed by the registry.
    pub api_version: Option<ApiVersion>,
    /// Authentication scheme found.
    pub auth: Option<AuthScheme>,
    /// Permissions.
    pub permissions: Permissions,
    /// Catalog, when read.
    pub catalog: Option<CatalogReport>,
    /// Tags, when read.
    pub tags: Option<TagsReport>,
    /// The six steps, in order.
    pub steps: Vec<ProbeStep>,
    /// What works and what to fix.
    pub findings: Vec<Finding>,
    /// HTTP requests sent (preflights excluded).
    pub requests: u32,
    /// The pull rate limit the registry announced on the manifest answer (Docker Hub).
    pub rate_limit: Option<RateLimit>,
    /// Every request sent and what came back, to share with whoever runs the registry (no
    /// secret: `Authorization` only as its scheme, URLs without user info).
    pub trace: Vec<TraceEntry>,
    /// The same requests as `curl` commands, with `$REGISTRY_USERNAME`, `$REGISTRY_PASSWORD`
    /// and `$TOKEN` (set by the token requests) in place of the secrets.
    pub curl: Vec<String>,
    /// In a page: the codes of the findings that mean the browser, not the registry, stopped
    /// the check (CORS, a rejected preflight, mixed content, unreachable), so the console's
    /// server can check it instead (the relay falls back on them). Empty elsewhere.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string[]"))]
    pub blocked_in_page: Vec<F>,
}

/// Findings that mean the browser, not the registry, stopped a page's check.
pub(super) const BLOCKED_IN_PAGE: [F; 8] = [
    F::CorsBlocked,
    F::CorsBlockedPath,
    F::CorsHeadersHidden,
    F::PreflightRejected,
    F::TokenCorsBlocked,
    F::ChallengeHidden,
    F::MixedContent,
    F::Unreachable,
];

/// The verdict rule (see [`ProbeReport::verdict`]): `has_catalog` is false where the provider
/// offers no catalog, whose absence then costs nothing.
pub(super) fn verdict(p: Permissions, auth_ok: bool, has_catalog: bool) -> Verdict {
    let catalog_ok =
        p.list_images == Status::Yes || (!has_catalog && p.list_images == Status::Unknown);
    if p.reach != Status::Yes || !auth_ok || p.list_tags == Status::No || p.pull == Status::No {
        Verdict::Failed
    } else if catalog_ok && p.list_tags == Status::Yes && p.pull == Status::Yes {
        Verdict::Ok
    } else {
        Verdict::Partial
    }
}

/// The verdict's sentence; `relay` when it ran on the console's server for a page.
pub(super) fn verdict_text(verdict: Verdict, relay: bool) -> VerdictText {
    match (verdict, relay) {
        (Verdict::Ok, false) => VerdictText::Ok,
        (Verdict::Partial, false) => VerdictText::Partial,
        (Verdict::Failed, false) => VerdictText::Failed,
        (Verdict::Ok, true) => VerdictText::OkRelay,
        (Verdict::Partial, true) => VerdictText::PartialRelay,
        (Verdict::Failed, true) => VerdictText::FailedRelay,
    }
}
