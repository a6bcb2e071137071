//! What a probe keeps to from start to end, read once from the caller's request: where it runs,
//! its bounds, what it checks, and the endpoint the report gives. Never changed afterwards.

use super::report::RanFrom;
use super::request::Environment;
use crate::url_field::Endpoint;

/// The probe's settings (immutable once the probe has started).
pub(super) struct Settings {
    /// Where the probe runs (CORS, the page's protocol, the server, the clock).
    pub env: Environment,
    /// Per-request timeout.
    pub timeout_ms: u32,
    /// Catalog pages read at most.
    pub max_pages: u32,
    /// Catalog page size asked for (`n`).
    pub page_size: usize,
    /// Stop after the ping (the quiet check while the user types).
    pub ping_only: bool,
    /// Where the report says the probe ran.
    pub ran_from: RanFrom,
    /// The repository the repository field names (else the first one the catalog lists).
    pub repository: Option<String>,
    /// The tag or digest the repository field names (`alpine:3.20`), checked instead of the
    /// usual `latest`.
    pub reference: Option<String>,
    /// The endpoint as validated, when the probe talks to another one (Docker Hub's v1 URL is
    /// checked through its v2 API); the report gives this one.
    pub validated: Option<Endpoint>,
}
