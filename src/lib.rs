//! registry-probe: validate, normalize and probe Docker registry connections.
//!
//! The core is sans-IO and builds natively. It has three entry points:
//!
//! - [`validate_registry_url`]: the registry URL as typed → a [`UrlCheck`] (the normalized
//!   [`Endpoint`], diagnostics with UTF-16 spans and one-click fixes);
//! - [`validate_form`]: the whole setup form → a [`FormCheck`] (per-field diagnostics and the
//!   connector it would save);
//! - [`Probe`]: the connection test as a state machine that decides each request from the last
//!   answer → a [`ProbeReport`] (the verdict, six steps, what works and what to fix). It sends
//!   nothing itself: a driver performs each request (the wasm build's driver uses `fetch`).
//!
//! The vocabulary between a probe and its driver ([`probe::Action`], [`probe::HttpRequest`],
//! [`probe::HttpResponse`], [`probe::Failure`], …) lives in [`probe`]; the message tables in
//! [`Code`], [`FindingCode`], [`StepText`] and [`VerdictText`]. On `wasm32` a façade exports the
//! same functions to JavaScript.
//!
//! A probe driven by hand against an open registry (every answer 200):
//!
//! ```
//! use registry_probe::probe::{Action, Environment, HttpResponse, Method};
//! use registry_probe::{Probe, ProbeRequest, Verdict};
//!
//! let request = ProbeRequest {
//!     url: "registry.example.com".into(),
//!     ..ProbeRequest::default()
//! };
//! let mut probe = Probe::new(request, Environment::default());
//! let report = loop {
//!     match probe.poll() {
//!         Action::Send(request) => {
//!             let body: &[u8] = match request.url.as_str() {
//!                 u if u.contains("/_catalog") => br#"{"repositories":["team/app"]}"#,
//!                 u if u.ends_with("/tags/list") => br#"{"name":"team/app","tags":["latest"]}"#,
//!                 _ => b"{}",
//!             };
//!             assert!(request.method != Method::Head || request.url.ends_with("/manifests/latest"));
//!             let response = HttpResponse {
//!                 status: 200,
//!                 headers: vec![("docker-distribution-api-version".into(), "registry/2.0".into())],
//!                 body: body.to_vec(),
//!                 ..HttpResponse::default()
//!             };
//!             probe.handle_response(response, 1.0);
//!         }
//!         Action::Done(report) => break report,
//!     }
//! };
//! assert_eq!(report.verdict, Verdict::Ok);
//! assert_eq!(report.requests, 4); // ping, catalog, tags, pull
//! assert_eq!(report.endpoint.unwrap().url, "https://registry.example.com/v2/");
//! ```
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
pub mod probe;
mod protocol;
mod url_field;
// The web layer (wasm32 only): the `#[wasm_bindgen]` façade and the fetch driver, the only
// files that use wasm-bindgen, web-sys, js-sys or gloo.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod web;

// 1. The URL field.
pub use crate::url_field::provider::Provider;
pub use crate::url_field::{
    is_loopback_host, validate_registry_url, ApiVersion, Endpoint, PageProtocol, Scheme, UrlCheck,
    UrlOptions,
};

// 2. The form, and the connector it saves.
pub use crate::form::connector::{
    Connector, ConnectorAuth, ConnectorDocument, ConnectorSpec, ProviderType, UsernamePasswordSpec,
};
pub use crate::form::{
    derive_identifier, validate_form, AuthInput, ConnectorForm, FormCheck, FormFields, FormOptions,
    RESERVED_IDENTIFIERS,
};

// 3. The probe and its report (the driver's vocabulary is in `probe`).
pub use crate::probe::{
    AuthScheme, CatalogReport, Permissions, Probe, ProbeReport, ProbeRequest, ProbeStep, RanFrom,
    Status, StepId, StepStatus, TagsReport, TraceEntry, Verdict,
};

// 4. Every sentence, by stable code.
pub use crate::messages::diagnostic::{Code, Diagnostic, Fix, Severity};
pub use crate::messages::finding::{Finding, FindingCode, ReportedCode, Snippet, ANONYMOUS_USERS};
pub use crate::messages::step::StepText;
pub use crate::messages::verdict::VerdictText;

// 5. Registry protocol parsers the probe uses, for drivers and tools.
pub use crate::protocol::challenge::{parse_challenges, Challenge};
pub use crate::protocol::link::{parse_next_link, resolve_same_origin};

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
