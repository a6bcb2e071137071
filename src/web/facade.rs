//! The JavaScript façade: each export is `from_value` → core → `to_value`.
//!
//! Arguments are read with serde-wasm-bindgen into the core's `Deserialize` types; results are
//! written with one shared JSON-compatible serializer (maps as objects, `None` as `null`). The
//! TypeScript types come from the Rust types (tsify). Bad *arguments* throw an `Error` naming
//! the field; invalid *form input* is a normal result.

use crate::form::{ConnectorForm, FormOptions};
use crate::probe::{Environment, Probe, ProbeRequest};
use crate::url_field::{PageProtocol, UrlOptions};
use js_sys::{Function, Reflect};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A field of the setup form, as `FormCheck.fields` names it. */
export type FormField = keyof FormFields;
/** How a probe reports and can be cancelled. */
export interface ProbeOptions {
  /** Aborting it cancels the probe: the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Called with each step as it changes; a throwing callback does not stop the probe. */
  onProgress?: (step: ProbeStep) => void;
  /**
   * A console's own templates by code: findings (`<code>`), their fixes (`<code>.fix`) and
   * step summaries (`step-…`); `{slots}` are filled in as in the English text.
   */
  messages?: Record<string, string>;
  /**
   * The fetch to send every request with (a proxy, a policy-enforcing fetch, a test double);
   * default the global `fetch`. It gets a `Request` and must return a fetch `Response`.
   */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * The console's server-side probe (registry-probe/server), on this page's origin or https.
   * `fallback` (default): run here first and, when the browser blocked the check (CORS, a
   * rejected preflight, mixed content, unreachable), again on the relay; `always`: only there.
   */
  relay?: { url: string; mode?: "fallback" | "always" };
  /**
   * Node and the console's server: the origin of the page the registry is meant for. The probe
   * then replays what a browser there does (preflights, `Origin`) and names each CORS defect
   * with the configuration that fixes it (`cors-…` findings). The same as `request.origin`;
   * ignored in a page, where the browser checks CORS itself.
   */
  origin?: string;
  /**
   * The whole probe's time limit (ms). At the deadline the request in flight is abandoned and
   * the probe reports what it confirmed so far, with `probe-deadline` naming the step it was in.
   * Default: none (each request still has `timeoutMs`). The CLI uses 60 000; the server its
   * `maxProbeMs`.
   */
  deadlineMs?: number;
  /**
   * Node only: an egress proxy for every request (`http://[user:password@]proxy.example:3128`),
   * overriding HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which Node's probe reads otherwise. Not with
   * `fetch`; in a browser an argument error (the browser uses its own proxy settings).
   */
  proxy?: string;
  /**
   * Node only: extra trusted certificates (PEM) for this probe only, for a registry whose
   * certificate an internal CA signed. Not with `fetch`; in a browser an argument error (the
   * browser trusts what its system trusts).
   */
  ca?: string | string[];
  /**
   * Set by registry-probe/server: the probe runs on the console's server for someone else, so
   * the report leaves out what describes the server itself (the rate-limit source).
   */
  server?: boolean;
}
"#;

/// The one serializer every result goes through: plain JSON-compatible objects.
const SERIALIZER: Serializer = Serializer::json_compatible();

/// Any result as the plain JS object the exports return.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| JsError::new(&format!("registry-probe: {e}")))
}

/// An argument read into a core type; an absent (`undefined`) argument is the default.
fn from_js<T: DeserializeOwned + Default>(value: JsValue) -> Result<T, String> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| argument_error(&e.path().to_string(), &e.inner().to_string()))
}

/// `path must be …` from a serde error, without the value serde quotes (it may be a password).
fn argument_error(path: &str, message: &str) -> String {
    let message = message.strip_prefix("Error: ").unwrap_or(message);
    let at = |field: &str| match path {
        "." | "" => field.to_string(),
        _ => format!("{path}.{field}"),
    };
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return format!("{} is required", at(field));
    }
    let what = if path == "." { "the argument" } else { path };
    match message.rsplit_once("expected ") {
        Some((_, expected)) => format!("{what} must be {}", describe(expected)),
        None => format!("{what} has the wrong type"),
    }
}

/// serde's name for what it expected, in the words of a JS caller.
fn describe(expected: &str) -> String {
    match expected {
        "a sequence" => "an array".into(),
        "a map" => "an object".into(),
        _ if expected.starts_with("struct ") => "an object".into(),
        "u32" | "u16" => "a whole number".into(),
        _ if expected.contains('`') => {
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect::<Vec<_>>();
            format!("one of {}", names.join(", "))
        }
        _ => expected.to_string(),
    }
}

fn invalid(message: String) -> JsError {
    JsError::new(&format!("invalid argument: {message}"))
}

/// Validates and normalizes a Docker registry URL as typed.
#[wasm_bindgen(js_name = validateRegistryUrl, unchecked_return_type = "UrlCheck")]
pub fn validate_registry_url(
    input: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "UrlOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let options: UrlOptions = from_js(options.unwrap_or_default()).map_err(invalid)?;
    to_js(&crate::validate_registry_url(input, &options))
}

/// Validates the whole setup form and returns the connector it would save.
#[wasm_bindgen(js_name = validateForm, unchecked_return_type = "FormCheck")]
pub fn validate_form(
    #[wasm_bindgen(unchecked_param_type = "ConnectorForm")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FormOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    if !form.is_object() {
        return Err(JsError::new("validateForm expects a form object"));
    }
    let form: ConnectorForm = from_js(form).map_err(invalid)?;
    let options: FormOptions = from_js(options.unwrap_or_default()).map_err(invalid)?;
    to_js(&crate::validate_form(&form, &options))
}

/// The part of `ProbeOptions` read with serde (the signal and callback are read as JS values).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProbeOptionValues {
    #[serde(default)]
    messages: Option<BTreeMap<String, String>>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    deadline_ms: Option<f64>,
    #[serde(default)]
    server: Option<bool>,
}

/// Where this code runs: a page or worker (CORS applies) or Node (no CORS), and the page's
/// protocol for mixed-content decisions.
fn environment(server: bool) -> Environment {
    let global = js_sys::global();
    let get = |target: &JsValue, key: &str| {
        Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
    };
    let node = get(&get(&get(&global, "process"), "versions"), "node").is_string();
    let protocol = get(&get(&global, "location"), "protocol").as_string();
    Environment {
        now_s: Some((js_sys::Date::now() / 1000.0) as u64),
        server: server && node,
        cors: !node,
        page_protocol: match protocol.as_deref() {
            Some("https:") => Some(PageProtocol::Https),
            Some("http:") => Some(PageProtocol::Http),
            _ => None,
        },
    }
}

/// A probe's arguments, read and checked once: what `probeRegistry` runs and what
/// `checkProbeRequest` only checks.
struct ProbeArguments {
    request: ProbeRequest,
    signal: Option<web_sys::AbortSignal>,
    on_progress: Option<Function>,
    fetch: Option<Function>,
    deadline_ms: Option<f64>,
    messages: Vec<(String, String)>,
    server: bool,
}

/// Reads `request` and `options` as `probeRegistry` takes them; an error names the field, never
/// a value (`argument_error` never quotes one).
fn probe_arguments(request: JsValue, options: &JsValue) -> Result<ProbeArguments, JsError> {
    if !request.is_object() {
        return Err(JsError::new("probeRegistry expects a request object"));
    }
    let mut request: ProbeRequest = from_js(request)
        .map_err(|message| JsError::new(&format!("invalid probe request: {message}")))?;
    let property = |key: &str| {
        if options.is_object() {
            Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let fetch = property("fetch");
    let fetch = if fetch.is_undefined() || fetch.is_null() {
        None
    } else {
        Some(
            fetch
                .dyn_into::<Function>()
                .map_err(|_| invalid("fetch must be a function".into()))?,
        )
    };
    let values: ProbeOptionValues = from_js(options.clone()).map_err(invalid)?;
    if values.origin.is_some() {
        request.origin = values.origin;
    }
    // "null" is a real origin (file: pages, sandboxed frames) with nothing to replay: the core
    // ignores it; anything else that is no origin is a caller's mistake.
    let bad_origin = |o: &str| o != "null" && crate::probe::page_origin(o).is_none();
    if request.origin.as_deref().is_some_and(bad_origin) {
        return Err(invalid(
            "origin must be a page origin such as https://console.example".into(),
        ));
    }
    let deadline_ms = match values.deadline_ms {
        Some(ms) if !ms.is_finite() || ms <= 0.0 => {
            return Err(invalid("deadlineMs must be a positive number".into()))
        }
        other => other,
    };
    Ok(ProbeArguments {
        request,
        signal: property("signal").dyn_into::<web_sys::AbortSignal>().ok(),
        on_progress: property("onProgress").dyn_into::<Function>().ok(),
        fetch,
        deadline_ms,
        messages: values.messages.unwrap_or_default().into_iter().collect(),
        server: values.server.unwrap_or(false),
    })
}

/// Tests a registry connection from here (browser: under CORS) and explains the result.
#[wasm_bindgen(js_name = probeRegistry, unchecked_return_type = "Promise<ProbeReport>")]
pub fn probe_registry(
    #[wasm_bindgen(unchecked_param_type = "ProbeRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ProbeOptions")] options: Option<JsValue>,
) -> Result<js_sys::Promise, JsError> {
    let args = probe_arguments(request, &options.unwrap_or_default())?;
    let probe = Probe::with_messages(args.request, environment(args.server), args.messages);
    let (signal, on_progress, fetch, deadline_ms) =
        (args.signal, args.on_progress, args.fetch, args.deadline_ms);
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        let report =
            crate::web::driver::run(probe, signal, on_progress, fetch, deadline_ms).await?;
        to_js(&report).map_err(JsValue::from)
    }))
}

/// Checks a probe's arguments as `probeRegistry` does, without probing: throws the same error
/// for the same mistake (the relay's `always` mode uses it before sending the request away).
#[wasm_bindgen(js_name = checkProbeRequest)]
pub fn check_probe_request(
    #[wasm_bindgen(unchecked_param_type = "ProbeRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ProbeOptions")] options: Option<JsValue>,
) -> Result<(), JsError> {
    probe_arguments(request, &options.unwrap_or_default()).map(|_| ())
}

/// The probe's steps in the order they run and are reported (`ping`, `auth`, …, `pull`).
#[wasm_bindgen(js_name = stepOrder, unchecked_return_type = "StepId[]")]
pub fn step_order() -> Result<JsValue, JsError> {
    to_js(&crate::StepId::ALL)
}

/// Whether `host` is this machine (127.0.0.0/8, `[::1]`, `localhost`, `*.localhost`): the one
/// loopback rule of the URL field and the probe.
#[wasm_bindgen(js_name = isLoopbackHost)]
pub fn is_loopback_host(host: &str) -> bool {
    crate::is_loopback_host(host)
}
