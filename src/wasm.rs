//! The JavaScript façade: each export is `from_value → core → to_value`, nothing else.
//!
//! Bad *arguments* (wrong types, unknown options) throw; invalid *form input* is a normal
//! result. Results go through one json-compatible serializer, so `None` becomes `null`.

use crate::form::{validate_form_with, ConnectorForm, FormOptions};
use crate::probe::{Environment, Probe, ProbeRequest};
use crate::registry_url::PageProtocol;
use crate::registry_url::{validate_registry_url_with, UrlOptions};
use js_sys::{Function, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Severity of a diagnostic: only errors block saving. */
export type Severity = "error" | "warning" | "info";
/** A one-click repair: the whole new field value. */
export interface Fix { label: string; value: string }
/** One finding about a form field; start/end are UTF-16 offsets (JS string indices). */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix: Fix | null;
  /** For delegate selectors: the index of the selector the span indexes into. */
  index?: number;
}
export type Provider = "dockerhub" | "ghcr" | "quay" | "gcr" | "artifact-registry" | "ecr" | "acr"
  | "gitlab" | "harbor" | "artifactory" | "nexus" | "other";
/** A registry endpoint derived from the URL field. */
export interface Endpoint {
  url: string;
  apiVersion: "v1" | "v2";
  scheme: "https" | "http";
  host: string;
  port: number | null;
  pathPrefix: string;
  provider: Provider;
  namespace: string | null;
  pingUrl: string;
}
export interface UrlOptions { pageProtocol?: "https:" | "http:" }
export interface UrlCheck { ok: boolean; endpoint: Endpoint | null; diagnostics: Diagnostic[] }

export type ProviderType = "DockerHub" | "Harbor" | "Quay" | "Other";
export type AuthInput =
  | { type: "Anonymous" }
  | { type: "UsernamePassword"; username: string; passwordRef: string };
/** The setup form's fields. */
export interface ConnectorForm {
  name: string;
  /** Derived from the name when absent or empty. */
  identifier?: string;
  url: string;
  /** Inferred from the URL when absent. */
  providerType?: ProviderType;
  /** Anonymous when absent. */
  auth?: AuthInput;
  delegateSelectors?: string[];
}
export interface FormOptions {
  pageProtocol?: "https:" | "http:";
  existingIdentifiers?: string[];
  /** Per-code message templates (i18n); `{detail}` is replaced as in the English message. */
  messages?: Record<string, string>;
}
export type FormField = "name" | "identifier" | "url" | "username" | "passwordRef" | "delegateSelectors" | "providerType";
/** The connector a valid form saves: the body a connector API takes. */
export interface ConnectorDocument {
  connector: {
    name: string;
    identifier: string;
    type: "DockerRegistry";
    spec: {
      dockerRegistryUrl: string;
      providerType: ProviderType;
      auth: { type: "Anonymous" } | { type: "UsernamePassword"; spec: { username: string; passwordRef: string } };
      delegateSelectors: string[];
    };
  };
}
export interface FormCheck {
  ok: boolean;
  fields: Record<FormField, Diagnostic[]>;
  /** The identifier that would be saved (given, or derived from the name). */
  identifier: string;
  /** The provider type that would be saved (chosen, or inferred from the URL). */
  providerType: ProviderType;
  endpoint: Endpoint | null;
  connector: ConnectorDocument | null;
  yaml: string | null;
}

/** What to test. The password is used for this test only: never kept, logged or returned. */
export interface ProbeRequest {
  url: string;
  username?: string;
  password?: string;
  /** For the tag and pull checks when the catalog is unavailable. */
  repository?: string;
  /** Per request, default 8000. */
  timeoutMs?: number;
  /** Default 10. */
  maxCatalogPages?: number;
  /** Catalog page size (`n`), default 100, at most 1000. */
  catalogPageSize?: number;
  /** Stop after the ping (reachability, API version, auth scheme); sends no credentials. */
  pingOnly?: boolean;
}
export type Status = "yes" | "no" | "unknown";
export interface ProbeStep {
  id: "ping" | "auth" | "token" | "catalog" | "tags" | "pull";
  status: "running" | "ok" | "warn" | "fail" | "skipped";
  summary: string;
  httpStatus: number | null;
  durationMs: number | null;
}
export interface Finding { code: string; severity: Severity; message: string; fix: string | null }
export interface ProbeReport {
  verdict: "ok" | "partial" | "failed";
  endpoint: Endpoint | null;
  apiVersion: "v1" | "v2" | null;
  auth: "none" | "basic" | "bearer" | null;
  permissions: { reach: Status; listImages: Status; listTags: Status; pull: Status };
  catalog: { repositories: string[]; complete: boolean; pages: number } | null;
  tags: { repository: string; tags: string[] } | null;
  /** ping, auth, token, catalog, tags, pull — in order. */
  steps: ProbeStep[];
  findings: Finding[];
  /** HTTP requests sent (preflights excluded). */
  requests: number;
}
export interface ProbeOptions { signal?: AbortSignal; onProgress?: (step: ProbeStep) => void }
"#;

fn from_js<T: DeserializeOwned + Default>(value: JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid argument: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Unicode host to ASCII through the host's WHATWG URL (full UTS 46), else our punycode.
fn host_to_ascii(host: &str) -> Option<String> {
    match web_sys::Url::new(&format!("http://{host}/")) {
        Ok(url) => Some(url.hostname()),
        Err(_) => crate::punycode::domain_to_ascii(host),
    }
}

/// Validates and normalizes a Docker registry URL as typed.
#[wasm_bindgen(js_name = validateRegistryUrl, unchecked_return_type = "UrlCheck")]
pub fn validate_registry_url(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "UrlOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: UrlOptions = from_js(options)?;
    to_js(&validate_registry_url_with(input, &options, &host_to_ascii))
}

/// Validates the whole setup form and returns the connector it would save.
#[wasm_bindgen(js_name = validateForm, unchecked_return_type = "FormCheck")]
pub fn validate_form(
    #[wasm_bindgen(unchecked_param_type = "ConnectorForm")] form: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FormOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    if !form.is_object() {
        return Err(JsError::new("validateForm expects a form object"));
    }
    let form: ConnectorForm = from_js(form)?;
    let options: FormOptions = from_js(options)?;
    to_js(&validate_form_with(&form, &options, &host_to_ascii))
}

/// Where this code runs: a page or worker (CORS applies) or Node (no CORS), and the page's
/// protocol for mixed-content decisions.
fn environment() -> Environment {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| {
        Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
    };
    let node = get(&get(&get(&global, "process"), "versions"), "node").is_string();
    let protocol = get(&get(&global, "location"), "protocol").as_string();
    Environment {
        cors: !node,
        page_protocol: match protocol.as_deref() {
            Some("https:") => Some(PageProtocol::Https),
            Some("http:") => Some(PageProtocol::Http),
            _ => None,
        },
    }
}

/// Tests a registry connection from here (browser: under CORS) and explains the result.
#[wasm_bindgen(js_name = probeRegistry, unchecked_return_type = "Promise<ProbeReport>")]
pub fn probe_registry(
    #[wasm_bindgen(unchecked_param_type = "ProbeRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProbeOptions | undefined")] options: JsValue,
) -> Result<js_sys::Promise, JsError> {
    if !request.is_object() {
        return Err(JsError::new("probeRegistry expects a request object"));
    }
    // Deliberately no serde detail in the message: it could quote a password given as a number.
    let request: ProbeRequest = serde_wasm_bindgen::from_value(request).map_err(|_| {
        JsError::new("invalid probe request: url, username, password and repository must be strings; timeoutMs and maxCatalogPages positive integers")
    })?;
    let field = |key: &str| {
        if options.is_object() {
            Reflect::get(&options, &key.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let signal = field("signal").dyn_into::<web_sys::AbortSignal>().ok();
    let on_progress = field("onProgress").dyn_into::<Function>().ok();
    let probe = Probe::new(request, environment());
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        let report = crate::driver::run(probe, signal, on_progress).await?;
        to_js(&report).map_err(JsValue::from)
    }))
}
