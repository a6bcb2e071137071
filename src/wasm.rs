//! The JavaScript façade: each export reads its arguments, calls the core, and returns [`to_js`].
//!
//! Bad *arguments* (wrong types, unknown option values) throw; invalid *form input* is a normal
//! result. Arguments are read property by property; results cross as one string (the wire,
//! `wire.rs` and `js/wire.js`) and arrive as plain objects, `None` as `null`.

use crate::form::AuthInput;
use crate::form::{validate_form_with, ConnectorForm, FormOptions};
use crate::probe::{Environment, Probe, ProbeRequest};
use crate::registry_url::PageProtocol;
use crate::registry_url::{validate_registry_url_with, UrlOptions};
use crate::wire::{encode, Names};
use crate::ProviderType;
use js_sys::{Array, Function, Object, Reflect};
use serde::Serialize;
use std::cell::RefCell;
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

#[wasm_bindgen(module = "/js/wire.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = decode)]
    fn decode_wire(wire: &[u8], names: &Array) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The wire's name table (the Rust half and its JS twin, for this module instance) and the
    /// buffer results are encoded into.
    static WIRE: RefCell<(Names, Array, Vec<u8>)> =
        RefCell::new((Names::default(), Array::new(), Vec::with_capacity(1024)));
}

/// Any result type as the plain JS object the exports return (through the wire, `wire.rs`):
/// what serde's JSON-compatible form would be, `None` as `null`.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    /// A buffer grown past this (a large catalog) is not kept.
    const KEEP: usize = 64 * 1024;
    WIRE.with(|cell| {
        let Ok(mut wire) = cell.try_borrow_mut() else {
            return Err(JsError::new("registry-probe: re-entrant call"));
        };
        let (names, js_names, buffer) = &mut *wire;
        encode(value, names, buffer);
        let result = decode_wire(buffer, js_names);
        if result.is_err() {
            // The two name tables may disagree now: start both afresh (a new JS table).
            *wire = (Names::default(), Array::new(), Vec::with_capacity(1024));
        } else if buffer.capacity() > KEEP {
            *buffer = Vec::with_capacity(1024);
        }
        result.map_err(|_| JsError::new("registry-probe: result decoding failed"))
    })
}

#[wasm_bindgen]
extern "C" {
    /// Any argument object, read property by property (a getter per key: no key strings cross).
    type Props;
    #[wasm_bindgen(method, getter, structural)]
    fn name(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn identifier(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn url(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = providerType)]
    fn provider_type(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn auth(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = type)]
    fn kind(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn username(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = passwordRef)]
    fn password_ref(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = delegateSelectors)]
    fn delegate_selectors(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = pageProtocol)]
    fn page_protocol(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = existingIdentifiers)]
    fn existing_identifiers(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn messages(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn password(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn repository(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = timeoutMs)]
    fn timeout_ms(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = maxCatalogPages)]
    fn max_catalog_pages(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = catalogPageSize)]
    fn catalog_page_size(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = pingOnly)]
    fn ping_only(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    fn signal(this: &Props) -> JsValue;
    #[wasm_bindgen(method, getter, structural, js_name = onProgress)]
    fn on_progress(this: &Props) -> JsValue;
}

/// `value` as properties, or `None` for undefined and null (all defaults).
fn props(value: &JsValue) -> Option<&Props> {
    (!value.is_undefined() && !value.is_null()).then(|| value.unchecked_ref())
}

fn invalid(what: &str) -> JsError {
    JsError::new(&format!("invalid argument: {what}"))
}

/// An optional string property; `what` names it in the error.
fn opt_string(value: JsValue, what: &str) -> Result<Option<String>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid(&format!("{what} must be a string")))
}

fn string_list(value: JsValue, what: &str) -> Result<Vec<String>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(&value) {
        return Err(invalid(&format!("{what} must be an array of strings")));
    }
    Array::from(&value)
        .iter()
        .map(|item| {
            item.as_string()
                .ok_or_else(|| invalid(&format!("{what} must be an array of strings")))
        })
        .collect()
}

fn opt_u32(value: JsValue, what: &str) -> Result<Option<u32>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Ok(Some(n as u32))
        }
        _ => Err(invalid(&format!("{what} must be a whole number"))),
    }
}

/// One of `names` (the JS spellings), as its index.
fn one_of(value: JsValue, what: &str, names: &[&str]) -> Result<Option<usize>, JsError> {
    let Some(text) = opt_string(value, what)? else {
        return Ok(None);
    };
    match names.iter().position(|n| *n == text) {
        Some(at) => Ok(Some(at)),
        None => Err(invalid(&format!(
            "{what} must be one of {}",
            names.join(", ")
        ))),
    }
}

fn page_protocol(value: JsValue) -> Result<Option<PageProtocol>, JsError> {
    Ok(match one_of(value, "pageProtocol", &["https:", "http:"])? {
        Some(0) => Some(PageProtocol::Https),
        Some(_) => Some(PageProtocol::Http),
        None => None,
    })
}

fn form_from(form: &Props) -> Result<ConnectorForm, JsError> {
    const TYPES: [ProviderType; 4] = [
        ProviderType::DockerHub,
        ProviderType::Harbor,
        ProviderType::Quay,
        ProviderType::Other,
    ];
    let names = TYPES.map(ProviderType::as_str);
    let provider_type =
        one_of(form.provider_type(), "providerType", &names)?.and_then(|at| TYPES.get(at).copied());
    let auth_value = form.auth();
    let auth = match props(&auth_value) {
        None => AuthInput::Anonymous,
        Some(auth) => match one_of(auth.kind(), "auth.type", &["Anonymous", "UsernamePassword"])? {
            Some(0) => AuthInput::Anonymous,
            Some(_) => AuthInput::UsernamePassword {
                username: opt_string(auth.username(), "auth.username")?.unwrap_or_default(),
                password_ref: opt_string(auth.password_ref(), "auth.passwordRef")?
                    .unwrap_or_default(),
            },
            None => return Err(invalid("auth.type is required")),
        },
    };
    Ok(ConnectorForm {
        name: opt_string(form.name(), "name")?.unwrap_or_default(),
        identifier: opt_string(form.identifier(), "identifier")?,
        url: opt_string(form.url(), "url")?.unwrap_or_default(),
        provider_type,
        auth,
        delegate_selectors: string_list(form.delegate_selectors(), "delegateSelectors")?,
    })
}

fn form_options_from(options: Option<&Props>) -> Result<FormOptions, JsError> {
    let Some(options) = options else {
        return Ok(FormOptions::default());
    };
    let mut messages = Vec::new();
    let given = options.messages();
    if !given.is_undefined() && !given.is_null() {
        if !given.is_object() {
            return Err(invalid("messages must be an object of strings"));
        }
        for entry in Object::entries(given.unchecked_ref()).iter() {
            let pair = Array::from(&entry);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(code), Some(template)) => messages.push((code, template)),
                _ => return Err(invalid("messages must be an object of strings")),
            };
        }
    }
    Ok(FormOptions {
        page_protocol: page_protocol(options.page_protocol())?,
        existing_identifiers: string_list(options.existing_identifiers(), "existingIdentifiers")?,
        messages,
    })
}

fn probe_request_from(request: &Props) -> Result<ProbeRequest, JsError> {
    let url = opt_string(request.url(), "url")?.ok_or_else(|| invalid("url is required"))?;
    let ping_only = request.ping_only();
    Ok(ProbeRequest {
        url,
        username: opt_string(request.username(), "username")?,
        password: opt_string(request.password(), "password")?,
        repository: opt_string(request.repository(), "repository")?,
        timeout_ms: opt_u32(request.timeout_ms(), "timeoutMs")?,
        max_catalog_pages: opt_u32(request.max_catalog_pages(), "maxCatalogPages")?,
        catalog_page_size: opt_u32(request.catalog_page_size(), "catalogPageSize")?,
        ping_only: if ping_only.is_undefined() || ping_only.is_null() {
            None
        } else {
            Some(
                ping_only
                    .as_bool()
                    .ok_or_else(|| invalid("pingOnly must be a boolean"))?,
            )
        },
    })
}

/// Unicode host to ASCII through the host's WHATWG URL (full UTS 46 mapping; a host it
/// rejects has no ASCII form). Leaves our punycode, and its Unicode case tables (~11 KB), out of
/// the module.
fn host_to_ascii(host: &str) -> Option<String> {
    web_sys::Url::new(&format!("http://{host}/"))
        .ok()
        .map(|url| url.hostname())
}

/// Validates and normalizes a Docker registry URL as typed.
#[wasm_bindgen(js_name = validateRegistryUrl, unchecked_return_type = "UrlCheck")]
pub fn validate_registry_url(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "UrlOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options = UrlOptions {
        page_protocol: match props(&options) {
            Some(options) => page_protocol(options.page_protocol())?,
            None => None,
        },
    };
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
    let form = form_from(form.unchecked_ref())?;
    let options = form_options_from(props(&options))?;
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
    let request = probe_request_from(request.unchecked_ref()).map_err(|_| {
        JsError::new("invalid probe request: url, username, password and repository must be strings; timeoutMs, maxCatalogPages and catalogPageSize whole numbers; pingOnly a boolean")
    })?;
    let (signal, on_progress) = match props(&options).filter(|_| options.is_object()) {
        Some(options) => (
            options.signal().dyn_into::<web_sys::AbortSignal>().ok(),
            options.on_progress().dyn_into::<Function>().ok(),
        ),
        None => (None, None),
    };
    let probe = Probe::new_with(request, environment(), &host_to_ascii);
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        let report = crate::driver::run(probe, signal, on_progress).await?;
        to_js(&report).map_err(JsValue::from)
    }))
}
