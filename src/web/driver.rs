//! The only file that does I/O: it runs a [`Probe`] with the global `fetch` (pages, workers and
//! Node), requests built and responses read through gloo-net; fetch is called directly so that
//! what it rejects with (Node's `error.cause`) is kept.
//!
//! Per request: an `AbortSignal.timeout` combined (`AbortSignal.any`) with the caller's signal;
//! `Authorization` only as the probe gives it, never `credentials: 'include'` (a Basic 401 would
//! make the browser prompt); redirects not followed when credentials are attached; bodies read as a
//! stream and cut at the probe's limit. A failure is classified by which signal fired, not by
//! error text: the caller's → the probe rejects with an `AbortError`; the timeout → a timeout;
//! else the cause code Node's fetch gives (DNS, refused, reset, TLS, see
//! [`NetworkCause::from_code`]); else a plain network failure (all a browser can tell: refused,
//! unknown host, CORS or a failed preflight).

use crate::probe::{
    Action, Failure, HttpRequest, HttpResponse, Method, NetworkCause, Probe, ProbeReport,
};
use gloo_net::http::{Method as HttpMethod, Request, RequestBuilder, Response};
use js_sys::{Array, Date, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, DomException, ReadableStreamDefaultReader, RequestMode, RequestRedirect,
    ResponseType,
};

enum Outcome {
    Response(HttpResponse),
    Failed(Failure),
    Aborted,
    /// The whole probe's deadline passed.
    Deadline,
    /// The caller's fetch misbehaved (resolved to something that is not a `Response`): the
    /// probe rejects with this error instead of reading it (which would throw inside wasm).
    Invalid(JsValue),
}

/// The property of a `Response` naming the egress proxy it came through (js/dispatch-fetch.js).
const PROXY_MARK: &str = "registryProbeProxy";

/// The longest a JS timer holds (2³¹−1 ms); Node fires a longer one at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The `AbortError` a cancelled probe rejects with.
pub(crate) fn abort_error() -> JsValue {
    DomException::new_with_message_and_name("The registry probe was cancelled.", "AbortError")
        .map_or_else(|e| e, JsValue::from)
}

fn progress(probe: &mut Probe, on_progress: Option<&Function>) {
    for step in probe.take_progress() {
        if let (Some(callback), Ok(value)) = (on_progress, crate::web::facade::to_js(&step)) {
            // A throwing callback must not break the probe.
            let _ = callback.call1(&JsValue::NULL, &value);
        }
    }
}

/// Runs the probe to its report, or rejects with `AbortError` when `signal` fires. With a
/// `deadline_ms`, the probe ends at the deadline with what it confirmed so far.
pub(crate) async fn run(
    mut probe: Probe,
    signal: Option<AbortSignal>,
    on_progress: Option<Function>,
    fetch_fn: Option<Function>,
    deadline_ms: Option<f64>,
) -> Result<ProbeReport, JsValue> {
    let deadline_at = deadline_ms.map(|ms| Date::now() + ms.min(MAX_TIMER_MS));
    loop {
        let action = probe.poll();
        progress(&mut probe, on_progress.as_ref());
        match action {
            Action::Done(report) => return Ok(*report),
            Action::Send(request) => {
                if signal.as_ref().is_some_and(AbortSignal::aborted) {
                    return Err(abort_error());
                }
                let start = Date::now();
                let remaining = deadline_at.map(|at| at - start);
                let outcome = match remaining {
                    Some(left) if left <= 0.0 => Outcome::Deadline,
                    _ => send(&request, signal.as_ref(), fetch_fn.as_ref(), remaining).await,
                };
                let elapsed = Date::now() - start;
                match outcome {
                    Outcome::Response(response) => probe.handle_response(response, elapsed),
                    Outcome::Failed(failure) => probe.handle_failure(failure, elapsed),
                    Outcome::Aborted => return Err(abort_error()),
                    Outcome::Invalid(error) => return Err(error),
                    Outcome::Deadline => {
                        probe.deadline_passed(deadline_ms.unwrap_or_default(), elapsed);
                    }
                }
            }
        }
    }
}

/// Why `error` (what fetch rejected with) happened: which signal fired, else the cause Node's
/// fetch gives (`error.cause.code`), else a plain network failure (all a browser can tell).
fn classify(
    error: &JsValue,
    caller: Option<&AbortSignal>,
    timeout: &AbortSignal,
    deadline: Option<&AbortSignal>,
) -> Outcome {
    if caller.is_some_and(AbortSignal::aborted) {
        return Outcome::Aborted;
    }
    if deadline.is_some_and(AbortSignal::aborted) {
        return Outcome::Deadline;
    }
    if timeout.aborted() {
        return Outcome::Failed(Failure::Timeout);
    }
    let cause = Reflect::get(error, &"cause".into()).unwrap_or(JsValue::UNDEFINED);
    let text = |key: &str| {
        if cause.is_object() {
            Reflect::get(&cause, &key.into())
                .ok()
                .and_then(|v| v.as_string())
        } else {
            None
        }
    };
    // The peer certificate, where the error carries it: its names for a mismatch, its dates
    // for an expired one (js/certificate.js adds them in Node) are the detail worth showing.
    let cert = if cause.is_object() {
        Reflect::get(&cause, &"cert".into())
            .ok()
            .filter(JsValue::is_object)
    } else {
        None
    };
    let field = |key: &str| {
        cert.as_ref()
            .and_then(|c| Reflect::get(c, &key.into()).ok())
            .and_then(|v| v.as_string())
    };
    match text("code").as_deref().and_then(NetworkCause::from_code) {
        Some(named) => {
            let detail = match named {
                NetworkCause::TlsExpired => match (field("valid_from"), field("valid_to")) {
                    (Some(from), Some(to)) => Some(format!("{from} – {to}")),
                    _ => None,
                },
                NetworkCause::TlsNameMismatch => field("subjectaltname"),
                _ => None,
            };
            let detail = detail.or_else(|| text("message")).unwrap_or_default();
            Outcome::Failed(Failure::Connection(named, detail))
        }
        None => Outcome::Failed(Failure::Network),
    }
}

/// The error a probe rejects with when its fetch gives something that is not a `Response`.
fn not_a_response() -> JsValue {
    js_sys::TypeError::new("registry-probe: the fetch option must resolve to a fetch Response")
        .into()
}

/// Whether `value` can be read as a fetch `Response` (any implementation's): a numeric
/// `status`, `headers` with `entries()`, and a `body` that is null or a readable stream.
fn is_response(value: &JsValue) -> bool {
    let get = |target: &JsValue, key: &str| {
        if target.is_object() {
            Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let headers = get(value, "headers");
    let body = get(value, "body");
    get(value, "status").as_f64().is_some()
        && get(&headers, "entries").is_function()
        && (body.is_null() || body.is_undefined() || get(&body, "getReader").is_function())
}

/// `fetch(request)` with the caller's fetch, else the global one (pages, workers, Node),
/// keeping what it rejects with. The answer is read structurally, so any fetch-compatible
/// implementation's `Response` works.
/// `Ok(Ok((response, proxy)))`: the answer and the egress proxy it came through, if any;
/// `Ok(Err(error))`: fetch rejected with `error` (a network failure, an abort); `Err(error)`:
/// the fetch itself is broken (no fetch, or its answer is not a `Response`).
async fn fetch(
    request: Request,
    fetch_fn: Option<&Function>,
) -> Result<Result<(Response, Option<String>), JsValue>, JsValue> {
    let global = js_sys::global();
    let fetch: Function = match fetch_fn {
        Some(f) => f.clone(),
        None => Reflect::get(&global, &"fetch".into())?.dyn_into()?,
    };
    let raw: web_sys::Request = request.into();
    let returned = match fetch.call1(&global, &raw) {
        Ok(returned) => returned,
        Err(error) => return Ok(Err(error)),
    };
    let response = match JsFuture::from(Promise::resolve(&returned)).await {
        Ok(response) => response,
        Err(error) => return Ok(Err(error)),
    };
    if !is_response(&response) {
        return Err(not_a_response());
    }
    // Set by the package's Node fetch when the request went through an egress proxy.
    let via_proxy = Reflect::get(&response, &PROXY_MARK.into())
        .ok()
        .and_then(|v| v.as_string());
    let response = Response::from(response.unchecked_into::<web_sys::Response>());
    Ok(Ok((response, via_proxy)))
}

async fn send(
    request: &HttpRequest,
    caller: Option<&AbortSignal>,
    fetch_fn: Option<&Function>,
    remaining_ms: Option<f64>,
) -> Outcome {
    // The core keeps timeouts within a JS timer's range; the deadline's remainder is a whole,
    // positive number of ms no larger than MAX_TIMER_MS (it was clamped when set).
    let timeout = AbortSignal::timeout_with_u32(request.timeout_ms);
    let deadline = remaining_ms.map(|ms| AbortSignal::timeout_with_f64(ms.ceil().max(1.0)));
    let signals = Array::of1(&timeout);
    if let Some(caller) = caller {
        signals.push(caller);
    }
    if let Some(deadline) = &deadline {
        signals.push(deadline);
    }
    let signal = AbortSignal::any(&signals);
    let method = match request.method {
        Method::Get => HttpMethod::GET,
        Method::Head => HttpMethod::HEAD,
        Method::Options => HttpMethod::OPTIONS,
    };
    let mode = if request.no_cors {
        RequestMode::NoCors
    } else {
        RequestMode::Cors
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .mode(mode)
        .abort_signal(Some(&signal));
    if request.has_credentials() {
        // Not followed: a browser shows it as an opaque redirect, Node as the 3xx itself.
        builder = builder.redirect(RequestRedirect::Manual);
    }
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let Ok(built) = builder.build() else {
        return Outcome::Failed(Failure::Network);
    };
    let (response, via_proxy) = match fetch(built, fetch_fn).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(error)) => return classify(&error, caller, &timeout, deadline.as_ref()),
        Err(broken) => return Outcome::Invalid(broken),
    };
    let redirected = response.type_() == ResponseType::Opaqueredirect
        || (request.has_credentials() && (300..400).contains(&response.status()));
    if redirected {
        if let Some(stream) = response.body() {
            let _ = stream.cancel();
        }
        return Outcome::Failed(Failure::Redirect);
    }
    let opaque = response.type_() == ResponseType::Opaque;
    let headers = response
        .headers()
        .entries()
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .collect();
    let body = if request.body_limit == 0 || opaque || request.method == Method::Head {
        if let Some(stream) = response.body() {
            let _ = stream.cancel();
        }
        Vec::new()
    } else {
        match read_body(&response, request.body_limit).await {
            Ok(body) => body,
            Err(error) => return classify(&error, caller, &timeout, deadline.as_ref()),
        }
    };
    Outcome::Response(HttpResponse {
        status: response.status(),
        headers,
        body,
        opaque,
        via_proxy,
    })
}

/// Reads at most `limit` bytes of the body, then cancels the stream.
async fn read_body(response: &Response, limit: usize) -> Result<Vec<u8>, JsValue> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?
            .as_bool()
            .unwrap_or(true)
        {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        let room = limit.saturating_sub(body.len());
        let take = room.min(usize::try_from(value.length()).unwrap_or(usize::MAX));
        let start = body.len();
        body.resize(start + take, 0);
        if let Some(target) = body.get_mut(start..) {
            value
                .subarray(0, u32::try_from(take).unwrap_or(0))
                .copy_to(target);
        }
        if body.len() >= limit {
            let _ = reader.cancel();
            break;
        }
    }
    Ok(body)
}
