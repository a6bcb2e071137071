//! The probe's result: the verdict, the six steps, permissions, catalog and tags, and the
//! verdict rule ([`Probe::report`]).

use super::trace::{curl_commands, TraceEntry};
use super::Probe;
use crate::messages::finding::{Finding, FindingCode as F};
use crate::messages::verdict::VerdictText;
use crate::protocol::rate_limit::RateLimit;
use crate::protocol::remote_url::parse_remote_url;
use crate::url_field::provider::Provider;
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
    pub blocked_in_page: Vec<&'static str>,
}

/// Findings that mean the browser, not the registry, stopped a page's check.
const BLOCKED_IN_PAGE: [F; 8] = [
    F::CorsBlocked,
    F::CorsBlockedPath,
    F::CorsHeadersHidden,
    F::PreflightRejected,
    F::TokenCorsBlocked,
    F::ChallengeHidden,
    F::MixedContent,
    F::Unreachable,
];

impl Probe {
    /// The report, with the verdict (see [`ProbeReport::verdict`] for the rule).
    pub(super) fn report(&mut self) -> ProbeReport {
        self.credentials_withheld();
        self.anonymous_gets_nothing();
        self.harbor_password_or_access();
        self.cors_findings();
        if self.env.cors && !self.hidden.is_empty() {
            let list = self.hidden.join(" and ");
            self.finding(F::CorsHeadersHidden, &list);
        }
        let no_catalog = matches!(
            self.provider(),
            Provider::Dockerhub | Provider::Ghcr | Provider::Gitlab
        );
        let p = self.permissions;
        let catalog_ok =
            p.list_images == Status::Yes || (no_catalog && p.list_images == Status::Unknown);
        let verdict = if p.reach != Status::Yes
            || !self.auth_ok
            || p.list_tags == Status::No
            || p.pull == Status::No
        {
            Verdict::Failed
        } else if catalog_ok && p.list_tags == Status::Yes && p.pull == Status::Yes {
            Verdict::Ok
        } else {
            Verdict::Partial
        };
        let relay = self.ran_from == RanFrom::Relay;
        let text = match (verdict, relay) {
            (Verdict::Ok, false) => VerdictText::Ok,
            (Verdict::Partial, false) => VerdictText::Partial,
            (Verdict::Failed, false) => VerdictText::Failed,
            (Verdict::Ok, true) => VerdictText::OkRelay,
            (Verdict::Partial, true) => VerdictText::PartialRelay,
            (Verdict::Failed, true) => VerdictText::FailedRelay,
        };
        ProbeReport {
            ran_from: self.ran_from,
            summary: text.render(&self.messages, &[]),
            verdict,
            endpoint: self.validated.clone().or_else(|| self.endpoint.clone()),
            api_version: self.api_version,
            auth: self.auth,
            permissions: self.permissions,
            catalog: self.catalog.clone(),
            tags: self.tags.clone(),
            steps: self.steps.clone(),
            findings: self.findings.clone(),
            requests: self.requests,
            rate_limit: self.rate_limit.clone(),
            curl: curl_commands(&self.trace),
            trace: self.trace.clone(),
            blocked_in_page: self.blocked_in_page(),
        }
    }

    /// The findings that mean the page could not check the registry (see
    /// [`ProbeReport::blocked_in_page`]), each code once.
    fn blocked_in_page(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        if !self.env.cors {
            return codes;
        }
        for finding in &self.findings {
            let blocks = BLOCKED_IN_PAGE.iter().any(|c| c.code() == finding.code);
            if blocks && !codes.contains(&finding.code) {
                codes.push(finding.code);
            }
        }
        codes
    }

    /// Harbor issues tokens even for a wrong password (providers.md §7): when a password was
    /// given and a token granted less than asked before a denial, the password may be wrong too.
    fn harbor_password_or_access(&mut self) {
        let p = self.permissions;
        let denied = p.list_tags == Status::No || p.pull == Status::No;
        if self.provider() == Provider::Harbor
            && self.credentials.is_some()
            && !self.ungranted.is_empty()
            && denied
        {
            self.finding(F::HarborPasswordOrAccess, "");
        }
    }

    /// An anonymous probe of a token registry whose anonymous token grants nothing: the
    /// registry needs a username and password, which is one `auth-required` naming the token
    /// service's host, not a denial per permission.
    fn anonymous_gets_nothing(&mut self) {
        let p = self.permissions;
        let granted = [p.list_images, p.list_tags, p.pull].contains(&Status::Yes);
        if self.credentials.is_some()
            || self.auth != Some(AuthScheme::Bearer)
            || granted
            || p.pull != Status::No
        {
            return;
        }
        let denials = [
            F::CatalogDenied,
            F::TagsDenied,
            F::PullDenied,
            F::TokenScopePartial,
            F::TokenInsufficientScope,
        ]
        .map(F::code);
        self.findings.retain(|f| !denials.contains(&f.code));
        let host = self
            .realm
            .as_ref()
            .and_then(|(realm, _)| parse_remote_url(realm))
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_default();
        self.finding(F::AuthRequired, &host);
    }
}
