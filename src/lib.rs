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

mod challenge;
mod connector;
mod diagnostic;
#[cfg(target_arch = "wasm32")]
mod driver;
mod finding;
mod form;
mod header_syntax;
mod host;
mod image_reference;
mod link;
mod probe;
mod provider;
mod registry_json;
mod registry_url;
mod remote_url;
/// The `#[wasm_bindgen]` exports (only on wasm32).
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use crate::challenge::{challenge_limits, parse_challenges, Challenge};
pub use crate::connector::{
    Connector, ConnectorAuth, ConnectorDocument, ConnectorSpec, ProviderType, UsernamePasswordSpec,
};
pub use crate::diagnostic::{Code, Diagnostic, Fix, Severity};
pub use crate::finding::{Finding, FindingCode};
pub use crate::form::{
    derive_identifier, validate_form, AuthInput, ConnectorForm, FormCheck, FormFields, FormOptions,
    RESERVED_IDENTIFIERS,
};
pub use crate::link::{parse_next_link, resolve_same_origin};
pub use crate::probe::{
    Action, AuthScheme, CatalogReport, Environment, Failure, HttpRequest, HttpResponse, Method,
    Permissions, Probe, ProbeReport, ProbeRequest, ProbeStep, Status, StepStatus, TagsReport,
    Verdict,
};
pub use crate::provider::Provider;
pub use crate::registry_json::{parse_catalog, parse_error_code, parse_tags, parse_token};
pub use crate::registry_url::{
    validate_registry_url, ApiVersion, Endpoint, PageProtocol, Scheme, UrlCheck, UrlOptions,
};
