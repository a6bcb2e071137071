//! registry-probe: validate, normalize and probe Docker registry connections.
//!
//! The core is sans-IO and builds natively: URL normalization ([`validate_registry_url`]),
//! form rules, registry protocol parsing and the probe state machine. On `wasm32` a façade
//! exports the same functions to JavaScript.
//!
//! A panic in wasm kills the module for the whole page, so input can reach no `unwrap`,
//! `expect`, indexing or `panic!` here: the lints below enforce it outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

// The sans-IO core: pure, builds and tests natively.
mod form;
#[doc(hidden)]
pub mod fuzz_checks;
mod messages;
mod probe;
mod protocol;
mod url_field;
// The web layer (wasm32 only): the `#[wasm_bindgen]` façade and the fetch driver, the only
// files that use wasm-bindgen, web-sys, js-sys or gloo.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod web;

pub use crate::form::connector::{
    Connector, ConnectorAuth, ConnectorDocument, ConnectorSpec, ProviderType, UsernamePasswordSpec,
};
pub use crate::form::{
    derive_identifier, validate_form, AuthInput, ConnectorForm, FormCheck, FormFields, FormOptions,
    RESERVED_IDENTIFIERS,
};
pub use crate::messages::diagnostic::{Code, Diagnostic, Fix, Severity};
pub use crate::messages::finding::{Finding, FindingCode, ReportedCode, Snippet, ANONYMOUS_USERS};
pub use crate::messages::step::StepText;
pub use crate::messages::verdict::VerdictText;
pub use crate::probe::{
    page_origin, Action, AuthScheme, CatalogReport, Environment, Failure, HttpRequest,
    HttpResponse, Method, NetworkCause, Permissions, Probe, ProbeReport, ProbeRequest, ProbeStep,
    RanFrom, Status, StepId, StepStatus, TagsReport, Verdict, MAX_REQUESTS, MAX_TIMEOUT_MS,
};
pub use crate::protocol::challenge::{parse_challenges, Challenge};
pub use crate::protocol::link::{parse_next_link, resolve_same_origin};
pub use crate::url_field::provider::Provider;
pub use crate::url_field::{
    is_loopback_host, validate_registry_url, ApiVersion, Endpoint, PageProtocol, Scheme, UrlCheck,
    UrlOptions,
};

/// For the fuzz targets and tests: the bounded parsers and limits behind the public API.
#[doc(hidden)]
pub mod internals {
    pub use crate::fuzz_checks;
    pub use crate::protocol::challenge::challenge_limits;
    pub use crate::protocol::rate_limit::parse_rate_limit;
    pub use crate::protocol::registry_json::{
        parse_catalog, parse_error_code, parse_tags, parse_token, parse_token_answer,
    };
    pub use crate::protocol::token_access::{granted_access, missing_access};
}
